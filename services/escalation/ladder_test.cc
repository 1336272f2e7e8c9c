#include "services/escalation/ladder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cxdesk::escalation {

// Readable failure messages.
void PrintTo(const TimerRequest& t, std::ostream* os) {
  *os << "{level " << t.level << " due "
      << absl::FormatTime(absl::RFC3339_full, t.due, absl::UTCTimeZone())
      << "}";
}
void PrintTo(const DueStep& d, std::ostream* os) {
  *os << "{level " << d.level << (d.skipped ? " skipped" : "") << " at "
      << absl::FormatTime(absl::RFC3339_full, d.at, absl::UTCTimeZone()) << ": "
      << d.explanation << "}";
}

namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// 2026-06-08 10:00:00 UTC plus `minutes`.
absl::Time At(int minutes) {
  return absl::FromCivil(absl::CivilMinute(2026, 6, 8, 10, 0),
                         absl::UTCTimeZone()) +
         absl::Minutes(minutes);
}

Recipient Who(Recipient::Kind kind, std::string name = "") {
  return {kind, std::move(name)};
}

// The ladder of DESIGN.md: level 1 on warning notifies the assignee; level 2
// on breach raises priority and reassigns to the team lead; level 3, 10
// minutes after the breach, notifies the team manager.
Ladder Standard() {
  Ladder ladder;
  ladder.metric = "first_response";
  ladder.steps.push_back({1,
                          Trigger::OnWarning(),
                          {Action::Notify(Who(Recipient::Kind::kAssignee))}});
  ladder.steps.push_back(
      {2,
       Trigger::OnBreach(),
       {Action::RaisePriority(),
        Action::Reassign({ReassignTarget::Kind::kTeamLead, ""})}});
  ladder.steps.push_back(
      {3,
       Trigger::AfterBreach(absl::Minutes(10)),
       {Action::Notify(Who(Recipient::Kind::kTeamManager))}});
  return ladder;
}

SlaSignal Warned(absl::Time at) { return {SlaSignal::Kind::kWarned, at}; }
SlaSignal Breached(absl::Time at) { return {SlaSignal::Kind::kBreached, at}; }
SlaSignal Met(absl::Time at) { return {SlaSignal::Kind::kMet, at}; }
SlaSignal Cancelled(absl::Time at) { return {SlaSignal::Kind::kCancelled, at}; }

bool SameState(const LadderState& a, const LadderState& b) {
  return a.warned == b.warned && a.breached_at == b.breached_at &&
         a.met_or_cancelled == b.met_or_cancelled &&
         a.acknowledged == b.acknowledged && a.done_levels == b.done_levels;
}

class LadderTest : public ::testing::Test {
 protected:
  Ladder ladder_ = Standard();
  LadderState state_;
};

TEST_F(LadderTest, StandardLadderIsValid) {
  EXPECT_TRUE(ValidateLadder(ladder_).ok()) << ValidateLadder(ladder_);
  EXPECT_TRUE(NotifyOnly(ladder_.steps[0]));
  EXPECT_FALSE(NotifyOnly(ladder_.steps[1]));
  EXPECT_TRUE(NotifyOnly(ladder_.steps[2]));
}

TEST_F(LadderTest, FirstWarningRunsTheWarningSteps) {
  std::vector<DueStep> due = OnSignal(ladder_, state_, Warned(At(0)));

  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 1);
  EXPECT_THAT(due[0].actions,
              ElementsAre(Action::Notify(Who(Recipient::Kind::kAssignee))));
  EXPECT_FALSE(due[0].skipped);
  EXPECT_EQ(due[0].at, At(0));
  EXPECT_EQ(due[0].explanation,
            "level 1: first_response warned at 2026-06-08T10:00:00+00:00");
  EXPECT_TRUE(state_.warned);
  EXPECT_THAT(state_.done_levels, ElementsAre(1));
  EXPECT_THAT(PendingTimers(ladder_, state_), IsEmpty());

  // A second warning of the same cycle (another threshold) runs nothing.
  LadderState before = state_;
  EXPECT_THAT(OnSignal(ladder_, state_, Warned(At(15))), IsEmpty());
  EXPECT_TRUE(SameState(state_, before));
}

