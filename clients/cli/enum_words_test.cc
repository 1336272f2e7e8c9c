#include "clients/cli/enum_words.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::cli {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
using ::testing::HasSubstr;

TEST(EnumWordsTest, ParsesEveryWord) {
  EXPECT_EQ(*ParseStatus("s", "new"), v1::STATUS_NEW);
  EXPECT_EQ(*ParseStatus("s", "on-hold"), v1::STATUS_ON_HOLD);
  EXPECT_EQ(*ParseStatus("s", "ON_HOLD"), v1::STATUS_ON_HOLD);
  EXPECT_EQ(*ParseStatus("s", "closed"), v1::STATUS_CLOSED);
  EXPECT_EQ(*ParsePriority("p", "Urgent"), v1::PRIORITY_URGENT);
  EXPECT_EQ(*ParseKind("k", "complaint"), v1::KIND_COMPLAINT);
  EXPECT_EQ(*ParseCxLevel("c", "interaction"), v1::CX_LEVEL_INTERACTION);
  EXPECT_EQ(*ParseCxLevel("c", "brand"), v1::CX_LEVEL_BRAND);
  EXPECT_EQ(*ParseChannel("c", "social"), v1::CHANNEL_SOCIAL);
  EXPECT_EQ(*ParseChannel("c", " api "), v1::CHANNEL_API);
}

TEST(EnumWordsTest, BadWordNamesTheFlagAndTheAllowedWords) {
  absl::StatusOr<v1::Priority> p = ParsePriority("--priority", "hihg");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(),
            "--priority: 'hihg' is not one of low, normal, high, urgent");
  EXPECT_THAT(std::string(ParseStatus("STATUS", "done").status().message()),
              HasSubstr("new, open, pending, on-hold, solved, closed"));
}

TEST(EnumWordsTest, UnspecifiedIsNeverInput) {
  EXPECT_FALSE(ParseStatus("s", "unspecified").ok());
  EXPECT_FALSE(ParseKind("k", "").ok());
  EXPECT_FALSE(ParseCxLevel("c", "cx_level_product").ok());
}

TEST(EnumWordsTest, WordsRoundTrip) {
  for (int i = 1; i <= 6; ++i) {
    auto s = static_cast<v1::Status>(i);
    EXPECT_EQ(*ParseStatus("s", StatusWord(s)), s);
  }
  for (int i = 1; i <= 4; ++i) {
    auto p = static_cast<v1::Priority>(i);
    EXPECT_EQ(*ParsePriority("p", PriorityWord(p)), p);
    auto k = static_cast<v1::Kind>(i);
    EXPECT_EQ(*ParseKind("k", KindWord(k)), k);
  }
  for (int i = 1; i <= 5; ++i) {
    auto c = static_cast<v1::CxLevel>(i);
    EXPECT_EQ(*ParseCxLevel("c", CxLevelWord(c)), c);
  }
  for (int i = 1; i <= 6; ++i) {
    auto c = static_cast<v1::Channel>(i);
    EXPECT_EQ(*ParseChannel("c", ChannelWord(c)), c);
  }
}

TEST(EnumWordsTest, OutputWords) {
  EXPECT_EQ(StatusWord(v1::STATUS_UNSPECIFIED), "-");
  EXPECT_EQ(StatusWord(static_cast<v1::Status>(42)), "?42");
  EXPECT_EQ(RoleWord(v1::ROLE_CUSTOMER), "customer");
  EXPECT_EQ(EventTypeWord(v1::EVENT_TYPE_STATUS_CHANGED), "status");
  EXPECT_EQ(EventTypeWord(v1::EVENT_TYPE_COMMENT_ADDED), "comment");
  EXPECT_EQ(VisibilityWord(v1::VISIBILITY_INTERNAL), "internal");
  EXPECT_EQ(PriorityWords(), "low, normal, high, urgent");
  EXPECT_EQ(KindWords(), "question, incident, request, complaint");
  EXPECT_EQ(CxLevelWords(), "product, interaction, service, emotion, brand");
  EXPECT_EQ(ChannelWords(), "email, web, phone, chat, social, api");
}

TEST(EnumWordsTest, SlaWordsParseWithEitherSeparator) {
  namespace sla = ::cxdesk::sla::v1;
  EXPECT_EQ(*ParseMetric("m", "first_response"), sla::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(*ParseMetric("m", "First-Response"), sla::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(*ParseMetric("m", "periodic_update"), sla::METRIC_PERIODIC_UPDATE);
  EXPECT_EQ(*ParseSlaEventKind("k", "breached"), sla::SLA_EVENT_KIND_BREACHED);
  EXPECT_EQ(*ParseSlaEventKind("k", "RETARGETED"),
            sla::SLA_EVENT_KIND_RETARGETED);
  EXPECT_EQ(*ParseClockState("s", "paused"), sla::CLOCK_STATE_PAUSED);
  EXPECT_EQ(*ParseReportDimension("g", "cx_level"),
            sla::REPORT_DIMENSION_CX_LEVEL);
  EXPECT_EQ(*ParseReportDimension("g", "cx-level"),
            sla::REPORT_DIMENSION_CX_LEVEL);
  EXPECT_EQ(ParseReportDimension("--group-by", "region").status().message(),
            "--group-by: 'region' is not one of team, agent, priority, kind, "
            "cx_level, policy, channel");
  EXPECT_FALSE(ParseMetric("m", "unspecified").ok());
}

TEST(EnumWordsTest, SlaWordsRoundTrip) {
  namespace sla = ::cxdesk::sla::v1;
  for (int i = 1; i <= 4; ++i) {
    auto m = static_cast<sla::Metric>(i);
    EXPECT_EQ(*ParseMetric("m", MetricWord(m)), m);
    auto s = static_cast<sla::ClockState>(i);
    EXPECT_EQ(*ParseClockState("s", ClockStateWord(s)), s);
  }
  for (int i = 1; i <= 8; ++i) {
    auto k = static_cast<sla::SlaEventKind>(i);
    EXPECT_EQ(*ParseSlaEventKind("k", SlaEventKindWord(k)), k);
  }
  for (int i = 1; i <= 7; ++i) {
    auto d = static_cast<sla::ReportDimension>(i);
    EXPECT_EQ(*ParseReportDimension("d", ReportDimensionWord(d)), d);
  }
  EXPECT_EQ(MetricWords(),
            "first_response, next_response, periodic_update, resolution");
  EXPECT_EQ(SlaEventKindWords(),
            "started, paused, resumed, met, cancelled, retargeted, warned, "
            "breached");
  EXPECT_EQ(ClockStateWords(), "running, paused, met, cancelled");
  EXPECT_EQ(MetricWord(sla::METRIC_UNSPECIFIED), "-");
  EXPECT_EQ(WeekdayWord(sla::WEEKDAY_SUNDAY), "sun");
}

}  // namespace
}  // namespace cxdesk::clients::cli
