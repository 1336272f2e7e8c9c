// RoutingUnit and LadderUnit on one transaction of the in-memory store:
// their caches, decisions and step actions, at exact instants.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/escalation/ladder_unit.h"
#include "services/escalation/routing_unit.h"
#include "services/escalation/testing/escalation_builders.h"
#include "services/escalation/testing/fake_escalation_store.h"
#include "services/escalation/testing/fake_shift_calendars.h"

namespace cxdesk::escalation {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeAgent;
using testing::MakeLadder;
using testing::MakeStep;
using testing::MakeTeam;
using ::testing::SizeIs;
using testing::SlaEvent;
using ::testing::StartsWith;

// 2026-01-01T09:00:00Z.
const absl::Time kT0 = absl::FromUnixSeconds(1767258000);

class UnitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateTeam(MakeTeam("care", "lead"), kT0).ok());
    ASSERT_TRUE(store_.CreateTeam(MakeTeam("tier2"), kT0).ok());
    ASSERT_TRUE(store_.CreateAgent(MakeAgent("ann", {"care"}, 2), kT0).ok());
    ASSERT_TRUE(store_.CreateAgent(MakeAgent("bob", {"care"}, 2), kT0).ok());
    ASSERT_TRUE(store_.CreateAgent(MakeAgent("lead", {}, 5), kT0).ok());
    AgentRecord zed = MakeAgent("zed", {"tier2"}, 3);
    zed.agent.tier = 2;
    ASSERT_TRUE(store_.CreateAgent(zed, kT0).ok());
  }

  // Runs `work` on a routing unit deciding at `now` on the current
  // directory, in one unit of work.
  absl::Status WithRouting(absl::Time now,
                           const std::function<absl::Status(RoutingUnit&)>& w) {
    absl::StatusOr<Directory> dir = store_.LoadDirectory();
    if (!dir.ok()) return dir.status();
    return store_.Run([&](EscalationTxn& txn) {
      RoutingUnit unit(txn, *dir, now, &shifts_, "esc");
      return w(unit);
    });
  }
  absl::Status WithLadder(
      absl::Time now,
      const std::function<absl::Status(LadderUnit&, const Directory&)>& w) {
    absl::StatusOr<Directory> dir = store_.LoadDirectory();
    if (!dir.ok()) return dir.status();
    return store_.Run([&](EscalationTxn& txn) {
      RoutingUnit routing(txn, *dir, now, &shifts_, "esc");
      LadderUnit ladder(routing);
      return w(ladder, *dir);
    });
  }
  // Stores ticket `id`: open, of care, assigned to `assignee`, routed.
  void PutTicket(int64_t id, const std::string& assignee) {
    TicketView t;
    t.id = id;
    t.route.id = id;
    t.version = 1;
    t.status = "open";
    t.team = "care";
    t.assignee = assignee;
    t.route.priority = "high";
    t.routed = true;
    ASSERT_TRUE(
        store_.Run([&](EscalationTxn& txn) { return txn.PutTicket(t); }).ok());
  }
  // Sets a one-step breach ladder for first_response with `actions`.
  void BreachLadder(std::vector<Action> actions) {
    ASSERT_TRUE(store_
                    .SetLadder(MakeLadder("first_response",
                                          {MakeStep(1, Trigger::OnBreach(),
                                                    std::move(actions))}),
                               std::nullopt, kT0)
                    .ok());
  }
  // Breaches ticket 1's first_response clock at `at` through a ladder unit.
  absl::Status Breach(absl::Time at) {
    return WithLadder(at, [&](LadderUnit& l, const Directory& dir) {
      return l.Signal(SlaEvent("breached", 1, "first_response", "s1", at),
                      dir.FindLadder("first_response"));
    });
  }

  FakeEscalationStore store_;
  FakeShiftCalendars shifts_;
};

// ---- RoutingUnit ----