TEST_F(LadderTest, BreachRunsTheBreachStepsAndArmsTheDelayedStep) {
  OnSignal(ladder_, state_, Warned(At(0)));
  std::vector<DueStep> due = OnSignal(ladder_, state_, Breached(At(30)));

  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 2);
  EXPECT_THAT(
      due[0].actions,
      ElementsAre(Action::RaisePriority(),
                  Action::Reassign({ReassignTarget::Kind::kTeamLead, ""})));
  EXPECT_FALSE(due[0].skipped);
  EXPECT_EQ(due[0].at, At(30));
  EXPECT_EQ(due[0].explanation,
            "level 2: first_response breached at 2026-06-08T10:30:00+00:00");
  EXPECT_EQ(state_.breached_at, At(30));
  EXPECT_THAT(state_.done_levels, ElementsAre(1, 2));
  EXPECT_THAT(PendingTimers(ladder_, state_),
              ElementsAre(TimerRequest{3, At(40)}));
}

TEST_F(LadderTest, TimerRunsTheDelayedStepAtItsDueInstantNotBefore) {
  OnSignal(ladder_, state_, Warned(At(0)));
  OnSignal(ladder_, state_, Breached(At(30)));

  // One nanosecond early: nothing, and the timer stays pending.
  LadderState before = state_;
  EXPECT_THAT(OnTimer(ladder_, state_, 3, At(40) - absl::Nanoseconds(1)),
              IsEmpty());
  EXPECT_TRUE(SameState(state_, before));
  EXPECT_THAT(PendingTimers(ladder_, state_),
              ElementsAre(TimerRequest{3, At(40)}));

  std::vector<DueStep> due = OnTimer(ladder_, state_, 3, At(40));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 3);
  EXPECT_THAT(due[0].actions,
              ElementsAre(Action::Notify(Who(Recipient::Kind::kTeamManager))));
  EXPECT_FALSE(due[0].skipped);
  EXPECT_EQ(due[0].at, At(40));
  EXPECT_EQ(due[0].explanation,
            "level 3: 10m after the first_response breach at "
            "2026-06-08T10:30:00+00:00 (due 2026-06-08T10:40:00+00:00, ran "
            "2026-06-08T10:40:00+00:00)");
  EXPECT_THAT(state_.done_levels, ElementsAre(1, 2, 3));
  EXPECT_THAT(PendingTimers(ladder_, state_), IsEmpty());
}

TEST_F(LadderTest, LateTimerRunsAtTheInstantItFired) {
  OnSignal(ladder_, state_, Breached(At(30)));
  std::vector<DueStep> due = OnTimer(ladder_, state_, 3, At(95));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].at, At(95));
  EXPECT_THAT(due[0].explanation,
              HasSubstr("due 2026-06-08T10:40:00+00:00, ran "
                        "2026-06-08T11:35:00+00:00"));
}

TEST_F(LadderTest, ReplayedSignalsAndTimersRunNothingTwice) {
  OnSignal(ladder_, state_, Warned(At(0)));
  OnSignal(ladder_, state_, Breached(At(30)));
  OnTimer(ladder_, state_, 3, At(40));
  const LadderState done = state_;

  EXPECT_THAT(OnSignal(ladder_, state_, Warned(At(0))), IsEmpty());
  EXPECT_THAT(OnSignal(ladder_, state_, Breached(At(30))), IsEmpty());
  // A breach replayed with another instant does not move the breach either.
  EXPECT_THAT(OnSignal(ladder_, state_, Breached(At(50))), IsEmpty());
  EXPECT_THAT(OnTimer(ladder_, state_, 3, At(40)), IsEmpty());
  EXPECT_THAT(OnTimer(ladder_, state_, 3, At(60)), IsEmpty());
  EXPECT_TRUE(SameState(state_, done));
  EXPECT_THAT(PendingTimers(ladder_, state_), IsEmpty());
}

TEST_F(LadderTest, ReplayingTheWholeCycleOnAFreshCopyGivesTheSameSteps) {
  // The caller reloads persisted state and replays: only what was not done
  // yet runs.
  OnSignal(ladder_, state_, Warned(At(0)));
  LadderState reloaded = state_;
  EXPECT_THAT(OnSignal(ladder_, reloaded, Warned(At(0))), IsEmpty());
  std::vector<DueStep> due = OnSignal(ladder_, reloaded, Breached(At(30)));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 2);
}

