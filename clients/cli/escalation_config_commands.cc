// The `team ...`, `agent ...`, `rule ...` and `ladder ...` commands: the
// escalation service's configuration.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/command.h"
#include "clients/cli/escalation_output.h"
#include "clients/cli/requests.h"
#include "clients/common/enum_words.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::cli {
namespace {

namespace slapb = ::cxdesk::sla::v1;
namespace escpb = ::cxdesk::escalation::v1;

absl::Status RunTeamCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::Team team, ReadConfigFile<escpb::Team>(inv));
  escpb::CreateTeamRequest request;
  *request.mutable_team() = std::move(team);
  CXDESK_ASSIGN_OR_RETURN(escpb::Team created,
                          FromServer(inv.escalation().CreateTeam(request)));
  return PrintWritten(inv, created, "team", created.team_id(), "created",
                      created.etag());
}

Command TeamCreateCommand() {
  return Command("team create")
      .Summary(
          "create a team from a Team file (text format, JSON or YAML) "
          "(manager)")
      .Required("file", "FILE",
                "the Team as text format, JSON (.json) or YAML (.yaml) "
                "(team_id, display_name, lead, manager, default_calendar, "
                "default_team, webhook); - reads standard input")
      .Service(Service::kEscalation)
      .Run(&RunTeamCreate);
}

absl::Status RunTeamUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::Team team, ReadConfigFile<escpb::Team>(inv));
  CXDESK_RETURN_IF_ERROR(RequireId(inv, team.team_id(), "team_id", "team"));
  escpb::UpdateTeamRequest request;
  if (inv.flags().Has("etag")) {
    request.set_etag(inv.flags().Get("etag"));
  } else {
    escpb::GetTeamRequest get;
    get.set_team_id(team.team_id());
    CXDESK_ASSIGN_OR_RETURN(escpb::Team current,
                            FromServer(inv.escalation().GetTeam(get)));
    request.set_etag(current.etag());
  }
  *request.mutable_team() = std::move(team);
  CXDESK_ASSIGN_OR_RETURN(escpb::Team updated,
                          FromServer(inv.escalation().UpdateTeam(request)));
  return PrintWritten(inv, updated, "team", updated.team_id(), "updated",
                      updated.etag());
}

Command TeamUpdateCommand() {
  return Command("team update")
      .Summary(
          "replace the team named by team_id in the file; an empty webhook "
          "secret keeps the stored one (manager)")
      .Required("file", "FILE",
                "the new Team as text format, JSON (.json) or YAML (.yaml)")
      .Flag("etag", "ETAG",
            "fail if the team changed since this etag (default: the current "
            "one, i.e. overwrite)")
      .Service(Service::kEscalation)
      .Run(&RunTeamUpdate);
}

absl::Status RunTeamGet(Invocation& inv) {
  escpb::GetTeamRequest request;
  request.set_team_id(inv.arg(0));
  return PrintReply(inv, inv.escalation().GetTeam(request), &FormatTeamDetails);
}

Command TeamGetCommand() {
  return Command("team get")
      .Args("ID", 1)
      .Summary("a team's lead, manager, calendar and webhook (staff)")
      .Service(Service::kEscalation)
      .Run(&RunTeamGet);
}

absl::Status RunTeamList(Invocation& inv) {
  escpb::ListTeamsRequest request;
  request.set_page_size(500);
  std::vector<escpb::Team> teams;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(
      CollectPages(inv, request, &EscalationClient::ListTeams,
                   &escpb::ListTeamsResponse::mutable_teams, 0, &teams, &more));
  if (inv.global().json) return absl::OkStatus();
  if (teams.empty()) {
    inv.out() << "no teams\n";
  } else {
    inv.out() << FormatTeamTable(teams);
  }
  return absl::OkStatus();
}

Command TeamListCommand() {
  return Command("team list")
      .Summary("all teams as a table (staff)")
      .Service(Service::kEscalation)
      .Run(&RunTeamList);
}

absl::Status RunTeamDelete(Invocation& inv) {
  escpb::DeleteTeamRequest request;
  request.set_team_id(inv.arg(0));
  CXDESK_RETURN_IF_ERROR(FromServer(inv.escalation().DeleteTeam(request)));
  return PrintDeleted(inv, "team", request.team_id());
}

Command TeamDeleteCommand() {
  return Command("team delete")
      .Args("ID", 1)
      .Summary(
          "delete a team no rule routes to and no agent belongs to (manager)")
      .Service(Service::kEscalation)
      .Run(&RunTeamDelete);
}

