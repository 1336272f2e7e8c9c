#include "clients/cli/requests.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "clients/common/enum_words.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::cli {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;
namespace escpb = ::cxdesk::escalation::v1;

// The server's largest page of events and breaches.
constexpr int64_t kMaxPageSize = 1000;
// The escalation service's largest page.
constexpr int64_t kMaxEscalationPageSize = 500;

void SetTags(absl::string_view text,
             google::protobuf::RepeatedPtrField<std::string>* tags) {
  for (std::string& tag : SplitList(text)) tags->Add(std::move(tag));
}

// Keeps the first error the text-format parser reports.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!error_.empty()) return;
    // The parser counts from 0; editors count from 1.
    error_ =
        absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

// The instants of --since and --until, each if given.
struct Window {
  std::optional<absl::Time> since;
  std::optional<absl::Time> until;
};

// `from` and `to` name the flags: --since/--until (SLA) or --from/--to
// (escalation).
absl::StatusOr<Window> ParseWindow(const ParsedFlags& flags,
                                   const char* from = "since",
                                   const char* to = "until") {
  Window window;
  for (const auto& [flag, field] :
       {std::pair{from, &window.since}, std::pair{to, &window.until}}) {
    if (!flags.Has(flag)) continue;
    CXDESK_ASSIGN_OR_RETURN(
        *field, ParseTimeFlag(absl::StrCat("--", flag), flags.Get(flag)));
  }
  return window;
}

// Sets `start` and `end` from the window; unset ends stay unset.
template <typename Request>
void SetWindow(const Window& window, Request* request) {
  if (window.since.has_value()) {
    common::ToProtoTimestamp(*window.since, request->mutable_start_time());
  }
  if (window.until.has_value()) {
    common::ToProtoTimestamp(*window.until, request->mutable_end_time());
  }
}

absl::Status RequireWindow(const ParsedFlags& flags, const char* from = "since",
                           const char* to = "until") {
  for (const char* flag : {from, to}) {
    if (!flags.Has(flag)) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing required flag --", flag, " TIME"));
    }
  }
  return absl::OkStatus();
}

absl::Status AddGroupBy(const ParsedFlags& flags,
                        google::protobuf::RepeatedField<int>* group_by) {
  for (const std::string& word : SplitList(flags.Get("by"))) {
    CXDESK_ASSIGN_OR_RETURN(slapb::ReportDimension dimension,
                            ParseReportDimension("--by", word));
    group_by->Add(dimension);
  }
  return absl::OkStatus();
}

int32_t PageSizeFor(int64_t limit, int64_t max = kMaxPageSize) {
  return static_cast<int32_t>(limit > 0 ? std::min(limit, max) : max);
}

}  // namespace

absl::StatusOr<ticketpb::CreateTicketRequest> BuildCreateTicketRequest(
    const ParsedFlags& flags) {
  ticketpb::CreateTicketRequest request;
  request.set_subject(flags.Get("subject"));
  request.set_description(flags.Get("description"));
  request.set_customer_email(flags.Get("email"));
  request.set_customer_name(flags.Get("name"));
  if (flags.Has("kind")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Kind kind,
                            ParseKind("--kind", flags.Get("kind")));
    request.set_kind(kind);
  }
  if (flags.Has("cx-level")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::CxLevel level,
                            ParseCxLevel("--cx-level", flags.Get("cx-level")));
    request.set_cx_level(level);
  }
  if (flags.Has("priority")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Priority priority,
                            ParsePriority("--priority", flags.Get("priority")));
    request.set_priority(priority);
  }
  if (flags.Has("channel")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Channel channel,
                            ParseChannel("--channel", flags.Get("channel")));
    request.set_channel(channel);
  }
  SetTags(flags.Get("tags"), request.mutable_tags());
  request.set_request_id(flags.Get("request-id"));
  return request;
}

