#include "services/common/migrations.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/crypto.h"
#include "services/common/log.h"
#include "services/common/postgres_pool.h"
#include "services/common/status_macros.h"

namespace cxdesk::common {
namespace {

constexpr const char* kCreateTable = R"sql(
CREATE TABLE IF NOT EXISTS public.cxdesk_schema_migrations (
  service    text        NOT NULL,
  version    integer     NOT NULL,
  file_name  text        NOT NULL,
  checksum   text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT cxdesk_schema_migrations_pk PRIMARY KEY (service, version)
))sql";

// One lock id for all services: migrations are rare and short.
constexpr const char* kLock = "SELECT pg_advisory_lock(7101000)";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock(7101000)";

}  // namespace

absl::Status ApplyMigrations(PgPool& pool, const std::string& service,
                             const std::vector<Migration>& migrations) {
  return pool.WithConnection([&](pqxx::connection& conn) -> absl::Status {
    {
      pqxx::nontransaction lock(conn);
      lock.exec(kLock);
    }
    absl::Status status = [&]() -> absl::Status {
      try {
        {
          pqxx::work txn(conn);
          txn.exec(kCreateTable);
          txn.commit();
        }
        std::map<int, std::string> applied;
        {
          pqxx::work txn(conn);
          pqxx::result rows = txn.exec_params(
              "SELECT version, checksum FROM public.cxdesk_schema_migrations "
              "WHERE service = $1",
              service);
          for (const auto& row : rows) {
            applied[row[0].as<int>()] = row[1].as<std::string>();
          }
        }
        for (const Migration& m : migrations) {
          const std::string checksum = Sha256Hex(m.sql);
          auto it = applied.find(m.version);
          if (it != applied.end()) {
            if (it->second != checksum) {
              return absl::FailedPreconditionError(
                  absl::StrCat("migration ", m.file_name, " of ", service,
                               " changed after it was applied; add a new "
                               "migration instead"));
            }
            applied.erase(it);
            continue;
          }
          pqxx::work txn(conn);
          txn.exec(m.sql);
          txn.exec_params(
              "INSERT INTO public.cxdesk_schema_migrations "
              "(service, version, file_name, checksum) VALUES ($1, $2, $3, $4)",
              service, m.version, m.file_name, checksum);
          txn.commit();
          CXDESK_LOG(Info) << "applied migration " << m.file_name;
        }
        if (!applied.empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("the database has migration version ",
                           applied.rbegin()->first, " of ", service,
                           ", which this binary does not know; upgrade it"));
        }
        return absl::OkStatus();
      } catch (const std::exception& e) {
        // Caught here, not by the pool, so the lock below is always released.
        return StatusFromException(e);
      }
    }();
    pqxx::nontransaction unlock(conn);
    unlock.exec(kUnlock);
    return status;
  });
}

absl::StatusOr<std::unique_ptr<PgPool>> MigrateAndOpenPool(
    const std::string& service, const std::vector<Migration>& migrations,
    PgPool::Options options) {
  {
    CXDESK_ASSIGN_OR_RETURN(std::unique_ptr<PgPool> migrator,
                            PgPool::Create({options.url, 1}));
    CXDESK_RETURN_IF_ERROR(ApplyMigrations(*migrator, service, migrations));
  }
  return PgPool::Create(std::move(options));
}

}  // namespace cxdesk::common
