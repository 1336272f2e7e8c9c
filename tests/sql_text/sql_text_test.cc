// The SQL text the services carry, pinned by SHA-256 in tests/sql_text/, so
// that an edit to a template, a fragment or the build's expansion of them
// (cmake/SqlText.cmake, cmake/EmbedQueries.cmake) shows as a failing unit
// test, not as a database that refuses to start.
//
// Migrations (<service>_migrations.sha256, in sha256sum format): the runner
// checksums each one and refuses to start when an applied migration's text
// changed, so these lines never change; a new migration adds its line (the
// expanded text is in the build folder, see cxdesk_embed_migrations).
//
// Statements (<service>_queries.sha256: "<sha256>  <prepared name>", in the
// order the pool prepares them): the text of each statement sent to
// PostgreSQL, as services/<service>/queries/*.sql give it. After changing a
// statement on purpose, rewrite the listings with
//   CXDESK_UPDATE_SQL_HASHES=1 build/tests/sql_text_test
// and let the review see which statements changed.

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/crypto.h"
#include "services/common/migrations.h"
#include "services/common/postgres_pool.h"
#include "services/escalation/postgres_escalation_store.h"
#include "services/escalation/queries.h"
#include "services/sla/postgres_sla_store.h"
#include "services/sla/queries.h"
#include "services/ticket/postgres_ticket_store.h"
#include "services/ticket/queries.h"

namespace cxdesk {
namespace {

std::string PinnedPath(const std::string& file) {
  return absl::StrCat(CXDESK_SOURCE_DIR, "/tests/sql_text/", file);
}

std::string ReadPinned(const std::string& file) {
  const std::string path = PinnedPath(file);
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

// "<sha256>  <file name>\n" per migration, as sha256sum prints them.
std::string MigrationListing(const std::vector<common::Migration>& ms) {
  std::string out;
  for (const common::Migration& m : ms) {
    absl::StrAppend(&out, common::Sha256Hex(m.sql), "  ", m.file_name, "\n");
  }
  return out;
}

// "<sha256>  <prepared name>\n" per statement.
std::string QueryListing(const std::vector<common::NamedQuery>& queries) {
  std::string out;
  for (const common::NamedQuery& q : queries) {
    absl::StrAppend(&out, common::Sha256Hex(q.sql), "  ", q.name, "\n");
  }
  return out;
}

// Whether `queries` are the statements pinned in `file`; rewrites it instead
// when CXDESK_UPDATE_SQL_HASHES is set (see the comment at the top).
void ExpectPinnedQueries(const std::vector<common::NamedQuery>& queries,
                         const std::string& file) {
  const std::string listing = QueryListing(queries);
  if (std::getenv("CXDESK_UPDATE_SQL_HASHES") != nullptr) {
    std::ofstream(PinnedPath(file)) << listing;
    return;
  }
  EXPECT_EQ(listing, ReadPinned(file))
      << "a statement changed; if on purpose, see this test's first comment";
}

TEST(SqlTextTest, TicketMigrationsAreTheAppliedText) {
  EXPECT_EQ(MigrationListing(TicketMigrations()),
            ReadPinned("ticket_migrations.sha256"));
}

TEST(SqlTextTest, SlaMigrationsAreTheAppliedText) {
  EXPECT_EQ(MigrationListing(SlaMigrations()),
            ReadPinned("sla_migrations.sha256"));
}

TEST(SqlTextTest, EscalationMigrationsAreTheAppliedText) {
  EXPECT_EQ(MigrationListing(EscalationMigrations()),
            ReadPinned("escalation_migrations.sha256"));
}

TEST(SqlTextTest, TicketStatementsArePinned) {
  ExpectPinnedQueries(ticket::queries::All(), "ticket_queries.sha256");
}

TEST(SqlTextTest, SlaStatementsArePinned) {
  ExpectPinnedQueries(sla::queries::All(), "sla_queries.sha256");
}

TEST(SqlTextTest, EscalationStatementsArePinned) {
  ExpectPinnedQueries(escalation::queries::All(), "escalation_queries.sha256");
}

}  // namespace
}  // namespace cxdesk
