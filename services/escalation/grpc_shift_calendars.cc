#include "services/escalation/grpc_shift_calendars.h"

#include <grpcpp/client_context.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"
#include "services/sla/business_time.h"
#include "services/sla/sla_proto.h"

namespace cxdesk::escalation {

namespace slapb = ::cxdesk::sla::v1;

absl::StatusOr<sla::Calendar> ShiftCalendarFromProto(
    const slapb::Calendar& proto) {
  // The SLA service's own reading of the message, then the rules' calendar:
  // each day's intervals sorted by start, the zone loaded.
  CXDESK_ASSIGN_OR_RETURN(sla::CalendarRecord record,
                          sla::CalendarFromProto(proto));
  sla::Calendar& c = record.calendar;
  for (std::vector<sla::BusinessInterval>& day : c.week) {
    std::sort(
        day.begin(), day.end(),
        [](const sla::BusinessInterval& a, const sla::BusinessInterval& b) {
          return a.start_minute < b.start_minute;
        });
  }
  return sla::MakeCalendar(std::move(c.name), std::move(c.time_zone),
                           std::move(c.week), std::move(c.holidays));
}

GrpcShiftCalendars::GrpcShiftCalendars(
    std::unique_ptr<slapb::SlaService::StubInterface> stub,
    std::function<std::string()> bearer_token, const common::Clock& clock,
    Options options)
    : stub_(std::move(stub)),
      bearer_token_(std::move(bearer_token)),
      clock_(clock),
      options_(std::move(options)) {}

absl::StatusOr<sla::Calendar> GrpcShiftCalendars::Fetch(
    const std::string& calendar_id) {
  grpc::ClientContext context;
  // A deadline on the real clock: it bounds how long routing waits.
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(options_.timeout));
  context.AddMetadata("authorization",
                      absl::StrCat("Bearer ", bearer_token_()));
  slapb::GetCalendarRequest request;
  request.set_calendar_id(calendar_id);
  slapb::Calendar response;
  const grpc::Status status = stub_->GetCalendar(&context, request, &response);
  if (!status.ok()) return common::FromGrpcStatus(status);
  return ShiftCalendarFromProto(response);
}

void GrpcShiftCalendars::LogFailure(const std::string& calendar_id,
                                    const absl::Status& status) {
  const absl::Time now = clock_.Now();
  int suppressed = 0;
  {
    absl::MutexLock lock(&mu_);
    if (now < next_log_) {
      ++suppressed_;
      return;
    }
    next_log_ = now + options_.log_interval;
    suppressed = std::exchange(suppressed_, 0);
  }
  CXDESK_LOG(Warning) << "shift calendar \"" << calendar_id
                      << "\" cannot be read (" << status
                      << "); its agents count as on shift"
                      << (suppressed > 0
                              ? absl::StrCat(" (", suppressed,
                                             " similar failures not logged)")
                              : "");
}

void GrpcShiftCalendars::Warm(const std::vector<std::string>& calendar_ids) {
  const absl::Time now = clock_.Now();
  for (const std::string& calendar_id : calendar_ids) {
    {
      absl::MutexLock lock(&mu_);
      auto it = cache_.find(calendar_id);
      if (it != cache_.end() && now < it->second.expiry) continue;
    }
    // Outside the lock: two threads may both fetch a calendar that just
    // expired, which is cheaper than making every other question wait.
    absl::StatusOr<sla::Calendar> fetched = Fetch(calendar_id);
    Entry entry;
    if (fetched.ok()) {
      entry.calendar =
          std::make_shared<const sla::Calendar>(*std::move(fetched));
      entry.expiry = now + options_.cache_ttl;
    } else {
      LogFailure(calendar_id, fetched.status());
      entry.expiry = now + options_.error_ttl;
    }
    absl::MutexLock lock(&mu_);
    cache_[calendar_id] = std::move(entry);
  }
}

bool GrpcShiftCalendars::InShift(const std::string& calendar_id,
                                 absl::Time at) {
  std::shared_ptr<const sla::Calendar> calendar;
  {
    // What Warm read last, even if it has expired since: a few seconds
    // stale beats a call while the caller holds row locks.
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(calendar_id);
    if (it != cache_.end()) calendar = it->second.calendar;
  }
  if (calendar == nullptr) return true;
  // `at` is business time iff the nanosecond starting at it is.
  return sla::BusinessTimeBetween(*calendar, at, at + absl::Nanoseconds(1)) >
         absl::ZeroDuration();
}

}  // namespace cxdesk::escalation
