#include "clients/loadgen/latency_stats.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace cxdesk::clients::loadgen {
namespace {

TEST(PercentileTest, NearestRank) {
  std::vector<int64_t> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  EXPECT_EQ(Percentile(v, 0.50), 50);
  EXPECT_EQ(Percentile(v, 0.90), 90);
  EXPECT_EQ(Percentile(v, 0.99), 99);
  EXPECT_EQ(Percentile(v, 1.0), 100);
  EXPECT_EQ(Percentile(v, 0.001), 1);
}

TEST(PercentileTest, SmallSets) {
  EXPECT_EQ(Percentile({}, 0.5), 0);
  EXPECT_EQ(Percentile({7}, 0.5), 7);
  EXPECT_EQ(Percentile({7}, 0.99), 7);
  // Of 10 samples, p99 is the largest: one slow call in ten is not hidden.
  EXPECT_EQ(Percentile({1, 1, 1, 1, 1, 1, 1, 1, 1, 50}, 0.99), 50);
  EXPECT_EQ(Percentile({1, 2, 3, 4}, 0.5), 2);
}

TEST(SummarizeTest, MillisecondsFromUnsortedMicroseconds) {
  std::vector<int64_t> us;
  for (int i = 1; i <= 1000; ++i) us.push_back(i * 1000);  // 1..1000 ms
  std::shuffle(us.begin(), us.end(), std::mt19937(42));
  LatencySummary s = Summarize(us);
  EXPECT_EQ(s.count, 1000);
  EXPECT_DOUBLE_EQ(s.p50_ms, 500);
  EXPECT_DOUBLE_EQ(s.p90_ms, 900);
  EXPECT_DOUBLE_EQ(s.p99_ms, 990);
  EXPECT_DOUBLE_EQ(s.max_ms, 1000);
  EXPECT_DOUBLE_EQ(s.mean_ms, 500.5);
}

TEST(SummarizeTest, EmptyIsAllZero) {
  LatencySummary s = Summarize({});
  EXPECT_EQ(s.count, 0);
  EXPECT_EQ(s.p99_ms, 0);
  EXPECT_EQ(s.max_ms, 0);
}

TEST(TooManyErrorsTest, MoreThanOnePercent) {
  EXPECT_FALSE(TooManyErrors(1000, 0));
  EXPECT_FALSE(TooManyErrors(1000, 10));  // exactly 1%: allowed
  EXPECT_TRUE(TooManyErrors(1000, 11));
  EXPECT_TRUE(TooManyErrors(0, 0));  // nothing measured is a failure
  EXPECT_TRUE(TooManyErrors(10, 1));
}

}  // namespace
}  // namespace cxdesk::clients::loadgen
