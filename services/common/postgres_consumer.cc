#include "services/common/postgres_consumer.h"

#include <pqxx/pqxx>
#include <utility>

#include "services/common/postgres_lease.h"
#include "services/common/status_macros.h"

namespace cxdesk::common {

absl::StatusOr<std::unique_ptr<Lease>> TryAcquireConsumerLease(
    const PgPool& pool, int32_t space, int64_t key) {
  CXDESK_ASSIGN_OR_RETURN(
      std::unique_ptr<SessionLock> lock,
      TryAcquireSessionLock(pool.url(), space, static_cast<int32_t>(key)));
  return std::unique_ptr<Lease>(std::move(lock));
}

absl::StatusOr<std::string> ReadConsumerCursor(PgPool& pool,
                                               const char* statement,
                                               const std::string& consumer) {
  std::string cursor;
  CXDESK_RETURN_IF_ERROR(pool.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(statement, consumer);
    cursor = rows.empty() ? "" : rows[0][0].as<std::string>();
    return absl::OkStatus();
  }));
  return cursor;
}

}  // namespace cxdesk::common
