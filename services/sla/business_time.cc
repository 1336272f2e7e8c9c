#include "services/sla/business_time.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/common/text.h"

namespace cxdesk::sla {
namespace {

constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

// AddBusinessTime gives up this far after `start` (100 years of 365.25 days).
constexpr absl::Duration kAddHorizon = absl::Hours(24 * 36525);

// Seconds from the Unix epoch to `cs`, reading `cs` as if it were UTC. With
// the zone's offset subtracted this is the absolute instant (in whole
// seconds) of a local civil time.
int64_t CivilSeconds(absl::CivilSecond cs) {
  return cs - absl::CivilSecond(1970, 1, 1, 0, 0, 0);
}

int64_t CivilSeconds(absl::CivilDay day) {
  return (day - absl::CivilDay(1970, 1, 1)) * kSecondsPerDay;
}

bool IsHoliday(const Calendar& calendar, absl::CivilDay day) {
  for (const Holiday& holiday : calendar.holidays) {
    if (holiday.yearly ? holiday.day.month() == day.month() &&
                             holiday.day.day() == day.day()
                       : holiday.day == day) {
      return true;
    }
  }
  return false;
}

// Everything ValidateCalendar checks except that `time_zone` loads, which
// `zone.name() == time_zone` implies for a calendar built by MakeCalendar.
// Cheap, so Add/Between run it on every call.
absl::Status CheckWeekAndZone(const Calendar& calendar) {
  bool any_business_minute = false;
  for (int weekday = 0; weekday < 7; ++weekday) {
    const std::vector<BusinessInterval>& day = calendar.week[weekday];
    for (size_t i = 0; i < day.size(); ++i) {
      const BusinessInterval& interval = day[i];
      if (interval.start_minute < 0 || interval.end_minute > kMinutesPerDay ||
          interval.start_minute >= interval.end_minute) {
        return absl::InvalidArgumentError(absl::StrCat(
            "week[", weekday, "][", i,
            "]: needs 0 <= start_minute < end_minute <= 1440, got [",
            interval.start_minute, ", ", interval.end_minute, ")"));
      }
      if (i > 0 && interval.start_minute < day[i - 1].end_minute) {
        return absl::InvalidArgumentError(absl::StrCat(
            "week[", weekday, "][", i, "]: starts at minute ",
            interval.start_minute, ", before the previous interval ends (",
            day[i - 1].end_minute,
            "); intervals must be sorted and must not overlap"));
      }
      any_business_minute = true;
    }
  }
  if (!any_business_minute) {
    return absl::InvalidArgumentError(
        "week: has no business minute; a calendar needs at least one");
  }
  if (calendar.zone.name() != calendar.time_zone) {
    return absl::InvalidArgumentError(
        absl::StrCat("zone: is ", common::Excerpt(calendar.zone.name()),
                     " but time_zone is ", common::Excerpt(calendar.time_zone),
                     "; build calendars with MakeCalendar"));
  }
  return absl::OkStatus();
}

// Calls `visit(begin, end)` for the business time at or after `from` as
// disjoint, non-empty, half-open absolute ranges in increasing order (the
// first one clipped to start at `from`), until `visit` returns false (then
// returns true) or the next range would begin at or after `limit` (then
// returns false). `from` and `limit` must be finite.
//
// How: absolute time is cut into segments between the zone's transitions.
// Within a segment the UTC offset is constant, so local civil time is
// absolute time plus that offset, and the instants of a local interval
// [day + start, day + end) in the segment are exactly
// [day + start - offset, day + end - offset) clipped to the segment. This
// is the definition in the header: a skipped local hour falls in no segment,
// and a repeated one falls in two, once on each side of the transition.
// Walking segments in order, and days and intervals in local order within
// a segment, yields the ranges in absolute order.
template <typename Visit>
bool WalkBusinessTime(const Calendar& calendar, absl::Time from,
                      absl::Time limit, Visit visit) {
  absl::Time segment_begin = from;
  while (segment_begin < limit) {
    const absl::TimeZone::CivilInfo info = calendar.zone.At(segment_begin);
    const int64_t offset = info.offset;
    absl::Time segment_end = absl::InfiniteFuture();
    absl::TimeZone::CivilTransition transition;
    if (calendar.zone.NextTransition(segment_begin, &transition)) {
      // The last local time before the transition is just before
      // `transition.from`, still at the old offset.
      segment_end =
          absl::FromUnixSeconds(CivilSeconds(transition.from) - offset);
      // Never expected; guarantees progress if a zone reported one anyway.
      if (segment_end <= segment_begin) segment_end = absl::InfiniteFuture();
    }
    const absl::Time stop = std::min(segment_end, limit);
    for (absl::CivilDay day(info.cs);; ++day) {
      // Local midnight of `day` in this segment's offset (it need not lie
      // inside the segment).
      const int64_t midnight = CivilSeconds(day) - offset;
      if (absl::FromUnixSeconds(midnight) >= stop) break;
      if (IsHoliday(calendar, day)) continue;
      const auto& intervals =
          calendar.week[static_cast<int>(absl::GetWeekday(day))];
      for (const BusinessInterval& interval : intervals) {
        const absl::Time begin = std::max(
            absl::FromUnixSeconds(midnight + interval.start_minute * 60),
            segment_begin);
        if (begin >= stop) break;
        const absl::Time end =
            std::min(absl::FromUnixSeconds(midnight + interval.end_minute * 60),
                     segment_end);
        if (end <= begin) continue;
        if (!visit(begin, end)) return true;
      }
    }
    segment_begin = segment_end;
  }
  return false;
}

}  // namespace

absl::Status ValidateCalendar(const Calendar& calendar) {
  if (calendar.time_zone.empty()) {
    return absl::InvalidArgumentError("time_zone: required (an IANA name)");
  }
  // An IANA name ("America/Argentina/Buenos_Aires", "Etc/GMT+7"): the zone
  // loader would also follow absolute and relative file paths.
  const std::string& zone = calendar.time_zone;
  const bool name_shape = absl::ascii_isalpha(zone[0]) &&
                          zone.find("..") == std::string::npos &&
                          std::all_of(zone.begin(), zone.end(), [](char c) {
                            return absl::ascii_isalnum(c) || c == '/' ||
                                   c == '_' || c == '-' || c == '+';
                          });
  absl::TimeZone loaded;
  if (!name_shape || !absl::LoadTimeZone(zone, &loaded)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "time_zone: unknown time zone ", common::Excerpt(calendar.time_zone),
        " (want an IANA name such as \"Europe/Berlin\")"));
  }
  return CheckWeekAndZone(calendar);
}

