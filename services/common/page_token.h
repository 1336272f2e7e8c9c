#ifndef CXDESK_SERVICES_COMMON_PAGE_TOKEN_H_
#define CXDESK_SERVICES_COMMON_PAGE_TOKEN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cxdesk::common {

// Page size rules shared by every List method: 0 means `default_size`;
// INVALID_ARGUMENT ("page_size: ...") below 0 or above `max_size`.
absl::StatusOr<int> ResolvePageSize(int32_t page_size, int default_size = 50,
                                    int max_size = 500);

// Opaque page tokens. A token binds a position (an offset, or a key of the
// last row) to a fingerprint of the request's filters, so a token cannot be
// replayed against a different query.
std::string EncodePageToken(absl::string_view fingerprint, int64_t position);

// Returns the position, 0 for an empty token; INVALID_ARGUMENT
// ("page_token: ...") when the token is malformed or was made for another
// request.
absl::StatusOr<int64_t> DecodePageToken(absl::string_view token,
                                        absl::string_view fingerprint);

// One page of a List call.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // Empty on the last page.
};

// The page of `items`, read with one row more than `size` to know whether
// another page follows; its token carries position_after(last item kept).
template <typename T>
Page<T> MakePage(std::vector<T> items, int size, absl::string_view fingerprint,
                 const std::function<int64_t(const T&)>& position_after) {
  Page<T> page;
  if (static_cast<int>(items.size()) > size) {
    items.resize(size);
    page.next_page_token =
        EncodePageToken(fingerprint, position_after(items.back()));
  }
  page.items = std::move(items);
  return page;
}

// How large a page may be: page_size 0 means `default_size`.
struct PageLimits {
  int default_size = 50;
  int max_size = 500;
};

// The next position of an offset-paged listing: position + size.
struct ByOffset {
  template <typename T>
  int64_t operator()(int64_t position, int size, const T&) const {
    return position + size;
  }
};

// One page of a List call, the one way every manager pages: checks
// page_size against `limits` and the page_token against `fingerprint`
// (INVALID_ARGUMENT "page_size: ..." or "page_token: ...", in that order),
// calls `read(position, size + 1)` (position 0 on the first page; the extra
// row tells whether another page follows) and keeps `size` rows, whose
// next token carries `position_after(position, size, last row kept)`:
// ByOffset{} for offset paging, the last row's key for keyed paging.
// `read`'s error is returned as it is.
template <typename T, typename Read, typename PositionAfter>
absl::StatusOr<Page<T>> ReadPage(int32_t page_size,
                                 absl::string_view page_token,
                                 absl::string_view fingerprint,
                                 const Read& read,
                                 const PositionAfter& position_after,
                                 PageLimits limits = {}) {
  absl::StatusOr<int> size =
      ResolvePageSize(page_size, limits.default_size, limits.max_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<int64_t> position = DecodePageToken(page_token, fingerprint);
  if (!position.ok()) return position.status();
  absl::StatusOr<std::vector<T>> items = read(*position, *size + 1);
  if (!items.ok()) return items.status();
  return MakePage<T>(*std::move(items), *size, fingerprint, [&](const T& last) {
    return position_after(*position, *size, last);
  });
}

// ReadPage for a listing read by offset, as every configuration listing is:
// `list(offset, limit)` returns up to `limit` items from `offset`.
template <typename T, typename List>
absl::StatusOr<Page<T>> ReadOffsetPage(int32_t page_size,
                                       absl::string_view page_token,
                                       absl::string_view fingerprint,
                                       const List& list) {
  return ReadPage<T>(
      page_size, page_token, fingerprint,
      [&](int64_t offset, int limit) {
        return list(static_cast<int>(offset), limit);
      },
      ByOffset{});
}

// The version an etag names; -1 for an empty etag unless `required`
// (then INVALID_ARGUMENT "etag: required"). INVALID_ARGUMENT for an etag
// this service did not give.
absl::StatusOr<int64_t> ParseEtag(const std::string& etag, bool required);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_PAGE_TOKEN_H_
