#include "services/escalation/escalation_grpc_service.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "services/common/grpc_metadata.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_time.h"
#include "services/escalation/escalation_proto.h"

namespace cxdesk::escalation {

using common::Reply;

namespace {

grpc::Status Done(const absl::Status& status) {
  return common::ToGrpcStatus(status);
}

// A window end: the instant, or `missing` when the request leaves it unset
// (the manager reports a missing window).
absl::Time TimeOr(const google::protobuf::Timestamp& ts, bool has,
                  absl::Time missing) {
  return has ? common::FromProtoTimestamp(ts) : missing;
}

}  // namespace

// ---- teams ----

grpc::Status EscalationGrpcService::CreateTeam(
    grpc::ServerContext* context, const v1::CreateTeamRequest* request,
    v1::Team* response) {
  absl::StatusOr<TeamRecord> input = TeamFromProto(request->team());
  if (!input.ok()) return Done(input.status());
  return Reply(
      manager_.CreateTeam(common::BearerTokenOf(*context), *std::move(input)),
      [&](const TeamRecord& r) { TeamToProto(r, response); });
}

grpc::Status EscalationGrpcService::GetTeam(grpc::ServerContext* context,
                                            const v1::GetTeamRequest* request,
                                            v1::Team* response) {
  return Reply(
      manager_.GetTeam(common::BearerTokenOf(*context), request->team_id()),
      [&](const TeamRecord& r) { TeamToProto(r, response); });
}

grpc::Status EscalationGrpcService::ListTeams(
    grpc::ServerContext* context, const v1::ListTeamsRequest* request,
    v1::ListTeamsResponse* response) {
  return Reply(manager_.ListTeams(common::BearerTokenOf(*context),
                                  request->page_size(), request->page_token()),
               [&](const Page<TeamRecord>& page) {
                 for (const TeamRecord& r : page.items) {
                   TeamToProto(r, response->add_teams());
                 }
                 response->set_next_page_token(page.next_page_token);
               });
}

grpc::Status EscalationGrpcService::UpdateTeam(
    grpc::ServerContext* context, const v1::UpdateTeamRequest* request,
    v1::Team* response) {
  absl::StatusOr<TeamRecord> input = TeamFromProto(request->team());
  if (!input.ok()) return Done(input.status());
  return Reply(manager_.UpdateTeam(common::BearerTokenOf(*context),
                                   *std::move(input), request->etag()),
               [&](const TeamRecord& r) { TeamToProto(r, response); });
}

grpc::Status EscalationGrpcService::DeleteTeam(
    grpc::ServerContext* context, const v1::DeleteTeamRequest* request,
    google::protobuf::Empty* response) {
  return Done(
      manager_.DeleteTeam(common::BearerTokenOf(*context), request->team_id()));
}

// ---- agents ----

grpc::Status EscalationGrpcService::CreateAgent(
    grpc::ServerContext* context, const v1::CreateAgentRequest* request,
    v1::Agent* response) {
  absl::StatusOr<AgentRecord> input = AgentFromProto(request->agent());
  if (!input.ok()) return Done(input.status());
  return Reply(
      manager_.CreateAgent(common::BearerTokenOf(*context), *std::move(input)),
      [&](const AgentRecord& r) { AgentToProto(r, response); });
}

grpc::Status EscalationGrpcService::GetAgent(grpc::ServerContext* context,
                                             const v1::GetAgentRequest* request,
                                             v1::Agent* response) {
  return Reply(
      manager_.GetAgent(common::BearerTokenOf(*context), request->agent_id()),
      [&](const AgentRecord& r) { AgentToProto(r, response); });
}

grpc::Status EscalationGrpcService::ListAgents(
    grpc::ServerContext* context, const v1::ListAgentsRequest* request,
    v1::ListAgentsResponse* response) {
  return Reply(
      manager_.ListAgents(common::BearerTokenOf(*context), request->team_id(),
                          request->page_size(), request->page_token()),
      [&](const Page<AgentRecord>& page) {
        for (const AgentRecord& r : page.items) {
          AgentToProto(r, response->add_agents());
        }
        response->set_next_page_token(page.next_page_token);
      });
}

grpc::Status EscalationGrpcService::UpdateAgent(
    grpc::ServerContext* context, const v1::UpdateAgentRequest* request,
    v1::Agent* response) {
  absl::StatusOr<AgentRecord> input = AgentFromProto(request->agent());
  if (!input.ok()) return Done(input.status());
  return Reply(manager_.UpdateAgent(common::BearerTokenOf(*context),
                                    *std::move(input), request->etag()),
               [&](const AgentRecord& r) { AgentToProto(r, response); });
}

grpc::Status EscalationGrpcService::DeleteAgent(
    grpc::ServerContext* context, const v1::DeleteAgentRequest* request,
    google::protobuf::Empty* response) {
  return Done(manager_.DeleteAgent(common::BearerTokenOf(*context),
                                   request->agent_id()));
}

grpc::Status EscalationGrpcService::SetAgentAvailability(
    grpc::ServerContext* context,
    const v1::SetAgentAvailabilityRequest* request, v1::Agent* response) {
  absl::StatusOr<Availability> availability =
      AvailabilityFromProto(request->availability(), "availability");
  if (!availability.ok()) return Done(availability.status());
  return Reply(manager_.SetAvailability(common::BearerTokenOf(*context),
                                        request->agent_id(), *availability),
               [&](const AgentRecord& r) { AgentToProto(r, response); });
}

// ---- routing rules ----

grpc::Status EscalationGrpcService::CreateRoutingRule(
    grpc::ServerContext* context, const v1::CreateRoutingRuleRequest* request,
    v1::RoutingRule* response) {
  absl::StatusOr<RuleRecord> input = RuleFromProto(request->rule());
  if (!input.ok()) return Done(input.status());
  return Reply(
      manager_.CreateRule(common::BearerTokenOf(*context), *std::move(input)),
      [&](const RuleRecord& r) { RuleToProto(r, response); });
}

grpc::Status EscalationGrpcService::GetRoutingRule(
    grpc::ServerContext* context, const v1::GetRoutingRuleRequest* request,
    v1::RoutingRule* response) {
  return Reply(
      manager_.GetRule(common::BearerTokenOf(*context), request->rule_id()),
      [&](const RuleRecord& r) { RuleToProto(r, response); });
}

grpc::Status EscalationGrpcService::ListRoutingRules(
    grpc::ServerContext* context, const v1::ListRoutingRulesRequest* request,
    v1::ListRoutingRulesResponse* response) {
  return Reply(manager_.ListRules(common::BearerTokenOf(*context),
                                  request->page_size(), request->page_token()),
               [&](const Page<RuleRecord>& page) {
                 for (const RuleRecord& r : page.items) {
                   RuleToProto(r, response->add_rules());
                 }
                 response->set_next_page_token(page.next_page_token);
               });
}

grpc::Status EscalationGrpcService::UpdateRoutingRule(
    grpc::ServerContext* context, const v1::UpdateRoutingRuleRequest* request,
    v1::RoutingRule* response) {
  absl::StatusOr<RuleRecord> input = RuleFromProto(request->rule());
  if (!input.ok()) return Done(input.status());
  return Reply(manager_.UpdateRule(common::BearerTokenOf(*context),
                                   *std::move(input), request->etag()),
               [&](const RuleRecord& r) { RuleToProto(r, response); });
}

grpc::Status EscalationGrpcService::DeleteRoutingRule(
    grpc::ServerContext* context, const v1::DeleteRoutingRuleRequest* request,
    google::protobuf::Empty* response) {
  return Done(
      manager_.DeleteRule(common::BearerTokenOf(*context), request->rule_id()));
}

// ---- routing ----

grpc::Status EscalationGrpcService::RouteTicket(
    grpc::ServerContext* context, const v1::RouteTicketRequest* request,
    v1::RoutingDecision* response) {
  RouteTarget target;
  switch (request->target_case()) {
    case v1::RouteTicketRequest::kTicketId:
      target = request->ticket_id();
      break;
    case v1::RouteTicketRequest::kDraft: {
      absl::StatusOr<TicketToRoute> draft =
          TicketDraftFromProto(request->draft());
      if (!draft.ok()) return Done(draft.status());
      target = *std::move(draft);
      break;
    }
    default:
      return Done(absl::InvalidArgumentError(
          "target: set ticket_id or draft (a draft needs dry_run)"));
  }
  return Reply(manager_.RouteTicket(common::BearerTokenOf(*context), target,
                                    request->dry_run()),
               [&](const Decision& d) { DecisionToProto(d, response); });
}

grpc::Status EscalationGrpcService::ExplainRouting(
    grpc::ServerContext* context, const v1::ExplainRoutingRequest* request,
    v1::ExplainRoutingResponse* response) {
  return Reply(manager_.ExplainRouting(common::BearerTokenOf(*context),
                                       request->ticket_id()),
               [&](const std::vector<Decision>& decisions) {
                 for (const Decision& d : decisions) {
                   DecisionToProto(d, response->add_decisions());
                 }
               });
}

grpc::Status EscalationGrpcService::ListTeamQueue(
    grpc::ServerContext* context, const v1::ListTeamQueueRequest* request,
    v1::ListTeamQueueResponse* response) {
  return Reply(manager_.ListTeamQueue(common::BearerTokenOf(*context),
                                      request->team_id(), request->page_size()),
               [&](const std::pair<std::vector<QueuedTicket>, int>& queue) {
                 for (const QueuedTicket& t : queue.first) {
                   QueuedTicketToProto(t, response->add_tickets());
                 }
                 response->set_total(queue.second);
               });
}

// ---- ladders ----

grpc::Status EscalationGrpcService::SetLadder(
    grpc::ServerContext* context, const v1::SetLadderRequest* request,
    v1::Ladder* response) {
  absl::StatusOr<Ladder> ladder = LadderFromProto(request->ladder());
  if (!ladder.ok()) return Done(ladder.status());
  return Reply(manager_.SetLadder(common::BearerTokenOf(*context), *ladder,
                                  request->etag()),
               [&](const LadderRecord& r) { LadderToProto(r, response); });
}

grpc::Status EscalationGrpcService::GetLadder(
    grpc::ServerContext* context, const v1::GetLadderRequest* request,
    v1::Ladder* response) {
  absl::StatusOr<std::string> metric =
      MetricWordOf(request->metric(), "metric");
  if (!metric.ok()) return Done(metric.status());
  return Reply(manager_.GetLadder(common::BearerTokenOf(*context), *metric),
               [&](const LadderRecord& r) { LadderToProto(r, response); });
}

grpc::Status EscalationGrpcService::ListLadders(
    grpc::ServerContext* context, const v1::ListLaddersRequest* request,
    v1::ListLaddersResponse* response) {
  return Reply(manager_.ListLadders(common::BearerTokenOf(*context)),
               [&](const std::vector<LadderRecord>& ladders) {
                 for (const LadderRecord& r : ladders) {
                   LadderToProto(r, response->add_ladders());
                 }
               });
}

grpc::Status EscalationGrpcService::DeleteLadder(
    grpc::ServerContext* context, const v1::DeleteLadderRequest* request,
    google::protobuf::Empty* response) {
  absl::StatusOr<std::string> metric =
      MetricWordOf(request->metric(), "metric");
  if (!metric.ok()) return Done(metric.status());
  return Done(manager_.DeleteLadder(common::BearerTokenOf(*context), *metric));
}

// ---- escalations ----

grpc::Status EscalationGrpcService::ListEscalations(
    grpc::ServerContext* context, const v1::ListEscalationsRequest* request,
    v1::ListEscalationsResponse* response) {
  return Reply(
      manager_.ListEscalations(common::BearerTokenOf(*context),
                               EscalationQueryFromProto(*request),
                               request->page_size(), request->page_token()),
      [&](const Page<EscalationRecord>& page) {
        for (const EscalationRecord& r : page.items) {
          EscalationToProto(r, response->add_escalations());
        }
        response->set_next_page_token(page.next_page_token);
      });
}

grpc::Status EscalationGrpcService::AcknowledgeEscalation(
    grpc::ServerContext* context,
    const v1::AcknowledgeEscalationRequest* request, v1::Escalation* response) {
  return Reply(
      manager_.AcknowledgeEscalation(common::BearerTokenOf(*context),
                                     request->escalation_id()),
      [&](const EscalationRecord& r) { EscalationToProto(r, response); });
}

// ---- notifications ----

grpc::Status EscalationGrpcService::ListNotifications(
    grpc::ServerContext* context, const v1::ListNotificationsRequest* request,
    v1::ListNotificationsResponse* response) {
  return Reply(
      manager_.ListNotifications(common::BearerTokenOf(*context),
                                 request->recipient(), request->unread_only(),
                                 request->page_size(), request->page_token()),
      [&](const std::pair<Page<NotificationRecord>, int>& result) {
        for (const NotificationRecord& r : result.first.items) {
          NotificationToProto(r, response->add_notifications());
        }
        response->set_next_page_token(result.first.next_page_token);
        response->set_unread(result.second);
      });
}

grpc::Status EscalationGrpcService::MarkNotificationsRead(
    grpc::ServerContext* context,
    const v1::MarkNotificationsReadRequest* request,
    v1::MarkNotificationsReadResponse* response) {
  const std::vector<int64_t> ids(request->notification_ids().begin(),
                                 request->notification_ids().end());
  return Reply(manager_.MarkNotificationsRead(common::BearerTokenOf(*context),
                                              ids, request->all()),
               [&](int marked) { response->set_marked(marked); });
}

grpc::Status EscalationGrpcService::WatchNotifications(
    grpc::ServerContext* context, const v1::WatchNotificationsRequest* request,
    grpc::ServerWriter<v1::Notification>* writer) {
  v1::Notification proto;
  return Done(manager_.WatchNotifications(
      common::BearerTokenOf(*context), request->recipient(),
      request->after_cursor(),
      [&](const NotificationRecord& r) {
        proto.Clear();
        NotificationToProto(r, &proto);
        return writer->Write(proto);
      },
      [&] { return context->IsCancelled(); }));
}

grpc::Status EscalationGrpcService::ListWebhookDeliveries(
    grpc::ServerContext* context,
    const v1::ListWebhookDeliveriesRequest* request,
    v1::ListWebhookDeliveriesResponse* response) {
  absl::StatusOr<std::optional<DeliveryRecord::State>> state =
      DeliveryStateFilter(request->state(), "state");
  if (!state.ok()) return Done(state.status());
  return Reply(manager_.ListWebhookDeliveries(
                   common::BearerTokenOf(*context), request->team_id(), *state,
                   request->page_size(), request->page_token()),
               [&](const Page<DeliveryRecord>& page) {
                 for (const DeliveryRecord& r : page.items) {
                   DeliveryToProto(r, response->add_deliveries());
                 }
                 response->set_next_page_token(page.next_page_token);
               });
}

// ---- figures ----

grpc::Status EscalationGrpcService::GetEscalationFigures(
    grpc::ServerContext* context,
    const v1::GetEscalationFiguresRequest* request,
    v1::EscalationFigures* response) {
  const absl::Time start = TimeOr(
      request->start_time(), request->has_start_time(), absl::InfinitePast());
  const absl::Time end = TimeOr(request->end_time(), request->has_end_time(),
                                absl::InfiniteFuture());
  return Reply(
      manager_.GetFigures(common::BearerTokenOf(*context), start, end),
      [&](const Figures& f) { FiguresToProto(f, start, end, response); });
}

}  // namespace cxdesk::escalation
