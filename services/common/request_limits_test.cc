#include "services/common/request_limits.h"

#include <google/protobuf/field_mask.pb.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "cxdesk/audit/v1/audit_service.pb.h"
#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "cxdesk/sla/v1/sla_service.pb.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"
#include "grpc/health/v1/health.pb.h"

namespace cxdesk::common {
namespace {

using absl::StatusCode;

TEST(RequestLimitsTest, AFieldWithoutALimitGetsTheDefault) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(std::string(1000, 'x'));
  EXPECT_TRUE(CheckRequestLimits(request).ok());
  request.set_service(std::string(1001, 'x'));
  EXPECT_EQ(CheckRequestLimits(request).message(),
            "service: at most 1000 bytes, got 1001");
  request.set_service(std::string("a\0b", 3));
  EXPECT_EQ(CheckRequestLimits(request).message(),
            "service: contains NUL (U+0000) at byte 1; text cannot hold NUL");
}

TEST(RequestLimitsTest, FieldMaskPathsAreBoundedInCountAndLength) {
  google::protobuf::FieldMask mask;
  mask.add_paths("subject");
  EXPECT_TRUE(CheckRequestLimits(mask).ok());
  mask.add_paths(std::string(100 * 1024, 'p'));
  EXPECT_EQ(CheckRequestLimits(mask).message(),
            "paths[1]: at most 100 bytes, got 102400");
  mask.Clear();
  for (int i = 0; i <= kMaxFieldMaskPaths; ++i) mask.add_paths("subject");
  EXPECT_EQ(CheckRequestLimits(mask).message(),
            "paths: at most 20 paths, got 21");
}

TEST(RequestLimitsTest, NestedAndRepeatedFieldsAreNamedByTheirPath) {
  ticket::v1::UpdateTicketRequest request;
  request.mutable_ticket()->set_subject(std::string("a\0b", 3));
  const absl::Status s = CheckRequestLimits(request);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "ticket.subject: contains NUL (U+0000) at byte 1; text cannot "
            "hold NUL");

  ticket::v1::CreateTicketRequest create;
  create.add_tags("ok");
  create.add_tags("bad\ttag");
  EXPECT_EQ(CheckRequestLimits(create).message(),
            "tags[1]: contains a tab (U+0009) at byte 3; this field is a "
            "single line");

  ticket::v1::UpdateTicketRequest masked;
  masked.mutable_update_mask()->add_paths(std::string(100 * 1024, 'x'));
  EXPECT_EQ(CheckRequestLimits(masked).message(),
            "update_mask.paths[0]: at most 100 bytes, got 102400");
}

TEST(RequestLimitsTest, RepeatedFieldsObeyTheirMaxItems) {
  ticket::v1::CreateTicketRequest create;
  for (int i = 0; i < 21; ++i) create.add_tags("t" + std::to_string(i));
  EXPECT_EQ(CheckRequestLimits(create).message(),
            "tags: at most 20 values, got 21");
}

TEST(RequestLimitsTest, TheDeclaredLimitIsEnforced) {
  ticket::v1::CreateTicketRequest create;
  create.set_subject(std::string(1 << 20, 's'));
  EXPECT_EQ(CheckRequestLimits(create).message(),
            "subject: at most 200 characters, got 1048576");
  create.set_subject("Máy giặt bị hỏng");
  create.set_description("Dòng một\nDòng hai");
  EXPECT_TRUE(CheckRequestLimits(create).ok());
}

// Every string and repeated field that any request of the four APIs can
// reach declares its limit: a new field without one fails here.
TEST(RequestLimitsTest, EveryRequestFieldOfEveryApiDeclaresItsLimit) {
  const google::protobuf::ServiceDescriptor* services[] = {
      ticket::v1::CreateTicketRequest::descriptor()->file()->service(0),
      sla::v1::GetCalendarRequest::descriptor()->file()->service(0),
      escalation::v1::GetTeamRequest::descriptor()->file()->service(0),
      audit::v1::VerifyAuditTrailRequest::descriptor()->file()->service(0),
  };
  int methods = 0;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    for (int i = 0; i < service->method_count(); ++i, ++methods) {
      const google::protobuf::MethodDescriptor& method = *service->method(i);
      EXPECT_EQ(FieldsWithoutLimits(*method.input_type()),
                std::vector<std::string>{})
          << method.full_name();
    }
  }
  EXPECT_GE(methods, 60);
}

