#include "services/escalation/grpc_ticket_gateway.h"

#include <grpcpp/client_context.h>

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_words.h"

namespace cxdesk::escalation {

namespace ticketpb = ::cxdesk::ticket::v1;

namespace {

// How often RaisePriority re-reads and retries after a stale etag.
constexpr int kMaxRetries = 3;

}  // namespace

TicketToRoute ToTicketToRoute(const ticketpb::Ticket& ticket) {
  TicketToRoute r;
  r.id = ticket.id();
  r.kind = common::KindWord(ticket.kind());
  r.cx_level = common::CxLevelWord(ticket.cx_level());
  r.priority = common::PriorityWord(ticket.priority());
  r.channel = common::ChannelWord(ticket.channel());
  r.tags.assign(ticket.tags().begin(), ticket.tags().end());
  r.subject = ticket.subject();
  r.description = ticket.description();
  r.customer_email = ticket.customer().email();
  r.open = ticket.status() != ticketpb::STATUS_SOLVED &&
           ticket.status() != ticketpb::STATUS_CLOSED;
  r.assignee = ticket.assignee();
  return r;
}

GrpcTicketGateway::GrpcTicketGateway(
    std::unique_ptr<ticketpb::TicketService::StubInterface> stub,
    std::function<std::string()> bearer_token, absl::Duration timeout)
    : stub_(std::move(stub)),
      bearer_token_(std::move(bearer_token)),
      timeout_(timeout) {}

void GrpcTicketGateway::Prepare(grpc::ClientContext* context) const {
  // A deadline on the real clock: it bounds how long a worker waits.
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(timeout_));
  context->AddMetadata("authorization",
                       absl::StrCat("Bearer ", bearer_token_()));
}

absl::StatusOr<ticketpb::Ticket> GrpcTicketGateway::Read(int64_t ticket_id) {
  grpc::ClientContext context;
  Prepare(&context);
  ticketpb::GetTicketRequest request;
  request.set_ticket_id(ticket_id);
  ticketpb::Ticket ticket;
  const grpc::Status status = stub_->GetTicket(&context, request, &ticket);
  if (!status.ok()) return common::FromGrpcStatus(status);
  return ticket;
}

absl::Status GrpcTicketGateway::Assign(int64_t ticket_id,
                                       const std::string& assignee,
                                       const std::string& team, bool unassign,
                                       const std::string& request_id) {
  grpc::ClientContext context;
  Prepare(&context);
  ticketpb::AssignTicketRequest request;
  request.set_ticket_id(ticket_id);
  request.set_assignee(assignee);
  request.set_team(team);
  request.set_unassign(unassign);
  request.set_request_id(request_id);
  ticketpb::Ticket response;
  return common::FromGrpcStatus(
      stub_->AssignTicket(&context, request, &response));
}

absl::StatusOr<std::string> GrpcTicketGateway::RaisePriority(
    int64_t ticket_id, const std::string& request_id) {
  absl::Status last;
  for (int attempt = 0; attempt <= kMaxRetries; ++attempt) {
    absl::StatusOr<ticketpb::Ticket> ticket = Read(ticket_id);
    if (!ticket.ok()) return ticket.status();
    const ticketpb::Priority current = ticket->priority();
    if (current == ticketpb::PRIORITY_URGENT) return "priority already urgent";
    if (current < ticketpb::PRIORITY_LOW || current > ticketpb::PRIORITY_HIGH) {
      return absl::InternalError(absl::StrCat(
          "ticket ", ticket_id, " has no known priority (", current, ")"));
    }
    const auto next = static_cast<ticketpb::Priority>(current + 1);

    grpc::ClientContext context;
    Prepare(&context);
    ticketpb::UpdateTicketRequest request;
    request.mutable_ticket()->set_id(ticket_id);
    request.mutable_ticket()->set_priority(next);
    request.mutable_update_mask()->add_paths("priority");
    request.set_etag(ticket->etag());
    request.set_request_id(request_id);
    ticketpb::Ticket updated;
    const grpc::Status status =
        stub_->UpdateTicket(&context, request, &updated);
    if (status.error_code() == grpc::StatusCode::ABORTED) {
      // Someone changed the ticket since it was read: read it again.
      last = common::FromGrpcStatus(status);
      continue;
    }
    if (!status.ok()) return common::FromGrpcStatus(status);
    if (updated.priority() != next) {
      // The request_id was used before: the ticket came back as it is.
      return absl::StrCat("priority already raised (now ",
                          common::PriorityWord(updated.priority()), ")");
    }
    return absl::StrCat("priority ", common::PriorityWord(current), " -> ",
                        common::PriorityWord(updated.priority()));
  }
  return last;
}

absl::Status GrpcTicketGateway::AddNote(int64_t ticket_id,
                                        const std::string& text,
                                        const std::string& request_id) {
  grpc::ClientContext context;
  Prepare(&context);
  ticketpb::AddCommentRequest request;
  request.set_ticket_id(ticket_id);
  request.set_visibility(ticketpb::VISIBILITY_INTERNAL);
  request.set_body(text);
  request.set_request_id(request_id);
  ticketpb::Comment response;
  return common::FromGrpcStatus(
      stub_->AddComment(&context, request, &response));
}

absl::StatusOr<TicketToRoute> GrpcTicketGateway::GetTicket(int64_t ticket_id) {
  absl::StatusOr<ticketpb::Ticket> ticket = Read(ticket_id);
  if (!ticket.ok()) return ticket.status();
  return ToTicketToRoute(*ticket);
}

}  // namespace cxdesk::escalation
