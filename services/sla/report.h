#ifndef CXDESK_SERVICES_SLA_REPORT_H_
#define CXDESK_SERVICES_SLA_REPORT_H_

// SLA reports: compliance and response-time percentiles per group. The
// definitions live here once; the PostgreSQL store computes the same figures
// in SQL for GetSlaReport (checked against BuildReport by the tests), and
// SimulatePolicy aggregates replayed measurements with BuildReport.
//
// Per clock that started in [start, end):
//  - breached: its breach fired, or it was met after its deadline;
//  - met on time: met and not breached;
//  - open: still running or paused, not breached;
//  - cancelled: ended without a measurement, not breached;
//  - compliance = met on time / (met on time + breached), in percent; 0 when
//    nothing is decided;
//  - percentiles (nearest rank) over every met clock, on time or late, of
//    business time (excluding pauses) and calendar time (start to met).
// Tickets: distinct tickets with such a clock; CSAT: the average score of
// those that are rated.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/sla/sla.h"

namespace cxdesk::sla {

enum class Dimension {
  kTeam,
  kAgent,
  kPriority,
  kKind,
  kCxLevel,
  kPolicy,
  kChannel
};

// "team", "agent", "priority", "kind", "cx_level", "policy", "channel".
absl::string_view DimensionName(Dimension d);

// The value of `d` for `m`.
const std::string& DimensionValue(const Measurement& m, Dimension d);

struct DurationStats {
  int64_t count = 0;
  absl::Duration p50, p90, p99, max;
};

// Nearest-rank percentiles of `values` (sorted in place); all zero if empty.
// p-th percentile = the value at rank ceil(p * n), as PostgreSQL's
// percentile_disc.
DurationStats ComputeStats(std::vector<absl::Duration>& values);

struct MetricReport {
  Metric metric = Metric::kFirstResponse;
  int64_t clocks = 0;
  int64_t met_on_time = 0;
  int64_t breached = 0;
  int64_t open = 0;
  int64_t cancelled = 0;
  double compliance_percent = 0;
  DurationStats business_time;
  DurationStats calendar_time;
};

struct ReportRow {
  std::vector<std::string> group_values;  // Parallel to group_by.
  int64_t tickets = 0;
  std::vector<MetricReport>
      metrics;  // In Metric order, only those with clocks.
  int64_t ratings = 0;
  double average_csat = 0;
};

struct Report {
  absl::Time start;
  absl::Time end;
  std::vector<Dimension> group_by;
  std::vector<ReportRow> rows;  // Sorted by group values.
  int64_t clocks = 0;
};

// Compliance percent as defined above.
double CompliancePercent(int64_t met_on_time, int64_t breached);

// Aggregates `measurements` (only those that started in [start, end) count)
// by `group_by`. `csat` maps ticket id to its rating score, if rated.
Report BuildReport(const std::vector<Measurement>& measurements,
                   const std::map<int64_t, int>& csat, absl::Time start,
                   absl::Time end, const std::vector<Dimension>& group_by);

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_REPORT_H_