absl::StatusOr<Calendar> MakeCalendar(
    std::string name, std::string time_zone,
    std::array<std::vector<BusinessInterval>, 7> week,
    std::vector<Holiday> holidays) {
  Calendar calendar;
  calendar.name = std::move(name);
  calendar.time_zone = std::move(time_zone);
  // On failure `zone` stays UTC; ValidateCalendar reports the time_zone.
  absl::LoadTimeZone(calendar.time_zone, &calendar.zone);
  calendar.week = std::move(week);
  calendar.holidays = std::move(holidays);
  if (absl::Status status = ValidateCalendar(calendar); !status.ok()) {
    return status;
  }
  return calendar;
}

Calendar TwentyFourSeven(std::string name) {
  Calendar calendar;
  calendar.name = std::move(name);
  calendar.time_zone = "UTC";
  calendar.zone = absl::UTCTimeZone();
  for (std::vector<BusinessInterval>& day : calendar.week) {
    day = {{0, kMinutesPerDay}};
  }
  return calendar;
}

absl::StatusOr<absl::Time> AddBusinessTime(const Calendar& calendar,
                                           absl::Time start, absl::Duration d) {
  if (d < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("d: must not be negative, got ", absl::FormatDuration(d)));
  }
  if (d == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("d: must be finite");
  }
  if (start == absl::InfinitePast() || start == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("start: must be finite");
  }
  if (absl::Status status = CheckWeekAndZone(calendar); !status.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("calendar: ", status.message()));
  }
  if (d == absl::ZeroDuration()) return start;

  absl::Duration remaining = d;
  absl::Time result = absl::InfiniteFuture();
  WalkBusinessTime(calendar, start, start + kAddHorizon,
                   [&](absl::Time begin, absl::Time end) {
                     if (end - begin >= remaining) {
                       result = begin + remaining;
                       return false;
                     }
                     remaining -= end - begin;
                     return true;
                   });
  if (result == absl::InfiniteFuture()) {
    return absl::OutOfRangeError(
        absl::StrCat("d: calendar ", common::Excerpt(calendar.name),
                     " has less than ", absl::FormatDuration(d),
                     " of business time in the 100 years after start"));
  }
  return result;
}

absl::Duration BusinessTimeBetween(const Calendar& calendar, absl::Time from,
                                   absl::Time to) {
  if (to <= from) return absl::ZeroDuration();
  if (!CheckWeekAndZone(calendar).ok()) return absl::ZeroDuration();
  if (from == absl::InfinitePast() || to == absl::InfiniteFuture()) {
    return absl::InfiniteDuration();
  }
  absl::Duration total = absl::ZeroDuration();
  WalkBusinessTime(calendar, from, to, [&](absl::Time begin, absl::Time end) {
    total += std::min(end, to) - begin;
    return true;
  });
  return total;
}

}  // namespace cxdesk::sla
