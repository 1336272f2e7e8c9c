// The Engine on the in-memory store: routing of new tickets, the queue and
// its drain, shift calendars, re-routing, and the ladder (signals, timers,
// acknowledgement), each at exact instants. No PostgreSQL.

#include "services/escalation/escalation_engine.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/testing/fake_clock.h"
#include "services/escalation/ladder_unit.h"
#include "services/escalation/testing/escalation_builders.h"
#include "services/escalation/testing/fake_escalation_store.h"
#include "services/escalation/testing/fake_shift_calendars.h"
#include "services/escalation/testing/fake_ticket_gateway.h"

namespace cxdesk::escalation {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeAgent;
using testing::MakeLadder;
using testing::MakeRule;
using testing::MakeStep;
using testing::MakeTeam;
using ::testing::SizeIs;
using testing::SlaEvent;
using ::testing::StartsWith;
using testing::TicketEvent;

// 2026-01-01T09:00:00Z.
const absl::Time kT0 = absl::FromUnixSeconds(1767258000);
constexpr char kTickets[] = "tickets";
constexpr char kSla[] = "sla";

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateTeam(MakeTeam("care", "lead", "boss"), kT0).ok());
    ASSERT_TRUE(store_.CreateAgent(MakeAgent("ann", {"care"}, 1), kT0).ok());
    ASSERT_TRUE(store_.CreateAgent(MakeAgent("bob", {"care"}, 1), kT0).ok());
    ASSERT_TRUE(store_.CreateAgent(MakeAgent("lead", {}, 5), kT0).ok());
    ASSERT_TRUE(store_
                    .CreateRule(MakeRule("urgent", 1, "care",
                                         Strategy::kLeastLoaded, {"urgent"}),
                                kT0)
                    .ok());
  }

  // Applies one ticket event as the consumer would.
  absl::Status Ticket(const TicketEventIn& e) {
    return engine_.ApplyTicketEvents(kTickets, {e});
  }
  absl::Status Sla(const SlaEventIn& e) {
    return engine_.ApplySlaEvents(kSla, {e});
  }
  TicketView Stored(int64_t id) {
    absl::StatusOr<std::optional<TicketView>> t = store_.GetTicket(id);
    EXPECT_TRUE(t.ok() && t->has_value()) << id;
    return t.ok() && t->has_value() ? **t : TicketView{};
  }

  common::FakeClock clock_{kT0};
  FakeEscalationStore store_;
  DirectoryCache directory_{store_};
  FakeTicketGateway gateway_;
  FakeShiftCalendars shifts_;
  Engine engine_{store_, directory_, gateway_, &shifts_, clock_, {"esc"}};
};

// ---- routing ----

TEST_F(EngineTest, ANewTicketIsRoutedByTheFirstMatchingRuleAtTheInstant) {
  clock_.Set(kT0 + absl::Seconds(5));
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 7, 1, "c1", kT0, "new", "", "", "urgent"))
          .ok());

  std::vector<Decision> decisions = store_.Decisions();
  ASSERT_THAT(decisions, SizeIs(1));
  const Decision& d = decisions[0];
  EXPECT_EQ(d.ticket_id, 7);
  EXPECT_EQ(d.at, kT0 + absl::Seconds(5));
  EXPECT_EQ(d.trigger, RoutingTrigger::kNewTicket);
  EXPECT_EQ(d.rule_id, "urgent");
  EXPECT_EQ(d.team, "care");
  EXPECT_EQ(d.strategy, Strategy::kLeastLoaded);
  EXPECT_EQ(d.outcome, RoutingOutcome::kAssigned);
  EXPECT_EQ(d.agent, "ann");  // Both empty: ties go by id.
  EXPECT_THAT(d.candidates, ElementsAre("ann", "bob"));
  EXPECT_THAT(d.explanation,
              StartsWith("rule urgent (position 1) matched: team care, "
                         "least_loaded; least_loaded: chose ann"));

  std::vector<ActionRecord> actions = store_.Actions();
  ASSERT_THAT(actions, SizeIs(1));
  EXPECT_EQ(actions[0].kind, ActionRecord::Kind::kAssign);
  EXPECT_EQ(actions[0].state, ActionRecord::State::kPending);
  EXPECT_EQ(actions[0].assignee, "ann");
  EXPECT_EQ(actions[0].team, "care");
  EXPECT_EQ(actions[0].decision_id, d.id);
  EXPECT_EQ(actions[0].request_id, absl::StrCat("esc-route-", d.id));
  EXPECT_EQ(actions[0].next_attempt, kT0 + absl::Seconds(5));

  TicketView t = Stored(7);
  EXPECT_TRUE(t.routed);
  EXPECT_EQ(t.team, "care");
  EXPECT_EQ(t.pending_assignee, "ann");
  EXPECT_EQ(t.queued_at, std::nullopt);
  EXPECT_EQ(store_.Cursor(kTickets), "c1");
}

