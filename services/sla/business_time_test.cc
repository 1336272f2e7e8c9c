#include "services/sla/business_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cxdesk::sla {
namespace {

using absl::StatusCode;
using ::testing::HasSubstr;
using Week = std::array<std::vector<BusinessInterval>, 7>;

constexpr BusinessInterval kMorning = {9 * 60, 12 * 60};
constexpr BusinessInterval kAfternoon = {13 * 60, 17 * 60};

Week Weekdays(const std::vector<BusinessInterval>& day) {
  Week week;
  for (int i = 0; i < 5; ++i) week[i] = day;
  return week;
}

Week EveryDay(const std::vector<BusinessInterval>& day) {
  Week week;
  for (auto& d : week) d = day;
  return week;
}

Calendar Make(const std::string& zone, Week week,
              std::vector<Holiday> holidays = {}) {
  absl::StatusOr<Calendar> calendar =
      MakeCalendar("test", zone, std::move(week), std::move(holidays));
  if (!calendar.ok()) {
    ADD_FAILURE() << calendar.status();
    return TwentyFourSeven("fallback");
  }
  return *std::move(calendar);
}

// The instant of a local civil time that occurs exactly once.
absl::Time Local(const Calendar& calendar, int y, int mo, int d, int h, int mi,
                 int s = 0) {
  const absl::TimeZone::TimeInfo info =
      calendar.zone.At(absl::CivilSecond(y, mo, d, h, mi, s));
  EXPECT_EQ(info.kind, absl::TimeZone::TimeInfo::UNIQUE)
      << y << "-" << mo << "-" << d << " " << h << ":" << mi;
  return info.pre;
}

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

absl::Time MustAdd(const Calendar& calendar, absl::Time start,
                   absl::Duration d) {
  absl::StatusOr<absl::Time> t = AddBusinessTime(calendar, start, d);
  if (!t.ok()) {
    ADD_FAILURE() << t.status();
    return absl::InfinitePast();
  }
  return *t;
}

// ---------------------------------------------------------------------------
// The oracle: the definition in business_time.h, applied minute by minute in
// absolute time, written independently of the library.

bool OracleIsBusinessMinute(const Calendar& calendar, absl::Time t) {
  const absl::CivilSecond cs = calendar.zone.At(t).cs;
  const absl::CivilDay day(cs);
  for (const Holiday& h : calendar.holidays) {
    if (h.day == day || (h.yearly && h.day.month() == day.month() &&
                         h.day.day() == day.day())) {
      return false;
    }
  }
  const int minute = cs.hour() * 60 + cs.minute();
  for (const BusinessInterval& i :
       calendar.week[static_cast<int>(absl::GetWeekday(day))]) {
    if (minute >= i.start_minute && minute < i.end_minute) return true;
  }
  return false;
}

// business[k] says whether the minute [from + k min, from + (k+1) min) is
// business time.
std::vector<bool> OracleMinutes(const Calendar& calendar, absl::Time from,
                                int64_t minutes) {
  std::vector<bool> business(minutes);
  for (int64_t k = 0; k < minutes; ++k) {
    business[k] = OracleIsBusinessMinute(calendar, from + absl::Minutes(k));
  }
  return business;
}

absl::Duration OracleBetween(const Calendar& calendar, absl::Time from,
                             absl::Time to) {
  int64_t count = 0;
  for (absl::Time t = from; t < to; t += absl::Minutes(1)) {
    count += OracleIsBusinessMinute(calendar, t);
  }
  return absl::Minutes(count);
}

// ---------------------------------------------------------------------------
// Random calendars and instants.

constexpr const char* kZones[] = {"UTC",
                                  "Asia/Tokyo",
                                  "Asia/Kolkata",
                                  "Europe/Berlin",
                                  "America/New_York",
                                  "Australia/Sydney",
                                  "America/Sao_Paulo"};

int RandomInt(std::mt19937_64& rng, int lo, int hi) {  // [lo, hi]
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

// A boundary, biased to midnight and to the hours DST changes happen in.
int RandomBoundary(std::mt19937_64& rng) {
  constexpr int kSpecial[] = {0, 60, 120, 150, 180, 720, 1440};
  if (RandomInt(rng, 0, 3) == 0) {
    return kSpecial[RandomInt(rng, 0, std::size(kSpecial) - 1)];
  }
  return RandomInt(rng, 0, kMinutesPerDay);
}

// 0-3 intervals per weekday (sorted, touching allowed), 0-4 holidays near
// `around`, some yearly (with another year), at least one business minute.
Calendar RandomCalendar(std::mt19937_64& rng, absl::CivilDay around) {
  for (;;) {
    Week week;
    for (auto& day : week) {
      std::vector<int> points(2 * RandomInt(rng, 0, 3));
      for (int& p : points) p = RandomBoundary(rng);
      std::sort(points.begin(), points.end());
      for (size_t i = 0; i < points.size(); i += 2) {
        if (points[i] < points[i + 1])
          day.push_back({points[i], points[i + 1]});
      }
    }
    std::vector<Holiday> holidays(RandomInt(rng, 0, 4));
    for (Holiday& h : holidays) {
      h.day = around + RandomInt(rng, -2, 12);
      h.yearly = RandomInt(rng, 0, 2) == 0;
      if (h.yearly) {
        h.day = absl::CivilDay(RandomInt(rng, 2000, 2030), h.day.month(),
                               h.day.day());
      }
    }
    absl::StatusOr<Calendar> calendar =
        MakeCalendar("random", kZones[RandomInt(rng, 0, std::size(kZones) - 1)],
                     std::move(week), std::move(holidays));
    if (calendar.ok()) return *std::move(calendar);
    EXPECT_THAT(calendar.status().message(), HasSubstr("week"));
  }
}

// A minute-aligned instant in 2024-2027; a third of them just before one of
// the zone's transitions.
absl::Time RandomStart(std::mt19937_64& rng, const absl::TimeZone& zone) {
  const absl::Time first = Utc(2024, 1, 1, 0, 0);
  const int64_t minutes = 4 * 365 * 24 * 60 - 20 * 24 * 60;
  absl::Time t = first + absl::Minutes(std::uniform_int_distribution<int64_t>(
                             0, minutes)(rng));
  absl::TimeZone::CivilTransition transition;
  if (RandomInt(rng, 0, 2) == 0 && zone.NextTransition(t, &transition) &&
      transition.from < absl::CivilSecond(2028, 1, 1, 0, 0, 0)) {
    t = absl::FromCivil(transition.from, absl::UTCTimeZone()) -
        absl::Hours(12) - absl::Minutes(RandomInt(rng, 0, 3 * 24 * 60));
  }
  return t;
}

// ---------------------------------------------------------------------------
// Properties against the oracle.

TEST(BusinessTimePropertyTest, MatchesTheMinuteByMinuteOracle) {
  std::mt19937_64 rng(20240331);
  constexpr int kCases = 2000;
  for (int c = 0; c < kCases; ++c) {
    const absl::CivilDay around(2024 + RandomInt(rng, 0, 3),
                                RandomInt(rng, 1, 12), RandomInt(rng, 1, 28));
    const Calendar calendar = RandomCalendar(rng, around);
    const absl::Time from = RandomStart(rng, calendar.zone);
    const int minutes = RandomInt(rng, 0, 10 * 24 * 60);
    const absl::Time to = from + absl::Minutes(minutes);
    const std::vector<bool> business = OracleMinutes(calendar, from, minutes);
    std::vector<int> prefix(minutes + 1, 0);  // business minutes before k
    std::vector<int> nth;                     // index of each business minute
    for (int k = 0; k < minutes; ++k) {
      prefix[k + 1] = prefix[k] + business[k];
      if (business[k]) nth.push_back(k);
    }
    const int total = prefix[minutes];
    SCOPED_TRACE(::testing::Message()
                 << "case " << c << " zone " << calendar.time_zone << " from "
                 << absl::FormatTime(from, absl::UTCTimeZone()) << " minutes "
                 << minutes);

    ASSERT_EQ(BusinessTimeBetween(calendar, from, to), absl::Minutes(total));

    // A sub-range, whole minutes.
    const int i = RandomInt(rng, 0, minutes);
    const int j = RandomInt(rng, i, minutes);
    ASSERT_EQ(BusinessTimeBetween(calendar, from + absl::Minutes(i),
                                  from + absl::Minutes(j)),
              absl::Minutes(prefix[j] - prefix[i]));
    ASSERT_EQ(BusinessTimeBetween(calendar, from + absl::Minutes(j),
                                  from + absl::Minutes(i)),
              absl::ZeroDuration());

    // A start inside the first minute.
    if (minutes > 0) {
      const absl::Duration s = absl::Seconds(RandomInt(rng, 1, 59));
      ASSERT_EQ(
          BusinessTimeBetween(calendar, from + s, to),
          absl::Minutes(total) - (business[0] ? s : absl::ZeroDuration()));
    }

    // Adding: from `from` and from minute i, whole and partial minutes.
    ASSERT_EQ(MustAdd(calendar, from, absl::ZeroDuration()), from);
    if (total > 0) {
      const int n = RandomInt(rng, 1, total);
      const absl::Duration d = absl::Minutes(n);
      const absl::Time expected = from + absl::Minutes(nth[n - 1] + 1);
      const absl::Time t = MustAdd(calendar, from, d);
      ASSERT_EQ(t, expected);
      ASSERT_EQ(BusinessTimeBetween(calendar, from, t), d);
      ASSERT_LT(BusinessTimeBetween(calendar, from, t - absl::Minutes(1)), d);
      ASSERT_EQ(MustAdd(calendar, from, d - absl::Seconds(30)),
                from + absl::Minutes(nth[n - 1]) + absl::Seconds(30));
    }
    if (prefix[minutes] - prefix[i] > 0) {
      const int n = RandomInt(rng, 1, prefix[minutes] - prefix[i]);
      const absl::Time expected =
          from + absl::Minutes(nth[prefix[i] + n - 1] + 1);
      ASSERT_EQ(MustAdd(calendar, from + absl::Minutes(i), absl::Minutes(n)),
                expected);
    }
  }
}

TEST(BusinessTimePropertyTest, AddIsExactAndMinimalOverMonths) {
  std::mt19937_64 rng(7);
  for (int c = 0; c < 300; ++c) {
    const absl::CivilDay around(2024 + RandomInt(rng, 0, 3),
                                RandomInt(rng, 1, 12), RandomInt(rng, 1, 28));
    const Calendar calendar = RandomCalendar(rng, around);
    const absl::Time start =
        RandomStart(rng, calendar.zone) + absl::Seconds(RandomInt(rng, 0, 59));
    const absl::Duration d = absl::Seconds(
        std::uniform_int_distribution<int64_t>(1, int64_t{2000} * 3600)(rng));
    SCOPED_TRACE(::testing::Message()
                 << "case " << c << " zone " << calendar.time_zone << " start "
                 << absl::FormatTime(start, absl::UTCTimeZone()) << " d "
                 << absl::FormatDuration(d));
    const absl::Time t = MustAdd(calendar, start, d);
    ASSERT_EQ(BusinessTimeBetween(calendar, start, t), d);
    // The instant just before is business time: the result is minimal.
    ASSERT_EQ(BusinessTimeBetween(calendar, start, t - absl::Nanoseconds(1)),
              d - absl::Nanoseconds(1));
  }
}

// ---------------------------------------------------------------------------
// Named cases.

TEST(AddBusinessTimeTest, TokyoOfficeWithLunchBreak) {
  const Calendar office = Make("Asia/Tokyo", Weekdays({kMorning, kAfternoon}));
  // 2024-03-08 is a Friday.
  EXPECT_EQ(MustAdd(office, Local(office, 2024, 3, 8, 16, 30), absl::Hours(1)),
            Local(office, 2024, 3, 11, 9, 30));
  EXPECT_EQ(MustAdd(office, Local(office, 2024, 3, 8, 11, 30), absl::Hours(1)),
            Local(office, 2024, 3, 8, 13, 30));
  EXPECT_EQ(MustAdd(office, Local(office, 2024, 3, 8, 16, 30), absl::Hours(4)),
            Local(office, 2024, 3, 11, 13, 30));
  // Starting outside hours: the clock starts at the next opening.
  EXPECT_EQ(MustAdd(office, Local(office, 2024, 3, 9, 10, 0), absl::Hours(1)),
            Local(office, 2024, 3, 11, 10, 0));
  EXPECT_EQ(BusinessTimeBetween(office, Local(office, 2024, 3, 8, 16, 30),
                                Local(office, 2024, 3, 11, 9, 30)),
            absl::Hours(1));
  EXPECT_EQ(BusinessTimeBetween(office, Local(office, 2024, 3, 11, 0, 0),
                                Local(office, 2024, 3, 16, 0, 0)),
            absl::Hours(35));
}

TEST(AddBusinessTimeTest, BerlinSpringForwardSkipsTheMissingHour) {
  const Calendar night = Make("Europe/Berlin", EveryDay({{0, 4 * 60}}));
  // 2024-03-31: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
  ASSERT_EQ(night.zone.At(absl::CivilSecond(2024, 3, 31, 2, 30, 0)).kind,
            absl::TimeZone::TimeInfo::SKIPPED);
  const absl::Time midnight = Local(night, 2024, 3, 31, 0, 0);
  EXPECT_EQ(MustAdd(night, Local(night, 2024, 3, 31, 1, 0), absl::Hours(2)),
            Local(night, 2024, 3, 31, 4, 0));
  EXPECT_EQ(Local(night, 2024, 3, 31, 4, 0), Utc(2024, 3, 31, 2, 0));
  EXPECT_EQ(MustAdd(night, midnight, absl::Hours(2)), Utc(2024, 3, 31, 1, 0));
  EXPECT_EQ(MustAdd(night, midnight, absl::Hours(3)),
            Local(night, 2024, 3, 31, 4, 0));
  EXPECT_EQ(MustAdd(night, midnight, absl::Hours(3) + absl::Minutes(1)),
            Local(night, 2024, 4, 1, 0, 1));
  // That night has 3 business hours, the nights around it 4.
  EXPECT_EQ(
      BusinessTimeBetween(night, midnight, Local(night, 2024, 4, 1, 0, 0)),
      absl::Hours(3));
  EXPECT_EQ(BusinessTimeBetween(night, Local(night, 2024, 3, 30, 0, 0),
                                Local(night, 2024, 4, 2, 0, 0)),
            absl::Hours(11));
}

TEST(AddBusinessTimeTest, BerlinFallBackCountsTheRepeatedHourTwice) {
  const Calendar night = Make("Europe/Berlin", EveryDay({{0, 4 * 60}}));
  // 2024-10-27: 03:00 CEST goes back to 02:00 CET (01:00 UTC).
  const absl::Time midnight = Local(night, 2024, 10, 27, 0, 0);
  EXPECT_EQ(midnight, Utc(2024, 10, 26, 22, 0));
  EXPECT_EQ(
      BusinessTimeBetween(night, midnight, Local(night, 2024, 10, 28, 0, 0)),
      absl::Hours(5));
  // 3 hours: 00:00-03:00 CEST, ending where 02:00 CET begins.
  EXPECT_EQ(MustAdd(night, midnight, absl::Hours(3)), Utc(2024, 10, 27, 1, 0));
  EXPECT_EQ(MustAdd(night, midnight, absl::Hours(5)),
            Local(night, 2024, 10, 27, 4, 0));
}

TEST(AddBusinessTimeTest, NewYorkFallBackHourCountsTwice) {
  const Calendar one_am = Make("America/New_York", EveryDay({{60, 120}}));
  // 2024-11-03: 02:00 EDT goes back to 01:00 EST (06:00 UTC).
  const absl::TimeZone::TimeInfo repeated =
      one_am.zone.At(absl::CivilSecond(2024, 11, 3, 1, 30, 0));
  ASSERT_EQ(repeated.kind, absl::TimeZone::TimeInfo::REPEATED);
  EXPECT_EQ(repeated.pre, Utc(2024, 11, 3, 5, 30));
  EXPECT_EQ(repeated.post, Utc(2024, 11, 3, 6, 30));

  const absl::Time midnight = Local(one_am, 2024, 11, 3, 0, 0);
  EXPECT_EQ(
      BusinessTimeBetween(one_am, midnight, Local(one_am, 2024, 11, 4, 0, 0)),
      absl::Hours(2));
  EXPECT_EQ(BusinessTimeBetween(one_am, repeated.pre, repeated.post),
            absl::Hours(1));
  EXPECT_EQ(MustAdd(one_am, midnight, absl::Minutes(90)),
            Utc(2024, 11, 3, 6, 30));
  EXPECT_EQ(MustAdd(one_am, midnight, absl::Hours(1)), Utc(2024, 11, 3, 6, 0));
  EXPECT_EQ(MustAdd(one_am, midnight, absl::Hours(2)), Utc(2024, 11, 3, 7, 0));
  EXPECT_EQ(MustAdd(one_am, midnight, absl::Hours(2) + absl::Minutes(1)),
            Local(one_am, 2024, 11, 4, 1, 1));
}

TEST(AddBusinessTimeTest, NewYorkSpringForwardDayWithOnlyTheMissingHour) {
  const Calendar two_am = Make("America/New_York", EveryDay({{120, 180}}));
  // 2024-03-10 has no 02:00-03:00, so no business time at all.
  EXPECT_EQ(MustAdd(two_am, Local(two_am, 2024, 3, 9, 2, 30), absl::Hours(1)),
            Local(two_am, 2024, 3, 11, 2, 30));
  EXPECT_EQ(BusinessTimeBetween(two_am, Local(two_am, 2024, 3, 9, 0, 0),
                                Local(two_am, 2024, 3, 12, 0, 0)),
            absl::Hours(2));
}

TEST(AddBusinessTimeTest, HolidaysAreSkipped) {
  const Holiday christmas = {absl::CivilDay(2000, 12, 25), /*yearly=*/true};
  const Calendar office =
      Make("Europe/Berlin", Weekdays({{9 * 60, 17 * 60}}), {christmas});
  // 2024-12-24 is a Tuesday, 2024-12-25 a Wednesday.
  EXPECT_EQ(MustAdd(office, Local(office, 2024, 12, 24, 16, 0), absl::Hours(2)),
            Local(office, 2024, 12, 26, 10, 0));
  // Thursday 2025-12-25 too.
  EXPECT_EQ(BusinessTimeBetween(office, Local(office, 2025, 12, 24, 0, 0),
                                Local(office, 2025, 12, 27, 0, 0)),
            absl::Hours(16));

  const Calendar longer = Make("Europe/Berlin", Weekdays({{9 * 60, 17 * 60}}),
                               {christmas, {absl::CivilDay(2024, 12, 26)}});
  EXPECT_EQ(MustAdd(longer, Local(longer, 2024, 12, 24, 16, 0), absl::Hours(2)),
            Local(longer, 2024, 12, 27, 10, 0));
  // The one-off holiday is not yearly.
  EXPECT_EQ(BusinessTimeBetween(longer, Local(longer, 2025, 12, 26, 0, 0),
                                Local(longer, 2025, 12, 27, 0, 0)),
            absl::Hours(8));
}

TEST(AddBusinessTimeTest, YearlyFebruary29OnlyInLeapYears) {
  const Calendar office =
      Make("Asia/Tokyo", EveryDay({{9 * 60, 17 * 60}}),
           {{absl::CivilDay(2024, 2, 29), /*yearly=*/true}});
  EXPECT_EQ(BusinessTimeBetween(office, Local(office, 2028, 2, 29, 0, 0),
                                Local(office, 2028, 3, 1, 0, 0)),
            absl::ZeroDuration());
  EXPECT_EQ(BusinessTimeBetween(office, Local(office, 2027, 2, 28, 0, 0),
                                Local(office, 2027, 3, 2, 0, 0)),
            absl::Hours(16));
}

TEST(AddBusinessTimeTest, SpansMonthsAcrossDstAndHolidays) {
  const Calendar office =
      Make("Europe/Berlin", Weekdays({kMorning, kAfternoon}),
           {{absl::CivilDay(2024, 4, 1)}});  // Easter Monday.
  // 7 business hours a day: 200 h = 28 days + 4 h, from Monday 2024-03-04.
  const absl::Time start = Local(office, 2024, 3, 4, 9, 0);
  const absl::Time t = MustAdd(office, start, absl::Hours(200));
  EXPECT_EQ(t, Local(office, 2024, 4, 12, 14, 0));
  EXPECT_EQ(BusinessTimeBetween(office, start, t), absl::Hours(200));
  EXPECT_EQ(OracleBetween(office, start, t), absl::Hours(200));
}

TEST(AddBusinessTimeTest, IntervalEndingAtMidnightJoinsTheNextDay) {
  Week week;
  week[0] = {{20 * 60, kMinutesPerDay}};  // Monday 20:00-24:00.
  week[1] = {{0, 2 * 60}};                // Tuesday 00:00-02:00.
  const Calendar late = Make("Asia/Tokyo", week);
  // 2024-03-11 is a Monday.
  EXPECT_EQ(MustAdd(late, Local(late, 2024, 3, 11, 23, 0), absl::Hours(2)),
            Local(late, 2024, 3, 12, 1, 0));
  EXPECT_EQ(BusinessTimeBetween(late, Local(late, 2024, 3, 11, 23, 0),
                                Local(late, 2024, 3, 12, 1, 0)),
            absl::Hours(2));
  EXPECT_EQ(MustAdd(late, Local(late, 2024, 3, 11, 20, 0), absl::Hours(4)),
            Local(late, 2024, 3, 12, 0, 0));
  EXPECT_EQ(MustAdd(late, Local(late, 2024, 3, 11, 20, 0),
                    absl::Hours(4) + absl::Minutes(1)),
            Local(late, 2024, 3, 12, 0, 1));
  EXPECT_EQ(MustAdd(late, Local(late, 2024, 3, 11, 20, 0), absl::Hours(6)),
            Local(late, 2024, 3, 12, 2, 0));
  EXPECT_EQ(MustAdd(late, Local(late, 2024, 3, 12, 2, 0), absl::Hours(1)),
            Local(late, 2024, 3, 18, 21, 0));
}

TEST(AddBusinessTimeTest, TouchingIntervalsAreContinuous) {
  const Calendar office =
      Make("Asia/Tokyo", Weekdays({{9 * 60, 12 * 60}, {12 * 60, 13 * 60}}));
  EXPECT_EQ(MustAdd(office, Local(office, 2024, 3, 11, 11, 30), absl::Hours(1)),
            Local(office, 2024, 3, 11, 12, 30));
  EXPECT_EQ(BusinessTimeBetween(office, Local(office, 2024, 3, 11, 0, 0),
                                Local(office, 2024, 3, 12, 0, 0)),
            absl::Hours(4));
}

TEST(AddBusinessTimeTest, SubMinuteInstants) {
  const Calendar office = Make("Asia/Tokyo", Weekdays({kMorning, kAfternoon}));
  EXPECT_EQ(
      MustAdd(office, Local(office, 2024, 3, 11, 9, 0, 30), absl::Hours(1)),
      Local(office, 2024, 3, 11, 10, 0, 30));
  EXPECT_EQ(BusinessTimeBetween(office, Local(office, 2024, 3, 11, 9, 0, 30),
                                Local(office, 2024, 3, 11, 9, 1)),
            absl::Seconds(30));
  EXPECT_EQ(
      MustAdd(office, Local(office, 2024, 3, 8, 16, 59, 30), absl::Minutes(1)),
      Local(office, 2024, 3, 11, 9, 0, 30));
  EXPECT_EQ(
      MustAdd(office, Local(office, 2024, 3, 11, 9, 0), absl::Nanoseconds(1)),
      Local(office, 2024, 3, 11, 9, 0) + absl::Nanoseconds(1));
  const absl::Time fraction =
      Local(office, 2024, 3, 11, 11, 59, 59) + absl::Milliseconds(250);
  EXPECT_EQ(MustAdd(office, fraction, absl::Seconds(1)),
            Local(office, 2024, 3, 11, 13, 0) + absl::Milliseconds(250));
}

TEST(AddBusinessTimeTest, ZeroDurationReturnsStartEvenOutsideHours) {
  const Calendar office = Make("Asia/Tokyo", Weekdays({kMorning, kAfternoon}));
  const absl::Time saturday = Local(office, 2024, 3, 9, 3, 0);
  EXPECT_EQ(MustAdd(office, saturday, absl::ZeroDuration()), saturday);
}

TEST(AddBusinessTimeTest, RejectsBadArguments) {
  const Calendar office = Make("Asia/Tokyo", Weekdays({kMorning, kAfternoon}));
  const absl::Time start = Local(office, 2024, 3, 11, 9, 0);
  absl::StatusOr<absl::Time> t =
      AddBusinessTime(office, start, -absl::Minutes(1));
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("d: must not be negative"));
  EXPECT_EQ(
      AddBusinessTime(office, start, absl::InfiniteDuration()).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(AddBusinessTime(office, absl::InfiniteFuture(), absl::Hours(1))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(AddBusinessTimeTest, NoBusinessTimeEverIsOutOfRange) {
  std::vector<Holiday> every_date;
  for (absl::CivilDay d(2024, 1, 1); d < absl::CivilDay(2025, 1, 1); ++d) {
    every_date.push_back({d, /*yearly=*/true});
  }
  const Calendar never = Make("UTC", EveryDay({{0, 60}}), every_date);
  const absl::Time start = Utc(2024, 6, 1, 0, 0);
  EXPECT_EQ(AddBusinessTime(never, start, absl::Minutes(1)).status().code(),
            StatusCode::kOutOfRange);
  EXPECT_EQ(BusinessTimeBetween(never, start, Utc(2026, 6, 1, 0, 0)),
            absl::ZeroDuration());
}

TEST(BusinessTimeBetweenTest, EmptyReversedAndInfiniteRanges) {
  const Calendar office = Make("Asia/Tokyo", Weekdays({kMorning, kAfternoon}));
  const absl::Time t = Local(office, 2024, 3, 11, 10, 0);
  EXPECT_EQ(BusinessTimeBetween(office, t, t), absl::ZeroDuration());
  EXPECT_EQ(BusinessTimeBetween(office, t + absl::Hours(1), t),
            absl::ZeroDuration());
  EXPECT_EQ(BusinessTimeBetween(office, absl::InfinitePast(), t),
            absl::InfiniteDuration());
  EXPECT_EQ(BusinessTimeBetween(office, t, absl::InfiniteFuture()),
            absl::InfiniteDuration());
}

TEST(TwentyFourSevenTest, BusinessTimeIsElapsedTime) {
  const Calendar always = TwentyFourSeven("24x7");
  EXPECT_TRUE(ValidateCalendar(always).ok());
  EXPECT_EQ(always.name, "24x7");
  EXPECT_EQ(always.time_zone, "UTC");
  const absl::Time start = Utc(2024, 2, 28, 23, 59, 59) + absl::Milliseconds(5);
  EXPECT_EQ(MustAdd(always, start, absl::Hours(100) + absl::Nanoseconds(3)),
            start + absl::Hours(100) + absl::Nanoseconds(3));
  EXPECT_EQ(BusinessTimeBetween(always, start, start + absl::Hours(1000)),
            absl::Hours(1000));
}

// ---------------------------------------------------------------------------
// Validation.

absl::Status MakeStatus(const std::string& zone, Week week) {
  return MakeCalendar("bad", zone, std::move(week), {}).status();
}

TEST(ValidateCalendarTest, NamesTheField) {
  Week overlap;
  overlap[2] = {{540, 720}, {700, 800}};
  absl::Status status = MakeStatus("Europe/Berlin", overlap);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "week[2][1]: starts at minute 700, before the previous interval "
            "ends (720); intervals must be sorted and must not overlap");

  Week unsorted;
  unsorted[0] = {kAfternoon, kMorning};
  status = MakeStatus("Europe/Berlin", unsorted);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("week[0][1]:"));

  for (BusinessInterval bad :
       {BusinessInterval{-1, 60}, BusinessInterval{60, 1441},
        BusinessInterval{600, 600}, BusinessInterval{600, 540}}) {
    Week week;
    week[3] = {bad};
    status = MakeStatus("Europe/Berlin", week);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(),
                HasSubstr("week[3][0]: needs 0 <= start_minute < end_minute "
                          "<= 1440"));
  }

  status = MakeStatus("Mars/Olympus_Mons", Weekdays({kMorning}));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("time_zone: unknown time zone \"Mars/Olympus_Mons\""));
  status = MakeStatus("", Weekdays({kMorning}));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("time_zone: required"));

  status = MakeStatus("Europe/Berlin", Week{});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("week: has no business minute"));
}

