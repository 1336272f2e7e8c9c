#include "services/common/testing/test_database.h"

#include <cstdlib>
#include <pqxx/pqxx>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cxdesk::common {
namespace {

// Replaces the database name in a postgresql:// URL.
std::string WithDatabase(const std::string& url, const std::string& db) {
  const size_t scheme = url.find("://");
  const size_t slash =
      url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const size_t query = url.find('?');
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  if (slash == std::string::npos) return absl::StrCat(url, "/", db);
  return absl::StrCat(url.substr(0, slash), "/", db, rest);
}

}  // namespace

absl::StatusOr<std::string> CreateTestDatabase(const std::string& suffix) {
  const char* admin = std::getenv("CXDESK_TEST_DATABASE_URL");
  if (admin == nullptr || *admin == '\0') {
    return absl::FailedPreconditionError(
        "CXDESK_TEST_DATABASE_URL is not set; run the tests through "
        "tests/run.sh, which starts a throwaway PostgreSQL");
  }
  for (char c : suffix) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return absl::InvalidArgumentError("test database suffix: [a-z0-9_] only");
    }
  }
  const std::string db = absl::StrCat("cxdesk_test_", suffix);
  try {
    pqxx::connection conn(admin);
    pqxx::nontransaction txn(conn);
    txn.exec(absl::StrCat("DROP DATABASE IF EXISTS ", db, " WITH (FORCE)"));
    txn.exec(absl::StrCat("CREATE DATABASE ", db));
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot create test database ", db, ": ", e.what()));
  }
  return WithDatabase(admin, db);
}

absl::Status TruncateSchema(const std::string& url, const std::string& schema) {
  try {
    pqxx::connection conn(url);
    if (!absl::StartsWith(conn.dbname(), "cxdesk_test_")) {
      return absl::FailedPreconditionError(
          absl::StrCat("refusing to truncate tables in '", conn.dbname(),
                       "': not a cxdesk_test_ database"));
    }
    pqxx::work txn(conn);
    pqxx::result tables = txn.exec_params(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) "
        "FROM pg_tables WHERE schemaname = $1",
        schema);
    std::vector<std::string> names;
    for (const auto& row : tables) names.push_back(row[0].as<std::string>());
    if (!names.empty()) {
      txn.exec(absl::StrCat("TRUNCATE ", absl::StrJoin(names, ", "),
                            " RESTART IDENTITY CASCADE"));
    }
    txn.commit();
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("truncate ", schema, ": ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace cxdesk::common
