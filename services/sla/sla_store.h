#ifndef CXDESK_SERVICES_SLA_SLA_STORE_H_
#define CXDESK_SERVICES_SLA_SLA_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/event_stream.h"
#include "services/common/stream_consumer.h"
#include "services/sla/clock_engine.h"
#include "services/sla/report.h"
#include "services/sla/sla.h"

namespace cxdesk::sla {

// Filters of ListSlaEvents; defaults match everything.
struct EventFilter {
  int64_t ticket_id = 0;  // 0: all tickets.
  std::vector<SlaTransition::Kind> kinds;
  std::optional<Metric> metric;
  absl::Time start = absl::InfinitePast();  // occur_time >= start
  absl::Time end = absl::InfiniteFuture();  // occur_time < end
};

// Filters of ListBreaches (on the breach's occur_time, its deadline).
struct BreachFilter {
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfiniteFuture();
  std::string team;
  std::string assignee;
  std::optional<Metric> metric;
  std::string priority;
  bool open_only = false;
};

// A breach and what became of its clock.
struct BreachRecord {
  LedgerEvent event;
  ClockState state = ClockState::kRunning;
  absl::Time met_time = absl::InfiniteFuture();
};

// Decides the update one change makes while the store holds the ticket's
// lock: `current` is the ticket's row as left by the changes before it
// (nullopt if unseen), `config_revision` the configuration revision as of
// this transaction. nullopt records the change without touching any clock
// (the rules rejected it); an error rolls the transaction back and is
// returned.
using DecideApply = std::function<absl::StatusOr<std::optional<ClockUpdate>>(
    const RecordedChange& change, const std::optional<StoredTicket>& current,
    int64_t config_revision)>;

// Decides what the claimed `timers` of `ticket` do, under the same lock; an
// error rolls the whole batch back.
using DecideFire = std::function<absl::StatusOr<FireUpdate>(
    const StoredTicket& ticket, const std::vector<ArmedTimer>& timers,
    int64_t config_revision)>;

// An exclusive, process-wide lease (a PostgreSQL session advisory lock held
// by a dedicated connection). Released when destroyed or when the
// connection breaks.
using Lease = common::Lease;

// Persistence of the SLA service. Thread-safe. Every write that appends
// ledger events also notifies WatchSlaEvents readers after commit. Errors:
// NOT_FOUND, ALREADY_EXISTS, ABORTED (stale version), FAILED_PRECONDITION
// (still in use, second default policy), and the database's UNAVAILABLE /
// DEADLINE_EXCEEDED / INTERNAL.
class SlaStore {
 public:
  virtual ~SlaStore() = default;

  // Configuration. Writes bump the configuration revision in the same
  // transaction. Update and delete compare `expected_version` (nullopt: any).
  virtual absl::StatusOr<CalendarRecord> CreateCalendar(
      const CalendarRecord& record, absl::Time now) = 0;
  virtual absl::StatusOr<CalendarRecord> GetCalendar(const std::string& id) = 0;
  // Calendars by id, skipping the first `offset`.
  virtual absl::StatusOr<std::vector<CalendarRecord>> ListCalendars(
      int offset, int limit) = 0;
  virtual absl::StatusOr<CalendarRecord> UpdateCalendar(
      const CalendarRecord& record, int64_t expected_version,
      absl::Time now) = 0;
  // FAILED_PRECONDITION while a policy target or an open clock uses it.
  virtual absl::Status DeleteCalendar(
      const std::string& id, std::optional<int64_t> expected_version) = 0;

