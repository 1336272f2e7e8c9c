#ifndef CXDESK_SERVICES_SLA_CALENDAR_H_
#define CXDESK_SERVICES_SLA_CALENDAR_H_

// Business calendars: the domain types SLA targets are measured on. Plain
// data, no I/O. Build them with MakeCalendar (business_time.h), which loads
// the zone and validates; the functions there state what "business time" is.

#include <array>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cxdesk::sla {

inline constexpr int kMinutesPerDay = 24 * 60;

// A half-open range of LOCAL wall-clock time within one day, in minutes after
// local midnight: [start_minute, end_minute). 0 <= start_minute < end_minute
// <= 1440; end_minute 1440 means "until midnight". 09:00-17:00 is {540, 1020}.
struct BusinessInterval {
  int start_minute = 0;
  int end_minute = 0;
};

// A local date on which there is no business time at all.
// yearly == false: exactly `day`.
// yearly == true: the same month and day in every year (the year of `day` is
// ignored); a yearly Feb 29 applies only in leap years.
struct Holiday {
  absl::CivilDay day;
  bool yearly = false;
  std::string title;  // What it is; informational only.
};

// A business calendar. `zone` must be the zone loaded from `time_zone`
// (MakeCalendar does this); `week` holds, per local weekday, the business
// intervals sorted by start and not overlapping (touching is fine).
struct Calendar {
  std::string name;
  std::string time_zone;  // IANA name, e.g. "Europe/Berlin".
  absl::TimeZone zone;
  // Index 0 = Monday ... 6 = Sunday (the order of absl::Weekday).
  std::array<std::vector<BusinessInterval>, 7> week;
  std::vector<Holiday> holidays;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_CALENDAR_H_
