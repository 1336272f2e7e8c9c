// The AuditService adapter over a fake AuditStore, served in process: roles,
// argument errors, the verification it computes and export paging.
#include "services/common/audit_grpc_service.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/testing/fake_clock.h"
#include "services/common/token.h"

namespace cxdesk::common {
namespace {

namespace auditpb = ::cxdesk::audit::v1;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";

// Serves the "ticket" schema: a stream of `records` chained from genesis
// and the current rows of ticket.events.
class FakeAuditStore final : public AuditStore {
 public:
  // One unsharded stream, so each test reads one snapshot.
  FakeAuditStore()
      : tables_({{"ticket.events", "ticket.events", {"id"}, true}}) {}

  const std::string& schema() const override { return schema_; }
  const std::vector<AuditedTable>& tables() const override { return tables_; }
  absl::StatusOr<AuditStreamSnapshot> ReadStream(
      const std::string& stream) override {
    streams_read.push_back(stream);
    AuditStreamSnapshot snapshot;
    snapshot.records = records;
    snapshot.rows["ticket.events"] = rows;
    return snapshot;
  }
  absl::StatusOr<std::vector<AuditRecord>> ExportRecords(
      const AuditExportQuery& query) override {
    last_query = query;
    std::vector<AuditRecord> out;
    for (int64_t i = query.offset; i < static_cast<int64_t>(records.size()) &&
                                   static_cast<int>(out.size()) < query.limit;
         ++i) {
      out.push_back(records[i]);
    }
    return out;
  }

  // Appends a chained insert of ticket.events id `id` and its row.
  void Add(int id) {
    AuditRecord r;
    r.stream = "ticket.events";
    r.seq = static_cast<int64_t>(records.size()) + 1;
    r.record_time = absl::FromUnixSeconds(1'795'000'000 + id);
    r.source_table = "ticket.events";
    r.op = "insert";
    r.source_key = absl::StrCat(id);
    r.payload = absl::StrCat("{\"id\":", id, "}");
    r.prev_hash = records.empty() ? kAuditGenesisHash : records.back().hash;
    r.hash = AuditRecordHash(r);
    records.push_back(r);
    rows.push_back({r.source_key, r.payload});
  }

  std::vector<AuditRecord> records;
  std::vector<AuditSourceRow> rows;
  std::vector<std::string> streams_read;
  AuditExportQuery last_query;

 private:
  const std::string schema_ = "ticket";
  const std::vector<AuditedTable> tables_;
};

class AuditGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = auditpb::AuditService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override { server_->Shutdown(); }

  // A context with a token of `role`; none for nullopt.
  std::unique_ptr<grpc::ClientContext> As(std::optional<StaffRole> role) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (role.has_value()) {
      absl::StatusOr<std::string> token =
          SignToken({"maria", *role, clock_.Now() + absl::Hours(1)}, kSecret);
      EXPECT_TRUE(token.ok()) << token.status();
      context->AddMetadata("authorization", absl::StrCat("Bearer ", *token));
    }
    return context;
  }

  FakeClock clock_;
  FakeAuditStore store_;
  AuditGrpcService service_{store_, clock_, kSecret};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<auditpb::AuditService::Stub> stub_;
};

TEST_F(AuditGrpcServiceTest, ManagersOnly) {
  auditpb::VerifyAuditTrailRequest request;
  auditpb::AuditVerification response;
  EXPECT_EQ(stub_->VerifyAuditTrail(As(std::nullopt).get(), request, &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      stub_->VerifyAuditTrail(As(StaffRole::kAgent).get(), request, &response)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  auditpb::ExportAuditRecordsResponse page;
  EXPECT_EQ(
      stub_
          ->ExportAuditRecords(As(StaffRole::kService).get(),
                               auditpb::ExportAuditRecordsRequest(), &page)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(store_.streams_read.empty());
}

TEST_F(AuditGrpcServiceTest, VerifiesEachStreamAndNamesTheProblem) {
  for (int id = 1; id <= 3; ++id) store_.Add(id);
  auditpb::VerifyAuditTrailRequest request;
  auditpb::AuditVerification response;
  grpc::Status status = stub_->VerifyAuditTrail(As(StaffRole::kManager).get(),
                                                request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.schema(), "ticket");
  ASSERT_EQ(response.streams_size(), 1);
  EXPECT_EQ(response.streams(0).stream(), "ticket.events");
  EXPECT_EQ(response.streams(0).records_checked(), 3);
  EXPECT_EQ(response.streams(0).rows_checked(), 3);
  EXPECT_FALSE(response.streams(0).has_problem());

  store_.rows[2].payload = "{\"id\":3,\"x\":1}";
  status = stub_->VerifyAuditTrail(As(StaffRole::kManager).get(), request,
                                   &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const auditpb::AuditProblem& problem = response.streams(0).problem();
  EXPECT_EQ(problem.kind(), auditpb::AUDIT_PROBLEM_KIND_ROW_ALTERED);
  EXPECT_EQ(problem.seq(), 3);
  EXPECT_EQ(problem.source_table(), "ticket.events");
  EXPECT_EQ(problem.source_key(), "3");
  EXPECT_EQ(problem.message(),
            "ticket.events id 3 was altered after it was chained: its row "
            "differs from audit record ticket.events #3");
}

TEST_F(AuditGrpcServiceTest, AStreamOfAnotherSchemaIsInvalid) {
  auditpb::VerifyAuditTrailRequest request;
  request.set_stream("sla.events");
  auditpb::AuditVerification response;
  grpc::Status status = stub_->VerifyAuditTrail(As(StaffRole::kManager).get(),
                                                request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "stream: \"sla.events\" is not one of ticket.events");
}

TEST_F(AuditGrpcServiceTest, ExportPagesAndChecksTheWindow) {
  for (int id = 1; id <= 3; ++id) store_.Add(id);
  auditpb::ExportAuditRecordsRequest request;
  request.set_page_size(2);
  request.mutable_start_time()->set_seconds(1'795'000'000);
  auditpb::ExportAuditRecordsResponse page;
  grpc::Status status =
      stub_->ExportAuditRecords(As(StaffRole::kManager).get(), request, &page);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(page.records_size(), 2);
  EXPECT_EQ(page.records(1).seq(), 2);
  EXPECT_EQ(page.records(1).hash(), store_.records[1].hash);
  EXPECT_EQ(page.records(1).record_time().seconds(), 1'795'000'002);
  ASSERT_FALSE(page.next_page_token().empty());
  EXPECT_EQ(store_.last_query.from, absl::FromUnixSeconds(1'795'000'000));
  EXPECT_FALSE(store_.last_query.to.has_value());

  request.set_page_token(page.next_page_token());
  status =
      stub_->ExportAuditRecords(As(StaffRole::kManager).get(), request, &page);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(page.records_size(), 1);
  EXPECT_EQ(page.records(0).seq(), 3);
  EXPECT_TRUE(page.next_page_token().empty());

  // The token belongs to that window only.
  request.mutable_start_time()->set_seconds(1'795'000'001);
  status =
      stub_->ExportAuditRecords(As(StaffRole::kManager).get(), request, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  auditpb::ExportAuditRecordsRequest reversed;
  reversed.mutable_start_time()->set_seconds(200);
  reversed.mutable_end_time()->set_seconds(100);
  status =
      stub_->ExportAuditRecords(As(StaffRole::kManager).get(), reversed, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "end_time: must be after start_time");

  auditpb::ExportAuditRecordsRequest too_big;
  too_big.set_page_size(5001);
  status =
      stub_->ExportAuditRecords(As(StaffRole::kManager).get(), too_big, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace cxdesk::common
