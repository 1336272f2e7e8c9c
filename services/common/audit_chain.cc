#include "services/common/audit_chain.h"

#include <limits>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/crypto.h"
#include "services/common/text.h"

namespace cxdesk::common {
namespace {

// "ticket.events #17"
std::string RecordName(const AuditRecord& r) {
  return absl::StrCat(r.stream, " #", r.seq);
}

AuditProblem MakeProblem(AuditProblemKind kind, int64_t seq,
                         const std::string& table, const std::string& key,
                         std::string message) {
  AuditProblem p;
  p.kind = kind;
  p.seq = seq;
  p.source_table = table;
  p.source_key = key;
  p.message = std::move(message);
  return p;
}

}  // namespace

std::vector<std::string> AuditStreamsOf(const AuditedTable& table) {
  if (table.shards <= 1) return {table.stream};
  std::vector<std::string> out;
  for (int i = 0; i < table.shards; ++i) {
    out.push_back(absl::StrCat(table.stream, "/", i));
  }
  return out;
}

bool AuditTableInStream(const AuditedTable& table, const std::string& stream,
                        int* shard) {
  *shard = -1;
  if (table.shards <= 1) return stream == table.stream;
  const std::string prefix = table.stream + "/";
  if (stream.compare(0, prefix.size(), prefix) != 0) return false;
  int n = 0;
  if (!absl::SimpleAtoi(stream.substr(prefix.size()), &n) || n < 0 ||
      n >= table.shards || absl::StrCat(n) != stream.substr(prefix.size())) {
    return false;
  }
  *shard = n;
  return true;
}

std::string AuditCanonicalString(const AuditRecord& r) {
  return absl::StrCat(r.prev_hash, "\n", r.stream, "\n", r.seq, "\n",
                      r.source_table, "\n", r.op, "\n", r.source_key, "\n",
                      r.payload);
}

std::string AuditRecordHash(const AuditRecord& record) {
  return Sha256Hex(AuditCanonicalString(record));
}

absl::StatusOr<std::vector<AuditedTable>> AuditedTablesOf(
    const std::string& schema) {
  // Must match the triggers of db/common/audit_chain.sql.in (ticket: its own
  // V0004__audit_chain.sql.in).
  if (schema == "ticket") {
    return std::vector<AuditedTable>{
        {"ticket.events", "ticket.events", {"id"}, true, "ticket_id", 16}};
  }
  if (schema == "sla") {
    return std::vector<AuditedTable>{
        {"sla.events", "sla.events", {"id"}, true},
        {"sla.config", "sla.calendars", {"calendar_id"}, false},
        {"sla.config",
         "sla.calendar_hours",
         {"calendar_id", "weekday", "start_minute"},
         false},
        {"sla.config",
         "sla.calendar_holidays",
         {"calendar_id", "day", "yearly"},
         false},
        {"sla.config", "sla.policies", {"policy_id"}, false},
        {"sla.config",
         "sla.policy_targets",
         {"policy_id", "priority", "metric"},
         false},
    };
  }
  if (schema == "escalation") {
    return std::vector<AuditedTable>{
        {"escalation.steps", "escalation.escalations", {"escalation_id"}, true},
        {"escalation.steps",
         "escalation.cycles",
         {"ticket_id", "metric", "cycle"},
         false},
        {"escalation.config", "escalation.teams", {"team_id"}, false},
        {"escalation.config", "escalation.agents", {"agent_id"}, false},
        {"escalation.config", "escalation.routing_rules", {"rule_id"}, false},
        {"escalation.config", "escalation.ladders", {"metric"}, false},
        {"escalation.config",
         "escalation.ladder_steps",
         {"metric", "level"},
         false},
    };
  }
  return absl::InvalidArgumentError(
      absl::StrCat("schema: ", common::Excerpt(schema),
                   " is not one of ticket, sla, escalation"));
}

std::string DescribeAuditRow(const AuditedTable& table,
                             const std::string& key) {
  if (table.key_columns.size() == 1) {
    return absl::StrCat(table.table, " ", table.key_columns[0], " ", key);
  }
  std::vector<std::string> values =
      absl::StrSplit(key, absl::MaxSplits(',', table.key_columns.size() - 1));
  return absl::StrCat(table.table, " (", absl::StrJoin(table.key_columns, ", "),
                      ") (", absl::StrJoin(values, ", "), ")");
}

std::optional<AuditProblem> FirstChainProblem(
    const std::vector<AuditRecord>& records) {
  int64_t expected = 1;
  std::string prev = kAuditGenesisHash;
  for (const AuditRecord& r : records) {
    const std::string row =
        absl::StrCat("(", r.source_table, " key ", r.source_key, ")");
    if (r.seq != expected) {
      // Records before r are gone: r itself may be intact.
      return MakeProblem(
          AuditProblemKind::kRecordDeleted, expected, r.source_table,
          r.source_key,
          absl::StrCat(
              r.stream, " #", expected,
              expected + 1 == r.seq ? "" : absl::StrCat("..#", r.seq - 1),
              " missing before ", RecordName(r), " ", row,
              ": audit records were deleted"));
    }
    if (AuditRecordHash(r) != r.hash) {
      return MakeProblem(
          AuditProblemKind::kRecordAltered, r.seq, r.source_table, r.source_key,
          absl::StrCat(RecordName(r), " ", row,
                       " was altered: its hash does not match its content"));
    }
    if (r.prev_hash != prev) {
      return MakeProblem(
          AuditProblemKind::kRecordInserted, r.seq, r.source_table,
          r.source_key,
          absl::StrCat(RecordName(r), " ", row,
                       " was inserted or moved: its prev_hash is not the hash "
                       "of ",
                       r.seq == 1 ? "the stream's start (64 zeros)"
                                  : absl::StrCat("#", r.seq - 1)));
    }
    prev = r.hash;
    ++expected;
  }
  return std::nullopt;
}

std::optional<AuditProblem> FirstRowProblem(
    const AuditedTable& table, const std::vector<AuditRecord>& records,
    const std::vector<AuditSourceRow>& rows) {
  constexpr int64_t kNoRecord = std::numeric_limits<int64_t>::max();
  std::optional<AuditProblem> best;
  int64_t best_at = kNoRecord;
  // Keeps the problem of the lowest record seq; the first one wins a tie.
  auto consider = [&](int64_t at, AuditProblem p) {
    if (!best.has_value() || at < best_at) {
      best = std::move(p);
      best_at = at;
    }
  };
  std::map<std::string, const AuditRecord*> latest;
  for (const AuditRecord& r : records) {
    if (r.source_table != table.table) continue;
    if (table.append_only && r.op != "insert" && !best.has_value()) {
      consider(r.seq,
               MakeProblem(AuditProblemKind::kAppendOnlyChanged, r.seq,
                           table.table, r.source_key,
                           absl::StrCat(DescribeAuditRow(table, r.source_key),
                                        " was ", r.op,
                                        "d after it was written (audit "
                                        "record ",
                                        RecordName(r), "): ", table.table,
                                        " rows never change")));
    }
    latest[r.source_key] = &r;
  }
  std::map<std::string, const std::string*> current;
  for (const AuditSourceRow& row : rows) current[row.key] = &row.payload;
  for (const auto& [key, r] : latest) {
    auto it = current.find(key);
    const std::string row = DescribeAuditRow(table, key);
    if (r->op == "delete") {
      if (it != current.end()) {
        consider(r->seq,
                 MakeProblem(AuditProblemKind::kRowUnrecorded, r->seq,
                             table.table, key,
                             absl::StrCat(row,
                                          " was written behind the chain's "
                                          "back: its latest audit record ",
                                          RecordName(*r), " deletes it")));
      }
    } else if (it == current.end()) {
      consider(
          r->seq,
          MakeProblem(
              AuditProblemKind::kRowDeleted, r->seq, table.table, key,
              absl::StrCat(row,
                           " was deleted behind the chain's back: "
                           "audit record ",
                           RecordName(*r), " chains it but the row is gone")));
    } else if (*it->second != r->payload) {
      consider(
          r->seq,
          MakeProblem(AuditProblemKind::kRowAltered, r->seq, table.table, key,
                      absl::StrCat(row,
                                   " was altered after it was chained: "
                                   "its row differs from audit record ",
                                   RecordName(*r))));
    }
  }
  if (best.has_value()) return best;
  for (const AuditSourceRow& row : rows) {
    if (latest.count(row.key) == 0) {
      return MakeProblem(AuditProblemKind::kRowUnrecorded, 0, table.table,
                         row.key,
                         absl::StrCat(DescribeAuditRow(table, row.key),
                                      " was written behind the chain's back: "
                                      "no audit record chains it"));
    }
  }
  return std::nullopt;
}

}  // namespace cxdesk::common
