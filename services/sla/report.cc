#include "services/sla/report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

namespace cxdesk::sla {
namespace {

constexpr std::array<absl::string_view, 7> kDimensionNames = {
    "team", "agent", "priority", "kind", "cx_level", "policy", "channel"};

absl::Duration AtRank(const std::vector<absl::Duration>& sorted, double p) {
  // As PostgreSQL's percentile_disc: the first value whose cumulative
  // fraction reaches p.
  int64_t rank = static_cast<int64_t>(std::ceil(p * sorted.size()));
  rank = std::clamp<int64_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

struct MetricAcc {
  MetricReport report;
  std::vector<absl::Duration> business;
  std::vector<absl::Duration> calendar;
};

struct GroupAcc {
  std::map<Metric, MetricAcc> metrics;
  std::set<int64_t> tickets;
};

}  // namespace

absl::string_view DimensionName(Dimension d) {
  return kDimensionNames[static_cast<int>(d)];
}

const std::string& DimensionValue(const Measurement& m, Dimension d) {
  switch (d) {
    case Dimension::kTeam:
      return m.team;
    case Dimension::kAgent:
      return m.assignee;
    case Dimension::kPriority:
      return m.priority;
    case Dimension::kKind:
      return m.kind;
    case Dimension::kCxLevel:
      return m.cx_level;
    case Dimension::kPolicy:
      return m.policy_id;
    case Dimension::kChannel:
      return m.channel;
  }
  return m.team;
}

DurationStats ComputeStats(std::vector<absl::Duration>& values) {
  DurationStats stats;
  stats.count = static_cast<int64_t>(values.size());
  if (values.empty()) return stats;
  std::sort(values.begin(), values.end());
  stats.p50 = AtRank(values, 0.5);
  stats.p90 = AtRank(values, 0.9);
  stats.p99 = AtRank(values, 0.99);
  stats.max = values.back();
  return stats;
}

double CompliancePercent(int64_t met_on_time, int64_t breached) {
  const int64_t decided = met_on_time + breached;
  return decided == 0 ? 0.0 : 100.0 * met_on_time / decided;
}

Report BuildReport(const std::vector<Measurement>& measurements,
                   const std::map<int64_t, int>& csat, absl::Time start,
                   absl::Time end, const std::vector<Dimension>& group_by) {
  Report report;
  report.start = start;
  report.end = end;
  report.group_by = group_by;
  std::map<std::vector<std::string>, GroupAcc> groups;
  for (const Measurement& m : measurements) {
    if (m.started < start || m.started >= end) continue;
    ++report.clocks;
    std::vector<std::string> key;
    key.reserve(group_by.size());
    for (Dimension d : group_by) key.push_back(DimensionValue(m, d));
    GroupAcc& group = groups[key];
    group.tickets.insert(m.ticket_id);
    MetricAcc& acc = group.metrics[m.metric];
    acc.report.metric = m.metric;
    ++acc.report.clocks;
    const bool missed = m.breached || m.met_late;
    if (missed) {
      ++acc.report.breached;
    } else if (m.state == ClockState::kMet) {
      ++acc.report.met_on_time;
    } else if (m.state == ClockState::kCancelled) {
      ++acc.report.cancelled;
    } else {
      ++acc.report.open;
    }
    if (m.state == ClockState::kMet && m.business_time.has_value() &&
        m.calendar_time.has_value()) {
      acc.business.push_back(*m.business_time);
      acc.calendar.push_back(*m.calendar_time);
    }
  }
  for (auto& [key, group] : groups) {
    ReportRow row;
    row.group_values = key;
    row.tickets = static_cast<int64_t>(group.tickets.size());
    int64_t score_sum = 0;
    for (int64_t id : group.tickets) {
      auto it = csat.find(id);
      if (it == csat.end()) continue;
      ++row.ratings;
      score_sum += it->second;
    }
    if (row.ratings > 0) {
      row.average_csat = static_cast<double>(score_sum) / row.ratings;
    }
    for (auto& [metric, acc] : group.metrics) {
      acc.report.compliance_percent =
          CompliancePercent(acc.report.met_on_time, acc.report.breached);
      acc.report.business_time = ComputeStats(acc.business);
      acc.report.calendar_time = ComputeStats(acc.calendar);
      row.metrics.push_back(acc.report);
    }
    report.rows.push_back(std::move(row));
  }
  return report;
}

}  // namespace cxdesk::sla
