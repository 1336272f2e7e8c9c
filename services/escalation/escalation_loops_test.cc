// The outbox relays and the due work of escalation_loops on the in-memory
// store and FakeClock: claim, perform outside the transaction, record, at
// exact instants; leases taken over and given back. No PostgreSQL.

#include "services/escalation/escalation_loops.h"

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/testing/fake_clock.h"
#include "services/escalation/testing/escalation_builders.h"
#include "services/escalation/testing/fake_escalation_store.h"
#include "services/escalation/testing/fake_event_source.h"
#include "services/escalation/testing/fake_http_poster.h"
#include "services/escalation/testing/fake_ticket_gateway.h"
#include "services/escalation/webhook.h"

namespace cxdesk::escalation {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;
using Call = FakeTicketGateway::Call;

// 2026-01-01T09:00:00Z.
const absl::Time kT0 = absl::FromUnixSeconds(1767258000);

class LoopsTest : public ::testing::Test {
 protected:
  // Queues an action as the engine does; returns its id.
  int64_t Queue(ActionRecord a) {
    int64_t id = 0;
    EXPECT_TRUE(store_
                    .Run([&](EscalationTxn& txn) -> absl::Status {
                      absl::StatusOr<int64_t> added = txn.AddAction(a);
                      if (added.ok()) id = *added;
                      return added.status();
                    })
                    .ok());
    return id;
  }
  // A routing assignment of ticket `ticket` to `agent`, due at `at`.
  int64_t QueueAssign(int64_t ticket, const std::string& agent, absl::Time at,
                      int64_t decision_id = 1) {
    ActionRecord a;
    a.ticket_id = ticket;
    a.kind = ActionRecord::Kind::kAssign;
    a.assignee = agent;
    a.team = "care";
    a.decision_id = decision_id;
    a.request_id = absl::StrCat("esc-route-", ticket);
    a.next_attempt = at;
    return Queue(a);
  }
  // A step's raise-priority action on `ticket` for step `step`, due at `at`.
  int64_t QueueRaise(int64_t ticket, int64_t step, absl::Time at) {
    ActionRecord a;
    a.ticket_id = ticket;
    a.kind = ActionRecord::Kind::kRaisePriority;
    a.escalation_id = step;
    a.request_id = absl::StrCat("esc-step-", step, "-0");
    a.next_attempt = at;
    return Queue(a);
  }
  ActionRecord Action(int64_t id) {
    for (const ActionRecord& a : store_.Actions()) {
      if (a.id == id) return a;
    }
    ADD_FAILURE() << "no action " << id;
    return {};
  }
  absl::StatusOr<int> Relay(ActionRelayOptions options = {}) {
    return RelayDueActions(store_, gateway_, clock_, options, clock_.Now());
  }

  common::FakeClock clock_{kT0};
  FakeEscalationStore store_;
  FakeTicketGateway gateway_;
  FakeHttpPoster poster_;
};

// ---- the action relay ----

TEST_F(LoopsTest, ADueActionIsCarriedOutAndRecordedAtTheInstant) {
  const int64_t id = QueueAssign(7, "ann", kT0);
  QueueAssign(8, "bob", kT0 + absl::Seconds(1));  // Not due yet.
  EXPECT_EQ(*Relay(), 1);
  // A routing assignment reads the ticket first (unknown to the fake
  // gateway here: NOT_FOUND, so the assignment goes ahead and says so).
  EXPECT_THAT(
      gateway_.calls(),
      ElementsAre(Call{"GetTicket", 7, "", "", false, "", ""},
                  Call{"Assign", 7, "ann", "care", false, "", "esc-route-7"}));
  const ActionRecord a = Action(id);
  EXPECT_EQ(a.state, ActionRecord::State::kDone);
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.detail, "assigned to ann");
  EXPECT_EQ(a.done_time, kT0);
  EXPECT_EQ(store_.ActionLease(id).until, std::nullopt);
  EXPECT_EQ(store_.ActionLease(id).claim, 1);
  EXPECT_EQ(*store_.NextActionDue(), kT0 + absl::Seconds(1));
}

TEST_F(LoopsTest, EscalationStepsGoBeforeRoutingAssignments) {
  QueueAssign(1, "ann", kT0);
  QueueRaise(2, 40, kT0);
  EXPECT_EQ(*Relay(), 2);
  std::vector<Call> calls = gateway_.calls();
  ASSERT_THAT(calls, SizeIs(3));
  EXPECT_EQ(calls[0].method, "RaisePriority");
  EXPECT_EQ(calls[0].request_id, "esc-step-40-0");
  EXPECT_EQ(calls[1].method, "GetTicket");
  EXPECT_EQ(calls[2].method, "Assign");
  EXPECT_EQ(store_.Actions()[1].detail, "priority normal -> high");
}

