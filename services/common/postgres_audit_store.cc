#include "services/common/postgres_audit_store.h"

#include <pqxx/pqxx>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/pg_values.h"
#include "services/common/status_macros.h"

namespace cxdesk::common {
namespace {

// The schema and table names below come from AuditedTablesOf (constants),
// never from a request: they are the only text put into the SQL.
constexpr char kRecordColumns[] =
    "stream, seq, " CXDESK_US("record_time") ", source_table, op, source_key,"
    " payload, prev_hash, hash";

// A snapshot that sees records and rows as of one moment, and renders
// timestamps as the trigger did.
void BeginSnapshot(pqxx::work& txn) {
  txn.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  txn.exec("SET LOCAL timezone TO 'UTC'");
}

AuditRecord RecordOf(const pqxx::row& row) {
  PgCols c(row);
  AuditRecord r;
  r.stream = c.Str();
  r.seq = c.Int();
  r.record_time = c.Time();
  r.source_table = c.Str();
  r.op = c.Str();
  r.source_key = c.Str();
  r.payload = c.Str();
  r.prev_hash = c.Str();
  r.hash = c.Str();
  return r;
}

// SQL: the row's key as the trigger joins it.
std::string KeyExpression(const AuditedTable& table) {
  std::vector<std::string> parts;
  for (const std::string& column : table.key_columns) {
    parts.push_back(
        absl::StrCat("coalesce(to_jsonb(t) ->> '", column, "', '')"));
  }
  return absl::StrJoin(parts, " || ',' || ");
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresAuditStore>> PostgresAuditStore::Create(
    PgPool& pool, const std::string& schema) {
  CXDESK_ASSIGN_OR_RETURN(std::vector<AuditedTable> tables,
                          AuditedTablesOf(schema));
  return std::unique_ptr<PostgresAuditStore>(
      new PostgresAuditStore(pool, schema, std::move(tables)));
}

PostgresAuditStore::PostgresAuditStore(PgPool& pool, std::string schema,
                                       std::vector<AuditedTable> tables)
    : pool_(pool), schema_(std::move(schema)), tables_(std::move(tables)) {}

absl::StatusOr<AuditStreamSnapshot> PostgresAuditStore::ReadStream(
    const std::string& stream) {
  AuditStreamSnapshot snapshot;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    snapshot = AuditStreamSnapshot();
    BeginSnapshot(txn);
    const pqxx::result records = txn.exec_params(
        absl::StrCat("SELECT ", kRecordColumns, " FROM ", schema_,
                     ".audit_records WHERE stream = $1 ORDER BY seq"),
        stream);
    snapshot.records.reserve(records.size());
    for (const pqxx::row& row : records) {
      snapshot.records.push_back(RecordOf(row));
    }
    for (const AuditedTable& table : tables_) {
      int shard = -1;
      if (!AuditTableInStream(table, stream, &shard)) continue;
      // The names come from AuditedTablesOf, never from a request.
      const std::string where =
          shard < 0 ? ""
                    : absl::StrCat(" WHERE t.", table.shard_column, " % ",
                                   table.shards, " = ", shard);
      const pqxx::result rows = txn.exec(
          absl::StrCat("SELECT ", KeyExpression(table),
                       ", row_to_json(t)::text FROM ", table.table, " t", where,
                       " ORDER BY ", absl::StrJoin(table.key_columns, ", ")));
      std::vector<AuditSourceRow>& out = snapshot.rows[table.table];
      out.reserve(rows.size());
      for (const pqxx::row& row : rows) {
        PgCols c(row);
        AuditSourceRow source;
        source.key = c.Str();
        source.payload = c.Str();
        out.push_back(std::move(source));
      }
    }
    return absl::OkStatus();
  }));
  return snapshot;
}

absl::StatusOr<std::vector<AuditRecord>> PostgresAuditStore::ExportRecords(
    const AuditExportQuery& query) {
  std::vector<AuditRecord> records;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    records.clear();
    BeginSnapshot(txn);
    const pqxx::result rows = txn.exec_params(
        absl::StrCat(
            "SELECT ", kRecordColumns, " FROM ", schema_,
            ".audit_records WHERE ($1 = '' OR stream = $1"
            " OR stream LIKE $1 || '/%')"
            " AND (NOT $2 OR record_time >= " CXDESK_TS(
                "$3") ")"
                      " AND (NOT $4 OR record_time < " CXDESK_TS(
                          "$5") ")"
                                " ORDER BY stream, seq LIMIT $6 OFFSET $7"),
        query.stream, query.from.has_value(),
        query.from.has_value() ? absl::ToUnixMicros(*query.from) : 0,
        query.to.has_value(),
        query.to.has_value() ? absl::ToUnixMicros(*query.to) : 0, query.limit,
        query.offset);
    for (const pqxx::row& row : rows) records.push_back(RecordOf(row));
    return absl::OkStatus();
  }));
  return records;
}

}  // namespace cxdesk::common
