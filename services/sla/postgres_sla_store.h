#ifndef CXDESK_SERVICES_SLA_POSTGRES_SLA_STORE_H_
#define CXDESK_SERVICES_SLA_POSTGRES_SLA_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "services/common/migrations.h"
#include "services/common/postgres_notifier.h"
#include "services/common/postgres_pool.h"
#include "services/sla/sla_store.h"

namespace cxdesk {
// The sla schema's migrations, embedded from db/sla/migrations.
const std::vector<common::Migration>& SlaMigrations();
}  // namespace cxdesk

namespace cxdesk::sla {

// NOTIFYed after ledger events commit (WatchSlaEvents readers wake up).
inline constexpr char kSlaEventChannel[] = "cxdesk_sla_events";
// NOTIFYed after timers are armed (firing loops re-read the earliest due).
inline constexpr char kTimerChannel[] = "cxdesk_sla_timers";

// SlaStore over PostgreSQL (schema `sla`). Thread-safe.
class PostgresSlaStore final : public SlaStore {
 public:
  // `pool` must have been created with PreparedQueries(). The publishers
  // (may be null) are asked to NOTIFY after a commit that appended events
  // or armed timers.
  PostgresSlaStore(common::PgPool& pool, common::PgNotifyPublisher* events,
                   common::PgNotifyPublisher* timers)
      : pool_(pool), event_publisher_(events), timer_publisher_(timers) {}

  static const std::vector<common::NamedQuery>& PreparedQueries();

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

 private:
  common::PgPool& pool_;
  common::PgNotifyPublisher* const event_publisher_;
  common::PgNotifyPublisher* const timer_publisher_;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_POSTGRES_SLA_STORE_H_
