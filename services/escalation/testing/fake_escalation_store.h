#ifndef CXDESK_SERVICES_ESCALATION_TESTING_FAKE_ESCALATION_STORE_H_
#define CXDESK_SERVICES_ESCALATION_TESTING_FAKE_ESCALATION_STORE_H_

// An in-memory EscalationStore for unit tests of the manager, the engine,
// its units and the loops: no PostgreSQL.

#include <cstdint>
#include <functional>
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
#include "services/escalation/escalation.h"
#include "services/escalation/escalation_store.h"

namespace cxdesk::escalation {

// Keeps every table of the escalation schema in memory and honours the
// contract of EscalationStore as the PostgreSQL store does: versions and
// the configuration revision move on every write; stale versions are
// ABORTED, unknown rows NOT_FOUND, duplicates ALREADY_EXISTS (team, agent,
// rule ids, action request ids, one step per cycle level), a second default
// team and deleting a team or agent still in use FAILED_PRECONDITION; lists
// come in the stored order (ids ascending, rules by position, newest first
// where the interface says so); agent loads count open tickets by LoadOf().
// Outbox rows carry a lease and a claim token as ClaimDueActions describes.
// A unit of work (Run, FireDueTimers, the outbox claims) runs on a copy of
// the state that is kept only if the work succeeds, so an error rolls back
// everything it wrote. Units run one at a time (the locks are implicit).
// GetFigures computes what the figures statements do. Thread-safe; the
// callbacks given to Run and FireDueTimers must not call back into the store.
class FakeEscalationStore final : public EscalationStore {
 public:
  // The lease of an outbox row (action or delivery): its claimer's until
  // `until` (nullopt: not leased); `claim` counts the claims.
  struct OutboxLease {
    std::optional<absl::Time> until;
    int64_t claim = 0;
  };
  // An escalation timer as stored.
  struct Timer {
    absl::Time due;
    std::optional<absl::Time> fired_at;
    std::string fired_by;
  };
  // (ticket, metric, cycle) and (ticket, metric, cycle, level).
  using CycleId = std::tuple<int64_t, std::string, int>;
  using TimerId = std::tuple<int64_t, std::string, int, int>;

  FakeEscalationStore();
  ~FakeEscalationStore() override;

  // ---- test controls ----
  // The next `count` writes (configuration writes, MarkRead, every unit of
  // work: Run, FireDueTimers, and the outbox claims and finishes) fail with
  // `status` before they change anything.
  void FailNextUnits(absl::Status status, int count = 1);
  // How many units of work committed.
  int commits() const;

  // ---- what tests inspect (copies, at the last commit) ----
  std::vector<ActionRecord> Actions() const;
  std::vector<Decision> Decisions() const;
  std::vector<NotificationRecord> Notifications() const;
  std::vector<DeliveryRecord> Deliveries() const;
  std::vector<EscalationRecord> Escalations() const;
  std::map<TimerId, Timer> Timers() const;
  std::optional<CycleState> Cycle(const CycleKey& key) const;
  std::string Cursor(const std::string& consumer) const;
  RoundRobinState RoundRobin(const std::string& team) const;

  // The outbox leases of action / delivery `id` (a default one if never
  // claimed).
  OutboxLease ActionLease(int64_t id) const;
  OutboxLease DeliveryLease(int64_t id) const;

  // ---- EscalationStore ----
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

  absl::StatusOr<LadderRecord> SetLadder(
      const Ladder& ladder, std::optional<int64_t> expected_version,
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

  // Every table. Public for the fake transaction in the .cc file only.
  struct State {
    int64_t revision = 0;
    std::map<std::string, TeamRecord> teams;
    std::map<std::string, AgentRecord> agents;
    std::map<std::string, RuleRecord> rules;
    std::map<std::string, LadderRecord> ladders;
    std::map<int64_t, TicketView> tickets;
    std::map<std::pair<int64_t, std::string>, absl::Time> deadlines;
    std::map<std::string, RoundRobinState> round_robin;
    std::map<int64_t, Decision> decisions;
    std::map<int64_t, ActionRecord> actions;
    std::map<CycleId, CycleState> cycles;
    std::map<int64_t, EscalationRecord> escalations;
    std::map<TimerId, Timer> timers;
    std::map<int64_t, NotificationRecord> notifications;
    std::map<int64_t, DeliveryRecord> deliveries;
    std::map<int64_t, OutboxLease> action_leases;
    std::map<int64_t, OutboxLease> delivery_leases;
    std::map<std::string, std::string> cursors;
    int64_t last_id = 0;  // One sequence for every table's ids.
    uint64_t last_xid = 0;

    int64_t NextId() { return ++last_id; }
  };
  // The held lease keys, shared with the leases (which may outlive the
  // store). Public for the .cc file only.
  struct LeaseTable;

 private:
  // Runs `work` on a copy of the state and keeps the copy if it succeeds.
  absl::Status Unit(const std::function<absl::Status(State&)>& work)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  EscalationRecord WithResults(const State& s, EscalationRecord e) const;
  AgentRecord WithLoad(const State& s, AgentRecord a) const;

  mutable absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_);
  absl::Status fail_status_ ABSL_GUARDED_BY(mu_);
  int fail_count_ ABSL_GUARDED_BY(mu_) = 0;
  int commits_ ABSL_GUARDED_BY(mu_) = 0;
  std::shared_ptr<LeaseTable> leases_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_TESTING_FAKE_ESCALATION_STORE_H_
