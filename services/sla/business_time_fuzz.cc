// Fuzz target: business-time arithmetic (business_time.h). From the input
// (FuzzedDataProvider) it builds a calendar the way the SLA service does
// (intervals of each weekday sorted by start, then MakeCalendar, which
// validates), in a zone from a fixed list of real IANA zones with odd rules,
// and an instant and a duration of at most 60 days. Checks what the header
// promises:
//  - MakeCalendar refuses with INVALID_ARGUMENT only;
//  - AddBusinessTime fails only with OUT_OF_RANGE (the input is otherwise
//    valid); when it succeeds with t: t >= start, BusinessTimeBetween(start,
//    t) == d, and t is the EARLIEST such instant (for d > 0 the business time
//    in [start, t - 1ns) is less than d, so the nanosecond before t is
//    business time);
//  - business time is a measure: BusinessTimeBetween(a, c) ==
//    BusinessTimeBetween(a, b) + BusinessTimeBetween(b, c) for a <= b <= c,
//    and 0 <= BusinessTimeBetween(a, b) <= b - a;
//  - the definition, pointwise: BusinessTimeBetween(x, x + 1ns) is 1ns
//    exactly when the local civil time of x falls in an interval of its local
//    weekday on a date that is not a holiday, else 0.
// Corpus: fuzz/corpus/business_time_fuzz/.

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/sla/business_time.h"
#include "services/sla/calendar.h"

