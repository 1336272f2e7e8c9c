#ifndef CXDESK_SERVICES_ESCALATION_POSTGRES_ESCALATION_ROWS_H_
#define CXDESK_SERVICES_ESCALATION_POSTGRES_ESCALATION_ROWS_H_

// What the files of PostgresEscalationStore share, and nothing else should
// use: each table's row read back into the domain type (columns in the
// order of the @*_columns@ fragments of queries/escalation.sql), parameter
// encodings, and the checks and reads more than one file needs. Called inside
// the store's pool callbacks, whose exceptions PgPool maps.

#include <cstdint>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/pg_values.h"
#include "services/common/postgres_pool.h"
#include "services/escalation/escalation.h"
#include "services/escalation/routing.h"

namespace cxdesk::escalation::pg_rows {

// ---- parameters ----

// Microseconds since the epoch, or NULL.
std::optional<int64_t> MicrosOrNull(const std::optional<absl::Time>& t);
// A bigint[] literal, e.g. "{1,2,3}".
std::string IntArray(const std::vector<int64_t>& values);

// ---- checks of the CRUD writes ----

// NOT_FOUND naming `what` and `id` if `rows` (a locked version read) is
// empty; ABORTED (stale etag) if `expected` is set and differs from the
// stored version in rows[0][0]; OK otherwise.
absl::Status CheckVersion(const pqxx::result& rows,
                          std::optional<int64_t> expected,
                          absl::string_view what, const std::string& id);
// NOT_FOUND: "<what> <id> not found".
absl::Status NotFound(absl::string_view what, const std::string& id);

// ---- rows ----

TeamRecord ReadTeam(const pqxx::row& row);        // @team_columns@
AgentRecord ReadAgent(const pqxx::row& row);      // @agent_columns@
RuleRecord ReadRule(const pqxx::row& row);        // @rule_columns@
TicketView ReadTicketView(const pqxx::row& row);  // @ticket_columns@
Decision ReadDecision(const pqxx::row& row);      // @decision_columns@
ActionRecord ReadAction(const pqxx::row& row);    // @action_columns@
CycleState ReadCycle(const pqxx::row& row);       // @cycle_columns@
// @escalation_columns@, without the action results (AttachResults).
EscalationRecord ReadEscalation(const pqxx::row& row);
// @notification_columns@, with the (xid, id) cursor.
NotificationRecord ReadNotification(const pqxx::row& row);
// @delivery_columns@ from `c`'s position on, leaving `c` after them
// (claims read the team's secret and the claim token next).
DeliveryRecord ReadDelivery(common::PgCols& c);

// ---- reads more than one file needs ----

// Fills each step's action results from the action outbox, in one read.
void AttachResults(pqxx::transaction_base& txn,
                   std::vector<EscalationRecord>& steps);
// Open tickets per agent of `agents` (an agent with none is absent).
std::map<std::string, int> ReadOpenTickets(
    pqxx::transaction_base& txn, const std::vector<std::string>& agents);
// The tickets waiting in `team`'s queue, unordered.
std::vector<QueuedTicket> ReadQueue(pqxx::transaction_base& txn,
                                    const std::string& team);
// The instant `statement` (no parameters, one CXDESK_US column, NULL for
// none) reads; the pool's errors.
absl::StatusOr<std::optional<absl::Time>> MinTime(common::PgPool& pool,
                                                  const char* statement);

}  // namespace cxdesk::escalation::pg_rows

#endif  // CXDESK_SERVICES_ESCALATION_POSTGRES_ESCALATION_ROWS_H_
