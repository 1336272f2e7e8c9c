#ifndef CXDESK_SERVICES_SLA_POLICY_H_
#define CXDESK_SERVICES_SLA_POLICY_H_

// SLA policies: which tickets they apply to and which targets they set. Pure
// data and pure functions, no I/O; everything here is thread-compatible.
//
// Words (priorities, kinds, CX levels, channels, statuses) are the lower-case
// names the ticket service stores: priorities low|normal|high|urgent, kinds
// question|incident|request|complaint, CX levels
// product|interaction|service|emotion|brand, channels
// email|web|phone|chat|social|api, statuses
// new|open|pending|on_hold|solved|closed.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cxdesk::sla {

// The four measured targets (see DESIGN.md, "SLA semantics"):
//  - first response:  creation -> first public agent reply;
//  - next response:   oldest unanswered customer message -> next public agent
//                     reply;
//  - periodic update: between public agent replies while the ticket is open;
//  - resolution:      creation (or reopening) -> solved.
enum class Metric {
  kFirstResponse,
  kNextResponse,
  kPeriodicUpdate,
  kResolution
};

inline constexpr Metric kAllMetrics[] = {
    Metric::kFirstResponse, Metric::kNextResponse, Metric::kPeriodicUpdate,
    Metric::kResolution};

// "first_response", "next_response", "periodic_update", "resolution".
absl::string_view MetricName(Metric metric);
// The inverse of MetricName; INVALID_ARGUMENT for any other word.
absl::StatusOr<Metric> ParseMetric(absl::string_view name);

// When to warn before a target is breached. Both kinds are measured in
// BUSINESS time on the target's calendar, excluding paused time, like the
// target itself: the warning fires when the clock's elapsed business time
// reaches
//  - kMinutesBefore: target - `value` minutes (1 <= value, value minutes <
//    target), so "30 minutes before" a Monday 09:15 deadline on a 09:00-17:00
//    calendar is Friday 16:45, not Monday 08:45;
//  - kPercentElapsed: `value` percent of the target (1..99), truncated to the
//    nanosecond.
struct WarningThreshold {
  enum class Kind { kMinutesBefore, kPercentElapsed };
  Kind kind = Kind::kMinutesBefore;
  int value = 0;

  static WarningThreshold MinutesBefore(int minutes) {
    return {Kind::kMinutesBefore, minutes};
  }
  static WarningThreshold PercentElapsed(int percent) {
    return {Kind::kPercentElapsed, percent};
  }
  friend bool operator==(const WarningThreshold& a, const WarningThreshold& b) {
    return a.kind == b.kind && a.value == b.value;
  }
};

// The elapsed business time at which `warning` fires for a clock with
// `target` (see WarningThreshold). Meaningful for valid policies only.
absl::Duration WarningElapsed(const WarningThreshold& warning,
                              absl::Duration target);

// One target: `target` of business time on calendar `calendar` (a name the
// caller resolves), plus any number of warnings.
struct TargetSpec {
  absl::Duration target = absl::ZeroDuration();
  std::string calendar;
  std::vector<WarningThreshold> warnings;
};

// Accepted values per ticket field. An empty list means "any"; a non-empty
// list matches if the ticket's value is in it.
struct PolicyConditions {
  std::vector<std::string> priorities;
  std::vector<std::string> kinds;
  std::vector<std::string> cx_levels;
  std::vector<std::string> channels;
  // Matches if the ticket has at least one of these tags.
  std::vector<std::string> tags_any;
  // Compared case-insensitively (ASCII).
  std::vector<std::string> customer_emails;

  bool empty() const {
    return priorities.empty() && kinds.empty() && cx_levels.empty() &&
           channels.empty() && tags_any.empty() && customer_emails.empty();
  }
};

struct Policy {
  std::string name;
  // Non-default policies are tried in ascending position.
  int position = 0;
  // Applies when no non-default policy matches; has no conditions.
  bool is_default = false;
  PolicyConditions conditions;
  // priority -> metric -> target. A missing entry means "no clock" for that
  // priority and metric.
  std::map<std::string, std::map<Metric, TargetSpec>> targets;
  // Ticket statuses during which every clock of the ticket is paused. Only
  // new|open|pending|on_hold (solved and closed end clocks instead).
  std::vector<std::string> pause_statuses = {"pending", "on_hold"};
  // Whether reopening a solved ticket starts a new resolution clock (the
  // next cycle). If false, a reopened ticket has no resolution clock: its
  // resolution was measured at the first solve.
  bool reopen_restarts_resolution = true;

  bool PausesIn(absl::string_view status) const;
  // The target for `priority` and `metric`, or nullptr.
  const TargetSpec* Target(absl::string_view priority, Metric metric) const;
};

// What a policy is matched against and clocks are driven by: the ticket's
// fields after a change, in the ticket service's lower-case words.
struct TicketFacts {
  std::string priority;
  std::string kind;
  std::string cx_level;  // Empty unless kind is complaint.
  std::string channel;
  std::string status;
  std::vector<std::string> tags;
  std::string customer_email;
};

// OK if `policy` is usable; otherwise INVALID_ARGUMENT naming the first bad
// field, e.g.
//  - "name: must not be empty";
//  - "conditions: a default policy must have no conditions";
//  - "conditions.kinds[1]: unknown kind \"bug\"" (likewise priorities,
//    cx_levels, channels; tags_any[i] and customer_emails[i] must not be
//    empty);
//  - "targets[asap]: unknown priority \"asap\"";
//  - "targets[urgent][first_response].target: must be positive";
//  - "targets[urgent][first_response].calendar: unknown calendar \"x\""
//    (`calendar_exists` says which names resolve; empty -> "must not be
//    empty");
//  - "targets[urgent][first_response].warnings[0].percent: must be 1..99";
//  - "targets[urgent][first_response].warnings[0].minutes_before: must be
//    positive" / "must be less than the target";
//  - "pause_statuses[0]: unknown status \"x\"" or "status \"solved\" cannot
//    pause a clock".
absl::Status ValidatePolicy(
    const Policy& policy,
    const std::function<bool(const std::string&)>& calendar_exists);

// True if every condition of `conditions` accepts `ticket`.
bool Matches(const PolicyConditions& conditions, const TicketFacts& ticket);

// The policy that applies to `ticket`: the first non-default policy, by
// ascending position (ties keep vector order), whose conditions match; else
// the default policy (the one with the lowest position if several); else
// nullptr. The pointer points into `policies`.
const Policy* MatchPolicy(const std::vector<Policy>& policies,
                          const TicketFacts& ticket);

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_POLICY_H_
