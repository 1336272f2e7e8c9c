// PostgresEscalationStore, units of work: the EscalationTxn every loop
// writes through (routing, the ladders, the outboxes' queues, cursors), and
// the after-breach timers fired inside it.
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "services/common/pg_values.h"
#include "services/common/status_macros.h"
#include "services/escalation/postgres_escalation_rows.h"
#include "services/escalation/postgres_escalation_store.h"
#include "services/escalation/queries.h"

namespace cxdesk::escalation {
namespace {

using common::ArrayLiteral;
using common::PgCols;
using pg_rows::IntArray;
using pg_rows::MicrosOrNull;
using pg_rows::MinTime;
using pg_rows::ReadCycle;
using pg_rows::ReadOpenTickets;
using pg_rows::ReadQueue;
using pg_rows::ReadTicketView;

// ---- the unit of work ----

class PgTxn final : public EscalationTxn {
 public:
  explicit PgTxn(pqxx::work& txn) : txn_(txn) {}

  bool queued() const { return queued_; }

  absl::Status LockTeam(const std::string& team) override {
    txn_.exec_prepared(queries::kLockTeam.name, team);
    return absl::OkStatus();
  }
  absl::Status LockTicket(int64_t ticket_id) override {
    txn_.exec_prepared(queries::kLockTicket.name, ticket_id);
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<TicketView>> GetTicket(int64_t id) override {
    pqxx::result rows = txn_.exec_prepared(queries::kTicketById.name, id);
    if (rows.empty()) return std::optional<TicketView>();
    return std::optional<TicketView>(ReadTicketView(rows[0]));
  }
  absl::StatusOr<std::vector<TicketView>> GetTickets(
      const std::vector<int64_t>& ids) override {
    std::vector<TicketView> out;
    for (const auto& row :
         txn_.exec_prepared(queries::kTicketsByIds.name, IntArray(ids))) {
      out.push_back(ReadTicketView(row));
    }
    return out;
  }
  absl::Status PutTicket(const TicketView& t) override {
    txn_.exec_prepared(
        queries::kUpsertTicket.name, t.id, t.version, t.status, t.route.kind,
        t.route.cx_level, t.route.priority, t.route.channel,
        ArrayLiteral(t.route.tags), t.route.subject, t.route.customer_email,
        t.team, t.assignee, t.pending_assignee, MicrosOrNull(t.queued_at),
        std::string(Name(t.strategy)), t.routed);
    return absl::OkStatus();
  }
  absl::StatusOr<std::map<std::string, int>> OpenTickets(
      const std::vector<std::string>& agents) override {
    return ReadOpenTickets(txn_, agents);
  }
  absl::StatusOr<std::vector<QueuedTicket>> TeamQueue(
      const std::string& team) override {
    return ReadQueue(txn_, team);
  }
  absl::Status SetClockDeadline(int64_t ticket_id, const std::string& metric,
                                std::optional<absl::Time> deadline) override {
    if (deadline.has_value()) {
      txn_.exec_prepared(queries::kSetDeadline.name, ticket_id, metric,
                         absl::ToUnixMicros(*deadline));
    } else {
      txn_.exec_prepared(queries::kClearDeadline.name, ticket_id, metric);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<RoundRobinState> GetRoundRobin(
      const std::string& team) override {
    pqxx::result rows = txn_.exec_prepared(queries::kRoundRobin.name, team);
    RoundRobinState state;
    if (!rows.empty()) state.last_agent = rows[0][0].as<std::string>();
    return state;
  }
  absl::Status PutRoundRobin(const std::string& team,
                             const RoundRobinState& state) override {
    txn_.exec_prepared(queries::kPutRoundRobin.name, team, state.last_agent);
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddDecision(const Decision& d) override {
    return txn_
        .exec_prepared1(queries::kInsertDecision.name, d.ticket_id,
                        absl::ToUnixMicros(d.at), std::string(Name(d.trigger)),
                        d.rule_id, d.team, std::string(Name(d.strategy)),
                        std::string(Name(d.outcome)), d.agent,
                        ArrayLiteral(d.candidates), d.explanation)[0]
        .as<int64_t>();
  }
  absl::Status CancelRoutingActions(int64_t ticket_id, const std::string& why,
                                    absl::Time now) override {
    txn_.exec_prepared(queries::kCancelRoutingActions.name, ticket_id, why,
                       absl::ToUnixMicros(now));
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddAction(const ActionRecord& a) override {
    if (a.state == ActionRecord::State::kPending) queued_ = true;
    return txn_
        .exec_prepared1(queries::kInsertAction.name, a.ticket_id,
                        std::string(Name(a.kind)), std::string(Name(a.state)),
                        a.assignee, a.team, a.unassign, a.note, a.request_id,
                        a.escalation_id, a.action_index, a.decision_id,
                        absl::ToUnixMicros(a.next_attempt), a.detail, a.error,
                        MicrosOrNull(a.done_time))[0]
        .as<int64_t>();
  }
  absl::StatusOr<std::optional<CycleState>> GetCycle(
      const CycleKey& key) override {
    pqxx::result rows = txn_.exec_prepared(queries::kCycle.name, key.ticket_id,
                                           key.metric, key.cycle);
    if (rows.empty()) return std::optional<CycleState>();
    return std::optional<CycleState>(ReadCycle(rows[0]));
  }
  absl::Status PutCycle(const CycleState& s) override {
    std::vector<int64_t> done(s.ladder.done_levels.begin(),
                              s.ladder.done_levels.end());
    std::optional<absl::Time> breached;
    if (s.ladder.breached_at != absl::InfinitePast()) {
      breached = s.ladder.breached_at;
    }
    txn_.exec_prepared(queries::kPutCycle.name, s.key.ticket_id, s.key.metric,
                       s.key.cycle, s.ladder.warned, MicrosOrNull(breached),
                       s.ladder.met_or_cancelled, s.ladder.acknowledged,
                       s.acknowledged_by, MicrosOrNull(s.acknowledge_time),
                       IntArray(done));
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddEscalation(const EscalationRecord& e) override {
    std::vector<std::string> words;
    for (const Action& a : e.actions) words.push_back(ActionWord(a));
    return txn_
        .exec_prepared1(
            queries::kInsertEscalation.name, e.key.ticket_id, e.key.metric,
            e.key.cycle, e.level, std::string(Name(e.trigger)), e.team,
            absl::ToUnixMicros(e.occur_time), absl::ToUnixMicros(e.record_time),
            e.skipped, e.explanation, ArrayLiteral(words),
            ArrayLiteral(e.recipients))[0]
        .as<int64_t>();
  }
  absl::Status ArmTimer(const CycleKey& key, int level,
                        absl::Time due) override {
    queued_ = true;
    txn_.exec_prepared(queries::kArmTimer.name, key.ticket_id, key.metric,
                       key.cycle, level, absl::ToUnixMicros(due));
    return absl::OkStatus();
  }
  absl::Status DisarmTimers(const CycleKey& key) override {
    txn_.exec_prepared(queries::kDisarmTimers.name, key.ticket_id, key.metric,
                       key.cycle);
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> AddNotification(
      const NotificationRecord& n) override {
    queued_ = true;
    return txn_
        .exec_prepared1(queries::kInsertNotification.name, n.recipient,
                        n.ticket_id, n.escalation_id, n.level, n.metric,
                        n.title, n.body, n.team,
                        absl::ToUnixMicros(n.create_time))[0]
        .as<int64_t>();
  }
  absl::StatusOr<int64_t> AddDelivery(const DeliveryRecord& d) override {
    queued_ = true;
    return txn_
        .exec_prepared1(queries::kInsertDelivery.name, d.team,
                        d.notification_id, d.url, d.payload,
                        absl::ToUnixMicros(d.next_attempt))[0]
        .as<int64_t>();
  }
  absl::Status SetCursor(const std::string& consumer,
                         const std::string& cursor) override {
    txn_.exec_prepared(queries::kSetCursor.name, consumer, cursor);
    return absl::OkStatus();
  }

 private:
  pqxx::work& txn_;
  bool queued_ = false;
};

}  // namespace

// ---- units of work ----

absl::Status PostgresEscalationStore::Run(
    const std::function<absl::Status(EscalationTxn&)>& work) {
  bool queued = false;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    txn.exec_prepared(queries::kLockUnits.name);
    PgTxn unit(txn);
    absl::Status status = work(unit);
    queued = unit.queued();
    return status;
  }));
  if (queued) Published();
  return absl::OkStatus();
}

absl::StatusOr<int> PostgresEscalationStore::FireDueTimers(
    absl::Time now, int limit, const std::string& replica,
    const std::function<absl::Status(EscalationTxn&, const DueTimer&)>& fire) {
  int claimed = 0;
  bool queued = false;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    claimed = 0;
    txn.exec_prepared(queries::kLockUnits.name);
    PgTxn unit(txn);
    const int64_t now_us = absl::ToUnixMicros(now);
    for (const auto& row :
         txn.exec_prepared(queries::kDueTimers.name, now_us, limit)) {
      PgCols c(row);
      DueTimer t;
      t.key.ticket_id = c.Int();
      t.key.metric = c.Str();
      t.key.cycle = static_cast<int>(c.Int());
      t.level = static_cast<int>(c.Int());
      t.due = c.Time();
      // The ticket's lock first (as every writer of its ladders takes it),
      // without waiting: a busy ticket is fired by its holder or next round.
      if (!txn.exec_prepared1(queries::kTryLockTicket.name, t.key.ticket_id)[0]
               .as<bool>()) {
        continue;
      }
      if (txn.exec_prepared(queries::kClaimTimer.name, t.key.ticket_id,
                            t.key.metric, t.key.cycle, t.level)
              .empty()) {
        continue;
      }
      CXDESK_RETURN_IF_ERROR(fire(unit, t));
      txn.exec_prepared(queries::kMarkTimerFired.name, t.key.ticket_id,
                        t.key.metric, t.key.cycle, t.level, now_us, replica);
      ++claimed;
    }
    queued = unit.queued();
    return absl::OkStatus();
  }));
  if (queued) Published();
  return claimed;
}

absl::StatusOr<std::optional<absl::Time>>
PostgresEscalationStore::NextTimerDue() {
  return MinTime(pool_, queries::kNextTimerDue.name);
}

}  // namespace cxdesk::escalation
