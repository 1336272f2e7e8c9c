#include "clients/common/enum_words.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
using ::testing::HasSubstr;

TEST(EnumWordsTest, ParsesEveryWord) {
  EXPECT_EQ(*ParseStatus("s", "new"), ticketpb::STATUS_NEW);
  EXPECT_EQ(*ParseStatus("s", "on-hold"), ticketpb::STATUS_ON_HOLD);
  EXPECT_EQ(*ParseStatus("s", "ON_HOLD"), ticketpb::STATUS_ON_HOLD);
  EXPECT_EQ(*ParseStatus("s", "closed"), ticketpb::STATUS_CLOSED);
  EXPECT_EQ(*ParsePriority("p", "Urgent"), ticketpb::PRIORITY_URGENT);
  EXPECT_EQ(*ParseKind("k", "complaint"), ticketpb::KIND_COMPLAINT);
  EXPECT_EQ(*ParseCxLevel("c", "interaction"), ticketpb::CX_LEVEL_INTERACTION);
  EXPECT_EQ(*ParseCxLevel("c", "brand"), ticketpb::CX_LEVEL_BRAND);
  EXPECT_EQ(*ParseChannel("c", "social"), ticketpb::CHANNEL_SOCIAL);
  EXPECT_EQ(*ParseChannel("c", " api "), ticketpb::CHANNEL_API);
}

TEST(EnumWordsTest, BadWordNamesTheFlagAndTheAllowedWords) {
  absl::StatusOr<ticketpb::Priority> p = ParsePriority("--priority", "hihg");
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
    auto s = static_cast<ticketpb::Status>(i);
    EXPECT_EQ(*ParseStatus("s", StatusWord(s)), s);
  }
  for (int i = 1; i <= 4; ++i) {
    auto p = static_cast<ticketpb::Priority>(i);
    EXPECT_EQ(*ParsePriority("p", PriorityWord(p)), p);
    auto k = static_cast<ticketpb::Kind>(i);
    EXPECT_EQ(*ParseKind("k", KindWord(k)), k);
  }
  for (int i = 1; i <= 5; ++i) {
    auto c = static_cast<ticketpb::CxLevel>(i);
    EXPECT_EQ(*ParseCxLevel("c", CxLevelWord(c)), c);
  }
  for (int i = 1; i <= 6; ++i) {
    auto c = static_cast<ticketpb::Channel>(i);
    EXPECT_EQ(*ParseChannel("c", ChannelWord(c)), c);
  }
}

TEST(EnumWordsTest, OutputWords) {
  EXPECT_EQ(StatusWord(ticketpb::STATUS_UNSPECIFIED), "-");
  EXPECT_EQ(StatusWord(static_cast<ticketpb::Status>(42)), "?42");
  EXPECT_EQ(RoleWord(ticketpb::ROLE_CUSTOMER), "customer");
  EXPECT_EQ(EventTypeWord(ticketpb::EVENT_TYPE_STATUS_CHANGED), "status");
  EXPECT_EQ(EventTypeWord(ticketpb::EVENT_TYPE_COMMENT_ADDED), "comment");
  EXPECT_EQ(VisibilityWord(ticketpb::VISIBILITY_INTERNAL), "internal");
  EXPECT_EQ(PriorityWords(), "low, normal, high, urgent");
  EXPECT_EQ(KindWords(), "question, incident, request, complaint");
  EXPECT_EQ(CxLevelWords(), "product, interaction, service, emotion, brand");
  EXPECT_EQ(ChannelWords(), "email, web, phone, chat, social, api");
}