TEST(ExplainParseFailureTest, NamesTheStringFieldThatIsNotUtf8) {
  // Build the wire bytes by hand: proto3 refuses to parse them.
  ticket::v1::UpdateTicketRequest request;
  request.mutable_ticket()->set_id(7);
  request.mutable_ticket()->add_tags("fine");
  request.mutable_ticket()->add_tags("bad\xff");
  std::string bytes;
  ASSERT_TRUE(request.SerializePartialToString(&bytes));
  ticket::v1::UpdateTicketRequest parsed;
  ASSERT_FALSE(parsed.ParseFromString(bytes));
  const absl::Status s = ExplainParseFailure(
      *ticket::v1::UpdateTicketRequest::descriptor(), bytes);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "ticket.tags[1]: not valid UTF-8 at byte 3; string fields hold "
            "UTF-8 text");
}

TEST(ExplainParseFailureTest, BrokenBytesAreNamedAsSuch) {
  const absl::Status s = ExplainParseFailure(
      *ticket::v1::CreateTicketRequest::descriptor(), "\x0a\xff\xff\xff");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "request: not a well-formed cxdesk.ticket.v1.CreateTicketRequest "
            "(the protobuf encoding is broken)");
}

}  // namespace
}  // namespace cxdesk::common

namespace cxdesk::common {
namespace {

// The tables of docs/limits.md between its "generated" markers, as the
// protos declare them.
std::string GeneratedLimitTables() {
  const google::protobuf::ServiceDescriptor* services[] = {
      ticket::v1::CreateTicketRequest::descriptor()->file()->service(0),
      sla::v1::GetCalendarRequest::descriptor()->file()->service(0),
      escalation::v1::GetTeamRequest::descriptor()->file()->service(0),
      audit::v1::VerifyAuditTrailRequest::descriptor()->file()->service(0),
  };
  std::string out;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    absl::StrAppend(&out, "\n### ", service->full_name(),
                    "\n\n| Request | Field | Limit |\n|---|---|---|\n");
    std::set<const google::protobuf::Descriptor*> seen;
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::Descriptor* request =
          service->method(i)->input_type();
      if (!seen.insert(request).second) continue;
      for (const FieldLimit& f : DescribeLimits(*request)) {
        absl::StrAppend(&out, "| ", request->name(), " | `", f.path, "` | ",
                        f.limit, " |\n");
      }
    }
  }
  return out;
}

// docs/limits.md lists every field limit exactly as the protos declare it.
// After changing a limit, regenerate the tables with
//   CXDESK_UPDATE_DOCS=1 build/services/common/common_unit_test \
//     --gtest_filter='LimitsDocTest.*'
TEST(LimitsDocTest, DocsListEveryFieldLimitAsTheProtosDeclareIt) {
  const std::string path = std::string(CXDESK_SOURCE_DIR) + "/docs/limits.md";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "cannot read " << path;
  const std::string doc((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
  const std::string begin = "<!-- generated: request field limits -->\n";
  const std::string end = "<!-- end of generated tables -->";
  const size_t from = doc.find(begin);
  const size_t to = doc.find(end);
  ASSERT_NE(from, std::string::npos) << path << " lacks: " << begin;
  ASSERT_NE(to, std::string::npos) << path << " lacks: " << end;
  const std::string current =
      doc.substr(from + begin.size(), to - from - begin.size());
  const std::string wanted = GeneratedLimitTables() + "\n";
  if (current != wanted && std::getenv("CXDESK_UPDATE_DOCS") != nullptr) {
    std::ofstream(path) << doc.substr(0, from + begin.size()) << wanted
                        << doc.substr(to);
    return;
  }
  EXPECT_EQ(current, wanted)
      << "docs/limits.md is out of date; see this test's comment";
}

}  // namespace
}  // namespace cxdesk::common
