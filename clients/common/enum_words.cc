#include "clients/common/enum_words.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/proto_words.h"

namespace cxdesk::clients {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
namespace sla = ::cxdesk::sla::v1;
namespace esc = ::cxdesk::escalation::v1;

// A value whose word is not its derived one (common::EnumValueWord).
struct Exception {
  const char* type;   // the enum's full name
  const char* value;  // the value's name
  const char* word;
};

// The exceptions: only where the words people have typed and read differ
// from the derived ones.
constexpr Exception kExceptions[] = {
    {"cxdesk.ticket.v1.Status", "STATUS_ON_HOLD", "on-hold"},
    {"cxdesk.ticket.v1.EventType", "EVENT_TYPE_COMMENT_ADDED", "comment"},
    {"cxdesk.ticket.v1.EventType", "EVENT_TYPE_STATUS_CHANGED", "status"},
    {"cxdesk.sla.v1.Weekday", "WEEKDAY_MONDAY", "mon"},
    {"cxdesk.sla.v1.Weekday", "WEEKDAY_TUESDAY", "tue"},
    {"cxdesk.sla.v1.Weekday", "WEEKDAY_WEDNESDAY", "wed"},
    {"cxdesk.sla.v1.Weekday", "WEEKDAY_THURSDAY", "thu"},
    {"cxdesk.sla.v1.Weekday", "WEEKDAY_FRIDAY", "fri"},
    {"cxdesk.sla.v1.Weekday", "WEEKDAY_SATURDAY", "sat"},
    {"cxdesk.sla.v1.Weekday", "WEEKDAY_SUNDAY", "sun"},
    {"cxdesk.escalation.v1.RoutingTrigger", "ROUTING_TRIGGER_NEW_TICKET",
     "new ticket"},
    {"cxdesk.escalation.v1.RoutingTrigger", "ROUTING_TRIGGER_CAPACITY_FREED",
     "capacity freed"},
    {"cxdesk.escalation.v1.RoutingTrigger", "ROUTING_TRIGGER_DRY_RUN",
     "dry run"},
    {"cxdesk.escalation.v1.TriggerKind", "TRIGGER_KIND_ON_WARNING",
     "on warning"},
    {"cxdesk.escalation.v1.TriggerKind", "TRIGGER_KIND_ON_BREACH", "on breach"},
    {"cxdesk.escalation.v1.TriggerKind", "TRIGGER_KIND_AFTER_BREACH",
     "after breach"},
};

// The word of a value the enum has (not 0).
std::string WordOf(const google::protobuf::EnumValueDescriptor& value) {
  for (const Exception& e : kExceptions) {
    if (value.type()->full_name() == e.type && value.name() == e.value) {
      return e.word;
    }
  }
  return common::EnumValueWord(*value.type(), value.number());
}

// Lower case, '_' as '-': "ON_HOLD" and "on-hold" are the same word.
std::string Normalized(absl::string_view word) {
  return absl::StrReplaceAll(
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(word)), {{"_", "-"}});
}

}  // namespace

std::string EnumWord(const google::protobuf::EnumDescriptor& type, int number) {
  if (number == 0) return "-";
  const google::protobuf::EnumValueDescriptor* value =
      type.FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat("?", number);
  return WordOf(*value);
}

std::string EnumWords(const google::protobuf::EnumDescriptor& type) {
  std::string out;
  for (int i = 0; i < type.value_count(); ++i) {
    if (type.value(i)->number() == 0) continue;
    absl::StrAppend(&out, out.empty() ? "" : ", ", WordOf(*type.value(i)));
  }
  return out;
}

absl::StatusOr<int> ParseEnumWord(const google::protobuf::EnumDescriptor& type,
                                  absl::string_view what,
                                  absl::string_view word) {
  // UNSPECIFIED is skipped so it can never be typed.
  const std::string wanted = Normalized(word);
  for (int i = 0; i < type.value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor& value = *type.value(i);
    if (value.number() != 0 && wanted == Normalized(WordOf(value))) {
      return value.number();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": '", word, "' is not one of ", EnumWords(type)));
}

absl::StatusOr<v1::Status> ParseStatus(absl::string_view what,
                                       absl::string_view word) {
  return ParseEnumWord<v1::Status>(what, word);
}

absl::StatusOr<v1::Priority> ParsePriority(absl::string_view what,
                                           absl::string_view word) {
  return ParseEnumWord<v1::Priority>(what, word);
}

