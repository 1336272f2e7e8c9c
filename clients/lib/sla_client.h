#ifndef CXDESK_CLIENTS_LIB_SLA_CLIENT_H_
#define CXDESK_CLIENTS_LIB_SLA_CLIENT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/lib/call_setup.h"
#include "clients/lib/ticket_client.h"
#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "google/protobuf/empty.pb.h"

namespace cxdesk::clients {

// A thin StatusOr API over the SLA service's gRPC stub, the twin of
// TicketClient. Every unary call carries the credentials (see
// CallCredentials; the SLA service reads the bearer token) and a deadline of
// `timeout` from the moment it starts; server errors come back with the
// server's code and message (converted by common::FromGrpcStatus), transport
// failures as UNAVAILABLE or DEADLINE_EXCEEDED. Thread-safe: calls may run
// concurrently, also with set_credentials (a call uses the credentials
// current when it starts).
class SlaClient {
 public:
  using StubInterface = ::cxdesk::sla::v1::SlaService::StubInterface;

  static constexpr absl::Duration kDefaultTimeout = CallSetup::kDefaultTimeout;

  // `stub` must not be null. A `timeout` that is not positive means
  // kDefaultTimeout.
  explicit SlaClient(std::shared_ptr<StubInterface> stub,
                     CallCredentials credentials = {},
                     absl::Duration timeout = kDefaultTimeout);

  // A client on an insecure channel to `target` ("host:port"). Connecting is
  // lazy: an unreachable target shows up as UNAVAILABLE on the first call.
  static std::unique_ptr<SlaClient> Connect(
      const std::string& target, CallCredentials credentials,
      absl::Duration timeout = kDefaultTimeout);

  void set_credentials(CallCredentials credentials);
  CallCredentials credentials() const;
  absl::Duration timeout() const { return setup_.timeout(); }

  // One method per unary RPC; see sla_service.proto for each contract.
  absl::StatusOr<sla::v1::Calendar> CreateCalendar(
      const sla::v1::CreateCalendarRequest& request);
  absl::StatusOr<sla::v1::Calendar> GetCalendar(
      const sla::v1::GetCalendarRequest& request);
  absl::StatusOr<sla::v1::ListCalendarsResponse> ListCalendars(
      const sla::v1::ListCalendarsRequest& request);
  absl::StatusOr<sla::v1::Calendar> UpdateCalendar(
      const sla::v1::UpdateCalendarRequest& request);
  absl::Status DeleteCalendar(const sla::v1::DeleteCalendarRequest& request);

  absl::StatusOr<sla::v1::Policy> CreatePolicy(
      const sla::v1::CreatePolicyRequest& request);
  absl::StatusOr<sla::v1::Policy> GetPolicy(
      const sla::v1::GetPolicyRequest& request);
  absl::StatusOr<sla::v1::ListPoliciesResponse> ListPolicies(
      const sla::v1::ListPoliciesRequest& request);
  absl::StatusOr<sla::v1::Policy> UpdatePolicy(
      const sla::v1::UpdatePolicyRequest& request);
  absl::Status DeletePolicy(const sla::v1::DeletePolicyRequest& request);

  absl::StatusOr<sla::v1::TicketSla> GetTicketSla(
      const sla::v1::GetTicketSlaRequest& request);
  absl::StatusOr<sla::v1::SlaPromise> GetSlaPromise(
      const sla::v1::GetSlaPromiseRequest& request);
  absl::StatusOr<sla::v1::ListSlaEventsResponse> ListSlaEvents(
      const sla::v1::ListSlaEventsRequest& request);
  absl::StatusOr<sla::v1::ListBreachesResponse> ListBreaches(
      const sla::v1::ListBreachesRequest& request);
  absl::StatusOr<sla::v1::SlaReport> GetSlaReport(
      const sla::v1::GetSlaReportRequest& request);
  absl::StatusOr<sla::v1::SlaReport> SimulatePolicy(
      const sla::v1::SimulatePolicyRequest& request);

  // Streams events to `on_event`, which runs on the calling thread, one event
  // at a time. The call has no deadline. Returns OK when `on_event` returns
  // false (the call is then cancelled) or when the server ends the stream
  // cleanly; CANCELLED when `canceller` (may be null) cancels it from another
  // thread; otherwise the stream's error status.
  absl::Status WatchSlaEvents(
      const sla::v1::WatchSlaEventsRequest& request,
      const std::function<bool(const sla::v1::SlaEvent&)>& on_event,
      StreamCanceller* canceller = nullptr);

 private:
  const std::shared_ptr<StubInterface> stub_;
  CallSetup setup_;
};

// Like DescribeError, for an error from a call to the SLA service at
// `target`: plain words and what to do. For OK returns "ok".
std::string DescribeSlaError(const absl::Status& status,
                             absl::string_view target);

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_LIB_SLA_CLIENT_H_
