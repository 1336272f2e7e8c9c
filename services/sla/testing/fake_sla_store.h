#ifndef CXDESK_SERVICES_SLA_TESTING_FAKE_SLA_STORE_H_
#define CXDESK_SERVICES_SLA_TESTING_FAKE_SLA_STORE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"
#include "services/common/clock.h"
#include "services/sla/sla_store.h"

namespace cxdesk::sla {

// An in-memory SlaStore for the manager and loop unit tests. It keeps what
// the PostgreSQL store keeps (calendars and policies with versions and one
// configuration revision, recorded changes, ticket rows, the ledger,
// measurements, timers, cursors and leases) and enforces what the manager
// and the loops depend on, with the PostgreSQL store's codes and messages:
//  - a taken calendar or policy id is ALREADY_EXISTS "already exists"; an
//    unknown one NOT_FOUND "calendar <id> not found"; a stale version
//    ABORTED; a second default policy, a calendar still used by a policy
//    target or an open clock, and a target on an unknown calendar
//    FAILED_PRECONDITION; every configuration write bumps the revision
//    (which starts at 1, as the migration leaves it);
//  - ListPolicies in the order policies are tried (non-default by position,
//    then id; the default last); ListCalendars by id;
//  - a ticket change is recorded once per ticket event id; timers are
//    claimed once, when ceil(due, 1us) <= floor(now, 1us) as in SQL, by due
//    then id, and marked fired or stale by the claiming replica;
//  - ListEvents by id; ListBreaches newest deadline first, keyed on the
//    previous page's last breach; ReadEvents in (xid, id) order, where each
//    write call is one transaction with its own xid;
//  - instants are kept to the microsecond, as timestamptz keeps them, except
//    where the database keeps nanoseconds too (timer due times, change
//    times, the clock state).
// Each call is one transaction: writes are staged and kept only if the call
// succeeds (an error from `decide` changes nothing). The change counters
// given (may be null) are bumped after a write that appended ledger events
// (`events`) or armed timers (`timers`), as the PostgreSQL store NOTIFYs.
// Thread-safe. Write calls run one at a time (as writers of one ticket do
// under its lock); `decide` runs outside the data lock, so it may read the
// store (a ConfigCache reload calls LoadConfig) but must not write to it.
class FakeSlaStore final : public SlaStore {
 public:
  // A timer row: armed until fired, then its outcome and who fired it.
  struct TimerRow {
    ArmedTimer timer;
    bool fired = false;
    TimerOutcome outcome = TimerOutcome::kFired;  // Once fired.
    std::string fired_by;
    absl::Time fired_at = absl::InfiniteFuture();
  };

  // `clock` stamps record times and firing times (the database's now()).
  explicit FakeSlaStore(const common::Clock& clock,
                        common::ChangeCounter* events = nullptr,
                        common::ChangeCounter* timers = nullptr);
  ~FakeSlaStore() override;

