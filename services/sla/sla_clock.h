#ifndef CXDESK_SERVICES_SLA_SLA_CLOCK_H_
#define CXDESK_SERVICES_SLA_SLA_CLOCK_H_

// The SLA clocks of one ticket: a pure state machine driven by ticket changes.
// No I/O and no absl::Now(): every instant is passed in. It returns the SLA
// transitions to append to the ledger and says which timers to arm; the
// caller persists both (see DESIGN.md, "SLA semantics").
//
// Semantics (every choice in one place):
//  - Business time. A clock measures business time on its target's calendar
//    (business_time.h), excluding its pauses. Its elapsed time at t is the
//    business time of [started, t) minus that of its pauses before t. Its
//    deadline is the earliest instant at which the elapsed time reaches the
//    target; a warning fires where it reaches WarningElapsed (policy.h).
//    Deadlines are computed by walking the running segments between pauses,
//    so they are exact even when recomputed after the fact (re-targeting).
//    While a clock is paused and its deadline has not been reached, the
//    deadline is unknown: absl::InfiniteFuture(), and no timer is armed.
//  - Met on time. A clock met at or before its deadline is on time (elapsed
//    == target is within target); after it, late (SlaTransition::met_late),
//    whether or not the breach timer has fired yet.
//  - Breach. A breach is recorded only when the breach timer fires
//    (FireTimer): the clock keeps running and can still be met (late).
//    Nothing un-breaches a clock: not a re-target to a later deadline, since
//    the breach event is already in the append-only ledger.
//  - Which changes count (TicketChange::Kind):
//    kCreated starts first response and resolution (cycle 1) with the
//    priority's targets; a missing target means no clock.
//    kPublicAgentReply meets first response, the open next response and the
//    open periodic update (running or paused: a paused clock's pause ends at
//    the reply), then starts the next periodic-update cycle unless the
//    ticket is solved or closed after the change (so the first periodic
//    update starts at the first public reply).
//    kCustomerMessage starts a next-response clock if none is open (so it
//    measures from the oldest unanswered message), unless first response is
//    still open (that clock already covers the customer's wait) or the ticket
//    is solved or closed after the change.
//    kInternalNote, kStatusChanged, kPriorityChanged and kOtherChange start
//    and meet nothing by themselves.
//  - Order within one change. Whatever its kind, a change's `after` facts
//    are compared with the previous ones:
//    1. first, a different priority or a different policy (by name)
//       re-targets every open clock from its original start, keeping its
//       pauses (kRetargeted, only if target, calendar or warnings changed);
//       a metric without a target under the new priority is cancelled;
//       clocks that did not exist are not created retroactively. `overdue`
//       says the new deadline is already at or before the change: the breach
//       timer is due at once. So clocks started by the same change already
//       use the new targets.
//    2. then the kind's own rule above;
//    3. then the status: entering solved meets resolution and cancels first
//       response (never answered: nothing to measure), next response and
//       periodic update; leaving solved for new|open|pending|on_hold reopens:
//       the next resolution cycle starts if reopen_restarts_resolution;
//       entering closed cancels every open clock;
//    4. last, pauses are reconciled for every open clock: running clocks
//       pause if the status is one of the policy's pause statuses (recording
//       actor, reason, status); paused clocks resume if it is not (the
//       deadline moves by exactly the paused business time); moving between
//       two pause statuses ends one pause and starts another at the same
//       instant (a pause has one status). A met or cancelled paused clock's
//       pause ends at that instant, without a kResumed.
//    A clock started while the ticket is (after the change) in a pause status
//    starts paused: kStarted then kPaused at the same instant.
//  - Cycles. Each metric numbers its clocks 1, 2, ... per ticket.
//
// Thread-compatible: a TicketClocks is plain data; do not share it between
// threads without a lock.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/sla/calendar.h"
#include "services/sla/policy.h"

namespace cxdesk::sla {

// Resolves a calendar name to a calendar, or nullptr if unknown. The pointer
// must stay valid for the duration of the call it is used in.
using CalendarLookup = std::function<const Calendar*(const std::string&)>;

// One ticket change, as the caller maps it from the ticket service's events.
// A customer reply that also reopens the ticket is ONE kCustomerMessage with
// after.status "open".
struct TicketChange {
  enum class Kind {
    kCreated,
    kPublicAgentReply,
    kCustomerMessage,
    kInternalNote,
    kStatusChanged,
    kPriorityChanged,
    kOtherChange
  };
  absl::Time at;
  Kind kind = Kind::kOtherChange;
  TicketFacts after;   // The ticket's fields after the change.
  std::string actor;   // Who made the change (recorded on pauses).
  std::string reason;  // Why (recorded on pauses), may be empty.
};

enum class ClockState { kRunning, kPaused, kMet, kCancelled };

// "running", "paused", "met", "cancelled".
absl::string_view ClockStateName(ClockState state);

// A pause of a clock: [from, to); to is absl::InfiniteFuture() while it lasts.
struct Pause {
  absl::Time from;
  absl::Time to = absl::InfiniteFuture();
  std::string actor;
  std::string reason;
  std::string status;  // The ticket status that paused the clock.
};

// One clock of one ticket. Plain data, so it can be stored and reloaded.
// Breached is a flag, not a state: a breached clock is still running or
// paused until met or cancelled. Pauses are kept as a list (not just a paused
// total) so a re-target can recompute the deadline exactly from `started`,
// and each pause keeps who, why, which status and how long.
struct SlaClock {
  Metric metric = Metric::kFirstResponse;
  int cycle = 1;
  ClockState state = ClockState::kRunning;
  absl::Time started;
  // The current target (after any re-targeting).
  absl::Duration target;
  std::string calendar;
  std::vector<WarningThreshold> warnings;
  // In order; only the last one may be open (while kPaused).
  std::vector<Pause> pauses;
  // See the file comment: InfiniteFuture while paused before reaching it.
  absl::Time deadline = absl::InfiniteFuture();
  // Parallel to `warnings`: when each fires (same rule as `deadline`) and
  // whether it has fired for that instant.
  std::vector<absl::Time> warning_due;
  std::vector<bool> warning_fired;
  bool breached = false;
  // When it was met or cancelled; InfiniteFuture while open.
  absl::Time ended = absl::InfiniteFuture();