TEST(EnumWordsTest, SlaWordsParseWithEitherSeparator) {
  namespace slapb = ::cxdesk::sla::v1;
  EXPECT_EQ(*ParseMetric("m", "first_response"), slapb::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(*ParseMetric("m", "First-Response"), slapb::METRIC_FIRST_RESPONSE);
  EXPECT_EQ(*ParseMetric("m", "periodic_update"),
            slapb::METRIC_PERIODIC_UPDATE);
  EXPECT_EQ(*ParseSlaEventKind("k", "breached"),
            slapb::SLA_EVENT_KIND_BREACHED);
  EXPECT_EQ(*ParseSlaEventKind("k", "RETARGETED"),
            slapb::SLA_EVENT_KIND_RETARGETED);
  EXPECT_EQ(*ParseClockState("s", "paused"), slapb::CLOCK_STATE_PAUSED);
  EXPECT_EQ(*ParseReportDimension("g", "cx_level"),
            slapb::REPORT_DIMENSION_CX_LEVEL);
  EXPECT_EQ(*ParseReportDimension("g", "cx-level"),
            slapb::REPORT_DIMENSION_CX_LEVEL);
  EXPECT_EQ(ParseReportDimension("--group-by", "region").status().message(),
            "--group-by: 'region' is not one of team, agent, priority, kind, "
            "cx_level, policy, channel");
  EXPECT_FALSE(ParseMetric("m", "unspecified").ok());
}

TEST(EnumWordsTest, SlaWordsRoundTrip) {
  namespace slapb = ::cxdesk::sla::v1;
  for (int i = 1; i <= 4; ++i) {
    auto m = static_cast<slapb::Metric>(i);
    EXPECT_EQ(*ParseMetric("m", MetricWord(m)), m);
    auto s = static_cast<slapb::ClockState>(i);
    EXPECT_EQ(*ParseClockState("s", ClockStateWord(s)), s);
  }
  for (int i = 1; i <= 8; ++i) {
    auto k = static_cast<slapb::SlaEventKind>(i);
    EXPECT_EQ(*ParseSlaEventKind("k", SlaEventKindWord(k)), k);
  }
  for (int i = 1; i <= 7; ++i) {
    auto d = static_cast<slapb::ReportDimension>(i);
    EXPECT_EQ(*ParseReportDimension("d", ReportDimensionWord(d)), d);
  }
  EXPECT_EQ(MetricWords(),
            "first_response, next_response, periodic_update, resolution");
  EXPECT_EQ(SlaEventKindWords(),
            "started, paused, resumed, met, cancelled, retargeted, warned, "
            "breached");
  EXPECT_EQ(ClockStateWords(), "running, paused, met, cancelled");
  EXPECT_EQ(MetricWord(slapb::METRIC_UNSPECIFIED), "-");
  EXPECT_EQ(WeekdayWord(slapb::WEEKDAY_SUNDAY), "sun");
}

// Every word as the tables written by hand before the words were derived
// from the descriptors: the derivation and its exceptions change none.
TEST(EnumWordsTest, DerivedWordsAreTheHandWrittenOnes) {
  namespace slapb = ::cxdesk::sla::v1;
  namespace escpb = ::cxdesk::escalation::v1;
  EXPECT_EQ(EnumWord(ticketpb::STATUS_NEW), "new");
  EXPECT_EQ(EnumWord(ticketpb::STATUS_OPEN), "open");
  EXPECT_EQ(EnumWord(ticketpb::STATUS_PENDING), "pending");
  EXPECT_EQ(EnumWord(ticketpb::STATUS_ON_HOLD), "on-hold");
  EXPECT_EQ(EnumWord(ticketpb::STATUS_SOLVED), "solved");
  EXPECT_EQ(EnumWord(ticketpb::STATUS_CLOSED), "closed");
  EXPECT_EQ(EnumWords<ticketpb::Status>(),
            "new, open, pending, on-hold, solved, closed");
  EXPECT_EQ(EnumWord(ticketpb::PRIORITY_LOW), "low");
  EXPECT_EQ(EnumWord(ticketpb::PRIORITY_NORMAL), "normal");
  EXPECT_EQ(EnumWord(ticketpb::PRIORITY_HIGH), "high");
  EXPECT_EQ(EnumWord(ticketpb::PRIORITY_URGENT), "urgent");
  EXPECT_EQ(EnumWords<ticketpb::Priority>(), "low, normal, high, urgent");
  EXPECT_EQ(EnumWord(ticketpb::KIND_QUESTION), "question");
  EXPECT_EQ(EnumWord(ticketpb::KIND_INCIDENT), "incident");
  EXPECT_EQ(EnumWord(ticketpb::KIND_REQUEST), "request");
  EXPECT_EQ(EnumWord(ticketpb::KIND_COMPLAINT), "complaint");
  EXPECT_EQ(EnumWords<ticketpb::Kind>(),
            "question, incident, request, complaint");
  EXPECT_EQ(EnumWord(ticketpb::CX_LEVEL_PRODUCT), "product");
  EXPECT_EQ(EnumWord(ticketpb::CX_LEVEL_INTERACTION), "interaction");
  EXPECT_EQ(EnumWord(ticketpb::CX_LEVEL_SERVICE), "service");
  EXPECT_EQ(EnumWord(ticketpb::CX_LEVEL_EMOTION), "emotion");
  EXPECT_EQ(EnumWord(ticketpb::CX_LEVEL_BRAND), "brand");
  EXPECT_EQ(EnumWords<ticketpb::CxLevel>(),
            "product, interaction, service, emotion, brand");
  EXPECT_EQ(EnumWord(ticketpb::CHANNEL_EMAIL), "email");
  EXPECT_EQ(EnumWord(ticketpb::CHANNEL_WEB), "web");
  EXPECT_EQ(EnumWord(ticketpb::CHANNEL_PHONE), "phone");
  EXPECT_EQ(EnumWord(ticketpb::CHANNEL_CHAT), "chat");
  EXPECT_EQ(EnumWord(ticketpb::CHANNEL_SOCIAL), "social");
  EXPECT_EQ(EnumWord(ticketpb::CHANNEL_API), "api");
  EXPECT_EQ(EnumWords<ticketpb::Channel>(),
            "email, web, phone, chat, social, api");
  EXPECT_EQ(EnumWord(ticketpb::ROLE_CUSTOMER), "customer");
  EXPECT_EQ(EnumWord(ticketpb::ROLE_AGENT), "agent");
  EXPECT_EQ(EnumWord(ticketpb::ROLE_MANAGER), "manager");
  EXPECT_EQ(EnumWord(ticketpb::ROLE_SERVICE), "service");
  EXPECT_EQ(EnumWords<ticketpb::Role>(), "customer, agent, manager, service");
  EXPECT_EQ(EnumWord(ticketpb::EVENT_TYPE_CREATED), "created");
  EXPECT_EQ(EnumWord(ticketpb::EVENT_TYPE_UPDATED), "updated");
  EXPECT_EQ(EnumWord(ticketpb::EVENT_TYPE_COMMENT_ADDED), "comment");
  EXPECT_EQ(EnumWord(ticketpb::EVENT_TYPE_ASSIGNED), "assigned");
  EXPECT_EQ(EnumWord(ticketpb::EVENT_TYPE_STATUS_CHANGED), "status");
  EXPECT_EQ(EnumWord(ticketpb::EVENT_TYPE_RATED), "rated");
  EXPECT_EQ(EnumWords<ticketpb::EventType>(),
            "created, updated, comment, assigned, status, rated");
  EXPECT_EQ(EnumWord(ticketpb::VISIBILITY_PUBLIC), "public");
  EXPECT_EQ(EnumWord(ticketpb::VISIBILITY_INTERNAL), "internal");
  EXPECT_EQ(EnumWords<ticketpb::Visibility>(), "public, internal");
  EXPECT_EQ(EnumWord(slapb::METRIC_FIRST_RESPONSE), "first_response");
  EXPECT_EQ(EnumWord(slapb::METRIC_NEXT_RESPONSE), "next_response");
  EXPECT_EQ(EnumWord(slapb::METRIC_PERIODIC_UPDATE), "periodic_update");
  EXPECT_EQ(EnumWord(slapb::METRIC_RESOLUTION), "resolution");
  EXPECT_EQ(EnumWords<slapb::Metric>(),
            "first_response, next_response, periodic_update, resolution");
  EXPECT_EQ(EnumWord(slapb::SLA_EVENT_KIND_STARTED), "started");
  EXPECT_EQ(EnumWord(slapb::SLA_EVENT_KIND_PAUSED), "paused");
  EXPECT_EQ(EnumWord(slapb::SLA_EVENT_KIND_RESUMED), "resumed");
  EXPECT_EQ(EnumWord(slapb::SLA_EVENT_KIND_MET), "met");
  EXPECT_EQ(EnumWord(slapb::SLA_EVENT_KIND_CANCELLED), "cancelled");
  EXPECT_EQ(EnumWord(slapb::SLA_EVENT_KIND_RETARGETED), "retargeted");
  EXPECT_EQ(EnumWord(slapb::SLA_EVENT_KIND_WARNED), "warned");
  EXPECT_EQ(EnumWord(slapb::SLA_EVENT_KIND_BREACHED), "breached");
  EXPECT_EQ(
      EnumWords<slapb::SlaEventKind>(),
      "started, paused, resumed, met, cancelled, retargeted, warned, breached");
  EXPECT_EQ(EnumWord(slapb::CLOCK_STATE_RUNNING), "running");
  EXPECT_EQ(EnumWord(slapb::CLOCK_STATE_PAUSED), "paused");
  EXPECT_EQ(EnumWord(slapb::CLOCK_STATE_MET), "met");
  EXPECT_EQ(EnumWord(slapb::CLOCK_STATE_CANCELLED), "cancelled");
  EXPECT_EQ(EnumWords<slapb::ClockState>(), "running, paused, met, cancelled");
  EXPECT_EQ(EnumWord(slapb::REPORT_DIMENSION_TEAM), "team");
  EXPECT_EQ(EnumWord(slapb::REPORT_DIMENSION_AGENT), "agent");
  EXPECT_EQ(EnumWord(slapb::REPORT_DIMENSION_PRIORITY), "priority");
  EXPECT_EQ(EnumWord(slapb::REPORT_DIMENSION_KIND), "kind");
  EXPECT_EQ(EnumWord(slapb::REPORT_DIMENSION_CX_LEVEL), "cx_level");
  EXPECT_EQ(EnumWord(slapb::REPORT_DIMENSION_POLICY), "policy");
  EXPECT_EQ(EnumWord(slapb::REPORT_DIMENSION_CHANNEL), "channel");
  EXPECT_EQ(EnumWords<slapb::ReportDimension>(),
            "team, agent, priority, kind, cx_level, policy, channel");
  EXPECT_EQ(EnumWord(slapb::WEEKDAY_MONDAY), "mon");
  EXPECT_EQ(EnumWord(slapb::WEEKDAY_TUESDAY), "tue");
  EXPECT_EQ(EnumWord(slapb::WEEKDAY_WEDNESDAY), "wed");
  EXPECT_EQ(EnumWord(slapb::WEEKDAY_THURSDAY), "thu");
  EXPECT_EQ(EnumWord(slapb::WEEKDAY_FRIDAY), "fri");
  EXPECT_EQ(EnumWord(slapb::WEEKDAY_SATURDAY), "sat");
  EXPECT_EQ(EnumWord(slapb::WEEKDAY_SUNDAY), "sun");
  EXPECT_EQ(EnumWords<slapb::Weekday>(), "mon, tue, wed, thu, fri, sat, sun");
  EXPECT_EQ(EnumWord(escpb::AVAILABILITY_ONLINE), "online");
  EXPECT_EQ(EnumWord(escpb::AVAILABILITY_AWAY), "away");
  EXPECT_EQ(EnumWord(escpb::AVAILABILITY_OFFLINE), "offline");
  EXPECT_EQ(EnumWords<escpb::Availability>(), "online, away, offline");
  EXPECT_EQ(EnumWord(escpb::STRATEGY_ROUND_ROBIN), "round_robin");
  EXPECT_EQ(EnumWord(escpb::STRATEGY_LEAST_LOADED), "least_loaded");
  EXPECT_EQ(EnumWord(escpb::STRATEGY_SKILLS_FIRST), "skills_first");
  EXPECT_EQ(EnumWord(escpb::STRATEGY_QUEUE_ONLY), "queue_only");
  EXPECT_EQ(EnumWords<escpb::Strategy>(),
            "round_robin, least_loaded, skills_first, queue_only");
  EXPECT_EQ(EnumWord(escpb::ROUTING_OUTCOME_ASSIGNED), "assigned");
  EXPECT_EQ(EnumWord(escpb::ROUTING_OUTCOME_QUEUED), "queued");
  EXPECT_EQ(EnumWord(escpb::ROUTING_OUTCOME_ROUTED), "routed");
  EXPECT_EQ(EnumWords<escpb::RoutingOutcome>(), "assigned, queued, routed");
  EXPECT_EQ(EnumWord(escpb::ROUTING_TRIGGER_NEW_TICKET), "new ticket");
  EXPECT_EQ(EnumWord(escpb::ROUTING_TRIGGER_CAPACITY_FREED), "capacity freed");
  EXPECT_EQ(EnumWord(escpb::ROUTING_TRIGGER_MANUAL), "manual");
  EXPECT_EQ(EnumWord(escpb::ROUTING_TRIGGER_DRY_RUN), "dry run");
  EXPECT_EQ(EnumWords<escpb::RoutingTrigger>(),
            "new ticket, capacity freed, manual, dry run");
  EXPECT_EQ(EnumWord(escpb::TRIGGER_KIND_ON_WARNING), "on warning");
  EXPECT_EQ(EnumWord(escpb::TRIGGER_KIND_ON_BREACH), "on breach");
  EXPECT_EQ(EnumWord(escpb::TRIGGER_KIND_AFTER_BREACH), "after breach");
  EXPECT_EQ(EnumWords<escpb::TriggerKind>(),
            "on warning, on breach, after breach");
  EXPECT_EQ(EnumWord(escpb::ACTION_STATE_PENDING), "pending");
  EXPECT_EQ(EnumWord(escpb::ACTION_STATE_DONE), "done");
  EXPECT_EQ(EnumWord(escpb::ACTION_STATE_FAILED), "failed");
  EXPECT_EQ(EnumWord(escpb::ACTION_STATE_SKIPPED), "skipped");
  EXPECT_EQ(EnumWords<escpb::ActionState>(), "pending, done, failed, skipped");
  EXPECT_EQ(EnumWord(escpb::DELIVERY_STATE_PENDING), "pending");
  EXPECT_EQ(EnumWord(escpb::DELIVERY_STATE_DELIVERED), "delivered");
  EXPECT_EQ(EnumWord(escpb::DELIVERY_STATE_DEAD), "dead");
  EXPECT_EQ(EnumWords<escpb::DeliveryState>(), "pending, delivered, dead");
}

TEST(EnumWordsTest, GenericFunctionsTakeAnyEnum) {
  namespace escpb = ::cxdesk::escalation::v1;
  EXPECT_EQ(EnumWord(ticketpb::PRIORITY_HIGH), "high");
  EXPECT_EQ(EnumWord(ticketpb::PRIORITY_UNSPECIFIED), "-");
  EXPECT_EQ(EnumWord(static_cast<escpb::Strategy>(99)), "?99");
  EXPECT_EQ(*ParseEnumWord<escpb::Strategy>("--strategy", "Round-Robin"),
            escpb::STRATEGY_ROUND_ROBIN);
  EXPECT_EQ(ParseEnumWord<escpb::Strategy>("--strategy", "unspecified")
                .status()
                .message(),
            "--strategy: 'unspecified' is not one of round_robin, "
            "least_loaded, skills_first, queue_only");
}

}  // namespace
}  // namespace cxdesk::clients