TEST_F(EngineTest, NoRuleGoesToTheDefaultTeamAndWithoutOneStaysUnrouted) {
  ASSERT_TRUE(Ticket(TicketEvent("created", 1, 1, "c1", kT0)).ok());
  std::vector<Decision> d = store_.Decisions();
  ASSERT_THAT(d, SizeIs(1));
  EXPECT_EQ(d[0].outcome, RoutingOutcome::kRouted);
  EXPECT_EQ(d[0].explanation,
            "no rule matched and there is no default team: left unrouted");
  EXPECT_THAT(store_.Actions(), IsEmpty());
  EXPECT_TRUE(Stored(1).routed);

  TeamRecord care = *store_.GetTeam("care");
  care.default_team = true;
  ASSERT_TRUE(store_.UpdateTeam(care, care.version, kT0).ok());
  ASSERT_TRUE(Ticket(TicketEvent("created", 2, 1, "c2", kT0)).ok());
  d = store_.Decisions();
  ASSERT_THAT(d, SizeIs(2));
  EXPECT_EQ(d[1].rule_id, "");
  EXPECT_EQ(d[1].team, "care");
  EXPECT_EQ(d[1].strategy, Strategy::kLeastLoaded);
  EXPECT_EQ(d[1].outcome, RoutingOutcome::kAssigned);
  EXPECT_THAT(d[1].explanation,
              StartsWith("no rule matched: default team care, least_loaded; "));
}

TEST_F(EngineTest, AFullTeamQueuesTheTicketUntilASlotFrees) {
  // ann and bob take one ticket each.
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 1, 1, "c1", kT0, "new", "", "", "urgent"))
          .ok());
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 2, 1, "c2", kT0, "new", "", "", "urgent"))
          .ok());
  ASSERT_TRUE(Ticket(TicketEvent("assigned", 1, 2, "c3", kT0, "open", "care",
                                 "ann", "urgent"))
                  .ok());
  clock_.Set(kT0 + absl::Seconds(10));
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 3, 1, "c4", kT0, "new", "", "", "urgent"))
          .ok());
  std::vector<Decision> d = store_.Decisions();
  ASSERT_THAT(d, SizeIs(3));
  EXPECT_EQ(d[1].agent, "bob");
  EXPECT_EQ(d[2].outcome, RoutingOutcome::kQueued);
  EXPECT_EQ(d[2].agent, "");
  EXPECT_THAT(d[2].candidates, IsEmpty());
  EXPECT_EQ(Stored(3).queued_at, kT0 + absl::Seconds(10));
  EXPECT_THAT(*store_.TeamQueue("care"), SizeIs(1));
  EXPECT_THAT(store_.Actions(), SizeIs(3));  // Team only for the queued one.
  EXPECT_EQ(store_.Actions()[2].assignee, "");
  EXPECT_EQ(store_.Actions()[2].team, "care");

  // ann solves ticket 1 ninety seconds later: ticket 3 leaves the queue.
  clock_.Set(kT0 + absl::Seconds(100));
  ASSERT_TRUE(Ticket(TicketEvent("status_changed", 1, 3, "c5", kT0, "solved",
                                 "care", "ann", "urgent"))
                  .ok());
  d = store_.Decisions();
  ASSERT_THAT(d, SizeIs(4));
  EXPECT_EQ(d[3].ticket_id, 3);
  EXPECT_EQ(d[3].at, kT0 + absl::Seconds(100));
  EXPECT_EQ(d[3].trigger, RoutingTrigger::kCapacityFreed);
  EXPECT_EQ(d[3].outcome, RoutingOutcome::kAssigned);
  EXPECT_EQ(d[3].agent, "ann");
  EXPECT_THAT(d[3].explanation,
              StartsWith("left the queue of team care after 1m30s (next "
                         "deadline first); "));
  TicketView t3 = Stored(3);
  EXPECT_EQ(t3.pending_assignee, "ann");
  EXPECT_EQ(t3.queued_at, std::nullopt);
  EXPECT_THAT(*store_.TeamQueue("care"), IsEmpty());
  ASSERT_THAT(store_.Actions(), SizeIs(4));
  EXPECT_EQ(store_.Actions()[3].request_id,
            absl::StrCat("esc-route-", d[3].id));
}