absl::Status RunAgentCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::Agent agent,
                          ReadConfigFile<escpb::Agent>(inv));
  escpb::CreateAgentRequest request;
  *request.mutable_agent() = std::move(agent);
  CXDESK_ASSIGN_OR_RETURN(escpb::Agent created,
                          FromServer(inv.escalation().CreateAgent(request)));
  return PrintWritten(inv, created, "agent", created.agent_id(), "created",
                      created.etag());
}

Command AgentCreateCommand() {
  return Command("agent create")
      .Summary(
          "create an agent from a Agent file (text format, JSON or YAML) "
          "(manager)")
      .Required("file", "FILE",
                "the Agent as text format, JSON (.json) or YAML (.yaml) "
                "(agent_id, display_name, team_ids, skills, tier, capacity, "
                "availability, shift_calendar); - reads standard input")
      .Service(Service::kEscalation)
      .Run(&RunAgentCreate);
}

absl::Status RunAgentUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::Agent agent,
                          ReadConfigFile<escpb::Agent>(inv));
  CXDESK_RETURN_IF_ERROR(RequireId(inv, agent.agent_id(), "agent_id", "agent"));
  escpb::UpdateAgentRequest request;
  request.set_etag(inv.flags().Get("etag"));
  // The update replaces the definition: a file without availability keeps
  // the agent's current one rather than signing them off.
  const bool keep_availability =
      agent.availability() == escpb::AVAILABILITY_UNSPECIFIED;
  if (!inv.flags().Has("etag") || keep_availability) {
    escpb::GetAgentRequest get;
    get.set_agent_id(agent.agent_id());
    CXDESK_ASSIGN_OR_RETURN(escpb::Agent current,
                            FromServer(inv.escalation().GetAgent(get)));
    if (!inv.flags().Has("etag")) request.set_etag(current.etag());
    if (keep_availability) agent.set_availability(current.availability());
  }
  *request.mutable_agent() = std::move(agent);
  CXDESK_ASSIGN_OR_RETURN(escpb::Agent updated,
                          FromServer(inv.escalation().UpdateAgent(request)));
  return PrintWritten(inv, updated, "agent", updated.agent_id(), "updated",
                      updated.etag());
}

Command AgentUpdateCommand() {
  return Command("agent update")
      .Summary(
          "replace the agent named by agent_id in the file; without "
          "availability the current one is kept (manager)")
      .Required("file", "FILE",
                "the new Agent as text format, JSON (.json) or YAML (.yaml)")
      .Flag("etag", "ETAG",
            "fail if the agent changed since this etag (default: the current "
            "one, i.e. overwrite)")
      .Service(Service::kEscalation)
      .Run(&RunAgentUpdate);
}

absl::Status RunAgentGet(Invocation& inv) {
  escpb::GetAgentRequest request;
  request.set_agent_id(inv.arg(0));
  return PrintReply(inv, inv.escalation().GetAgent(request),
                    &FormatAgentDetails);
}

Command AgentGetCommand() {
  return Command("agent get")
      .Args("ID", 1)
      .Summary("an agent's teams, skills, availability and load (staff)")
      .Service(Service::kEscalation)
      .Run(&RunAgentGet);
}

absl::Status RunAgentList(Invocation& inv) {
  escpb::ListAgentsRequest request;
  request.set_team_id(inv.flags().Get("team"));
  request.set_page_size(500);
  std::vector<escpb::Agent> agents;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(CollectPages(
      inv, request, &EscalationClient::ListAgents,
      &escpb::ListAgentsResponse::mutable_agents, 0, &agents, &more));
  if (inv.global().json) return absl::OkStatus();
  if (agents.empty()) {
    inv.out() << (request.team_id().empty()
                      ? std::string("no agents\n")
                      : absl::StrCat("no agents in team ", request.team_id(),
                                     "\n"));
  } else {
    inv.out() << FormatAgentTable(agents);
  }
  return absl::OkStatus();
}

Command AgentListCommand() {
  return Command("agent list")
      .Summary("agents as a table with their load (staff)")
      .Flag("team", "TEAM", "only members of this team")
      .Service(Service::kEscalation)
      .Run(&RunAgentList);
}

absl::Status RunAgentDelete(Invocation& inv) {
  escpb::DeleteAgentRequest request;
  request.set_agent_id(inv.arg(0));
  CXDESK_RETURN_IF_ERROR(FromServer(inv.escalation().DeleteAgent(request)));
  return PrintDeleted(inv, "agent", request.agent_id());
}

Command AgentDeleteCommand() {
  return Command("agent delete")
      .Args("ID", 1)
      .Summary("delete an agent who leads or manages no team (manager)")
      .Service(Service::kEscalation)
      .Run(&RunAgentDelete);
}

