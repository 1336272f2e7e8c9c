#include "clients/lib/escalation_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "clients/common/error_words.h"
#include "clients/lib/ticket_client.h"
#include "services/common/grpc_status.h"

namespace cxdesk::clients {
namespace {

namespace v1 = ::cxdesk::escalation::v1;

}  // namespace

EscalationClient::EscalationClient(std::shared_ptr<StubInterface> stub,
                                   CallCredentials credentials,
                                   absl::Duration timeout)
    : stub_(std::move(stub)), setup_(std::move(credentials), timeout) {}

std::unique_ptr<EscalationClient> EscalationClient::Connect(
    const std::string& target, CallCredentials credentials,
    absl::Duration timeout) {
  std::shared_ptr<StubInterface> stub = v1::EscalationService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  return std::make_unique<EscalationClient>(std::move(stub),
                                            std::move(credentials), timeout);
}

void EscalationClient::set_credentials(CallCredentials credentials) {
  setup_.set_credentials(std::move(credentials));
}

CallCredentials EscalationClient::credentials() const {
  return setup_.credentials();
}

absl::StatusOr<v1::Team> EscalationClient::CreateTeam(
    const v1::CreateTeamRequest& request) {
  return setup_.Unary<v1::Team>(
      [&](grpc::ClientContext* context, v1::Team* response) {
        return stub_->CreateTeam(context, request, response);
      });
}

absl::StatusOr<v1::Team> EscalationClient::GetTeam(
    const v1::GetTeamRequest& request) {
  return setup_.Unary<v1::Team>(
      [&](grpc::ClientContext* context, v1::Team* response) {
        return stub_->GetTeam(context, request, response);
      });
}

absl::StatusOr<v1::ListTeamsResponse> EscalationClient::ListTeams(
    const v1::ListTeamsRequest& request) {
  return setup_.Unary<v1::ListTeamsResponse>(
      [&](grpc::ClientContext* context, v1::ListTeamsResponse* response) {
        return stub_->ListTeams(context, request, response);
      });
}

absl::StatusOr<v1::Team> EscalationClient::UpdateTeam(
    const v1::UpdateTeamRequest& request) {
  return setup_.Unary<v1::Team>(
      [&](grpc::ClientContext* context, v1::Team* response) {
        return stub_->UpdateTeam(context, request, response);
      });
}

absl::Status EscalationClient::DeleteTeam(
    const v1::DeleteTeamRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteTeam(context, request, response);
          })
      .status();
}

absl::StatusOr<v1::Agent> EscalationClient::CreateAgent(
    const v1::CreateAgentRequest& request) {
  return setup_.Unary<v1::Agent>(
      [&](grpc::ClientContext* context, v1::Agent* response) {
        return stub_->CreateAgent(context, request, response);
      });
}

absl::StatusOr<v1::Agent> EscalationClient::GetAgent(
    const v1::GetAgentRequest& request) {
  return setup_.Unary<v1::Agent>(
      [&](grpc::ClientContext* context, v1::Agent* response) {
        return stub_->GetAgent(context, request, response);
      });
}

absl::StatusOr<v1::ListAgentsResponse> EscalationClient::ListAgents(
    const v1::ListAgentsRequest& request) {
  return setup_.Unary<v1::ListAgentsResponse>(
      [&](grpc::ClientContext* context, v1::ListAgentsResponse* response) {
        return stub_->ListAgents(context, request, response);
      });
}

absl::StatusOr<v1::Agent> EscalationClient::UpdateAgent(
    const v1::UpdateAgentRequest& request) {
  return setup_.Unary<v1::Agent>(
      [&](grpc::ClientContext* context, v1::Agent* response) {
        return stub_->UpdateAgent(context, request, response);
      });
}

absl::Status EscalationClient::DeleteAgent(
    const v1::DeleteAgentRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteAgent(context, request, response);
          })
      .status();
}

absl::StatusOr<v1::Agent> EscalationClient::SetAgentAvailability(
    const v1::SetAgentAvailabilityRequest& request) {
  return setup_.Unary<v1::Agent>(
      [&](grpc::ClientContext* context, v1::Agent* response) {
        return stub_->SetAgentAvailability(context, request, response);
      });
}

absl::StatusOr<v1::RoutingRule> EscalationClient::CreateRoutingRule(
    const v1::CreateRoutingRuleRequest& request) {
  return setup_.Unary<v1::RoutingRule>(
      [&](grpc::ClientContext* context, v1::RoutingRule* response) {
        return stub_->CreateRoutingRule(context, request, response);
      });
}

absl::StatusOr<v1::RoutingRule> EscalationClient::GetRoutingRule(
    const v1::GetRoutingRuleRequest& request) {
  return setup_.Unary<v1::RoutingRule>(
      [&](grpc::ClientContext* context, v1::RoutingRule* response) {
        return stub_->GetRoutingRule(context, request, response);
      });
}

absl::StatusOr<v1::ListRoutingRulesResponse> EscalationClient::ListRoutingRules(
    const v1::ListRoutingRulesRequest& request) {
  return setup_.Unary<v1::ListRoutingRulesResponse>(
      [&](grpc::ClientContext* context,
          v1::ListRoutingRulesResponse* response) {
        return stub_->ListRoutingRules(context, request, response);
      });
}

absl::StatusOr<v1::RoutingRule> EscalationClient::UpdateRoutingRule(
    const v1::UpdateRoutingRuleRequest& request) {
  return setup_.Unary<v1::RoutingRule>(
      [&](grpc::ClientContext* context, v1::RoutingRule* response) {
        return stub_->UpdateRoutingRule(context, request, response);
      });
}

