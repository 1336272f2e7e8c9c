#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"
#include "services/common/status_macros.h"
#include "services/common/testing/fake_clock.h"
#include "services/sla/business_time.h"
#include "services/sla/clock_engine.h"
#include "services/sla/sla_engine.h"
#include "services/sla/testing/fake_sla_store.h"

namespace cxdesk::sla {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Monday 2026-06-08 09:00:00 UTC.
constexpr absl::Time kT0 = absl::FromUnixSeconds(1780909200);

// The ticket stream as the ticket service serves it: the changes after the
// cursor asked for (all of them with `replay_all`, as a stream that lost
// its place would), then nothing until cancelled, like a live stream with
// no new events. Records the cursors it was asked to follow from.
// Thread-safe.
class FakeTicketEventSource final : public TicketEventSource {
 public:
  explicit FakeTicketEventSource(std::vector<RecordedChange> changes,
                                 bool replay_all = false)
      : changes_(std::move(changes)), replay_all_(replay_all) {}

  absl::Status Follow(
      const std::string& after_cursor,
      const std::function<bool(const RecordedChange&)>& on_event) override {
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) return absl::CancelledError("cancelled");
      follows_.push_back(after_cursor);
    }
    size_t next = 0;
    if (!replay_all_) {
      for (size_t i = 0; i < changes_.size(); ++i) {
        if (changes_[i].cursor == after_cursor) next = i + 1;
      }
    }
    for (; next < changes_.size(); ++next) {
      if (!on_event(changes_[next])) return absl::OkStatus();
    }
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&cancelled_));
    return absl::CancelledError("cancelled");
  }
  void Cancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
  void Reset() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = false;
  }
  std::vector<std::string> follows() const {
    absl::MutexLock lock(&mu_);
    return follows_;
  }

 private:
  const std::vector<RecordedChange> changes_;
  const bool replay_all_;
  mutable absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::string> follows_ ABSL_GUARDED_BY(mu_);
};

// Waits (without a deadline: ctest's timeout is the backstop) until `done`.
template <typename Done>
void WaitUntil(const Done& done) {
  while (!done()) absl::SleepFor(absl::Milliseconds(1));
}

RecordedChange Change(int64_t event_id, int64_t ticket_id, absl::Time at,
                      TicketChange::Kind kind,
                      const std::string& status = "new") {
  RecordedChange c;
  c.ticket_event_id = event_id;
  c.ticket_id = ticket_id;
  c.cursor = absl::StrCat("c", event_id);
  c.change.at = at;
  c.change.kind = kind;
  c.change.after.priority = "normal";
  c.change.after.kind = "question";
  c.change.after.channel = "web";
  c.change.after.status = status;
  c.change.actor = "alice";
  c.dims = {"payments", "alice"};
  return c;
}

// An armed timer as (ticket, metric, kind, warning index, due).
using TimerKey = std::tuple<int64_t, Metric, TimerSpec::Kind, int, absl::Time>;

std::vector<TimerKey> Keys(const std::vector<ArmedTimer>& timers) {
  std::vector<TimerKey> out;
  for (const ArmedTimer& t : timers) {
    out.emplace_back(t.ticket_id, t.spec.metric, t.spec.kind, t.spec.warning,
                     t.spec.due);
  }
  return out;
}

TimerKey Warning(int64_t ticket, Metric metric, int index, absl::Time due) {
  return {ticket, metric, TimerSpec::Kind::kWarning, index, due};
}
TimerKey Breach(int64_t ticket, Metric metric, absl::Time due) {
  return {ticket, metric, TimerSpec::Kind::kBreach, -1, due};
}

// A ledger event as (ticket, kind, metric, occur time).
using EventKey = std::tuple<int64_t, SlaTransition::Kind, Metric, absl::Time>;

