// The SQL text the services carry, pinned by SHA-256 in tests/sql_text/, so
// that an edit to a template, a fragment or the build's expansion of them
// (cmake/SqlText.cmake, cmake/EmbedQueries.cmake) shows as a failing unit
// test, not as a database that refuses to start.
//
// Migrations (<service>_migrations.sha256, in sha256sum format): the runner
// checksums each one and refuses to start when an applied migration's text
// changed, so these lines never change; a new migration adds its line (the
// expanded text is in the build folder, see cxdesk_embed_migrations).

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/crypto.h"
#include "services/common/migrations.h"
#include "services/escalation/postgres_escalation_store.h"
#include "services/sla/postgres_sla_store.h"
#include "services/ticket/postgres_ticket_store.h"

namespace cxdesk {
namespace {

std::string ReadPinned(const std::string& file) {
  const std::string path =
      absl::StrCat(CXDESK_SOURCE_DIR, "/tests/sql_text/", file);
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

}  // namespace
}  // namespace cxdesk
