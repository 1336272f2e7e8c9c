#ifndef CXDESK_SERVICES_COMMON_EVENT_STREAM_H_
#define CXDESK_SERVICES_COMMON_EVENT_STREAM_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"

namespace cxdesk::common {

// A position in an outbox stream: the writing transaction's id
// (pg_current_xact_id) and the event id. Events are delivered in
// (xid, id) order and only once every transaction with a smaller id has
// ended, so a transaction that commits late can never be skipped.
struct EventCursor {
  uint64_t xid = 0;
  int64_t id = 0;
  bool operator==(const EventCursor& o) const {
    return xid == o.xid && id == o.id;
  }
};

// "<xid>-<id>"; the empty string is the start of the stream.
std::string EncodeCursor(const EventCursor& cursor);
// INVALID_ARGUMENT naming `field` when malformed.
absl::StatusOr<EventCursor> DecodeCursor(absl::string_view text,
                                         absl::string_view field);

// One read from an outbox.
template <typename Event>
struct EventBatch {
  std::vector<Event> events;
  // True when committed events were held back by a transaction in progress
  // when the batch was read: the reader should look again soon. An event
  // that is neither in `events` nor counted here committed after the read
  // began, and its writer's NOTIFY is still to come.
  bool held_back = false;
};

// Streams events after `cursor`: replays what exists, then follows new ones.
// `fetch(cursor, limit)` reads the next batch; `send` delivers one event and
// returns false when the receiver is gone; `cancelled` is polled between
// waits. Waits on `notifier` (NOTIFY from writers), re-reading at least every
// `poll` and within milliseconds when events are held back. Returns OK when
// the receiver leaves or the notifier stops, or the first fetch error.
template <typename Event>
absl::Status RunWatch(EventCursor cursor, const ChangeSignal& notifier,
                      const std::function<absl::StatusOr<EventBatch<Event>>(
                          const EventCursor&, int)>& fetch,
                      const std::function<EventCursor(const Event&)>& cursor_of,
                      const std::function<bool(const Event&)>& send,
                      const std::function<bool()>& cancelled,
                      absl::Duration poll = absl::Seconds(1)) {
  constexpr int kBatch = 500;
  while (true) {
    const uint64_t seen = notifier.generation();
    absl::StatusOr<EventBatch<Event>> batch = fetch(cursor, kBatch);
    if (!batch.ok()) return batch.status();
    for (const Event& event : batch->events) {
      if (!send(event)) return absl::OkStatus();
      cursor = cursor_of(event);
    }
    if (cancelled() || notifier.stopped()) return absl::OkStatus();
    if (static_cast<int>(batch->events.size()) == kBatch) continue;
    if (batch->held_back) {
      // Another transaction is still open below ours; it ends soon.
      absl::SleepFor(absl::Milliseconds(5));
      continue;
    }
    notifier.WaitForChange(seen, poll);
  }
}

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_EVENT_STREAM_H_