TEST_F(LoopsTest, ATransportErrorIsRetriedWithBackoffUntilTheLastAttempt) {
  const int64_t id = QueueAssign(7, "ann", kT0);
  gateway_.FailWith(absl::UnavailableError("ticket service down"));
  EXPECT_EQ(*Relay({4, 2}), 1);
  ActionRecord a = Action(id);
  EXPECT_EQ(a.state, ActionRecord::State::kPending);
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.error, "ticket service down");
  EXPECT_EQ(a.next_attempt, kT0 + absl::Milliseconds(100));
  EXPECT_EQ(*store_.NextActionDue(), kT0 + absl::Milliseconds(100));

  EXPECT_EQ(*Relay({4, 2}), 0);  // Not due again yet.
  clock_.Set(kT0 + absl::Milliseconds(100));
  EXPECT_EQ(*Relay({4, 2}), 1);
  a = Action(id);
  EXPECT_EQ(a.state, ActionRecord::State::kFailed);
  EXPECT_EQ(a.attempts, 2);
  EXPECT_EQ(a.done_time, kT0 + absl::Milliseconds(100));
  EXPECT_EQ(*store_.NextActionDue(), std::nullopt);
}

TEST_F(LoopsTest, ARefusalFailsTheActionAtOnce) {
  const int64_t id = QueueRaise(7, 3, kT0);
  gateway_.FailWith(absl::FailedPreconditionError("ticket 7 is closed"), 1);
  EXPECT_EQ(*Relay(), 1);
  const ActionRecord a = Action(id);
  EXPECT_EQ(a.state, ActionRecord::State::kFailed);
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.error, "ticket 7 is closed");
  EXPECT_EQ(a.done_time, kT0);
}

TEST_F(LoopsTest, ARoutingAssignmentOfAClosedTicketIsSkippedWithoutACall) {
  TicketView t;
  t.id = 7;
  t.status = "closed";
  ASSERT_TRUE(
      store_.Run([&](EscalationTxn& txn) { return txn.PutTicket(t); }).ok());
  const int64_t id = QueueAssign(7, "ann", kT0);
  EXPECT_EQ(*Relay(), 1);
  EXPECT_THAT(gateway_.calls(), IsEmpty());
  const ActionRecord a = Action(id);
  EXPECT_EQ(a.state, ActionRecord::State::kSkipped);
  EXPECT_EQ(a.detail, "skipped: the ticket is closed or solved");
  EXPECT_EQ(a.done_time, kT0);
}

// The service's copy still says open and unassigned (it is catching up on
// the stream), but the ticket service says solved, or taken by hand: the
// assignment is skipped after one read, never forced through.
TEST_F(LoopsTest, ARoutingAssignmentIsCheckedAgainstTheTicketServiceFirst) {
  TicketToRoute solved;
  solved.id = 7;
  solved.open = false;
  gateway_.PutTicket(solved);
  TicketToRoute taken;
  taken.id = 8;
  taken.assignee = "human8";
  gateway_.PutTicket(taken);
  TicketToRoute mine;  // Already assigned by an earlier try of this action.
  mine.id = 9;
  mine.assignee = "ann";
  gateway_.PutTicket(mine);
  const int64_t first = QueueAssign(7, "ann", kT0);
  const int64_t second = QueueAssign(8, "ann", kT0, 2);
  const int64_t third = QueueAssign(9, "ann", kT0, 3);
  EXPECT_EQ(*Relay(), 3);
  EXPECT_THAT(
      gateway_.calls(),
      ElementsAre(Call{"GetTicket", 7, "", "", false, "", ""},
                  Call{"GetTicket", 8, "", "", false, "", ""},
                  Call{"GetTicket", 9, "", "", false, "", ""},
                  Call{"Assign", 9, "ann", "care", false, "", "esc-route-9"}));
  EXPECT_EQ(Action(first).state, ActionRecord::State::kSkipped);
  EXPECT_EQ(Action(first).detail, "skipped: the ticket is closed or solved");
  EXPECT_EQ(Action(second).state, ActionRecord::State::kSkipped);
  EXPECT_EQ(Action(second).detail, "skipped: assigned to human8 meanwhile");
  EXPECT_EQ(Action(third).state, ActionRecord::State::kDone);
  EXPECT_EQ(Action(third).done_time, kT0);
}