TEST_F(EngineTest, AnAgentOffShiftIsPassedOver) {
  AgentRecord ann = *store_.GetAgent("ann");
  ann.agent.shift_calendar = "ann-hours";
  ASSERT_TRUE(store_.UpdateAgent(ann, ann.version, kT0).ok());
  shifts_.AddShift("ann-hours", kT0 + absl::Hours(1), kT0 + absl::Hours(9));

  ASSERT_TRUE(
      Ticket(TicketEvent("created", 1, 1, "c1", kT0, "new", "", "", "urgent"))
          .ok());
  EXPECT_EQ(store_.Decisions()[0].agent, "bob");
  EXPECT_THAT(store_.Decisions()[0].candidates, ElementsAre("bob"));
  ASSERT_THAT(shifts_.questions(), SizeIs(1));  // bob has no calendar.
  EXPECT_EQ(shifts_.questions()[0].first, "ann-hours");
  EXPECT_EQ(shifts_.questions()[0].second, kT0);
  // Read before the unit of work, never inside it.
  ASSERT_THAT(shifts_.warmed(), SizeIs(1));
  EXPECT_THAT(shifts_.warmed()[0], ElementsAre("ann-hours"));

  // In her shift, ann (who has nothing) is chosen again.
  clock_.Set(kT0 + absl::Hours(1));
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 2, 1, "c2", kT0, "new", "", "", "urgent"))
          .ok());
  EXPECT_EQ(store_.Decisions()[1].agent, "ann");
}

TEST_F(EngineTest, TheTeamsDefaultCalendarCoversAgentsWithoutOne) {
  TeamRecord care = *store_.GetTeam("care");
  care.team.default_calendar = "care-hours";
  ASSERT_TRUE(store_.UpdateTeam(care, care.version, kT0).ok());
  shifts_.DefineClosed("care-hours");
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 1, 1, "c1", kT0, "new", "", "", "urgent"))
          .ok());
  EXPECT_EQ(store_.Decisions()[0].outcome, RoutingOutcome::kQueued);
  EXPECT_EQ(Stored(1).queued_at, kT0);
}

