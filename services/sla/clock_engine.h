#ifndef CXDESK_SERVICES_SLA_CLOCK_ENGINE_H_
#define CXDESK_SERVICES_SLA_CLOCK_ENGINE_H_

// Turns ticket changes and due timers into the rows the SLA service
// persists: the ticket's new clock state, its ledger events, the timers to
// keep armed and the measurement rows. Pure: no I/O, no clock; the store
// runs these inside its transactions, and SimulatePolicy replays them in
// memory. Thread-safe (no shared state).

#include <optional>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/sla/sla.h"

namespace cxdesk::sla {

// "created", "public_agent_reply", "customer_message", "internal_note",
// "status_changed", "priority_changed", "other" (as sla.ticket_changes
// stores them).
absl::string_view ChangeKindName(TicketChange::Kind kind);
// The inverse; INVALID_ARGUMENT for any other word.
absl::StatusOr<TicketChange::Kind> ParseChangeKind(absl::string_view name);
// The inverse of TransitionName; INVALID_ARGUMENT for any other word.
absl::StatusOr<SlaTransition::Kind> ParseTransitionKind(absl::string_view name);
// The inverse of ClockStateName; INVALID_ARGUMENT for any other word.
absl::StatusOr<ClockState> ParseClockState(absl::string_view name);

// The policy for `facts` under `config` (MatchPolicy), or a policy named ""
// with no targets when none matches.
const Policy& PolicyFor(const SlaConfig& config, const TicketFacts& facts);

// The rows one change or one batch of timers produces for one ticket.
struct ClockUpdate {
  StoredTicket ticket;              // The ticket row to write.
  std::vector<LedgerEvent> events;  // In order.
  std::vector<TimerSpec> armed;     // Every timer that should be armed now.
  std::vector<Measurement> measurements;  // The clocks the events touched.
};

// Applies `change` to the ticket's state (`current` is nullopt for a ticket
// not seen before). Errors are those of TicketClocks::Apply (e.g.
// FAILED_PRECONDITION for a first change that is not a creation): they are
// deterministic, so the caller records the change and moves on.
absl::StatusOr<ClockUpdate> ApplyChange(
    const std::optional<StoredTicket>& current, const RecordedChange& change,
    const SlaConfig& config);

struct FireUpdate {
  ClockUpdate update;
  // Per claimed timer id: fired, or stale (the clock no longer has it).
  std::vector<std::pair<int64_t, TimerOutcome>> outcomes;
};

// Fires `timers` (all of `ticket`, due at or before `now`) in due order. A
// warning or breach event's occur_time is the timer's due instant; a timer
// the clock state no longer arms is stale and produces nothing.
FireUpdate FireTimers(const StoredTicket& ticket,
                      const std::vector<ArmedTimer>& timers, absl::Time now,
                      const SlaConfig& config);

// The measurement row of `clock` (see sla.measurements).
Measurement Measure(const StoredTicket& ticket, const SlaClock& clock,
                    const Calendar* calendar);

// Replays one ticket's changes (in order) under `config` and returns every
// clock's measurement: timers due before each change fire before it, and
// those due at or before `until` fire at the end (as the live service would
// have fired them). Changes the rules reject are skipped, as live.
std::vector<Measurement> ReplayTicket(
    const std::vector<RecordedChange>& changes, const SlaConfig& config,
    absl::Time until, std::optional<int>* csat);

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_CLOCK_ENGINE_H_