// A step's own assignment (no routing decision) is not second-guessed.
TEST_F(LoopsTest, AStepsAssignmentIsNotReadFirst) {
  ActionRecord a;
  a.ticket_id = 7;
  a.kind = ActionRecord::Kind::kAssign;
  a.assignee = "lead";
  a.escalation_id = 40;
  a.request_id = "esc-step-40-1";
  a.next_attempt = kT0;
  const int64_t id = Queue(a);
  EXPECT_EQ(*Relay(), 1);
  EXPECT_THAT(gateway_.calls(), ElementsAre(Call{"Assign", 7, "lead", "", false,
                                                 "", "esc-step-40-1"}));
  EXPECT_EQ(Action(id).state, ActionRecord::State::kDone);
}

TEST_F(LoopsTest, WhatNoLongerFitsTheLeaseIsGivenBackUntouched) {
  // Each call takes 6 s; a batch of 4 is leased for 4 * 4 s + 2 s = 18 s.
  gateway_.OnCall([this](const Call&) { clock_.Advance(absl::Seconds(6)); });
  std::vector<int64_t> ids;
  for (int i = 1; i <= 4; ++i) {
    ids.push_back(QueueRaise(i, 10 + i, kT0));
  }
  EXPECT_EQ(ActionLease(4), absl::Seconds(18));
  EXPECT_EQ(*Relay(), 4);
  // Started at 0 s, 6 s and 12 s (each ends within 18 s); the fourth would
  // start at 18 s and is given back.
  EXPECT_THAT(gateway_.calls(), SizeIs(3));
  EXPECT_EQ(Action(ids[2]).done_time, kT0 + absl::Seconds(12));
  const ActionRecord back = Action(ids[3]);
  EXPECT_EQ(back.state, ActionRecord::State::kPending);
  EXPECT_EQ(back.attempts, 0);
  EXPECT_EQ(store_.ActionLease(ids[3]).until, std::nullopt);
  EXPECT_EQ(*store_.NextActionDue(), kT0);  // Claimable again at once.
}

TEST_F(LoopsTest, ADeadRelaysLeaseIsTakenOverAndItsLateOutcomeDropped) {
  const int64_t id = QueueAssign(7, "ann", kT0);
  // A relay claims and dies: the action is its own until the lease ends.
  absl::StatusOr<std::vector<ClaimedAction>> dead =
      store_.ClaimDueActions(kT0, kT0 + absl::Seconds(18), 4);
  ASSERT_THAT(*dead, SizeIs(1));
  EXPECT_EQ((*dead)[0].claim, 1);
  EXPECT_EQ(*store_.NextActionDue(), kT0 + absl::Seconds(18));
  clock_.Set(kT0 + absl::Seconds(17));
  EXPECT_EQ(*Relay(), 0);
  clock_.Set(kT0 + absl::Seconds(18));
  EXPECT_EQ(*Relay(), 1);
  EXPECT_EQ(Action(id).state, ActionRecord::State::kDone);
  EXPECT_EQ(Action(id).done_time, kT0 + absl::Seconds(18));
  EXPECT_EQ(store_.ActionLease(id).claim, 2);
  // The dead relay's outcome, recorded late, is dropped.
  ActionRecord late = (*dead)[0].action;
  late.state = ActionRecord::State::kFailed;
  EXPECT_FALSE(*store_.FinishAction((*dead)[0].claim, late));
  EXPECT_EQ(Action(id).state, ActionRecord::State::kDone);
}

TEST_F(LoopsTest, ALeasedRoutingAssignmentIsNotCancelledUnderItsClaimer) {
  const int64_t id = QueueAssign(7, "ann", kT0);
  ASSERT_THAT(*store_.ClaimDueActions(kT0, kT0 + absl::Seconds(18), 4),
              SizeIs(1));
  auto cancel = [&](absl::Time now) {
    return store_.Run([&](EscalationTxn& txn) {
      return txn.CancelRoutingActions(7, "skipped: the ticket is closed", now);
    });
  };
  ASSERT_TRUE(cancel(kT0 + absl::Seconds(1)).ok());
  EXPECT_EQ(Action(id).state, ActionRecord::State::kPending);
  ASSERT_TRUE(cancel(kT0 + absl::Seconds(18)).ok());
  EXPECT_EQ(Action(id).state, ActionRecord::State::kSkipped);
  EXPECT_EQ(Action(id).done_time, kT0 + absl::Seconds(18));
}