  absl::StatusOr<CalendarRecord> CreateCalendar(const CalendarRecord& record,
                                                absl::Time now) override;
  absl::StatusOr<CalendarRecord> GetCalendar(const std::string& id) override;
  absl::StatusOr<std::vector<CalendarRecord>> ListCalendars(int offset,
                                                            int limit) override;
  absl::StatusOr<CalendarRecord> UpdateCalendar(const CalendarRecord& record,
                                                int64_t expected_version,
                                                absl::Time now) override;
  absl::Status DeleteCalendar(const std::string& id,
                              std::optional<int64_t> expected_version) override;
  absl::StatusOr<PolicyRecord> CreatePolicy(const PolicyRecord& record,
                                            absl::Time now) override;
  absl::StatusOr<PolicyRecord> GetPolicy(const std::string& id) override;
  absl::StatusOr<std::vector<PolicyRecord>> ListPolicies(int offset,
                                                         int limit) override;
  absl::StatusOr<PolicyRecord> UpdatePolicy(const PolicyRecord& record,
                                            int64_t expected_version,
                                            absl::Time now) override;
  absl::Status DeletePolicy(const std::string& id,
                            std::optional<int64_t> expected_version) override;
  absl::StatusOr<SlaConfig> LoadConfig() override;
  absl::StatusOr<int64_t> ConfigRevision() override;
  absl::StatusOr<std::unique_ptr<Lease>> TryAcquireLease(int64_t key) override;
  absl::StatusOr<std::string> ReadCursor(const std::string& consumer) override;
  absl::Status ApplyChanges(const std::string& consumer,
                            const std::vector<RecordedChange>& changes,
                            const DecideApply& decide) override;
  absl::StatusOr<int> FireDueTimers(absl::Time now, int limit,
                                    const std::string& replica,
                                    const DecideFire& decide) override;
  absl::StatusOr<absl::Time> NextTimerDue() override;
  absl::StatusOr<StoredTicket> GetTicket(int64_t ticket_id) override;
  absl::StatusOr<std::vector<LedgerEvent>> ListEvents(const EventFilter& filter,
                                                      int64_t after_id,
                                                      int limit) override;
  absl::StatusOr<std::vector<BreachRecord>> ListBreaches(
      const BreachFilter& filter, int64_t after_id, int limit) override;
  absl::StatusOr<common::EventBatch<LedgerEvent>> ReadEvents(
      const common::EventCursor& after, int limit) override;
  absl::StatusOr<Report> BuildSlaReport(
      absl::Time start, absl::Time end,
      const std::vector<Dimension>& group_by) override;
  absl::StatusOr<std::vector<std::vector<RecordedChange>>> LoadChangesForReplay(
      absl::Time start, absl::Time end) override;

  // ---- for tests ----

  // The next call of any method returns `status` (not OK) and does nothing;
  // several calls queue up, one status per call.
  void FailNext(absl::Status status);
  // The lease `key` breaks: its holder's Alive() turns false (it stays
  // taken until the holder releases it).
  void BreakLease(int64_t key);
  // How many calls each method has had, by method name ("ApplyChanges").
  int calls(const std::string& method) const;

  // The ledger in id order.
  std::vector<LedgerEvent> events() const;
  // The recorded changes in ticket event id order.
  std::vector<RecordedChange> changes() const;
  // Every timer row still present (armed or fired), by id.
  std::vector<TimerRow> timers() const;
  // The armed timers, by due then id.
  std::vector<ArmedTimer> armed_timers() const;
  // The measurement rows, by (ticket, metric, cycle).
  std::vector<Measurement> measurements() const;

 private:
  struct LeaseTable;
  class FakeLease;

  // Everything a transaction can change, copied to stage a write.
  struct State {
    int64_t revision = 1;
    std::map<std::string, CalendarRecord> calendars;
    std::map<std::string, PolicyRecord> policies;
    std::map<int64_t, RecordedChange> changes;  // By ticket event id.
    std::map<int64_t, StoredTicket> tickets;
    std::map<int64_t, LedgerEvent> events;  // By id.
    std::map<std::tuple<int64_t, Metric, int>, Measurement> measurements;
    std::map<int64_t, TimerRow> timers;  // By id.
    std::map<std::string, std::string> cursors;
    int64_t next_event_id = 1;
    int64_t next_timer_id = 1;
    uint64_t next_xid = 100;
  };
  // What a write call must announce after it commits.
  struct Written {
    bool events = false;
    bool armed = false;
  };

  // Counts the call and returns the queued failure, if any.
  absl::Status Enter(const char* method) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Announce(const Written& written);

  // Helpers over a staged State (see the .cc).
  absl::Status CheckSingleDefault(const State& s, const Policy& p) const;
  absl::Status CheckTargetsKnown(const State& s, const Policy& p) const;
  absl::StatusOr<CalendarRecord> ReadCalendar(
      const CalendarRecord& stored) const;
  std::vector<PolicyRecord> PoliciesInOrder(const State& s) const;
  Written WriteUpdates(State& s, uint64_t xid,
                       const std::vector<ClockUpdate>& updates,
                       bool full_ticket_rows) const;
  bool SyncTimers(
      State& s, const std::map<int64_t, std::vector<TimerSpec>>& wanted) const;

  const common::Clock& clock_;
  common::ChangeCounter* const event_counter_;
  common::ChangeCounter* const timer_counter_;
  const std::shared_ptr<LeaseTable> leases_;

  // Held by every write call, first; then mu_ guards the data.
  absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_TESTING_FAKE_SLA_STORE_H_
