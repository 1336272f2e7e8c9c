#ifndef CXDESK_SERVICES_ESCALATION_LADDER_H_
#define CXDESK_SERVICES_ESCALATION_LADDER_H_

// The escalation ladder of one SLA clock cycle: a pure state machine driven
// by the clock's SLA signals and by timers. No I/O and no absl::Now(): every
// instant is passed in. It returns the steps that are due and says which
// timers to arm; the caller persists the state, records each step and
// carries out its actions (see DESIGN.md, "Routing and escalation").
//
// Semantics (every choice in one place):
//  - A ladder belongs to one SLA metric ("first_response", "next_response",
//    "periodic_update" or "resolution") and is an ordered list of steps. A
//    step has a level, a trigger and one or more actions. Levels climb:
//    the first is 1, each next one is greater (gaps allowed), and triggers
//    are in time order (every kOnWarning step before every kOnBreach step,
//    before every kAfterBreach step; kAfterBreach delays never decrease). So
//    steps always run in level order.
//  - State. One LadderState per SLA clock cycle (ticket, metric, cycle),
//    plain data persisted by the caller; a new cycle starts from a fresh
//    LadderState.
//  - Triggers. kOnWarning steps run on the first kWarned signal of the cycle
//    (a clock may warn several times, at several thresholds: only the first
//    counts). kOnBreach steps run on the kBreached signal. kAfterBreach steps
//    run when their timer fires: due = breached_at + delay; OnTimer before
//    `due` yields nothing and the timer stays pending.
//  - Once per cycle. A level runs at most once per cycle (done_levels), so a
//    repeated or replayed signal or timer yields nothing.
//  - No retroactive steps. A breach that arrives without a prior warning runs
//    only the breach steps; a warning that arrives after the breach yields
//    nothing (the warning steps are never run late).
//  - Met or cancelled stops the ladder: no more steps, no pending timers.
//  - Acknowledged. Once someone acknowledged the escalation, a later
//    notify-only step (all of its actions kNotify) is skipped: it is returned
//    with skipped = true and recorded as done, so the caller can log it but
//    carries out none of its actions. A step with any other action still
//    runs. A notify-only kAfterBreach step stays in PendingTimers after an
//    acknowledgement, so its skip is recorded at its due instant.
//  - A signal or timer with an infinite instant is ignored (yields nothing,
//    state unchanged): breached_at == InfinitePast means "not breached".
//  - The functions assume a ladder that passed ValidateLadder; on another one
//    they do not crash, but which steps run is unspecified.
//
// Thread-compatible: everything here is plain data or a pure function; do not
// share a LadderState between threads without a lock.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace cxdesk::escalation {

// When a step runs.
struct Trigger {
  enum class Kind { kOnWarning, kOnBreach, kAfterBreach };
  Kind kind = Kind::kOnBreach;
  // kAfterBreach only: how long after the breach (> 0). Ignored otherwise.
  absl::Duration delay;

  static Trigger OnWarning() {
    return {Kind::kOnWarning, absl::ZeroDuration()};
  }
  static Trigger OnBreach() { return {Kind::kOnBreach, absl::ZeroDuration()}; }
  static Trigger AfterBreach(absl::Duration delay) {
    return {Kind::kAfterBreach, delay};
  }
};

// Who a kNotify action notifies. kNone is "not set" (invalid in a ladder).
struct Recipient {
  enum class Kind { kNone, kAssignee, kTeamLead, kTeamManager, kNamed };
  Kind kind = Kind::kNone;
  // kNamed only: the agent's name (required).
  std::string name;

  friend bool operator==(const Recipient& a, const Recipient& b) {
    return a.kind == b.kind && a.name == b.name;
  }
};

// Whom a kReassign action reassigns the ticket to. kNone is "not set"
// (invalid in a ladder).
struct ReassignTarget {
  enum class Kind { kNone, kTeamLead, kOtherTeam, kNextTier };
  Kind kind = Kind::kNone;
  // kOtherTeam only: the team's name (required).
  std::string team;

  friend bool operator==(const ReassignTarget& a, const ReassignTarget& b) {
    return a.kind == b.kind && a.team == b.team;
  }
};

// One thing a step does. Only the fields of its kind are read:
// kNotify -> recipient; kReassign -> reassign; kAddNote -> note;
// kRaisePriority -> nothing (the caller raises the ticket's priority one
// step, if it is not at the top already).
struct Action {
  enum class Kind { kNotify, kRaisePriority, kReassign, kAddNote };
  Kind kind = Kind::kNotify;
  Recipient recipient;
  ReassignTarget reassign;
  // kAddNote: the internal note's text (required).
  std::string note;

