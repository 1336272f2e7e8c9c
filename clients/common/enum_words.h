#ifndef CXDESK_CLIENTS_COMMON_ENUM_WORDS_H_
#define CXDESK_CLIENTS_COMMON_ENUM_WORDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "cxdesk/sla/v1/sla_service.pb.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace cxdesk::clients {

// The words people type and read for the API's enums, derived from the
// proto descriptors: a value's word is common::EnumValueWord (its name
// without the enum's prefix, lower-cased: PRIORITY_HIGH -> "high",
// METRIC_FIRST_RESPONSE -> "first_response"), except where an explicit
// exception in enum_words.cc says otherwise ("on-hold", "mon", "new
// ticket", ...). Input words are listed in the enum's order.

// The word for `number` of `type`: "-" for 0 (UNSPECIFIED), "?<number>" for
// a number this client does not know (a newer server).
std::string EnumWord(const google::protobuf::EnumDescriptor& type, int number);

// The input words of `type` (every value but 0), comma separated.
std::string EnumWords(const google::protobuf::EnumDescriptor& type);

// The number of the value of `type` whose word is `word` (see below for
// the matching); INVALID_ARGUMENT "<what>: '<word>' is not one of <words>".
absl::StatusOr<int> ParseEnumWord(const google::protobuf::EnumDescriptor& type,
                                  absl::string_view what,
                                  absl::string_view word);

// The same for a generated enum type E, e.g. EnumWord(v1::PRIORITY_HIGH).
template <typename E>
std::string EnumWord(E value) {
  return EnumWord(*google::protobuf::GetEnumDescriptor<E>(),
                  static_cast<int>(value));
}
template <typename E>
std::string EnumWords() {
  return EnumWords(*google::protobuf::GetEnumDescriptor<E>());
}
template <typename E>
absl::StatusOr<E> ParseEnumWord(absl::string_view what,
                                absl::string_view word) {
  absl::StatusOr<int> number =
      ParseEnumWord(*google::protobuf::GetEnumDescriptor<E>(), what, word);
  if (!number.ok()) return number.status();
  return static_cast<E>(*number);
}

// Named shorthands for the enums the clients show and take. Words of input:
// "on-hold" for STATUS_ON_HOLD, "cx level" values "product", "first_response"
// for METRIC_FIRST_RESPONSE, ... Parsing is case-insensitive and takes '_' and
// '-' for each other ("on_hold", "first-response"). A word that is not allowed
// is INVALID_ARGUMENT "<what>: '<word>' is not one of <the allowed words>",
// where `what` names the flag or argument (e.g. "--priority"). UNSPECIFIED is
// never accepted as input.
absl::StatusOr<ticket::v1::Status> ParseStatus(absl::string_view what,
                                               absl::string_view word);
absl::StatusOr<ticket::v1::Priority> ParsePriority(absl::string_view what,
                                                   absl::string_view word);
absl::StatusOr<ticket::v1::Kind> ParseKind(absl::string_view what,
                                           absl::string_view word);
absl::StatusOr<ticket::v1::CxLevel> ParseCxLevel(absl::string_view what,
                                                 absl::string_view word);
absl::StatusOr<ticket::v1::Channel> ParseChannel(absl::string_view what,
                                                 absl::string_view word);
absl::StatusOr<sla::v1::Metric> ParseMetric(absl::string_view what,
                                            absl::string_view word);
absl::StatusOr<sla::v1::SlaEventKind> ParseSlaEventKind(absl::string_view what,
                                                        absl::string_view word);
absl::StatusOr<sla::v1::ClockState> ParseClockState(absl::string_view what,
                                                    absl::string_view word);
absl::StatusOr<sla::v1::ReportDimension> ParseReportDimension(
    absl::string_view what, absl::string_view word);
absl::StatusOr<escalation::v1::Availability> ParseAvailability(
    absl::string_view what, absl::string_view word);
absl::StatusOr<escalation::v1::DeliveryState> ParseDeliveryState(
    absl::string_view what, absl::string_view word);

// The allowed words, comma separated ("low, normal, high, urgent").
std::string StatusWords();
std::string PriorityWords();
std::string KindWords();
std::string CxLevelWords();
std::string ChannelWords();
std::string MetricWords();
std::string SlaEventKindWords();
std::string ClockStateWords();
std::string ReportDimensionWords();
std::string AvailabilityWords();
std::string DeliveryStateWords();

// The word for a value; "-" for UNSPECIFIED, "?<number>" for a value this
// client does not know (a newer server).
std::string StatusWord(ticket::v1::Status value);
std::string PriorityWord(ticket::v1::Priority value);
std::string KindWord(ticket::v1::Kind value);
std::string CxLevelWord(ticket::v1::CxLevel value);
std::string ChannelWord(ticket::v1::Channel value);
std::string RoleWord(ticket::v1::Role value);
std::string EventTypeWord(ticket::v1::EventType value);
std::string VisibilityWord(ticket::v1::Visibility value);
std::string MetricWord(sla::v1::Metric value);
std::string SlaEventKindWord(sla::v1::SlaEventKind value);
std::string ClockStateWord(sla::v1::ClockState value);
std::string ReportDimensionWord(sla::v1::ReportDimension value);
// "mon" .. "sun".
std::string WeekdayWord(sla::v1::Weekday value);
// The escalation service: "online", "round_robin", "queued", "capacity
// freed", "on breach", "done", "delivered", ...
std::string AvailabilityWord(escalation::v1::Availability value);
std::string StrategyWord(escalation::v1::Strategy value);
std::string RoutingOutcomeWord(escalation::v1::RoutingOutcome value);
std::string RoutingTriggerWord(escalation::v1::RoutingTrigger value);
std::string TriggerKindWord(escalation::v1::TriggerKind value);
std::string ActionStateWord(escalation::v1::ActionState value);
std::string DeliveryStateWord(escalation::v1::DeliveryState value);

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_COMMON_ENUM_WORDS_H_
