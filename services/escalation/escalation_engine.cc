#include "services/escalation/escalation_engine.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/escalation/ladder_unit.h"
#include "services/escalation/routing.h"
#include "services/escalation/routing_unit.h"

namespace cxdesk::escalation {

absl::StatusOr<std::shared_ptr<const Directory>> Engine::CurrentDirectory() {
  CXDESK_ASSIGN_OR_RETURN(int64_t revision, store_.ConfigRevision());
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          directory_.AtLeast(revision));
  // Before any unit of work: routing asks InShift with rows locked, which
  // must not wait for the SLA service.
  if (shifts_ != nullptr) shifts_->Warm(dir->ShiftCalendarIds());
  return dir;
}

RoutingUnit Engine::MakeRouting(EscalationTxn& txn, const Directory& dir,
                                absl::Time now) const {
  return RoutingUnit(txn, dir, now, shifts_, options_.request_prefix);
}

absl::Status Engine::ApplyTicketEvents(
    const std::string& consumer, const std::vector<TicketEventIn>& events) {
  if (events.empty()) return absl::OkStatus();
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          CurrentDirectory());
  // Stream snapshots omit the description; word rules need it.
  std::map<int64_t, std::string> descriptions;
  if (dir->RulesReadWords()) {
    for (const TicketEventIn& e : events) {
      if (e.type != "created") continue;
      absl::StatusOr<TicketToRoute> full = gateway_.GetTicket(e.ticket_id);
      if (full.ok()) {
        descriptions[e.ticket_id] = full->description;
      } else if (full.status().code() != absl::StatusCode::kNotFound) {
        return full.status();
      }
    }
  }
  const absl::Time now = clock_.Now();
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    RoutingUnit unit = MakeRouting(txn, *dir, now);
    std::vector<int64_t> ids;
    for (const TicketEventIn& e : events) ids.push_back(e.ticket_id);
    CXDESK_RETURN_IF_ERROR(unit.Prefetch(std::move(ids)));
    std::set<std::string> drain;
    auto freed = [&](const std::string& agent) {
      if (const Agent* a = dir->FindAgent(agent); a != nullptr) {
        drain.insert(a->teams.begin(), a->teams.end());
      }
    };
    for (const TicketEventIn& e : events) {
      CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> prev,
                              unit.Ticket(e.ticket_id));
      if (prev.has_value() && prev->version >= e.after.version) continue;
      TicketView t = e.after;
      t.id = e.ticket_id;
      t.route.id = e.ticket_id;
      if (prev.has_value()) {
        t.pending_assignee = prev->pending_assignee;
        t.queued_at = prev->queued_at;
        t.strategy = prev->strategy;
        t.routed = prev->routed;
      }
      // A routing assignment not carried out yet is obsolete once the
      // ticket is closed or someone else assigned it (e.g. a stream
      // replayed from the start on a desk that ran without this service).
      if (prev.has_value() &&
          (!t.Open() ||
           (e.type == "assigned" && !prev->pending_assignee.empty() &&
            t.assignee != prev->pending_assignee))) {
        CXDESK_RETURN_IF_ERROR(txn.CancelRoutingActions(
            t.id,
            !t.Open() ? absl::StrCat("skipped: the ticket is ", t.status)
                      : absl::StrCat("skipped: assigned to ", t.assignee,
                                     " meanwhile"),
            now));
        t.pending_assignee.clear();
      }
      // An assignment came through (ours or someone's): nothing pending.
      if (e.type == "assigned") t.pending_assignee.clear();
      if (!t.assignee.empty() || !t.Open()) t.queued_at.reset();
      if (prev.has_value()) {
        const std::string before = prev->LoadOf();
        if (prev->Open() && !before.empty() &&
            (!t.Open() || t.LoadOf() != before)) {
          freed(before);  // Solved, closed or reassigned: a slot freed.
        }
        // Moved to another team by hand, unassigned: it waits there.
        if (t.Open() && t.team != prev->team && !t.team.empty() &&
            t.LoadOf().empty()) {
          t.queued_at = now;
          drain.insert(t.team);
        }
      }
      if (e.type == "created" && !t.routed) {
        if (auto it = descriptions.find(t.id); it != descriptions.end()) {
          t.route.description = it->second;
        }
        CXDESK_RETURN_IF_ERROR(
            unit.Route(t, RoutingTrigger::kNewTicket).status());
      }
      CXDESK_RETURN_IF_ERROR(unit.Put(t));
    }
    for (const std::string& team : drain) {
      CXDESK_RETURN_IF_ERROR(unit.Drain(team));
    }
    return txn.SetCursor(consumer, events.back().cursor);
  }));
  return absl::OkStatus();
}