  static Action Notify(Recipient recipient) {
    Action a;
    a.kind = Kind::kNotify;
    a.recipient = std::move(recipient);
    return a;
  }
  static Action RaisePriority() {
    Action a;
    a.kind = Kind::kRaisePriority;
    return a;
  }
  static Action Reassign(ReassignTarget target) {
    Action a;
    a.kind = Kind::kReassign;
    a.reassign = std::move(target);
    return a;
  }
  static Action AddNote(std::string text) {
    Action a;
    a.kind = Kind::kAddNote;
    a.note = std::move(text);
    return a;
  }

  friend bool operator==(const Action& a, const Action& b) {
    return a.kind == b.kind && a.recipient == b.recipient &&
           a.reassign == b.reassign && a.note == b.note;
  }
};

struct Step {
  int level = 0;
  Trigger trigger;
  std::vector<Action> actions;
};

// True if every action of `step` is kNotify (and it has at least one).
bool NotifyOnly(const Step& step);

struct Ladder {
  // The SLA metric's word: first_response|next_response|periodic_update|
  // resolution.
  std::string metric;
  std::vector<Step> steps;
};

// OK, or INVALID_ARGUMENT whose message starts with the offending field
// (e.g. "steps[1].actions[0].recipient.name: ..."): an unknown metric; no
// steps; a first level other than 1 or a level not greater than the previous
// one; triggers out of time order (see the file comment); a kAfterBreach
// delay <= 0; a step without actions; a kNotify without a recipient or a
// kNamed recipient without a name; a kReassign without a target or a
// kOtherTeam target without a team; a kAddNote without text.
absl::Status ValidateLadder(const Ladder& ladder);

// Everything kept per SLA clock cycle (ticket, metric, cycle); plain data.
struct LadderState {
  // The cycle's first warning was seen.
  bool warned = false;
  // When the clock breached; InfinitePast if it has not.
  absl::Time breached_at = absl::InfinitePast();
  // The clock was met or cancelled: the ladder is stopped.
  bool met_or_cancelled = false;
  // Someone acknowledged the escalation (see Acknowledge).
  bool acknowledged = false;
  // Levels that ran or were skipped in this cycle.
  std::set<int> done_levels;
};

// What the SLA service reports about the cycle's clock.
struct SlaSignal {
  enum class Kind { kWarned, kBreached, kMet, kCancelled };
  Kind kind = Kind::kWarned;
  absl::Time at;
};

// A step that is due now: run its actions (unless skipped) and record it.
struct DueStep {
  int level = 0;
  std::vector<Action> actions;
  // True if the step was skipped because the escalation was acknowledged and
  // the step is notify-only: record it, carry out none of its actions.
  bool skipped = false;
  // When it ran: the signal's instant, or the `now` the timer fired at.
  absl::Time at;
  // Why it ran (or was skipped), for the step's record; one line, English.
  std::string explanation;
};

// A kAfterBreach step's timer: call OnTimer(ladder, state, level, now) once
// now >= due. Identified by (ticket, metric, cycle, level) on the caller's
// side.
struct TimerRequest {
  int level = 0;
  absl::Time due;

  friend bool operator==(const TimerRequest& a, const TimerRequest& b) {
    return a.level == b.level && a.due == b.due;
  }
};

// Applies one SLA signal of the cycle and returns the steps due, in level
// order (see the file comment). kWarned: the kOnWarning steps, on the first
// warning only, before any breach. kBreached: records breached_at =
// signal.at and returns the kOnBreach steps, on the first breach only.
// kMet and kCancelled: stop the ladder, return nothing. Anything after the
// ladder stopped, or repeated, returns nothing and changes nothing.
std::vector<DueStep> OnSignal(const Ladder& ladder, LadderState& state,
                              const SlaSignal& signal);

// The timer of `level` fired at `now`: returns that kAfterBreach step if the
// clock breached, the ladder has not stopped, the level is not done and
// now >= its due instant; otherwise nothing (a stale, early or replayed
// timer, or a level that is not a kAfterBreach step of `ladder`).
std::vector<DueStep> OnTimer(const Ladder& ladder, LadderState& state,
                             int level, absl::Time now);

// The timers to keep armed, in level order: once breached and until the
// ladder stops, one per kAfterBreach step not done yet, due at
// breached_at + delay (possibly already past: it is due at once). The caller
// arms the ones it has not armed yet and may drop the others (stale).
std::vector<TimerRequest> PendingTimers(const Ladder& ladder,
                                        const LadderState& state);

// Records that someone acknowledged the escalation of this cycle: from now
// on notify-only steps are skipped. Idempotent.
void Acknowledge(LadderState& state);

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_LADDER_H_
