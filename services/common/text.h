#ifndef CXDESK_SERVICES_COMMON_TEXT_H_
#define CXDESK_SERVICES_COMMON_TEXT_H_

// The one text validator of cxdesk: what a text field may hold, and how an
// error message quotes what a client sent. Pure; no proto, no I/O.

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace cxdesk::common {

// What one text field may hold. At least one of the two limits is set.
struct TextRule {
  // Most Unicode code points; 0 = not limited by characters.
  int max_chars = 0;
  // Most UTF-8 bytes; 0 = not limited by bytes.
  int max_bytes = 0;
  // Tab, line feed and carriage return allowed (every other control
  // character is refused either way).
  bool multiline = false;
};

// OK if `value` is valid UTF-8 without NUL, holds no control character the
// rule does not allow (C0, DEL and C1; a multiline rule allows \t \n \r),
// and is within the rule's limits. Otherwise INVALID_ARGUMENT starting with
// `field`, for example "reason: contains NUL (U+0000) at byte 6" or
// "subject: at most 200 characters, got 1048576". Never echoes the value.
// An empty value is OK (whether a field is required is the caller's rule).
absl::Status CheckText(absl::string_view field, absl::string_view value,
                       const TextRule& rule);

// The byte offset of the first invalid UTF-8 sequence in `value` (overlong
// forms, surrogates and code points past U+10FFFF are invalid), or npos.
size_t FirstInvalidUtf8(absl::string_view value);

// Code points in `value`, which must be valid UTF-8.
size_t CountCodePoints(absl::string_view value);

// A bounded quotation of a client's value for an error message: the value in
// double quotes when it is short, else its first 64 characters, an ellipsis
// and its length ("\"abc...\" (1048576 bytes)"). Control characters, quotes
// and backslashes are escaped, invalid UTF-8 is shown as \xNN, so the result
// is printable UTF-8 of at most ~300 bytes, whatever `value` holds.
std::string Excerpt(absl::string_view value);

// `text` cut to at most `max_bytes` bytes at a UTF-8 character boundary,
// with "..." appended when it was cut. For bounding whole messages.
std::string Truncate(absl::string_view text, size_t max_bytes);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_TEXT_H_
