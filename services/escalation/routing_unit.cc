#include "services/escalation/routing_unit.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace cxdesk::escalation {

std::vector<std::string> MemberIds(const Directory& dir,
                                   const std::string& team) {
  std::vector<std::string> ids;
  for (const Agent& a : dir.agents) {
    if (std::find(a.teams.begin(), a.teams.end(), team) != a.teams.end()) {
      ids.push_back(a.id);
    }
  }
  return ids;
}

absl::Status RoutingUnit::Prefetch(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  CXDESK_ASSIGN_OR_RETURN(std::vector<TicketView> found, txn_.GetTickets(ids));
  for (int64_t id : ids) tickets_[id] = std::nullopt;
  for (TicketView& t : found) tickets_[t.id] = std::move(t);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<TicketView>> RoutingUnit::Ticket(int64_t id) {
  if (auto it = tickets_.find(id); it != tickets_.end()) return it->second;
  CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> t, txn_.GetTicket(id));
  tickets_[id] = t;
  return t;
}

absl::Status RoutingUnit::Put(const TicketView& t) {
  std::string before;
  if (auto it = tickets_.find(t.id);
      it != tickets_.end() && it->second.has_value() && it->second->Open()) {
    before = it->second->LoadOf();
  }
  const std::string after = t.Open() ? t.LoadOf() : std::string();
  if (before != after) {
    if (auto it = loads_.find(before); !before.empty() && it != loads_.end()) {
      --it->second;
    }
    if (auto it = loads_.find(after); !after.empty() && it != loads_.end()) {
      ++it->second;
    }
  }
  CXDESK_RETURN_IF_ERROR(txn_.PutTicket(t));
  tickets_[t.id] = t;
  return absl::OkStatus();
}

absl::StatusOr<Decision> RoutingUnit::Route(TicketView& t,
                                            RoutingTrigger trigger) {
  Decision d;
  d.ticket_id = t.id;
  d.at = now_;
  d.trigger = trigger;
  std::optional<std::string> why = PickTeam(t.route, d);
  if (!why.has_value()) {
    t.routed = true;
    CXDESK_ASSIGN_OR_RETURN(d.id, txn_.AddDecision(d));
    return d;
  }
  t.strategy = d.strategy;
  CXDESK_RETURN_IF_ERROR(Decide(t, d));
  d.explanation = absl::StrCat(*why, "; ", d.explanation);
  CXDESK_ASSIGN_OR_RETURN(d.id, txn_.AddDecision(d));
  CXDESK_RETURN_IF_ERROR(QueueAssignment(t, d));
  t.routed = true;
  return d;
}

absl::Status RoutingUnit::Drain(const std::string& team) {
  const TeamRecord* record = dir_.FindTeam(team);
  if (record == nullptr) return absl::OkStatus();
  CXDESK_RETURN_IF_ERROR(txn_.LockTeam(team));
  CXDESK_ASSIGN_OR_RETURN(std::vector<QueuedTicket> queue,
                          txn_.TeamQueue(team));
  SortQueue(queue);
  for (const QueuedTicket& q : queue) {
    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> found,
                            Ticket(q.ticket_id));
    if (!found.has_value()) continue;
    TicketView& t = *found;
    if (!t.Open() || !t.assignee.empty() || t.team != team) {
      t.queued_at.reset();  // Taken by hand meanwhile, or closed.
      CXDESK_RETURN_IF_ERROR(Put(t));
      continue;
    }
    Decision d;
    d.ticket_id = t.id;
    d.at = now_;
    d.trigger = RoutingTrigger::kCapacityFreed;
    d.team = team;
    d.strategy =
        t.strategy == Strategy::kQueueOnly ? kFallbackStrategy : t.strategy;
    const absl::Time waited_since = t.queued_at.value_or(now_);
    CXDESK_RETURN_IF_ERROR(Decide(t, d, /*lock=*/false));
    if (d.outcome != RoutingOutcome::kAssigned) break;  // Still full.
    t.queued_at.reset();
    d.explanation =
        absl::StrCat("left the queue of team ", team, " after ",
                     absl::FormatDuration(absl::Trunc(now_ - waited_since,
                                                      absl::Milliseconds(1))),
                     " (next deadline first); ", d.explanation);
    CXDESK_ASSIGN_OR_RETURN(d.id, txn_.AddDecision(d));
    CXDESK_RETURN_IF_ERROR(QueueAssignment(t, d));
    CXDESK_RETURN_IF_ERROR(Put(t));
  }
  return absl::OkStatus();
}

absl::StatusOr<Decision> RoutingUnit::DryRun(const TicketToRoute& route) {
  TicketView t;
  t.route = route;
  t.status = "new";
  Decision d;
  d.at = now_;
  d.trigger = RoutingTrigger::kDryRun;
  std::optional<std::string> why = PickTeam(route, d);
  if (!why.has_value()) return d;
  CXDESK_RETURN_IF_ERROR(Decide(t, d, /*lock=*/false, /*keep_position=*/false));
  d.explanation = absl::StrCat(*why, "; ", d.explanation);
  return d;
}

