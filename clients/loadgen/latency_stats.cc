#include "clients/loadgen/latency_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cxdesk::clients::loadgen {

int64_t Percentile(const std::vector<int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double n = static_cast<double>(sorted.size());
  // The epsilon keeps q * n from landing just above a whole rank through
  // rounding (0.9 * 100 must be rank 90, not 91).
  int64_t rank = static_cast<int64_t>(std::ceil(q * n - 1e-9));
  rank = std::clamp<int64_t>(rank, 1, static_cast<int64_t>(sorted.size()));
  return sorted[rank - 1];
}

LatencySummary Summarize(std::vector<int64_t> samples_us) {
  LatencySummary summary;
  if (samples_us.empty()) return summary;
  std::sort(samples_us.begin(), samples_us.end());
  auto ms = [](double us) { return us / 1000.0; };
  summary.count = static_cast<int64_t>(samples_us.size());
  const double total =
      std::accumulate(samples_us.begin(), samples_us.end(), 0.0);
  summary.mean_ms = ms(total / summary.count);
  summary.p50_ms = ms(Percentile(samples_us, 0.50));
  summary.p90_ms = ms(Percentile(samples_us, 0.90));
  summary.p99_ms = ms(Percentile(samples_us, 0.99));
  summary.max_ms = ms(samples_us.back());
  return summary;
}

bool TooManyErrors(int64_t calls, int64_t errors, double max_fraction) {
  if (calls <= 0) return true;
  return static_cast<double>(errors) > max_fraction * calls;
}

}  // namespace cxdesk::clients::loadgen
