#ifndef CXDESK_SERVICES_SLA_SLA_MANAGER_H_
#define CXDESK_SERVICES_SLA_SLA_MANAGER_H_

// The SLA service's use cases: authorise, validate, read and write through
// the store, compute clock views and reports. Neither proto nor pqxx.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"
#include "services/common/clock.h"
#include "services/common/page_token.h"
#include "services/common/staff_auth.h"
#include "services/common/token.h"
#include "services/sla/report.h"
#include "services/sla/sla.h"
#include "services/sla/sla_engine.h"
#include "services/sla/sla_store.h"

namespace cxdesk::sla {

// One page of a List call.
using common::Page;

// A clock with what GetTicketSla computes about it at `as_of`.
struct ClockView {
  SlaClock clock;
  absl::Duration elapsed_business;
  absl::Duration remaining_business;
  absl::Duration paused_business;
  // Business time each pause excluded (parallel to clock.pauses).
  std::vector<absl::Duration> pause_business;
  std::optional<WarningThreshold> next_warning;
  absl::Time next_warning_time = absl::InfiniteFuture();
  std::string explanation;
};

struct TicketSlaView {
  int64_t ticket_id = 0;
  std::string policy_id;
  std::string status;
  std::vector<ClockView> clocks;
  absl::Time as_of;
};

// What a customer may be told.
struct SlaPromise {
  int64_t ticket_id = 0;
  Metric metric = Metric::kFirstResponse;
  absl::Time due = absl::InfiniteFuture();  // Unknown while paused.
  std::string text;
};

class SlaManager {
 public:
  // `token_secret` verifies bearer tokens; `event_notifier` (may be null:
  // the watch then polls) wakes WatchSlaEvents; `config` is the shared cache
  // of calendars and policies (reloaded only when the revision moved).
  SlaManager(SlaStore& store, ConfigCache& config, const common::Clock& clock,
             std::string token_secret,
             const common::ChangeSignal* event_notifier)
      : store_(store),
        config_(config),
        clock_(clock),
        auth_(std::move(token_secret), clock),
        notifier_(event_notifier) {}

  // Every method first checks the bearer token: UNAUTHENTICATED without
  // one (or with a bad one), PERMISSION_DENIED for a role the call is not
  // for (see the proto's service comment).

  // INVALID_ARGUMENT naming the field for a bad id, zone, interval or
  // holiday; ALREADY_EXISTS for a taken id.
  absl::StatusOr<CalendarRecord> CreateCalendar(const std::string& bearer,
                                                CalendarRecord input);
  absl::StatusOr<CalendarRecord> GetCalendar(const std::string& bearer,
                                             const std::string& id);
  absl::StatusOr<Page<CalendarRecord>> ListCalendars(
      const std::string& bearer, int32_t page_size,
      const std::string& page_token);
  // ABORTED for a stale etag; INVALID_ARGUMENT ("etag: ...") without one.
  absl::StatusOr<CalendarRecord> UpdateCalendar(const std::string& bearer,
                                                CalendarRecord input,
                                                const std::string& etag);
  absl::Status DeleteCalendar(const std::string& bearer, const std::string& id,
                              const std::string& etag);

  // ValidatePolicy's errors; calendars must exist.
  absl::StatusOr<PolicyRecord> CreatePolicy(const std::string& bearer,
                                            PolicyRecord input);
  absl::StatusOr<PolicyRecord> GetPolicy(const std::string& bearer,
                                         const std::string& id);
  absl::StatusOr<Page<PolicyRecord>> ListPolicies(
      const std::string& bearer, int32_t page_size,
      const std::string& page_token);
  absl::StatusOr<PolicyRecord> UpdatePolicy(const std::string& bearer,
                                            PolicyRecord input,
                                            const std::string& etag);
  absl::Status DeletePolicy(const std::string& bearer, const std::string& id,
                            const std::string& etag);

  absl::StatusOr<TicketSlaView> GetTicketSla(const std::string& bearer,
                                             int64_t ticket_id);
  // NOT_FOUND if the ticket is unknown or has no open clock.
  absl::StatusOr<SlaPromise> GetSlaPromise(const std::string& bearer,
                                           int64_t ticket_id);
  absl::StatusOr<Page<LedgerEvent>> ListSlaEvents(
      const std::string& bearer, const EventFilter& filter, int32_t page_size,
      const std::string& page_token);
  absl::StatusOr<Page<BreachRecord>> ListBreaches(
      const std::string& bearer, const BreachFilter& filter, int32_t page_size,
      const std::string& page_token);
  // INVALID_ARGUMENT if the window is missing or empty.
  absl::StatusOr<Report> GetSlaReport(const std::string& bearer,
                                      absl::Time start, absl::Time end,
                                      const std::vector<Dimension>& group_by);
  // The draft is validated like CreatePolicy; the window is at most 31 days.
  absl::StatusOr<Report> SimulatePolicy(const std::string& bearer,
                                        PolicyRecord draft, absl::Time start,
                                        absl::Time end,
                                        const std::vector<Dimension>& group_by);
  // Streams ledger events after `after_cursor` until `send` returns false or
  // `cancelled` returns true; see common::RunWatch.
  absl::Status WatchSlaEvents(
      const std::string& bearer, const std::string& after_cursor,
      const std::function<bool(const LedgerEvent&)>& send,
      const std::function<bool()>& cancelled);

 private:
  absl::Status ValidateCalendarInput(CalendarRecord& input) const;
  absl::Status ValidatePolicyInput(const PolicyRecord& input);

  // The configuration as of now: one revision read, a reload only when it
  // moved.
  absl::StatusOr<std::shared_ptr<const SlaConfig>> CurrentConfig();

  SlaStore& store_;
  ConfigCache& config_;
  const common::Clock& clock_;
  const common::StaffAuthorizer auth_;
  const common::ChangeSignal* const notifier_;
};

// The view of `clock` at `as_of` (see ClockView), on `calendar` (may be
// null if it was deleted: times are then zero).
ClockView ViewClock(const SlaClock& clock, const Calendar* calendar,
                    const std::string& policy_id, absl::Time as_of);

// The promise for a ticket's clocks at `as_of`, or nullopt if none is open.
std::optional<SlaPromise> PromiseFor(int64_t ticket_id,
                                     const std::vector<SlaClock>& clocks);

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_SLA_MANAGER_H_
