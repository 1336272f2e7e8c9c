#include "services/common/page_token.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

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

// Five items read by offset, two a page: three pages, each read asking for
// one row more than it keeps; the last has no token.
TEST(ReadOffsetPageTest, WalksAListingByOffset) {
  const std::vector<int> all = {10, 11, 12, 13, 14};
  std::vector<std::pair<int, int>> reads;
  auto list = [&](int offset, int limit) -> absl::StatusOr<std::vector<int>> {
    reads.emplace_back(offset, limit);
    const int end = std::min<int>(all.size(), offset + limit);
    return std::vector<int>(all.begin() + offset, all.begin() + end);
  };
  std::vector<int> seen;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<Page<int>> page =
        ReadOffsetPage<int>(2, token, "teams", list);
    ASSERT_TRUE(page.ok()) << page.status();
    seen.insert(seen.end(), page->items.begin(), page->items.end());
    token = page->next_page_token;
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(seen, all);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(reads, (std::vector<std::pair<int, int>>{{0, 3}, {2, 3}, {4, 3}}));
}

TEST(ReadOffsetPageTest, ATokenOfAnotherListingIsRefusedBeforeAnyRead) {
  bool read = false;
  auto list = [&](int, int) -> absl::StatusOr<std::vector<int>> {
    read = true;
    return std::vector<int>{};
  };
  const std::string token = EncodePageToken("agents|", 2);
  absl::StatusOr<Page<int>> page = ReadOffsetPage<int>(2, token, "teams", list);
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(page.status().message(), "page_token: "))
      << page.status();
  EXPECT_FALSE(read);
}

}  // namespace
}  // namespace cxdesk::common