TEST_F(LadderTest, AcknowledgementSkipsTheLaterNotifyOnlyStep) {
  OnSignal(ladder_, state_, Warned(At(0)));
  OnSignal(ladder_, state_, Breached(At(30)));
  Acknowledge(state_);
  EXPECT_TRUE(state_.acknowledged);

  // Still pending: the skip is recorded at its due instant.
  EXPECT_THAT(PendingTimers(ladder_, state_),
              ElementsAre(TimerRequest{3, At(40)}));
  EXPECT_THAT(OnTimer(ladder_, state_, 3, At(39)), IsEmpty());

  std::vector<DueStep> due = OnTimer(ladder_, state_, 3, At(40));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 3);
  EXPECT_TRUE(due[0].skipped);
  EXPECT_EQ(due[0].at, At(40));
  EXPECT_THAT(due[0].actions,
              ElementsAre(Action::Notify(Who(Recipient::Kind::kTeamManager))));
  EXPECT_THAT(due[0].explanation,
              HasSubstr("skipped: notify-only and the escalation was "
                        "acknowledged"));
  EXPECT_THAT(state_.done_levels, ElementsAre(1, 2, 3));
  EXPECT_THAT(PendingTimers(ladder_, state_), IsEmpty());
  EXPECT_THAT(OnTimer(ladder_, state_, 3, At(41)), IsEmpty());
}

TEST_F(LadderTest, AcknowledgementStillRunsStepsWithOtherActions) {
  OnSignal(ladder_, state_, Warned(At(0)));
  Acknowledge(state_);
  Acknowledge(state_);  // Idempotent.

  std::vector<DueStep> due = OnSignal(ladder_, state_, Breached(At(30)));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 2);
  EXPECT_FALSE(due[0].skipped);
  EXPECT_THAT(due[0].explanation, Not(HasSubstr("skipped")));

  due = OnTimer(ladder_, state_, 3, At(40));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_TRUE(due[0].skipped);
}

TEST_F(LadderTest, AcknowledgementBeforeTheWarningSkipsTheWarningNotify) {
  Acknowledge(state_);
  std::vector<DueStep> due = OnSignal(ladder_, state_, Warned(At(0)));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 1);
  EXPECT_TRUE(due[0].skipped);
  EXPECT_THAT(state_.done_levels, ElementsAre(1));
}

TEST_F(LadderTest, MetBeforeTheBreachStopsTheLadder) {
  OnSignal(ladder_, state_, Warned(At(0)));
  EXPECT_THAT(OnSignal(ladder_, state_, Met(At(20))), IsEmpty());
  EXPECT_TRUE(state_.met_or_cancelled);
  const LadderState stopped = state_;

  EXPECT_THAT(OnSignal(ladder_, state_, Breached(At(30))), IsEmpty());
  EXPECT_EQ(state_.breached_at, absl::InfinitePast());
  EXPECT_THAT(PendingTimers(ladder_, state_), IsEmpty());
  EXPECT_THAT(OnTimer(ladder_, state_, 3, At(40)), IsEmpty());
  EXPECT_THAT(OnSignal(ladder_, state_, Warned(At(25))), IsEmpty());
  EXPECT_THAT(OnSignal(ladder_, state_, Met(At(26))), IsEmpty());
  EXPECT_TRUE(SameState(state_, stopped));
  EXPECT_THAT(state_.done_levels, ElementsAre(1));
}

TEST_F(LadderTest, CancelledAfterTheBreachDropsThePendingTimer) {
  OnSignal(ladder_, state_, Breached(At(30)));
  ASSERT_THAT(PendingTimers(ladder_, state_),
              ElementsAre(TimerRequest{3, At(40)}));

  EXPECT_THAT(OnSignal(ladder_, state_, Cancelled(At(35))), IsEmpty());
  EXPECT_THAT(PendingTimers(ladder_, state_), IsEmpty());
  EXPECT_THAT(OnTimer(ladder_, state_, 3, At(40)), IsEmpty());
  EXPECT_THAT(state_.done_levels, ElementsAre(2));
}

TEST_F(LadderTest, MetLateAfterTheBreachAlsoStopsTheLadder) {
  OnSignal(ladder_, state_, Breached(At(30)));
  OnSignal(ladder_, state_, Met(At(38)));
  EXPECT_THAT(PendingTimers(ladder_, state_), IsEmpty());
  EXPECT_THAT(OnTimer(ladder_, state_, 3, At(40)), IsEmpty());
}

TEST_F(LadderTest, BreachWithoutWarningRunsOnlyTheBreachSteps) {
  std::vector<DueStep> due = OnSignal(ladder_, state_, Breached(At(30)));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 2);
  EXPECT_FALSE(state_.warned);
  EXPECT_THAT(state_.done_levels, ElementsAre(2));

  // A warning arriving after the breach is not run late.
  EXPECT_THAT(OnSignal(ladder_, state_, Warned(At(31))), IsEmpty());
  EXPECT_THAT(state_.done_levels, ElementsAre(2));

  due = OnTimer(ladder_, state_, 3, At(40));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].level, 3);
  EXPECT_THAT(state_.done_levels, ElementsAre(2, 3));
}