absl::StatusOr<v1::Kind> ParseKind(absl::string_view what,
                                   absl::string_view word) {
  return ParseEnumWord<v1::Kind>(what, word);
}

absl::StatusOr<v1::CxLevel> ParseCxLevel(absl::string_view what,
                                         absl::string_view word) {
  return ParseEnumWord<v1::CxLevel>(what, word);
}

absl::StatusOr<v1::Channel> ParseChannel(absl::string_view what,
                                         absl::string_view word) {
  return ParseEnumWord<v1::Channel>(what, word);
}

absl::StatusOr<sla::Metric> ParseMetric(absl::string_view what,
                                        absl::string_view word) {
  return ParseEnumWord<sla::Metric>(what, word);
}

absl::StatusOr<sla::SlaEventKind> ParseSlaEventKind(absl::string_view what,
                                                    absl::string_view word) {
  return ParseEnumWord<sla::SlaEventKind>(what, word);
}

absl::StatusOr<sla::ClockState> ParseClockState(absl::string_view what,
                                                absl::string_view word) {
  return ParseEnumWord<sla::ClockState>(what, word);
}

absl::StatusOr<sla::ReportDimension> ParseReportDimension(
    absl::string_view what, absl::string_view word) {
  return ParseEnumWord<sla::ReportDimension>(what, word);
}

absl::StatusOr<esc::Availability> ParseAvailability(absl::string_view what,
                                                    absl::string_view word) {
  return ParseEnumWord<esc::Availability>(what, word);
}

absl::StatusOr<esc::DeliveryState> ParseDeliveryState(absl::string_view what,
                                                      absl::string_view word) {
  return ParseEnumWord<esc::DeliveryState>(what, word);
}
std::string StatusWords() { return EnumWords<v1::Status>(); }
std::string PriorityWords() { return EnumWords<v1::Priority>(); }
std::string KindWords() { return EnumWords<v1::Kind>(); }
std::string CxLevelWords() { return EnumWords<v1::CxLevel>(); }
std::string ChannelWords() { return EnumWords<v1::Channel>(); }
std::string MetricWords() { return EnumWords<sla::Metric>(); }
std::string SlaEventKindWords() { return EnumWords<sla::SlaEventKind>(); }
std::string ClockStateWords() { return EnumWords<sla::ClockState>(); }
std::string ReportDimensionWords() { return EnumWords<sla::ReportDimension>(); }
std::string AvailabilityWords() { return EnumWords<esc::Availability>(); }
std::string DeliveryStateWords() { return EnumWords<esc::DeliveryState>(); }
std::string StatusWord(v1::Status value) { return EnumWord(value); }
std::string PriorityWord(v1::Priority value) { return EnumWord(value); }
std::string KindWord(v1::Kind value) { return EnumWord(value); }
std::string CxLevelWord(v1::CxLevel value) { return EnumWord(value); }
std::string ChannelWord(v1::Channel value) { return EnumWord(value); }
std::string RoleWord(v1::Role value) { return EnumWord(value); }
std::string EventTypeWord(v1::EventType value) { return EnumWord(value); }
std::string VisibilityWord(v1::Visibility value) { return EnumWord(value); }
std::string MetricWord(sla::Metric value) { return EnumWord(value); }
std::string SlaEventKindWord(sla::SlaEventKind value) {
  return EnumWord(value);
}
std::string ClockStateWord(sla::ClockState value) { return EnumWord(value); }
std::string ReportDimensionWord(sla::ReportDimension value) {
  return EnumWord(value);
}
std::string WeekdayWord(sla::Weekday value) { return EnumWord(value); }
std::string AvailabilityWord(esc::Availability value) {
  return EnumWord(value);
}
std::string StrategyWord(esc::Strategy value) { return EnumWord(value); }
std::string RoutingOutcomeWord(esc::RoutingOutcome value) {
  return EnumWord(value);
}
std::string RoutingTriggerWord(esc::RoutingTrigger value) {
  return EnumWord(value);
}
std::string TriggerKindWord(esc::TriggerKind value) { return EnumWord(value); }
std::string ActionStateWord(esc::ActionState value) { return EnumWord(value); }
std::string DeliveryStateWord(esc::DeliveryState value) {
  return EnumWord(value);
}

}  // namespace cxdesk::clients
