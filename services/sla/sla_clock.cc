#include "services/sla/sla_clock.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/sla/business_time.h"

namespace cxdesk::sla {
namespace {

constexpr std::array<absl::string_view, 4> kClockStateNames = {
    "running", "paused", "met", "cancelled"};
constexpr std::array<absl::string_view, 8> kTransitionNames = {
    "started",   "paused",     "resumed", "met",
    "cancelled", "retargeted", "warned",  "breached"};

bool IsFinal(absl::string_view status) {
  return status == "solved" || status == "closed";
}

absl::StatusOr<const Calendar*> LookupCalendar(const CalendarLookup& calendars,
                                               const std::string& name) {
  const Calendar* calendar = calendars ? calendars(name) : nullptr;
  if (calendar == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("calendar ", common::Excerpt(name), " not found"));
  }
  return calendar;
}

// Recomputes the deadline and the warning instants of `clock` from its
// target, warnings and pauses. A warning whose instant moved may fire again.
absl::Status Recompute(SlaClock& clock, const Calendar& calendar) {
  CXDESK_ASSIGN_OR_RETURN(clock.deadline,
                          InstantAtElapsed(clock, calendar, clock.target));
  clock.warning_due.resize(clock.warnings.size(), absl::InfiniteFuture());
  clock.warning_fired.resize(clock.warnings.size(), false);
  for (size_t i = 0; i < clock.warnings.size(); ++i) {
    CXDESK_ASSIGN_OR_RETURN(
        const absl::Time due,
        InstantAtElapsed(clock, calendar,
                         WarningElapsed(clock.warnings[i], clock.target)));
    if (due != clock.warning_due[i]) {
      clock.warning_due[i] = due;
      clock.warning_fired[i] = false;
    }
  }
  return absl::OkStatus();
}

// Applies one change to a copy of the state; see TicketClocks::Apply.
class Applier {
 public:
  Applier(TicketClocksState& state, const TicketChange& change,
          const Policy& policy, const CalendarLookup& calendars)
      : state_(state),
        change_(change),
        policy_(policy),
        calendars_(calendars) {}

  absl::StatusOr<std::vector<SlaTransition>> Run() {
    using Kind = TicketChange::Kind;
    const std::string before_status = state_.facts.status;
    const bool retarget =
        state_.created && (state_.facts.priority != change_.after.priority ||
                           state_.policy != policy_.name);
    if (retarget) CXDESK_RETURN_IF_ERROR(Retarget());
    state_.created = true;
    state_.last_change = change_.at;
    state_.policy = policy_.name;
    state_.facts = change_.after;

    const std::string& status = change_.after.status;
    switch (change_.kind) {
      case Kind::kCreated:
        CXDESK_RETURN_IF_ERROR(Start(Metric::kFirstResponse));
        CXDESK_RETURN_IF_ERROR(Start(Metric::kResolution));
        break;
      case Kind::kPublicAgentReply:
        for (Metric m : {Metric::kFirstResponse, Metric::kNextResponse,
                         Metric::kPeriodicUpdate}) {
          if (SlaClock* c = OpenClock(m)) Meet(*c);
        }
        if (!IsFinal(status)) {
          CXDESK_RETURN_IF_ERROR(Start(Metric::kPeriodicUpdate));
        }
        break;
      case Kind::kCustomerMessage:
        if (!IsFinal(status) && OpenClock(Metric::kFirstResponse) == nullptr &&
            OpenClock(Metric::kNextResponse) == nullptr) {
          CXDESK_RETURN_IF_ERROR(Start(Metric::kNextResponse));
        }
        break;
      case Kind::kInternalNote:
      case Kind::kStatusChanged:
      case Kind::kPriorityChanged:
      case Kind::kOtherChange:
        break;
    }

    if (change_.kind != Kind::kCreated && status != before_status) {
      if (status == "solved") {
        if (SlaClock* c = OpenClock(Metric::kResolution)) Meet(*c);
        for (Metric m : {Metric::kFirstResponse, Metric::kNextResponse,
                         Metric::kPeriodicUpdate}) {
          if (SlaClock* c = OpenClock(m)) Cancel(*c, "ticket solved");
        }
      } else if (status == "closed") {
        for (SlaClock& c : state_.clocks) {
          if (c.open()) Cancel(c, "ticket closed");
        }
      } else if (before_status == "solved" &&
                 policy_.reopen_restarts_resolution) {
        CXDESK_RETURN_IF_ERROR(Start(Metric::kResolution));
      }
    }
    CXDESK_RETURN_IF_ERROR(ReconcilePauses());
    return std::move(out_);
  }