absl::StatusOr<ticketpb::ListTicketsRequest> BuildListTicketsRequest(
    const ParsedFlags& flags) {
  ticketpb::ListTicketsRequest request;
  for (const std::string& word : SplitList(flags.Get("status"))) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Status status,
                            ParseStatus("--status", word));
    request.add_statuses(status);
  }
  if (flags.Has("priority")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Priority priority,
                            ParsePriority("--priority", flags.Get("priority")));
    request.set_priority(priority);
  }
  if (flags.Has("kind")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Kind kind,
                            ParseKind("--kind", flags.Get("kind")));
    request.set_kind(kind);
  }
  if (flags.Has("cx-level")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::CxLevel level,
                            ParseCxLevel("--cx-level", flags.Get("cx-level")));
    request.set_cx_level(level);
  }
  request.set_assignee(flags.Get("assignee"));
  request.set_team(flags.Get("team"));
  request.set_customer_email(flags.Get("customer"));
  request.set_tag(flags.Get("tag"));
  request.set_unassigned(flags.Has("unassigned"));
  using MutableTime =
      google::protobuf::Timestamp* (ticketpb::ListTicketsRequest::*)();
  for (const auto& [flag, field] :
       {std::pair<const char*, MutableTime>{
            "created-after",
            &ticketpb::ListTicketsRequest::mutable_created_after},
        std::pair<const char*, MutableTime>{
            "created-before",
            &ticketpb::ListTicketsRequest::mutable_created_before}}) {
    if (!flags.Has(flag)) continue;
    CXDESK_ASSIGN_OR_RETURN(
        absl::Time t, ParseTimeFlag(absl::StrCat("--", flag), flags.Get(flag)));
    common::ToProtoTimestamp(t, (request.*field)());
  }
  request.set_order_by(flags.Get("order"));
  if (flags.Has("page-size")) {
    CXDESK_ASSIGN_OR_RETURN(
        int64_t size, ParseInt("--page-size", flags.Get("page-size"), 0, 500));
    request.set_page_size(static_cast<int32_t>(size));
  }
  request.set_page_token(flags.Get("page-token"));
  return request;
}

absl::StatusOr<ticketpb::UpdateTicketRequest> BuildUpdateTicketRequest(
    int64_t ticket_id, const ParsedFlags& flags) {
  ticketpb::UpdateTicketRequest request;
  ticketpb::Ticket* ticket = request.mutable_ticket();
  ticket->set_id(ticket_id);
  auto* mask = request.mutable_update_mask();
  if (flags.Has("subject")) {
    ticket->set_subject(flags.Get("subject"));
    mask->add_paths("subject");
  }
  if (flags.Has("description")) {
    ticket->set_description(flags.Get("description"));
    mask->add_paths("description");
  }
  if (flags.Has("kind")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Kind kind,
                            ParseKind("--kind", flags.Get("kind")));
    ticket->set_kind(kind);
    mask->add_paths("kind");
  }
  if (flags.Has("cx-level")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::CxLevel level,
                            ParseCxLevel("--cx-level", flags.Get("cx-level")));
    ticket->set_cx_level(level);
    mask->add_paths("cx_level");
  }
  if (flags.Has("priority")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Priority priority,
                            ParsePriority("--priority", flags.Get("priority")));
    ticket->set_priority(priority);
    mask->add_paths("priority");
  }
  if (flags.Has("channel")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Channel channel,
                            ParseChannel("--channel", flags.Get("channel")));
    ticket->set_channel(channel);
    mask->add_paths("channel");
  }
  if (flags.Has("tags")) {
    SetTags(flags.Get("tags"), ticket->mutable_tags());
    mask->add_paths("tags");
  }
  if (mask->paths_size() == 0) {
    return absl::InvalidArgumentError(
        "nothing to change: give at least one of --subject, --description, "
        "--kind, --cx-level, --priority, --channel, --tags");
  }
  request.set_etag(flags.Get("etag"));
  return request;
}

absl::StatusOr<ticketpb::AssignTicketRequest> BuildAssignTicketRequest(
    int64_t ticket_id, const ParsedFlags& flags) {
  if (!flags.Has("agent") && !flags.Has("team") && !flags.Has("unassign")) {
    return absl::InvalidArgumentError(
        "give at least one of --agent, --team, --unassign");
  }
  if (flags.Has("agent") && flags.Has("unassign")) {
    return absl::InvalidArgumentError(
        "--agent and --unassign cannot be used together");
  }
  ticketpb::AssignTicketRequest request;
  request.set_ticket_id(ticket_id);
  request.set_assignee(flags.Get("agent"));
  request.set_team(flags.Get("team"));
  request.set_unassign(flags.Has("unassign"));
  request.set_request_id(flags.Get("request-id"));
  return request;
}

absl::StatusOr<ticketpb::ChangeTicketStatusRequest> BuildChangeStatusRequest(
    int64_t ticket_id, absl::string_view status_word,
    const ParsedFlags& flags) {
  CXDESK_ASSIGN_OR_RETURN(ticketpb::Status status,
                          ParseStatus("STATUS", status_word));
  ticketpb::ChangeTicketStatusRequest request;
  request.set_ticket_id(ticket_id);
  request.set_status(status);
  request.set_reason(flags.Get("reason"));
  return request;
}

