#include "services/sla/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace cxdesk::sla {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Monday 2026-06-08 00:00:00 UTC.
constexpr absl::Time kStart = absl::FromUnixSeconds(1780876800);
constexpr absl::Time kEnd = absl::FromUnixSeconds(1780876800 + 24 * 3600);

// ---- ComputeStats ----

TEST(ComputeStatsTest, NearestRankOnOneToTen) {
  std::vector<absl::Duration> values;
  for (int i = 10; i >= 1; --i) values.push_back(absl::Seconds(i));
  const DurationStats s = ComputeStats(values);
  EXPECT_EQ(s.count, 10);
  EXPECT_EQ(s.p50, absl::Seconds(5));   // rank ceil(5) = 5
  EXPECT_EQ(s.p90, absl::Seconds(9));   // rank ceil(9) = 9
  EXPECT_EQ(s.p99, absl::Seconds(10));  // rank ceil(9.9) = 10
  EXPECT_EQ(s.max, absl::Seconds(10));
  // Sorted in place.
  EXPECT_TRUE(std::is_sorted(values.begin(), values.end()));
}

TEST(ComputeStatsTest, NearestRankOnAHundredValues) {
  // i*i ms for i = 100..1, so each rank has a distinct, non-linear value.
  std::vector<absl::Duration> values;
  for (int i = 100; i >= 1; --i) values.push_back(absl::Milliseconds(i * i));
  const DurationStats s = ComputeStats(values);
  EXPECT_EQ(s.count, 100);
  EXPECT_EQ(s.p50, absl::Milliseconds(50 * 50));
  EXPECT_EQ(s.p90, absl::Milliseconds(90 * 90));
  EXPECT_EQ(s.p99, absl::Milliseconds(99 * 99));
  EXPECT_EQ(s.max, absl::Milliseconds(100 * 100));
}

TEST(ComputeStatsTest, NearestRankRoundsTheRankUp) {
  std::vector<absl::Duration> values = {absl::Seconds(30), absl::Seconds(10),
                                        absl::Seconds(20)};
  const DurationStats s = ComputeStats(values);
  EXPECT_EQ(s.count, 3);
  EXPECT_EQ(s.p50, absl::Seconds(20));  // rank ceil(1.5) = 2
  EXPECT_EQ(s.p90, absl::Seconds(30));  // rank ceil(2.7) = 3
  EXPECT_EQ(s.p99, absl::Seconds(30));
  EXPECT_EQ(s.max, absl::Seconds(30));
}

TEST(ComputeStatsTest, OneValueIsEveryPercentile) {
  std::vector<absl::Duration> values = {absl::Nanoseconds(7)};
  const DurationStats s = ComputeStats(values);
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(s.p50, absl::Nanoseconds(7));
  EXPECT_EQ(s.p90, absl::Nanoseconds(7));
  EXPECT_EQ(s.p99, absl::Nanoseconds(7));
  EXPECT_EQ(s.max, absl::Nanoseconds(7));
}

TEST(ComputeStatsTest, EmptyIsAllZero) {
  std::vector<absl::Duration> values;
  const DurationStats s = ComputeStats(values);
  EXPECT_EQ(s.count, 0);
  EXPECT_EQ(s.p50, absl::ZeroDuration());
  EXPECT_EQ(s.p90, absl::ZeroDuration());
  EXPECT_EQ(s.p99, absl::ZeroDuration());
  EXPECT_EQ(s.max, absl::ZeroDuration());
}

// ---- CompliancePercent ----

TEST(CompliancePercentTest, MetOnTimeOverDecided) {
  EXPECT_DOUBLE_EQ(CompliancePercent(3, 1), 75.0);
  EXPECT_DOUBLE_EQ(CompliancePercent(2, 0), 100.0);
  EXPECT_DOUBLE_EQ(CompliancePercent(0, 2), 0.0);
  EXPECT_DOUBLE_EQ(CompliancePercent(1, 2), 100.0 / 3);
  EXPECT_DOUBLE_EQ(CompliancePercent(0, 0), 0.0);
}

// ---- Dimensions ----

