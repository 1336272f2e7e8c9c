// Fuzz target: the opaque position tokens clients hand back to us, i.e. page
// tokens (page_token.h), etags (ParseEtag) and event-stream cursors
// (event_stream.h). Checks, for arbitrary bytes:
//  - decoding never crashes, and a refusal is INVALID_ARGUMENT;
//  - a decoded page token re-encodes to a token that decodes to the same
//    position under the same fingerprint, and is refused (INVALID_ARGUMENT)
//    under another fingerprint;
//  - a decoded cursor re-encodes to a cursor that decodes to the same value;
//  - an accepted etag names a positive version.
//
// Input: [1 byte: how many of the next bytes are the fingerprint] [the
// fingerprint] [the token]; the same token is also decoded as an etag and as
// a cursor. Corpus: fuzz/corpus/page_token_fuzz/.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/common/event_stream.h"
#include "services/common/page_token.h"

namespace {

using cxdesk::common::DecodeCursor;
using cxdesk::common::DecodePageToken;
using cxdesk::common::EncodeCursor;
using cxdesk::common::EncodePageToken;
using cxdesk::common::EventCursor;
using cxdesk::common::ParseEtag;

// A finding: traps, naming the line of the check that failed.
void Check(bool ok, int line = __builtin_LINE()) {
  if (ok) return;
  std::fprintf(stderr, "%s:%d: check failed\n", __FILE__, line);
  __builtin_trap();
}

// A refusal must be INVALID_ARGUMENT with a message naming the field.
void CheckRefusal(const absl::Status& status, absl::string_view field) {
  Check(status.code() == absl::StatusCode::kInvalidArgument);
  Check(absl::string_view(status.message()).substr(0, field.size()) == field);
}

void FuzzPageToken(absl::string_view fingerprint, absl::string_view token) {
  absl::StatusOr<int64_t> position = DecodePageToken(token, fingerprint);
  if (!position.ok()) {
    CheckRefusal(position.status(), "page_token:");
    return;
  }
  Check(*position >= 0);
  if (token.empty()) {
    Check(*position == 0);
    return;
  }
  const std::string again = EncodePageToken(fingerprint, *position);
  absl::StatusOr<int64_t> decoded = DecodePageToken(again, fingerprint);
  Check(decoded.ok() && *decoded == *position);
  // The same position for a query with other filters is refused.
  const std::string other = std::string(fingerprint) + "|other";
  absl::StatusOr<int64_t> replayed = DecodePageToken(again, other);
  Check(!replayed.ok());
  CheckRefusal(replayed.status(), "page_token:");
}

void FuzzCursor(absl::string_view text) {
  absl::StatusOr<EventCursor> cursor = DecodeCursor(text, "after_cursor");
  if (!cursor.ok()) {
    CheckRefusal(cursor.status(), "after_cursor:");
    return;
  }
  if (text.empty()) return;
  absl::StatusOr<EventCursor> again =
      DecodeCursor(EncodeCursor(*cursor), "after_cursor");
  Check(again.ok() && *again == *cursor);
}

void FuzzEtag(const std::string& text) {
  for (bool required : {false, true}) {
    absl::StatusOr<int64_t> version = ParseEtag(text, required);
    if (!version.ok()) {
      CheckRefusal(version.status(), "etag:");
      continue;
    }
    Check(text.empty() ? (!required && *version == -1) : *version > 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t fingerprint_size = std::min<size_t>(data[0], size - 1);
  const absl::string_view fingerprint = input.substr(1, fingerprint_size);
  const absl::string_view token = input.substr(1 + fingerprint_size);
  FuzzPageToken(fingerprint, token);
  // A fixed fingerprint too, the one of a real List method.
  FuzzPageToken("comments|1", token);
  FuzzCursor(token);
  FuzzEtag(std::string(token));
  return 0;
}