TEST_F(EngineTest, RerouteRecordsAManualDecisionWithTheDescription) {
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 4, 1, "c1", kT0, "new", "", "", "urgent"))
          .ok());
  TicketToRoute full;
  full.id = 4;
  full.description = "printer on fire";
  gateway_.PutTicket(full);
  clock_.Set(kT0 + absl::Minutes(3));

  absl::StatusOr<Decision> d = engine_.Reroute(4);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->trigger, RoutingTrigger::kManual);
  EXPECT_EQ(d->at, kT0 + absl::Minutes(3));
  // The ticket's earlier pending assignment still counts towards ann's
  // load until the new decision is stored: bob, who has room, takes it.
  EXPECT_EQ(d->agent, "bob");
  EXPECT_EQ(Stored(4).route.description, "printer on fire");
  EXPECT_THAT(store_.Decisions(), SizeIs(2));
  EXPECT_EQ(gateway_.calls().back().method, "GetTicket");

  gateway_.PutTicket(TicketToRoute{9});
  EXPECT_EQ(engine_.Reroute(9).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(Ticket(TicketEvent("status_changed", 4, 2, "c2", kT0, "closed",
                                 "care", "", "urgent"))
                  .ok());
  EXPECT_EQ(engine_.Reroute(4).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(engine_.Reroute(5).status().code(),
            absl::StatusCode::kNotFound);  // The gateway knows no ticket 5.
}

TEST_F(EngineTest, DryRunRecordsNothing) {
  TicketToRoute draft;
  draft.priority = "urgent";
  absl::StatusOr<Decision> d = engine_.DryRun(draft);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->trigger, RoutingTrigger::kDryRun);
  EXPECT_EQ(d->at, kT0);
  EXPECT_EQ(d->id, 0);
  EXPECT_EQ(d->agent, "ann");
  EXPECT_THAT(store_.Decisions(), IsEmpty());
  EXPECT_THAT(store_.Actions(), IsEmpty());
}

TEST_F(EngineTest, AReplayedTicketEventIsSkippedButMovesTheCursor) {
  TicketEventIn created =
      TicketEvent("created", 1, 1, "c1", kT0, "new", "", "", "urgent");
  ASSERT_TRUE(Ticket(created).ok());
  created.cursor = "c1-again";
  ASSERT_TRUE(Ticket(created).ok());
  EXPECT_THAT(store_.Decisions(), SizeIs(1));
  EXPECT_EQ(store_.Cursor(kTickets), "c1-again");
}

TEST_F(EngineTest, ClosingATicketSkipsItsPendingRoutingAssignment) {
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 1, 1, "c1", kT0, "new", "", "", "urgent"))
          .ok());
  clock_.Set(kT0 + absl::Seconds(2));
  ASSERT_TRUE(Ticket(TicketEvent("status_changed", 1, 2, "c2", kT0, "closed",
                                 "", "", "urgent"))
                  .ok());
  std::vector<ActionRecord> actions = store_.Actions();
  ASSERT_THAT(actions, SizeIs(1));
  EXPECT_EQ(actions[0].state, ActionRecord::State::kSkipped);
  EXPECT_EQ(actions[0].detail, "skipped: the ticket is closed");
  EXPECT_EQ(actions[0].done_time, kT0 + absl::Seconds(2));
  EXPECT_EQ(Stored(1).pending_assignee, "");
}

TEST_F(EngineTest, AFailedBatchRollsBackAndKeepsTheCursor) {
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 1, 1, "c1", kT0, "new", "", "", "urgent"))
          .ok());
  store_.FailNextUnits(absl::UnavailableError("database down"));
  EXPECT_EQ(Ticket(TicketEvent("created", 2, 1, "c2", kT0)).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_.Cursor(kTickets), "c1");
  EXPECT_THAT(store_.Decisions(), SizeIs(1));
}

// ---- the ladder ----

class LadderTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    Ladder ladder = MakeLadder(
        "first_response",
        {MakeStep(1, Trigger::OnWarning(),
                  {Action::Notify({Recipient::Kind::kAssignee, ""})}),
         MakeStep(2, Trigger::OnBreach(),
                  {Action::Notify({Recipient::Kind::kTeamLead, ""}),
                   Action::RaisePriority()}),
         MakeStep(3, Trigger::AfterBreach(absl::Minutes(30)),
                  {Action::Reassign({ReassignTarget::Kind::kTeamLead, ""})})});
    ASSERT_TRUE(store_.SetLadder(ladder, std::nullopt, kT0).ok());
    ASSERT_TRUE(
        Ticket(TicketEvent("created", 1, 1, "c1", kT0, "new", "", "", "urgent"))
            .ok());
    ASSERT_TRUE(Ticket(TicketEvent("assigned", 1, 2, "c2", kT0, "open", "care",
                                   "ann", "urgent"))
                    .ok());
  }
  const CycleKey key_{1, "first_response", 1};
};