std::vector<EventKey> Keys(const std::vector<LedgerEvent>& events) {
  std::vector<EventKey> out;
  for (const LedgerEvent& e : events) {
    out.emplace_back(e.ticket_id, e.kind, e.metric, e.occur_time);
  }
  return out;
}

class SlaLoopTest : public ::testing::Test {
 protected:
  // The 24x7 calendar and the default policy: first response in 1 h,
  // warned at 50 % (30 min) and 10 minutes before (50 min); resolution in
  // 8 h.
  void SetUp() override {
    CalendarRecord calendar;
    calendar.calendar = TwentyFourSeven("24x7");
    ASSERT_TRUE(store_.CreateCalendar(calendar, kT0).ok());
    PolicyRecord policy;
    policy.policy.name = "standard";
    policy.policy.is_default = true;
    policy.policy.targets["normal"][Metric::kFirstResponse] = {
        absl::Hours(1),
        "24x7",
        {WarningThreshold::PercentElapsed(50),
         WarningThreshold::MinutesBefore(10)}};
    policy.policy.targets["normal"][Metric::kResolution] = {
        absl::Hours(8), "24x7", {}};
    ASSERT_TRUE(store_.CreatePolicy(policy, kT0).ok());
  }

  // Applies `changes` as the change consumer does.
  void Feed(const std::vector<RecordedChange>& changes) {
    const absl::Status status = store_.ApplyChanges(
        ChangeConsumer::kName, changes,
        [&](const RecordedChange& change,
            const std::optional<StoredTicket>& current,
            int64_t revision) -> absl::StatusOr<std::optional<ClockUpdate>> {
          CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const SlaConfig> config,
                                  cache_.AtLeast(revision));
          CXDESK_ASSIGN_OR_RETURN(ClockUpdate update,
                                  ApplyChange(current, change, *config));
          return std::optional<ClockUpdate>(std::move(update));
        });
    ASSERT_TRUE(status.ok()) << status;
  }

  std::string Cursor() { return *store_.ReadCursor(ChangeConsumer::kName); }

  common::FakeClock clock_{kT0};
  common::ChangeCounter timers_armed_;
  FakeSlaStore store_{clock_, nullptr, &timers_armed_};
  ConfigCache cache_{store_};
};

// ---- ChangeConsumer ----

// Ticket 1 is created and answered 10 minutes later; ticket 2 is created;
// ticket 9's first change is not its creation (the rules reject it).
std::vector<RecordedChange> ABatch() {
  return {Change(11, 1, kT0, TicketChange::Kind::kCreated),
          Change(12, 2, kT0 + absl::Minutes(1), TicketChange::Kind::kCreated),
          Change(13, 1, kT0 + absl::Minutes(10),
                 TicketChange::Kind::kPublicAgentReply, "open"),
          Change(14, 9, kT0 + absl::Minutes(11),
                 TicketChange::Kind::kInternalNote, "open")};
}

TEST_F(SlaLoopTest, ConsumerAppliesTheStreamAndArmsExactTimers) {
  FakeTicketEventSource source(ABatch());
  ChangeConsumer consumer(store_, cache_, source);
  std::thread run([&] { consumer.Run(); });
  WaitUntil([&] { return Cursor() == "c14"; });
  consumer.Stop();
  run.join();

  EXPECT_EQ(consumer.applied(), 4);
  EXPECT_THAT(source.follows(), ElementsAre(""));
  std::vector<int64_t> recorded;
  for (const RecordedChange& c : store_.changes()) {
    recorded.push_back(c.ticket_event_id);
  }
  // The rejected change is recorded too, and moves no clock.
  EXPECT_THAT(recorded, ElementsAre(11, 12, 13, 14));
  EXPECT_EQ(store_.GetTicket(9).status().code(), StatusCode::kNotFound);

  // Ticket 1's first response is met: only its resolution stays armed.
  EXPECT_THAT(
      Keys(store_.armed_timers()),
      ElementsAre(
          Warning(2, Metric::kFirstResponse, 0, kT0 + absl::Minutes(31)),
          Warning(2, Metric::kFirstResponse, 1, kT0 + absl::Minutes(51)),
          Breach(2, Metric::kFirstResponse, kT0 + absl::Minutes(61)),
          Breach(1, Metric::kResolution, kT0 + absl::Hours(8)),
          Breach(2, Metric::kResolution,
                 kT0 + absl::Hours(8) + absl::Minutes(1))));
  absl::StatusOr<StoredTicket> one = store_.GetTicket(1);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->policy_id, "standard");
  EXPECT_EQ(one->last_event_id, 13);
  ASSERT_EQ(one->state.clocks.size(), 2u);
  EXPECT_EQ(one->state.clocks[0].state, ClockState::kMet);
  EXPECT_EQ(one->state.clocks[0].ended, kT0 + absl::Minutes(10));
  EXPECT_EQ(one->state.clocks[1].deadline, kT0 + absl::Hours(8));
}

