#ifndef CXDESK_SERVICES_COMMON_POSTGRES_POOL_H_
#define CXDESK_SERVICES_COMMON_POSTGRES_POOL_H_

#include <exception>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cxdesk::common {

// A named, parameterised SQL statement, prepared on every pooled connection.
struct NamedQuery {
  const char* name;
  const char* sql;
};

// Maps a libpqxx (or std) exception to a status: unique violation ->
// ALREADY_EXISTS, serialization failure / deadlock -> ABORTED, broken
// connection -> UNAVAILABLE, statement timeout -> DEADLINE_EXCEEDED, foreign
// key / check violation -> FAILED_PRECONDITION, anything else -> INTERNAL with
// a generic message (the detail is logged). The one place that does so.
absl::Status StatusFromException(const std::exception& e);

// A fixed-size pool of PostgreSQL connections. Connections are opened lazily
// and reopened after they break. Thread-safe.
class PgPool {
 public:
  struct Options {
    std::string url;
    int size = 8;
    // How long Transact waits for a free connection before UNAVAILABLE.
    absl::Duration acquire_timeout = absl::Seconds(5);
    // Server-side statement_timeout for every statement.
    absl::Duration statement_timeout = absl::Seconds(10);
    // Prepared on every connection as it opens.
    std::vector<NamedQuery> queries;
  };

  // Opens one connection to check the URL. UNAVAILABLE if the database
  // cannot be reached, INVALID_ARGUMENT for a bad size.
  static absl::StatusOr<std::unique_ptr<PgPool>> Create(Options options);

  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Runs `fn` in one read-committed transaction and commits if it returns OK;
  // a non-OK status rolls back and is returned as is. Serialization failures
  // and deadlocks are retried (3 attempts in all) before ABORTED; other
  // exceptions are mapped by StatusFromException. `fn` may run more than
  // once, so it must not have effects outside the transaction.
  absl::Status Transact(const std::function<absl::Status(pqxx::work&)>& fn);

  // Runs `fn` in autocommit mode (no BEGIN/COMMIT round trips): each
  // statement is its own transaction. For reads that need no common snapshot
  // and for writes that are a single statement. Exceptions are mapped by
  // StatusFromException; nothing is retried.
  absl::Status Autocommit(
      const std::function<absl::Status(pqxx::transaction_base&)>& fn);

  // Runs `fn` on a raw connection outside any transaction (for LISTEN,
  // advisory locks, DDL that manages its own transactions).
  absl::Status WithConnection(
      const std::function<absl::Status(pqxx::connection&)>& fn);

  const std::string& url() const { return options_.url; }

 private:
  explicit PgPool(Options options);
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Open();
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Acquire();
  void Release(std::unique_ptr<pqxx::connection> conn);

  const Options options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_count_ ABSL_GUARDED_BY(mu_) = 0;
};

// Opens a single connection with the pool's session settings; for long-lived
// dedicated connections (listeners).
absl::StatusOr<std::unique_ptr<pqxx::connection>> OpenConnection(
    const std::string& url);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_POSTGRES_POOL_H_
