#ifndef CXDESK_SERVICES_COMMON_AUDIT_STORE_H_
#define CXDESK_SERVICES_COMMON_AUDIT_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/audit_chain.h"

namespace cxdesk::common {

// One stream's records and the current rows of its audited tables, read in
// one snapshot.
struct AuditStreamSnapshot {
  std::vector<AuditRecord> records;  // by seq
  // By table (schema-qualified); each table's rows by key.
  std::map<std::string, std::vector<AuditSourceRow>> rows;
};

// The verification of one stream.
struct AuditStreamVerification {
  std::string stream;
  int64_t records_checked = 0;
  int64_t rows_checked = 0;
  std::optional<AuditProblem> problem;  // the first one; none when intact
};

// Walks the chain (FirstChainProblem); if it is intact, cross-checks each
// of `tables` that belongs to `stream` (FirstRowProblem) and reports the
// problem with the lowest record seq. Pure.
AuditStreamVerification VerifyAuditStream(
    const std::string& stream, const std::vector<AuditedTable>& tables,
    const AuditStreamSnapshot& snapshot);

// Which records ExportRecords returns: stream ("" for all), record_time in
// [from, to) (each bound optional), by stream then seq, `limit` of them
// after skipping `offset`.
struct AuditExportQuery {
  std::string stream;
  std::optional<absl::Time> from;
  std::optional<absl::Time> to;
  int limit = 500;
  int64_t offset = 0;
};

// Reads one schema's audit trail. Implementations are thread-safe.
class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // "ticket", "sla" or "escalation".
  virtual const std::string& schema() const = 0;
  // The audited tables of the schema (AuditedTablesOf).
  virtual const std::vector<AuditedTable>& tables() const = 0;
  // `stream`'s records and its tables' rows in one snapshot. UNAVAILABLE /
  // INTERNAL from the database.
  virtual absl::StatusOr<AuditStreamSnapshot> ReadStream(
      const std::string& stream) = 0;
  virtual absl::StatusOr<std::vector<AuditRecord>> ExportRecords(
      const AuditExportQuery& query) = 0;
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_AUDIT_STORE_H_
