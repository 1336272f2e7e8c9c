#include "services/common/audit_store.h"

namespace cxdesk::common {

AuditStreamVerification VerifyAuditStream(
    const std::string& stream, const std::vector<AuditedTable>& tables,
    const AuditStreamSnapshot& snapshot) {
  AuditStreamVerification result;
  result.stream = stream;
  result.records_checked = static_cast<int64_t>(snapshot.records.size());
  for (const auto& [table, rows] : snapshot.rows) {
    result.rows_checked += static_cast<int64_t>(rows.size());
  }
  result.problem = FirstChainProblem(snapshot.records);
  if (result.problem.has_value()) return result;
  // A broken chain makes every row comparison suspect: the rows are only
  // compared once the records themselves are sound.
  int64_t best_at = 0;
  static const std::vector<AuditSourceRow> kNone;
  for (const AuditedTable& table : tables) {
    int shard = -1;
    if (!AuditTableInStream(table, stream, &shard)) continue;
    auto it = snapshot.rows.find(table.table);
    std::optional<AuditProblem> p =
        FirstRowProblem(table, snapshot.records,
                        it == snapshot.rows.end() ? kNone : it->second);
    if (!p.has_value()) continue;
    // Rows without a record (seq 0) come after every recorded problem.
    const int64_t at = p->seq == 0 ? INT64_MAX : p->seq;
    if (!result.problem.has_value() || at < best_at) {
      result.problem = std::move(p);
      best_at = at;
    }
  }
  return result;
}

}  // namespace cxdesk::common
