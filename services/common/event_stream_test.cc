#include "services/common/event_stream.h"

#include <gtest/gtest.h>

#include <deque>

namespace cxdesk::common {
namespace {

TEST(EventCursorTest, RoundTrips) {
  EventCursor cursor{987654321, 42};
  absl::StatusOr<EventCursor> back = DecodeCursor(EncodeCursor(cursor), "c");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, cursor);
  EXPECT_EQ(*DecodeCursor("", "c"), EventCursor{});
}

TEST(EventCursorTest, MalformedNamesTheField) {
  for (absl::string_view bad : {"12", "a-b", "1-2-3", "-5", "1--5"}) {
    absl::Status status = DecodeCursor(bad, "after_cursor").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(status.message().substr(0, 13), "after_cursor:") << bad;
  }
}

struct FakeEvent {
  EventCursor cursor;
};

TEST(RunWatchTest, DeliversEveryBatchInOrderAndStopsWhenReceiverLeaves) {
  ChangeCounter notifier;  // Never bumped: only times out.
  std::deque<EventBatch<FakeEvent>> script;
  script.push_back({{{{1, 1}}, {{1, 2}}}, false});
  script.push_back({{}, true});  // Held back: look again soon.
  script.push_back({{{{2, 3}}}, false});
  std::vector<EventCursor> asked;
  std::vector<int64_t> got;
  absl::Status status = RunWatch<FakeEvent>(
      EventCursor{}, notifier,
      [&](const EventCursor& after,
          int) -> absl::StatusOr<EventBatch<FakeEvent>> {
        asked.push_back(after);
        if (script.empty()) return EventBatch<FakeEvent>{};
        EventBatch<FakeEvent> next = script.front();
        script.pop_front();
        return next;
      },
      [](const FakeEvent& e) { return e.cursor; },
      [&](const FakeEvent& e) {
        got.push_back(e.cursor.id);
        return got.size() < 3;
      },
      [] { return false; }, absl::Milliseconds(1));
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 3}));
  ASSERT_EQ(asked.size(), 3u);
  EXPECT_EQ(asked[1], (EventCursor{1, 2}));
  EXPECT_EQ(asked[2], (EventCursor{1, 2}));
}

TEST(RunWatchTest, FetchErrorEndsTheWatch) {
  ChangeCounter notifier;
  absl::Status status = RunWatch<FakeEvent>(
      EventCursor{}, notifier,
      [](const EventCursor&, int) -> absl::StatusOr<EventBatch<FakeEvent>> {
        return absl::UnavailableError("db down");
      },
      [](const FakeEvent& e) { return e.cursor; },
      [](const FakeEvent&) { return true; }, [] { return false; });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cxdesk::common
