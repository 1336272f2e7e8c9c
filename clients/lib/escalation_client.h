#ifndef CXDESK_CLIENTS_LIB_ESCALATION_CLIENT_H_
#define CXDESK_CLIENTS_LIB_ESCALATION_CLIENT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/lib/call_setup.h"
#include "cxdesk/escalation/v1/escalation_service.grpc.pb.h"
#include "google/protobuf/empty.pb.h"

namespace cxdesk::clients {

// A thin StatusOr API over the escalation service's gRPC stub, the twin of
// SlaClient. Every unary call carries the credentials (the escalation
// service reads the bearer token only) and a deadline of `timeout` from the
// moment it starts; server errors come back with the server's code and
// message (converted by common::FromGrpcStatus), transport failures as
// UNAVAILABLE or DEADLINE_EXCEEDED. Thread-safe: calls may run
// concurrently, also with set_credentials (a call uses the credentials
// current when it starts).
class EscalationClient {
 public:
  using StubInterface =
      ::cxdesk::escalation::v1::EscalationService::StubInterface;

  static constexpr absl::Duration kDefaultTimeout = CallSetup::kDefaultTimeout;

  // `stub` must not be null. A `timeout` that is not positive means
  // kDefaultTimeout.
  explicit EscalationClient(std::shared_ptr<StubInterface> stub,
                            CallCredentials credentials = {},
                            absl::Duration timeout = kDefaultTimeout);

  // A client on an insecure channel to `target` ("host:port"). Connecting is
  // lazy: an unreachable target shows up as UNAVAILABLE on the first call.
  static std::unique_ptr<EscalationClient> Connect(
      const std::string& target, CallCredentials credentials,
      absl::Duration timeout = kDefaultTimeout);

  void set_credentials(CallCredentials credentials);
  CallCredentials credentials() const;
  absl::Duration timeout() const { return setup_.timeout(); }

  // One method per unary RPC; see escalation_service.proto for each
  // contract.
  absl::StatusOr<escalation::v1::Team> CreateTeam(
      const escalation::v1::CreateTeamRequest& request);
  absl::StatusOr<escalation::v1::Team> GetTeam(
      const escalation::v1::GetTeamRequest& request);
  absl::StatusOr<escalation::v1::ListTeamsResponse> ListTeams(
      const escalation::v1::ListTeamsRequest& request);
  absl::StatusOr<escalation::v1::Team> UpdateTeam(
      const escalation::v1::UpdateTeamRequest& request);
  absl::Status DeleteTeam(const escalation::v1::DeleteTeamRequest& request);

  absl::StatusOr<escalation::v1::Agent> CreateAgent(
      const escalation::v1::CreateAgentRequest& request);
  absl::StatusOr<escalation::v1::Agent> GetAgent(
      const escalation::v1::GetAgentRequest& request);
  absl::StatusOr<escalation::v1::ListAgentsResponse> ListAgents(
      const escalation::v1::ListAgentsRequest& request);
  absl::StatusOr<escalation::v1::Agent> UpdateAgent(
      const escalation::v1::UpdateAgentRequest& request);
  absl::Status DeleteAgent(const escalation::v1::DeleteAgentRequest& request);
  absl::StatusOr<escalation::v1::Agent> SetAgentAvailability(
      const escalation::v1::SetAgentAvailabilityRequest& request);

  absl::StatusOr<escalation::v1::RoutingRule> CreateRoutingRule(
      const escalation::v1::CreateRoutingRuleRequest& request);
  absl::StatusOr<escalation::v1::RoutingRule> GetRoutingRule(
      const escalation::v1::GetRoutingRuleRequest& request);
  absl::StatusOr<escalation::v1::ListRoutingRulesResponse> ListRoutingRules(
      const escalation::v1::ListRoutingRulesRequest& request);
  absl::StatusOr<escalation::v1::RoutingRule> UpdateRoutingRule(
      const escalation::v1::UpdateRoutingRuleRequest& request);
  absl::Status DeleteRoutingRule(
      const escalation::v1::DeleteRoutingRuleRequest& request);

  absl::StatusOr<escalation::v1::RoutingDecision> RouteTicket(
      const escalation::v1::RouteTicketRequest& request);
  absl::StatusOr<escalation::v1::ExplainRoutingResponse> ExplainRouting(
      const escalation::v1::ExplainRoutingRequest& request);
  absl::StatusOr<escalation::v1::ListTeamQueueResponse> ListTeamQueue(
      const escalation::v1::ListTeamQueueRequest& request);

  absl::StatusOr<escalation::v1::Ladder> SetLadder(
      const escalation::v1::SetLadderRequest& request);
  absl::StatusOr<escalation::v1::Ladder> GetLadder(
      const escalation::v1::GetLadderRequest& request);
  absl::StatusOr<escalation::v1::ListLaddersResponse> ListLadders(
      const escalation::v1::ListLaddersRequest& request);
  absl::Status DeleteLadder(const escalation::v1::DeleteLadderRequest& request);

  absl::StatusOr<escalation::v1::ListEscalationsResponse> ListEscalations(
      const escalation::v1::ListEscalationsRequest& request);
  absl::StatusOr<escalation::v1::Escalation> AcknowledgeEscalation(
      const escalation::v1::AcknowledgeEscalationRequest& request);

  absl::StatusOr<escalation::v1::ListNotificationsResponse> ListNotifications(
      const escalation::v1::ListNotificationsRequest& request);
  absl::StatusOr<escalation::v1::MarkNotificationsReadResponse>
  MarkNotificationsRead(
      const escalation::v1::MarkNotificationsReadRequest& request);
  absl::StatusOr<escalation::v1::ListWebhookDeliveriesResponse>
  ListWebhookDeliveries(
      const escalation::v1::ListWebhookDeliveriesRequest& request);

  absl::StatusOr<escalation::v1::EscalationFigures> GetEscalationFigures(
      const escalation::v1::GetEscalationFiguresRequest& request);

  // Streams notifications to `on_notification`, which runs on the calling
  // thread, one at a time. The call has no deadline. Returns OK when
  // `on_notification` returns false (the call is then cancelled) or when the
  // server ends the stream cleanly; CANCELLED when `canceller` (may be null)
  // cancels it from another thread; otherwise the stream's error status.
  absl::Status WatchNotifications(
      const escalation::v1::WatchNotificationsRequest& request,
      const std::function<bool(const escalation::v1::Notification&)>&
          on_notification,
      StreamCanceller* canceller = nullptr);

 private:
  const std::shared_ptr<StubInterface> stub_;
  CallSetup setup_;
};

// Like DescribeError, for an error from a call to the escalation service at
// `target`: plain words and what to do. For OK returns "ok".
std::string DescribeEscalationError(const absl::Status& status,
                                    absl::string_view target);

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_LIB_ESCALATION_CLIENT_H_
