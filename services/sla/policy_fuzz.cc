// Fuzz target: SLA policy rules (policy.h). From the input
// (FuzzedDataProvider) it builds up to four policies (names, positions,
// conditions, targets with warnings, pause statuses; mostly the words the
// ticket service uses, sometimes any bytes) and a ticket. Checks what the
// header promises:
//  - ValidatePolicy answers OK or INVALID_ARGUMENT, never anything else;
//  - for a valid policy, WarningElapsed is target - minutes for
//    minutes_before (positive), and `value` percent of the target truncated
//    to the nanosecond for percent_elapsed, for every valid target;
//  - Matches is "every non-empty condition accepts the ticket" (tags: any
//    one; e-mail addresses: ASCII case-insensitive);
//  - MatchPolicy picks the first matching non-default policy by ascending
//    position (ties in vector order), else the default with the lowest
//    position, else nullptr;
//  - ParseMetric(MetricName(m)) == m, and ParseMetric refuses anything else
//    with INVALID_ARGUMENT.
// Corpus: fuzz/corpus/policy_fuzz/.

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "services/sla/policy.h"

namespace cxdesk::sla {
namespace {

constexpr const char* kPriorities[] = {"low", "normal", "high", "urgent"};
constexpr const char* kKinds[] = {"question", "incident", "request",
                                  "complaint"};
constexpr const char* kCxLevels[] = {"product", "interaction", "service",
                                     "emotion", "brand"};
constexpr const char* kChannels[] = {"email", "web",    "phone",
                                     "chat",  "social", "api"};
constexpr const char* kStatuses[] = {"new",     "open",   "pending",
                                     "on_hold", "solved", "closed"};
constexpr const char* kTags[] = {"vip", "refund", "billing", ""};
constexpr const char* kEmails[] = {"ana@example.com", "ANA@example.COM",
                                   "bo@example.com", ""};
constexpr const char* kCalendars[] = {"berlin", "office", "unknown", ""};

// A finding: traps, naming the line of the check that failed.
void Check(bool ok, int line = __builtin_LINE()) {
  if (ok) return;
  std::fprintf(stderr, "%s:%d: check failed\n", __FILE__, line);
  __builtin_trap();
}

template <size_t N>
std::string Word(FuzzedDataProvider& in, const char* const (&words)[N]) {
  // One in eight is any bytes, for the validation's error paths.
  if (in.ConsumeIntegralInRange(0, 7) == 0) {
    return in.ConsumeRandomLengthString(24);
  }
  return in.PickValueInArray(words);
}

template <size_t N>
std::vector<std::string> Words(FuzzedDataProvider& in,
                               const char* const (&words)[N], int max) {
  std::vector<std::string> out(in.ConsumeIntegralInRange(0, max));
  for (std::string& w : out) w = Word(in, words);
  return out;
}

absl::Duration FuzzedTarget(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      return absl::Minutes(in.ConsumeIntegralInRange(-5, 10000));
    case 1:
      return absl::Nanoseconds(in.ConsumeIntegralInRange(0, 1000));
    default:
      // Whatever a google.protobuf.Duration carries (common::
      // FromProtoDuration): any seconds, nanos of either sign.
      return absl::Seconds(in.ConsumeIntegral<int64_t>()) +
             absl::Nanoseconds(
                 in.ConsumeIntegralInRange(-999999999, 999999999));
  }
}

Policy FuzzedPolicy(FuzzedDataProvider& in) {
  Policy p;
  p.name = in.ConsumeBool() ? "policy" : in.ConsumeRandomLengthString(16);
  p.position = in.ConsumeIntegralInRange(-1, 5);
  p.is_default = in.ConsumeIntegralInRange(0, 3) == 0;
  PolicyConditions& c = p.conditions;
  c.priorities = Words(in, kPriorities, 2);
  c.kinds = Words(in, kKinds, 2);
  c.cx_levels = Words(in, kCxLevels, 2);
  c.channels = Words(in, kChannels, 2);
  c.tags_any = Words(in, kTags, 2);
  c.customer_emails = Words(in, kEmails, 2);
  const int targets = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < targets; ++i) {
    const std::string priority = Word(in, kPriorities);
    const Metric metric = in.PickValueInArray(kAllMetrics);
    TargetSpec spec;
    spec.target = FuzzedTarget(in);
    spec.calendar = in.PickValueInArray(kCalendars);
    const int warnings = in.ConsumeIntegralInRange(0, 3);
    for (int w = 0; w < warnings; ++w) {
      const int value = in.ConsumeIntegralInRange(-2, 200000);
      spec.warnings.push_back(in.ConsumeBool()
                                  ? WarningThreshold::MinutesBefore(value)
                                  : WarningThreshold::PercentElapsed(value));
    }
    p.targets[priority][metric] = std::move(spec);
  }
  if (in.ConsumeBool()) p.pause_statuses = Words(in, kStatuses, 3);
  p.reopen_restarts_resolution = in.ConsumeBool();
  return p;
}

