#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_GRPC_SERVICE_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_GRPC_SERVICE_H_

#include "cxdesk/escalation/v1/escalation_service.grpc.pb.h"
#include "services/escalation/escalation_manager.h"

namespace cxdesk::escalation {

// The gRPC adapter of the escalation service: proto <-> domain (see
// escalation_proto.h), absl::Status -> grpc::Status. No SQL, no rules. Every
// handler passes the bearer token of the call's metadata to the manager,
// which authorises. Sync API: handlers block on the database on the
// server's own threads (decided once for all services). Thread-safe as far
// as the manager is.
class EscalationGrpcService final : public v1::EscalationService::Service {
 public:
  explicit EscalationGrpcService(EscalationManager& manager)
      : manager_(manager) {}

  grpc::Status CreateTeam(grpc::ServerContext* context,
                          const v1::CreateTeamRequest* request,
                          v1::Team* response) override;
  grpc::Status GetTeam(grpc::ServerContext* context,
                       const v1::GetTeamRequest* request,
                       v1::Team* response) override;
  grpc::Status ListTeams(grpc::ServerContext* context,
                         const v1::ListTeamsRequest* request,
                         v1::ListTeamsResponse* response) override;
  grpc::Status UpdateTeam(grpc::ServerContext* context,
                          const v1::UpdateTeamRequest* request,
                          v1::Team* response) override;
  grpc::Status DeleteTeam(grpc::ServerContext* context,
                          const v1::DeleteTeamRequest* request,
                          google::protobuf::Empty* response) override;

  grpc::Status CreateAgent(grpc::ServerContext* context,
                           const v1::CreateAgentRequest* request,
                           v1::Agent* response) override;
  grpc::Status GetAgent(grpc::ServerContext* context,
                        const v1::GetAgentRequest* request,
                        v1::Agent* response) override;
  grpc::Status ListAgents(grpc::ServerContext* context,
                          const v1::ListAgentsRequest* request,
                          v1::ListAgentsResponse* response) override;
  grpc::Status UpdateAgent(grpc::ServerContext* context,
                           const v1::UpdateAgentRequest* request,
                           v1::Agent* response) override;
  grpc::Status DeleteAgent(grpc::ServerContext* context,
                           const v1::DeleteAgentRequest* request,
                           google::protobuf::Empty* response) override;
  grpc::Status SetAgentAvailability(
      grpc::ServerContext* context,
      const v1::SetAgentAvailabilityRequest* request,
      v1::Agent* response) override;

  grpc::Status CreateRoutingRule(grpc::ServerContext* context,
                                 const v1::CreateRoutingRuleRequest* request,
                                 v1::RoutingRule* response) override;
  grpc::Status GetRoutingRule(grpc::ServerContext* context,
                              const v1::GetRoutingRuleRequest* request,
                              v1::RoutingRule* response) override;
  grpc::Status ListRoutingRules(
      grpc::ServerContext* context, const v1::ListRoutingRulesRequest* request,
      v1::ListRoutingRulesResponse* response) override;
  grpc::Status UpdateRoutingRule(grpc::ServerContext* context,
                                 const v1::UpdateRoutingRuleRequest* request,
                                 v1::RoutingRule* response) override;
  grpc::Status DeleteRoutingRule(grpc::ServerContext* context,
                                 const v1::DeleteRoutingRuleRequest* request,
                                 google::protobuf::Empty* response) override;

  grpc::Status RouteTicket(grpc::ServerContext* context,
                           const v1::RouteTicketRequest* request,
                           v1::RoutingDecision* response) override;
  grpc::Status ExplainRouting(grpc::ServerContext* context,
                              const v1::ExplainRoutingRequest* request,
                              v1::ExplainRoutingResponse* response) override;
  grpc::Status ListTeamQueue(grpc::ServerContext* context,
                             const v1::ListTeamQueueRequest* request,
                             v1::ListTeamQueueResponse* response) override;

  grpc::Status SetLadder(grpc::ServerContext* context,
                         const v1::SetLadderRequest* request,
                         v1::Ladder* response) override;
  grpc::Status GetLadder(grpc::ServerContext* context,
                         const v1::GetLadderRequest* request,
                         v1::Ladder* response) override;
  grpc::Status ListLadders(grpc::ServerContext* context,
                           const v1::ListLaddersRequest* request,
                           v1::ListLaddersResponse* response) override;
  grpc::Status DeleteLadder(grpc::ServerContext* context,
                            const v1::DeleteLadderRequest* request,
                            google::protobuf::Empty* response) override;

  grpc::Status ListEscalations(grpc::ServerContext* context,
                               const v1::ListEscalationsRequest* request,
                               v1::ListEscalationsResponse* response) override;
  grpc::Status AcknowledgeEscalation(
      grpc::ServerContext* context,
      const v1::AcknowledgeEscalationRequest* request,
      v1::Escalation* response) override;

  grpc::Status ListNotifications(
      grpc::ServerContext* context, const v1::ListNotificationsRequest* request,
      v1::ListNotificationsResponse* response) override;
  grpc::Status MarkNotificationsRead(
      grpc::ServerContext* context,
      const v1::MarkNotificationsReadRequest* request,
      v1::MarkNotificationsReadResponse* response) override;
  grpc::Status WatchNotifications(
      grpc::ServerContext* context,
      const v1::WatchNotificationsRequest* request,
      grpc::ServerWriter<v1::Notification>* writer) override;
  grpc::Status ListWebhookDeliveries(
      grpc::ServerContext* context,
      const v1::ListWebhookDeliveriesRequest* request,
      v1::ListWebhookDeliveriesResponse* response) override;

  grpc::Status GetEscalationFigures(
      grpc::ServerContext* context,
      const v1::GetEscalationFiguresRequest* request,
      v1::EscalationFigures* response) override;

 private:
  EscalationManager& manager_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_GRPC_SERVICE_H_
