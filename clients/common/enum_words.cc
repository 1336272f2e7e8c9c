#include "clients/common/enum_words.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/proto_words.h"

namespace cxdesk::clients {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;
namespace escpb = ::cxdesk::escalation::v1;

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

absl::StatusOr<ticketpb::Status> ParseStatus(absl::string_view what,
                                             absl::string_view word) {
  return ParseEnumWord<ticketpb::Status>(what, word);
}

absl::StatusOr<ticketpb::Priority> ParsePriority(absl::string_view what,
                                                 absl::string_view word) {
  return ParseEnumWord<ticketpb::Priority>(what, word);
}

absl::StatusOr<ticketpb::Kind> ParseKind(absl::string_view what,
                                         absl::string_view word) {
  return ParseEnumWord<ticketpb::Kind>(what, word);
}

absl::StatusOr<ticketpb::CxLevel> ParseCxLevel(absl::string_view what,
                                               absl::string_view word) {
  return ParseEnumWord<ticketpb::CxLevel>(what, word);
}

absl::StatusOr<ticketpb::Channel> ParseChannel(absl::string_view what,
                                               absl::string_view word) {
  return ParseEnumWord<ticketpb::Channel>(what, word);
}

absl::StatusOr<slapb::Metric> ParseMetric(absl::string_view what,
                                          absl::string_view word) {
  return ParseEnumWord<slapb::Metric>(what, word);
}

absl::StatusOr<slapb::SlaEventKind> ParseSlaEventKind(absl::string_view what,
                                                      absl::string_view word) {
  return ParseEnumWord<slapb::SlaEventKind>(what, word);
}

absl::StatusOr<slapb::ClockState> ParseClockState(absl::string_view what,
                                                  absl::string_view word) {
  return ParseEnumWord<slapb::ClockState>(what, word);
}

absl::StatusOr<slapb::ReportDimension> ParseReportDimension(
    absl::string_view what, absl::string_view word) {
  return ParseEnumWord<slapb::ReportDimension>(what, word);
}

absl::StatusOr<escpb::Availability> ParseAvailability(absl::string_view what,
                                                      absl::string_view word) {
  return ParseEnumWord<escpb::Availability>(what, word);
}

absl::StatusOr<escpb::DeliveryState> ParseDeliveryState(
    absl::string_view what, absl::string_view word) {
  return ParseEnumWord<escpb::DeliveryState>(what, word);
}
std::string StatusWords() { return EnumWords<ticketpb::Status>(); }
std::string PriorityWords() { return EnumWords<ticketpb::Priority>(); }
std::string KindWords() { return EnumWords<ticketpb::Kind>(); }
std::string CxLevelWords() { return EnumWords<ticketpb::CxLevel>(); }
std::string ChannelWords() { return EnumWords<ticketpb::Channel>(); }
std::string MetricWords() { return EnumWords<slapb::Metric>(); }
std::string SlaEventKindWords() { return EnumWords<slapb::SlaEventKind>(); }
std::string ClockStateWords() { return EnumWords<slapb::ClockState>(); }
std::string ReportDimensionWords() {
  return EnumWords<slapb::ReportDimension>();
}
std::string AvailabilityWords() { return EnumWords<escpb::Availability>(); }
std::string DeliveryStateWords() { return EnumWords<escpb::DeliveryState>(); }
std::string StatusWord(ticketpb::Status value) { return EnumWord(value); }
std::string PriorityWord(ticketpb::Priority value) { return EnumWord(value); }
std::string KindWord(ticketpb::Kind value) { return EnumWord(value); }
std::string CxLevelWord(ticketpb::CxLevel value) { return EnumWord(value); }
std::string ChannelWord(ticketpb::Channel value) { return EnumWord(value); }
std::string RoleWord(ticketpb::Role value) { return EnumWord(value); }
std::string EventTypeWord(ticketpb::EventType value) { return EnumWord(value); }
std::string VisibilityWord(ticketpb::Visibility value) {
  return EnumWord(value);
}
std::string MetricWord(slapb::Metric value) { return EnumWord(value); }
std::string SlaEventKindWord(slapb::SlaEventKind value) {
  return EnumWord(value);
}
std::string ClockStateWord(slapb::ClockState value) { return EnumWord(value); }
std::string ReportDimensionWord(slapb::ReportDimension value) {
  return EnumWord(value);
}
std::string WeekdayWord(slapb::Weekday value) { return EnumWord(value); }
std::string AvailabilityWord(escpb::Availability value) {
  return EnumWord(value);
}
std::string StrategyWord(escpb::Strategy value) { return EnumWord(value); }
std::string RoutingOutcomeWord(escpb::RoutingOutcome value) {
  return EnumWord(value);
}
std::string RoutingTriggerWord(escpb::RoutingTrigger value) {
  return EnumWord(value);
}
std::string TriggerKindWord(escpb::TriggerKind value) {
  return EnumWord(value);
}
std::string ActionStateWord(escpb::ActionState value) {
  return EnumWord(value);
}
std::string DeliveryStateWord(escpb::DeliveryState value) {
  return EnumWord(value);
}

}  // namespace cxdesk::clients
