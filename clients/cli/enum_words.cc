#include "clients/cli/enum_words.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace cxdesk::clients::cli {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
namespace sla = ::cxdesk::sla::v1;
namespace esc = ::cxdesk::escalation::v1;

template <typename E>
struct Word {
  E value;
  const char* word;
};

// Lower case, '_' as '-': "ON_HOLD" and "on-hold" are the same word.
std::string Normalized(absl::string_view word) {
  return absl::StrReplaceAll(
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(word)), {{"_", "-"}});
}

// Tables list input words; UNSPECIFIED is absent so it can never be typed.
template <typename E, size_t N>
absl::StatusOr<E> ParseWord(const Word<E> (&table)[N], absl::string_view what,
                            absl::string_view word) {
  const std::string wanted = Normalized(word);
  for (const Word<E>& w : table) {
    if (wanted == Normalized(w.word)) return w.value;
  }
  std::string allowed;
  for (const Word<E>& w : table) {
    absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", w.word);
  }
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": '", word, "' is not one of ", allowed));
}

template <typename E, size_t N>
std::string Words(const Word<E> (&table)[N]) {
  std::string out;
  for (const Word<E>& w : table) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", w.word);
  }
  return out;
}

template <typename E, size_t N>
std::string WordOf(const Word<E> (&table)[N], E value) {
  if (static_cast<int>(value) == 0) return "-";
  for (const Word<E>& w : table) {
    if (w.value == value) return w.word;
  }
  return absl::StrCat("?", static_cast<int>(value));
}

constexpr Word<v1::Status> kStatuses[] = {
    {v1::STATUS_NEW, "new"},         {v1::STATUS_OPEN, "open"},
    {v1::STATUS_PENDING, "pending"}, {v1::STATUS_ON_HOLD, "on-hold"},
    {v1::STATUS_SOLVED, "solved"},   {v1::STATUS_CLOSED, "closed"},
};
constexpr Word<v1::Priority> kPriorities[] = {
    {v1::PRIORITY_LOW, "low"},
    {v1::PRIORITY_NORMAL, "normal"},
    {v1::PRIORITY_HIGH, "high"},
    {v1::PRIORITY_URGENT, "urgent"},
};
constexpr Word<v1::Kind> kKinds[] = {
    {v1::KIND_QUESTION, "question"},
    {v1::KIND_INCIDENT, "incident"},
    {v1::KIND_REQUEST, "request"},
    {v1::KIND_COMPLAINT, "complaint"},
};
constexpr Word<v1::CxLevel> kCxLevels[] = {
    {v1::CX_LEVEL_PRODUCT, "product"},
    {v1::CX_LEVEL_INTERACTION, "interaction"},
    {v1::CX_LEVEL_SERVICE, "service"},
    {v1::CX_LEVEL_EMOTION, "emotion"},
    {v1::CX_LEVEL_BRAND, "brand"},
};
constexpr Word<v1::Channel> kChannels[] = {
    {v1::CHANNEL_EMAIL, "email"},   {v1::CHANNEL_WEB, "web"},
    {v1::CHANNEL_PHONE, "phone"},   {v1::CHANNEL_CHAT, "chat"},
    {v1::CHANNEL_SOCIAL, "social"}, {v1::CHANNEL_API, "api"},
};
constexpr Word<v1::Role> kRoles[] = {
    {v1::ROLE_CUSTOMER, "customer"},
    {v1::ROLE_AGENT, "agent"},
    {v1::ROLE_MANAGER, "manager"},
    {v1::ROLE_SERVICE, "service"},
};
constexpr Word<v1::EventType> kEventTypes[] = {
    {v1::EVENT_TYPE_CREATED, "created"},
    {v1::EVENT_TYPE_UPDATED, "updated"},
    {v1::EVENT_TYPE_COMMENT_ADDED, "comment"},
    {v1::EVENT_TYPE_ASSIGNED, "assigned"},
    {v1::EVENT_TYPE_STATUS_CHANGED, "status"},
    {v1::EVENT_TYPE_RATED, "rated"},
};
constexpr Word<v1::Visibility> kVisibilities[] = {
    {v1::VISIBILITY_PUBLIC, "public"},
    {v1::VISIBILITY_INTERNAL, "internal"},
};

