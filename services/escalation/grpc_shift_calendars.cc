#include "services/escalation/grpc_shift_calendars.h"

#include <grpcpp/client_context.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"
#include "services/sla/business_time.h"

namespace cxdesk::escalation {

namespace slapb = ::cxdesk::sla::v1;

namespace {

// "HH:MM" -> minutes after midnight; "24:00" only if `end`.
absl::StatusOr<int> ParseHhMm(const std::string& field, const std::string& s,
                              bool end) {
  const bool shape = s.size() == 5 && s[2] == ':' &&
                     absl::ascii_isdigit(s[0]) && absl::ascii_isdigit(s[1]) &&
                     absl::ascii_isdigit(s[3]) && absl::ascii_isdigit(s[4]);
  const int h = shape ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
  const int m = shape ? (s[3] - '0') * 10 + (s[4] - '0') : -1;
  if (!shape || m >= 60 || h > 24 || (h == 24 && (!end || m != 0))) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be HH:MM (got \"", s, "\")"));
  }
  return h * 60 + m;
}

}  // namespace

absl::StatusOr<sla::Calendar> ShiftCalendarFromProto(
    const slapb::Calendar& proto) {
  std::array<std::vector<sla::BusinessInterval>, 7> week;
  for (int i = 0; i < proto.hours_size(); ++i) {
    const slapb::BusinessHours& h = proto.hours(i);
    const std::string field = absl::StrCat("calendar.hours[", i, "]");
    if (h.weekday() < slapb::WEEKDAY_MONDAY ||
        h.weekday() > slapb::WEEKDAY_SUNDAY) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".weekday: unspecified or unknown weekday"));
    }
    CXDESK_ASSIGN_OR_RETURN(const int start,
                            ParseHhMm(field + ".start", h.start(), false));
    CXDESK_ASSIGN_OR_RETURN(const int end,
                            ParseHhMm(field + ".end", h.end(), true));
    week[h.weekday() - slapb::WEEKDAY_MONDAY].push_back({start, end});
  }
  // The rules want each day's intervals sorted by start.
  for (std::vector<sla::BusinessInterval>& day : week) {
    std::sort(
        day.begin(), day.end(),
        [](const sla::BusinessInterval& a, const sla::BusinessInterval& b) {
          return a.start_minute < b.start_minute;
        });
  }
  std::vector<sla::Holiday> holidays;
  for (int i = 0; i < proto.holidays_size(); ++i) {
    const slapb::Holiday& h = proto.holidays(i);
    sla::Holiday holiday;
    if (!absl::ParseCivilTime(h.date(), &holiday.day)) {
      return absl::InvalidArgumentError(
          absl::StrCat("calendar.holidays[", i,
                       "].date: must be YYYY-MM-DD (got \"", h.date(), "\")"));
    }
    holiday.yearly = h.yearly();
    holiday.title = h.title();
    holidays.push_back(std::move(holiday));
  }
  return sla::MakeCalendar(proto.calendar_id(), proto.time_zone(),
                           std::move(week), std::move(holidays));
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