TEST(ValidateCalendarTest, AcceptsTouchingIntervalsAndWholeDays) {
  EXPECT_TRUE(
      MakeStatus("Europe/Berlin", Weekdays({{0, 720}, {720, 1440}})).ok());
  EXPECT_TRUE(MakeStatus("Asia/Kolkata", EveryDay({{0, 1440}})).ok());
}

TEST(ValidateCalendarTest, UnusableCalendarIsAFailedPrecondition) {
  Calendar mismatched = Make("Asia/Tokyo", Weekdays({kMorning}));
  mismatched.zone = absl::UTCTimeZone();
  absl::Status status = ValidateCalendar(mismatched);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("zone: is \"UTC\""));

  Calendar overlapping = Make("Asia/Tokyo", Weekdays({kMorning}));
  overlapping.week[0].push_back({600, 660});
  const absl::Time start = Utc(2024, 3, 11, 0, 0);
  for (const Calendar* bad : {&mismatched, &overlapping}) {
    absl::StatusOr<absl::Time> t = AddBusinessTime(*bad, start, absl::Hours(1));
    EXPECT_EQ(t.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_THAT(t.status().message(), HasSubstr("calendar: "));
    EXPECT_EQ(BusinessTimeBetween(*bad, start, start + absl::Hours(48)),
              absl::ZeroDuration());
  }
}

}  // namespace
}  // namespace cxdesk::sla
