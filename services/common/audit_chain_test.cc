#include "services/common/audit_chain.h"

#include <gtest/gtest.h>

#include <vector>

namespace cxdesk::common {
namespace {

// A chained record of "ticket.events" (or the given stream) for row `key`.
AuditRecord Record(int64_t seq, const std::string& prev, std::string key,
                   std::string payload, std::string op = "insert",
                   std::string table = "ticket.events") {
  AuditRecord r;
  r.stream = "ticket.events";
  r.seq = seq;
  r.source_table = std::move(table);
  r.op = std::move(op);
  r.source_key = std::move(key);
  r.payload = std::move(payload);
  r.prev_hash = prev;
  r.hash = AuditRecordHash(r);
  return r;
}

std::vector<AuditRecord> Chain(int n) {
  std::vector<AuditRecord> records;
  std::string prev = kAuditGenesisHash;
  for (int i = 1; i <= n; ++i) {
    records.push_back(Record(i, prev, std::to_string(i),
                             "{\"id\":" + std::to_string(i) + "}"));
    prev = records.back().hash;
  }
  return records;
}

const AuditedTable kEvents{"ticket.events", "ticket.events", {"id"}, true};
const AuditedTable kHours{"sla.config",
                          "sla.calendar_hours",
                          {"calendar_id", "weekday", "start_minute"},
                          false};

TEST(AuditHashTest, MatchesAnIndependentSha256) {
  // Computed with coreutils, not with this code:
  //   printf '%s\n%s\n%s\n%s\n%s\n%s\n%s' <64 zeros> ticket.events 1
  //     ticket.events insert 1 '{"id":1}' | sha256sum
  AuditRecord r = Record(1, kAuditGenesisHash, "1", "{\"id\":1}");
  EXPECT_EQ(AuditCanonicalString(r),
            std::string(kAuditGenesisHash) +
                "\nticket.events\n1\nticket.events\ninsert\n1\n{\"id\":1}");
  EXPECT_EQ(r.hash,
            "b0393ef72f77f3d3f2a0649caad03463bd4444c8529cec9e902ec7cea3e653aa");
}

TEST(AuditChainTest, IntactChainHasNoProblem) {
  EXPECT_FALSE(FirstChainProblem(Chain(5)).has_value());
  EXPECT_FALSE(FirstChainProblem({}).has_value());
}

TEST(AuditChainTest, AlteredPayloadIsNamedWithItsSeq) {
  std::vector<AuditRecord> records = Chain(5);
  records[2].payload = "{\"id\":3,\"x\":1}";
  auto problem = FirstChainProblem(records);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->kind, AuditProblemKind::kRecordAltered);
  EXPECT_EQ(problem->seq, 3);
  EXPECT_EQ(problem->message,
            "ticket.events #3 (ticket.events key 3) was altered: its hash "
            "does not match its content");
}

TEST(AuditChainTest, DeletedRecordIsTheFirstMissingSeq) {
  std::vector<AuditRecord> records = Chain(5);
  records.erase(records.begin() + 1, records.begin() + 3);  // #2, #3
  auto problem = FirstChainProblem(records);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->kind, AuditProblemKind::kRecordDeleted);
  EXPECT_EQ(problem->seq, 2);
  EXPECT_EQ(problem->message,
            "ticket.events #2..#3 missing before ticket.events #4 "
            "(ticket.events key 4): audit records were deleted");
}

TEST(AuditChainTest, MissingFirstRecordIsDeleted) {
  std::vector<AuditRecord> records = Chain(3);
  records.erase(records.begin());
  auto problem = FirstChainProblem(records);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->kind, AuditProblemKind::kRecordDeleted);
  EXPECT_EQ(problem->seq, 1);
}

TEST(AuditChainTest, ForgedRecordWithItsOwnHashIsInserted) {
  std::vector<AuditRecord> records = Chain(3);
  // A forger recomputes the hash but cannot know the chain: wrong prev_hash.
  records.push_back(Record(4, kAuditGenesisHash, "99", "{\"id\":99}"));
  auto problem = FirstChainProblem(records);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->kind, AuditProblemKind::kRecordInserted);
  EXPECT_EQ(problem->seq, 4);
  EXPECT_EQ(problem->message,
            "ticket.events #4 (ticket.events key 99) was inserted or moved: "
            "its prev_hash is not the hash of #3");
}

TEST(AuditChainTest, SwappedRecordsAreFoundAtTheFirstOfThem) {
  std::vector<AuditRecord> records = Chain(4);
  // Swap #2 and #3 and renumber them, each rehashed: content-consistent.
  AuditRecord a =
      Record(2, records[0].hash, records[2].source_key, records[2].payload);
  AuditRecord b =
      Record(3, records[1].hash, records[1].source_key, records[1].payload);
  records[1] = a;
  records[2] = b;
  auto problem = FirstChainProblem(records);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->kind, AuditProblemKind::kRecordInserted);
  EXPECT_EQ(problem->seq, 3);
}

