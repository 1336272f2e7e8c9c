#ifndef CXDESK_SERVICES_TICKET_TICKET_PROTO_H_
#define CXDESK_SERVICES_TICKET_TICKET_PROTO_H_

// Conversions between the ticket service's proto messages and its domain
// types, one explicitly named function per message. Requests -> domain
// return INVALID_ARGUMENT naming the field for values the proto does not
// know; domain -> proto cannot fail. Proto and domain enums share their
// numbering (checked by ticket_grpc_service_test).

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"
#include "services/ticket/ticket.h"
#include "services/ticket/ticket_manager.h"

namespace cxdesk::ticket {

// ---- requests -> domain ----
absl::StatusOr<NewTicketInput> NewTicketFromProto(
    const v1::CreateTicketRequest& r);
absl::StatusOr<TicketQuery> TicketQueryFromProto(
    const v1::ListTicketsRequest& r);
// INVALID_ARGUMENT for an empty mask, and for status, assignee and team,
// which change only through their own methods.
absl::StatusOr<TicketUpdate> TicketUpdateFromProto(
    const v1::UpdateTicketRequest& r);
absl::StatusOr<Visibility> VisibilityFromProto(int value);
absl::StatusOr<Status> StatusFromProto(int value, absl::string_view field);

// ---- domain -> proto ----
void RatingToProto(const Rating& in, v1::Rating* out);
void TicketToProto(const Ticket& in, v1::Ticket* out);
void CommentToProto(const Comment& in, v1::Comment* out);
void TicketEventToProto(const TicketEvent& in, v1::TicketEvent* out);
void StatusViewToProto(const StatusView& in, v1::TicketStatusView* out);

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_TICKET_PROTO_H_