 private:
  SlaClock* OpenClock(Metric metric) {
    for (SlaClock& c : state_.clocks) {
      if (c.metric == metric && c.open()) return &c;
    }
    return nullptr;
  }

  SlaTransition Event(SlaTransition::Kind kind, const SlaClock& c) const {
    SlaTransition t;
    t.kind = kind;
    t.metric = c.metric;
    t.cycle = c.cycle;
    t.at = change_.at;
    t.deadline = c.deadline;
    t.actor = change_.actor;
    t.reason = change_.reason;
    t.status = change_.after.status;
    return t;
  }

  // Starts the next cycle of `metric` if the policy has a target for it.
  absl::Status Start(Metric metric) {
    const TargetSpec* spec = policy_.Target(change_.after.priority, metric);
    if (spec == nullptr) return absl::OkStatus();
    CXDESK_ASSIGN_OR_RETURN(const Calendar* calendar,
                            LookupCalendar(calendars_, spec->calendar));
    int cycle = 1;
    for (const SlaClock& c : state_.clocks) {
      if (c.metric == metric) cycle = std::max(cycle, c.cycle + 1);
    }
    SlaClock clock;
    clock.metric = metric;
    clock.cycle = cycle;
    clock.state = ClockState::kRunning;
    clock.started = change_.at;
    clock.target = spec->target;
    clock.calendar = spec->calendar;
    clock.warnings = spec->warnings;
    CXDESK_RETURN_IF_ERROR(Recompute(clock, *calendar));
    out_.push_back(Event(SlaTransition::Kind::kStarted, clock));
    state_.clocks.push_back(std::move(clock));
    return absl::OkStatus();
  }

  // Ends `c` (met or cancelled) at the change; an open pause ends with it.
  void End(SlaClock& c, ClockState state) {
    if (c.state == ClockState::kPaused) c.pauses.back().to = change_.at;
    c.state = state;
    c.ended = change_.at;
  }

  void Meet(SlaClock& c) {
    End(c, ClockState::kMet);
    SlaTransition t = Event(SlaTransition::Kind::kMet, c);
    t.met_late = change_.at > c.deadline;
    out_.push_back(std::move(t));
  }

  void Cancel(SlaClock& c, absl::string_view why) {
    End(c, ClockState::kCancelled);
    SlaTransition t = Event(SlaTransition::Kind::kCancelled, c);
    if (t.reason.empty()) t.reason = std::string(why);
    out_.push_back(std::move(t));
  }

  absl::Status Retarget() {
    for (SlaClock& c : state_.clocks) {
      if (!c.open()) continue;
      const TargetSpec* spec = policy_.Target(change_.after.priority, c.metric);
      if (spec == nullptr) {
        Cancel(c,
               absl::StrCat("no target for priority ", change_.after.priority,
                            " under policy ", policy_.name));
        continue;
      }
      if (spec->target == c.target && spec->calendar == c.calendar &&
          spec->warnings == c.warnings) {
        continue;
      }
      CXDESK_ASSIGN_OR_RETURN(const Calendar* calendar,
                              LookupCalendar(calendars_, spec->calendar));
      c.target = spec->target;
      c.calendar = spec->calendar;
      if (spec->warnings != c.warnings) {
        c.warnings = spec->warnings;
        c.warning_due.clear();
        c.warning_fired.clear();
      }
      CXDESK_RETURN_IF_ERROR(Recompute(c, *calendar));
      SlaTransition t = Event(SlaTransition::Kind::kRetargeted, c);
      t.overdue = !c.breached && c.deadline <= change_.at;
      out_.push_back(std::move(t));
    }
    return absl::OkStatus();
  }

