#ifndef CXDESK_SERVICES_COMMON_POSTGRES_AUDIT_STORE_H_
#define CXDESK_SERVICES_COMMON_POSTGRES_AUDIT_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/audit_store.h"
#include "services/common/postgres_pool.h"

namespace cxdesk::common {

// The audit trail of one schema in PostgreSQL (<schema>.audit_records and
// the audited tables). Each read runs in one REPEATABLE READ, READ ONLY
// transaction, so records and rows are of the same snapshot; rows are
// rendered with row_to_json in UTC, as the trigger renders them.
class PostgresAuditStore final : public AuditStore {
 public:
  // INVALID_ARGUMENT for a schema other than ticket, sla, escalation.
  static absl::StatusOr<std::unique_ptr<PostgresAuditStore>> Create(
      PgPool& pool, const std::string& schema);

  const std::string& schema() const override { return schema_; }
  const std::vector<AuditedTable>& tables() const override { return tables_; }
  absl::StatusOr<AuditStreamSnapshot> ReadStream(
      const std::string& stream) override;
  absl::StatusOr<std::vector<AuditRecord>> ExportRecords(
      const AuditExportQuery& query) override;

 private:
  PostgresAuditStore(PgPool& pool, std::string schema,
                     std::vector<AuditedTable> tables);

  PgPool& pool_;
  const std::string schema_;
  const std::vector<AuditedTable> tables_;
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_POSTGRES_AUDIT_STORE_H_
