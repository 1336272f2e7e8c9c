#ifndef CXDESK_CLIENTS_LIB_TICKET_CLIENT_H_
#define CXDESK_CLIENTS_LIB_TICKET_CLIENT_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/lib/call_setup.h"
#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace cxdesk::clients {

// A thin StatusOr API over the ticket service's gRPC stub. Every unary call
// carries the credentials and a deadline of `timeout` from the moment it
// starts; server errors come back with the server's code and message
// (converted by common::FromGrpcStatus), transport failures as UNAVAILABLE or
// DEADLINE_EXCEEDED. Thread-safe: calls may run concurrently, also with
// set_credentials (a call uses the credentials current when it starts).
class TicketClient {
 public:
  using StubInterface = ::cxdesk::ticket::v1::TicketService::StubInterface;

  static constexpr absl::Duration kDefaultTimeout = CallSetup::kDefaultTimeout;

  // `stub` must not be null. `timeout` must be positive.
  explicit TicketClient(std::shared_ptr<StubInterface> stub,
                        CallCredentials credentials = {},
                        absl::Duration timeout = kDefaultTimeout);

  // A client on an insecure channel to `target` ("host:port"). Connecting is
  // lazy: an unreachable target shows up as UNAVAILABLE on the first call.
  static std::unique_ptr<TicketClient> Connect(
      const std::string& target, CallCredentials credentials,
      absl::Duration timeout = kDefaultTimeout);

  // A client sharing this one's stub (so its channel) and timeout, but
  // carrying `credentials` instead: cheap (no new connection), for a server
  // that calls on behalf of many callers at once (the web gateway, one view
  // per request), where set_credentials would mix them up. The view holds
  // its own reference to the stub and may outlive this client.
  TicketClient WithCredentials(CallCredentials credentials) const {
    return TicketClient(stub_, std::move(credentials), timeout());
  }

  void set_credentials(CallCredentials credentials);
  CallCredentials credentials() const;
  absl::Duration timeout() const { return setup_.timeout(); }

  // One method per unary RPC; see ticket_service.proto for each contract.
  absl::StatusOr<ticket::v1::CreateTicketResponse> CreateTicket(
      const ticket::v1::CreateTicketRequest& request);
  absl::StatusOr<ticket::v1::Ticket> GetTicket(
      const ticket::v1::GetTicketRequest& request);
  absl::StatusOr<ticket::v1::ListTicketsResponse> ListTickets(
      const ticket::v1::ListTicketsRequest& request);
  absl::StatusOr<ticket::v1::Ticket> UpdateTicket(
      const ticket::v1::UpdateTicketRequest& request);
  absl::StatusOr<ticket::v1::Comment> AddComment(
      const ticket::v1::AddCommentRequest& request);
  absl::StatusOr<ticket::v1::ListCommentsResponse> ListComments(
      const ticket::v1::ListCommentsRequest& request);
  absl::StatusOr<ticket::v1::Ticket> AssignTicket(
      const ticket::v1::AssignTicketRequest& request);
  absl::StatusOr<ticket::v1::Ticket> ChangeTicketStatus(
      const ticket::v1::ChangeTicketStatusRequest& request);
  absl::StatusOr<ticket::v1::Ticket> RateTicket(
      const ticket::v1::RateTicketRequest& request);
  absl::StatusOr<ticket::v1::TicketStatusView> GetTicketStatus(
      const ticket::v1::GetTicketStatusRequest& request);
  absl::StatusOr<ticket::v1::ListTicketEventsResponse> ListTicketEvents(
      const ticket::v1::ListTicketEventsRequest& request);
  absl::StatusOr<ticket::v1::LatestEventCursor> GetLatestEventCursor(
      const ticket::v1::GetLatestEventCursorRequest& request);

  // Streams events to `on_event`, which runs on the calling thread, one event
  // at a time. The call has no deadline. Returns OK when `on_event` returns
  // false (the call is then cancelled) or when the server ends the stream
  // cleanly; CANCELLED when `canceller` (may be null) cancels it from another
  // thread; otherwise the stream's error status.
  absl::Status WatchTicketEvents(
      const ticket::v1::WatchTicketEventsRequest& request,
      const std::function<bool(const ticket::v1::TicketEvent&)>& on_event,
      StreamCanceller* canceller = nullptr);

 private:
  const std::shared_ptr<StubInterface> stub_;
  CallSetup setup_;
};

// Asks the gRPC health service at `stub`'s server about the server as a whole,
// with a deadline of `timeout`. OK when it reports SERVING; UNAVAILABLE
// (saying what it reported) for any other serving status; otherwise the
// call's own error (UNAVAILABLE when unreachable, DEADLINE_EXCEEDED, ...).
absl::Status CheckHealth(::grpc::health::v1::Health::StubInterface& stub,
                         absl::Duration timeout);

// The same over an insecure channel to `target` ("host:port").
absl::Status CheckHealth(const std::string& target, absl::Duration timeout);

// Which cxdesk API the server at `stub` serves: the full name
// ("cxdesk.sla.v1.SlaService") of the first of the ticket, SLA and escalation
// APIs that its health service reports SERVING. NOT_FOUND when it serves none
// of them (another gRPC server); otherwise CheckHealth's errors.
absl::StatusOr<std::string> ServedApi(
    ::grpc::health::v1::Health::StubInterface& stub, absl::Duration timeout);
absl::StatusOr<std::string> ServedApi(const std::string& target,
                                      absl::Duration timeout);

// A served API's name for people: "ticket service", "SLA service",
// "escalation service", or the full name itself for any other.
std::string ApiWords(absl::string_view full_name);

// A message for people, in plain words, explaining `status` (an error from a
// call to the ticket service at `target`) and what to do about it. Never
// contains credentials (the server's messages never repeat them). For OK
// returns "ok".
std::string DescribeError(const absl::Status& status, absl::string_view target);

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_LIB_TICKET_CLIENT_H_