TEST_F(LadderTest, AWarningNotifiesTheAssigneeAtTheSignalsInstant) {
  const absl::Time warned = kT0 + absl::Minutes(45);
  clock_.Set(warned + absl::Seconds(2));
  ASSERT_TRUE(Sla(SlaEvent("warned", 1, "first_response", "s1", warned)).ok());

  std::vector<EscalationRecord> steps = store_.Escalations();
  ASSERT_THAT(steps, SizeIs(1));
  EXPECT_EQ(steps[0].level, 1);
  EXPECT_EQ(steps[0].trigger, Trigger::Kind::kOnWarning);
  EXPECT_EQ(steps[0].occur_time, warned);
  EXPECT_EQ(steps[0].record_time, warned + absl::Seconds(2));
  EXPECT_EQ(steps[0].team, "care");
  EXPECT_THAT(steps[0].recipients, ElementsAre("ann"));
  EXPECT_FALSE(steps[0].skipped);
  ASSERT_THAT(steps[0].results, SizeIs(1));
  EXPECT_EQ(steps[0].results[0].kind, ActionRecord::Kind::kNotify);
  EXPECT_EQ(steps[0].results[0].state, ActionRecord::State::kDone);
  EXPECT_EQ(steps[0].results[0].detail, "notified ann");

  std::vector<NotificationRecord> n = store_.Notifications();
  ASSERT_THAT(n, SizeIs(1));
  EXPECT_EQ(n[0].recipient, "ann");
  EXPECT_EQ(n[0].escalation_id, steps[0].id);
  EXPECT_EQ(n[0].title, "Ticket 1: first response warning (level 1)");
  EXPECT_EQ(n[0].create_time, warned + absl::Seconds(2));
  EXPECT_THAT(n[0].body,
              ::testing::EndsWith(absl::StrCat(
                  "\nTeam: care; assignee: ann; priority: urgent\nSteps: "
                  "notify the assignee\nAcknowledge: cxdesk escalation ack ",
                  steps[0].id)));
  EXPECT_THAT(store_.Deliveries(), IsEmpty());  // care has no webhook.
  EXPECT_EQ(store_.Cursor(kSla), "s1");
}

TEST_F(LadderTest, ABreachRunsItsStepAndArmsTheAfterBreachTimer) {
  const absl::Time breached = kT0 + absl::Hours(1);
  clock_.Set(breached + absl::Seconds(1));
  ASSERT_TRUE(
      Sla(SlaEvent("breached", 1, "first_response", "s1", breached)).ok());

  std::vector<EscalationRecord> steps = store_.Escalations();
  ASSERT_THAT(steps, SizeIs(1));
  EXPECT_EQ(steps[0].level, 2);
  EXPECT_EQ(steps[0].occur_time, breached);
  EXPECT_THAT(steps[0].recipients, ElementsAre("lead"));
  ASSERT_THAT(steps[0].results, SizeIs(2));
  EXPECT_EQ(steps[0].results[1].kind, ActionRecord::Kind::kRaisePriority);
  EXPECT_EQ(steps[0].results[1].state, ActionRecord::State::kPending);
  EXPECT_EQ(steps[0].results[1].request_id,
            absl::StrCat("esc-step-", steps[0].id, "-1"));
  EXPECT_EQ(steps[0].results[1].next_attempt, breached + absl::Seconds(1));

  auto timers = store_.Timers();
  ASSERT_THAT(timers, SizeIs(1));
  EXPECT_EQ(timers.begin()->first,
            FakeEscalationStore::TimerId(1, "first_response", 1, 3));
  EXPECT_EQ(timers.begin()->second.due, breached + absl::Minutes(30));
  EXPECT_EQ(*store_.NextTimerDue(), breached + absl::Minutes(30));

  // Early: nothing fires.
  EXPECT_EQ(*engine_.FireTimers(breached + absl::Minutes(29), 10, "r1"), 0);
  // Claimed late, recorded at its due instant.
  const absl::Time late = breached + absl::Minutes(31);
  clock_.Set(late);
  EXPECT_EQ(*engine_.FireTimers(late, 10, "r1"), 1);
  steps = store_.Escalations();
  ASSERT_THAT(steps, SizeIs(2));
  EXPECT_EQ(steps[1].level, 3);
  EXPECT_EQ(steps[1].trigger, Trigger::Kind::kAfterBreach);
  EXPECT_EQ(steps[1].occur_time, breached + absl::Minutes(30));
  EXPECT_EQ(steps[1].record_time, late);
  ASSERT_THAT(steps[1].results, SizeIs(1));
  EXPECT_EQ(steps[1].results[0].kind, ActionRecord::Kind::kAssign);
  EXPECT_EQ(steps[1].results[0].assignee, "lead");
  EXPECT_EQ(steps[1].results[0].detail, "reassigned to team lead lead");
  EXPECT_EQ(Stored(1).pending_assignee, "lead");
  EXPECT_EQ(store_.Timers().begin()->second.fired_at, late);
  EXPECT_EQ(store_.Timers().begin()->second.fired_by, "r1");
  EXPECT_EQ(*store_.NextTimerDue(), std::nullopt);
  EXPECT_EQ(*engine_.FireTimers(late, 10, "r1"), 0);
}