TEST(DimensionTest, NamesAndValues) {
  EXPECT_EQ(DimensionName(Dimension::kTeam), "team");
  EXPECT_EQ(DimensionName(Dimension::kAgent), "agent");
  EXPECT_EQ(DimensionName(Dimension::kPriority), "priority");
  EXPECT_EQ(DimensionName(Dimension::kKind), "kind");
  EXPECT_EQ(DimensionName(Dimension::kCxLevel), "cx_level");
  EXPECT_EQ(DimensionName(Dimension::kPolicy), "policy");
  EXPECT_EQ(DimensionName(Dimension::kChannel), "channel");

  Measurement m;
  m.team = "billing";
  m.assignee = "bob";
  m.priority = "urgent";
  m.kind = "complaint";
  m.cx_level = "emotion";
  m.policy_id = "vip";
  m.channel = "chat";
  EXPECT_EQ(DimensionValue(m, Dimension::kTeam), "billing");
  EXPECT_EQ(DimensionValue(m, Dimension::kAgent), "bob");
  EXPECT_EQ(DimensionValue(m, Dimension::kPriority), "urgent");
  EXPECT_EQ(DimensionValue(m, Dimension::kKind), "complaint");
  EXPECT_EQ(DimensionValue(m, Dimension::kCxLevel), "emotion");
  EXPECT_EQ(DimensionValue(m, Dimension::kPolicy), "vip");
  EXPECT_EQ(DimensionValue(m, Dimension::kChannel), "chat");
}

// ---- BuildReport ----

enum class Outcome {
  kOnTime,
  kLate,
  kBreachedRunning,
  kBreachedCancelled,
  kBreachedMet,
  kOpen,
  kCancelled
};

Measurement M(int64_t ticket, Metric metric, const std::string& team,
              const std::string& priority, absl::Time started, Outcome outcome,
              absl::Duration business = absl::ZeroDuration(),
              absl::Duration calendar = absl::ZeroDuration()) {
  Measurement m;
  m.ticket_id = ticket;
  m.metric = metric;
  m.policy_id = "standard";
  m.calendar_id = "24x7";
  m.target = absl::Hours(1);
  m.started = started;
  m.deadline = started + absl::Hours(1);
  m.team = team;
  m.assignee = "bob";
  m.priority = priority;
  m.kind = "question";
  m.channel = "email";
  switch (outcome) {
    case Outcome::kOnTime:
      m.state = ClockState::kMet;
      break;
    case Outcome::kLate:
      m.state = ClockState::kMet;
      m.met_late = true;
      break;
    case Outcome::kBreachedRunning:
      m.state = ClockState::kRunning;
      m.breached = true;
      break;
    case Outcome::kBreachedCancelled:
      m.state = ClockState::kCancelled;
      m.breached = true;
      break;
    case Outcome::kBreachedMet:
      m.state = ClockState::kMet;
      m.breached = true;
      m.met_late = true;
      break;
    case Outcome::kOpen:
      m.state = ClockState::kRunning;
      break;
    case Outcome::kCancelled:
      m.state = ClockState::kCancelled;
      break;
  }
  if (m.state == ClockState::kMet) {
    m.business_time = business;
    m.calendar_time = calendar;
    m.ended = started + calendar;
  } else if (m.state == ClockState::kCancelled) {
    m.ended = started + absl::Minutes(5);
  }
  return m;
}

std::vector<Measurement> Sample() {
  const Metric fr = Metric::kFirstResponse;
  const Metric res = Metric::kResolution;
  const absl::Time in = kStart + absl::Hours(1);
  return {
      // billing / normal: tickets 1, 2, 3.
      M(1, fr, "billing", "normal", in, Outcome::kOnTime, absl::Minutes(10),
        absl::Minutes(20)),
      M(1, res, "billing", "normal", in, Outcome::kLate, absl::Hours(2),
        absl::Hours(3)),
      M(2, fr, "billing", "normal", in, Outcome::kBreachedRunning),
      M(2, res, "billing", "normal", in, Outcome::kOpen),
      M(3, fr, "billing", "normal", in, Outcome::kCancelled),
      M(3, res, "billing", "normal", in, Outcome::kBreachedCancelled),
      // billing / urgent: ticket 4.
      M(4, fr, "billing", "urgent", in, Outcome::kOnTime, absl::Minutes(5),
        absl::Minutes(5)),
      // support / normal: tickets 5 and 8 in the window, 6 and 7 not.
      M(5, fr, "support", "normal", in, Outcome::kOnTime, absl::Minutes(30),
        absl::Minutes(40)),
      M(6, fr, "support", "normal", kStart - absl::Nanoseconds(1),
        Outcome::kOnTime, absl::Minutes(1), absl::Minutes(1)),
      M(7, fr, "support", "normal", kEnd, Outcome::kBreachedRunning),
      M(8, fr, "support", "normal", kStart, Outcome::kBreachedMet,
        absl::Hours(1), absl::Hours(1)),
  };
}

