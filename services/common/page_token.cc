#include "services/common/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/crypto.h"
#include "services/common/text.h"

namespace cxdesk::common {
namespace {

std::string Fingerprint(absl::string_view filters) {
  return Sha256Hex(filters).substr(0, 16);
}

}  // namespace

absl::StatusOr<int> ResolvePageSize(int32_t page_size, int default_size,
                                    int max_size) {
  if (page_size < 0 || page_size > max_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 0 (default ", default_size,
                     ") and ", max_size, ", got ", page_size));
  }
  return page_size == 0 ? default_size : page_size;
}

std::string EncodePageToken(absl::string_view fingerprint, int64_t position) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(Fingerprint(fingerprint), ":", position));
}

absl::StatusOr<int64_t> DecodePageToken(absl::string_view token,
                                        absl::string_view fingerprint) {
  if (token.empty()) return 0;
  std::string raw;
  int64_t position = 0;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 18 ||
      raw[16] != ':' || !absl::SimpleAtoi(raw.substr(17), &position) ||
      position < 0) {
    return absl::InvalidArgumentError(
        "page_token: malformed (pass next_page_token from a previous "
        "response)");
  }
  if (raw.substr(0, 16) != Fingerprint(fingerprint)) {
    return absl::InvalidArgumentError(
        "page_token: was issued for a request with other filters");
  }
  return position;
}

absl::StatusOr<int64_t> ParseEtag(const std::string& etag, bool required) {
  if (etag.empty()) {
    if (required) return absl::InvalidArgumentError("etag: required");
    return -1;
  }
  int64_t version = 0;
  if (!absl::SimpleAtoi(etag, &version) || version <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "etag: ", common::Excerpt(etag), " is not an etag this service gave"));
  }
  return version;
}

}  // namespace cxdesk::common
