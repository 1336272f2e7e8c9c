#include "services/common/postgres_pool.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"

namespace cxdesk::common {

absl::Status StatusFromException(const std::exception& e) {
  if (dynamic_cast<const pqxx::unique_violation*>(&e)) {
    return absl::AlreadyExistsError("already exists");
  }
  if (dynamic_cast<const pqxx::serialization_failure*>(&e) ||
      dynamic_cast<const pqxx::deadlock_detected*>(&e)) {
    return absl::AbortedError("concurrent change; retry");
  }
  if (dynamic_cast<const pqxx::foreign_key_violation*>(&e) ||
      dynamic_cast<const pqxx::check_violation*>(&e) ||
      dynamic_cast<const pqxx::not_null_violation*>(&e)) {
    CXDESK_LOG(Warning) << "constraint violation: " << e.what();
    return absl::FailedPreconditionError("the change violates a constraint");
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
      sql != nullptr && sql->sqlstate() == "57014") {
    return absl::DeadlineExceededError("database statement timed out");
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    CXDESK_LOG(Warning) << "database connection lost: " << e.what();
    return absl::UnavailableError("database unavailable");
  }
  CXDESK_LOG(Error) << "database error: " << e.what();
  return absl::InternalError("internal database error");
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> OpenConnection(
    const std::string& url) {
  try {
    auto conn = std::make_unique<pqxx::connection>(url);
    return conn;
  } catch (const std::exception& e) {
    // Connection strings may hold passwords: log the failure, not the URL.
    CXDESK_LOG(Warning) << "cannot connect to the database: " << e.what();
    return absl::UnavailableError(
        absl::StrCat("cannot connect to the database: ", e.what()));
  }
}

PgPool::PgPool(Options options) : options_(std::move(options)) {}

PgPool::~PgPool() = default;

absl::StatusOr<std::unique_ptr<PgPool>> PgPool::Create(Options options) {
  if (options.size < 1 || options.size > 512) {
    return absl::InvalidArgumentError("pool size: must be 1..512");
  }
  std::unique_ptr<PgPool> pool(new PgPool(std::move(options)));
  auto conn = pool->Open();
  if (!conn.ok()) return conn.status();
  pool->Release(*std::move(conn));
  return pool;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> PgPool::Open() {
  auto conn = OpenConnection(options_.url);
  if (!conn.ok()) return conn.status();
  try {
    pqxx::nontransaction setup(**conn);
    setup.exec(
        absl::StrCat("SET statement_timeout = ",
                     absl::ToInt64Milliseconds(options_.statement_timeout)));
    setup.commit();
    for (const NamedQuery& q : options_.queries)
      (*conn)->prepare(q.name, q.sql);
  } catch (const std::exception& e) {
    return StatusFromException(e);
  }
  return conn;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> PgPool::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_count_ < options_.size;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&ready),
                              options_.acquire_timeout)) {
      return absl::UnavailableError("database connection pool exhausted");
    }
    if (!idle_.empty()) {
      std::unique_ptr<pqxx::connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_count_;  // Reserve the slot; open outside the lock.
  }
  auto conn = Open();
  if (!conn.ok()) {
    absl::MutexLock lock(&mu_);
    --open_count_;
  }
  return conn;
}

void PgPool::Release(std::unique_ptr<pqxx::connection> conn) {
  absl::MutexLock lock(&mu_);
  if (conn != nullptr && conn->is_open()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_count_;  // Dropped; a later Acquire opens a fresh one.
  }
}

absl::Status PgPool::Transact(
    const std::function<absl::Status(pqxx::work&)>& fn) {
  constexpr int kAttempts = 3;
  absl::Status status;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    auto conn = Acquire();
    if (!conn.ok()) return conn.status();
    bool retry = false;
    try {
      pqxx::work txn(**conn);
      status = fn(txn);
      if (status.ok()) txn.commit();
      // A failed fn leaves txn uncommitted: its destructor rolls back.
    } catch (const pqxx::serialization_failure& e) {
      retry = true;
      status = StatusFromException(e);
    } catch (const pqxx::deadlock_detected& e) {
      retry = true;
      status = StatusFromException(e);
    } catch (const pqxx::broken_connection& e) {
      status = StatusFromException(e);
      conn->reset();
    } catch (const std::exception& e) {
      status = StatusFromException(e);
    }
    Release(*std::move(conn));
    if (!retry) return status;
  }
  return status;
}

absl::Status PgPool::Autocommit(
    const std::function<absl::Status(pqxx::transaction_base&)>& fn) {
  return WithConnection([&fn](pqxx::connection& conn) {
    pqxx::nontransaction txn(conn);
    return fn(txn);
  });
}

absl::Status PgPool::WithConnection(
    const std::function<absl::Status(pqxx::connection&)>& fn) {
  auto conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::Status status;
  try {
    status = fn(**conn);
  } catch (const pqxx::broken_connection& e) {
    status = StatusFromException(e);
    conn->reset();
  } catch (const std::exception& e) {
    status = StatusFromException(e);
  }
  Release(*std::move(conn));
  return status;
}

}  // namespace cxdesk::common