constexpr Word<sla::Metric> kMetrics[] = {
    {sla::METRIC_FIRST_RESPONSE, "first_response"},
    {sla::METRIC_NEXT_RESPONSE, "next_response"},
    {sla::METRIC_PERIODIC_UPDATE, "periodic_update"},
    {sla::METRIC_RESOLUTION, "resolution"},
};
constexpr Word<sla::SlaEventKind> kSlaEventKinds[] = {
    {sla::SLA_EVENT_KIND_STARTED, "started"},
    {sla::SLA_EVENT_KIND_PAUSED, "paused"},
    {sla::SLA_EVENT_KIND_RESUMED, "resumed"},
    {sla::SLA_EVENT_KIND_MET, "met"},
    {sla::SLA_EVENT_KIND_CANCELLED, "cancelled"},
    {sla::SLA_EVENT_KIND_RETARGETED, "retargeted"},
    {sla::SLA_EVENT_KIND_WARNED, "warned"},
    {sla::SLA_EVENT_KIND_BREACHED, "breached"},
};
constexpr Word<sla::ClockState> kClockStates[] = {
    {sla::CLOCK_STATE_RUNNING, "running"},
    {sla::CLOCK_STATE_PAUSED, "paused"},
    {sla::CLOCK_STATE_MET, "met"},
    {sla::CLOCK_STATE_CANCELLED, "cancelled"},
};
constexpr Word<sla::ReportDimension> kReportDimensions[] = {
    {sla::REPORT_DIMENSION_TEAM, "team"},
    {sla::REPORT_DIMENSION_AGENT, "agent"},
    {sla::REPORT_DIMENSION_PRIORITY, "priority"},
    {sla::REPORT_DIMENSION_KIND, "kind"},
    {sla::REPORT_DIMENSION_CX_LEVEL, "cx_level"},
    {sla::REPORT_DIMENSION_POLICY, "policy"},
    {sla::REPORT_DIMENSION_CHANNEL, "channel"},
};
constexpr Word<sla::Weekday> kWeekdays[] = {
    {sla::WEEKDAY_MONDAY, "mon"},    {sla::WEEKDAY_TUESDAY, "tue"},
    {sla::WEEKDAY_WEDNESDAY, "wed"}, {sla::WEEKDAY_THURSDAY, "thu"},
    {sla::WEEKDAY_FRIDAY, "fri"},    {sla::WEEKDAY_SATURDAY, "sat"},
    {sla::WEEKDAY_SUNDAY, "sun"},
};

constexpr Word<esc::Availability> kAvailabilities[] = {
    {esc::AVAILABILITY_ONLINE, "online"},
    {esc::AVAILABILITY_AWAY, "away"},
    {esc::AVAILABILITY_OFFLINE, "offline"},
};
constexpr Word<esc::Strategy> kStrategies[] = {
    {esc::STRATEGY_ROUND_ROBIN, "round_robin"},
    {esc::STRATEGY_LEAST_LOADED, "least_loaded"},
    {esc::STRATEGY_SKILLS_FIRST, "skills_first"},
    {esc::STRATEGY_QUEUE_ONLY, "queue_only"},
};
constexpr Word<esc::RoutingOutcome> kRoutingOutcomes[] = {
    {esc::ROUTING_OUTCOME_ASSIGNED, "assigned"},
    {esc::ROUTING_OUTCOME_QUEUED, "queued"},
    {esc::ROUTING_OUTCOME_ROUTED, "routed"},
};
constexpr Word<esc::RoutingTrigger> kRoutingTriggers[] = {
    {esc::ROUTING_TRIGGER_NEW_TICKET, "new ticket"},
    {esc::ROUTING_TRIGGER_CAPACITY_FREED, "capacity freed"},
    {esc::ROUTING_TRIGGER_MANUAL, "manual"},
    {esc::ROUTING_TRIGGER_DRY_RUN, "dry run"},
};
constexpr Word<esc::TriggerKind> kTriggerKinds[] = {
    {esc::TRIGGER_KIND_ON_WARNING, "on warning"},
    {esc::TRIGGER_KIND_ON_BREACH, "on breach"},
    {esc::TRIGGER_KIND_AFTER_BREACH, "after breach"},
};
constexpr Word<esc::ActionState> kActionStates[] = {
    {esc::ACTION_STATE_PENDING, "pending"},
    {esc::ACTION_STATE_DONE, "done"},
    {esc::ACTION_STATE_FAILED, "failed"},
    {esc::ACTION_STATE_SKIPPED, "skipped"},
};
constexpr Word<esc::DeliveryState> kDeliveryStates[] = {
    {esc::DELIVERY_STATE_PENDING, "pending"},
    {esc::DELIVERY_STATE_DELIVERED, "delivered"},
    {esc::DELIVERY_STATE_DEAD, "dead"},
};

}  // namespace

