#include "services/common/page_token.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace cxdesk::common {
namespace {

TEST(PageTokenTest, RoundTripsPosition) {
  std::string token = EncodePageToken("status=open", 150);
  absl::StatusOr<int64_t> position = DecodePageToken(token, "status=open");
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(*position, 150);
}

TEST(PageTokenTest, EmptyTokenIsTheFirstPage) {
  EXPECT_EQ(*DecodePageToken("", "anything"), 0);
}

TEST(PageTokenTest, TokenForOtherFiltersIsRejected) {
  std::string token = EncodePageToken("status=open", 50);
  absl::Status status = DecodePageToken(token, "status=closed").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "page_token: was issued for a request with other filters");
}

TEST(PageTokenTest, GarbageIsInvalidArgument) {
  for (absl::string_view bad : {"x", "!!!!", "bm90LWEtdG9rZW4"}) {
    absl::Status status = DecodePageToken(bad, "f").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StartsWith(status.message(), "page_token:")) << bad;
  }
}

TEST(PageSizeTest, DefaultsAndLimits) {
  EXPECT_EQ(*ResolvePageSize(0), 50);
  EXPECT_EQ(*ResolvePageSize(500), 500);
  EXPECT_EQ(ResolvePageSize(501).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolvePageSize(-1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cxdesk::common
