// Integration tests of the audit chain against a real PostgreSQL: the
// triggers of the ticket and SLA migrations write the records, the store
// reads them, VerifyAuditStream recomputes every hash. Then the data is
// tampered with behind the services' back and the first problem is named.
#include "services/common/postgres_audit_store.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "services/common/migrations.h"
#include "services/common/testing/test_database.h"

namespace cxdesk {
// Embedded by cxdesk_embed_migrations (services/ticket, services/sla).
const std::vector<common::Migration>& TicketMigrations();
const std::vector<common::Migration>& SlaMigrations();

namespace common {
namespace {

class PostgresAuditStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> url = CreateTestDatabase("audit_store");
    ASSERT_TRUE(url.ok()) << url.status();
    auto migrator = PgPool::Create({*url, 1});
    ASSERT_TRUE(migrator.ok()) << migrator.status();
    ASSERT_TRUE(ApplyMigrations(**migrator, "ticket", TicketMigrations()).ok());
    ASSERT_TRUE(ApplyMigrations(**migrator, "sla", SlaMigrations()).ok());
    url_ = new std::string(*url);
  }

  void SetUp() override {
    ASSERT_NE(url_, nullptr) << "suite set-up failed";
    ASSERT_TRUE(TruncateSchema(*url_, "ticket").ok());
    ASSERT_TRUE(TruncateSchema(*url_, "sla").ok());
    auto pool = PgPool::Create({*url_, 2});
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    auto ticket = PostgresAuditStore::Create(*pool_, "ticket");
    ASSERT_TRUE(ticket.ok()) << ticket.status();
    ticket_ = *std::move(ticket);
    auto sla = PostgresAuditStore::Create(*pool_, "sla");
    ASSERT_TRUE(sla.ok()) << sla.status();
    sla_ = *std::move(sla);
  }

  // Runs `sql` in its own transaction (so the deferred triggers fire).
  void Exec(const std::string& sql) {
    pqxx::connection conn(*url_);
    pqxx::work txn(conn);
    txn.exec(sql);
    txn.commit();
  }

  // Runs `sql` with every trigger off: what someone with SQL access does to
  // change data without leaving a record.
  void ExecBehindTheBack(const std::string& sql) {
    Exec("SET LOCAL session_replication_role = replica; " + sql);
  }

  // A ticket and `n` events (ids 1..n), each event in its own transaction.
  void WriteEvents(int n) {
    Exec(
        "INSERT INTO ticket.customers (email, created_at)"
        " VALUES ('ana@example.com', '2026-11-01 10:00+00');"
        "INSERT INTO ticket.tickets (subject, description, kind, priority,"
        " channel, status, customer_id, created_at, updated_at,"
        " access_key_hash) VALUES ('Refund', 'd', 'complaint', 'high',"
        " 'email', 'new', 1, '2026-11-01 10:00+00', '2026-11-01 10:00+00',"
        " 'h')");
    for (int i = 1; i <= n; ++i) {
      Exec(absl::StrCat(
          "INSERT INTO ticket.events (ticket_id, ticket_version, type, actor,"
          " actor_role, created_at, subject, kind, priority, channel, status,"
          " tags, assignee, team, updated_at) VALUES (1, ",
          i, ", '", i == 1 ? "created" : "updated",
          "', 'ana', 'customer', '2026-11-01 10:00+00', 'Refund',"
          " 'complaint', 'high', 'email', 'new', '{vip}', '', '',"
          " '2026-11-01 10:00+00')"));
    }
  }

  AuditStreamVerification Verify(PostgresAuditStore& store,
                                 const std::string& stream) {
    absl::StatusOr<AuditStreamSnapshot> snapshot = store.ReadStream(stream);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status();
    if (!snapshot.ok()) return {};
    return VerifyAuditStream(stream, store.tables(), *snapshot);
  }