TEST_F(SlaLoopTest, ConsumerWritesTheLedgerInStreamOrder) {
  FakeTicketEventSource source(ABatch());
  ChangeConsumer consumer(store_, cache_, source);
  std::thread run([&] { consumer.Run(); });
  WaitUntil([&] { return Cursor() == "c14"; });
  consumer.Stop();
  run.join();

  std::vector<EventKey> ticket_1, ticket_2;
  for (const EventKey& e : Keys(store_.events())) {
    (std::get<0>(e) == 1 ? ticket_1 : ticket_2).push_back(e);
  }
  using K = SlaTransition::Kind;
  EXPECT_THAT(ticket_1,
              ElementsAre(EventKey{1, K::kStarted, Metric::kFirstResponse, kT0},
                          EventKey{1, K::kStarted, Metric::kResolution, kT0},
                          EventKey{1, K::kMet, Metric::kFirstResponse,
                                   kT0 + absl::Minutes(10)}));
  EXPECT_THAT(ticket_2,
              ElementsAre(EventKey{2, K::kStarted, Metric::kFirstResponse,
                                   kT0 + absl::Minutes(1)},
                          EventKey{2, K::kStarted, Metric::kResolution,
                                   kT0 + absl::Minutes(1)}));
}

TEST_F(SlaLoopTest, ARestartedConsumerFollowsFromTheCommittedCursor) {
  {
    FakeTicketEventSource source(ABatch());
    ChangeConsumer consumer(store_, cache_, source);
    std::thread run([&] { consumer.Run(); });
    WaitUntil([&] { return Cursor() == "c14"; });
    consumer.Stop();
    run.join();
  }
  const size_t events = store_.events().size();
  const std::vector<FakeSlaStore::TimerRow> timers = store_.timers();
  // A stream that replays everything again: each change is recorded once,
  // so nothing moves.
  FakeTicketEventSource again(ABatch(), /*replay_all=*/true);
  ChangeConsumer consumer(store_, cache_, again);
  std::thread run([&] { consumer.Run(); });
  WaitUntil([&] { return consumer.applied() == 4; });
  consumer.Stop();
  run.join();
  EXPECT_THAT(again.follows(), ElementsAre("c14"));
  EXPECT_EQ(store_.events().size(), events);
  EXPECT_EQ(store_.timers().size(), timers.size());
  EXPECT_EQ(store_.changes().size(), 4u);
  EXPECT_EQ(Cursor(), "c14");
}

TEST_F(SlaLoopTest, ConsumerStandsByWhileAnotherReplicaHoldsTheLease) {
  absl::StatusOr<std::unique_ptr<Lease>> held =
      store_.TryAcquireLease(ChangeConsumer::kLeaseKey);
  ASSERT_TRUE(held.ok() && *held != nullptr);
  FakeTicketEventSource source(ABatch());
  ChangeConsumer consumer(store_, cache_, source);
  std::thread run([&] { consumer.Run(); });
  // Our own take, then the consumer's, which found the lease taken.
  WaitUntil([&] { return store_.calls("TryAcquireLease") >= 2; });
  EXPECT_THAT(source.follows(), IsEmpty());
  EXPECT_EQ(store_.calls("ApplyChanges"), 0);
  held->reset();  // The other replica goes away.
  WaitUntil([&] { return Cursor() == "c14"; });
  consumer.Stop();
  run.join();
  EXPECT_THAT(source.follows(), ElementsAre(""));
}

