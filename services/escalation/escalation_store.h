#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_STORE_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_STORE_H_

// Persistence of the escalation service. Configuration (teams, agents,
// rules, ladders) has plain CRUD; everything the loops do runs as a unit of
// work on an EscalationTxn, so that routing, the ladder and the outboxes
// (actions, notifications, webhook deliveries) change together or not at
// all. Errors everywhere: NOT_FOUND, ALREADY_EXISTS, ABORTED (stale
// version), FAILED_PRECONDITION (still in use, second default team), and the
// database's UNAVAILABLE / DEADLINE_EXCEEDED / INTERNAL.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/event_stream.h"
#include "services/common/stream_consumer.h"
#include "services/escalation/escalation.h"
#include "services/escalation/routing.h"

namespace cxdesk::escalation {

// A session-long claim on one consumer (see TryAcquireLease).
using Lease = common::Lease;

// One transaction. Valid only inside the callback of EscalationStore::Run;
// not thread-safe.
class EscalationTxn {
 public:
  virtual ~EscalationTxn() = default;

  // Serialises routing decisions of one team until the transaction ends, so
  // that two writers never both give the last free slot away.
  virtual absl::Status LockTeam(const std::string& team) = 0;
  // Serialises the changes of one ticket's ladders (SLA consumer, timers,
  // acknowledgements) until the transaction ends.
  virtual absl::Status LockTicket(int64_t ticket_id) = 0;

  // The ticket projection.
  virtual absl::StatusOr<std::optional<TicketView>> GetTicket(int64_t id) = 0;
  // The known ones of `ids`, in one read.
  virtual absl::StatusOr<std::vector<TicketView>> GetTickets(
      const std::vector<int64_t>& ids) = 0;
  virtual absl::Status PutTicket(const TicketView& ticket) = 0;
  // Open tickets per agent (assigned or pending), for the given agents; an
  // agent with none is absent.
  virtual absl::StatusOr<std::map<std::string, int>> OpenTickets(
      const std::vector<std::string>& agents) = 0;
  // The tickets waiting in `team`'s queue with their next SLA deadline,
  // unordered (the caller sorts with SortQueue).
  virtual absl::StatusOr<std::vector<QueuedTicket>> TeamQueue(
      const std::string& team) = 0;
  // Records a clock's current deadline (nullopt: none running).
  virtual absl::Status SetClockDeadline(int64_t ticket_id,
                                        const std::string& metric,
                                        std::optional<absl::Time> deadline) = 0;

  // Round-robin position of a team.
  virtual absl::StatusOr<RoundRobinState> GetRoundRobin(
      const std::string& team) = 0;
  virtual absl::Status PutRoundRobin(const std::string& team,
                                     const RoundRobinState& state) = 0;
  // Stores a decision; returns its id.
  virtual absl::StatusOr<int64_t> AddDecision(const Decision& decision) = 0;

  // Marks the ticket's pending routing assignments skipped, with `why`
  // (the ticket was closed or assigned by someone else meanwhile). One
  // that a relay has claimed and leases beyond `now` is left to it: the
  // call may be in flight, and its outcome is what happened.
  virtual absl::Status CancelRoutingActions(int64_t ticket_id,
                                            const std::string& why,
                                            absl::Time now) = 0;
  // Queues an action for the ticket service (or records a done notify
  // action); returns its id. A request_id used before: ALREADY_EXISTS.
  virtual absl::StatusOr<int64_t> AddAction(const ActionRecord& action) = 0;

  // Ladder state of a cycle (nullopt: none yet).
  virtual absl::StatusOr<std::optional<CycleState>> GetCycle(
      const CycleKey& key) = 0;
  virtual absl::Status PutCycle(const CycleState& state) = 0;
  // Stores a step; returns its id. ALREADY_EXISTS if the level of the cycle
  // was recorded before.
  virtual absl::StatusOr<int64_t> AddEscalation(
      const EscalationRecord& step) = 0;
  // Arms (or re-arms at a new instant) the after-breach timer of a level.
  virtual absl::Status ArmTimer(const CycleKey& key, int level,
                                absl::Time due) = 0;
  // Drops the cycle's timers that have not fired.
  virtual absl::Status DisarmTimers(const CycleKey& key) = 0;

  // Appends a notification; returns its id.
  virtual absl::StatusOr<int64_t> AddNotification(
      const NotificationRecord& notification) = 0;
  // Queues a webhook delivery; returns its id.
  virtual absl::StatusOr<int64_t> AddDelivery(
      const DeliveryRecord& delivery) = 0;