  static std::string* url_;
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<PostgresAuditStore> ticket_;
  std::unique_ptr<PostgresAuditStore> sla_;
};

std::string* PostgresAuditStoreTest::url_ = nullptr;

TEST_F(PostgresAuditStoreTest, TriggersChainEventsAndTheChainVerifies) {
  WriteEvents(3);
  absl::StatusOr<AuditStreamSnapshot> snapshot =
      ticket_->ReadStream("ticket.events/1");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  ASSERT_EQ(snapshot->records.size(), 3u);
  const AuditRecord& first = snapshot->records[0];
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.source_table, "ticket.events");
  EXPECT_EQ(first.op, "insert");
  EXPECT_EQ(first.source_key, "1");
  EXPECT_EQ(first.prev_hash, kAuditGenesisHash);
  // The database's hash equals the one computed here, independently.
  EXPECT_EQ(first.hash, AuditRecordHash(first));
  EXPECT_EQ(snapshot->records[1].prev_hash, first.hash);
  EXPECT_EQ(snapshot->rows["ticket.events"].size(), 3u);
  EXPECT_EQ(snapshot->rows["ticket.events"][0].payload, first.payload);

  AuditStreamVerification v = Verify(*ticket_, "ticket.events/1");
  EXPECT_EQ(v.records_checked, 3);
  EXPECT_EQ(v.rows_checked, 3);
  EXPECT_FALSE(v.problem.has_value()) << v.problem->message;
}

TEST_F(PostgresAuditStoreTest, ConfigChangesAreChainedAndNoOpUpdatesAreNot) {
  Exec(
      "INSERT INTO sla.calendars (calendar_id, time_zone, created_at,"
      " updated_at) VALUES ('office', 'Europe/Lisbon', '2026-11-01 10:00+00',"
      " '2026-11-01 10:00+00');"
      "INSERT INTO sla.calendar_hours VALUES ('office', 1, 540, 1020)");
  Exec("UPDATE sla.calendar_hours SET end_minute = 1080");
  Exec("UPDATE sla.calendar_hours SET end_minute = 1080");  // no change
  Exec("DELETE FROM sla.calendars");  // cascades to the hours
  absl::StatusOr<AuditStreamSnapshot> snapshot = sla_->ReadStream("sla.config");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  std::vector<std::string> seen;
  for (const AuditRecord& r : snapshot->records) {
    seen.push_back(
        absl::StrCat(r.seq, " ", r.op, " ", r.source_table, " ", r.source_key));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "1 insert sla.calendars office",
                      "2 insert sla.calendar_hours office,1,540",
                      "3 update sla.calendar_hours office,1,540",
                      "4 delete sla.calendars office",
                      "5 delete sla.calendar_hours office,1,540"}));
  AuditStreamVerification v = Verify(*sla_, "sla.config");
  EXPECT_FALSE(v.problem.has_value()) << v.problem->message;
  EXPECT_FALSE(Verify(*sla_, "sla.events").problem.has_value());
}

TEST_F(PostgresAuditStoreTest, EventRowAlteredWithTriggersOffIsNamed) {
  WriteEvents(3);
  ExecBehindTheBack("UPDATE ticket.events SET priority = 'low' WHERE id = 2");
  AuditStreamVerification v = Verify(*ticket_, "ticket.events/1");
  ASSERT_TRUE(v.problem.has_value());
  EXPECT_EQ(v.problem->kind, AuditProblemKind::kRowAltered);
  EXPECT_EQ(v.problem->seq, 2);
  EXPECT_EQ(v.problem->source_key, "2");
  EXPECT_EQ(v.problem->message,
            "ticket.events id 2 was altered after it was chained: its row "
            "differs from audit record ticket.events/1 #2");
}

TEST_F(PostgresAuditStoreTest, EventRowUpdatedWithTriggersOnIsNamed) {
  WriteEvents(3);
  Exec("UPDATE ticket.events SET priority = 'low' WHERE id = 1");
  AuditStreamVerification v = Verify(*ticket_, "ticket.events/1");
  ASSERT_TRUE(v.problem.has_value());
  EXPECT_EQ(v.problem->kind, AuditProblemKind::kAppendOnlyChanged);
  EXPECT_EQ(v.problem->seq, 4);
  EXPECT_EQ(v.problem->message,
            "ticket.events id 1 was updated after it was written (audit "
            "record ticket.events/1 #4): ticket.events rows never change");
}

TEST_F(PostgresAuditStoreTest, EventRowDeletedWithTriggersOffIsNamed) {
  WriteEvents(3);
  ExecBehindTheBack("DELETE FROM ticket.events WHERE id = 3");
  AuditStreamVerification v = Verify(*ticket_, "ticket.events/1");
  ASSERT_TRUE(v.problem.has_value());
  EXPECT_EQ(v.problem->kind, AuditProblemKind::kRowDeleted);
  EXPECT_EQ(v.problem->seq, 3);
}

