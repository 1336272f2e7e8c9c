#include "services/escalation/ladder.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace cxdesk::escalation {
namespace {

constexpr std::array<absl::string_view, 4> kMetrics = {
    "first_response", "next_response", "periodic_update", "resolution"};

absl::string_view TriggerWord(Trigger::Kind kind) {
  switch (kind) {
    case Trigger::Kind::kOnWarning:
      return "on_warning";
    case Trigger::Kind::kOnBreach:
      return "on_breach";
    case Trigger::Kind::kAfterBreach:
      return "after_breach";
  }
  return "unknown";
}

// Triggers in time order; a ladder's steps never go back in it.
int Stage(Trigger::Kind kind) {
  switch (kind) {
    case Trigger::Kind::kOnWarning:
      return 0;
    case Trigger::Kind::kOnBreach:
      return 1;
    case Trigger::Kind::kAfterBreach:
      return 2;
  }
  return 3;
}

std::string FormatInstant(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

absl::Status CheckAction(const std::string& field, const Action& action) {
  switch (action.kind) {
    case Action::Kind::kNotify:
      if (action.recipient.kind == Recipient::Kind::kNone) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".recipient: a notify needs a recipient"));
      }
      if (action.recipient.kind == Recipient::Kind::kNamed &&
          action.recipient.name.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".recipient.name: a named recipient needs a name"));
      }
      return absl::OkStatus();
    case Action::Kind::kReassign:
      if (action.reassign.kind == ReassignTarget::Kind::kNone) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".reassign: a reassign needs a target"));
      }
      if (action.reassign.kind == ReassignTarget::Kind::kOtherTeam &&
          action.reassign.team.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".reassign.team: reassigning to another team needs a team"));
      }
      return absl::OkStatus();
    case Action::Kind::kAddNote:
      if (action.note.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".note: a note needs text"));
      }
      return absl::OkStatus();
    case Action::Kind::kRaisePriority:
      return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ".kind: unknown action kind"));
}

bool Stopped(const LadderState& state) { return state.met_or_cancelled; }

bool Breached(const LadderState& state) {
  return state.breached_at != absl::InfinitePast();
}

// Marks `step` done and returns it as due at `at`, skipped if the escalation
// was acknowledged and the step is notify-only.
DueStep Run(const Step& step, LadderState& state, absl::Time at,
            std::string why) {
  state.done_levels.insert(step.level);
  DueStep due;
  due.level = step.level;
  due.actions = step.actions;
  due.at = at;
  due.skipped = state.acknowledged && NotifyOnly(step);
  due.explanation = absl::StrCat("level ", step.level, ": ", why);
  if (due.skipped) {
    absl::StrAppend(&due.explanation,
                    "; skipped: notify-only and the escalation was "
                    "acknowledged");
  }
  return due;
}

// Runs every step with `trigger` that is not done yet, in level order.
std::vector<DueStep> RunAll(const Ladder& ladder, LadderState& state,
                            Trigger::Kind trigger, absl::Time at,
                            const std::string& why) {
  std::vector<DueStep> due;
  for (const Step& step : ladder.steps) {
    if (step.trigger.kind != trigger) continue;
    if (state.done_levels.count(step.level) > 0) continue;
    due.push_back(Run(step, state, at, why));
  }
  return due;
}

}  // namespace

bool NotifyOnly(const Step& step) {
  return !step.actions.empty() &&
         std::all_of(
             step.actions.begin(), step.actions.end(),
             [](const Action& a) { return a.kind == Action::Kind::kNotify; });
}