absl::Status Engine::ApplySlaEvents(const std::string& consumer,
                                    const std::vector<SlaEventIn>& events) {
  if (events.empty()) return absl::OkStatus();
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          CurrentDirectory());
  const absl::Time now = clock_.Now();
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    RoutingUnit routing = MakeRouting(txn, *dir, now);
    LadderUnit ladder(routing);
    for (const SlaEventIn& e : events) {
      if (e.kind == "started" || e.kind == "resumed" ||
          e.kind == "retargeted") {
        CXDESK_RETURN_IF_ERROR(
            txn.SetClockDeadline(e.ticket_id, e.metric, e.deadline));
      } else if (e.kind == "paused" || e.kind == "met" ||
                 e.kind == "cancelled") {
        CXDESK_RETURN_IF_ERROR(
            txn.SetClockDeadline(e.ticket_id, e.metric, std::nullopt));
      }
      CXDESK_RETURN_IF_ERROR(ladder.Signal(e, dir->FindLadder(e.metric)));
    }
    return txn.SetCursor(consumer, events.back().cursor);
  }));
  return absl::OkStatus();
}

absl::StatusOr<int> Engine::FireTimers(absl::Time now, int limit,
                                       const std::string& replica) {
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          CurrentDirectory());
  CXDESK_ASSIGN_OR_RETURN(
      int fired,
      store_.FireDueTimers(now, limit, replica,
                           [&](EscalationTxn& txn, const DueTimer& t) {
                             RoutingUnit routing = MakeRouting(txn, *dir, now);
                             return LadderUnit(routing).Timer(t);
                           }));
  return fired;
}

absl::StatusOr<Decision> Engine::DryRun(const TicketToRoute& ticket) {
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          CurrentDirectory());
  Decision out;
  // Read-only, but in a unit of work for a consistent view of the loads;
  // the transaction writes nothing.
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    CXDESK_ASSIGN_OR_RETURN(
        out, MakeRouting(txn, *dir, clock_.Now()).DryRun(ticket));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Decision> Engine::Reroute(int64_t ticket_id) {
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          CurrentDirectory());
  CXDESK_ASSIGN_OR_RETURN(TicketToRoute full, gateway_.GetTicket(ticket_id));
  Decision out;
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    RoutingUnit unit = MakeRouting(txn, *dir, clock_.Now());
    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> found,
                            unit.Ticket(ticket_id));
    if (!found.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "ticket ", ticket_id, " has not reached the escalation service"));
    }
    TicketView t = *std::move(found);
    if (!t.Open()) {
      return absl::FailedPreconditionError(
          absl::StrCat("ticket ", ticket_id, " is ", t.status));
    }
    t.route.description = full.description;
    t.pending_assignee.clear();
    t.queued_at.reset();
    CXDESK_ASSIGN_OR_RETURN(out, unit.Route(t, RoutingTrigger::kManual));
    return unit.Put(t);
  }));
  return out;
}

absl::Status Engine::DrainTeams(const std::vector<std::string>& teams) {
  if (teams.empty()) return absl::OkStatus();
  CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const Directory> dir,
                          CurrentDirectory());
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    RoutingUnit unit = MakeRouting(txn, *dir, clock_.Now());
    std::vector<std::string> sorted = teams;
    std::sort(sorted.begin(), sorted.end());
    for (const std::string& team : sorted) {
      CXDESK_RETURN_IF_ERROR(unit.Drain(team));
    }
    return absl::OkStatus();
  }));
  return absl::OkStatus();
}

absl::StatusOr<EscalationRecord> Engine::Acknowledge(int64_t id,
                                                     const std::string& who) {
  CXDESK_ASSIGN_OR_RETURN(EscalationRecord step, store_.GetEscalation(id));
  const absl::Time now = clock_.Now();
  CXDESK_RETURN_IF_ERROR(store_.Run([&](EscalationTxn& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(txn.LockTicket(step.key.ticket_id));
    CXDESK_ASSIGN_OR_RETURN(std::optional<CycleState> found,
                            txn.GetCycle(step.key));
    CycleState cycle =
        found.value_or(CycleState{step.key, {}, "", std::nullopt});
    if (cycle.ladder.acknowledged) return absl::OkStatus();  // First one kept.
    escalation::Acknowledge(cycle.ladder);
    cycle.acknowledged_by = who;
    cycle.acknowledge_time = now;
    return txn.PutCycle(cycle);
  }));
  return store_.GetEscalation(id);
}

}  // namespace cxdesk::escalation