  // Sets a stream consumer's cursor.
  virtual absl::Status SetCursor(const std::string& consumer,
                                 const std::string& cursor) = 0;
};

// A due after-breach timer, claimed.
struct DueTimer {
  CycleKey key;
  int level = 0;
  absl::Time due;
};

// A pending action claimed by one relay: it is the claimer's to perform
// until `lease_until`; `claim` is the token FinishAction must present.
struct ClaimedAction {
  ActionRecord action;  // As stored, with ticket_open and ticket_assignee.
  int64_t claim = 0;
  absl::Time lease_until;
};

// A pending webhook delivery claimed by one relay (see ClaimedAction).
struct ClaimedDelivery {
  DeliveryRecord delivery;
  std::string secret;  // The team's current webhook secret ("" for none).
  int64_t claim = 0;
  absl::Time lease_until;
};

class EscalationStore {
 public:
  virtual ~EscalationStore() = default;

  // ---- configuration; every write bumps the configuration revision ----
  virtual absl::StatusOr<TeamRecord> CreateTeam(const TeamRecord& team,
                                                absl::Time now) = 0;
  virtual absl::StatusOr<TeamRecord> GetTeam(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<TeamRecord>> ListTeams(int offset,
                                                            int limit) = 0;
  // An empty webhook_secret keeps the stored one.
  virtual absl::StatusOr<TeamRecord> UpdateTeam(const TeamRecord& team,
                                                int64_t expected_version,
                                                absl::Time now) = 0;
  virtual absl::Status DeleteTeam(const std::string& id) = 0;

  virtual absl::StatusOr<AgentRecord> CreateAgent(const AgentRecord& agent,
                                                  absl::Time now) = 0;
  virtual absl::StatusOr<AgentRecord> GetAgent(const std::string& id) = 0;
  // Agents by id, of `team` unless it is "".
  virtual absl::StatusOr<std::vector<AgentRecord>> ListAgents(
      const std::string& team, int offset, int limit) = 0;
  virtual absl::StatusOr<AgentRecord> UpdateAgent(const AgentRecord& agent,
                                                  int64_t expected_version,
                                                  absl::Time now) = 0;
  virtual absl::Status DeleteAgent(const std::string& id) = 0;
  virtual absl::StatusOr<AgentRecord> SetAvailability(const std::string& id,
                                                      Availability availability,
                                                      absl::Time now) = 0;

  virtual absl::StatusOr<RuleRecord> CreateRule(const RuleRecord& rule,
                                                absl::Time now) = 0;
  virtual absl::StatusOr<RuleRecord> GetRule(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<RuleRecord>> ListRules(int offset,
                                                            int limit) = 0;
  virtual absl::StatusOr<RuleRecord> UpdateRule(const RuleRecord& rule,
                                                int64_t expected_version,
                                                absl::Time now) = 0;
  virtual absl::Status DeleteRule(const std::string& id) = 0;

  // Creates or replaces; expected_version (nullopt: any) guards a replace.
  virtual absl::StatusOr<LadderRecord> SetLadder(
      const Ladder& ladder, std::optional<int64_t> expected_version,
      absl::Time now) = 0;
  virtual absl::StatusOr<LadderRecord> GetLadder(const std::string& metric) = 0;
  virtual absl::StatusOr<std::vector<LadderRecord>> ListLadders() = 0;
  virtual absl::Status DeleteLadder(const std::string& metric) = 0;

  // The whole configuration, and its revision alone (cheap).
  virtual absl::StatusOr<Directory> LoadDirectory() = 0;
  virtual absl::StatusOr<int64_t> ConfigRevision() = 0;

  // ---- units of work ----
  // Runs `work` in one transaction, retrying it (from scratch) on
  // serialization failures and deadlocks; `work`'s error rolls back.
  virtual absl::Status Run(
      const std::function<absl::Status(EscalationTxn&)>& work) = 0;

  // ---- consumers ----
  // One holder per key at a time across replicas, until the returned lease
  // is destroyed or its connection dies; nullptr if someone else holds it.
  virtual absl::StatusOr<std::unique_ptr<Lease>> TryAcquireLease(
      int64_t key) = 0;
  // The consumer's cursor; "" before its first batch.
  virtual absl::StatusOr<std::string> ReadCursor(
      const std::string& consumer) = 0;

  // ---- timers ----
  // Claims up to `limit` after-breach timers due at `now` that no other
  // transaction holds, and calls `fire` for each inside the same
  // transaction (which marks them fired by `replica`); returns how many.
  virtual absl::StatusOr<int> FireDueTimers(
      absl::Time now, int limit, const std::string& replica,
      const std::function<absl::Status(EscalationTxn&, const DueTimer&)>&
          fire) = 0;
  // The earliest armed due instant; nullopt if none.
  virtual absl::StatusOr<std::optional<absl::Time>> NextTimerDue() = 0;

  // ---- the action outbox (relayed by RelayDueActions) ----
  // The outbox is relayed in three steps so that no transaction and no
  // pooled connection is held while the ticket service is called: a claim
  // (one short transaction), the calls (outside any transaction), and one
  // short transaction per outcome. A claim is a lease: until `lease_until`
  // no other claimer takes the row; after it, the row is claimable again,
  // so the work of a relay that died is taken over by another replica.
  // Performing an action twice is harmless: every call carries the
  // action's request_id, which the ticket service deduplicates.

  // Claims up to `limit` pending actions due at `now` whose lease (if any)
  // has expired by `now` (those of escalation steps first, then the oldest),
  // leasing them until `lease_until`. Each comes with a new claim token and
  // the ticket as the service last saw it (ticket_open, ticket_assignee).
  // Returns them in that order; empty if none is due.
  virtual absl::StatusOr<std::vector<ClaimedAction>> ClaimDueActions(
      absl::Time now, absl::Time lease_until, int limit) = 0;
  // Records the outcome of the action `outcome.id` (state, attempts,
  // next_attempt, detail, error, done_time) and ends the lease, if the
  // action is still pending and `claim` is still its latest claim token.
  // Returns true if recorded, false if the outcome was dropped (another
  // claimer took the action after the lease expired, or it was finished or
  // skipped meanwhile). Giving back an untouched claimed action releases it
  // at once.
  virtual absl::StatusOr<bool> FinishAction(int64_t claim,
                                            const ActionRecord& outcome) = 0;
  // The earliest instant a pending action can be claimed (its next attempt,
  // or the end of its lease if later); nullopt if none is pending.
  virtual absl::StatusOr<std::optional<absl::Time>> NextActionDue() = 0;

  // ---- webhook deliveries (relayed by RelayDueDeliveries) ----
  // As ClaimDueActions, for deliveries (oldest next attempt first); each
  // carries the team's current webhook secret.
  virtual absl::StatusOr<std::vector<ClaimedDelivery>> ClaimDueDeliveries(
      absl::Time now, absl::Time lease_until, int limit) = 0;
  // As FinishAction, for the delivery `outcome.id` (state, attempts,
  // last_status_code, last_error, next_attempt, deliver_time).
  virtual absl::StatusOr<bool> FinishDelivery(
      int64_t claim, const DeliveryRecord& outcome) = 0;
  // As NextActionDue, for deliveries.
  virtual absl::StatusOr<std::optional<absl::Time>> NextDeliveryDue() = 0;
  // Deliveries newest first: of `team` unless it is "", in `state` unless
  // nullopt, ids below `before_id` (0: no bound).
  virtual absl::StatusOr<std::vector<DeliveryRecord>> ListDeliveries(
      const std::string& team, std::optional<DeliveryRecord::State> state,
      int64_t before_id, int limit) = 0;

  // ---- queries ----
  virtual absl::StatusOr<std::vector<Decision>> ListDecisions(
      int64_t ticket_id) = 0;
  virtual absl::StatusOr<std::vector<QueuedTicket>> TeamQueue(
      const std::string& team) = 0;
  virtual absl::StatusOr<std::map<std::string, int>> OpenTickets(
      const std::vector<std::string>& agents) = 0;
  virtual absl::StatusOr<std::optional<TicketView>> GetTicket(int64_t id) = 0;
  // Newest first, ids below `before_id` (0: no bound).
  virtual absl::StatusOr<std::vector<EscalationRecord>> ListEscalations(
      const EscalationQuery& query, int64_t before_id, int limit) = 0;
  virtual absl::StatusOr<EscalationRecord> GetEscalation(int64_t id) = 0;
  // True if `who` was notified by any step of the cycle.
  virtual absl::StatusOr<bool> NotifiedInCycle(const CycleKey& key,
                                               const std::string& who) = 0;

  // A recipient's notifications, newest first, ids below `before_id`.
  virtual absl::StatusOr<std::vector<NotificationRecord>> ListNotifications(
      const std::string& recipient, bool unread_only, int64_t before_id,
      int limit) = 0;
  virtual absl::StatusOr<int> CountUnread(const std::string& recipient) = 0;
  // Marks `ids` of `recipient` (all of them if `all`) read at `now`;
  // returns how many changed.
  virtual absl::StatusOr<int> MarkRead(const std::string& recipient,
                                       const std::vector<int64_t>& ids,
                                       bool all, absl::Time now) = 0;
  // The next notifications after `after` for `recipient` ("*": everyone).
  virtual absl::StatusOr<common::EventBatch<NotificationRecord>>
  ReadNotifications(const std::string& recipient,
                    const common::EventCursor& after, int limit) = 0;

  virtual absl::StatusOr<Figures> GetFigures(absl::Time from,
                                             absl::Time to) = 0;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_STORE_H_