absl::Status ValidateLadder(const Ladder& ladder) {
  if (std::find(kMetrics.begin(), kMetrics.end(), ladder.metric) ==
      kMetrics.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("metric: unknown metric \"", ladder.metric, "\" (one of ",
                     absl::StrJoin(kMetrics, "|"), ")"));
  }
  if (ladder.steps.empty()) {
    return absl::InvalidArgumentError(
        "steps: a ladder needs at least one step");
  }
  for (size_t i = 0; i < ladder.steps.size(); ++i) {
    const Step& step = ladder.steps[i];
    const std::string field = absl::StrCat("steps[", i, "]");
    if (i == 0 && step.level != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".level: the first level must be 1, not ", step.level));
    }
    if (i > 0) {
      const Step& previous = ladder.steps[i - 1];
      if (step.level <= previous.level) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".level: ", step.level,
            " must be greater than the previous level ", previous.level));
      }
      if (Stage(step.trigger.kind) < Stage(previous.trigger.kind)) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".trigger: ", TriggerWord(step.trigger.kind),
            " cannot follow ", TriggerWord(previous.trigger.kind),
            " (levels climb in time: on_warning, on_breach, after_breach)"));
      }
    }
    if (step.trigger.kind == Trigger::Kind::kAfterBreach) {
      if (step.trigger.delay <= absl::ZeroDuration()) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".trigger.delay: must be > 0, not ",
                         absl::FormatDuration(step.trigger.delay)));
      }
      if (i > 0) {
        const Trigger& previous = ladder.steps[i - 1].trigger;
        if (previous.kind == Trigger::Kind::kAfterBreach &&
            step.trigger.delay < previous.delay) {
          return absl::InvalidArgumentError(absl::StrCat(
              field,
              ".trigger.delay: ", absl::FormatDuration(step.trigger.delay),
              " is shorter than the previous level's ",
              absl::FormatDuration(previous.delay)));
        }
      }
    }
    if (step.actions.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".actions: a step needs at least one action"));
    }
    for (size_t j = 0; j < step.actions.size(); ++j) {
      absl::Status s = CheckAction(absl::StrCat(field, ".actions[", j, "]"),
                                   step.actions[j]);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

std::vector<DueStep> OnSignal(const Ladder& ladder, LadderState& state,
                              const SlaSignal& signal) {
  if (signal.at == absl::InfinitePast() ||
      signal.at == absl::InfiniteFuture()) {
    return {};
  }
  switch (signal.kind) {
    case SlaSignal::Kind::kWarned:
      // Only the cycle's first warning counts, and never after the breach:
      // warning steps are not run late.
      if (Stopped(state) || state.warned || Breached(state)) return {};
      state.warned = true;
      return RunAll(
          ladder, state, Trigger::Kind::kOnWarning, signal.at,
          absl::StrCat(ladder.metric, " warned at ", FormatInstant(signal.at)));
    case SlaSignal::Kind::kBreached:
      if (Stopped(state) || Breached(state)) return {};
      state.breached_at = signal.at;
      return RunAll(ladder, state, Trigger::Kind::kOnBreach, signal.at,
                    absl::StrCat(ladder.metric, " breached at ",
                                 FormatInstant(signal.at)));
    case SlaSignal::Kind::kMet:
    case SlaSignal::Kind::kCancelled:
      state.met_or_cancelled = true;
      return {};
  }
  return {};
}

std::vector<DueStep> OnTimer(const Ladder& ladder, LadderState& state,
                             int level, absl::Time now) {
  if (now == absl::InfinitePast() || now == absl::InfiniteFuture()) return {};
  if (Stopped(state) || !Breached(state)) return {};
  if (state.done_levels.count(level) > 0) return {};
  for (const Step& step : ladder.steps) {
    if (step.level != level) continue;
    if (step.trigger.kind != Trigger::Kind::kAfterBreach) return {};
    const absl::Time due = state.breached_at + step.trigger.delay;
    if (now < due) return {};
    return {Run(
        step, state, now,
        absl::StrCat(absl::FormatDuration(step.trigger.delay), " after the ",
                     ladder.metric, " breach at ",
                     FormatInstant(state.breached_at), " (due ",
                     FormatInstant(due), ", ran ", FormatInstant(now), ")"))};
  }
  return {};
}

std::vector<TimerRequest> PendingTimers(const Ladder& ladder,
                                        const LadderState& state) {
  std::vector<TimerRequest> timers;
  if (Stopped(state) || !Breached(state)) return timers;
  for (const Step& step : ladder.steps) {
    if (step.trigger.kind != Trigger::Kind::kAfterBreach) continue;
    if (state.done_levels.count(step.level) > 0) continue;
    timers.push_back({step.level, state.breached_at + step.trigger.delay});
  }
  return timers;
}

void Acknowledge(LadderState& state) { state.acknowledged = true; }

}  // namespace cxdesk::escalation