TEST_F(LoopsTest, AStoreErrorOfTheClaimIsTheRoundsError) {
  QueueAssign(7, "ann", kT0);
  store_.FailNextUnits(absl::UnavailableError("database down"));
  EXPECT_EQ(Relay().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(gateway_.calls(), IsEmpty());
}

TEST_F(LoopsTest, ActionRelayWorkSleepsUntilTheNextDueAction) {
  DueLoop::Work work =
      ActionRelayWork(store_, gateway_, clock_, ActionRelayOptions{});
  EXPECT_EQ(work.what, "carrying out actions");
  EXPECT_EQ(*work.next_due(), std::nullopt);
  QueueAssign(7, "ann", kT0 + absl::Minutes(1));
  EXPECT_EQ(*work.next_due(), kT0 + absl::Minutes(1));
  EXPECT_EQ(*work.step(kT0), 0);
  clock_.Set(kT0 + absl::Minutes(1));
  EXPECT_EQ(*work.step(kT0 + absl::Minutes(1)), 1);
  EXPECT_EQ(*work.next_due(), std::nullopt);
}

// ---- the delivery relay ----

class DeliveryLoopsTest : public LoopsTest {
 protected:
  void SetUp() override {
    TeamRecord care = testing::MakeTeam("care");
    care.webhook_url = "https://hooks.example/care";
    care.webhook_secret = "s3cret";
    ASSERT_TRUE(store_.CreateTeam(care, kT0).ok());
    DeliveryRecord d;
    d.team = "care";
    d.notification_id = 5;
    d.url = care.webhook_url;
    d.payload = "{\"event\":\"escalation.notification\"}";
    d.next_attempt = kT0;
    ASSERT_TRUE(store_
                    .Run([&](EscalationTxn& txn) -> absl::Status {
                      absl::StatusOr<int64_t> added = txn.AddDelivery(d);
                      if (added.ok()) id_ = *added;
                      return added.status();
                    })
                    .ok());
  }
  DeliveryRecord Delivery() {
    std::vector<DeliveryRecord> all = store_.Deliveries();
    EXPECT_THAT(all, SizeIs(1));
    return all.empty() ? DeliveryRecord{} : all[0];
  }
  absl::StatusOr<int> Relay(DeliveryRelayOptions options = {}) {
    return RelayDueDeliveries(store_, poster_, clock_, options, clock_.Now());
  }

  int64_t id_ = 0;
};

TEST_F(DeliveryLoopsTest, ADeliveryIsPostedSignedAndMarkedDelivered) {
  EXPECT_EQ(*Relay(), 1);
  std::vector<HttpRequest> sent = poster_.requests();
  ASSERT_THAT(sent, SizeIs(1));
  EXPECT_EQ(sent[0].url, "https://hooks.example/care");
  EXPECT_EQ(sent[0].body, "{\"event\":\"escalation.notification\"}");
  EXPECT_EQ(sent[0].timeout, absl::Seconds(5));
  EXPECT_THAT(
      sent[0].headers,
      ElementsAre(Pair("X-Cxdesk-Delivery", absl::StrCat(id_)),
                  Pair("X-Cxdesk-Event", "escalation.notification"),
                  Pair("X-Cxdesk-Signature",
                       WebhookSignature("s3cret", absl::ToUnixSeconds(kT0),
                                        sent[0].body))));
  const DeliveryRecord d = Delivery();
  EXPECT_EQ(d.state, DeliveryRecord::State::kDelivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_status_code, 200);
  EXPECT_EQ(d.deliver_time, kT0);
  EXPECT_EQ(*store_.NextDeliveryDue(), std::nullopt);
  EXPECT_EQ(*Relay(), 0);
}

TEST_F(DeliveryLoopsTest, AFailedPostBacksOffThenBecomesADeadLetter) {
  poster_.Answer(500);
  poster_.Answer(absl::UnavailableError("connection refused"));
  const DeliveryRelayOptions options{2, absl::Seconds(1), absl::Seconds(5)};
  EXPECT_EQ(*Relay(options), 1);
  DeliveryRecord d = Delivery();
  EXPECT_EQ(d.state, DeliveryRecord::State::kPending);
  EXPECT_EQ(d.last_status_code, 500);
  EXPECT_EQ(d.last_error, "the receiver answered HTTP 500");
  EXPECT_EQ(d.next_attempt, kT0 + absl::Seconds(1));
  EXPECT_EQ(*store_.NextDeliveryDue(), kT0 + absl::Seconds(1));

  clock_.Set(kT0 + absl::Seconds(1));
  EXPECT_EQ(*Relay(options), 1);
  d = Delivery();
  EXPECT_EQ(d.state, DeliveryRecord::State::kDead);
  EXPECT_EQ(d.attempts, 2);
  EXPECT_EQ(d.last_error, "connection refused");
  EXPECT_EQ(*store_.NextDeliveryDue(), std::nullopt);
}

TEST_F(DeliveryLoopsTest, ALeasedDeliveryWaitsForItsLeaseToEnd) {
  EXPECT_EQ(DeliveryLease(absl::Seconds(5)), absl::Seconds(7));
  absl::StatusOr<std::vector<ClaimedDelivery>> dead =
      store_.ClaimDueDeliveries(kT0, kT0 + absl::Seconds(7), 1);
  ASSERT_THAT(*dead, SizeIs(1));
  EXPECT_EQ((*dead)[0].secret, "s3cret");
  EXPECT_EQ(*store_.NextDeliveryDue(), kT0 + absl::Seconds(7));
  EXPECT_EQ(*Relay(), 0);
  clock_.Set(kT0 + absl::Seconds(7));
  EXPECT_EQ(*Relay(), 1);
  EXPECT_EQ(Delivery().state, DeliveryRecord::State::kDelivered);
  EXPECT_EQ(store_.DeliveryLease(id_).claim, 2);
  EXPECT_FALSE(*store_.FinishDelivery((*dead)[0].claim, (*dead)[0].delivery));
}

// ---- the stream consumers ----

TEST_F(LoopsTest, TheTicketConsumerAppliesFromItsCursorUnderItsLease) {
  ASSERT_TRUE(store_
                  .Run([](EscalationTxn& txn) {
                    return txn.SetCursor(kTicketConsumer, "c1");
                  })
                  .ok());
  DirectoryCache directory(store_);
  Engine engine(store_, directory, gateway_, nullptr, clock_, {"esc"});
  FakeEventSource<TicketEventIn> source(
      {testing::TicketEvent("created", 5, 1, "c2", kT0)});
  std::unique_ptr<common::StreamConsumer<TicketEventIn>> consumer =
      TicketEventConsumer(store_, engine, source);
  std::thread run([&] { consumer->Run(); });
  // Waits for the outcome itself, not for a time: the test's timeout bounds
  // it.
  while (store_.Cursor(kTicketConsumer) != "c2") {
    absl::SleepFor(absl::Milliseconds(1));
  }
  // The consumer holds its lease while it follows.
  EXPECT_EQ(*store_.TryAcquireLease(kTicketConsumerLease), nullptr);
  consumer->Stop();
  run.join();
  EXPECT_THAT(source.followed(), ElementsAre("c1"));
  EXPECT_EQ(consumer->applied(), 1);
  ASSERT_THAT(store_.Decisions(), SizeIs(1));
  EXPECT_EQ(store_.Decisions()[0].ticket_id, 5);
  EXPECT_EQ(store_.Decisions()[0].at, kT0);
  // Stopped: the lease is free again.
  EXPECT_NE(*store_.TryAcquireLease(kTicketConsumerLease), nullptr);
}

TEST_F(LoopsTest, TheSlaConsumerFollowsFromTheStartUnderItsOwnLease) {
  DirectoryCache directory(store_);
  Engine engine(store_, directory, gateway_, nullptr, clock_, {"esc"});
  FakeEventSource<SlaEventIn> source({testing::SlaEvent(
      "started", 5, "resolution", "s1", kT0, kT0 + absl::Hours(4))});
  std::unique_ptr<common::StreamConsumer<SlaEventIn>> consumer =
      SlaEventConsumer(store_, engine, source);
  std::thread run([&] { consumer->Run(); });
  while (store_.Cursor(kSlaConsumer) != "s1") {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_EQ(*store_.TryAcquireLease(kSlaConsumerLease), nullptr);
  // The ticket consumer's lease is another one.
  EXPECT_NE(*store_.TryAcquireLease(kTicketConsumerLease), nullptr);
  consumer->Stop();
  run.join();
  EXPECT_THAT(source.followed(), ElementsAre(""));
  EXPECT_EQ(consumer->applied(), 1);
}

}  // namespace
}  // namespace cxdesk::escalation
