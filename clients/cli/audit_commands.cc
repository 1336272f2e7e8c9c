// The `audit verify` and `audit export` commands: the hash-chained audit trail
// of the three services.

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/cli/command.h"
#include "clients/cli/requests.h"
#include "clients/lib/audit_client.h"
#include "google/protobuf/struct.pb.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::cli {
namespace {

namespace auditpb = ::cxdesk::audit::v1;

// The three services and the schema each one's audit trail covers.
struct AuditTarget {
  const char* service;  // as DescribeAuditError names it
  const char* schema;   // the prefix of its streams
  std::string target;
};

std::vector<AuditTarget> AuditTargets(const GlobalOptions& global) {
  return {{"ticket", "ticket", global.target},
          {"SLA", "sla", global.sla_target},
          {"escalation", "escalation", global.escalation_target}};
}

// The services a --stream concerns: all three for "", else the one whose
// schema prefixes it (a usage error when none does).
absl::StatusOr<std::vector<AuditTarget>> SelectAuditTargets(
    const GlobalOptions& global, const std::string& stream) {
  std::vector<AuditTarget> all = AuditTargets(global);
  if (stream.empty()) return all;
  for (const AuditTarget& t : all) {
    if (absl::StartsWith(stream, absl::StrCat(t.schema, "."))) {
      return std::vector<AuditTarget>{t};
    }
  }
  return UsageError(absl::StrCat(
      "--stream: '", stream,
      "' is not a stream of ticket, sla or escalation (e.g. ticket.events, "
      "sla.events, sla.config, escalation.steps, escalation.config)"));
}

constexpr char kAuditHashRecipe[] =
    "each record's hash is the lower-case hex SHA-256 of the UTF-8 text "
    "prev_hash \\n stream \\n seq \\n source_table \\n op \\n source_key \\n "
    "payload (seq in decimal, no final newline); a stream's first prev_hash "
    "is 64 zeros and every later one is the previous record's hash";

absl::Status RunAuditVerify(Invocation& inv) {
  const std::string stream = inv.flags().Get("stream");
  CXDESK_ASSIGN_OR_RETURN(std::vector<AuditTarget> targets,
                          SelectAuditTargets(inv.global(), stream));
  int problems = 0;
  int failures = 0;
  for (const AuditTarget& t : targets) {
    std::unique_ptr<AuditClient> client = inv.env().connect_audit(
        t.target, {inv.global().token, ""}, inv.global().timeout);
    auditpb::VerifyAuditTrailRequest request;
    request.set_stream(stream);
    absl::StatusOr<auditpb::AuditVerification> result =
        client->VerifyAuditTrail(request);
    if (!result.ok()) {
      ++failures;
      *inv.env().err << "error: "
                     << DescribeAuditError(result.status(), t.service, t.target)
                     << "\n";
      continue;
    }
    if (inv.global().json) {
      CXDESK_RETURN_IF_ERROR(inv.PrintJson(*result));
    }
    // A sharded stream ("ticket.events/0".."/15") is told as one line when
    // every shard is intact; each shard with a problem gets its own.
    struct Group {
      int shards = 0;
      int64_t records = 0, rows = 0;
      std::vector<const auditpb::StreamVerification*> problems;
    };
    std::vector<std::pair<std::string, Group>> groups;
    for (const auditpb::StreamVerification& s : result->streams()) {
      if (s.has_problem()) ++problems;
      const std::string base = s.stream().substr(0, s.stream().find('/'));
      if (groups.empty() || groups.back().first != base) {
        groups.push_back({base, Group()});
      }
      Group& g = groups.back().second;
      ++g.shards;
      g.records += s.records_checked();
      g.rows += s.rows_checked();
      if (s.has_problem()) g.problems.push_back(&s);
    }
    if (inv.global().json) continue;
    for (const auto& [base, g] : groups) {
      for (const auditpb::StreamVerification* s : g.problems) {
        inv.out() << s->stream() << ": PROBLEM: " << s->problem().message()
                  << "\n";
      }
      if (!g.problems.empty()) continue;
      inv.out() << base;
      if (g.shards > 1) inv.out() << " (" << g.shards << " shards)";
      inv.out() << ": ok: " << g.records
                << (g.records == 1 ? " record" : " records")
                << (g.shards > 1 ? ", chains intact (" : ", chain intact (")
                << g.rows
                << (g.rows == 1 ? " row matches its record)\n"
                                : " rows match their records)\n");
    }
  }
  if (problems > 0) {
    return absl::DataLossError(absl::StrCat(
        "the audit trail is not intact: ", problems,
        problems == 1 ? " stream has a problem" : " streams have a problem"));
  }
  if (failures > 0) {
    return absl::UnavailableError(absl::StrCat(
        "the audit trail of ", failures,
        failures == 1 ? " service" : " services", " could not be verified"));
  }
  return absl::OkStatus();
}

Command AuditVerifyCommand() {
  return Command("audit verify")
      .Summary(
          "walk the hash-chained audit trail of the ticket, SLA and escalation "
          "services and name the first altered, deleted or inserted record or "
          "row of each stream; exit 1 if any (manager)")
      .Flag("stream", "STREAM",
            "only this stream: ticket.events, sla.events, sla.config, "
            "escalation.steps or escalation.config")
      .Run(&RunAuditVerify);
}

// One exported record as a line of JSON, its keys in the order of the
// record: stream, seq, record_time, source_table, op, source_key, payload,
// prev_hash, hash.
absl::StatusOr<std::string> AuditRecordJson(const auditpb::AuditRecord& r) {
  // Each string escaped by the protobuf JSON printer.
  auto quoted = [](const std::string& text) -> absl::StatusOr<std::string> {
    google::protobuf::Value value;
    value.set_string_value(text);
    return ToJson(value);
  };
  std::string line = "{";
  const std::pair<const char*, std::string> fields[] = {
      {"stream", r.stream()},
      {"seq", ""},
      {"record_time",
       absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", ToTime(r.record_time()),
                        absl::UTCTimeZone())},
      {"source_table", r.source_table()},
      {"op", r.op()},
      {"source_key", r.source_key()},
      {"payload", r.payload()},
      {"prev_hash", r.prev_hash()},
      {"hash", r.hash()}};
  for (const auto& [key, text] : fields) {
    if (line.size() > 1) line += ",";
    absl::StrAppend(&line, "\"", key, "\":");
    if (absl::string_view(key) == "seq") {
      absl::StrAppend(&line, r.seq());
      continue;
    }
    CXDESK_ASSIGN_OR_RETURN(std::string value, quoted(text));
    line += value;
  }
  line += "}";
  return line;
}

