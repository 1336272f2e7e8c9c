#include "services/sla/sla_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/sla/business_time.h"
#include "services/sla/sla_clock.h"

namespace cxdesk::sla {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Monday 2026-06-08 09:00:00 UTC.
constexpr absl::Time kT0 = absl::FromUnixSeconds(1780909200);

// ---- ViewClock ----

class ViewClockTest : public ::testing::Test {
 protected:
  ViewClockTest() : round_the_clock_(TwentyFourSeven("24x7")) {
    policy_.name = "standard";
    policy_.is_default = true;
    policy_.targets["normal"][Metric::kFirstResponse] = {
        absl::Hours(2),
        "24x7",
        {WarningThreshold::MinutesBefore(30),
         WarningThreshold::PercentElapsed(50)}};
    policy_.targets["normal"][Metric::kResolution] = {
        absl::Hours(10), "24x7", {}};
  }

  void Apply(absl::Time at, TicketChange::Kind kind, const std::string& status,
             const std::string& reason = "") {
    TicketChange change;
    change.at = at;
    change.kind = kind;
    change.after.priority = "normal";
    change.after.status = status;
    change.actor = "alice";
    change.reason = reason;
    absl::StatusOr<std::vector<SlaTransition>> out = clocks_.Apply(
        change, policy_, [this](const std::string& name) -> const Calendar* {
          return name == "24x7" ? &round_the_clock_ : nullptr;
        });
    ASSERT_TRUE(out.ok()) << out.status();
  }

  const SlaClock& FirstResponse() const {
    return *clocks_.Find(Metric::kFirstResponse, 1);
  }