absl::StatusOr<v1::Status> ParseStatus(absl::string_view what,
                                       absl::string_view word) {
  return ParseWord(kStatuses, what, word);
}
absl::StatusOr<v1::Priority> ParsePriority(absl::string_view what,
                                           absl::string_view word) {
  return ParseWord(kPriorities, what, word);
}
absl::StatusOr<v1::Kind> ParseKind(absl::string_view what,
                                   absl::string_view word) {
  return ParseWord(kKinds, what, word);
}
absl::StatusOr<v1::CxLevel> ParseCxLevel(absl::string_view what,
                                         absl::string_view word) {
  return ParseWord(kCxLevels, what, word);
}
absl::StatusOr<v1::Channel> ParseChannel(absl::string_view what,
                                         absl::string_view word) {
  return ParseWord(kChannels, what, word);
}
absl::StatusOr<sla::Metric> ParseMetric(absl::string_view what,
                                        absl::string_view word) {
  return ParseWord(kMetrics, what, word);
}
absl::StatusOr<sla::SlaEventKind> ParseSlaEventKind(absl::string_view what,
                                                    absl::string_view word) {
  return ParseWord(kSlaEventKinds, what, word);
}
absl::StatusOr<sla::ClockState> ParseClockState(absl::string_view what,
                                                absl::string_view word) {
  return ParseWord(kClockStates, what, word);
}
absl::StatusOr<sla::ReportDimension> ParseReportDimension(
    absl::string_view what, absl::string_view word) {
  return ParseWord(kReportDimensions, what, word);
}

absl::StatusOr<esc::Availability> ParseAvailability(absl::string_view what,
                                                    absl::string_view word) {
  return ParseWord(kAvailabilities, what, word);
}
absl::StatusOr<esc::DeliveryState> ParseDeliveryState(absl::string_view what,
                                                      absl::string_view word) {
  return ParseWord(kDeliveryStates, what, word);
}

std::string StatusWords() { return Words(kStatuses); }
std::string PriorityWords() { return Words(kPriorities); }
std::string KindWords() { return Words(kKinds); }
std::string CxLevelWords() { return Words(kCxLevels); }
std::string ChannelWords() { return Words(kChannels); }
std::string MetricWords() { return Words(kMetrics); }
std::string SlaEventKindWords() { return Words(kSlaEventKinds); }
std::string ClockStateWords() { return Words(kClockStates); }
std::string ReportDimensionWords() { return Words(kReportDimensions); }
std::string AvailabilityWords() { return Words(kAvailabilities); }
std::string DeliveryStateWords() { return Words(kDeliveryStates); }

std::string StatusWord(v1::Status value) { return WordOf(kStatuses, value); }
std::string PriorityWord(v1::Priority value) {
  return WordOf(kPriorities, value);
}
std::string KindWord(v1::Kind value) { return WordOf(kKinds, value); }
std::string CxLevelWord(v1::CxLevel value) { return WordOf(kCxLevels, value); }
std::string ChannelWord(v1::Channel value) { return WordOf(kChannels, value); }
std::string RoleWord(v1::Role value) { return WordOf(kRoles, value); }
std::string EventTypeWord(v1::EventType value) {
  return WordOf(kEventTypes, value);
}
std::string VisibilityWord(v1::Visibility value) {
  return WordOf(kVisibilities, value);
}
std::string MetricWord(sla::Metric value) { return WordOf(kMetrics, value); }
std::string SlaEventKindWord(sla::SlaEventKind value) {
  return WordOf(kSlaEventKinds, value);
}
std::string ClockStateWord(sla::ClockState value) {
  return WordOf(kClockStates, value);
}
std::string ReportDimensionWord(sla::ReportDimension value) {
  return WordOf(kReportDimensions, value);
}
std::string WeekdayWord(sla::Weekday value) { return WordOf(kWeekdays, value); }
std::string AvailabilityWord(esc::Availability value) {
  return WordOf(kAvailabilities, value);
}
std::string StrategyWord(esc::Strategy value) {
  return WordOf(kStrategies, value);
}
std::string RoutingOutcomeWord(esc::RoutingOutcome value) {
  return WordOf(kRoutingOutcomes, value);
}
std::string RoutingTriggerWord(esc::RoutingTrigger value) {
  return WordOf(kRoutingTriggers, value);
}
std::string TriggerKindWord(esc::TriggerKind value) {
  return WordOf(kTriggerKinds, value);
}
std::string ActionStateWord(esc::ActionState value) {
  return WordOf(kActionStates, value);
}
std::string DeliveryStateWord(esc::DeliveryState value) {
  return WordOf(kDeliveryStates, value);
}

}  // namespace cxdesk::clients::cli