std::optional<std::string> RoutingUnit::PickTeam(const TicketToRoute& route,
                                                 Decision& d) const {
  if (const RoutingRule* rule = MatchRule(dir_.rules, route); rule != nullptr) {
    d.rule_id = rule->id;
    d.team = rule->team;
    d.strategy = rule->strategy;
    return absl::StrCat("rule ", rule->id, " (position ", rule->position,
                        ") matched: team ", rule->team, ", ",
                        Name(rule->strategy));
  }
  if (const TeamRecord* def = dir_.DefaultTeam(); def != nullptr) {
    d.team = def->team.id;
    d.strategy = kFallbackStrategy;
    return absl::StrCat("no rule matched: default team ", d.team, ", ",
                        Name(d.strategy));
  }
  d.outcome = RoutingOutcome::kRouted;
  d.explanation = "no rule matched and there is no default team: left unrouted";
  return std::nullopt;
}

absl::Status RoutingUnit::Decide(TicketView& t, Decision& d, bool lock,
                                 bool keep_position) {
  const TeamRecord* record = dir_.FindTeam(d.team);
  if (record == nullptr) {
    d.outcome = RoutingOutcome::kRouted;
    d.explanation = absl::StrCat("team ", d.team, " does not exist");
    return absl::OkStatus();
  }
  if (lock) CXDESK_RETURN_IF_ERROR(txn_.LockTeam(d.team));
  using LoadMap = std::map<std::string, int>;
  CXDESK_ASSIGN_OR_RETURN(LoadMap open, Loads(MemberIds(dir_, d.team)));
  RoundRobinState rr;
  if (d.strategy == Strategy::kRoundRobin) {
    CXDESK_ASSIGN_OR_RETURN(rr, RoundRobin(d.team));
  }
  CXDESK_ASSIGN_OR_RETURN(
      Assignment a,
      ChooseAgent(record->team, dir_.agents, open, d.strategy, t.route, rr,
                  [&](const Agent& agent) { return InShift(agent, *record); }));
  d.candidates = a.candidates;
  d.explanation = a.explanation;
  t.team = d.team;
  if (a.agent.has_value()) {
    d.outcome = RoutingOutcome::kAssigned;
    d.agent = *a.agent;
    t.pending_assignee = *a.agent;
    t.queued_at.reset();
    if (d.strategy == Strategy::kRoundRobin && keep_position) {
      CXDESK_RETURN_IF_ERROR(SetRoundRobin(d.team, a.next_state));
    }
  } else if (d.strategy == Strategy::kQueueOnly) {
    d.outcome = RoutingOutcome::kRouted;
  } else {
    d.outcome = RoutingOutcome::kQueued;
    if (!t.queued_at.has_value()) t.queued_at = now_;
  }
  return absl::OkStatus();
}

bool RoutingUnit::InShift(const Agent& agent, const TeamRecord& team) const {
  const std::string& calendar = agent.shift_calendar.empty()
                                    ? team.team.default_calendar
                                    : agent.shift_calendar;
  if (calendar.empty() || shifts_ == nullptr) return true;
  return shifts_->InShift(calendar, now_);
}

absl::Status RoutingUnit::QueueAssignment(const TicketView& t,
                                          const Decision& d) {
  ActionRecord a;
  a.ticket_id = t.id;
  a.kind = ActionRecord::Kind::kAssign;
  a.assignee = d.agent;
  a.team = d.team;
  a.decision_id = d.id;
  a.request_id = absl::StrCat(request_prefix_, "-route-", d.id);
  a.next_attempt = now_;
  a.create_time = now_;
  return txn_.AddAction(a).status();
}

absl::StatusOr<std::map<std::string, int>> RoutingUnit::Loads(
    const std::vector<std::string>& agents) {
  std::vector<std::string> missing;
  for (const std::string& a : agents) {
    if (loads_.count(a) == 0) missing.push_back(a);
  }
  if (!missing.empty()) {
    using Counts = std::map<std::string, int>;
    CXDESK_ASSIGN_OR_RETURN(Counts read, txn_.OpenTickets(missing));
    for (const std::string& a : missing) loads_[a] = read[a];
  }
  std::map<std::string, int> out;
  for (const std::string& a : agents) out[a] = loads_[a];
  return out;
}

absl::StatusOr<RoundRobinState> RoutingUnit::RoundRobin(
    const std::string& team) {
  if (auto it = round_robin_.find(team); it != round_robin_.end()) {
    return it->second;
  }
  CXDESK_ASSIGN_OR_RETURN(RoundRobinState state, txn_.GetRoundRobin(team));
  round_robin_[team] = state;
  return state;
}

absl::Status RoutingUnit::SetRoundRobin(const std::string& team,
                                        const RoundRobinState& state) {
  round_robin_[team] = state;
  return txn_.PutRoundRobin(team, state);
}

}  // namespace cxdesk::escalation
