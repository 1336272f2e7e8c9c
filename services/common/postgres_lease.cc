#include "services/common/postgres_lease.h"

#include <pqxx/pqxx>
#include <utility>

#include "services/common/postgres_pool.h"
#include "services/common/status_macros.h"

namespace cxdesk::common {

SessionLock::SessionLock(std::unique_ptr<pqxx::connection> conn, int32_t space,
                         int32_t key)
    : conn_(std::move(conn)), space_(space), key_(key) {}

SessionLock::~SessionLock() {
  try {
    pqxx::nontransaction txn(*conn_);
    txn.exec_params("SELECT pg_advisory_unlock($1, $2)", space_, key_);
  } catch (const std::exception&) {
    // The connection is gone, and the lock with it.
  }
}

bool SessionLock::Alive() {
  try {
    pqxx::nontransaction txn(*conn_);
    txn.exec("SELECT 1");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

absl::StatusOr<std::unique_ptr<SessionLock>> TryAcquireSessionLock(
    const std::string& url, int32_t space, int32_t key) {
  CXDESK_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> conn,
                          OpenConnection(url));
  try {
    pqxx::nontransaction txn(*conn);
    const bool got =
        txn.exec_params1("SELECT pg_try_advisory_lock($1, $2)", space, key)[0]
            .as<bool>();
    if (!got) return nullptr;
  } catch (const std::exception& e) {
    return StatusFromException(e);
  }
  return std::make_unique<SessionLock>(std::move(conn), space, key);
}

}  // namespace cxdesk::common
