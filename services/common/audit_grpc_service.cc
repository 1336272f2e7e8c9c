#include "services/common/audit_grpc_service.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/grpc_metadata.h"
#include "services/common/grpc_status.h"
#include "services/common/log.h"
#include "services/common/page_token.h"
#include "services/common/proto_time.h"
#include "services/common/text.h"
#include "services/common/token.h"

namespace cxdesk::common {
namespace {

namespace auditpb = ::cxdesk::audit::v1;

auditpb::AuditProblemKind KindToProto(AuditProblemKind kind) {
  switch (kind) {
    case AuditProblemKind::kRecordAltered:
      return auditpb::AUDIT_PROBLEM_KIND_RECORD_ALTERED;
    case AuditProblemKind::kRecordDeleted:
      return auditpb::AUDIT_PROBLEM_KIND_RECORD_DELETED;
    case AuditProblemKind::kRecordInserted:
      return auditpb::AUDIT_PROBLEM_KIND_RECORD_INSERTED;
    case AuditProblemKind::kRowAltered:
      return auditpb::AUDIT_PROBLEM_KIND_ROW_ALTERED;
    case AuditProblemKind::kRowDeleted:
      return auditpb::AUDIT_PROBLEM_KIND_ROW_DELETED;
    case AuditProblemKind::kRowUnrecorded:
      return auditpb::AUDIT_PROBLEM_KIND_ROW_UNRECORDED;
    case AuditProblemKind::kAppendOnlyChanged:
      return auditpb::AUDIT_PROBLEM_KIND_APPEND_ONLY_CHANGED;
  }
  return auditpb::AUDIT_PROBLEM_KIND_UNSPECIFIED;
}

// The streams of the schema, by name.
std::vector<std::string> StreamsOf(const std::vector<AuditedTable>& tables) {
  std::set<std::string> streams;
  for (const AuditedTable& t : tables) {
    for (const std::string& name : AuditStreamsOf(t)) streams.insert(name);
  }
  return {streams.begin(), streams.end()};
}

// The streams a request names: all for "", else that one if the schema has
// it, or all shards of a sharded one named without its "/N" (INVALID_ARGUMENT
// otherwise).
absl::StatusOr<std::vector<std::string>> SelectStreams(
    const std::vector<AuditedTable>& tables, const std::string& stream) {
  std::vector<std::string> all = StreamsOf(tables);
  if (stream.empty()) return all;
  for (const std::string& s : all) {
    if (s == stream) return std::vector<std::string>{s};
  }
  for (const AuditedTable& t : tables) {
    if (t.shards > 1 && t.stream == stream) return AuditStreamsOf(t);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("stream: ", common::Excerpt(stream), " is not one of ",
                   absl::StrJoin(all, ", ")));
}

}  // namespace

AuditGrpcService::AuditGrpcService(AuditStore& store, const Clock& clock,
                                   std::string token_secret)
    : store_(store), clock_(clock), token_secret_(std::move(token_secret)) {}

grpc::Status AuditGrpcService::VerifyAuditTrail(
    grpc::ServerContext* context,
    const auditpb::VerifyAuditTrailRequest* request,
    auditpb::AuditVerification* response) {
  absl::StatusOr<TokenClaims> claims =
      AuthorizeStaff(BearerTokenOf(*context), token_secret_, clock_.Now(),
                     /*managers_only=*/true);
  if (!claims.ok()) return ToGrpcStatus(claims.status());
  absl::StatusOr<std::vector<std::string>> streams =
      SelectStreams(store_.tables(), request->stream());
  if (!streams.ok()) return ToGrpcStatus(streams.status());
  response->set_schema(store_.schema());
  for (const std::string& stream : *streams) {
    absl::StatusOr<AuditStreamSnapshot> snapshot = store_.ReadStream(stream);
    if (!snapshot.ok()) return ToGrpcStatus(snapshot.status());
    AuditStreamVerification result =
        VerifyAuditStream(stream, store_.tables(), *snapshot);
    auditpb::StreamVerification* out = response->add_streams();
    out->set_stream(result.stream);
    out->set_records_checked(result.records_checked);
    out->set_rows_checked(result.rows_checked);
    if (result.problem.has_value()) {
      auditpb::AuditProblem* p = out->mutable_problem();
      p->set_kind(KindToProto(result.problem->kind));
      p->set_seq(result.problem->seq);
      p->set_source_table(result.problem->source_table);
      p->set_source_key(result.problem->source_key);
      p->set_message(result.problem->message);
      CXDESK_LOG(Warning) << "audit: " << result.problem->message;
    }
  }
  CXDESK_LOG(Info) << "audit trail of " << store_.schema() << " verified by "
                   << claims->subject;
  return grpc::Status::OK;
}

grpc::Status AuditGrpcService::ExportAuditRecords(
    grpc::ServerContext* context,
    const auditpb::ExportAuditRecordsRequest* request,
    auditpb::ExportAuditRecordsResponse* response) {
  absl::StatusOr<TokenClaims> claims =
      AuthorizeStaff(BearerTokenOf(*context), token_secret_, clock_.Now(),
                     /*managers_only=*/true);
  if (!claims.ok()) return ToGrpcStatus(claims.status());
  if (!request->stream().empty()) {
    absl::StatusOr<std::vector<std::string>> streams =
        SelectStreams(store_.tables(), request->stream());
    if (!streams.ok()) return ToGrpcStatus(streams.status());
  }
  absl::StatusOr<int> size = ResolvePageSize(request->page_size(), 500, 5000);
  if (!size.ok()) return ToGrpcStatus(size.status());
  AuditExportQuery query;
  query.stream = request->stream();
  if (request->has_start_time()) {
    query.from = FromProtoTimestamp(request->start_time());
  }
  if (request->has_end_time()) {
    query.to = FromProtoTimestamp(request->end_time());
  }
  if (query.from.has_value() && query.to.has_value() &&
      *query.to <= *query.from) {
    return ToGrpcStatus(
        absl::InvalidArgumentError("end_time: must be after start_time"));
  }
  const std::string fingerprint = absl::StrCat(
      "audit|", store_.schema(), "|", query.stream, "|",
      request->has_start_time() ? absl::FormatTime(*query.from) : "", "|",
      request->has_end_time() ? absl::FormatTime(*query.to) : "");
  absl::StatusOr<int64_t> offset =
      DecodePageToken(request->page_token(), fingerprint);
  if (!offset.ok()) return ToGrpcStatus(offset.status());
  query.offset = *offset;
  query.limit = *size + 1;
  absl::StatusOr<std::vector<AuditRecord>> records =
      store_.ExportRecords(query);
  if (!records.ok()) return ToGrpcStatus(records.status());
  const int64_t start = *offset;
  int64_t index = start;
  std::vector<std::pair<int64_t, AuditRecord>> numbered;
  for (AuditRecord& r : *records) numbered.emplace_back(++index, std::move(r));
  // A page also ends before 2 MiB of payloads (a comment's row alone may
  // hold 64 KiB), so that it stays within the 4 MiB response limit.
  constexpr size_t kMaxPagePayloadBytes = 2 * 1024 * 1024;
  int page_size = *size;
  size_t bytes = 0;
  for (size_t i = 0; i < numbered.size() && static_cast<int>(i) < page_size;
       ++i) {
    bytes += numbered[i].second.payload.size();
    if (i > 0 && bytes > kMaxPagePayloadBytes) {
      page_size = static_cast<int>(i);
      break;
    }
  }
  Page<std::pair<int64_t, AuditRecord>> page =
      MakePage<std::pair<int64_t, AuditRecord>>(
          std::move(numbered), page_size, fingerprint,
          [](const std::pair<int64_t, AuditRecord>& p) { return p.first; });
  for (const auto& [n, r] : page.items) {
    auditpb::AuditRecord* out = response->add_records();
    out->set_stream(r.stream);
    out->set_seq(r.seq);
    ToProtoTimestamp(r.record_time, out->mutable_record_time());
    out->set_source_table(r.source_table);
    out->set_op(r.op);
    out->set_source_key(r.source_key);
    out->set_payload(r.payload);
    out->set_prev_hash(r.prev_hash);
    out->set_hash(r.hash);
  }
  response->set_next_page_token(page.next_page_token);
  return grpc::Status::OK;
}

}  // namespace cxdesk::common
