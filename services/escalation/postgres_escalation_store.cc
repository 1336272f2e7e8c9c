// PostgresEscalationStore: its statements, the stream consumers' lease and
// cursor, and the read-only queries (decisions, queues, steps,
// notifications, figures). The configuration, the units of work and the
// outboxes are in postgres_escalation_{config,units,outbox}.cc.
#include "services/escalation/postgres_escalation_store.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/pg_values.h"
#include "services/common/postgres_consumer.h"
#include "services/common/status_macros.h"
#include "services/escalation/postgres_escalation_rows.h"
#include "services/escalation/queries.h"

namespace cxdesk::escalation {
namespace {

using common::PgCols;
using pg_rows::AttachResults;
using pg_rows::IntArray;
using pg_rows::MicrosOrNull;
using pg_rows::ReadDecision;
using pg_rows::ReadEscalation;
using pg_rows::ReadNotification;
using pg_rows::ReadOpenTickets;
using pg_rows::ReadQueue;
using pg_rows::ReadTicketView;

// Advisory-lock space of the consumer leases (see queries/escalation.sql).
constexpr int32_t kLeaseSpace = 7;

}  // namespace

const std::vector<common::NamedQuery>&
PostgresEscalationStore::PreparedQueries() {
  return queries::All();
}

void PostgresEscalationStore::Published() {
  if (publisher_ != nullptr) publisher_->Publish();
}

// ---- consumers ----

absl::StatusOr<std::unique_ptr<Lease>> PostgresEscalationStore::TryAcquireLease(
    int64_t key) {
  return common::TryAcquireConsumerLease(pool_, kLeaseSpace, key);
}

absl::StatusOr<std::string> PostgresEscalationStore::ReadCursor(
    const std::string& consumer) {
  return common::ReadConsumerCursor(pool_, queries::kReadCursor.name, consumer);
}

// ---- queries ----

absl::StatusOr<std::vector<Decision>> PostgresEscalationStore::ListDecisions(
    int64_t ticket_id) {
  std::vector<Decision> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kDecisionsOfTicket.name, ticket_id)) {
      out.push_back(ReadDecision(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<QueuedTicket>> PostgresEscalationStore::TeamQueue(
    const std::string& team) {
  std::vector<QueuedTicket> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out = ReadQueue(txn, team);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::map<std::string, int>> PostgresEscalationStore::OpenTickets(
    const std::vector<std::string>& agents) {
  std::map<std::string, int> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out = ReadOpenTickets(txn, agents);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<TicketView>> PostgresEscalationStore::GetTicket(
    int64_t id) {
  std::optional<TicketView> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kTicketById.name, id);
    out.reset();
    if (!rows.empty()) out = ReadTicketView(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<EscalationRecord>>
PostgresEscalationStore::ListEscalations(const EscalationQuery& q,
                                         int64_t before_id, int limit) {
  std::vector<EscalationRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kListEscalations.name, q.ticket_id, q.team,
                           q.level, MicrosOrNull(q.from), MicrosOrNull(q.to),
                           q.acknowledged, before_id, limit)) {
      out.push_back(ReadEscalation(row));
    }
    AttachResults(txn, out);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<EscalationRecord> PostgresEscalationStore::GetEscalation(
    int64_t id) {
  std::vector<EscalationRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kEscalationById.name, id)) {
      out.push_back(ReadEscalation(row));
    }
    AttachResults(txn, out);
    return absl::OkStatus();
  }));
  if (out.empty()) {
    return absl::NotFoundError(absl::StrCat("escalation ", id, " not found"));
  }
  return std::move(out.front());
}

absl::StatusOr<bool> PostgresEscalationStore::NotifiedInCycle(
    const CycleKey& key, const std::string& who) {
  bool notified = false;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    notified = txn.exec_prepared1(queries::kNotifiedBy.name, key.ticket_id,
                                  key.metric, key.cycle, who)[0]
                   .as<bool>();
    return absl::OkStatus();
  }));
  return notified;
}

