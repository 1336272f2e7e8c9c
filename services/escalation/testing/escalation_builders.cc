#include "services/escalation/testing/escalation_builders.h"

#include <utility>

namespace cxdesk::escalation::testing {

TeamRecord MakeTeam(const std::string& id, const std::string& lead,
                    const std::string& manager) {
  TeamRecord t;
  t.team.id = id;
  t.team.lead = lead;
  t.team.manager = manager;
  t.display_name = id;
  return t;
}

AgentRecord MakeAgent(const std::string& id,
                      const std::vector<std::string>& teams, int capacity,
                      Availability availability) {
  AgentRecord a;
  a.agent.id = id;
  a.agent.name = id;
  a.agent.teams = teams;
  a.agent.capacity = capacity;
  a.agent.availability = availability;
  return a;
}

RuleRecord MakeRule(const std::string& id, int position,
                    const std::string& team, Strategy strategy,
                    const std::vector<std::string>& priorities) {
  RuleRecord r;
  r.rule.id = id;
  r.rule.position = position;
  r.rule.team = team;
  r.rule.strategy = strategy;
  r.rule.priorities = priorities;
  return r;
}

Step MakeStep(int level, Trigger trigger, std::vector<Action> actions) {
  Step s;
  s.level = level;
  s.trigger = trigger;
  s.actions = std::move(actions);
  return s;
}

Ladder MakeLadder(const std::string& metric, std::vector<Step> steps) {
  Ladder l;
  l.metric = metric;
  l.steps = std::move(steps);
  return l;
}

TicketEventIn TicketEvent(const std::string& type, int64_t id, int64_t version,
                          const std::string& cursor, absl::Time at,
                          const std::string& status, const std::string& team,
                          const std::string& assignee,
                          const std::string& priority) {
  TicketEventIn e;
  e.id = version;
  e.cursor = cursor;
  e.ticket_id = id;
  e.type = type;
  e.at = at;
  e.after.id = id;
  e.after.version = version;
  e.after.status = status;
  e.after.team = team;
  e.after.assignee = assignee;
  e.after.route.id = id;
  e.after.route.kind = "question";
  e.after.route.channel = "email";
  e.after.route.priority = priority;
  e.after.route.subject = "Ticket subject";
  return e;
}

SlaEventIn SlaEvent(const std::string& kind, int64_t id,
                    const std::string& metric, const std::string& cursor,
                    absl::Time at, std::optional<absl::Time> deadline) {
  SlaEventIn e;
  e.cursor = cursor;
  e.ticket_id = id;
  e.kind = kind;
  e.metric = metric;
  e.cycle = 1;
  e.occur_time = at;
  e.deadline = deadline;
  return e;
}

}  // namespace cxdesk::escalation::testing