namespace cxdesk::sla {
namespace {

// DST at 02:00 and at midnight, half-hour and 45-minute offsets, a
// half-hour DST shift, negative DST, a skipped whole day (Apia, 2011-12-30),
// DST suspended for Ramadan, a 2-hour DST, a +14:00 zone.
constexpr const char* kZones[] = {"UTC",
                                  "Europe/Berlin",
                                  "Asia/Ho_Chi_Minh",
                                  "America/New_York",
                                  "Australia/Lord_Howe",
                                  "America/Sao_Paulo",
                                  "Asia/Kolkata",
                                  "Pacific/Chatham",
                                  "America/St_Johns",
                                  "Pacific/Apia",
                                  "Africa/Casablanca",
                                  "Europe/Dublin",
                                  "Antarctica/Troll",
                                  "Pacific/Kiritimati"};

constexpr int64_t kMaxDays = 60;
const absl::Duration kNs = absl::Nanoseconds(1);

// A finding: traps, naming the line of the check that failed.
void Check(bool ok, int line = __builtin_LINE()) {
  if (ok) return;
  std::fprintf(stderr, "%s:%d: check failed\n", __FILE__, line);
  __builtin_trap();
}

bool IsHolidayDate(const Calendar& calendar, absl::CivilDay day) {
  for (const Holiday& h : calendar.holidays) {
    if (h.yearly ? h.day.month() == day.month() && h.day.day() == day.day()
                 : h.day == day) {
      return true;
    }
  }
  return false;
}

// The header's definition of business time, for one instant.
bool IsBusinessInstant(const Calendar& calendar, absl::Time t) {
  const absl::CivilSecond local = calendar.zone.At(t).cs;
  const absl::CivilDay day(local);
  if (IsHolidayDate(calendar, day)) return false;
  // Interval bounds are whole minutes, so whole seconds decide.
  const int64_t second_of_day = local - absl::CivilSecond(day);
  for (const BusinessInterval& i :
       calendar.week[static_cast<int>(absl::GetWeekday(day))]) {
    if (second_of_day >= int64_t{i.start_minute} * 60 &&
        second_of_day < int64_t{i.end_minute} * 60) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<Calendar> FuzzedCalendar(FuzzedDataProvider& in) {
  const std::string zone = in.PickValueInArray(kZones);
  std::array<std::vector<BusinessInterval>, 7> week;
  for (auto& day : week) {
    const int n = in.ConsumeIntegralInRange(0, 3);
    for (int i = 0; i < n; ++i) {
      // Mostly valid minutes, sometimes just outside the day.
      const int start = in.ConsumeIntegralInRange(-1, 1440);
      const int end = in.ConsumeBool()
                          ? in.ConsumeIntegralInRange(-1, 1441)
                          : start + in.ConsumeIntegralInRange(1, 600);
      day.push_back({start, end});
    }
    // What SlaManager::ValidateCalendarInput does before MakeCalendar.
    std::sort(day.begin(), day.end(),
              [](const BusinessInterval& a, const BusinessInterval& b) {
                return a.start_minute < b.start_minute;
              });
  }
  std::vector<Holiday> holidays(in.ConsumeIntegralInRange(0, 6));
  for (Holiday& h : holidays) {
    h.day = absl::CivilDay(in.ConsumeIntegralInRange(1990, 2110),
                           in.ConsumeIntegralInRange(1, 12),
                           in.ConsumeIntegralInRange(1, 31));
    h.yearly = in.ConsumeBool();
    h.title = "holiday";
  }
  return MakeCalendar("fuzz", zone, std::move(week), std::move(holidays));
}

absl::Time FuzzedInstant(FuzzedDataProvider& in, const Calendar& calendar) {
  // 1850..2200: LMT offsets with seconds before ~1900, rule-based future.
  absl::Time t = absl::FromUnixSeconds(
      in.ConsumeIntegralInRange<int64_t>(-3786825600, 7258118400));
  if (in.ConsumeBool()) {
    // Just before one of the zone's transitions, where the rules bite.
    absl::TimeZone::CivilTransition transition;
    if (calendar.zone.NextTransition(t, &transition)) {
      t = absl::FromCivil(transition.from, absl::UTCTimeZone()) -
          absl::Minutes(in.ConsumeIntegralInRange(0, 4 * 24 * 60));
    }
  }
  // Minute-aligned, or anywhere to the nanosecond.
  if (in.ConsumeBool()) {
    const int64_t s = absl::ToUnixSeconds(t);
    t = absl::FromUnixSeconds(s - ((s % 60) + 60) % 60);
  } else {
    t += absl::Nanoseconds(in.ConsumeIntegralInRange<int64_t>(0, 59999999999));
  }
  return t;
}

absl::Duration FuzzedDuration(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 2)) {
    case 0:
      return absl::Minutes(
          in.ConsumeIntegralInRange<int64_t>(0, kMaxDays * 24 * 60));
    case 1:
      return absl::Nanoseconds(in.ConsumeIntegralInRange<int64_t>(0, 3));
    default:
      return absl::Nanoseconds(in.ConsumeIntegralInRange<int64_t>(
          0, kMaxDays * 24 * 3600 * int64_t{1000000000}));
  }
}

void CheckMeasure(const Calendar& calendar, absl::Time a, absl::Time b,
                  absl::Time c) {
  const absl::Duration ab = BusinessTimeBetween(calendar, a, b);
  const absl::Duration bc = BusinessTimeBetween(calendar, b, c);
  const absl::Duration ac = BusinessTimeBetween(calendar, a, c);
  Check(ab >= absl::ZeroDuration() && ab <= b - a);
  Check(bc >= absl::ZeroDuration() && bc <= c - b);
  Check(ac == ab + bc);
}

void CheckPointwise(const Calendar& calendar, absl::Time x) {
  const absl::Duration one = BusinessTimeBetween(calendar, x, x + kNs);
  Check(one == (IsBusinessInstant(calendar, x) ? kNs : absl::ZeroDuration()));
}

}  // namespace
}  // namespace cxdesk::sla

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cxdesk::sla;  // NOLINT: a fuzz entry point.
  FuzzedDataProvider in(data, size);
  absl::StatusOr<Calendar> made = FuzzedCalendar(in);
  if (!made.ok()) {
    Check(made.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  const Calendar& calendar = *made;
  const absl::Time start = FuzzedInstant(in, calendar);
  const absl::Duration d = FuzzedDuration(in);

  absl::StatusOr<absl::Time> end = AddBusinessTime(calendar, start, d);
  if (!end.ok()) {
    // Valid calendar, finite start, 0 <= d: only "not enough business time
    // in 100 years" is left.
    Check(end.status().code() == absl::StatusCode::kOutOfRange);
  } else {
    const absl::Time t = *end;
    Check(t >= start);
    Check(BusinessTimeBetween(calendar, start, t) == d);
    if (d == absl::ZeroDuration()) {
      Check(t == start);
    } else {
      Check(t > start);
      Check(BusinessTimeBetween(calendar, start, t - kNs) == d - kNs);
      Check(IsBusinessInstant(calendar, t - kNs));
      const double f = in.ConsumeProbability<double>();
      CheckMeasure(calendar, start, start + (t - start) * f, t);
    }
  }

  // Any window of at most 60 days, and instants in it.
  const absl::Time from = FuzzedInstant(in, calendar);
  const absl::Time to = from + absl::Seconds(in.ConsumeIntegralInRange<int64_t>(
                                   -3600, kMaxDays * 24 * 3600));
  const absl::Duration between = BusinessTimeBetween(calendar, from, to);
  Check(between >= absl::ZeroDuration() &&
        between <= std::max(to - from, absl::ZeroDuration()));
  if (to > from) {
    CheckMeasure(calendar, from,
                 from + (to - from) * in.ConsumeProbability<double>(), to);
  }
  for (int i = 0; i < 4 && in.remaining_bytes() > 0; ++i) {
    CheckPointwise(calendar,
                   start + absl::Nanoseconds(in.ConsumeIntegralInRange<int64_t>(
                               0, kMaxDays * 24 * 3600 * int64_t{1000000000})));
  }
  CheckPointwise(calendar, start);
  return 0;
}
