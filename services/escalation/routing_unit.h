#ifndef CXDESK_SERVICES_ESCALATION_ROUTING_UNIT_H_
#define CXDESK_SERVICES_ESCALATION_ROUTING_UNIT_H_

// The routing half of one escalation unit of work: it decides which team
// and agent take a ticket (through the pure rules of routing.h), records
// the decision and queues the assignment in the action outbox, all on one
// EscalationTxn. The ladder half (ladder_unit.h) reads tickets and loads
// through it and reuses its decisions for "reassign to another team".
// Neither proto nor pqxx.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/escalation/escalation.h"
#include "services/escalation/escalation_store.h"
#include "services/escalation/routing.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// The strategy of a team that no rule named (the default team, a ladder's
// "other team"): capacity-aware, which is what a catch-all needs.
inline constexpr Strategy kFallbackStrategy = Strategy::kLeastLoaded;

// The ids of the agents of `dir` that belong to `team`, in directory order.
std::vector<std::string> MemberIds(const Directory& dir,
                                   const std::string& team);

// Everything one unit of work needs to route: the transaction, the
// directory it decides on and the instant it decides at. It reads each
// ticket, agent load and round-robin position once and keeps them for the
// rest of the transaction (every write goes through it, and the team and
// ticket locks it takes keep other writers out), so a batch costs a few
// statements per ticket, not a dozen. Lives no longer than the
// transaction's callback; not thread-safe. Errors are the store's.
class RoutingUnit {
 public:
  // `shifts` may be null (everyone always on shift); `request_prefix`
  // prefixes the idempotency keys of the queued assignments. `txn`, `dir`
  // and `shifts` must outlive the unit.
  RoutingUnit(EscalationTxn& txn, const Directory& dir, absl::Time now,
              ShiftCalendars* shifts, std::string request_prefix)
      : txn_(txn),
        dir_(dir),
        now_(now),
        shifts_(shifts),
        request_prefix_(std::move(request_prefix)) {}

  RoutingUnit(const RoutingUnit&) = delete;
  RoutingUnit& operator=(const RoutingUnit&) = delete;

  // The unit's transaction, directory, instant and key prefix (for the
  // ladder unit composed with it).
  EscalationTxn& txn() { return txn_; }
  const Directory& directory() const { return dir_; }
  absl::Time now() const { return now_; }
  const std::string& request_prefix() const { return request_prefix_; }

  // Reads the tickets `ids` (duplicates allowed) in one statement and keeps
  // them, the unknown ones as absent.
  absl::Status Prefetch(std::vector<int64_t> ids);
  // The ticket projection of `id` (nullopt: not seen), read once per unit.
  absl::StatusOr<std::optional<TicketView>> Ticket(int64_t id);
  // Writes `t` and keeps the cached loads in step with the stored ones (a
  // ticket counts towards LoadOf() while it is open).
  absl::Status Put(const TicketView& t);

  // Routes `t` (trigger kNewTicket or kManual) at now(): the first matching
  // rule's team and strategy, else the default team with kFallbackStrategy,
  // else nowhere. Records the decision, queues the assignment (request id
  // "<prefix>-route-<decision id>") and marks `t` routed; the caller stores
  // `t`. Returns the decision with its id.
  absl::StatusOr<Decision> Route(TicketView& t, RoutingTrigger trigger);
  // Assigns waiting tickets of `team` in queue order (SortQueue) while
  // someone has capacity (trigger kCapacityFreed); a ticket closed or taken
  // by hand meanwhile leaves the queue. Takes the team's lock. An unknown
  // team is nothing to do.
  absl::Status Drain(const std::string& team);
  // The decision routing would take for `route` at now() (trigger
  // kDryRun); records nothing and keeps the round-robin position.
  absl::StatusOr<Decision> DryRun(const TicketToRoute& route);

  // Chooses the agent of d.team under d.strategy for `t`: fills the
  // decision's outcome (kAssigned, kQueued, or kRouted for queue-only or an
  // unknown team), agent, candidates and explanation, and `t`'s team,
  // pending assignee and queue time. `lock`: take the team's lock first
  // (the caller holds it otherwise); `keep_position`: store the round-robin
  // position (not for a dry run).
  absl::Status Decide(TicketView& t, Decision& d, bool lock = true,
                      bool keep_position = true);
  // Open tickets of `agents` (absent: none), read once per agent and unit.
  absl::StatusOr<std::map<std::string, int>> Loads(
      const std::vector<std::string>& agents);
  // True if `agent` is on shift at now(): its own calendar, else the
  // team's default one; no calendar or no ShiftCalendars means on shift.
  bool InShift(const Agent& agent, const TeamRecord& team) const;

 private:
  // Sets d's rule, team and strategy from the first matching rule, or the
  // default team; returns why, or nullopt if nothing takes the ticket (then
  // d is complete: routed nowhere, with its explanation).
  std::optional<std::string> PickTeam(const TicketToRoute& route,
                                      Decision& d) const;
  // Queues the AssignTicket the decision asks for (the team alone when
  // nobody was chosen).
  absl::Status QueueAssignment(const TicketView& t, const Decision& d);
  absl::StatusOr<RoundRobinState> RoundRobin(const std::string& team);
  absl::Status SetRoundRobin(const std::string& team,
                             const RoundRobinState& state);

  EscalationTxn& txn_;
  const Directory& dir_;
  const absl::Time now_;
  ShiftCalendars* const shifts_;
  const std::string request_prefix_;
  std::map<int64_t, std::optional<TicketView>> tickets_;
  std::map<std::string, int> loads_;
  std::map<std::string, RoundRobinState> round_robin_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ROUTING_UNIT_H_
