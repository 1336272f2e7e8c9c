#include "services/sla/policy.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/text.h"

namespace cxdesk::sla {
namespace {

constexpr std::array<absl::string_view, 4> kMetricNames = {
    "first_response", "next_response", "periodic_update", "resolution"};
constexpr std::array<absl::string_view, 4> kPriorities = {"low", "normal",
                                                          "high", "urgent"};
constexpr std::array<absl::string_view, 4> kKinds = {"question", "incident",
                                                     "request", "complaint"};
constexpr std::array<absl::string_view, 5> kCxLevels = {
    "product", "interaction", "service", "emotion", "brand"};
constexpr std::array<absl::string_view, 6> kChannels = {
    "email", "web", "phone", "chat", "social", "api"};
constexpr std::array<absl::string_view, 6> kStatuses = {
    "new", "open", "pending", "on_hold", "solved", "closed"};
constexpr std::array<absl::string_view, 4> kPausableStatuses = {
    "new", "open", "pending", "on_hold"};

template <size_t N>
bool In(const std::array<absl::string_view, N>& words, absl::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool Contains(const std::vector<std::string>& list, absl::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

template <size_t N>
absl::Status CheckWords(absl::string_view field, absl::string_view what,
                        const std::vector<std::string>& values,
                        const std::array<absl::string_view, N>& words) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!In(words, values[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, "[", i, "]: unknown ", what, " ", common::Excerpt(values[i]),
          " (one of ", absl::StrJoin(words, "|"), ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckNonEmpty(absl::string_view field,
                           const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[", i, "]: must not be empty"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckTarget(
    const std::string& field, const TargetSpec& spec,
    const std::function<bool(const std::string&)>& calendar_exists) {
  if (spec.target <= absl::ZeroDuration() ||
      spec.target == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".target: must be positive"));
  }
  if (spec.calendar.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".calendar: must not be empty"));
  }
  if (!calendar_exists || !calendar_exists(spec.calendar)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".calendar: unknown calendar ", common::Excerpt(spec.calendar)));
  }
  for (size_t i = 0; i < spec.warnings.size(); ++i) {
    const WarningThreshold& w = spec.warnings[i];
    const std::string wfield = absl::StrCat(field, ".warnings[", i, "]");
    switch (w.kind) {
      case WarningThreshold::Kind::kPercentElapsed:
        if (w.value < 1 || w.value > 99) {
          return absl::InvalidArgumentError(
              absl::StrCat(wfield, ".percent: must be 1..99"));
        }
        break;
      case WarningThreshold::Kind::kMinutesBefore:
        if (w.value < 1) {
          return absl::InvalidArgumentError(
              absl::StrCat(wfield, ".minutes_before: must be positive"));
        }
        if (absl::Minutes(w.value) >= spec.target) {
          return absl::InvalidArgumentError(absl::StrCat(
              wfield, ".minutes_before: must be less than the target"));
        }
        break;
      default:
        return absl::InvalidArgumentError(
            absl::StrCat(wfield, ".kind: unknown kind"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view MetricName(Metric metric) {
  const size_t i = static_cast<size_t>(metric);
  return i < kMetricNames.size() ? kMetricNames[i] : "";
}

absl::StatusOr<Metric> ParseMetric(absl::string_view name) {
  for (size_t i = 0; i < kMetricNames.size(); ++i) {
    if (kMetricNames[i] == name) return static_cast<Metric>(i);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown metric ", common::Excerpt(name), " (one of ",
                   absl::StrJoin(kMetricNames, "|"), ")"));
}

absl::Duration WarningElapsed(const WarningThreshold& warning,
                              absl::Duration target) {
  if (warning.kind == WarningThreshold::Kind::kPercentElapsed) {
    // target * value overflows to infinity for a target past 2^63 s / 99:
    // whole hundredths first, then the rest. Exact, then truncated to the
    // nanosecond as documented (a Duration counts quarter nanoseconds).
    const absl::Duration hundredth = target / 100;
    return absl::Trunc(hundredth * warning.value +
                           (target - hundredth * 100) * warning.value / 100,
                       absl::Nanoseconds(1));
  }
  return target - absl::Minutes(warning.value);
}

bool Policy::PausesIn(absl::string_view status) const {
  return Contains(pause_statuses, status);
}

const TargetSpec* Policy::Target(absl::string_view priority,
                                 Metric metric) const {
  const auto p = targets.find(std::string(priority));
  if (p == targets.end()) return nullptr;
  const auto m = p->second.find(metric);
  return m == p->second.end() ? nullptr : &m->second;
}

absl::Status ValidatePolicy(
    const Policy& policy,
    const std::function<bool(const std::string&)>& calendar_exists) {
  if (policy.name.empty()) {
    return absl::InvalidArgumentError("name: must not be empty");
  }
  const PolicyConditions& c = policy.conditions;
  if (policy.is_default && !c.empty()) {
    return absl::InvalidArgumentError(
        "conditions: a default policy must have no conditions");
  }
  absl::Status s = CheckWords("conditions.priorities", "priority", c.priorities,
                              kPriorities);
  if (!s.ok()) return s;
  s = CheckWords("conditions.kinds", "kind", c.kinds, kKinds);
  if (!s.ok()) return s;
  s = CheckWords("conditions.cx_levels", "CX level", c.cx_levels, kCxLevels);
  if (!s.ok()) return s;
  s = CheckWords("conditions.channels", "channel", c.channels, kChannels);
  if (!s.ok()) return s;
  s = CheckNonEmpty("conditions.tags_any", c.tags_any);
  if (!s.ok()) return s;
  s = CheckNonEmpty("conditions.customer_emails", c.customer_emails);
  if (!s.ok()) return s;

  for (const auto& [priority, by_metric] : policy.targets) {
    if (!In(kPriorities, priority)) {
      return absl::InvalidArgumentError(
          absl::StrCat("targets[", priority, "]: unknown priority ",
                       common::Excerpt(priority), " (one of ",
                       absl::StrJoin(kPriorities, "|"), ")"));
    }
    for (const auto& [metric, spec] : by_metric) {
      s = CheckTarget(
          absl::StrCat("targets[", priority, "][", MetricName(metric), "]"),
          spec, calendar_exists);
      if (!s.ok()) return s;
    }
  }

  for (size_t i = 0; i < policy.pause_statuses.size(); ++i) {
    const std::string& status = policy.pause_statuses[i];
    if (!In(kStatuses, status)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pause_statuses[", i, "]: unknown status ", common::Excerpt(status),
          " (one of ", absl::StrJoin(kStatuses, "|"), ")"));
    }
    if (!In(kPausableStatuses, status)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pause_statuses[", i, "]: status ", common::Excerpt(status),
          " cannot pause a clock (one of ",
          absl::StrJoin(kPausableStatuses, "|"), ")"));
    }
  }
  return absl::OkStatus();
}

bool Matches(const PolicyConditions& c, const TicketFacts& t) {
  auto accepts = [](const std::vector<std::string>& list, absl::string_view v) {
    return list.empty() || Contains(list, v);
  };
  if (!accepts(c.priorities, t.priority) || !accepts(c.kinds, t.kind) ||
      !accepts(c.cx_levels, t.cx_level) || !accepts(c.channels, t.channel)) {
    return false;
  }
  if (!c.tags_any.empty() &&
      std::none_of(t.tags.begin(), t.tags.end(), [&](const std::string& tag) {
        return Contains(c.tags_any, tag);
      })) {
    return false;
  }
  if (!c.customer_emails.empty() &&
      std::none_of(c.customer_emails.begin(), c.customer_emails.end(),
                   [&](const std::string& e) {
                     return absl::EqualsIgnoreCase(e, t.customer_email);
                   })) {
    return false;
  }
  return true;
}

const Policy* MatchPolicy(const std::vector<Policy>& policies,
                          const TicketFacts& ticket) {
  const Policy* best = nullptr;
  const Policy* fallback = nullptr;
  for (const Policy& p : policies) {
    if (p.is_default) {
      if (fallback == nullptr || p.position < fallback->position) fallback = &p;
    } else if ((best == nullptr || p.position < best->position) &&
               Matches(p.conditions, ticket)) {
      best = &p;
    }
  }
  return best != nullptr ? best : fallback;
}

}  // namespace cxdesk::sla
