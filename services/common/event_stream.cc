#include "services/common/event_stream.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cxdesk::common {

std::string EncodeCursor(const EventCursor& cursor) {
  return absl::StrCat(cursor.xid, "-", cursor.id);
}

absl::StatusOr<EventCursor> DecodeCursor(absl::string_view text,
                                         absl::string_view field) {
  EventCursor cursor;
  if (text.empty()) return cursor;
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &cursor.xid) ||
      !absl::SimpleAtoi(parts[1], &cursor.id) || cursor.id < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": malformed cursor (expected the cursor of an event)"));
  }
  return cursor;
}

}  // namespace cxdesk::common