TicketFacts FuzzedTicket(FuzzedDataProvider& in) {
  TicketFacts t;
  t.priority = Word(in, kPriorities);
  t.kind = Word(in, kKinds);
  t.cx_level = t.kind == "complaint" ? Word(in, kCxLevels) : "";
  t.channel = Word(in, kChannels);
  t.status = Word(in, kStatuses);
  t.tags = Words(in, kTags, 3);
  t.customer_email = Word(in, kEmails);
  return t;
}

// `value` percent of `target`, truncated to the nanosecond, computed
// exactly (a Duration holds +-2^63 seconds; 128 bits hold its nanoseconds).
absl::Duration PercentOf(absl::Duration target, int value) {
  const int64_t seconds = absl::ToInt64Seconds(target);
  const int64_t nanos =
      absl::ToInt64Nanoseconds(target - absl::Seconds(seconds));
  const __int128 total = static_cast<__int128>(seconds) * 1000000000 + nanos;
  const __int128 part = total * value / 100;
  return absl::Seconds(static_cast<int64_t>(part / 1000000000)) +
         absl::Nanoseconds(static_cast<int64_t>(part % 1000000000));
}

void CheckWarnings(const Policy& policy) {
  for (const auto& [priority, by_metric] : policy.targets) {
    for (const auto& [metric, spec] : by_metric) {
      Check(policy.Target(priority, metric) == &spec);
      for (const WarningThreshold& w : spec.warnings) {
        const absl::Duration at = WarningElapsed(w, spec.target);
        const bool minutes = w.kind == WarningThreshold::Kind::kMinutesBefore;
        const absl::Duration want = minutes
                                        ? spec.target - absl::Minutes(w.value)
                                        : PercentOf(spec.target, w.value);
        if (at != want || at < absl::ZeroDuration() || at >= spec.target ||
            (minutes && at == absl::ZeroDuration())) {
          std::fprintf(stderr,
                       "WarningElapsed(%s %d, target %s) = %s, want %s\n",
                       minutes ? "minutes_before" : "percent_elapsed", w.value,
                       absl::FormatDuration(spec.target).c_str(),
                       absl::FormatDuration(at).c_str(),
                       absl::FormatDuration(want).c_str());
          __builtin_trap();
        }
      }
    }
  }
}

bool Accepts(const std::vector<std::string>& list, const std::string& value) {
  return list.empty() ||
         std::find(list.begin(), list.end(), value) != list.end();
}

// The header's definition of Matches.
bool ExpectedMatch(const PolicyConditions& c, const TicketFacts& t) {
  bool tag = c.tags_any.empty();
  for (const std::string& want : c.tags_any) {
    tag = tag || std::find(t.tags.begin(), t.tags.end(), want) != t.tags.end();
  }
  bool email = c.customer_emails.empty();
  for (const std::string& want : c.customer_emails) {
    email = email || absl::EqualsIgnoreCase(want, t.customer_email);
  }
  return Accepts(c.priorities, t.priority) && Accepts(c.kinds, t.kind) &&
         Accepts(c.cx_levels, t.cx_level) && Accepts(c.channels, t.channel) &&
         tag && email;
}

// The header's definition of MatchPolicy.
const Policy* ExpectedPolicy(const std::vector<Policy>& policies,
                             const TicketFacts& t) {
  const Policy* best = nullptr;
  const Policy* fallback = nullptr;
  for (const Policy& p : policies) {
    if (p.is_default) {
      if (fallback == nullptr || p.position < fallback->position) fallback = &p;
    } else if (ExpectedMatch(p.conditions, t) &&
               (best == nullptr || p.position < best->position)) {
      best = &p;
    }
  }
  return best != nullptr ? best : fallback;
}

}  // namespace
}  // namespace cxdesk::sla

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cxdesk::sla;  // NOLINT: a fuzz entry point.
  FuzzedDataProvider in(data, size);
  const auto calendar_exists = [](const std::string& id) {
    return id == "berlin" || id == "office";
  };
  std::vector<Policy> policies(in.ConsumeIntegralInRange(1, 4));
  for (Policy& p : policies) {
    p = FuzzedPolicy(in);
    const absl::Status status = ValidatePolicy(p, calendar_exists);
    if (status.ok()) {
      CheckWarnings(p);
    } else {
      Check(status.code() == absl::StatusCode::kInvalidArgument);
      Check(!status.message().empty());
    }
  }
  const TicketFacts ticket = FuzzedTicket(in);
  for (const Policy& p : policies) {
    Check(Matches(p.conditions, ticket) == ExpectedMatch(p.conditions, ticket));
    Check(p.PausesIn(ticket.status) ==
          (std::find(p.pause_statuses.begin(), p.pause_statuses.end(),
                     ticket.status) != p.pause_statuses.end()));
  }
  Check(MatchPolicy(policies, ticket) == ExpectedPolicy(policies, ticket));

  const std::string word = in.ConsumeRandomLengthString(20);
  const absl::StatusOr<Metric> metric = ParseMetric(word);
  if (metric.ok()) {
    Check(MetricName(*metric) == word);
  } else {
    Check(metric.status().code() == absl::StatusCode::kInvalidArgument);
  }
  for (Metric m : kAllMetrics) {
    const absl::StatusOr<Metric> back = ParseMetric(MetricName(m));
    Check(back.ok() && *back == m);
  }
  return 0;
}