// ---- TimerLoop ----

TEST_F(SlaLoopTest, FireOnceFiresExactlyTheDueTimersAtTheirInstants) {
  Feed({Change(11, 1, kT0, TicketChange::Kind::kCreated)});
  TimerLoop loop(store_, cache_, clock_, common::NoChanges(), {"replica-a"});
  const size_t started = store_.events().size();
  ASSERT_EQ(started, 2u);

  // A nanosecond early: nothing.
  EXPECT_EQ(*loop.FireOnce(kT0 + absl::Minutes(30) - absl::Nanoseconds(1)), 0);
  EXPECT_EQ(store_.events().size(), started);

  // The 50 % warning at exactly 30 minutes.
  EXPECT_EQ(*loop.FireOnce(kT0 + absl::Minutes(30)), 1);
  EXPECT_EQ(loop.fired(), 1);
  std::vector<LedgerEvent> events = store_.events();
  ASSERT_EQ(events.size(), started + 1);
  EXPECT_EQ(events.back().kind, SlaTransition::Kind::kWarned);
  EXPECT_EQ(events.back().metric, Metric::kFirstResponse);
  EXPECT_EQ(events.back().occur_time, kT0 + absl::Minutes(30));
  ASSERT_TRUE(events.back().warning.has_value());
  EXPECT_EQ(*events.back().warning, WarningThreshold::PercentElapsed(50));
  // Fired once only.
  EXPECT_EQ(*loop.FireOnce(kT0 + absl::Minutes(30)), 0);
  EXPECT_EQ(*loop.FireOnce(kT0 + absl::Minutes(50) - absl::Microseconds(1)), 0);

  // At the deadline: the 10-minute warning (due at 50 min) and the breach,
  // in due order, each at its own instant.
  EXPECT_EQ(*loop.FireOnce(kT0 + absl::Hours(1)), 2);
  EXPECT_EQ(loop.fired(), 3);
  events = store_.events();
  ASSERT_EQ(events.size(), started + 3);
  EXPECT_EQ(events[started + 1].kind, SlaTransition::Kind::kWarned);
  EXPECT_EQ(events[started + 1].occur_time, kT0 + absl::Minutes(50));
  EXPECT_EQ(*events[started + 1].warning, WarningThreshold::MinutesBefore(10));
  EXPECT_EQ(events[started + 2].kind, SlaTransition::Kind::kBreached);
  EXPECT_EQ(events[started + 2].occur_time, kT0 + absl::Hours(1));
  EXPECT_EQ(events[started + 2].deadline, kT0 + absl::Hours(1));

  // Every fired row says who fired it; the resolution timer waits.
  int fired_rows = 0;
  for (const FakeSlaStore::TimerRow& row : store_.timers()) {
    if (!row.fired) continue;
    ++fired_rows;
    EXPECT_EQ(row.outcome, TimerOutcome::kFired);
    EXPECT_EQ(row.fired_by, "replica-a");
  }
  EXPECT_EQ(fired_rows, 3);
  EXPECT_THAT(
      Keys(store_.armed_timers()),
      ElementsAre(Breach(1, Metric::kResolution, kT0 + absl::Hours(8))));
  EXPECT_EQ(*store_.NextTimerDue(), kT0 + absl::Hours(8));
}