absl::StatusOr<std::vector<NotificationRecord>>
PostgresEscalationStore::ListNotifications(const std::string& recipient,
                                           bool unread_only, int64_t before_id,
                                           int limit) {
  std::vector<NotificationRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kListNotifications.name, recipient,
                           unread_only, before_id, limit)) {
      out.push_back(ReadNotification(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> PostgresEscalationStore::CountUnread(
    const std::string& recipient) {
  int count = 0;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    count =
        txn.exec_prepared1(queries::kCountUnread.name, recipient)[0].as<int>();
    return absl::OkStatus();
  }));
  return count;
}

absl::StatusOr<int> PostgresEscalationStore::MarkRead(
    const std::string& recipient, const std::vector<int64_t>& ids, bool all,
    absl::Time now) {
  int marked = 0;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    marked = static_cast<int>(txn.exec_prepared(queries::kMarkRead.name,
                                                recipient, IntArray(ids), all,
                                                absl::ToUnixMicros(now))
                                  .affected_rows());
    return absl::OkStatus();
  }));
  return marked;
}

absl::StatusOr<common::EventBatch<NotificationRecord>>
PostgresEscalationStore::ReadNotifications(const std::string& recipient,
                                           const common::EventCursor& after,
                                           int limit) {
  common::EventBatch<NotificationRecord> batch;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    batch = {};
    // Held-back first, rows second: see the ticket store's ReadEvents.
    batch.held_back =
        txn.exec_prepared1(queries::kNotificationsHeldBack.name)[0].as<bool>();
    for (const auto& row : txn.exec_prepared(queries::kReadNotifications.name,
                                             std::to_string(after.xid),
                                             after.id, recipient, limit)) {
      batch.events.push_back(ReadNotification(row));
    }
    return absl::OkStatus();
  }));
  return batch;
}

absl::StatusOr<Figures> PostgresEscalationStore::GetFigures(absl::Time from,
                                                            absl::Time to) {
  Figures f;
  const int64_t from_us = absl::ToUnixMicros(from);
  const int64_t to_us = absl::ToUnixMicros(to);
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    f = Figures{};
    txn.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (const auto& row :
         txn.exec_prepared(queries::kAgentFigures.name, from_us, to_us)) {
      PgCols c(row);
      Figures::AgentRow a;
      a.agent = c.Str();
      a.capacity = static_cast<int>(c.Int());
      a.assignments = static_cast<int>(c.Int());
      a.open_tickets = static_cast<int>(c.Int());
      f.agents.push_back(std::move(a));
    }
    for (const auto& row :
         txn.exec_prepared(queries::kTeamFigures.name, from_us, to_us)) {
      PgCols c(row);
      Figures::TeamRow t;
      t.team = c.Str();
      t.routed = static_cast<int>(c.Int());
      t.queued = static_cast<int>(c.Int());
      std::vector<int64_t> waited;
      for (const std::string& w : c.TextArray()) {
        int64_t v = 0;
        if (absl::SimpleAtoi(w, &v)) waited.push_back(v);
      }
      t.waiting_now = static_cast<int>(c.Int());
      t.assigned_from_queue = static_cast<int>(waited.size());
      // Nearest rank, as the SLA report computes its percentiles.
      auto rank = [&](double p) {
        if (waited.empty()) return absl::ZeroDuration();
        size_t k = static_cast<size_t>(std::ceil(p * waited.size()));
        k = std::clamp<size_t>(k, 1, waited.size());
        return absl::Microseconds(waited[k - 1]);
      };
      t.queue_p50 = rank(0.5);
      t.queue_p90 = rank(0.9);
      t.queue_max = rank(1.0);
      f.teams.push_back(std::move(t));
    }
    for (const auto& row :
         txn.exec_prepared(queries::kLevelFigures.name, from_us, to_us)) {
      PgCols c(row);
      Figures::LevelRow l;
      l.level = static_cast<int>(c.Int());
      l.ran = static_cast<int>(c.Int());
      l.skipped = static_cast<int>(c.Int());
      l.acknowledged = static_cast<int>(c.Int());
      f.levels.push_back(l);
    }
    return absl::OkStatus();
  }));
  return f;
}

}  // namespace cxdesk::escalation
