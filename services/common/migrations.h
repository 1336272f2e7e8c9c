#ifndef CXDESK_SERVICES_COMMON_MIGRATIONS_H_
#define CXDESK_SERVICES_COMMON_MIGRATIONS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/postgres_pool.h"

namespace cxdesk::common {

// One forward-only migration, embedded in the binary from
// db/<service>/migrations/V<version>__<name>.sql at build time.
struct Migration {
  int version;
  const char* file_name;
  const char* sql;
};

// Applies the migrations of `service` that are not yet recorded in
// public.cxdesk_schema_migrations, in version order, each in its own
// transaction together with its record. Safe when several replicas start at
// once: a session advisory lock serialises them. FAILED_PRECONDITION if an
// applied migration's text changed since (checksums differ) or the database
// holds a newer version than this binary knows.
absl::Status ApplyMigrations(PgPool& pool, const std::string& service,
                             const std::vector<Migration>& migrations);

// What a service does at start: applies `migrations` over a one-connection
// pool of its own (the main pool prepares statements on tables they
// create), then opens the main pool with `options`. Errors of both.
absl::StatusOr<std::unique_ptr<PgPool>> MigrateAndOpenPool(
    const std::string& service, const std::vector<Migration>& migrations,
    PgPool::Options options);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_MIGRATIONS_H_