  // Makes every open clock paused iff the ticket's status pauses clocks.
  absl::Status ReconcilePauses() {
    const std::string& status = change_.after.status;
    const bool pause = !IsFinal(status) && policy_.PausesIn(status);
    for (SlaClock& c : state_.clocks) {
      if (!c.open()) continue;
      if (c.state == ClockState::kPaused &&
          (!pause || c.pauses.back().status != status)) {
        CXDESK_RETURN_IF_ERROR(Resume(c));
      }
      if (c.state == ClockState::kRunning && pause) {
        CXDESK_RETURN_IF_ERROR(PauseClock(c));
      }
    }
    return absl::OkStatus();
  }

  absl::Status PauseClock(SlaClock& c) {
    CXDESK_ASSIGN_OR_RETURN(const Calendar* calendar,
                            LookupCalendar(calendars_, c.calendar));
    Pause p;
    p.from = change_.at;
    p.actor = change_.actor;
    p.reason = change_.reason;
    p.status = change_.after.status;
    c.pauses.push_back(std::move(p));
    c.state = ClockState::kPaused;
    CXDESK_RETURN_IF_ERROR(Recompute(c, *calendar));
    out_.push_back(Event(SlaTransition::Kind::kPaused, c));
    return absl::OkStatus();
  }

  absl::Status Resume(SlaClock& c) {
    CXDESK_ASSIGN_OR_RETURN(const Calendar* calendar,
                            LookupCalendar(calendars_, c.calendar));
    Pause& p = c.pauses.back();
    p.to = change_.at;
    c.state = ClockState::kRunning;
    CXDESK_RETURN_IF_ERROR(Recompute(c, *calendar));
    SlaTransition t = Event(SlaTransition::Kind::kResumed, c);
    t.pause_business = BusinessTimeBetween(*calendar, p.from, p.to);
    t.pause_elapsed = p.to - p.from;
    out_.push_back(std::move(t));
    return absl::OkStatus();
  }

  TicketClocksState& state_;
  const TicketChange& change_;
  const Policy& policy_;
  const CalendarLookup& calendars_;
  std::vector<SlaTransition> out_;
};

}  // namespace

absl::string_view ClockStateName(ClockState state) {
  const size_t i = static_cast<size_t>(state);
  return i < kClockStateNames.size() ? kClockStateNames[i] : "";
}

absl::string_view TransitionName(SlaTransition::Kind kind) {
  const size_t i = static_cast<size_t>(kind);
  return i < kTransitionNames.size() ? kTransitionNames[i] : "";
}

absl::StatusOr<absl::Time> InstantAtElapsed(const SlaClock& clock,
                                            const Calendar& calendar,
                                            absl::Duration elapsed) {
  if (elapsed <= absl::ZeroDuration()) return clock.started;
  absl::Duration remaining = elapsed;
  absl::Time cursor = clock.started;
  for (const Pause& p : clock.pauses) {
    const absl::Duration available =
        BusinessTimeBetween(calendar, cursor, p.from);
    if (available >= remaining) {
      return AddBusinessTime(calendar, cursor, remaining);
    }
    remaining -= available;
    if (p.to == absl::InfiniteFuture()) return absl::InfiniteFuture();
    cursor = p.to;
  }
  return AddBusinessTime(calendar, cursor, remaining);
}

absl::Duration ElapsedBusinessTime(const SlaClock& clock,
                                   const Calendar& calendar, absl::Time at) {
  const absl::Time end = std::min(at, clock.ended);
  absl::Duration elapsed = absl::ZeroDuration();
  absl::Time cursor = clock.started;
  for (const Pause& p : clock.pauses) {
    elapsed += BusinessTimeBetween(calendar, cursor, std::min(p.from, end));
    cursor = p.to;
    if (cursor >= end) return elapsed;
  }
  return elapsed + BusinessTimeBetween(calendar, cursor, end);
}

