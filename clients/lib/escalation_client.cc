#include "clients/lib/escalation_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "clients/common/error_words.h"
#include "clients/lib/ticket_client.h"
#include "services/common/grpc_status.h"

namespace cxdesk::clients {
namespace {

namespace escpb = ::cxdesk::escalation::v1;

}  // namespace

EscalationClient::EscalationClient(std::shared_ptr<StubInterface> stub,
                                   CallCredentials credentials,
                                   absl::Duration timeout)
    : stub_(std::move(stub)), setup_(std::move(credentials), timeout) {}

std::unique_ptr<EscalationClient> EscalationClient::Connect(
    const std::string& target, CallCredentials credentials,
    absl::Duration timeout) {
  std::shared_ptr<StubInterface> stub = escpb::EscalationService::NewStub(
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

absl::StatusOr<escpb::Team> EscalationClient::CreateTeam(
    const escpb::CreateTeamRequest& request) {
  return setup_.Unary<escpb::Team>(
      [&](grpc::ClientContext* context, escpb::Team* response) {
        return stub_->CreateTeam(context, request, response);
      });
}

absl::StatusOr<escpb::Team> EscalationClient::GetTeam(
    const escpb::GetTeamRequest& request) {
  return setup_.Unary<escpb::Team>(
      [&](grpc::ClientContext* context, escpb::Team* response) {
        return stub_->GetTeam(context, request, response);
      });
}

absl::StatusOr<escpb::ListTeamsResponse> EscalationClient::ListTeams(
    const escpb::ListTeamsRequest& request) {
  return setup_.Unary<escpb::ListTeamsResponse>(
      [&](grpc::ClientContext* context, escpb::ListTeamsResponse* response) {
        return stub_->ListTeams(context, request, response);
      });
}

absl::StatusOr<escpb::Team> EscalationClient::UpdateTeam(
    const escpb::UpdateTeamRequest& request) {
  return setup_.Unary<escpb::Team>(
      [&](grpc::ClientContext* context, escpb::Team* response) {
        return stub_->UpdateTeam(context, request, response);
      });
}

absl::Status EscalationClient::DeleteTeam(
    const escpb::DeleteTeamRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteTeam(context, request, response);
          })
      .status();
}

absl::StatusOr<escpb::Agent> EscalationClient::CreateAgent(
    const escpb::CreateAgentRequest& request) {
  return setup_.Unary<escpb::Agent>(
      [&](grpc::ClientContext* context, escpb::Agent* response) {
        return stub_->CreateAgent(context, request, response);
      });
}

absl::StatusOr<escpb::Agent> EscalationClient::GetAgent(
    const escpb::GetAgentRequest& request) {
  return setup_.Unary<escpb::Agent>(
      [&](grpc::ClientContext* context, escpb::Agent* response) {
        return stub_->GetAgent(context, request, response);
      });
}

absl::StatusOr<escpb::ListAgentsResponse> EscalationClient::ListAgents(
    const escpb::ListAgentsRequest& request) {
  return setup_.Unary<escpb::ListAgentsResponse>(
      [&](grpc::ClientContext* context, escpb::ListAgentsResponse* response) {
        return stub_->ListAgents(context, request, response);
      });
}

absl::StatusOr<escpb::Agent> EscalationClient::UpdateAgent(
    const escpb::UpdateAgentRequest& request) {
  return setup_.Unary<escpb::Agent>(
      [&](grpc::ClientContext* context, escpb::Agent* response) {
        return stub_->UpdateAgent(context, request, response);
      });
}

absl::Status EscalationClient::DeleteAgent(
    const escpb::DeleteAgentRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteAgent(context, request, response);
          })
      .status();
}

absl::StatusOr<escpb::Agent> EscalationClient::SetAgentAvailability(
    const escpb::SetAgentAvailabilityRequest& request) {
  return setup_.Unary<escpb::Agent>(
      [&](grpc::ClientContext* context, escpb::Agent* response) {
        return stub_->SetAgentAvailability(context, request, response);
      });
}

absl::StatusOr<escpb::RoutingRule> EscalationClient::CreateRoutingRule(
    const escpb::CreateRoutingRuleRequest& request) {
  return setup_.Unary<escpb::RoutingRule>(
      [&](grpc::ClientContext* context, escpb::RoutingRule* response) {
        return stub_->CreateRoutingRule(context, request, response);
      });
}

absl::StatusOr<escpb::RoutingRule> EscalationClient::GetRoutingRule(
    const escpb::GetRoutingRuleRequest& request) {
  return setup_.Unary<escpb::RoutingRule>(
      [&](grpc::ClientContext* context, escpb::RoutingRule* response) {
        return stub_->GetRoutingRule(context, request, response);
      });
}

absl::StatusOr<escpb::ListRoutingRulesResponse>
EscalationClient::ListRoutingRules(
    const escpb::ListRoutingRulesRequest& request) {
  return setup_.Unary<escpb::ListRoutingRulesResponse>(
      [&](grpc::ClientContext* context,
          escpb::ListRoutingRulesResponse* response) {
        return stub_->ListRoutingRules(context, request, response);
      });
}

absl::StatusOr<escpb::RoutingRule> EscalationClient::UpdateRoutingRule(
    const escpb::UpdateRoutingRuleRequest& request) {
  return setup_.Unary<escpb::RoutingRule>(
      [&](grpc::ClientContext* context, escpb::RoutingRule* response) {
        return stub_->UpdateRoutingRule(context, request, response);
      });
}