TEST(AuditRowsTest, IntactRowsHaveNoProblem) {
  std::vector<AuditRecord> records = Chain(3);
  EXPECT_FALSE(
      FirstRowProblem(
          kEvents, records,
          {{"1", "{\"id\":1}"}, {"2", "{\"id\":2}"}, {"3", "{\"id\":3}"}})
          .has_value());
}

TEST(AuditRowsTest, AlteredEventRowNamesItsRecord) {
  auto problem = FirstRowProblem(
      kEvents, Chain(3),
      {{"1", "{\"id\":1}"}, {"2", "{\"id\":2,\"x\":1}"}, {"3", "{\"id\":3}"}});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->kind, AuditProblemKind::kRowAltered);
  EXPECT_EQ(problem->seq, 2);
  EXPECT_EQ(problem->source_key, "2");
  EXPECT_EQ(problem->message,
            "ticket.events id 2 was altered after it was chained: its row "
            "differs from audit record ticket.events #2");
}

TEST(AuditRowsTest, DeletedAndUnrecordedRows) {
  auto deleted = FirstRowProblem(kEvents, Chain(3),
                                 {{"1", "{\"id\":1}"}, {"3", "{\"id\":3}"}});
  ASSERT_TRUE(deleted.has_value());
  EXPECT_EQ(deleted->kind, AuditProblemKind::kRowDeleted);
  EXPECT_EQ(deleted->seq, 2);
  EXPECT_EQ(deleted->message,
            "ticket.events id 2 was deleted behind the chain's back: audit "
            "record ticket.events #2 chains it but the row is gone");

  auto unrecorded = FirstRowProblem(kEvents, Chain(1),
                                    {{"1", "{\"id\":1}"}, {"7", "{\"id\":7}"}});
  ASSERT_TRUE(unrecorded.has_value());
  EXPECT_EQ(unrecorded->kind, AuditProblemKind::kRowUnrecorded);
  EXPECT_EQ(unrecorded->seq, 0);
  EXPECT_EQ(unrecorded->message,
            "ticket.events id 7 was written behind the chain's back: no audit "
            "record chains it");
}

TEST(AuditRowsTest, UpdateOfAnAppendOnlyRowIsAProblem) {
  std::vector<AuditRecord> records = Chain(2);
  records.push_back(
      Record(3, records[1].hash, "1", "{\"id\":1,\"x\":2}", "update"));
  auto problem = FirstRowProblem(
      kEvents, records, {{"1", "{\"id\":1,\"x\":2}"}, {"2", "{\"id\":2}"}});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->kind, AuditProblemKind::kAppendOnlyChanged);
  EXPECT_EQ(problem->seq, 3);
  EXPECT_EQ(problem->message,
            "ticket.events id 1 was updated after it was written (audit "
            "record ticket.events #3): ticket.events rows never change");
}

TEST(AuditRowsTest, UpdatableTableFollowsTheLatestRecord) {
  std::string prev = kAuditGenesisHash;
  std::vector<AuditRecord> records;
  for (auto [op, payload] : std::vector<std::pair<std::string, std::string>>{
           {"insert", "{\"end\":600}"},
           {"update", "{\"end\":700}"},
           {"delete", "{\"end\":700}"},
           {"insert", "{\"end\":800}"}}) {
    records.push_back(Record(records.size() + 1, prev, "c1,1,540", payload, op,
                             "sla.calendar_hours"));
    prev = records.back().hash;
  }
  EXPECT_FALSE(FirstRowProblem(kHours, records, {{"c1,1,540", "{\"end\":800}"}})
                   .has_value());
  auto altered =
      FirstRowProblem(kHours, records, {{"c1,1,540", "{\"end\":700}"}});
  ASSERT_TRUE(altered.has_value());
  EXPECT_EQ(altered->seq, 4);
  EXPECT_EQ(altered->message,
            "sla.calendar_hours (calendar_id, weekday, start_minute) (c1, 1, "
            "540) was altered after it was chained: its row differs from "
            "audit record ticket.events #4");

  records.pop_back();  // the row now exists after its delete
  auto unrecorded =
      FirstRowProblem(kHours, records, {{"c1,1,540", "{\"end\":800}"}});
  ASSERT_TRUE(unrecorded.has_value());
  EXPECT_EQ(unrecorded->kind, AuditProblemKind::kRowUnrecorded);
  EXPECT_EQ(unrecorded->seq, 3);
}

TEST(AuditedTablesTest, KnowsTheThreeSchemas) {
  EXPECT_EQ(AuditedTablesOf("ticket")->size(), 1u);
  EXPECT_EQ(AuditedTablesOf("sla")->size(), 6u);
  EXPECT_EQ(AuditedTablesOf("escalation")->size(), 7u);
  EXPECT_EQ(AuditedTablesOf("billing").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cxdesk::common