absl::StatusOr<ticketpb::RateTicketRequest> BuildRateTicketRequest(
    int64_t ticket_id, const ParsedFlags& flags) {
  CXDESK_ASSIGN_OR_RETURN(int64_t score,
                          ParseInt("--score", flags.Get("score"), 1, 5));
  ticketpb::RateTicketRequest request;
  request.set_ticket_id(ticket_id);
  request.set_score(static_cast<int32_t>(score));
  request.set_comment(flags.Get("comment"));
  return request;
}

absl::Status ParseTextProto(absl::string_view file_name,
                            const std::string& text,
                            google::protobuf::Message* message) {
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, message)) {
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, ": ",
        errors.error().empty()
            ? "not a " + message->GetTypeName() + " in protobuf text format"
            : errors.error()));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ParseLimit(const ParsedFlags& flags) {
  if (!flags.Has("limit")) return 0;
  return ParseInt("--limit", flags.Get("limit"), 1, 1000000);
}

absl::StatusOr<slapb::ListSlaEventsRequest> BuildListSlaEventsRequest(
    const ParsedFlags& flags) {
  slapb::ListSlaEventsRequest request;
  if (flags.Has("ticket")) {
    CXDESK_ASSIGN_OR_RETURN(int64_t id,
                            ParseTicketId("--ticket", flags.Get("ticket")));
    request.set_ticket_id(id);
  }
  for (const std::string& word : SplitList(flags.Get("kind"))) {
    CXDESK_ASSIGN_OR_RETURN(slapb::SlaEventKind kind,
                            ParseSlaEventKind("--kind", word));
    request.add_kinds(kind);
  }
  if (flags.Has("metric")) {
    CXDESK_ASSIGN_OR_RETURN(slapb::Metric metric,
                            ParseMetric("--metric", flags.Get("metric")));
    request.set_metric(metric);
  }
  CXDESK_ASSIGN_OR_RETURN(Window window, ParseWindow(flags));
  SetWindow(window, &request);
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, ParseLimit(flags));
  request.set_page_size(PageSizeFor(limit));
  return request;
}

absl::StatusOr<slapb::ListBreachesRequest> BuildListBreachesRequest(
    const ParsedFlags& flags) {
  slapb::ListBreachesRequest request;
  CXDESK_ASSIGN_OR_RETURN(Window window, ParseWindow(flags, "from", "to"));
  SetWindow(window, &request);
  request.set_team(flags.Get("team"));
  request.set_assignee(flags.Get("agent"));
  if (flags.Has("metric")) {
    CXDESK_ASSIGN_OR_RETURN(slapb::Metric metric,
                            ParseMetric("--metric", flags.Get("metric")));
    request.set_metric(metric);
  }
  if (flags.Has("priority")) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::Priority priority,
                            ParsePriority("--priority", flags.Get("priority")));
    request.set_priority(priority);
  }
  request.set_open_only(flags.Has("open"));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, ParseLimit(flags));
  request.set_page_size(PageSizeFor(limit));
  return request;
}

absl::StatusOr<slapb::GetSlaReportRequest> BuildSlaReportRequest(
    const ParsedFlags& flags) {
  CXDESK_RETURN_IF_ERROR(RequireWindow(flags, "from", "to"));
  slapb::GetSlaReportRequest request;
  CXDESK_ASSIGN_OR_RETURN(Window window, ParseWindow(flags, "from", "to"));
  SetWindow(window, &request);
  CXDESK_RETURN_IF_ERROR(AddGroupBy(flags, request.mutable_group_by()));
  return request;
}

absl::StatusOr<slapb::SimulatePolicyRequest> BuildSimulatePolicyRequest(
    slapb::Policy policy, const ParsedFlags& flags) {
  CXDESK_RETURN_IF_ERROR(RequireWindow(flags, "from", "to"));
  slapb::SimulatePolicyRequest request;
  *request.mutable_policy() = std::move(policy);
  CXDESK_ASSIGN_OR_RETURN(Window window, ParseWindow(flags, "from", "to"));
  SetWindow(window, &request);
  CXDESK_RETURN_IF_ERROR(AddGroupBy(flags, request.mutable_group_by()));
  return request;
}

absl::StatusOr<ReportFormat> ParseReportFormat(const ParsedFlags& flags) {
  const std::string format =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(flags.Get("format")));
  if (flags.Has("csv")) {
    if (!format.empty() && format != "csv") {
      return absl::InvalidArgumentError(absl::StrCat("--csv and --format ",
                                                     flags.Get("format"),
                                                     " contradict each other"));
    }
    return ReportFormat::kCsv;
  }
  if (format.empty() || format == "table") return ReportFormat::kTable;
  if (format == "csv") return ReportFormat::kCsv;
  return absl::InvalidArgumentError(absl::StrCat(
      "--format: '", flags.Get("format"), "' is not one of table, csv"));
}