const std::map<int64_t, int> kCsat = {{1, 5}, {2, 3}, {4, 4}, {6, 1}, {8, 2}};

TEST(BuildReportTest, GroupsByTeamAndPriority) {
  const Report report = BuildReport(Sample(), kCsat, kStart, kEnd,
                                    {Dimension::kTeam, Dimension::kPriority});
  EXPECT_EQ(report.start, kStart);
  EXPECT_EQ(report.end, kEnd);
  EXPECT_THAT(report.group_by,
              ElementsAre(Dimension::kTeam, Dimension::kPriority));
  // Tickets 6 and 7 started outside [start, end).
  EXPECT_EQ(report.clocks, 9);
  ASSERT_EQ(report.rows.size(), 3u);

  // billing / normal.
  const ReportRow& billing = report.rows[0];
  EXPECT_THAT(billing.group_values, ElementsAre("billing", "normal"));
  EXPECT_EQ(billing.tickets, 3);
  EXPECT_EQ(billing.ratings, 2);  // Tickets 1 (5) and 2 (3).
  EXPECT_DOUBLE_EQ(billing.average_csat, 4.0);
  ASSERT_EQ(billing.metrics.size(), 2u);
  const MetricReport& fr = billing.metrics[0];
  EXPECT_EQ(fr.metric, Metric::kFirstResponse);
  EXPECT_EQ(fr.clocks, 3);
  EXPECT_EQ(fr.met_on_time, 1);
  EXPECT_EQ(fr.breached, 1);  // Breached and still running.
  EXPECT_EQ(fr.open, 0);
  EXPECT_EQ(fr.cancelled, 1);
  EXPECT_DOUBLE_EQ(fr.compliance_percent, 50.0);
  EXPECT_EQ(fr.business_time.count, 1);
  EXPECT_EQ(fr.business_time.p50, absl::Minutes(10));
  EXPECT_EQ(fr.business_time.max, absl::Minutes(10));
  EXPECT_EQ(fr.calendar_time.count, 1);
  EXPECT_EQ(fr.calendar_time.p99, absl::Minutes(20));
  const MetricReport& res = billing.metrics[1];
  EXPECT_EQ(res.metric, Metric::kResolution);
  EXPECT_EQ(res.clocks, 3);
  EXPECT_EQ(res.met_on_time, 0);
  // Met late (never flagged breached) and breached-then-cancelled.
  EXPECT_EQ(res.breached, 2);
  EXPECT_EQ(res.open, 1);
  EXPECT_EQ(res.cancelled, 0);
  EXPECT_DOUBLE_EQ(res.compliance_percent, 0.0);
  // The late one is still a measured response time.
  EXPECT_EQ(res.business_time.count, 1);
  EXPECT_EQ(res.business_time.p50, absl::Hours(2));
  EXPECT_EQ(res.calendar_time.count, 1);
  EXPECT_EQ(res.calendar_time.p50, absl::Hours(3));

  // billing / urgent.
  const ReportRow& urgent = report.rows[1];
  EXPECT_THAT(urgent.group_values, ElementsAre("billing", "urgent"));
  EXPECT_EQ(urgent.tickets, 1);
  EXPECT_EQ(urgent.ratings, 1);
  EXPECT_DOUBLE_EQ(urgent.average_csat, 4.0);
  ASSERT_EQ(urgent.metrics.size(), 1u);
  EXPECT_EQ(urgent.metrics[0].metric, Metric::kFirstResponse);
  EXPECT_EQ(urgent.metrics[0].clocks, 1);
  EXPECT_EQ(urgent.metrics[0].met_on_time, 1);
  EXPECT_EQ(urgent.metrics[0].breached, 0);
  EXPECT_DOUBLE_EQ(urgent.metrics[0].compliance_percent, 100.0);

  // support / normal: ticket 8 starts exactly at `start` (in), ticket 7
  // exactly at `end` (out), ticket 6 a nanosecond before `start` (out, and
  // its rating does not count).
  const ReportRow& support = report.rows[2];
  EXPECT_THAT(support.group_values, ElementsAre("support", "normal"));
  EXPECT_EQ(support.tickets, 2);
  EXPECT_EQ(support.ratings, 1);
  EXPECT_DOUBLE_EQ(support.average_csat, 2.0);
  ASSERT_EQ(support.metrics.size(), 1u);
  const MetricReport& sfr = support.metrics[0];
  EXPECT_EQ(sfr.clocks, 2);
  EXPECT_EQ(sfr.met_on_time, 1);
  EXPECT_EQ(sfr.breached, 1);
  EXPECT_EQ(sfr.open, 0);
  EXPECT_EQ(sfr.cancelled, 0);
  EXPECT_DOUBLE_EQ(sfr.compliance_percent, 50.0);
  EXPECT_EQ(sfr.business_time.count, 2);
  EXPECT_EQ(sfr.business_time.p50, absl::Minutes(30));
  EXPECT_EQ(sfr.business_time.p90, absl::Hours(1));
  EXPECT_EQ(sfr.business_time.p99, absl::Hours(1));
  EXPECT_EQ(sfr.business_time.max, absl::Hours(1));
  EXPECT_EQ(sfr.calendar_time.p50, absl::Minutes(40));
  EXPECT_EQ(sfr.calendar_time.max, absl::Hours(1));
}

