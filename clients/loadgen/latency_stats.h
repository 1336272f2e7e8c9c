#ifndef CXDESK_CLIENTS_LOADGEN_LATENCY_STATS_H_
#define CXDESK_CLIENTS_LOADGEN_LATENCY_STATS_H_

#include <cstdint>
#include <vector>

namespace cxdesk::clients::loadgen {

// Latency of a set of calls, in milliseconds.
struct LatencySummary {
  int64_t count = 0;
  double mean_ms = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// The nearest-rank percentile `q` (0 < q <= 1) of `sorted` (ascending): the
// smallest sample such that at least q of all samples are at or below it.
// 0 for an empty vector.
int64_t Percentile(const std::vector<int64_t>& sorted, double q);

// Summarises samples given in microseconds (in any order). All zero when
// there are none.
LatencySummary Summarize(std::vector<int64_t> samples_us);

// True when more than `max_fraction` of `calls` (successes and failures
// together) failed, or when no call was made at all (nothing was measured).
bool TooManyErrors(int64_t calls, int64_t errors, double max_fraction = 0.01);

}  // namespace cxdesk::clients::loadgen

#endif  // CXDESK_CLIENTS_LOADGEN_LATENCY_STATS_H_
