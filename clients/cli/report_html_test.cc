#include "clients/cli/report_html.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cxdesk::clients::cli {
namespace {

namespace slapb = ::cxdesk::sla::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

absl::Time Day(int d) {
  return absl::FromCivil(absl::CivilDay(2026, 11, d), absl::UTCTimeZone());
}

slapb::SlaReport Report(absl::Time from, absl::Time to, int met, int breached) {
  slapb::SlaReport r;
  r.mutable_start_time()->set_seconds(absl::ToUnixSeconds(from));
  r.mutable_end_time()->set_seconds(absl::ToUnixSeconds(to));
  r.set_clocks(met + breached);
  slapb::SlaReportRow* row = r.add_rows();
  row->set_tickets(met + breached);
  slapb::MetricReport* m = row->add_metrics();
  m->set_metric(slapb::METRIC_FIRST_RESPONSE);
  m->set_clocks(met + breached);
  m->set_met_on_time(met);
  m->set_breached(breached);
  m->set_compliance_percent(
      met + breached == 0 ? 0 : 100.0 * met / (met + breached));
  return r;
}

slapb::SlaReport Grouped(slapb::ReportDimension d,
                         std::vector<std::pair<std::string, int>> breached) {
  slapb::SlaReport r;
  r.add_group_by(d);
  for (const auto& [group, n] : breached) {
    slapb::SlaReportRow* row = r.add_rows();
    row->add_group_values(group);
    slapb::MetricReport* m = row->add_metrics();
    m->set_metric(slapb::METRIC_FIRST_RESPONSE);
    m->set_breached(n);
    row->add_metrics()->set_metric(slapb::METRIC_RESOLUTION);
    row->mutable_metrics(1)->set_breached(1);
  }
  return r;
}

TEST(BucketBoundsTest, DaysAndMondayWeeksCutToTheWindow) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(BucketNameFor(Day(1), Day(30)), "day");
  EXPECT_EQ(BucketNameFor(Day(1), Day(1) + absl::Hours(24 * 63)), "week");
  const absl::Time noon = Day(2) + absl::Hours(12);
  EXPECT_THAT(BucketBounds(noon, Day(4), utc, "day"),
              ElementsAre(Pair(noon, Day(3)), Pair(Day(3), Day(4))));
  // 2026-11-04 is a Wednesday; weeks start on Mondays (9th, 16th).
  EXPECT_THAT(BucketBounds(Day(4), Day(17), utc, "week"),
              ElementsAre(Pair(Day(4), Day(9)), Pair(Day(9), Day(16)),
                          Pair(Day(16), Day(17))));
  EXPECT_TRUE(BucketBounds(Day(4), Day(4), utc, "day").empty());
}

TEST(FirstResponseBinTest, TenPointBinsAndAnOpenLastOne) {
  const absl::Duration t = absl::Minutes(10);
  EXPECT_EQ(FirstResponseBin({absl::ZeroDuration(), t}), 0);
  EXPECT_EQ(FirstResponseBin({absl::Seconds(59), t}), 0);
  EXPECT_EQ(FirstResponseBin({absl::Minutes(1), t}), 1);
  EXPECT_EQ(FirstResponseBin({absl::Minutes(10), t}), 10);
  EXPECT_EQ(FirstResponseBin({absl::Seconds(599), t}), 9);
  EXPECT_EQ(FirstResponseBin({absl::Minutes(45), t}), 20);
  EXPECT_EQ(FirstResponseBin({absl::Minutes(1), absl::ZeroDuration()}), 20);
}

TEST(FormatSlaReportHtmlTest, SelfContainedWithChartsAndCheckableTable) {
  HtmlReportInput input;
  input.title = "SLA report <test>";
  input.tz = absl::UTCTimeZone();
  input.generated = Day(3);
  input.report = Report(Day(1), Day(3), 3, 1);
  input.bucket_name = "day";
  input.buckets = {{Day(1), Day(2), Report(Day(1), Day(2), 2, 0)},
                   {Day(2), Day(3), Report(Day(2), Day(3), 1, 1)}};
  input.first_responses = {{absl::Minutes(3), absl::Minutes(10)},
                           {absl::Minutes(9), absl::Minutes(10)},
                           {absl::Minutes(12), absl::Minutes(10)}};
  input.by_cx_level =
      Grouped(slapb::REPORT_DIMENSION_CX_LEVEL, {{"emotion", 2}, {"", 0}});
  input.by_team = Grouped(slapb::REPORT_DIMENSION_TEAM, {{"care", 4}});
  const std::string html = FormatSlaReportHtml(input);

  EXPECT_THAT(html, HasSubstr("<title>SLA report &lt;test&gt;</title>"));
  // Nothing to fetch: no scripts, no external references.
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, HasSubstr("<span id=\"clocks\" data-value=\"4\">4</span>"));
  // Compliance points, one per bucket with decided clocks.
  EXPECT_THAT(html, HasSubstr("data-metric=\"first_response\" "
                              "data-bucket=\"2026-11-01\" "
                              "data-compliance=\"100.0\""));
  EXPECT_THAT(html, HasSubstr("data-metric=\"first_response\" "
                              "data-bucket=\"2026-11-02\" "
                              "data-compliance=\"50.0\""));
  // The histogram: 30% -> bin 3, 90% -> bin 9, 120% -> bin 12.
  EXPECT_THAT(html, HasSubstr("data-bin=\"3\" data-count=\"1\""));
  EXPECT_THAT(html, HasSubstr("data-bin=\"9\" data-count=\"1\""));
  EXPECT_THAT(html, HasSubstr("data-bin=\"12\" data-count=\"1\""));
  EXPECT_THAT(html, HasSubstr("data-bin=\"10\" data-count=\"0\""));
  EXPECT_THAT(html, HasSubstr("data-total=\"3\" data-within=\"2\">2 of 3 "
                              "first responses within their target (66.7%)"));
  // Breaches by group, all metrics summed; an empty group is "(none)".
  EXPECT_THAT(html, HasSubstr("data-group=\"emotion\" data-breached=\"3\""));
  EXPECT_THAT(html, HasSubstr("data-group=\"(none)\" data-breached=\"1\""));
  EXPECT_THAT(html, HasSubstr("data-group=\"care\" data-breached=\"5\""));
  // The table carries the CSV values beside what it shows.
  EXPECT_THAT(html,
              HasSubstr("class=\"bad\" data-column=\"compliance_percent\" "
                        "data-value=\"75.0\">75.0%</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"metric\" data-column=\"metric\" "
                              "data-value=\"first_response\">first_response"
                              "</td>"));
}

}  // namespace
}  // namespace cxdesk::clients::cli