TEST_F(LadderTest, SeveralStepsOnTheSameTriggerRunInLevelOrder) {
  ladder_.steps.insert(
      ladder_.steps.begin() + 2,
      Step{3,
           Trigger::OnBreach(),
           {Action::AddNote("breached: escalated to the lead")}});
  ladder_.steps[3].level = 4;
  ASSERT_TRUE(ValidateLadder(ladder_).ok()) << ValidateLadder(ladder_);

  std::vector<DueStep> due = OnSignal(ladder_, state_, Breached(At(30)));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].level, 2);
  EXPECT_EQ(due[1].level, 3);
  EXPECT_THAT(due[1].actions,
              ElementsAre(Action::AddNote("breached: escalated to the lead")));
}

TEST_F(LadderTest, PendingTimersAreDueAtExactlyBreachPlusDelay) {
  ladder_.steps.push_back(
      {4,
       Trigger::AfterBreach(absl::Hours(1) + absl::Seconds(1)),
       {Action::Notify(Who(Recipient::Kind::kNamed, "dana"))}});
  ASSERT_TRUE(ValidateLadder(ladder_).ok()) << ValidateLadder(ladder_);

  // Nothing before the breach.
  EXPECT_THAT(PendingTimers(ladder_, state_), IsEmpty());
  OnSignal(ladder_, state_, Warned(At(0)));
  EXPECT_THAT(PendingTimers(ladder_, state_), IsEmpty());

  const absl::Time breach = At(30) + absl::Microseconds(123457);
  OnSignal(ladder_, state_, Breached(breach));
  EXPECT_THAT(PendingTimers(ladder_, state_),
              ElementsAre(TimerRequest{3, breach + absl::Minutes(10)},
                          TimerRequest{4, breach + absl::Seconds(3601)}));

  // Level 4 fires first (e.g. after a restart): only level 3 stays pending.
  ASSERT_EQ(OnTimer(ladder_, state_, 4, breach + absl::Hours(2)).size(), 1u);
  EXPECT_THAT(PendingTimers(ladder_, state_),
              ElementsAre(TimerRequest{3, breach + absl::Minutes(10)}));
}

TEST_F(LadderTest, TimersForOtherLevelsOrBeforeTheBreachRunNothing) {
  EXPECT_THAT(OnTimer(ladder_, state_, 3, At(100)), IsEmpty());
  EXPECT_TRUE(state_.done_levels.empty());

  OnSignal(ladder_, state_, Warned(At(0)));
  EXPECT_THAT(OnTimer(ladder_, state_, 1, At(100)), IsEmpty());

  // Level 2 is an on-breach step: a timer never runs it.
  LadderState fresh;
  fresh.breached_at = At(30);
  EXPECT_THAT(OnTimer(ladder_, fresh, 2, At(100)), IsEmpty());
  EXPECT_THAT(OnTimer(ladder_, fresh, 9, At(100)), IsEmpty());
  EXPECT_TRUE(fresh.done_levels.empty());
}

TEST_F(LadderTest, InfiniteInstantsAreIgnored) {
  EXPECT_THAT(OnSignal(ladder_, state_, Breached(absl::InfinitePast())),
              IsEmpty());
  EXPECT_THAT(OnSignal(ladder_, state_, Warned(absl::InfiniteFuture())),
              IsEmpty());
  EXPECT_THAT(OnSignal(ladder_, state_, Met(absl::InfiniteFuture())),
              IsEmpty());
  EXPECT_TRUE(SameState(state_, LadderState{}));

  OnSignal(ladder_, state_, Breached(At(30)));
  EXPECT_THAT(OnTimer(ladder_, state_, 3, absl::InfiniteFuture()), IsEmpty());
  EXPECT_THAT(state_.done_levels, ElementsAre(2));
}

// ValidateLadder: each broken ladder gives INVALID_ARGUMENT naming the field.
struct BadLadder {
  std::string name;
  std::function<void(Ladder&)> breaks;
  std::string message;
};

class ValidateLadderTest : public ::testing::TestWithParam<BadLadder> {};