TEST_F(PostgresAuditStoreTest, DeletedAuditRecordIsNamed) {
  WriteEvents(3);
  Exec("DELETE FROM ticket.audit_records WHERE seq = 2");
  AuditStreamVerification v = Verify(*ticket_, "ticket.events/1");
  ASSERT_TRUE(v.problem.has_value());
  EXPECT_EQ(v.problem->kind, AuditProblemKind::kRecordDeleted);
  EXPECT_EQ(v.problem->seq, 2);
  EXPECT_EQ(
      v.problem->message,
      "ticket.events/1 #2 missing before ticket.events/1 #3 (ticket.events "
      "key 3): audit records were deleted");
}

TEST_F(PostgresAuditStoreTest, AlteredAuditPayloadIsNamed) {
  WriteEvents(3);
  // Row and record altered together: the record's hash gives it away.
  ExecBehindTheBack(
      "UPDATE ticket.events SET priority = 'low' WHERE id = 2;"
      "UPDATE ticket.audit_records"
      " SET payload = replace(payload, '\"priority\":\"high\"',"
      " '\"priority\":\"low\"') WHERE seq = 2");
  AuditStreamVerification v = Verify(*ticket_, "ticket.events/1");
  ASSERT_TRUE(v.problem.has_value());
  EXPECT_EQ(v.problem->kind, AuditProblemKind::kRecordAltered);
  EXPECT_EQ(v.problem->seq, 2);
  EXPECT_EQ(v.problem->message,
            "ticket.events/1 #2 (ticket.events key 2) was altered: its hash "
            "does not match its content");
}

TEST_F(PostgresAuditStoreTest, ForgedRecordsAreNamed) {
  WriteEvents(3);
  // A record with a correct hash of its own content but not chained to #3.
  const std::string forge =
      "INSERT INTO ticket.audit_records SELECT 'ticket.events/1', 4, now(),"
      " 'ticket.events', 'insert', '9', '{\"id\":9}', p, encode(sha256("
      "convert_to(p || E'\\nticket.events/1\\n4\\nticket.events\\ninsert\\n9\\n"
      "{\"id\":9}', 'UTF8')), 'hex') FROM (SELECT ";
  Exec(forge + "repeat('0', 64) AS p) s");
  AuditStreamVerification v = Verify(*ticket_, "ticket.events/1");
  ASSERT_TRUE(v.problem.has_value());
  EXPECT_EQ(v.problem->kind, AuditProblemKind::kRecordInserted);
  EXPECT_EQ(v.problem->seq, 4);
  EXPECT_EQ(v.problem->message,
            "ticket.events/1 #4 (ticket.events key 9) was inserted or moved: "
            "its prev_hash is not the hash of #3");

  // Chained correctly, it still names a row that was never written.
  Exec("DELETE FROM ticket.audit_records WHERE seq = 4");
  Exec(forge +
       "hash AS p FROM ticket.audit_records WHERE seq = 3 AND"
       " stream = 'ticket.events/1') s");
  v = Verify(*ticket_, "ticket.events/1");
  ASSERT_TRUE(v.problem.has_value());
  EXPECT_EQ(v.problem->kind, AuditProblemKind::kRowDeleted);
  EXPECT_EQ(v.problem->seq, 4);
  EXPECT_EQ(v.problem->source_key, "9");
}

TEST_F(PostgresAuditStoreTest, ConcurrentWritersMakeOneUnbrokenChain) {
  WriteEvents(1);
  // Eight writers committing at once: the stream's advisory lock must give
  // every record the next seq and the hash of the one before.
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([this, w] {
      for (int i = 0; i < 10; ++i) {
        Exec(absl::StrCat(
            "INSERT INTO ticket.events (ticket_id, ticket_version, type,"
            " actor, actor_role, created_at, subject, kind, priority,"
            " channel, status, tags, assignee, team, updated_at) VALUES (1, ",
            100 + w * 10 + i,
            ", 'updated', 'ana', 'customer', now(), 'Refund', 'complaint',"
            " 'high', 'email', 'new', '{}', '', '', now())"));
      }
    });
  }
  for (std::thread& t : writers) t.join();
  AuditStreamVerification v = Verify(*ticket_, "ticket.events/1");
  EXPECT_EQ(v.records_checked, 81);
  EXPECT_EQ(v.rows_checked, 81);
  EXPECT_FALSE(v.problem.has_value()) << v.problem->message;
}

