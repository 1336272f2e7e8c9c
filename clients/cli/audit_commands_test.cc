// `cxdesk audit verify|export` against gMock stubs of the three services'
// AuditService: which service is asked, what is printed, the exit code.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "clients/cli/commands.h"
#include "cxdesk/audit/v1/audit_service_mock.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace cxdesk::clients::cli {
namespace {

namespace fs = std::filesystem;
namespace auditpb = ::cxdesk::audit::v1;
using ::testing::_;
using ::testing::DoAll;
using ::testing::Return;
using ::testing::SetArgPointee;

template <typename M>
M Parse(const std::string& text) {
  M message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

class AuditCliTest : public ::testing::Test {
 protected:
  AuditCliTest() {
    std::string pattern =
        (fs::temp_directory_path() / "cxdesk_audit_cli_test.XXXXXX").string();
    cwd_ = mkdtemp(pattern.data());
    env_.getenv = [](const std::string&) -> std::optional<std::string> {
      return std::nullopt;
    };
    env_.cwd = cwd_.string();
    env_.tz = absl::UTCTimeZone();
    env_.now = [] { return absl::FromUnixSeconds(1'795'000'000); };
    env_.connect_audit = [this](const std::string& target,
                                CallCredentials creds, absl::Duration timeout) {
      targets_.push_back(target);
      tokens_.push_back(creds.bearer_token);
      return std::make_unique<AuditClient>(stubs_.at(target), creds, timeout);
    };
    env_.out = &out_;
    env_.err = &err_;
  }
  ~AuditCliTest() override {
    std::error_code ec;
    fs::remove_all(cwd_, ec);
  }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    args.insert(args.begin(), {"--target", "t:1", "--sla-target", "s:2",
                               "--escalation-target", "e:3", "--token", "tok"});
    return RunCli(args, env_);
  }

  std::shared_ptr<auditpb::MockAuditServiceStub> Stub(const std::string& t) {
    return std::static_pointer_cast<auditpb::MockAuditServiceStub>(stubs_[t]);
  }

  fs::path cwd_;
  std::map<std::string, std::shared_ptr<auditpb::AuditService::StubInterface>>
      stubs_{{"t:1", std::make_shared<auditpb::MockAuditServiceStub>()},
             {"s:2", std::make_shared<auditpb::MockAuditServiceStub>()},
             {"e:3", std::make_shared<auditpb::MockAuditServiceStub>()}};
  std::vector<std::string> targets_;
  std::vector<std::string> tokens_;
  std::ostringstream out_, err_;
  CliEnvironment env_;
};

TEST_F(AuditCliTest, VerifyAsksAllThreeAndPrintsEachStream) {
  EXPECT_CALL(*Stub("t:1"), VerifyAuditTrail(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(Parse<auditpb::AuditVerification>(
                          R"pb(schema: "ticket"
                               streams {
                                 stream: "ticket.events"
                                 records_checked: 12
                                 rows_checked: 12
                               })pb")),
                      Return(grpc::Status::OK)));
  EXPECT_CALL(*Stub("s:2"), VerifyAuditTrail(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(Parse<auditpb::AuditVerification>(
                          R"pb(schema: "sla"
                               streams {
                                 stream: "sla.config"
                                 records_checked: 1
                                 rows_checked: 1
                               })pb")),
                      Return(grpc::Status::OK)));
  EXPECT_CALL(*Stub("e:3"), VerifyAuditTrail(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(Parse<auditpb::AuditVerification>(
                          R"pb(schema: "escalation")pb")),
                      Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"audit", "verify"}), kExitOk) << err_.str();
  EXPECT_EQ(out_.str(),
            "ticket.events: ok: 12 records, chain intact (12 rows match "
            "their records)\n"
            "sla.config: ok: 1 record, chain intact (1 row matches its "
            "record)\n");
  EXPECT_EQ(targets_, (std::vector<std::string>{"t:1", "s:2", "e:3"}));
  EXPECT_EQ(tokens_, (std::vector<std::string>{"tok", "tok", "tok"}));
}

// The shards of one stream are told as one line while all are intact; a
// shard with a problem is named on its own line.
TEST_F(AuditCliTest, VerifyFoldsTheShardsOfAStream) {
  const char* kShards = R"pb(schema: "ticket"
                             streams {
                               stream: "ticket.events/0"
                               records_checked: 2
                               rows_checked: 2
                             }
                             streams {
                               stream: "ticket.events/1"
                               records_checked: 3
                               rows_checked: 3
                             })pb";
  auditpb::AuditVerification broken =
      Parse<auditpb::AuditVerification>(kShards);
  broken.mutable_streams(1)->mutable_problem()->set_message(
      "ticket.events id 4 was altered");
  EXPECT_CALL(*Stub("t:1"), VerifyAuditTrail(_, _, _))
      .WillOnce(
          DoAll(SetArgPointee<2>(Parse<auditpb::AuditVerification>(kShards)),
                Return(grpc::Status::OK)))
      .WillOnce(DoAll(SetArgPointee<2>(broken), Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"audit", "verify", "--stream", "ticket.events"}), kExitOk)
      << err_.str();
  EXPECT_EQ(out_.str(),
            "ticket.events (2 shards): ok: 5 records, chains intact (5 rows "
            "match their records)\n");
  EXPECT_EQ(Run({"audit", "verify", "--stream", "ticket.events"}), kExitError);
  EXPECT_EQ(out_.str(),
            "ticket.events/1: PROBLEM: ticket.events id 4 was altered\n");
}

TEST_F(AuditCliTest, VerifyWithAProblemExitsOne) {
  EXPECT_CALL(*Stub("t:1"), VerifyAuditTrail(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(Parse<auditpb::AuditVerification>(
                          R"pb(schema: "ticket"
                               streams {
                                 stream: "ticket.events"
                                 records_checked: 3
                                 problem {
                                   kind: AUDIT_PROBLEM_KIND_ROW_ALTERED
                                   seq: 2
                                   message: "ticket.events id 2 was altered"
                                 }
                               })pb")),
                      Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"audit", "verify", "--stream", "ticket.events"}), kExitError);
  EXPECT_EQ(out_.str(),
            "ticket.events: PROBLEM: ticket.events id 2 was altered\n");
  EXPECT_EQ(err_.str(),
            "error: the audit trail is not intact: 1 stream has a problem\n");
  EXPECT_EQ(targets_, (std::vector<std::string>{"t:1"}));
}

TEST_F(AuditCliTest, VerifyRefusedIsExplained) {
  EXPECT_CALL(*Stub("e:3"), VerifyAuditTrail(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "managers only")));
  EXPECT_EQ(Run({"audit", "verify", "--stream", "escalation.steps"}),
            kExitError);
  EXPECT_EQ(err_.str(),
            "error: not allowed for your role: managers only (the audit "
            "trail needs a manager token)\n"
            "error: the audit trail of 1 service could not be verified\n");
}

TEST_F(AuditCliTest, BadStreamAndWindowAreUsageErrors) {
  EXPECT_EQ(Run({"audit", "verify", "--stream", "billing"}), kExitUsage);
  EXPECT_THAT(err_.str(), ::testing::StartsWith(
                              "cxdesk audit verify: --stream: 'billing' is "
                              "not a stream of ticket, sla or escalation"));
  EXPECT_EQ(
      Run({"audit", "export", "--from", "2026-11-02", "--to", "2026-11-01"}),
      kExitUsage);
  EXPECT_THAT(err_.str(), ::testing::HasSubstr("--to: must be after --from"));
  EXPECT_EQ(
      Run({"audit", "export", "--from", "yesterday", "--to", "2026-11-01"}),
      kExitUsage);
  EXPECT_THAT(err_.str(), ::testing::HasSubstr("--from"));
  EXPECT_TRUE(targets_.empty());
}

TEST_F(AuditCliTest, ExportWritesJsonLinesAndFollowsPages) {
  auditpb::ExportAuditRecordsRequest seen_first, seen_second;
  EXPECT_CALL(*Stub("s:2"), ExportAuditRecords(_, _, _))
      .WillOnce(
          DoAll(::testing::SaveArg<1>(&seen_first),
                SetArgPointee<2>(Parse<auditpb::ExportAuditRecordsResponse>(
                    R"pb(records {
                           stream: "sla.config"
                           seq: 1
                           record_time { seconds: 1795000000 nanos: 1000 }
                           source_table: "sla.calendars"
                           op: "insert"
                           source_key: "office"
                           payload: "{\"calendar_id\":\"office\"}"
                           prev_hash: "00"
                           hash: "ab"
                         }
                         next_page_token: "p2")pb")),
                Return(grpc::Status::OK)))
      .WillOnce(
          DoAll(::testing::SaveArg<1>(&seen_second),
                SetArgPointee<2>(Parse<auditpb::ExportAuditRecordsResponse>(
                    R"pb(records {
                           stream: "sla.config"
                           seq: 2
                           source_table: "sla.calendars"
                           op: "delete"
                           source_key: "office"
                           payload: "{}"
                           prev_hash: "ab"
                           hash: "cd"
                         })pb")),
                Return(grpc::Status::OK)));
  EXPECT_EQ(Run({"audit", "export", "--from", "2026-11-01", "--to",
                 "2026-12-01T00:00:00Z", "--stream", "sla.config", "--out",
                 "trail.jsonl"}),
            kExitOk)
      << err_.str();
  EXPECT_EQ(seen_first.stream(), "sla.config");
  EXPECT_EQ(seen_first.start_time().seconds(), 1'793'491'200);
  EXPECT_EQ(seen_first.end_time().seconds(), 1'796'083'200);
  EXPECT_EQ(seen_second.page_token(), "p2");
  std::ifstream in(cwd_ / "trail.jsonl");
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_EQ(first,
            "{\"stream\":\"sla.config\",\"seq\":1,\"record_time\":"
            "\"2026-11-18T11:06:40.000001Z\",\"source_table\":\"sla."
            "calendars\",\"op\":\"insert\",\"source_key\":\"office\","
            "\"payload\":\"{\\\"calendar_id\\\":\\\"office\\\"}\","
            "\"prev_hash\":\"00\",\"hash\":\"ab\"}");
  EXPECT_THAT(second, ::testing::HasSubstr("\"seq\":2"));
  EXPECT_EQ(out_.str(), "");
  EXPECT_THAT(err_.str(), ::testing::StartsWith(
                              "exported 2 audit records to trail.jsonl; each "
                              "record's hash is the lower-case hex SHA-256"));
}

}  // namespace
}  // namespace cxdesk::clients::cli