TEST_P(ValidateLadderTest, NamesTheField) {
  Ladder ladder = Standard();
  GetParam().breaks(ladder);
  absl::Status s = ValidateLadder(ladder);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(s.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Broken, ValidateLadderTest,
    ::testing::Values(
        BadLadder{"UnknownMetric",
                  [](Ladder& l) { l.metric = "first-response"; },
                  "metric: unknown metric \"first-response\" (one of "
                  "first_response|next_response|periodic_update|resolution)"},
        BadLadder{"NoSteps", [](Ladder& l) { l.steps.clear(); },
                  "steps: a ladder needs at least one step"},
        BadLadder{"FirstLevelNotOne", [](Ladder& l) { l.steps[0].level = 0; },
                  "steps[0].level: the first level must be 1, not 0"},
        BadLadder{"LevelRepeated", [](Ladder& l) { l.steps[1].level = 1; },
                  "steps[1].level: 1 must be greater than the previous level "
                  "1"},
        BadLadder{"LevelDecreasing", [](Ladder& l) { l.steps[2].level = 2; },
                  "steps[2].level: 2 must be greater than the previous level "
                  "2"},
        BadLadder{"ZeroDelay",
                  [](Ladder& l) {
                    l.steps[2].trigger =
                        Trigger::AfterBreach(absl::ZeroDuration());
                  },
                  "steps[2].trigger.delay: must be > 0, not 0"},
        BadLadder{"NegativeDelay",
                  [](Ladder& l) {
                    l.steps[2].trigger =
                        Trigger::AfterBreach(absl::Minutes(-5));
                  },
                  "steps[2].trigger.delay: must be > 0, not -5m"},
        BadLadder{"NoActions", [](Ladder& l) { l.steps[2].actions.clear(); },
                  "steps[2].actions: a step needs at least one action"},
        BadLadder{"NotifyWithoutRecipient",
                  [](Ladder& l) { l.steps[0].actions[0].recipient = {}; },
                  "steps[0].actions[0].recipient: a notify needs a recipient"},
        BadLadder{"NamedRecipientWithoutName",
                  [](Ladder& l) {
                    l.steps[2].actions.push_back(
                        Action::Notify(Who(Recipient::Kind::kNamed)));
                  },
                  "steps[2].actions[1].recipient.name: a named recipient "
                  "needs a name"},
        BadLadder{"ReassignWithoutTarget",
                  [](Ladder& l) { l.steps[1].actions[1].reassign = {}; },
                  "steps[1].actions[1].reassign: a reassign needs a target"},
        BadLadder{"OtherTeamWithoutTeam",
                  [](Ladder& l) {
                    l.steps[1].actions[1].reassign = {
                        ReassignTarget::Kind::kOtherTeam, ""};
                  },
                  "steps[1].actions[1].reassign.team: reassigning to another "
                  "team needs a team"},
        BadLadder{"NoteWithoutText",
                  [](Ladder& l) {
                    l.steps[1].actions.push_back(Action::AddNote(""));
                  },
                  "steps[1].actions[2].note: a note needs text"},
        BadLadder{"TriggerGoesBackInTime",
                  [](Ladder& l) { l.steps[2].trigger = Trigger::OnWarning(); },
                  "steps[2].trigger: on_warning cannot follow on_breach "
                  "(levels climb in time: on_warning, on_breach, "
                  "after_breach)"},
        BadLadder{"DelayShorterThanThePreviousLevel",
                  [](Ladder& l) {
                    l.steps.push_back(
                        {4,
                         Trigger::AfterBreach(absl::Minutes(5)),
                         {Action::Notify(Who(Recipient::Kind::kTeamLead))}});
                  },
                  "steps[3].trigger.delay: 5m is shorter than the previous "
                  "level's 10m"}),
    [](const ::testing::TestParamInfo<BadLadder>& info) {
      return info.param.name;
    });

TEST(ValidateLadderOkTest, AcceptsGapsNamedRecipientsAndOtherTeams) {
  Ladder ladder = Standard();
  ladder.metric = "resolution";
  ladder.steps[2].level = 5;
  ladder.steps[1].actions.push_back(
      Action::Reassign({ReassignTarget::Kind::kOtherTeam, "tier2"}));
  ladder.steps[1].actions.push_back(
      Action::Reassign({ReassignTarget::Kind::kNextTier, ""}));
  ladder.steps[1].actions.push_back(Action::AddNote("escalated"));
  ladder.steps.push_back(
      {6,
       Trigger::AfterBreach(absl::Minutes(10)),
       {Action::Notify(Who(Recipient::Kind::kNamed, "dana"))}});
  EXPECT_TRUE(ValidateLadder(ladder).ok()) << ValidateLadder(ladder);

  // A ladder may start at the breach.
  Ladder breach_only;
  breach_only.metric = "next_response";
  breach_only.steps.push_back(
      {1,
       Trigger::OnBreach(),
       {Action::Notify(Who(Recipient::Kind::kTeamLead))}});
  EXPECT_TRUE(ValidateLadder(breach_only).ok()) << ValidateLadder(breach_only);
}

}  // namespace
}  // namespace cxdesk::escalation