TEST_F(LadderTest, AcknowledgementSkipsLaterNotifyOnlySteps) {
  const absl::Time warned = kT0 + absl::Minutes(45);
  ASSERT_TRUE(Sla(SlaEvent("warned", 1, "first_response", "s1", warned)).ok());
  const int64_t first = store_.Escalations()[0].id;
  clock_.Set(warned + absl::Minutes(1));
  absl::StatusOr<EscalationRecord> acked = engine_.Acknowledge(first, "ann");
  ASSERT_TRUE(acked.ok()) << acked.status();
  EXPECT_TRUE(acked->acknowledged);
  EXPECT_EQ(acked->acknowledged_by, "ann");
  EXPECT_EQ(acked->acknowledge_time, warned + absl::Minutes(1));
  // A second acknowledgement keeps the first.
  clock_.Set(warned + absl::Minutes(2));
  EXPECT_EQ(engine_.Acknowledge(first, "lead")->acknowledged_by, "ann");

  // Replace the breach step by a notify-only one: it is recorded, skipped.
  Ladder ladder = MakeLadder(
      "first_response",
      {MakeStep(1, Trigger::OnWarning(),
                {Action::Notify({Recipient::Kind::kAssignee, ""})}),
       MakeStep(2, Trigger::OnBreach(),
                {Action::Notify({Recipient::Kind::kTeamLead, ""})})});
  ASSERT_TRUE(store_.SetLadder(ladder, std::nullopt, kT0).ok());
  const absl::Time breached = kT0 + absl::Hours(1);
  clock_.Set(breached);
  ASSERT_TRUE(
      Sla(SlaEvent("breached", 1, "first_response", "s2", breached)).ok());
  std::vector<EscalationRecord> steps = store_.Escalations();
  ASSERT_THAT(steps, SizeIs(2));
  EXPECT_TRUE(steps[1].skipped);
  EXPECT_THAT(steps[1].recipients, IsEmpty());
  ASSERT_THAT(steps[1].results, SizeIs(1));
  EXPECT_EQ(steps[1].results[0].state, ActionRecord::State::kSkipped);
  EXPECT_EQ(steps[1].results[0].detail,
            "skipped: the escalation was acknowledged");
  EXPECT_EQ(steps[1].results[0].done_time, breached);
  EXPECT_THAT(store_.Notifications(), SizeIs(1));  // Only the warning's.
}

