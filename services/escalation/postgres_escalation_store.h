#ifndef CXDESK_SERVICES_ESCALATION_POSTGRES_ESCALATION_STORE_H_
#define CXDESK_SERVICES_ESCALATION_POSTGRES_ESCALATION_STORE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/common/migrations.h"
#include "services/common/postgres_notifier.h"
#include "services/common/postgres_pool.h"
#include "services/escalation/escalation_store.h"

namespace cxdesk {
const std::vector<common::Migration>& EscalationMigrations();
}  // namespace cxdesk

namespace cxdesk::escalation {

// NOTIFY channel of the escalation service: a unit of work that queued
// actions, notifications, deliveries or timers publishes on it after commit;
// every loop and WatchNotifications wait on it.
inline constexpr char kEscalationChannel[] = "cxdesk_escalation";

// EscalationStore on PostgreSQL (the escalation schema, db/escalation).
// Thread-safe: every method takes a pooled connection for one short
// transaction (none is held between a relay's claim and its outcome). The
// definitions are split by concern: postgres_escalation_store.cc (queries,
// consumers), _config.cc, _units.cc, _outbox.cc, with the row readers in
// postgres_escalation_rows.h.
class PostgresEscalationStore final : public EscalationStore {
 public:
  // `pool` must have been created with PreparedQueries(). `publisher` (may
  // be null) is asked to NOTIFY after a commit that queued work.
  PostgresEscalationStore(common::PgPool& pool,
                          common::PgNotifyPublisher* publisher)
      : pool_(pool), publisher_(publisher) {}

  // Every statement of queries/escalation.sql, to prepare on each pooled
  // connection.
  static const std::vector<common::NamedQuery>& PreparedQueries();

  absl::StatusOr<TeamRecord> CreateTeam(const TeamRecord& team,
                                        absl::Time now) override;
  absl::StatusOr<TeamRecord> GetTeam(const std::string& id) override;
  absl::StatusOr<std::vector<TeamRecord>> ListTeams(int offset,
                                                    int limit) override;
  absl::StatusOr<TeamRecord> UpdateTeam(const TeamRecord& team,
                                        int64_t expected_version,
                                        absl::Time now) override;
  absl::Status DeleteTeam(const std::string& id) override;
  absl::StatusOr<AgentRecord> CreateAgent(const AgentRecord& agent,
                                          absl::Time now) override;
  absl::StatusOr<AgentRecord> GetAgent(const std::string& id) override;
  absl::StatusOr<std::vector<AgentRecord>> ListAgents(const std::string& team,
                                                      int offset,
                                                      int limit) override;
  absl::StatusOr<AgentRecord> UpdateAgent(const AgentRecord& agent,
                                          int64_t expected_version,
                                          absl::Time now) override;
  absl::Status DeleteAgent(const std::string& id) override;
  absl::StatusOr<AgentRecord> SetAvailability(const std::string& id,
                                              Availability availability,
                                              absl::Time now) override;
  absl::StatusOr<RuleRecord> CreateRule(const RuleRecord& rule,
                                        absl::Time now) override;
  absl::StatusOr<RuleRecord> GetRule(const std::string& id) override;
  absl::StatusOr<std::vector<RuleRecord>> ListRules(int offset,
                                                    int limit) override;
  absl::StatusOr<RuleRecord> UpdateRule(const RuleRecord& rule,
                                        int64_t expected_version,
                                        absl::Time now) override;
  absl::Status DeleteRule(const std::string& id) override;
  absl::StatusOr<LadderRecord> SetLadder(const Ladder& ladder,
                                         std::optional<int64_t> expected,
                                         absl::Time now) override;
  absl::StatusOr<LadderRecord> GetLadder(const std::string& metric) override;
  absl::StatusOr<std::vector<LadderRecord>> ListLadders() override;
  absl::Status DeleteLadder(const std::string& metric) override;
  absl::StatusOr<Directory> LoadDirectory() override;
  absl::StatusOr<int64_t> ConfigRevision() override;

  absl::Status Run(
      const std::function<absl::Status(EscalationTxn&)>& work) override;
  absl::StatusOr<std::unique_ptr<Lease>> TryAcquireLease(int64_t key) override;
  absl::StatusOr<std::string> ReadCursor(const std::string& consumer) override;
  absl::StatusOr<int> FireDueTimers(
      absl::Time now, int limit, const std::string& replica,
      const std::function<absl::Status(EscalationTxn&, const DueTimer&)>& fire)
      override;
  absl::StatusOr<std::optional<absl::Time>> NextTimerDue() override;
  absl::StatusOr<std::vector<ClaimedAction>> ClaimDueActions(
      absl::Time now, absl::Time lease_until, int limit) override;
  absl::StatusOr<bool> FinishAction(int64_t claim,
                                    const ActionRecord& outcome) override;
  absl::StatusOr<std::optional<absl::Time>> NextActionDue() override;
  absl::StatusOr<std::vector<ClaimedDelivery>> ClaimDueDeliveries(
      absl::Time now, absl::Time lease_until, int limit) override;
  absl::StatusOr<bool> FinishDelivery(int64_t claim,
                                      const DeliveryRecord& outcome) override;
  absl::StatusOr<std::optional<absl::Time>> NextDeliveryDue() override;
  absl::StatusOr<std::vector<DeliveryRecord>> ListDeliveries(
      const std::string& team, std::optional<DeliveryRecord::State> state,
      int64_t before_id, int limit) override;

  absl::StatusOr<std::vector<Decision>> ListDecisions(
      int64_t ticket_id) override;
  absl::StatusOr<std::vector<QueuedTicket>> TeamQueue(
      const std::string& team) override;
  absl::StatusOr<std::map<std::string, int>> OpenTickets(
      const std::vector<std::string>& agents) override;
  absl::StatusOr<std::optional<TicketView>> GetTicket(int64_t id) override;
  absl::StatusOr<std::vector<EscalationRecord>> ListEscalations(
      const EscalationQuery& query, int64_t before_id, int limit) override;
  absl::StatusOr<EscalationRecord> GetEscalation(int64_t id) override;
  absl::StatusOr<bool> NotifiedInCycle(const CycleKey& key,
                                       const std::string& who) override;
  absl::StatusOr<std::vector<NotificationRecord>> ListNotifications(
      const std::string& recipient, bool unread_only, int64_t before_id,
      int limit) override;
  absl::StatusOr<int> CountUnread(const std::string& recipient) override;
  absl::StatusOr<int> MarkRead(const std::string& recipient,
                               const std::vector<int64_t>& ids, bool all,
                               absl::Time now) override;
  absl::StatusOr<common::EventBatch<NotificationRecord>> ReadNotifications(
      const std::string& recipient, const common::EventCursor& after,
      int limit) override;
  absl::StatusOr<Figures> GetFigures(absl::Time from, absl::Time to) override;

 private:
  void Published();

  common::PgPool& pool_;
  common::PgNotifyPublisher* const publisher_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_POSTGRES_ESCALATION_STORE_H_