absl::Status EscalationClient::DeleteRoutingRule(
    const v1::DeleteRoutingRuleRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteRoutingRule(context, request, response);
          })
      .status();
}

absl::StatusOr<v1::RoutingDecision> EscalationClient::RouteTicket(
    const v1::RouteTicketRequest& request) {
  return setup_.Unary<v1::RoutingDecision>(
      [&](grpc::ClientContext* context, v1::RoutingDecision* response) {
        return stub_->RouteTicket(context, request, response);
      });
}

absl::StatusOr<v1::ExplainRoutingResponse> EscalationClient::ExplainRouting(
    const v1::ExplainRoutingRequest& request) {
  return setup_.Unary<v1::ExplainRoutingResponse>(
      [&](grpc::ClientContext* context, v1::ExplainRoutingResponse* response) {
        return stub_->ExplainRouting(context, request, response);
      });
}

absl::StatusOr<v1::ListTeamQueueResponse> EscalationClient::ListTeamQueue(
    const v1::ListTeamQueueRequest& request) {
  return setup_.Unary<v1::ListTeamQueueResponse>(
      [&](grpc::ClientContext* context, v1::ListTeamQueueResponse* response) {
        return stub_->ListTeamQueue(context, request, response);
      });
}

absl::StatusOr<v1::Ladder> EscalationClient::SetLadder(
    const v1::SetLadderRequest& request) {
  return setup_.Unary<v1::Ladder>(
      [&](grpc::ClientContext* context, v1::Ladder* response) {
        return stub_->SetLadder(context, request, response);
      });
}

absl::StatusOr<v1::Ladder> EscalationClient::GetLadder(
    const v1::GetLadderRequest& request) {
  return setup_.Unary<v1::Ladder>(
      [&](grpc::ClientContext* context, v1::Ladder* response) {
        return stub_->GetLadder(context, request, response);
      });
}

absl::StatusOr<v1::ListLaddersResponse> EscalationClient::ListLadders(
    const v1::ListLaddersRequest& request) {
  return setup_.Unary<v1::ListLaddersResponse>(
      [&](grpc::ClientContext* context, v1::ListLaddersResponse* response) {
        return stub_->ListLadders(context, request, response);
      });
}

absl::Status EscalationClient::DeleteLadder(
    const v1::DeleteLadderRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteLadder(context, request, response);
          })
      .status();
}

absl::StatusOr<v1::ListEscalationsResponse> EscalationClient::ListEscalations(
    const v1::ListEscalationsRequest& request) {
  return setup_.Unary<v1::ListEscalationsResponse>(
      [&](grpc::ClientContext* context, v1::ListEscalationsResponse* response) {
        return stub_->ListEscalations(context, request, response);
      });
}

absl::StatusOr<v1::Escalation> EscalationClient::AcknowledgeEscalation(
    const v1::AcknowledgeEscalationRequest& request) {
  return setup_.Unary<v1::Escalation>(
      [&](grpc::ClientContext* context, v1::Escalation* response) {
        return stub_->AcknowledgeEscalation(context, request, response);
      });
}

absl::StatusOr<v1::ListNotificationsResponse>
EscalationClient::ListNotifications(
    const v1::ListNotificationsRequest& request) {
  return setup_.Unary<v1::ListNotificationsResponse>(
      [&](grpc::ClientContext* context,
          v1::ListNotificationsResponse* response) {
        return stub_->ListNotifications(context, request, response);
      });
}

absl::StatusOr<v1::MarkNotificationsReadResponse>
EscalationClient::MarkNotificationsRead(
    const v1::MarkNotificationsReadRequest& request) {
  return setup_.Unary<v1::MarkNotificationsReadResponse>(
      [&](grpc::ClientContext* context,
          v1::MarkNotificationsReadResponse* response) {
        return stub_->MarkNotificationsRead(context, request, response);
      });
}

absl::StatusOr<v1::ListWebhookDeliveriesResponse>
EscalationClient::ListWebhookDeliveries(
    const v1::ListWebhookDeliveriesRequest& request) {
  return setup_.Unary<v1::ListWebhookDeliveriesResponse>(
      [&](grpc::ClientContext* context,
          v1::ListWebhookDeliveriesResponse* response) {
        return stub_->ListWebhookDeliveries(context, request, response);
      });
}

absl::StatusOr<v1::EscalationFigures> EscalationClient::GetEscalationFigures(
    const v1::GetEscalationFiguresRequest& request) {
  return setup_.Unary<v1::EscalationFigures>(
      [&](grpc::ClientContext* context, v1::EscalationFigures* response) {
        return stub_->GetEscalationFigures(context, request, response);
      });
}

absl::Status EscalationClient::WatchNotifications(
    const v1::WatchNotificationsRequest& request,
    const std::function<bool(const v1::Notification&)>& on_notification,
    StreamCanceller* canceller) {
  return setup_.Watch<v1::Notification>(
      "WatchNotifications",
      [&](grpc::ClientContext* context) {
        return stub_->WatchNotifications(context, request);
      },
      on_notification, canceller);
}

std::string DescribeEscalationError(const absl::Status& status,
                                    absl::string_view target) {
  return DescribeStatus(status, ErrorVoice::kEscalation,
                        {"", std::string(target)});
}

}  // namespace cxdesk::clients