absl::Status RunAuditExport(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      absl::Time from,
      AsUsage(ParseTimeFlag("--from", inv.flags().Get("from"))));
  CXDESK_ASSIGN_OR_RETURN(
      absl::Time to, AsUsage(ParseTimeFlag("--to", inv.flags().Get("to"))));
  if (to <= from) return UsageError("--to: must be after --from");
  const std::string stream = inv.flags().Get("stream");
  CXDESK_ASSIGN_OR_RETURN(std::vector<AuditTarget> targets,
                          SelectAuditTargets(inv.global(), stream));
  std::ofstream file;
  std::ostream* out = &inv.out();
  const std::string out_name = inv.flags().Get("out");
  if (!out_name.empty()) {
    std::filesystem::path path(out_name);
    if (path.is_relative()) path = std::filesystem::path(inv.env().cwd) / path;
    file.open(path, std::ios::binary | std::ios::trunc);
    if (!file) {
      return UsageError(
          absl::StrCat("--out ", out_name, ": cannot be written"));
    }
    out = &file;
  }
  int64_t written = 0;
  for (const AuditTarget& t : targets) {
    std::unique_ptr<AuditClient> client = inv.env().connect_audit(
        t.target, {inv.global().token, ""}, inv.global().timeout);
    auditpb::ExportAuditRecordsRequest request;
    request.set_stream(stream);
    common::ToProtoTimestamp(from, request.mutable_start_time());
    common::ToProtoTimestamp(to, request.mutable_end_time());
    request.set_page_size(1000);
    while (true) {
      absl::StatusOr<auditpb::ExportAuditRecordsResponse> page =
          client->ExportAuditRecords(request);
      if (!page.ok()) {
        return absl::Status(
            page.status().code(),
            DescribeAuditError(page.status(), t.service, t.target));
      }
      for (const auditpb::AuditRecord& r : page->records()) {
        CXDESK_ASSIGN_OR_RETURN(std::string line, AuditRecordJson(r));
        *out << line << "\n";
        ++written;
      }
      if (page->next_page_token().empty() ||
          page->next_page_token() == request.page_token()) {
        break;
      }
      request.set_page_token(page->next_page_token());
    }
  }
  out->flush();
  if (!*out) {
    return absl::DataLossError(absl::StrCat(
        "--out ", out_name.empty() ? "-" : out_name, ": write failed"));
  }
  *inv.env().err << "exported " << written
                 << (written == 1 ? " audit record" : " audit records")
                 << (out_name.empty() ? "" : absl::StrCat(" to ", out_name))
                 << "; " << kAuditHashRecipe << "\n";
  return absl::OkStatus();
}

Command AuditExportCommand() {
  return Command("audit export")
      .Summary(
          "write the audit records of a time window with their hashes, one "
          "JSON object per line, for an external auditor (manager); hash = "
          "sha256_hex(prev_hash \\n stream \\n seq \\n source_table \\n op \\n "
          "source_key \\n payload), the first prev_hash 64 zeros")
      .Required("from", "TIME",
                "records written at or after TIME (2026-11-01 or RFC 3339)")
      .Required("to", "TIME", "records written before TIME")
      .Flag("stream", "STREAM", "only this stream (default: every stream)")
      .Flag("out", "FILE", "write to FILE instead of standard output")
      .Run(&RunAuditExport);
}

}  // namespace

std::vector<Command> AuditCommands() {
  return {AuditVerifyCommand(), AuditExportCommand()};
}

}  // namespace cxdesk::clients::cli
