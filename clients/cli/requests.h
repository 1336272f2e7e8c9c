#ifndef CXDESK_CLIENTS_CLI_REQUESTS_H_
#define CXDESK_CLIENTS_CLI_REQUESTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/common/arg_parser.h"
#include "clients/common/arg_values.h"
#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "cxdesk/sla/v1/sla_service.pb.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"
#include "google/protobuf/message.h"

namespace cxdesk::clients::cli {

// Request building from command-line flags. Every error here is a usage
// error: INVALID_ARGUMENT whose message names the flag or argument and says
// what is allowed. Values the server validates anyway (lengths, formats) are
// passed through unchecked so there is one source of truth.

// ticket create: --subject --description --email [--name] [--kind]
// [--cx-level] [--priority] [--channel] [--tags] [--request-id].
absl::StatusOr<ticket::v1::CreateTicketRequest> BuildCreateTicketRequest(
    const ParsedFlags& flags);

// ticket list: [--status a,b] [--priority] [--kind] [--cx-level] [--assignee]
// [--team] [--customer] [--tag] [--unassigned] [--order] [--page-size]
// [--page-token].
absl::StatusOr<ticket::v1::ListTicketsRequest> BuildListTicketsRequest(
    const ParsedFlags& flags);

// ticket update ID: the update mask names exactly the fields whose flags were
// given, in the proto's field order (subject, description, kind, cx_level,
// priority, channel, tags); `--tags ""` clears the tags. At least one field
// flag is required. --etag is passed as is.
absl::StatusOr<ticket::v1::UpdateTicketRequest> BuildUpdateTicketRequest(
    int64_t ticket_id, const ParsedFlags& flags);

// ticket assign ID: [--agent A] [--team T] [--unassign] [--request-id R]; at
// least one of the first three; --agent and --unassign exclude each other.
absl::StatusOr<ticket::v1::AssignTicketRequest> BuildAssignTicketRequest(
    int64_t ticket_id, const ParsedFlags& flags);

// ticket status ID STATUS [--reason R].
absl::StatusOr<ticket::v1::ChangeTicketStatusRequest> BuildChangeStatusRequest(
    int64_t ticket_id, absl::string_view status_word, const ParsedFlags& flags);

// ticket rate ID --score 1..5 [--comment C].
absl::StatusOr<ticket::v1::RateTicketRequest> BuildRateTicketRequest(
    int64_t ticket_id, const ParsedFlags& flags);

// --- the SLA service ---------------------------------------------------------

// Parses `text`, the contents of the file `file_name`, into `message` in
// protobuf text format (fields not given stay unset). INVALID_ARGUMENT
// "<file_name>: line L, column C: <what the parser says>" for the first
// error (1-based).
absl::Status ParseTextProto(absl::string_view file_name,
                            const std::string& text,
                            google::protobuf::Message* message);

// --limit N: at most N results, 1..1,000,000; 0 when not given.
absl::StatusOr<int64_t> ParseLimit(const ParsedFlags& flags);

// sla events: [--ticket N] [--kind a,b] [--metric M] [--since TIME]
// [--until TIME] [--limit N]. The page size is the server's maximum (1000),
// or the limit if that is smaller.
absl::StatusOr<sla::v1::ListSlaEventsRequest> BuildListSlaEventsRequest(
    const ParsedFlags& flags);

// sla breaches: [--team T] [--agent A] [--metric M] [--priority P] [--open]
// [--since TIME] [--until TIME] [--limit N]; page size as for events.
absl::StatusOr<sla::v1::ListBreachesRequest> BuildListBreachesRequest(
    const ParsedFlags& flags);

// sla report: --since TIME --until TIME [--group-by a,b] (the flags are
// required: INVALID_ARGUMENT naming the missing one).
absl::StatusOr<sla::v1::GetSlaReportRequest> BuildSlaReportRequest(
    const ParsedFlags& flags);

// sla simulate: the draft `policy` with the same window and grouping flags
// as sla report.
absl::StatusOr<sla::v1::SimulatePolicyRequest> BuildSimulatePolicyRequest(
    sla::v1::Policy policy, const ParsedFlags& flags);

// How a report is printed: --format table (default) or csv.
enum class ReportFormat { kTable, kCsv };
absl::StatusOr<ReportFormat> ParseReportFormat(const ParsedFlags& flags);

// --- the escalation service
// ----------------------------------------------------

// agent availability ID STATE: ID "me" (any case) is the caller (sent as an
// empty agent_id); STATE one of online, away, offline.
absl::StatusOr<escalation::v1::SetAgentAvailabilityRequest>
BuildSetAvailabilityRequest(absl::string_view agent_id,
                            absl::string_view state);

// escalations: [--ticket N] [--team T] [--level N] [--from TIME] [--to TIME]
// [--acknowledged yes|no] [--limit N]. The page size is the server's maximum
// (500), or the limit if that is smaller.
absl::StatusOr<escalation::v1::ListEscalationsRequest>
BuildListEscalationsRequest(const ParsedFlags& flags);

// notifications: [--for AGENT] [--unread] [--limit N]; page size as above.
absl::StatusOr<escalation::v1::ListNotificationsRequest>
BuildListNotificationsRequest(const ParsedFlags& flags);

// notifications read: the notification ids (positive whole numbers, "#12"
// taken) or --all; exactly one of the two.
absl::StatusOr<escalation::v1::MarkNotificationsReadRequest>
BuildMarkNotificationsReadRequest(const std::vector<std::string>& ids,
                                  const ParsedFlags& flags);

// webhooks: [--team T] [--state pending|delivered|dead] [--limit N]; page
// size as above.
absl::StatusOr<escalation::v1::ListWebhookDeliveriesRequest>
BuildListWebhookDeliveriesRequest(const ParsedFlags& flags);

// escalation figures: --from TIME --to TIME (both required: INVALID_ARGUMENT
// naming the missing one).
absl::StatusOr<escalation::v1::GetEscalationFiguresRequest>
BuildEscalationFiguresRequest(const ParsedFlags& flags);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_REQUESTS_H_
