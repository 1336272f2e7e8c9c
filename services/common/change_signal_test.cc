#include "services/common/change_signal.h"

#include <gtest/gtest.h>

#include <thread>

#include "absl/time/clock.h"

namespace cxdesk::common {
namespace {

TEST(ChangeCounterTest, BumpMovesTheGenerationAndWakesAWaiter) {
  ChangeCounter counter;
  EXPECT_EQ(counter.generation(), 0u);
  std::thread bumper([&] {
    absl::SleepFor(absl::Milliseconds(20));
    counter.Bump();
  });
  // Long timeout: only the bump can end this wait in time.
  EXPECT_EQ(counter.WaitForChange(0, absl::Seconds(30)), 1u);
  bumper.join();
  EXPECT_FALSE(counter.stopped());
}

TEST(ChangeCounterTest, AChangeBeforeTheWaitIsNotMissed) {
  ChangeCounter counter;
  const uint64_t seen = counter.generation();
  counter.Bump();
  EXPECT_EQ(counter.WaitForChange(seen, absl::Seconds(30)), 1u);
}

TEST(ChangeCounterTest, WithoutAChangeTheWaitTimesOut) {
  ChangeCounter counter;
  counter.Bump();
  EXPECT_EQ(counter.WaitForChange(1, absl::Milliseconds(5)), 1u);
}

TEST(ChangeCounterTest, StopWakesWaitersForGood) {
  ChangeCounter counter;
  std::thread stopper([&] {
    absl::SleepFor(absl::Milliseconds(20));
    counter.Stop();
  });
  EXPECT_EQ(counter.WaitForChange(0, absl::Seconds(30)), 0u);
  stopper.join();
  EXPECT_TRUE(counter.stopped());
  EXPECT_EQ(counter.WaitForChange(0, absl::Seconds(30)), 0u);
}

TEST(NoChangesTest, NeverChangesNorStops) {
  const ChangeSignal& none = NoChanges();
  EXPECT_EQ(none.WaitForChange(none.generation(), absl::Milliseconds(2)), 0u);
  EXPECT_FALSE(none.stopped());
  EXPECT_EQ(&none, &NoChanges());
}

}  // namespace
}  // namespace cxdesk::common
