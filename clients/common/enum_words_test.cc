#include "clients/common/enum_words.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients {
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

// Every word as the tables written by hand before the words were derived
// from the descriptors: the derivation and its exceptions change none.
TEST(EnumWordsTest, DerivedWordsAreTheHandWrittenOnes) {
  namespace sla = ::cxdesk::sla::v1;
  namespace esc = ::cxdesk::escalation::v1;
  EXPECT_EQ(EnumWord(v1::STATUS_NEW), "new");
  EXPECT_EQ(EnumWord(v1::STATUS_OPEN), "open");
  EXPECT_EQ(EnumWord(v1::STATUS_PENDING), "pending");
  EXPECT_EQ(EnumWord(v1::STATUS_ON_HOLD), "on-hold");
  EXPECT_EQ(EnumWord(v1::STATUS_SOLVED), "solved");
  EXPECT_EQ(EnumWord(v1::STATUS_CLOSED), "closed");
  EXPECT_EQ(EnumWords<v1::Status>(),
            "new, open, pending, on-hold, solved, closed");
  EXPECT_EQ(EnumWord(v1::PRIORITY_LOW), "low");
  EXPECT_EQ(EnumWord(v1::PRIORITY_NORMAL), "normal");
  EXPECT_EQ(EnumWord(v1::PRIORITY_HIGH), "high");
  EXPECT_EQ(EnumWord(v1::PRIORITY_URGENT), "urgent");
  EXPECT_EQ(EnumWords<v1::Priority>(), "low, normal, high, urgent");
  EXPECT_EQ(EnumWord(v1::KIND_QUESTION), "question");
  EXPECT_EQ(EnumWord(v1::KIND_INCIDENT), "incident");
  EXPECT_EQ(EnumWord(v1::KIND_REQUEST), "request");
  EXPECT_EQ(EnumWord(v1::KIND_COMPLAINT), "complaint");
  EXPECT_EQ(EnumWords<v1::Kind>(), "question, incident, request, complaint");
  EXPECT_EQ(EnumWord(v1::CX_LEVEL_PRODUCT), "product");
  EXPECT_EQ(EnumWord(v1::CX_LEVEL_INTERACTION), "interaction");
  EXPECT_EQ(EnumWord(v1::CX_LEVEL_SERVICE), "service");
  EXPECT_EQ(EnumWord(v1::CX_LEVEL_EMOTION), "emotion");
  EXPECT_EQ(EnumWord(v1::CX_LEVEL_BRAND), "brand");
  EXPECT_EQ(EnumWords<v1::CxLevel>(),
            "product, interaction, service, emotion, brand");
  EXPECT_EQ(EnumWord(v1::CHANNEL_EMAIL), "email");
  EXPECT_EQ(EnumWord(v1::CHANNEL_WEB), "web");
  EXPECT_EQ(EnumWord(v1::CHANNEL_PHONE), "phone");
  EXPECT_EQ(EnumWord(v1::CHANNEL_CHAT), "chat");
  EXPECT_EQ(EnumWord(v1::CHANNEL_SOCIAL), "social");
  EXPECT_EQ(EnumWord(v1::CHANNEL_API), "api");
  EXPECT_EQ(EnumWords<v1::Channel>(), "email, web, phone, chat, social, api");
  EXPECT_EQ(EnumWord(v1::ROLE_CUSTOMER), "customer");
  EXPECT_EQ(EnumWord(v1::ROLE_AGENT), "agent");
  EXPECT_EQ(EnumWord(v1::ROLE_MANAGER), "manager");
  EXPECT_EQ(EnumWord(v1::ROLE_SERVICE), "service");
  EXPECT_EQ(EnumWords<v1::Role>(), "customer, agent, manager, service");
  EXPECT_EQ(EnumWord(v1::EVENT_TYPE_CREATED), "created");
  EXPECT_EQ(EnumWord(v1::EVENT_TYPE_UPDATED), "updated");
  EXPECT_EQ(EnumWord(v1::EVENT_TYPE_COMMENT_ADDED), "comment");
  EXPECT_EQ(EnumWord(v1::EVENT_TYPE_ASSIGNED), "assigned");
  EXPECT_EQ(EnumWord(v1::EVENT_TYPE_STATUS_CHANGED), "status");
  EXPECT_EQ(EnumWord(v1::EVENT_TYPE_RATED), "rated");
  EXPECT_EQ(EnumWords<v1::EventType>(),
            "created, updated, comment, assigned, status, rated");
  EXPECT_EQ(EnumWord(v1::VISIBILITY_PUBLIC), "public");
  EXPECT_EQ(EnumWord(v1::VISIBILITY_INTERNAL), "internal");
  EXPECT_EQ(EnumWords<v1::Visibility>(), "public, internal");
  EXPECT_EQ(EnumWord(sla::METRIC_FIRST_RESPONSE), "first_response");
  EXPECT_EQ(EnumWord(sla::METRIC_NEXT_RESPONSE), "next_response");
  EXPECT_EQ(EnumWord(sla::METRIC_PERIODIC_UPDATE), "periodic_update");
  EXPECT_EQ(EnumWord(sla::METRIC_RESOLUTION), "resolution");
  EXPECT_EQ(EnumWords<sla::Metric>(),
            "first_response, next_response, periodic_update, resolution");
  EXPECT_EQ(EnumWord(sla::SLA_EVENT_KIND_STARTED), "started");
  EXPECT_EQ(EnumWord(sla::SLA_EVENT_KIND_PAUSED), "paused");
  EXPECT_EQ(EnumWord(sla::SLA_EVENT_KIND_RESUMED), "resumed");
  EXPECT_EQ(EnumWord(sla::SLA_EVENT_KIND_MET), "met");
  EXPECT_EQ(EnumWord(sla::SLA_EVENT_KIND_CANCELLED), "cancelled");
  EXPECT_EQ(EnumWord(sla::SLA_EVENT_KIND_RETARGETED), "retargeted");
  EXPECT_EQ(EnumWord(sla::SLA_EVENT_KIND_WARNED), "warned");
  EXPECT_EQ(EnumWord(sla::SLA_EVENT_KIND_BREACHED), "breached");
  EXPECT_EQ(
      EnumWords<sla::SlaEventKind>(),
      "started, paused, resumed, met, cancelled, retargeted, warned, breached");
  EXPECT_EQ(EnumWord(sla::CLOCK_STATE_RUNNING), "running");
  EXPECT_EQ(EnumWord(sla::CLOCK_STATE_PAUSED), "paused");
  EXPECT_EQ(EnumWord(sla::CLOCK_STATE_MET), "met");
  EXPECT_EQ(EnumWord(sla::CLOCK_STATE_CANCELLED), "cancelled");
  EXPECT_EQ(EnumWords<sla::ClockState>(), "running, paused, met, cancelled");
  EXPECT_EQ(EnumWord(sla::REPORT_DIMENSION_TEAM), "team");
  EXPECT_EQ(EnumWord(sla::REPORT_DIMENSION_AGENT), "agent");
  EXPECT_EQ(EnumWord(sla::REPORT_DIMENSION_PRIORITY), "priority");
  EXPECT_EQ(EnumWord(sla::REPORT_DIMENSION_KIND), "kind");
  EXPECT_EQ(EnumWord(sla::REPORT_DIMENSION_CX_LEVEL), "cx_level");
  EXPECT_EQ(EnumWord(sla::REPORT_DIMENSION_POLICY), "policy");
  EXPECT_EQ(EnumWord(sla::REPORT_DIMENSION_CHANNEL), "channel");
  EXPECT_EQ(EnumWords<sla::ReportDimension>(),
            "team, agent, priority, kind, cx_level, policy, channel");
  EXPECT_EQ(EnumWord(sla::WEEKDAY_MONDAY), "mon");
  EXPECT_EQ(EnumWord(sla::WEEKDAY_TUESDAY), "tue");
  EXPECT_EQ(EnumWord(sla::WEEKDAY_WEDNESDAY), "wed");
  EXPECT_EQ(EnumWord(sla::WEEKDAY_THURSDAY), "thu");
  EXPECT_EQ(EnumWord(sla::WEEKDAY_FRIDAY), "fri");
  EXPECT_EQ(EnumWord(sla::WEEKDAY_SATURDAY), "sat");
  EXPECT_EQ(EnumWord(sla::WEEKDAY_SUNDAY), "sun");
  EXPECT_EQ(EnumWords<sla::Weekday>(), "mon, tue, wed, thu, fri, sat, sun");
  EXPECT_EQ(EnumWord(esc::AVAILABILITY_ONLINE), "online");
  EXPECT_EQ(EnumWord(esc::AVAILABILITY_AWAY), "away");
  EXPECT_EQ(EnumWord(esc::AVAILABILITY_OFFLINE), "offline");
  EXPECT_EQ(EnumWords<esc::Availability>(), "online, away, offline");
  EXPECT_EQ(EnumWord(esc::STRATEGY_ROUND_ROBIN), "round_robin");
  EXPECT_EQ(EnumWord(esc::STRATEGY_LEAST_LOADED), "least_loaded");
  EXPECT_EQ(EnumWord(esc::STRATEGY_SKILLS_FIRST), "skills_first");
  EXPECT_EQ(EnumWord(esc::STRATEGY_QUEUE_ONLY), "queue_only");
  EXPECT_EQ(EnumWords<esc::Strategy>(),
            "round_robin, least_loaded, skills_first, queue_only");
  EXPECT_EQ(EnumWord(esc::ROUTING_OUTCOME_ASSIGNED), "assigned");
  EXPECT_EQ(EnumWord(esc::ROUTING_OUTCOME_QUEUED), "queued");
  EXPECT_EQ(EnumWord(esc::ROUTING_OUTCOME_ROUTED), "routed");
  EXPECT_EQ(EnumWords<esc::RoutingOutcome>(), "assigned, queued, routed");
  EXPECT_EQ(EnumWord(esc::ROUTING_TRIGGER_NEW_TICKET), "new ticket");
  EXPECT_EQ(EnumWord(esc::ROUTING_TRIGGER_CAPACITY_FREED), "capacity freed");
  EXPECT_EQ(EnumWord(esc::ROUTING_TRIGGER_MANUAL), "manual");
  EXPECT_EQ(EnumWord(esc::ROUTING_TRIGGER_DRY_RUN), "dry run");
  EXPECT_EQ(EnumWords<esc::RoutingTrigger>(),
            "new ticket, capacity freed, manual, dry run");
  EXPECT_EQ(EnumWord(esc::TRIGGER_KIND_ON_WARNING), "on warning");
  EXPECT_EQ(EnumWord(esc::TRIGGER_KIND_ON_BREACH), "on breach");
  EXPECT_EQ(EnumWord(esc::TRIGGER_KIND_AFTER_BREACH), "after breach");
  EXPECT_EQ(EnumWords<esc::TriggerKind>(),
            "on warning, on breach, after breach");
  EXPECT_EQ(EnumWord(esc::ACTION_STATE_PENDING), "pending");
  EXPECT_EQ(EnumWord(esc::ACTION_STATE_DONE), "done");
  EXPECT_EQ(EnumWord(esc::ACTION_STATE_FAILED), "failed");
  EXPECT_EQ(EnumWord(esc::ACTION_STATE_SKIPPED), "skipped");
  EXPECT_EQ(EnumWords<esc::ActionState>(), "pending, done, failed, skipped");
  EXPECT_EQ(EnumWord(esc::DELIVERY_STATE_PENDING), "pending");
  EXPECT_EQ(EnumWord(esc::DELIVERY_STATE_DELIVERED), "delivered");
  EXPECT_EQ(EnumWord(esc::DELIVERY_STATE_DEAD), "dead");
  EXPECT_EQ(EnumWords<esc::DeliveryState>(), "pending, delivered, dead");
}

TEST(EnumWordsTest, GenericFunctionsTakeAnyEnum) {
  namespace esc = ::cxdesk::escalation::v1;
  EXPECT_EQ(EnumWord(v1::PRIORITY_HIGH), "high");
  EXPECT_EQ(EnumWord(v1::PRIORITY_UNSPECIFIED), "-");
  EXPECT_EQ(EnumWord(static_cast<esc::Strategy>(99)), "?99");
  EXPECT_EQ(*ParseEnumWord<esc::Strategy>("--strategy", "Round-Robin"),
            esc::STRATEGY_ROUND_ROBIN);
  EXPECT_EQ(ParseEnumWord<esc::Strategy>("--strategy", "unspecified")
                .status()
                .message(),
            "--strategy: 'unspecified' is not one of round_robin, "
            "least_loaded, skills_first, queue_only");
}

}  // namespace
}  // namespace cxdesk::clients