  virtual absl::StatusOr<PolicyRecord> CreatePolicy(const PolicyRecord& record,
                                                    absl::Time now) = 0;
  virtual absl::StatusOr<PolicyRecord> GetPolicy(const std::string& id) = 0;
  // Policies in the order they are tried (non-default by position, then id;
  // the default last), skipping the first `offset`.
  virtual absl::StatusOr<std::vector<PolicyRecord>> ListPolicies(int offset,
                                                                 int limit) = 0;
  virtual absl::StatusOr<PolicyRecord> UpdatePolicy(const PolicyRecord& record,
                                                    int64_t expected_version,
                                                    absl::Time now) = 0;
  virtual absl::Status DeletePolicy(
      const std::string& id, std::optional<int64_t> expected_version) = 0;

  // Every calendar and policy, consistent with one revision.
  virtual absl::StatusOr<SlaConfig> LoadConfig() = 0;
  // The current configuration revision (one row: cheap enough per call).
  virtual absl::StatusOr<int64_t> ConfigRevision() = 0;

  // Takes the lease `key` if no one holds it; nullptr if someone does.
  virtual absl::StatusOr<std::unique_ptr<Lease>> TryAcquireLease(
      int64_t key) = 0;

  // The ticket-stream cursor `consumer` last committed ("" if none).
  virtual absl::StatusOr<std::string> ReadCursor(
      const std::string& consumer) = 0;

  // In one transaction: takes the locks of every ticket `changes` touch
  // (sorted), records the changes not recorded before (by ticket event id;
  // the others are skipped), asks `decide` for each new one in order, writes
  // each ticket's final row, appends the ledger events in order, re-arms the
  // tickets' timers (deleting the ones no longer armed, arming new ones),
  // rewrites their measurements, and sets `consumer`'s cursor to the last
  // change's cursor. `changes` must be in stream order.
  virtual absl::Status ApplyChanges(const std::string& consumer,
                                    const std::vector<RecordedChange>& changes,
                                    const DecideApply& decide) = 0;

  // ApplyChanges of one change.
  absl::Status ApplyChange(const std::string& consumer,
                           const RecordedChange& change,
                           const DecideApply& decide) {
    return ApplyChanges(consumer, {change}, decide);
  }

  // In one transaction: claims up to `limit` armed timers due at or before
  // `now` of tickets no other transaction is writing (FOR UPDATE SKIP
  // LOCKED), asks `decide` per ticket, writes what it says, and marks each
  // claimed timer fired (or stale) by `replica`. Returns how many timers it
  // claimed; 0 when none is due or all due ones are being handled
  // elsewhere.
  virtual absl::StatusOr<int> FireDueTimers(absl::Time now, int limit,
                                            const std::string& replica,
                                            const DecideFire& decide) = 0;

  // The earliest due instant of an armed timer; InfiniteFuture if none.
  virtual absl::StatusOr<absl::Time> NextTimerDue() = 0;

  // Queries.
  virtual absl::StatusOr<StoredTicket> GetTicket(int64_t ticket_id) = 0;
  // Ledger events with id > after_id matching `filter`, by id.
  virtual absl::StatusOr<std::vector<LedgerEvent>> ListEvents(
      const EventFilter& filter, int64_t after_id, int limit) = 0;
  // Breaches, newest deadline first, after the breach event `after_id` (0:
  // from the start).
  virtual absl::StatusOr<std::vector<BreachRecord>> ListBreaches(
      const BreachFilter& filter, int64_t after_id, int limit) = 0;
  // The next events of the WatchSlaEvents stream (see common::RunWatch).
  virtual absl::StatusOr<common::EventBatch<LedgerEvent>> ReadEvents(
      const common::EventCursor& after, int limit) = 0;
  // The report over the measurements (same figures as BuildReport).
  virtual absl::StatusOr<Report> BuildSlaReport(
      absl::Time start, absl::Time end,
      const std::vector<Dimension>& group_by) = 0;
  // The recorded changes of every ticket that has one in [start, end), each
  // ticket's changes complete and in order.
  virtual absl::StatusOr<std::vector<std::vector<RecordedChange>>>
  LoadChangesForReplay(absl::Time start, absl::Time end) = 0;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_SLA_STORE_H_
