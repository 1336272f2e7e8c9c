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

}  // namespace
}  // namespace cxdesk::common