  Calendar round_the_clock_;
  Policy policy_;
  TicketClocks clocks_;
};

TEST_F(ViewClockTest, RunningClockAfterAPause) {
  // Created 09:00, pending 09:10-09:40: 2h target -> due 11:30; 50% (1h
  // elapsed) at 10:30, 30 min before at 11:00.
  Apply(kT0, TicketChange::Kind::kCreated, "new");
  Apply(kT0 + absl::Minutes(10), TicketChange::Kind::kStatusChanged, "pending",
        "waiting for logs");
  Apply(kT0 + absl::Minutes(40), TicketChange::Kind::kStatusChanged, "open");

  const ClockView v = ViewClock(FirstResponse(), &round_the_clock_, "standard",
                                kT0 + absl::Hours(1));
  EXPECT_EQ(v.clock.deadline, kT0 + absl::Minutes(150));
  EXPECT_EQ(v.elapsed_business, absl::Minutes(30));
  EXPECT_EQ(v.remaining_business, absl::Minutes(90));
  EXPECT_EQ(v.paused_business, absl::Minutes(30));
  EXPECT_THAT(v.pause_business, ElementsAre(absl::Minutes(30)));
  ASSERT_TRUE(v.next_warning.has_value());
  EXPECT_EQ(*v.next_warning, WarningThreshold::PercentElapsed(50));
  EXPECT_EQ(v.next_warning_time, kT0 + absl::Minutes(90));
  EXPECT_EQ(v.explanation,
            "first_response target 2h of business time on calendar \"24x7\" "
            "under policy \"standard\"; running since 2026-06-08 09:00:00 "
            "UTC, due 2026-06-08 11:30:00 UTC; paused 1 time for 30m of "
            "business time in all");

  // Overdue, not yet breached by the timer.
  const ClockView late = ViewClock(FirstResponse(), &round_the_clock_,
                                   "standard", kT0 + absl::Hours(3));
  EXPECT_EQ(late.elapsed_business, absl::Minutes(150));
  EXPECT_EQ(late.remaining_business, -absl::Minutes(30));
  EXPECT_EQ(late.explanation,
            "first_response target 2h of business time on calendar \"24x7\" "
            "under policy \"standard\"; running since 2026-06-08 09:00:00 "
            "UTC, due 2026-06-08 11:30:00 UTC (overdue); paused 1 time for "
            "30m of business time in all");
}

TEST_F(ViewClockTest, PausedClockCountsTheOpenPauseUpToNow) {
  Apply(kT0, TicketChange::Kind::kCreated, "new");
  Apply(kT0 + absl::Minutes(10), TicketChange::Kind::kStatusChanged, "pending",
        "waiting for logs");

  const ClockView v = ViewClock(FirstResponse(), &round_the_clock_, "standard",
                                kT0 + absl::Minutes(25));
  EXPECT_EQ(v.elapsed_business, absl::Minutes(10));
  EXPECT_EQ(v.remaining_business, absl::Minutes(110));
  EXPECT_EQ(v.paused_business, absl::Minutes(15));
  EXPECT_THAT(v.pause_business, ElementsAre(absl::Minutes(15)));
  EXPECT_EQ(v.clock.deadline, absl::InfiniteFuture());
  EXPECT_EQ(v.explanation,
            "first_response target 2h of business time on calendar \"24x7\" "
            "under policy \"standard\"; paused since 2026-06-08 09:10:00 UTC "
            "while the ticket is pending (alice: waiting for logs); the "
            "deadline moves by the paused time; paused 1 time for 15m of "
            "business time in all");
}

TEST_F(ViewClockTest, MetClockStopsAtItsEnd) {
  Apply(kT0, TicketChange::Kind::kCreated, "new");
  Apply(kT0 + absl::Minutes(45), TicketChange::Kind::kPublicAgentReply, "open");
  const ClockView v = ViewClock(FirstResponse(), &round_the_clock_, "standard",
                                kT0 + absl::Hours(5));
  EXPECT_EQ(v.elapsed_business, absl::Minutes(45));
  EXPECT_EQ(v.remaining_business, absl::Minutes(75));
  EXPECT_EQ(v.paused_business, absl::ZeroDuration());
  EXPECT_THAT(v.pause_business, IsEmpty());
  // Nothing more to warn about once met.
  EXPECT_FALSE(v.next_warning.has_value());
  EXPECT_EQ(v.next_warning_time, absl::InfiniteFuture());
  EXPECT_EQ(v.explanation,
            "first_response target 2h of business time on calendar \"24x7\" "
            "under policy \"standard\"; met at 2026-06-08 09:45:00 UTC, on "
            "time");
}

TEST_F(ViewClockTest, DeletedCalendarGivesZeroTimes) {
  Apply(kT0, TicketChange::Kind::kCreated, "new");
  const ClockView v =
      ViewClock(FirstResponse(), nullptr, "standard", kT0 + absl::Hours(1));
  EXPECT_EQ(v.elapsed_business, absl::ZeroDuration());
  EXPECT_EQ(v.remaining_business, absl::Hours(2));
  EXPECT_EQ(v.paused_business, absl::ZeroDuration());
}

// ---- PromiseFor ----

SlaClock OpenClock(Metric metric, absl::Time deadline,
                   ClockState state = ClockState::kRunning) {
  SlaClock c;
  c.metric = metric;
  c.state = state;
  c.started = kT0;
  c.deadline = deadline;
  return c;
}

SlaClock EndedClock(Metric metric, ClockState state) {
  SlaClock c = OpenClock(metric, kT0 + absl::Hours(1), state);
  c.ended = kT0 + absl::Minutes(30);
  return c;
}

TEST(PromiseForTest, OpenResponseClockPromisesAResponse) {
  const std::optional<SlaPromise> p = PromiseFor(
      42, {OpenClock(Metric::kFirstResponse, kT0 + absl::Minutes(150)),
           OpenClock(Metric::kResolution, kT0 + absl::Hours(16))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->ticket_id, 42);
  EXPECT_EQ(p->metric, Metric::kFirstResponse);
  EXPECT_EQ(p->due, kT0 + absl::Minutes(150));
  EXPECT_EQ(p->text, "We will respond by 2026-06-08 11:30 UTC");
}

TEST(PromiseForTest, TheCustomersMinuteIsRoundedUpNeverDown) {
  const std::optional<SlaPromise> p =
      PromiseFor(42, {OpenClock(Metric::kFirstResponse,
                                kT0 + absl::Minutes(149) + absl::Seconds(10))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->due, kT0 + absl::Minutes(149) + absl::Seconds(10));
  EXPECT_EQ(p->text, "We will respond by 2026-06-08 11:30 UTC");
}

TEST(PromiseForTest, EarliestOpenResponseClockWins) {
  const std::optional<SlaPromise> p = PromiseFor(
      42, {EndedClock(Metric::kFirstResponse, ClockState::kMet),
           OpenClock(Metric::kResolution, kT0 + absl::Hours(1)),
           OpenClock(Metric::kPeriodicUpdate, kT0 + absl::Minutes(5)),
           OpenClock(Metric::kFirstResponse, kT0 + absl::Hours(3)),
           OpenClock(Metric::kNextResponse, kT0 + absl::Hours(2))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->metric, Metric::kNextResponse);
  EXPECT_EQ(p->due, kT0 + absl::Hours(2));
  EXPECT_EQ(p->text, "We will respond by 2026-06-08 11:00 UTC");
}

TEST(PromiseForTest, PausedResponseClockWaitsForTheCustomer) {
  const std::optional<SlaPromise> p =
      PromiseFor(42, {OpenClock(Metric::kFirstResponse, absl::InfiniteFuture(),
                                ClockState::kPaused),
                      OpenClock(Metric::kResolution, kT0 + absl::Hours(16))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->metric, Metric::kFirstResponse);
  EXPECT_EQ(p->due, absl::InfiniteFuture());
  EXPECT_EQ(p->text, "We are waiting for your reply");
}

TEST(PromiseForTest, OnlyResolutionOpenPromisesAResolution) {
  const std::optional<SlaPromise> p =
      PromiseFor(7, {EndedClock(Metric::kFirstResponse, ClockState::kMet),
                     EndedClock(Metric::kNextResponse, ClockState::kCancelled),
                     OpenClock(Metric::kPeriodicUpdate, kT0 + absl::Hours(1)),
                     OpenClock(Metric::kResolution,
                               kT0 + absl::Hours(30) + absl::Seconds(59))});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->ticket_id, 7);
  EXPECT_EQ(p->metric, Metric::kResolution);
  EXPECT_EQ(p->due, kT0 + absl::Hours(30) + absl::Seconds(59));
  EXPECT_EQ(p->text, "We aim to resolve this by 2026-06-09 15:01 UTC");
}

TEST(PromiseForTest, PausedResolutionWaitsForTheCustomer) {
  const std::optional<SlaPromise> p =
      PromiseFor(7, {OpenClock(Metric::kResolution, absl::InfiniteFuture(),
                               ClockState::kPaused)});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->metric, Metric::kResolution);
  EXPECT_EQ(p->due, absl::InfiniteFuture());
  EXPECT_EQ(p->text, "We are waiting for your reply");
}

TEST(PromiseForTest, NothingOpenPromisesNothing) {
  EXPECT_EQ(PromiseFor(7, {}), std::nullopt);
  EXPECT_EQ(PromiseFor(7, {EndedClock(Metric::kFirstResponse, ClockState::kMet),
                           EndedClock(Metric::kResolution, ClockState::kMet)}),
            std::nullopt);
  // A periodic update is not something to promise.
  EXPECT_EQ(
      PromiseFor(7, {OpenClock(Metric::kPeriodicUpdate, kT0 + absl::Hours(1))}),
      std::nullopt);
}

}  // namespace
}  // namespace cxdesk::sla