absl::Status EscalationClient::DeleteRoutingRule(
    const escpb::DeleteRoutingRuleRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteRoutingRule(context, request, response);
          })
      .status();
}

absl::StatusOr<escpb::RoutingDecision> EscalationClient::RouteTicket(
    const escpb::RouteTicketRequest& request) {
  return setup_.Unary<escpb::RoutingDecision>(
      [&](grpc::ClientContext* context, escpb::RoutingDecision* response) {
        return stub_->RouteTicket(context, request, response);
      });
}

absl::StatusOr<escpb::ExplainRoutingResponse> EscalationClient::ExplainRouting(
    const escpb::ExplainRoutingRequest& request) {
  return setup_.Unary<escpb::ExplainRoutingResponse>(
      [&](grpc::ClientContext* context,
          escpb::ExplainRoutingResponse* response) {
        return stub_->ExplainRouting(context, request, response);
      });
}

absl::StatusOr<escpb::ListTeamQueueResponse> EscalationClient::ListTeamQueue(
    const escpb::ListTeamQueueRequest& request) {
  return setup_.Unary<escpb::ListTeamQueueResponse>(
      [&](grpc::ClientContext* context,
          escpb::ListTeamQueueResponse* response) {
        return stub_->ListTeamQueue(context, request, response);
      });
}

absl::StatusOr<escpb::Ladder> EscalationClient::SetLadder(
    const escpb::SetLadderRequest& request) {
  return setup_.Unary<escpb::Ladder>(
      [&](grpc::ClientContext* context, escpb::Ladder* response) {
        return stub_->SetLadder(context, request, response);
      });
}

absl::StatusOr<escpb::Ladder> EscalationClient::GetLadder(
    const escpb::GetLadderRequest& request) {
  return setup_.Unary<escpb::Ladder>(
      [&](grpc::ClientContext* context, escpb::Ladder* response) {
        return stub_->GetLadder(context, request, response);
      });
}

absl::StatusOr<escpb::ListLaddersResponse> EscalationClient::ListLadders(
    const escpb::ListLaddersRequest& request) {
  return setup_.Unary<escpb::ListLaddersResponse>(
      [&](grpc::ClientContext* context, escpb::ListLaddersResponse* response) {
        return stub_->ListLadders(context, request, response);
      });
}

absl::Status EscalationClient::DeleteLadder(
    const escpb::DeleteLadderRequest& request) {
  return setup_
      .Unary<google::protobuf::Empty>(
          [&](grpc::ClientContext* context, google::protobuf::Empty* response) {
            return stub_->DeleteLadder(context, request, response);
          })
      .status();
}

absl::StatusOr<escpb::ListEscalationsResponse>
EscalationClient::ListEscalations(
    const escpb::ListEscalationsRequest& request) {
  return setup_.Unary<escpb::ListEscalationsResponse>(
      [&](grpc::ClientContext* context,
          escpb::ListEscalationsResponse* response) {
        return stub_->ListEscalations(context, request, response);
      });
}

absl::StatusOr<escpb::Escalation> EscalationClient::AcknowledgeEscalation(
    const escpb::AcknowledgeEscalationRequest& request) {
  return setup_.Unary<escpb::Escalation>(
      [&](grpc::ClientContext* context, escpb::Escalation* response) {
        return stub_->AcknowledgeEscalation(context, request, response);
      });
}

absl::StatusOr<escpb::ListNotificationsResponse>
EscalationClient::ListNotifications(
    const escpb::ListNotificationsRequest& request) {
  return setup_.Unary<escpb::ListNotificationsResponse>(
      [&](grpc::ClientContext* context,
          escpb::ListNotificationsResponse* response) {
        return stub_->ListNotifications(context, request, response);
      });
}

absl::StatusOr<escpb::MarkNotificationsReadResponse>
EscalationClient::MarkNotificationsRead(
    const escpb::MarkNotificationsReadRequest& request) {
  return setup_.Unary<escpb::MarkNotificationsReadResponse>(
      [&](grpc::ClientContext* context,
          escpb::MarkNotificationsReadResponse* response) {
        return stub_->MarkNotificationsRead(context, request, response);
      });
}

absl::StatusOr<escpb::ListWebhookDeliveriesResponse>
EscalationClient::ListWebhookDeliveries(
    const escpb::ListWebhookDeliveriesRequest& request) {
  return setup_.Unary<escpb::ListWebhookDeliveriesResponse>(
      [&](grpc::ClientContext* context,
          escpb::ListWebhookDeliveriesResponse* response) {
        return stub_->ListWebhookDeliveries(context, request, response);
      });
}

absl::StatusOr<escpb::EscalationFigures> EscalationClient::GetEscalationFigures(
    const escpb::GetEscalationFiguresRequest& request) {
  return setup_.Unary<escpb::EscalationFigures>(
      [&](grpc::ClientContext* context, escpb::EscalationFigures* response) {
        return stub_->GetEscalationFigures(context, request, response);
      });
}

absl::Status EscalationClient::WatchNotifications(
    const escpb::WatchNotificationsRequest& request,
    const std::function<bool(const escpb::Notification&)>& on_notification,
    StreamCanceller* canceller) {
  return setup_.Watch<escpb::Notification>(
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
