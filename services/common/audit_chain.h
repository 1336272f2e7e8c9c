#ifndef CXDESK_SERVICES_COMMON_AUDIT_CHAIN_H_
#define CXDESK_SERVICES_COMMON_AUDIT_CHAIN_H_

// The hash-chained audit trail (db/common/audit_chain.sql.in, expanded into
// each schema's V*__audit_chain.sql): the record format, the hash, and the walk
// that finds the first problem of a stream. Pure: no I/O, so the walk is tested
// without a database.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cxdesk::common {

// The prev_hash of a stream's first record: 64 zeros.
inline constexpr char kAuditGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// One row of <schema>.audit_records.
struct AuditRecord {
  std::string stream;
  int64_t seq = 0;
  absl::Time record_time;
  std::string source_table;  // schema-qualified, "ticket.events"
  std::string op;            // "insert", "update" or "delete"
  std::string source_key;    // primary key values joined by ','
  std::string payload;       // row_to_json text (UTC)
  std::string prev_hash;
  std::string hash;
};

// The text that is hashed:
//   prev_hash \n stream \n seq \n source_table \n op \n source_key \n payload
// (seq in decimal, no trailing newline). The migrations compute the same.
std::string AuditCanonicalString(const AuditRecord& record);

// Lower-case hex SHA-256 of AuditCanonicalString(record).
std::string AuditRecordHash(const AuditRecord& record);

enum class AuditProblemKind {
  kRecordAltered,      // hash does not match the content
  kRecordDeleted,      // a seq is missing
  kRecordInserted,     // prev_hash is not the previous record's hash
  kRowAltered,         // the row differs from its latest record's payload
  kRowDeleted,         // the records say the row exists, it does not
  kRowUnrecorded,      // a row without a record (or after its delete)
  kAppendOnlyChanged,  // an update/delete record on an append-only table
};

// The first problem found in a stream. `seq` is 0 for a row with no record.
struct AuditProblem {
  AuditProblemKind kind = AuditProblemKind::kRecordAltered;
  int64_t seq = 0;
  std::string source_table;
  std::string source_key;
  std::string message;  // one sentence naming stream, record, table and key
};

// One audited table: which stream chains it, its primary key columns (in
// the order the trigger joins them) and whether its rows never change.
struct AuditedTable {
  std::string stream;
  std::string table;  // schema-qualified
  std::vector<std::string> key_columns;
  bool append_only = false;
  // A hot table is chained in `shards` streams "<stream>/0" .. "<stream>/N-1"
  // by `shard_column` modulo N (a ticket's events all in one), so that its
  // writers do not all wait for one another's commits. 1: one stream.
  std::string shard_column;
  int shards = 1;
};

// The stream names `table` is chained in: its stream, or its shards'.
std::vector<std::string> AuditStreamsOf(const AuditedTable& table);

// Whether `stream` holds rows of `table`; for a shard, `*shard` is its
// number (else -1).
bool AuditTableInStream(const AuditedTable& table, const std::string& stream,
                        int* shard);

// The audited tables of `schema` ("ticket", "sla", "escalation"), as the
// migrations declare them. INVALID_ARGUMENT for another schema.
absl::StatusOr<std::vector<AuditedTable>> AuditedTablesOf(
    const std::string& schema);

// A current row of an audited table: its key (as the trigger makes it) and
// its row_to_json text in UTC.
struct AuditSourceRow {
  std::string key;
  std::string payload;
};

// Walks the records of one stream, sorted by seq, and returns the first
// problem: a seq gap (kRecordDeleted, seq = the first missing one; the first
// record must be #1), a hash that does not match (kRecordAltered), a
// prev_hash that is not the previous record's hash (kRecordInserted).
// nullopt when the chain is intact.
std::optional<AuditProblem> FirstChainProblem(
    const std::vector<AuditRecord>& records);

// Compares the current rows of `table` with the records of its stream
// (sorted by seq; records of other tables are ignored) and returns the
// problem with the lowest record seq (rows without a record last, by key):
// an update or delete record on an append-only table; a row whose payload
// differs from its key's latest record; a key whose latest record is not a
// delete but whose row is gone; a row with no record or deleted by its
// latest record.
std::optional<AuditProblem> FirstRowProblem(
    const AuditedTable& table, const std::vector<AuditRecord>& records,
    const std::vector<AuditSourceRow>& rows);

// "ticket.events id 42", "sla.calendar_hours (calendar_id, weekday,
// start_minute) (c1, 1, 540)": how messages name a row.
std::string DescribeAuditRow(const AuditedTable& table, const std::string& key);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_AUDIT_CHAIN_H_