absl::Status RunAgentAvailability(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      escpb::SetAgentAvailabilityRequest request,
      AsUsage(BuildSetAvailabilityRequest(inv.arg(0), inv.arg(1))));
  CXDESK_ASSIGN_OR_RETURN(
      escpb::Agent agent,
      FromServer(inv.escalation().SetAgentAvailability(request)));
  if (inv.global().json) return inv.PrintJson(agent);
  inv.out() << "agent " << agent.agent_id() << " is now "
            << AvailabilityWord(agent.availability()) << " ("
            << agent.open_tickets() << "/" << agent.capacity()
            << " open tickets)\n";
  return absl::OkStatus();
}

Command AgentAvailabilityCommand() {
  return Command("agent availability")
      .Args("ID STATE", 2)
      .Summary(absl::StrCat(
          "set an agent's availability to STATE: ", AvailabilityWords(),
          "; ID me is yourself (the agent, or a manager)"))
      .Service(Service::kEscalation)
      .Run(&RunAgentAvailability);
}

absl::Status RunRuleCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::RoutingRule rule,
                          ReadConfigFile<escpb::RoutingRule>(inv));
  escpb::CreateRoutingRuleRequest request;
  *request.mutable_rule() = std::move(rule);
  CXDESK_ASSIGN_OR_RETURN(
      escpb::RoutingRule created,
      FromServer(inv.escalation().CreateRoutingRule(request)));
  return PrintWritten(inv, created, "rule", created.rule_id(), "created",
                      created.etag());
}

Command RuleCreateCommand() {
  return Command("rule create")
      .Summary(
          "create a routing rule from a RoutingRule file (text format, JSON or "
          "YAML) (manager)")
      .Required("file", "FILE",
                "the RoutingRule as text format, JSON (.json) or YAML (.yaml) "
                "(rule_id, position, conditions, team_id, strategy); - reads "
                "standard input")
      .Service(Service::kEscalation)
      .Run(&RunRuleCreate);
}

absl::Status RunRuleUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::RoutingRule rule,
                          ReadConfigFile<escpb::RoutingRule>(inv));
  CXDESK_RETURN_IF_ERROR(RequireId(inv, rule.rule_id(), "rule_id", "rule"));
  escpb::UpdateRoutingRuleRequest request;
  if (inv.flags().Has("etag")) {
    request.set_etag(inv.flags().Get("etag"));
  } else {
    escpb::GetRoutingRuleRequest get;
    get.set_rule_id(rule.rule_id());
    CXDESK_ASSIGN_OR_RETURN(escpb::RoutingRule current,
                            FromServer(inv.escalation().GetRoutingRule(get)));
    request.set_etag(current.etag());
  }
  *request.mutable_rule() = std::move(rule);
  CXDESK_ASSIGN_OR_RETURN(
      escpb::RoutingRule updated,
      FromServer(inv.escalation().UpdateRoutingRule(request)));
  return PrintWritten(inv, updated, "rule", updated.rule_id(), "updated",
                      updated.etag());
}

Command RuleUpdateCommand() {
  return Command("rule update")
      .Summary("replace the rule named by rule_id in the file (manager)")
      .Required(
          "file", "FILE",
          "the new RoutingRule as text format, JSON (.json) or YAML (.yaml)")
      .Flag("etag", "ETAG",
            "fail if the rule changed since this etag (default: the current "
            "one, i.e. overwrite)")
      .Service(Service::kEscalation)
      .Run(&RunRuleUpdate);
}

absl::Status RunRuleGet(Invocation& inv) {
  escpb::GetRoutingRuleRequest request;
  request.set_rule_id(inv.arg(0));
  return PrintReply(inv, inv.escalation().GetRoutingRule(request),
                    &FormatRuleDetails);
}

Command RuleGetCommand() {
  return Command("rule get")
      .Args("ID", 1)
      .Summary("a routing rule's conditions, team and strategy (staff)")
      .Service(Service::kEscalation)
      .Run(&RunRuleGet);
}

absl::Status RunRuleList(Invocation& inv) {
  escpb::ListRoutingRulesRequest request;
  request.set_page_size(500);
  std::vector<escpb::RoutingRule> rules;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(CollectPages(
      inv, request, &EscalationClient::ListRoutingRules,
      &escpb::ListRoutingRulesResponse::mutable_rules, 0, &rules, &more));
  if (inv.global().json) return absl::OkStatus();
  if (rules.empty()) {
    inv.out() << "no routing rules (every ticket goes to the default team)\n";
  } else {
    inv.out() << FormatRuleTable(rules);
  }
  return absl::OkStatus();
}

