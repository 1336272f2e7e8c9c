#ifndef CXDESK_SERVICES_SLA_BUSINESS_TIME_H_
#define CXDESK_SERVICES_SLA_BUSINESS_TIME_H_

// Business-time arithmetic on calendars. Pure functions, no I/O (time zones
// are read from /usr/share/zoneinfo by absl::LoadTimeZone, only in
// MakeCalendar and ValidateCalendar); all functions are thread-safe.
//
// Definition. The business time of a calendar is the set of absolute instants
// t whose LOCAL civil time `calendar.zone.At(t).cs` falls inside one of the
// intervals of that local weekday, on a local date that is not a holiday.
// Everything below is measured on that set, so across DST changes:
//  - spring forward: the skipped local hour never occurs, so it is never
//    business time (a 00:00-04:00 interval is 3 hours long that night);
//  - fall back: the repeated local hour occurs twice, and each occurrence
//    counts (a 01:00-02:00 interval is 2 hours long that night).
// Durations are exact to the nanosecond; instants need not be minute-aligned.

#include <array>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/sla/calendar.h"

namespace cxdesk::sla {

// OK if `calendar` is usable; otherwise INVALID_ARGUMENT naming the field:
//  - "time_zone": empty, or absl::LoadTimeZone cannot load it;
//  - "week[d][i]": interval i of weekday d (0 = Monday) is out of range
//    (needs 0 <= start_minute < end_minute <= 1440), or starts before the
//    previous interval of that day ends (unsorted or overlapping);
//  - "week": no business minute in the whole week;
//  - "zone": `zone` is not the zone named by `time_zone` (build calendars
//    with MakeCalendar).
// Holidays cannot be invalid. A calendar whose every date is a holiday is
// valid, but AddBusinessTime on it fails with OUT_OF_RANGE.
absl::Status ValidateCalendar(const Calendar& calendar);

// Loads `time_zone` into a new calendar and validates it (ValidateCalendar's
// errors).
absl::StatusOr<Calendar> MakeCalendar(
    std::string name, std::string time_zone,
    std::array<std::vector<BusinessInterval>, 7> week,
    std::vector<Holiday> holidays);

// Round the clock: UTC, every day 00:00-24:00, no holidays. Business time
// equals elapsed time.
Calendar TwentyFourSeven(std::string name);

// The earliest instant t >= start such that the business time in
// [start, t) equals `d`. So a result is never outside business time unless
// d == 0: then the result is `start` itself, even outside business hours
// (callers that want "the next business instant" must ask for it).
// A d > 0 that ends exactly where an interval ends gives that end (not the
// start of the next interval).
// Errors: INVALID_ARGUMENT if d is negative or infinite, or `start` is
// infinite; FAILED_PRECONDITION if ValidateCalendar(calendar) fails;
// OUT_OF_RANGE if the calendar has less than `d` of business time in the
// 100 years after `start` (e.g. every date is a holiday).
// Cost: linear in the number of local days walked, not in minutes.
absl::StatusOr<absl::Time> AddBusinessTime(const Calendar& calendar,
                                           absl::Time start, absl::Duration d);

// The business time in [from, to); zero if to <= from. If `from` is
// absl::InfinitePast() or `to` absl::InfiniteFuture() (and to > from), the
// result is absl::InfiniteDuration(). For a calendar that fails
// ValidateCalendar the result is zero.
// Cost: linear in the number of local days in [from, to).
absl::Duration BusinessTimeBetween(const Calendar& calendar, absl::Time from,
                                   absl::Time to);

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_BUSINESS_TIME_H_