TEST_F(PostgresAuditStoreTest, EachTicketsEventsChainInItsOwnShard) {
  WriteEvents(2);  // ticket 1
  Exec(
      "INSERT INTO ticket.tickets (subject, description, kind, priority,"
      " channel, status, customer_id, created_at, updated_at,"
      " access_key_hash) VALUES ('Late', 'd', 'question', 'low', 'email',"
      " 'new', 1, now(), now(), 'h');"
      "INSERT INTO ticket.events (ticket_id, ticket_version, type, actor,"
      " actor_role, created_at, subject, kind, priority, channel, status,"
      " tags, assignee, team, updated_at) VALUES (2, 1, 'created', 'ana',"
      " 'customer', now(), 'Late', 'question', 'low', 'email', 'new', '{}',"
      " '', '', now())");
  EXPECT_EQ(Verify(*ticket_, "ticket.events/1").records_checked, 2);
  AuditStreamVerification second = Verify(*ticket_, "ticket.events/2");
  EXPECT_EQ(second.records_checked, 1);
  EXPECT_EQ(second.rows_checked, 1);
  EXPECT_FALSE(second.problem.has_value()) << second.problem->message;
  EXPECT_EQ(Verify(*ticket_, "ticket.events/3").records_checked, 0);

  ExecBehindTheBack("UPDATE ticket.events SET subject = 'x' WHERE id = 3");
  EXPECT_FALSE(Verify(*ticket_, "ticket.events/1").problem.has_value());
  second = Verify(*ticket_, "ticket.events/2");
  ASSERT_TRUE(second.problem.has_value());
  EXPECT_EQ(second.problem->message,
            "ticket.events id 3 was altered after it was chained: its row "
            "differs from audit record ticket.events/2 #1");

  AuditExportQuery shards;
  shards.stream = "ticket.events";  // every shard
  absl::StatusOr<std::vector<AuditRecord>> records =
      ticket_->ExportRecords(shards);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[2].stream, "ticket.events/2");
}

TEST_F(PostgresAuditStoreTest, RolledBackChangesLeaveNoRecord) {
  WriteEvents(1);
  {
    pqxx::connection conn(*url_);
    pqxx::work txn(conn);
    txn.exec(
        "INSERT INTO sla.calendars (calendar_id, time_zone, created_at,"
        " updated_at) VALUES ('gone', 'UTC', now(), now())");
    txn.abort();
  }
  absl::StatusOr<AuditStreamSnapshot> snapshot = sla_->ReadStream("sla.config");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_TRUE(snapshot->records.empty());
}

TEST_F(PostgresAuditStoreTest, ExportFiltersByStreamAndWindowAndPages) {
  WriteEvents(2);
  Exec(
      "INSERT INTO sla.calendars (calendar_id, time_zone, created_at,"
      " updated_at) VALUES ('office', 'UTC', '2026-11-01 10:00+00',"
      " '2026-11-01 10:00+00')");
  AuditExportQuery all;
  absl::StatusOr<std::vector<AuditRecord>> records =
      ticket_->ExportRecords(all);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[1].seq, 2);
  EXPECT_EQ((*records)[1].hash, AuditRecordHash((*records)[1]));

  AuditExportQuery paged;
  paged.limit = 1;
  paged.offset = 1;
  records = ticket_->ExportRecords(paged);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].seq, 2);

  AuditExportQuery later;
  later.from = (*ticket_->ExportRecords(all))[1].record_time + absl::Seconds(1);
  records = ticket_->ExportRecords(later);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_TRUE(records->empty());

  AuditExportQuery window;
  window.stream = "sla.config";
  window.from = absl::Now() - absl::Hours(1);
  window.to = absl::Now() + absl::Hours(1);
  records = sla_->ExportRecords(window);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].source_key, "office");
  window.stream = "sla.events";
  records = sla_->ExportRecords(window);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_TRUE(records->empty());
}

}  // namespace
}  // namespace common
}  // namespace cxdesk