const SlaClock* TicketClocks::Find(Metric metric, int cycle) const {
  for (const SlaClock& c : state_.clocks) {
    if (c.metric == metric && c.cycle == cycle) return &c;
  }
  return nullptr;
}

const SlaClock* TicketClocks::Open(Metric metric) const {
  for (const SlaClock& c : state_.clocks) {
    if (c.metric == metric && c.open()) return &c;
  }
  return nullptr;
}

absl::StatusOr<std::vector<SlaTransition>> TicketClocks::Apply(
    const TicketChange& change, const Policy& policy,
    const CalendarLookup& calendars) {
  if (change.at == absl::InfiniteFuture() ||
      change.at == absl::InfinitePast()) {
    return absl::InvalidArgumentError("at: must be finite");
  }
  if (change.at < state_.last_change) {
    return absl::InvalidArgumentError(
        "at: before the previous change of this ticket");
  }
  const bool creating = change.kind == TicketChange::Kind::kCreated;
  if (!state_.created && !creating) {
    return absl::FailedPreconditionError(
        "the first change of a ticket must be its creation");
  }
  if (state_.created && creating) {
    return absl::FailedPreconditionError("the ticket was already created");
  }
  TicketClocksState next = state_;
  CXDESK_ASSIGN_OR_RETURN(std::vector<SlaTransition> out,
                          Applier(next, change, policy, calendars).Run());
  state_ = std::move(next);
  return out;
}

std::vector<TimerSpec> TicketClocks::ArmedTimers() const {
  std::vector<TimerSpec> timers;
  for (const SlaClock& c : state_.clocks) {
    if (!c.open() || c.breached) continue;
    for (size_t i = 0; i < c.warnings.size() && i < c.warning_due.size(); ++i) {
      if (c.warning_fired[i] || c.warning_due[i] == absl::InfiniteFuture()) {
        continue;
      }
      timers.push_back({c.metric, c.cycle, TimerSpec::Kind::kWarning,
                        static_cast<int>(i), c.warning_due[i]});
    }
    if (c.deadline != absl::InfiniteFuture()) {
      timers.push_back(
          {c.metric, c.cycle, TimerSpec::Kind::kBreach, -1, c.deadline});
    }
  }
  return timers;
}

absl::StatusOr<SlaTransition> TicketClocks::FireTimer(const TimerSpec& timer,
                                                      absl::Time now) {
  SlaClock* clock = nullptr;
  for (SlaClock& c : state_.clocks) {
    if (c.metric == timer.metric && c.cycle == timer.cycle) clock = &c;
  }
  if (clock == nullptr) {
    return absl::NotFoundError(absl::StrCat("no ", MetricName(timer.metric),
                                            " clock of cycle ", timer.cycle));
  }
  const bool warning = timer.kind == TimerSpec::Kind::kWarning;
  if (warning && (timer.warning < 0 ||
                  timer.warning >= static_cast<int>(clock->warnings.size()))) {
    return absl::NotFoundError(absl::StrCat("no warning ", timer.warning));
  }
  if (!clock->open() || clock->breached) {
    return absl::FailedPreconditionError(absl::StrCat(
        "timer not armed: the clock is ",
        clock->breached ? "breached" : ClockStateName(clock->state)));
  }
  const absl::Time due =
      warning ? clock->warning_due[timer.warning] : clock->deadline;
  if (due != timer.due || (warning && clock->warning_fired[timer.warning])) {
    return absl::FailedPreconditionError(
        "timer not armed: stale due time or already fired");
  }
  if (now < timer.due) {
    return absl::FailedPreconditionError("timer not due yet");
  }
  SlaTransition t;
  t.kind =
      warning ? SlaTransition::Kind::kWarned : SlaTransition::Kind::kBreached;
  t.metric = clock->metric;
  t.cycle = clock->cycle;
  t.at = now;
  t.deadline = clock->deadline;
  t.status = state_.facts.status;
  if (warning) {
    t.warning = clock->warnings[timer.warning];
    clock->warning_fired[timer.warning] = true;
  } else {
    clock->breached = true;
  }
  return t;
}

}  // namespace cxdesk::sla