TEST(BuildReportTest, NoGroupingIsOneRowOfDistinctTickets) {
  const Report report = BuildReport(Sample(), kCsat, kStart, kEnd, {});
  EXPECT_EQ(report.clocks, 9);
  ASSERT_EQ(report.rows.size(), 1u);
  const ReportRow& row = report.rows[0];
  EXPECT_THAT(row.group_values, IsEmpty());
  EXPECT_EQ(row.tickets, 6);  // 1, 2, 3, 4, 5, 8
  EXPECT_EQ(row.ratings, 4);  // 1, 2, 4, 8
  EXPECT_DOUBLE_EQ(row.average_csat, (5 + 3 + 4 + 2) / 4.0);
  ASSERT_EQ(row.metrics.size(), 2u);
  const MetricReport& fr = row.metrics[0];
  EXPECT_EQ(fr.metric, Metric::kFirstResponse);
  EXPECT_EQ(fr.clocks, 6);
  EXPECT_EQ(fr.met_on_time, 3);  // Tickets 1, 4, 5.
  EXPECT_EQ(fr.breached, 2);     // Tickets 2, 8.
  EXPECT_EQ(fr.open, 0);
  EXPECT_EQ(fr.cancelled, 1);  // Ticket 3.
  EXPECT_DOUBLE_EQ(fr.compliance_percent, 60.0);
  // Met: 5m, 10m, 30m, 1h.
  EXPECT_EQ(fr.business_time.count, 4);
  EXPECT_EQ(fr.business_time.p50, absl::Minutes(10));
  EXPECT_EQ(fr.business_time.p90, absl::Hours(1));
  EXPECT_EQ(fr.business_time.max, absl::Hours(1));
  const MetricReport& res = row.metrics[1];
  EXPECT_EQ(res.metric, Metric::kResolution);
  EXPECT_EQ(res.clocks, 3);
  EXPECT_EQ(res.breached, 2);
  EXPECT_EQ(res.open, 1);
}

TEST(BuildReportTest, UnratedGroupHasZeroAverage) {
  const Report report =
      BuildReport(Sample(), {}, kStart, kEnd, {Dimension::kTeam});
  ASSERT_EQ(report.rows.size(), 2u);
  EXPECT_THAT(report.rows[0].group_values, ElementsAre("billing"));
  EXPECT_EQ(report.rows[0].tickets, 4);
  EXPECT_EQ(report.rows[0].ratings, 0);
  EXPECT_DOUBLE_EQ(report.rows[0].average_csat, 0.0);
  EXPECT_THAT(report.rows[1].group_values, ElementsAre("support"));
  EXPECT_EQ(report.rows[1].tickets, 2);
}

TEST(BuildReportTest, EmptyWindowHasNoRows) {
  const Report report = BuildReport(Sample(), kCsat, kEnd + absl::Hours(1),
                                    kEnd + absl::Hours(2), {Dimension::kTeam});
  EXPECT_EQ(report.clocks, 0);
  EXPECT_THAT(report.rows, IsEmpty());
}

}  // namespace
}  // namespace cxdesk::sla
