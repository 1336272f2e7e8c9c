#include "services/common/grpc_status.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cxdesk::common