TEST_F(SlaLoopTest, FireOnceClaimsAtMostABatchEarliestFirst) {
  Feed({Change(11, 1, kT0, TicketChange::Kind::kCreated),
        Change(12, 2, kT0 + absl::Minutes(1), TicketChange::Kind::kCreated)});
  TimerLoop::Options options;
  options.replica = "replica-b";
  options.batch = 1;
  TimerLoop loop(store_, cache_, clock_, common::NoChanges(), options);
  // Four warnings are due by 1h; each round takes the earliest one.
  const absl::Time now = kT0 + absl::Minutes(55);
  std::vector<EventKey> fired;
  for (int round = 0; round < 4; ++round) {
    EXPECT_EQ(*loop.FireOnce(now), 1) << round;
    fired.push_back(Keys(store_.events()).back());
  }
  EXPECT_EQ(*loop.FireOnce(now), 0);
  using K = SlaTransition::Kind;
  const Metric fr = Metric::kFirstResponse;
  EXPECT_THAT(
      fired, ElementsAre(EventKey{1, K::kWarned, fr, kT0 + absl::Minutes(30)},
                         EventKey{2, K::kWarned, fr, kT0 + absl::Minutes(31)},
                         EventKey{1, K::kWarned, fr, kT0 + absl::Minutes(50)},
                         EventKey{2, K::kWarned, fr, kT0 + absl::Minutes(51)}));
}

TEST_F(SlaLoopTest, ATimerOfAMetClockIsDisarmedNotFired) {
  Feed({Change(11, 1, kT0, TicketChange::Kind::kCreated),
        Change(12, 1, kT0 + absl::Minutes(20),
               TicketChange::Kind::kPublicAgentReply, "open")});
  TimerLoop loop(store_, cache_, clock_, common::NoChanges(), {"replica-a"});
  EXPECT_EQ(*loop.FireOnce(kT0 + absl::Hours(2)), 0);
  EXPECT_EQ(loop.fired(), 0);
  EXPECT_THAT(
      Keys(store_.armed_timers()),
      ElementsAre(Breach(1, Metric::kResolution, kT0 + absl::Hours(8))));
}

TEST_F(SlaLoopTest, RunFiresWhenTheClockReachesTheDueInstant) {
  Feed({Change(11, 1, kT0, TicketChange::Kind::kCreated)});
  TimerLoop::Options options;
  options.replica = "replica-a";
  // Only the signal wakes the loop in this test (never the poll).
  options.poll = absl::Hours(24);
  TimerLoop loop(store_, cache_, clock_, timers_armed_, options);
  std::thread run([&] { loop.Run(); });

  // The loop sleeps until 30 min; the fake clock jumps there and a NOTIFY
  // wakes it.
  clock_.Set(kT0 + absl::Minutes(30));
  timers_armed_.Bump();
  WaitUntil([&] { return loop.fired() == 1; });
  EXPECT_THAT(Keys(store_.events()).back(),
              (EventKey{1, SlaTransition::Kind::kWarned, Metric::kFirstResponse,
                        kT0 + absl::Minutes(30)}));

  clock_.Set(kT0 + absl::Hours(1));
  timers_armed_.Bump();
  WaitUntil([&] { return loop.fired() == 3; });
  EXPECT_THAT(Keys(store_.events()).back(),
              (EventKey{1, SlaTransition::Kind::kBreached,
                        Metric::kFirstResponse, kT0 + absl::Hours(1)}));

  loop.Stop();
  timers_armed_.Bump();  // Wakes the loop, which then sees the stop.
  run.join();
  EXPECT_EQ(loop.fired(), 3);
  EXPECT_EQ(store_.events().size(), 5u);
}

TEST_F(SlaLoopTest, RunEndsWhenTheSignalStops) {
  TimerLoop loop(store_, cache_, clock_, timers_armed_, {"replica-a"});
  std::thread run([&] { loop.Run(); });
  timers_armed_.Stop();
  run.join();
  EXPECT_EQ(loop.fired(), 0);
}

}  // namespace
}  // namespace cxdesk::sla
