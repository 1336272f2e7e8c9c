#include "services/common/grpc_status.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace cxdesk::common {
namespace {

TEST(GrpcStatusTest, EveryCodeRoundTrips) {
  for (int code = 0; code <= 16; ++code) {
    absl::Status in(static_cast<absl::StatusCode>(code), code ? "why" : "");
    grpc::Status out = ToGrpcStatus(in);
    EXPECT_EQ(static_cast<int>(out.error_code()), code);
    EXPECT_EQ(FromGrpcStatus(out), in);
  }
}

TEST(GrpcStatusTest, KeepsTheMessage) {
  grpc::Status out = ToGrpcStatus(absl::InvalidArgumentError("subject: empty"));
  EXPECT_EQ(out.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(out.error_message(), "subject: empty");
}

TEST(GrpcStatusTest, FieldOfMessageIsTheLeadingFieldPath) {
  EXPECT_EQ(FieldOfMessage("subject: at most 200 characters"), "subject");
  EXPECT_EQ(FieldOfMessage("tags[2]: empty"), "tags[2]");
  EXPECT_EQ(FieldOfMessage("ticket.etag: stale"), "ticket.etag");
  EXPECT_EQ(FieldOfMessage("Ticket 7: changed"), "");
  EXPECT_EQ(FieldOfMessage("no field here"), "");
  EXPECT_EQ(FieldOfMessage(": empty"), "");
}

TEST(GrpcStatusTest, InvalidArgumentNamesTheFieldInBadRequestDetails) {
  grpc::Status out = ToGrpcStatus(
      absl::InvalidArgumentError("subject: at most 200 characters, got 201"));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(out.error_details()));
  EXPECT_EQ(details.code(), 3);
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "subject");
  EXPECT_EQ(bad_request.field_violations(0).description(),
            "at most 200 characters, got 201");
}

TEST(GrpcStatusTest, OtherErrorsCarryNoDetails) {
  EXPECT_EQ(
      ToGrpcStatus(absl::NotFoundError("ticket 4: not found")).error_details(),
      "");
  EXPECT_EQ(ToGrpcStatus(absl::InvalidArgumentError("Something odd: x"))
                .error_details(),
            "");
  EXPECT_EQ(
      ToGrpcStatus(absl::InvalidArgumentError("no field here")).error_details(),
      "");
}

// A message that echoed a huge value would not fit in the response headers:
// the client would get no answer at all. It is cut, in both places.
TEST(GrpcStatusTest, BoundsTheMessageAndTheDetails) {
  const std::string huge = "order_by: got \"" + std::string(1 << 20, 'x');
  grpc::Status out = ToGrpcStatus(absl::InvalidArgumentError(huge));
  EXPECT_EQ(out.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(out.error_message().size(), kMaxStatusMessageBytes);
  EXPECT_EQ(out.error_message().substr(0, 14), "order_by: got ");
  EXPECT_EQ(out.error_message().substr(kMaxStatusMessageBytes - 3), "...");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(out.error_details()));
  EXPECT_LE(out.error_details().size(), 2 * kMaxStatusMessageBytes + 64);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "order_by");

  // Any code, not only INVALID_ARGUMENT; a cut never splits a character.
  std::string vietnamese;
  while (vietnamese.size() < 4096) vietnamese += "ệ";
  out = ToGrpcStatus(absl::NotFoundError(vietnamese));
  EXPECT_LE(out.error_message().size(), kMaxStatusMessageBytes);
  EXPECT_EQ(out.error_message().substr(out.error_message().size() - 6), "ệ...");
}

}  // namespace
}  // namespace cxdesk::common