  bool open() const {
    return state == ClockState::kRunning || state == ClockState::kPaused;
  }
};

// One SLA event for the ledger.
struct SlaTransition {
  enum class Kind {
    kStarted,
    kPaused,
    kResumed,
    kMet,
    kCancelled,
    kRetargeted,
    kWarned,
    kBreached
  };
  Kind kind = Kind::kStarted;
  Metric metric = Metric::kFirstResponse;
  int cycle = 1;
  absl::Time at;
  // The clock's deadline after the transition (InfiniteFuture if unknown
  // because paused).
  absl::Time deadline = absl::InfiniteFuture();
  std::string actor;
  std::string reason;
  std::string status;  // The ticket status after the change.
  // kResumed: the pause that ended, in business time on the clock's calendar
  // and in elapsed (wall) time.
  absl::Duration pause_business;
  absl::Duration pause_elapsed;
  // kMet: met after the deadline.
  bool met_late = false;
  // kRetargeted: the new deadline is at or before `at` and the clock was not
  // breached yet (its breach timer is due at once).
  bool overdue = false;
  // kWarned: which threshold.
  WarningThreshold warning;
};

// "started", "paused", "resumed", "met", "cancelled", "retargeted", "warned",
// "breached".
absl::string_view TransitionName(SlaTransition::Kind kind);

// A timer the caller keeps armed (sla.timers); identified by
// (metric, cycle, kind, warning, due).
struct TimerSpec {
  enum class Kind { kWarning, kBreach };
  Metric metric = Metric::kFirstResponse;
  int cycle = 1;
  Kind kind = Kind::kBreach;
  // kWarning: the index into SlaClock::warnings; -1 for kBreach.
  int warning = -1;
  absl::Time due;

  friend bool operator==(const TimerSpec& a, const TimerSpec& b) {
    return a.metric == b.metric && a.cycle == b.cycle && a.kind == b.kind &&
           a.warning == b.warning && a.due == b.due;
  }
};

// The instant at which `clock`'s elapsed business time on `calendar` reaches
// `elapsed` (> 0), given its pauses; InfiniteFuture if that falls after the
// start of a pause that is still open. Errors from AddBusinessTime.
absl::StatusOr<absl::Time> InstantAtElapsed(const SlaClock& clock,
                                            const Calendar& calendar,
                                            absl::Duration elapsed);

// The clock's elapsed business time in [started, at), excluding its pauses
// (and not counting past `ended`).
absl::Duration ElapsedBusinessTime(const SlaClock& clock,
                                   const Calendar& calendar, absl::Time at);

// Everything the SLA service keeps per ticket; plain data.
struct TicketClocksState {
  bool created = false;
  absl::Time last_change = absl::InfinitePast();
  std::string policy;  // Name of the policy the clocks were targeted with.
  TicketFacts facts;   // As of the last change.
  std::vector<SlaClock> clocks;  // Every clock ever, in start order.
};

class TicketClocks {
 public:
  TicketClocks() = default;
  explicit TicketClocks(TicketClocksState state) : state_(std::move(state)) {}

  const TicketClocksState& state() const { return state_; }
  const std::vector<SlaClock>& clocks() const { return state_.clocks; }
  // The clock (metric, cycle), or nullptr.
  const SlaClock* Find(Metric metric, int cycle) const;
  // The open (running or paused) clock of `metric`, or nullptr.
  const SlaClock* Open(Metric metric) const;

  // Applies one change under `policy` (the one MatchPolicy picks for
  // change.after) and returns the transitions, in order. All or nothing: on
  // error the state is unchanged.
  // Errors: FAILED_PRECONDITION if the first change is not kCreated, or a
  // kCreated comes twice, or a calendar the policy or a clock names is not
  // found by `calendars`; INVALID_ARGUMENT if change.at is infinite or
  // before the previous change; errors of AddBusinessTime.
  absl::StatusOr<std::vector<SlaTransition>> Apply(
      const TicketChange& change, const Policy& policy,
      const CalendarLookup& calendars);

  // Every timer that should be armed now: for each open clock not yet
  // breached, its breach timer at a finite deadline, and each warning not yet
  // fired at a finite due instant (possibly in the past: it is due at once).
  // The caller arms the ones it has not armed yet and may drop armed timers
  // not in this list (they are stale).
  std::vector<TimerSpec> ArmedTimers() const;

  // Records that `timer` fired at `now` and returns the kWarned or kBreached
  // transition (so a breach is also an SLA event; there is no separate
  // MarkBreached). A breach timer fires even if the clock was paused after
  // its deadline passed. Errors: NOT_FOUND if there is no such clock or
  // warning; FAILED_PRECONDITION if the timer is not armed any more (clock met,
  // cancelled or paused before its deadline, deadline moved, already
  // breached or warned: the caller just drops it) or `now` < timer.due.
  absl::StatusOr<SlaTransition> FireTimer(const TimerSpec& timer,
                                          absl::Time now);

 private:
  TicketClocksState state_;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_SLA_CLOCK_H_