TEST_F(LadderTest, MetStopsTheLadderAndDisarmsItsTimers) {
  const absl::Time breached = kT0 + absl::Hours(1);
  ASSERT_TRUE(
      Sla(SlaEvent("breached", 1, "first_response", "s1", breached)).ok());
  ASSERT_THAT(store_.Timers(), SizeIs(1));
  ASSERT_TRUE(Sla(SlaEvent("met", 1, "first_response", "s2",
                           breached + absl::Minutes(5)))
                  .ok());
  EXPECT_THAT(store_.Timers(), IsEmpty());
  EXPECT_TRUE(store_.Cycle(key_)->ladder.met_or_cancelled);
  EXPECT_EQ(*engine_.FireTimers(breached + absl::Hours(1), 10, "r1"), 0);
  EXPECT_THAT(store_.Escalations(), SizeIs(1));
}

TEST_F(LadderTest, AMetClockThatNeverWarnedLeavesNoCycle) {
  ASSERT_TRUE(Sla(SlaEvent("met", 1, "first_response", "s1", kT0)).ok());
  EXPECT_EQ(store_.Cycle(key_), std::nullopt);
  EXPECT_EQ(store_.Cursor(kSla), "s1");
}

TEST_F(LadderTest, ABreachOfATicketNotRoutedYetWaitsForTheTicketStream) {
  EXPECT_EQ(Sla(SlaEvent("breached", 2, "first_response", "s1", kT0)).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_.Cursor(kSla), "");
  EXPECT_THAT(store_.Escalations(), IsEmpty());
}

TEST_F(LadderTest, ClockDeadlinesOrderTheQueue) {
  ASSERT_TRUE(Sla(SlaEvent("started", 1, "first_response", "s1", kT0,
                           kT0 + absl::Hours(1)))
                  .ok());
  // Ticket 1 is assigned; a queued ticket shows its deadline in the queue.
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 2, 1, "c3", kT0, "new", "", "", "urgent"))
          .ok());
  ASSERT_TRUE(
      Ticket(TicketEvent("created", 3, 1, "c4", kT0, "new", "", "", "urgent"))
          .ok());
  ASSERT_TRUE(
      Sla(SlaEvent("started", 3, "resolution", "s2", kT0, kT0 + absl::Hours(2)))
          .ok());
  std::vector<QueuedTicket> queue = *store_.TeamQueue("care");
  ASSERT_THAT(queue, SizeIs(1));
  EXPECT_EQ(queue[0].ticket_id, 3);
  EXPECT_EQ(queue[0].next_deadline, kT0 + absl::Hours(2));
  ASSERT_TRUE(Sla(SlaEvent("paused", 3, "resolution", "s3", kT0)).ok());
  EXPECT_EQ((*store_.TeamQueue("care"))[0].next_deadline,
            absl::InfiniteFuture());
}

TEST_F(LadderTest, ATeamWebhookGetsOneDeliveryPerNotification) {
  TeamRecord care = *store_.GetTeam("care");
  care.webhook_url = "https://hooks.example/care";
  ASSERT_TRUE(store_.UpdateTeam(care, care.version, kT0).ok());
  const absl::Time warned = kT0 + absl::Minutes(45);
  clock_.Set(warned);
  ASSERT_TRUE(Sla(SlaEvent("warned", 1, "first_response", "s1", warned)).ok());
  std::vector<DeliveryRecord> d = store_.Deliveries();
  ASSERT_THAT(d, SizeIs(1));
  const NotificationRecord n = store_.Notifications()[0];
  EXPECT_EQ(d[0].team, "care");
  EXPECT_EQ(d[0].url, "https://hooks.example/care");
  EXPECT_EQ(d[0].notification_id, n.id);
  EXPECT_EQ(d[0].next_attempt, warned);
  EXPECT_EQ(d[0].payload, WebhookPayload(n, n.id));
  EXPECT_TRUE(absl::StrContains(
      d[0].payload, "\"created_at\":\"2026-01-01T09:45:00+00:00\""));
}

}  // namespace
}  // namespace cxdesk::escalation
