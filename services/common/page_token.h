#ifndef CXDESK_SERVICES_COMMON_PAGE_TOKEN_H_
#define CXDESK_SERVICES_COMMON_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

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

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_PAGE_TOKEN_H_