TEST_F(UnitsTest, PutKeepsTheCachedLoadsInStep) {
  ASSERT_TRUE(WithRouting(kT0, [](RoutingUnit& u) -> absl::Status {
                EXPECT_EQ(u.Loads({"ann"})->at("ann"), 0);
                TicketView t;
                t.id = 5;
                t.status = "open";
                t.pending_assignee = "ann";
                EXPECT_TRUE(u.Put(t).ok());
                EXPECT_EQ(u.Loads({"ann"})->at("ann"), 1);
                t.status = "solved";
                EXPECT_TRUE(u.Put(t).ok());
                EXPECT_EQ(u.Loads({"ann", "bob"})->at("ann"), 0);
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(store_.OpenTickets({"ann"})->count("ann"), 0u);
}

TEST_F(UnitsTest, PrefetchRemembersUnknownTicketsAsAbsent) {
  PutTicket(1, "ann");
  ASSERT_TRUE(WithRouting(kT0, [](RoutingUnit& u) -> absl::Status {
                EXPECT_TRUE(u.Prefetch({1, 2, 1}).ok());
                EXPECT_EQ(u.Ticket(1)->value().assignee, "ann");
                EXPECT_EQ(*u.Ticket(2), std::nullopt);
                return absl::OkStatus();
              }).ok());
}

TEST_F(UnitsTest, DecideOnAnUnknownTeamRoutesNowhere) {
  ASSERT_TRUE(WithRouting(kT0, [](RoutingUnit& u) -> absl::Status {
                TicketView t;
                Decision d;
                d.team = "ghost";
                EXPECT_TRUE(u.Decide(t, d).ok());
                EXPECT_EQ(d.outcome, RoutingOutcome::kRouted);
                EXPECT_EQ(d.explanation, "team ghost does not exist");
                EXPECT_EQ(t.team, "");
                return absl::OkStatus();
              }).ok());
}

TEST_F(UnitsTest, RoundRobinPositionIsKeptByRoutingButNotByADryRun) {
  ASSERT_TRUE(
      store_
          .CreateRule(
              testing::MakeRule("all", 1, "care", Strategy::kRoundRobin), kT0)
          .ok());
  ASSERT_TRUE(WithRouting(kT0, [](RoutingUnit& u) -> absl::Status {
                TicketToRoute draft;
                absl::StatusOr<Decision> d = u.DryRun(draft);
                EXPECT_EQ(d->agent, "ann");
                return d.status();
              }).ok());
  EXPECT_EQ(store_.RoundRobin("care").last_agent, "");

  ASSERT_TRUE(WithRouting(kT0, [](RoutingUnit& u) -> absl::Status {
                TicketView t;
                t.id = 1;
                t.status = "new";
                absl::StatusOr<Decision> first =
                    u.Route(t, RoutingTrigger::kNewTicket);
                EXPECT_EQ(first->agent, "ann");
                TicketView t2;
                t2.id = 2;
                t2.status = "new";
                absl::StatusOr<Decision> second =
                    u.Route(t2, RoutingTrigger::kNewTicket);
                EXPECT_EQ(second->agent, "bob");
                return second.status();
              }).ok());
  EXPECT_EQ(store_.RoundRobin("care").last_agent, "bob");
}

TEST_F(UnitsTest, QueueOnlyRoutesToTheTeamWithoutQueueTime) {
  ASSERT_TRUE(WithRouting(kT0, [](RoutingUnit& u) -> absl::Status {
                TicketView t;
                t.id = 1;
                t.status = "new";
                Decision d;
                d.team = "care";
                d.strategy = Strategy::kQueueOnly;
                EXPECT_TRUE(u.Decide(t, d).ok());
                EXPECT_EQ(d.outcome, RoutingOutcome::kRouted);
                EXPECT_EQ(t.team, "care");
                EXPECT_EQ(t.pending_assignee, "");
                EXPECT_EQ(t.queued_at, std::nullopt);
                return absl::OkStatus();
              }).ok());
}

TEST_F(UnitsTest, DrainDropsATicketTakenByHandFromTheQueue) {
  TicketView t;
  t.id = 3;
  t.status = "open";
  t.team = "care";
  t.assignee = "bob";  // Assigned by hand while it waited.
  t.queued_at = kT0;
  ASSERT_TRUE(
      store_.Run([&](EscalationTxn& txn) { return txn.PutTicket(t); }).ok());
  ASSERT_TRUE(WithRouting(kT0 + absl::Minutes(1), [](RoutingUnit& u) {
                EXPECT_TRUE(u.Drain("ghost").ok());  // Unknown: nothing.
                return u.Drain("care");
              }).ok());
  EXPECT_THAT(*store_.TeamQueue("care"), IsEmpty());
  EXPECT_THAT(store_.Decisions(), IsEmpty());
}

// ---- LadderUnit ----

TEST_F(UnitsTest, SignalsOtherThanLadderOnesChangeNothing) {
  BreachLadder({Action::Notify({Recipient::Kind::kAssignee, ""})});
  ASSERT_TRUE(WithLadder(kT0, [](LadderUnit& l, const Directory& dir) {
                return l.Signal(
                    SlaEvent("started", 1, "first_response", "s1", kT0),
                    dir.FindLadder("first_response"));
              }).ok());
  EXPECT_EQ(store_.Cycle({1, "first_response", 1}), std::nullopt);
}

TEST_F(UnitsTest, WithoutALadderAStartedCycleStopsOnMet) {
  PutTicket(1, "ann");
  BreachLadder({Action::Notify({Recipient::Kind::kAssignee, ""})});
  ASSERT_TRUE(Breach(kT0).ok());
  ASSERT_TRUE(store_.DeleteLadder("first_response").ok());
  ASSERT_TRUE(WithLadder(kT0 + absl::Minutes(1), [](LadderUnit& l,
                                                    const Directory& dir) {
                EXPECT_EQ(dir.FindLadder("first_response"), nullptr);
                return l.Signal(SlaEvent("met", 1, "first_response", "s2", kT0),
                                nullptr);
              }).ok());
  EXPECT_TRUE(store_.Cycle({1, "first_response", 1})->ladder.met_or_cancelled);
  // A timer of a deleted ladder, or of an unknown cycle, is nothing to do.
  ASSERT_TRUE(WithLadder(kT0, [](LadderUnit& l, const Directory&) {
                return l.Timer(DueTimer{{1, "first_response", 1}, 2, kT0});
              }).ok());
  EXPECT_THAT(store_.Escalations(), SizeIs(1));
}

TEST_F(UnitsTest, NotifyingNobodyFailsTheActionAndSaysSoInTheStep) {
  PutTicket(1, "ann");
  BreachLadder({Action::Notify({Recipient::Kind::kTeamManager, ""}),
                Action::Notify({Recipient::Kind::kAssignee, ""}),
                Action::Notify({Recipient::Kind::kNamed, "ann"})});
  const absl::Time at = kT0 + absl::Hours(2);
  ASSERT_TRUE(Breach(at).ok());
  std::vector<EscalationRecord> steps = store_.Escalations();
  ASSERT_THAT(steps, SizeIs(1));
  EXPECT_THAT(steps[0].explanation,
              ::testing::EndsWith(" (nobody to notify the team manager)"));
  EXPECT_THAT(steps[0].recipients, ElementsAre("ann"));
  ASSERT_THAT(steps[0].results, SizeIs(3));
  EXPECT_EQ(steps[0].results[0].state, ActionRecord::State::kFailed);
  EXPECT_EQ(steps[0].results[0].error, "nobody to notify the team manager");
  EXPECT_EQ(steps[0].results[0].done_time, at);
  EXPECT_EQ(steps[0].results[1].detail, "notified ann");
  EXPECT_EQ(steps[0].results[2].detail, "notified ann (once for this step)");
  EXPECT_THAT(store_.Notifications(), SizeIs(1));
}

TEST_F(UnitsTest, ReassignToTheNextTierFailsWhenNobodyIsAbove) {
  PutTicket(1, "ann");
  BreachLadder({Action::Reassign({ReassignTarget::Kind::kNextTier, ""})});
  const absl::Time at = kT0 + absl::Hours(2);
  ASSERT_TRUE(Breach(at).ok());
  ASSERT_THAT(store_.Actions(), SizeIs(1));
  const ActionRecord a = store_.Actions()[0];
  EXPECT_EQ(a.kind, ActionRecord::Kind::kAssign);
  EXPECT_EQ(a.state, ActionRecord::State::kFailed);
  EXPECT_THAT(a.error,
              StartsWith("no available agent above tier 1 in team care: "));
  EXPECT_EQ(a.done_time, at);
  EXPECT_EQ(store_.GetTicket(1)->value().pending_assignee, "");
}

TEST_F(UnitsTest, ReassignToAnotherTeamAssignsOneOfItsAgents) {
  PutTicket(1, "ann");
  BreachLadder({Action::Reassign({ReassignTarget::Kind::kOtherTeam, "tier2"})});
  const absl::Time at = kT0 + absl::Hours(2);
  ASSERT_TRUE(Breach(at).ok());
  ASSERT_THAT(store_.Actions(), SizeIs(1));
  const ActionRecord a = store_.Actions()[0];
  EXPECT_EQ(a.state, ActionRecord::State::kPending);
  EXPECT_EQ(a.assignee, "zed");
  EXPECT_EQ(a.team, "tier2");
  EXPECT_FALSE(a.unassign);
  EXPECT_THAT(a.detail, StartsWith("reassigned to zed of team tier2: "));
  EXPECT_EQ(a.next_attempt, at);
  const TicketView t = store_.GetTicket(1)->value_or(TicketView{});
  EXPECT_EQ(t.team, "tier2");
  EXPECT_EQ(t.pending_assignee, "zed");
  EXPECT_EQ(*store_.OpenTickets({"zed"}),
            (std::map<std::string, int>{{"zed", 1}}));
}

TEST_F(UnitsTest, ReassignToAFullTeamUnassignsIntoItsQueue) {
  PutTicket(1, "ann");
  AgentRecord zed = *store_.GetAgent("zed");
  zed.agent.availability = Availability::kAway;
  ASSERT_TRUE(store_.UpdateAgent(zed, zed.version, kT0).ok());
  BreachLadder({Action::Reassign({ReassignTarget::Kind::kOtherTeam, "tier2"})});
  const absl::Time at = kT0 + absl::Hours(2);
  ASSERT_TRUE(Breach(at).ok());
  const ActionRecord a = store_.Actions()[0];
  EXPECT_TRUE(a.unassign);
  EXPECT_EQ(a.team, "tier2");
  EXPECT_THAT(a.detail, StartsWith("moved to the queue of team tier2: "));
  std::vector<QueuedTicket> queue = *store_.TeamQueue("tier2");
  ASSERT_THAT(queue, SizeIs(1));
  EXPECT_EQ(queue[0].queued_at, at);
}

}  // namespace
}  // namespace cxdesk::escalation
