#ifndef CXDESK_SERVICES_ESCALATION_TESTING_FAKE_SHIFT_CALENDARS_H_
#define CXDESK_SERVICES_ESCALATION_TESTING_FAKE_SHIFT_CALENDARS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// ShiftCalendars for unit tests: each calendar is a list of shifts
// [start, end); an instant inside one is on shift. A calendar never defined
// counts as on shift, as ShiftCalendars promises for an unknown one. Records
// every Warm and every question. Thread-safe.
class FakeShiftCalendars final : public ShiftCalendars {
 public:
  // Adds the shift [start, end) to `calendar` (defining it).
  void AddShift(const std::string& calendar, absl::Time start, absl::Time end) {
    absl::MutexLock lock(&mu_);
    shifts_[calendar].emplace_back(start, end);
  }
  // Defines `calendar` with no shift at all: never on shift.
  void DefineClosed(const std::string& calendar) {
    absl::MutexLock lock(&mu_);
    shifts_[calendar];
  }
  // The questions so far, oldest first.
  std::vector<std::pair<std::string, absl::Time>> questions() const {
    absl::MutexLock lock(&mu_);
    return questions_;
  }

  // The calendar ids of each Warm so far, oldest first.
  std::vector<std::vector<std::string>> warmed() const {
    absl::MutexLock lock(&mu_);
    return warmed_;
  }

  void Warm(const std::vector<std::string>& calendar_ids) override {
    absl::MutexLock lock(&mu_);
    warmed_.push_back(calendar_ids);
  }

  bool InShift(const std::string& calendar_id, absl::Time at) override {
    absl::MutexLock lock(&mu_);
    questions_.emplace_back(calendar_id, at);
    auto it = shifts_.find(calendar_id);
    if (it == shifts_.end()) return true;
    for (const auto& [start, end] : it->second) {
      if (start <= at && at < end) return true;
    }
    return false;
  }

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::vector<std::pair<absl::Time, absl::Time>>> shifts_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<std::string, absl::Time>> questions_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<std::string>> warmed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_TESTING_FAKE_SHIFT_CALENDARS_H_
