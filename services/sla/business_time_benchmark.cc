// Business-time arithmetic on a Berlin office calendar (Mon-Fri 08:00-12:00
// and 13:00-17:00, German public holidays 2024-2025). Each benchmark cycles
// through 64 start instants spread over 2024-2025, so DST changes and
// holidays fall inside some of the ranges.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdlib>
#include <iostream>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/sla/business_time.h"

namespace cxdesk::sla {
namespace {

Calendar BerlinOffice() {
  std::array<std::vector<BusinessInterval>, 7> week;
  for (int day = 0; day < 5; ++day)
    week[day] = {{8 * 60, 12 * 60}, {13 * 60, 17 * 60}};
  std::vector<Holiday> holidays;
  for (auto [month, day] : {std::pair{1, 1},
                            {5, 1},
                            {10, 3},
                            {12, 24},
                            {12, 25},
                            {12, 26},
                            {12, 31}}) {
    holidays.push_back({absl::CivilDay(2000, month, day), /*yearly=*/true});
  }
  for (absl::CivilDay day :
       {absl::CivilDay(2024, 3, 29), absl::CivilDay(2024, 4, 1),
        absl::CivilDay(2024, 5, 9), absl::CivilDay(2024, 5, 20),
        absl::CivilDay(2025, 4, 18), absl::CivilDay(2025, 4, 21),
        absl::CivilDay(2025, 5, 29), absl::CivilDay(2025, 6, 9)}) {
    holidays.push_back({day});
  }
  absl::StatusOr<Calendar> calendar = MakeCalendar(
      "berlin-office", "Europe/Berlin", std::move(week), std::move(holidays));
  if (!calendar.ok()) {
    std::cerr << calendar.status() << "\n";
    std::abort();
  }
  return *std::move(calendar);
}

const Calendar& Office() {
  static const Calendar* const calendar = new Calendar(BerlinOffice());
  return *calendar;
}

std::vector<absl::Time> Starts() {
  std::vector<absl::Time> starts;
  const absl::Time first =
      absl::FromCivil(absl::CivilSecond(2024, 1, 3, 10, 15, 0), Office().zone);
  for (int i = 0; i < 64; ++i) {
    starts.push_back(first + i * (absl::Hours(24 * 11) + absl::Minutes(73)));
  }
  return starts;
}

void AddBusiness(benchmark::State& state, absl::Duration d) {
  const Calendar& office = Office();
  const std::vector<absl::Time> starts = Starts();
  size_t i = 0;
  for (auto _ : state) {
    absl::StatusOr<absl::Time> t =
        AddBusinessTime(office, starts[i++ % starts.size()], d);
    benchmark::DoNotOptimize(t);
  }
}

void BM_AddBusinessTime_8h(benchmark::State& state) {
  AddBusiness(state, absl::Hours(8));
}
BENCHMARK(BM_AddBusinessTime_8h);

void BM_AddBusinessTime_30BusinessDays(benchmark::State& state) {
  AddBusiness(state, absl::Hours(30 * 8));
}
BENCHMARK(BM_AddBusinessTime_30BusinessDays);

void BM_BusinessTimeBetween_30Days(benchmark::State& state) {
  const Calendar& office = Office();
  const std::vector<absl::Time> starts = Starts();
  size_t i = 0;
  for (auto _ : state) {
    const absl::Time from = starts[i++ % starts.size()];
    absl::Duration d =
        BusinessTimeBetween(office, from, from + absl::Hours(30 * 24));
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_BusinessTimeBetween_30Days);

}  // namespace
}  // namespace cxdesk::sla

BENCHMARK_MAIN();
