#ifndef CXDESK_SERVICES_ESCALATION_GRPC_SHIFT_CALENDARS_H_
#define CXDESK_SERVICES_ESCALATION_GRPC_SHIFT_CALENDARS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "services/common/clock.h"
#include "services/escalation/ticket_gateway.h"
#include "services/sla/calendar.h"

namespace cxdesk::escalation {

// The SLA service's calendar as the SLA rules' calendar: read as the SLA
// service reads it (sla::CalendarFromProto), zone loaded, each day's hours
// sorted (sla::MakeCalendar). INVALID_ARGUMENT naming the field for a
// definition the rules cannot use.
absl::StatusOr<sla::Calendar> ShiftCalendarFromProto(
    const ::cxdesk::sla::v1::Calendar& proto);

// ShiftCalendars over the SLA service's GetCalendar, called by Warm only.
// A calendar read is kept for `cache_ttl` (by `clock`); a calendar that
// cannot be read
// (NOT_FOUND, UNAVAILABLE, DEADLINE_EXCEEDED, an unusable definition, ...)
// counts as on shift, and that answer is kept for `error_ttl` so a down SLA
// service costs one call per calendar per `error_ttl`, not one per
// question. Failures are logged as warnings at most once per `log_interval`.
// Each call carries `bearer_token()` (a service-role token) and a deadline
// of `timeout`. The call is made outside the lock, so a slow SLA service
// never blocks questions about other, cached calendars. Thread-safe.
class GrpcShiftCalendars final : public ShiftCalendars {
 public:
  struct Options {
    absl::Duration timeout = absl::Milliseconds(300);
    absl::Duration cache_ttl = absl::Seconds(30);
    absl::Duration error_ttl = absl::Seconds(5);
    absl::Duration log_interval = absl::Seconds(30);
  };

  // `clock` must outlive this object.
  GrpcShiftCalendars(
      std::unique_ptr<::cxdesk::sla::v1::SlaService::StubInterface> stub,
      std::function<std::string()> bearer_token, const common::Clock& clock,
      Options options);

  // Fetches each calendar not read within its ttl (one call each).
  void Warm(const std::vector<std::string>& calendar_ids) override;
  // True inside the calendar's business time (sla::BusinessTimeBetween) as
  // Warm last read it, and whenever it was never read or could not be.
  bool InShift(const std::string& calendar_id, absl::Time at) override;

 private:
  struct Entry {
    // Null: unreadable, on shift.
    std::shared_ptr<const sla::Calendar> calendar;
    absl::Time expiry;
  };

  absl::StatusOr<sla::Calendar> Fetch(const std::string& calendar_id);
  void LogFailure(const std::string& calendar_id, const absl::Status& status);

  const std::unique_ptr<::cxdesk::sla::v1::SlaService::StubInterface> stub_;
  const std::function<std::string()> bearer_token_;
  const common::Clock& clock_;
  const Options options_;

  absl::Mutex mu_;
  std::map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
  absl::Time next_log_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int suppressed_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_GRPC_SHIFT_CALENDARS_H_