absl::StatusOr<escpb::SetAgentAvailabilityRequest> BuildSetAvailabilityRequest(
    absl::string_view agent_id, absl::string_view state) {
  CXDESK_ASSIGN_OR_RETURN(escpb::Availability availability,
                          ParseAvailability("STATE", state));
  escpb::SetAgentAvailabilityRequest request;
  // The server takes an empty id for the caller.
  if (!absl::EqualsIgnoreCase(agent_id, "me")) {
    request.set_agent_id(std::string(agent_id));
  }
  request.set_availability(availability);
  return request;
}

absl::StatusOr<escpb::ListEscalationsRequest> BuildListEscalationsRequest(
    const ParsedFlags& flags) {
  escpb::ListEscalationsRequest request;
  if (flags.Has("ticket")) {
    CXDESK_ASSIGN_OR_RETURN(int64_t id,
                            ParseTicketId("--ticket", flags.Get("ticket")));
    request.set_ticket_id(id);
  }
  request.set_team_id(flags.Get("team"));
  if (flags.Has("level")) {
    CXDESK_ASSIGN_OR_RETURN(int64_t level,
                            ParseInt("--level", flags.Get("level"), 1, 1000));
    request.set_level(static_cast<int32_t>(level));
  }
  CXDESK_ASSIGN_OR_RETURN(Window window, ParseWindow(flags, "from", "to"));
  SetWindow(window, &request);
  if (flags.Has("acknowledged")) {
    const std::string word = absl::AsciiStrToLower(
        absl::StripAsciiWhitespace(flags.Get("acknowledged")));
    if (word == "yes") {
      request.set_acknowledged(true);
    } else if (word == "no") {
      request.set_acknowledged(false);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--acknowledged: '", flags.Get("acknowledged"),
                       "' is not one of yes, no"));
    }
  }
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, ParseLimit(flags));
  request.set_page_size(PageSizeFor(limit, kMaxEscalationPageSize));
  return request;
}

absl::StatusOr<escpb::ListNotificationsRequest> BuildListNotificationsRequest(
    const ParsedFlags& flags) {
  escpb::ListNotificationsRequest request;
  request.set_recipient(flags.Get("for"));
  request.set_unread_only(flags.Has("unread"));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, ParseLimit(flags));
  request.set_page_size(PageSizeFor(limit, kMaxEscalationPageSize));
  return request;
}

absl::StatusOr<escpb::MarkNotificationsReadRequest>
BuildMarkNotificationsReadRequest(const std::vector<std::string>& ids,
                                  const ParsedFlags& flags) {
  const bool all = flags.Has("all");
  if (all && !ids.empty()) {
    return absl::InvalidArgumentError(
        "give notification ids or --all, not both");
  }
  if (!all && ids.empty()) {
    return absl::InvalidArgumentError(
        "which notifications? give their ids, or --all");
  }
  escpb::MarkNotificationsReadRequest request;
  request.set_all(all);
  for (const std::string& text : ids) {
    absl::string_view digits = absl::StripAsciiWhitespace(text);
    absl::ConsumePrefix(&digits, "#");
    int64_t id = 0;
    if (!absl::SimpleAtoi(digits, &id) || id <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("ID: '", text, "' is not a notification number"));
    }
    request.add_notification_ids(id);
  }
  return request;
}

absl::StatusOr<escpb::ListWebhookDeliveriesRequest>
BuildListWebhookDeliveriesRequest(const ParsedFlags& flags) {
  escpb::ListWebhookDeliveriesRequest request;
  request.set_team_id(flags.Get("team"));
  if (flags.Has("state")) {
    CXDESK_ASSIGN_OR_RETURN(escpb::DeliveryState state,
                            ParseDeliveryState("--state", flags.Get("state")));
    request.set_state(state);
  }
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, ParseLimit(flags));
  request.set_page_size(PageSizeFor(limit, kMaxEscalationPageSize));
  return request;
}

absl::StatusOr<escpb::GetEscalationFiguresRequest>
BuildEscalationFiguresRequest(const ParsedFlags& flags) {
  CXDESK_RETURN_IF_ERROR(RequireWindow(flags, "from", "to"));
  escpb::GetEscalationFiguresRequest request;
  CXDESK_ASSIGN_OR_RETURN(Window window, ParseWindow(flags, "from", "to"));
  SetWindow(window, &request);
  return request;
}

}  // namespace cxdesk::clients::cli
