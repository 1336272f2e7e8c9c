// PostgresEscalationStore, the two outboxes (actions for the ticket
// service, webhook deliveries) as the relays see them: claims with a lease
// and a claim token, one short statement each; outcomes fenced by the
// token; the next due instant, leases counted.
#include <algorithm>
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

using common::PgCols;
using pg_rows::MicrosOrNull;
using pg_rows::MinTime;
using pg_rows::ReadAction;
using pg_rows::ReadDelivery;

}  // namespace

// ---- the action outbox ----

absl::StatusOr<std::vector<ClaimedAction>>
PostgresEscalationStore::ClaimDueActions(absl::Time now, absl::Time lease_until,
                                         int limit) {
  std::vector<ClaimedAction> claimed;
  // One statement, hence one short transaction of its own.
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    claimed.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kClaimActions.name, absl::ToUnixMicros(now),
                           absl::ToUnixMicros(lease_until), limit)) {
      ClaimedAction c;
      c.action = ReadAction(row);
      const int n = static_cast<int>(row.size());
      c.action.ticket_open = row[n - 3].as<bool>(true);
      c.action.ticket_assignee = row[n - 2].as<std::string>(std::string());
      c.claim = row[n - 1].as<int64_t>();
      c.lease_until = lease_until;
      claimed.push_back(std::move(c));
    }
    return absl::OkStatus();
  }));
  // The claim's order (RETURNING keeps none): escalation steps first.
  std::sort(claimed.begin(), claimed.end(),
            [](const ClaimedAction& x, const ClaimedAction& y) {
              return std::make_pair(x.action.escalation_id == 0, x.action.id) <
                     std::make_pair(y.action.escalation_id == 0, y.action.id);
            });
  return claimed;
}

absl::StatusOr<bool> PostgresEscalationStore::FinishAction(
    int64_t claim, const ActionRecord& a) {
  bool recorded = false;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    recorded = txn.exec_prepared(queries::kFinishAction.name, a.id, claim,
                                 std::string(Name(a.state)), a.attempts,
                                 absl::ToUnixMicros(a.next_attempt), a.detail,
                                 a.error, MicrosOrNull(a.done_time))
                   .affected_rows() == 1;
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::optional<absl::Time>>
PostgresEscalationStore::NextActionDue() {
  return MinTime(pool_, queries::kNextActionDue.name);
}

absl::StatusOr<std::vector<ClaimedDelivery>>
PostgresEscalationStore::ClaimDueDeliveries(absl::Time now,
                                            absl::Time lease_until, int limit) {
  std::vector<ClaimedDelivery> claimed;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    claimed.clear();
    for (const auto& row : txn.exec_prepared(
             queries::kClaimDeliveries.name, absl::ToUnixMicros(now),
             absl::ToUnixMicros(lease_until), limit)) {
      PgCols c(row);
      ClaimedDelivery d;
      d.delivery = ReadDelivery(c);
      d.secret = c.Str();
      d.claim = c.Int();
      d.lease_until = lease_until;
      claimed.push_back(std::move(d));
    }
    return absl::OkStatus();
  }));
  std::sort(claimed.begin(), claimed.end(),
            [](const ClaimedDelivery& x, const ClaimedDelivery& y) {
              return std::make_pair(x.delivery.next_attempt, x.delivery.id) <
                     std::make_pair(y.delivery.next_attempt, y.delivery.id);
            });
  return claimed;
}

absl::StatusOr<bool> PostgresEscalationStore::FinishDelivery(
    int64_t claim, const DeliveryRecord& d) {
  bool recorded = false;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    recorded = txn.exec_prepared(queries::kFinishDelivery.name, d.id, claim,
                                 std::string(Name(d.state)), d.attempts,
                                 d.last_status_code, d.last_error,
                                 absl::ToUnixMicros(d.next_attempt),
                                 MicrosOrNull(d.deliver_time))
                   .affected_rows() == 1;
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::optional<absl::Time>>
PostgresEscalationStore::NextDeliveryDue() {
  return MinTime(pool_, queries::kNextDeliveryDue.name);
}

absl::StatusOr<std::vector<DeliveryRecord>>
PostgresEscalationStore::ListDeliveries(
    const std::string& team, std::optional<DeliveryRecord::State> state,
    int64_t before_id, int limit) {
  std::vector<DeliveryRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row : txn.exec_prepared(
             queries::kListDeliveries.name, team,
             state.has_value() ? std::string(Name(*state)) : std::string(),
             before_id, limit)) {
      PgCols c(row);
      out.push_back(ReadDelivery(c));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace cxdesk::escalation
