#include "services/common/due_loop.h"

#include <gtest/gtest.h>

#include <deque>
#include <thread>

#include "services/common/revision_cache.h"
#include "services/common/testing/fake_clock.h"

namespace cxdesk::common {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1767225600);

// Scripted work: each step handles the next count; next_due answers the
// next instant.
struct Script {
  std::deque<absl::StatusOr<int>> handled;
  std::deque<absl::StatusOr<std::optional<absl::Time>>> next;
  std::vector<absl::Time> stepped_at;

  DueLoop::Work Work() {
    return {"test work",
            [this](absl::Time now) -> absl::StatusOr<int> {
              stepped_at.push_back(now);
              if (handled.empty()) return 0;
              absl::StatusOr<int> h = handled.front();
              handled.pop_front();
              return h;
            },
            [this]() -> absl::StatusOr<std::optional<absl::Time>> {
              if (next.empty()) return std::optional<absl::Time>();
              auto n = next.front();
              next.pop_front();
              return n;
            }};
  }
};

class DueLoopTest : public ::testing::Test {
 protected:
  FakeClock clock_{kT0};
  ChangeCounter signal_;
  Script script_;
  DueLoop loop_{script_.Work(), clock_, signal_, absl::Seconds(1)};
};

TEST_F(DueLoopTest, HandledWorkLooksAgainAtOnce) {
  script_.handled = {3};
  EXPECT_EQ(loop_.Step(), absl::ZeroDuration());
  EXPECT_EQ(script_.stepped_at, std::vector<absl::Time>{kT0});
}

TEST_F(DueLoopTest, SleepsExactlyUntilTheNextDueInstant) {
  script_.next = {std::optional<absl::Time>(kT0 + absl::Milliseconds(350))};
  EXPECT_EQ(loop_.Step(), absl::Milliseconds(350));
}

TEST_F(DueLoopTest, SleepsAtMostThePollInterval) {
  script_.next = {std::optional<absl::Time>(kT0 + absl::Minutes(5))};
  EXPECT_EQ(loop_.Step(), absl::Seconds(1));
  // Nothing waiting at all: the poll interval too.
  EXPECT_EQ(loop_.Step(), absl::Seconds(1));
}

TEST_F(DueLoopTest, DueButHeldElsewhereRetriesSoon) {
  script_.next = {std::optional<absl::Time>(kT0)};
  EXPECT_EQ(loop_.Step(), DueLoop::kRetryWhenHeld);
}

TEST_F(DueLoopTest, ErrorsRetryAfterAPause) {
  script_.handled = {absl::UnavailableError("db down")};
  EXPECT_EQ(loop_.Step(), DueLoop::kRetryAfterError);
  script_.next = {absl::UnavailableError("db down")};
  EXPECT_EQ(loop_.Step(), DueLoop::kRetryAfterError);
}

TEST_F(DueLoopTest, TheStepSeesTheClockOfItsRound) {
  script_.next = {std::optional<absl::Time>(kT0 + absl::Seconds(2))};
  loop_.Step();
  clock_.Advance(absl::Seconds(2));
  script_.handled = {1};
  EXPECT_EQ(loop_.Step(), absl::ZeroDuration());
  EXPECT_EQ(script_.stepped_at,
            (std::vector<absl::Time>{kT0, kT0 + absl::Seconds(2)}));
}

TEST_F(DueLoopTest, RunEndsWhenTheSignalStops) {
  std::thread runner([&] { loop_.Run(); });
  // Whether Run() is waiting (idle work: a 1 s poll) or not started yet,
  // Stop on the signal ends it; a hang fails the test by its timeout.
  signal_.Stop();
  runner.join();
  EXPECT_TRUE(signal_.stopped());
}

struct Config {
  int64_t revision = 0;
  int loads = 0;
};

TEST(RevisionCacheTest, ReloadsOnlyWhenTheRevisionMoved) {
  int loads = 0;
  int64_t stored = 4;
  RevisionCache<Config> cache([&]() -> absl::StatusOr<Config> {
    return Config{stored, ++loads};
  });
  auto first = cache.AtLeast(4);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)->revision, 4);
  auto again = cache.AtLeast(3);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first->get());
  EXPECT_EQ(loads, 1);
  stored = 5;
  auto moved = cache.AtLeast(5);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ((*moved)->revision, 5);
  EXPECT_EQ(loads, 2);
}

TEST(RevisionCacheTest, ALoadErrorIsReturnedAndNothingCached) {
  bool fail = true;
  RevisionCache<Config> cache([&]() -> absl::StatusOr<Config> {
    if (fail) return absl::UnavailableError("db down");
    return Config{1, 1};
  });
  EXPECT_EQ(cache.AtLeast(1).status().code(), absl::StatusCode::kUnavailable);
  fail = false;
  auto loaded = cache.AtLeast(1);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->revision, 1);
}

}  // namespace
}  // namespace cxdesk::common
