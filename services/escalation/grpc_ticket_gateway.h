#ifndef CXDESK_SERVICES_ESCALATION_GRPC_TICKET_GATEWAY_H_
#define CXDESK_SERVICES_ESCALATION_GRPC_TICKET_GATEWAY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "services/escalation/directory.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// The routing fields of a ticket as words: id, kind, CX level, priority,
// channel, tags, subject, description (empty in stream snapshots) and the
// customer's e-mail address. Unspecified enums become "".
TicketToRoute ToTicketToRoute(const ::cxdesk::ticket::v1::Ticket& ticket);

// TicketGateway over the ticket service (cxdesk.ticket.v1.TicketService).
// Every call carries `bearer_token()` (called once per call, so the provider
// may renew it; it should be a service-role token) and a deadline of
// `timeout`. Errors are the ticket service's codes as abseil codes
// (common::FromGrpcStatus), UNAVAILABLE / DEADLINE_EXCEEDED from the
// transport. Writes send the caller's request_id, so a retry after a lost
// reply never acts twice. Thread-safe.
class GrpcTicketGateway final : public TicketGateway {
 public:
  GrpcTicketGateway(
      std::unique_ptr<::cxdesk::ticket::v1::TicketService::StubInterface> stub,
      std::function<std::string()> bearer_token,
      absl::Duration timeout = absl::Seconds(2));

  // AssignTicket with the request_id.
  absl::Status Assign(int64_t ticket_id, const std::string& assignee,
                      const std::string& team, bool unassign,
                      const std::string& request_id) override;
  // GetTicket, then (unless already urgent) UpdateTicket of the priority
  // alone with the etag read and the request_id. ABORTED (the ticket
  // changed in between) re-reads and retries, at most 3 times; after that
  // the ABORTED is returned. The detail is "priority high -> urgent",
  // "priority already urgent", or, when the ticket service answers with a
  // priority other than the one asked (a replayed request_id returns the
  // ticket unchanged: an earlier attempt already raised it), "priority
  // already raised (now high)". INTERNAL if the ticket has no known
  // priority.
  absl::StatusOr<std::string> RaisePriority(
      int64_t ticket_id, const std::string& request_id) override;
  // AddComment with internal visibility and the request_id.
  absl::Status AddNote(int64_t ticket_id, const std::string& text,
                       const std::string& request_id) override;
  // GetTicket as ToTicketToRoute.
  absl::StatusOr<TicketToRoute> GetTicket(int64_t ticket_id) override;

 private:
  // Sets the deadline and the authorization metadata of one call.
  void Prepare(grpc::ClientContext* context) const;
  absl::StatusOr<::cxdesk::ticket::v1::Ticket> Read(int64_t ticket_id);

  const std::unique_ptr<::cxdesk::ticket::v1::TicketService::StubInterface>
      stub_;
  const std::function<std::string()> bearer_token_;
  const absl::Duration timeout_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_GRPC_TICKET_GATEWAY_H_