Command RuleListCommand() {
  return Command("rule list")
      .Summary("the routing rules in the order they are tried (staff)")
      .Service(Service::kEscalation)
      .Run(&RunRuleList);
}

absl::Status RunRuleDelete(Invocation& inv) {
  escpb::DeleteRoutingRuleRequest request;
  request.set_rule_id(inv.arg(0));
  CXDESK_RETURN_IF_ERROR(
      FromServer(inv.escalation().DeleteRoutingRule(request)));
  return PrintDeleted(inv, "rule", request.rule_id());
}

Command RuleDeleteCommand() {
  return Command("rule delete")
      .Args("ID", 1)
      .Summary("delete a routing rule (manager)")
      .Service(Service::kEscalation)
      .Run(&RunRuleDelete);
}

absl::Status RunLadderSet(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::Ladder ladder,
                          ReadConfigFile<escpb::Ladder>(inv));
  escpb::SetLadderRequest request;
  *request.mutable_ladder() = std::move(ladder);
  request.set_etag(inv.flags().Get("etag"));
  CXDESK_ASSIGN_OR_RETURN(escpb::Ladder set,
                          FromServer(inv.escalation().SetLadder(request)));
  return PrintWritten(inv, set, "ladder", MetricWord(set.metric()), "set",
                      set.etag());
}

Command LadderSetCommand() {
  return Command("ladder set")
      .Summary(
          "create or replace the escalation ladder of the file's metric "
          "(manager)")
      .Required("file", "FILE",
                "the Ladder as text format, JSON (.json) or YAML (.yaml) "
                "(metric, steps); - reads standard input")
      .Flag("etag", "ETAG",
            "fail if the ladder changed since this etag (default: overwrite)")
      .Service(Service::kEscalation)
      .Run(&RunLadderSet);
}

absl::StatusOr<slapb::Metric> MetricArg(Invocation& inv) {
  return AsUsage(ParseMetric("METRIC", inv.arg(0)));
}

absl::Status RunLadderGet(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::Metric metric, MetricArg(inv));
  escpb::GetLadderRequest request;
  request.set_metric(metric);
  return PrintReply(inv, inv.escalation().GetLadder(request),
                    &FormatLadderDetails);
}

Command LadderGetCommand() {
  return Command("ladder get")
      .Args("METRIC", 1)
      .Summary(
          absl::StrCat("a metric's ladder step by step (staff); METRIC one of ",
                       MetricWords()))
      .Service(Service::kEscalation)
      .Run(&RunLadderGet);
}

absl::Status RunLadderList(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      escpb::ListLaddersResponse response,
      FromServer(inv.escalation().ListLadders(escpb::ListLaddersRequest())));
  if (inv.global().json) return inv.PrintJson(response);
  if (response.ladders().empty()) {
    inv.out() << "no ladders (no metric escalates)\n";
    return absl::OkStatus();
  }
  inv.out() << FormatLadderTable(
      {response.ladders().begin(), response.ladders().end()}, inv.output());
  return absl::OkStatus();
}

Command LadderListCommand() {
  return Command("ladder list")
      .Summary("every ladder, by metric (staff)")
      .Service(Service::kEscalation)
      .Run(&RunLadderList);
}

absl::Status RunLadderDelete(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(slapb::Metric metric, MetricArg(inv));
  escpb::DeleteLadderRequest request;
  request.set_metric(metric);
  CXDESK_RETURN_IF_ERROR(FromServer(inv.escalation().DeleteLadder(request)));
  return PrintDeleted(inv, "ladder", MetricWord(metric));
}

Command LadderDeleteCommand() {
  return Command("ladder delete")
      .Args("METRIC", 1)
      .Summary(
          "delete a metric's ladder; its pending steps do not run (manager)")
      .Service(Service::kEscalation)
      .Run(&RunLadderDelete);
}

}  // namespace

std::vector<Command> EscalationConfigCommands() {
  return {
      TeamCreateCommand(),  TeamUpdateCommand(),        TeamGetCommand(),
      TeamListCommand(),    TeamDeleteCommand(),        AgentCreateCommand(),
      AgentUpdateCommand(), AgentGetCommand(),          AgentListCommand(),
      AgentDeleteCommand(), AgentAvailabilityCommand(), RuleCreateCommand(),
      RuleUpdateCommand(),  RuleGetCommand(),           RuleListCommand(),
      RuleDeleteCommand(),  LadderSetCommand(),         LadderGetCommand(),
      LadderListCommand(),  LadderDeleteCommand()};
}

}  // namespace cxdesk::clients::cli
