#include "clients/lib/live_feed.h"

#include <grpcpp/grpcpp.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "clients/lib/testing/in_process_server.h"
#include "clients/lib/ticket_client.h"
#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cxdesk::clients {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
using ::testing::ElementsAre;

constexpr LiveFeedBackoff kQuick{absl::Milliseconds(1), absl::Milliseconds(4)};

// What a feed did, in order, as words.
struct Journal {
  std::vector<std::string> entries;
};

// A feed over a scripted stream: attempt i (from 0) delivers the cursor
// "c<i>" and ends with `ends[i]`; the attempt after the last one stops the
// feed. The probe fails `probe_failures` times, then answers.
LiveFeedHooks Scripted(LiveFeed*& feed, Journal& journal,
                       std::vector<absl::Status> ends, int probe_failures) {
  LiveFeedHooks hooks;
  auto attempt = std::make_shared<size_t>(0);
  hooks.follow = [&feed, &journal, ends, attempt](std::string& cursor,
                                                  StreamCanceller&) {
    journal.entries.push_back(absl::StrCat("follow after '", cursor, "'"));
    if (*attempt == ends.size()) {
      feed->Stop();
      return absl::CancelledError("stopped");
    }
    cursor = absl::StrCat("c", *attempt);
    return ends[(*attempt)++];
  };
  auto failures = std::make_shared<int>(probe_failures);
  hooks.probe = [&journal, failures] {
    journal.entries.push_back("probe");
    if (*failures == 0) return absl::OkStatus();
    --*failures;
    return absl::UnavailableError("down");
  };
  hooks.on_lost = [&journal](const absl::Status& status) {
    journal.entries.push_back(
        absl::StrCat("lost ", absl::StatusCodeToString(status.code())));
  };
  hooks.on_back = [&journal] { journal.entries.push_back("back"); };
  return hooks;
}

TEST(LiveFeedTest, ResumesAfterTheLastCursorOnceTheServiceAnswers) {
  Journal journal;
  LiveFeed* feed = nullptr;
  LiveFeed live(Scripted(feed, journal, {absl::UnavailableError("gone")}, 2),
                kQuick);
  feed = &live;
  live.Run("start");
  EXPECT_THAT(journal.entries,
              ElementsAre("follow after 'start'", "lost UNAVAILABLE", "probe",
                          "probe", "probe", "back", "follow after 'c0'"));
}

TEST(LiveFeedTest, EveryBreakIsReportedWithHowTheStreamEnded) {
  Journal journal;
  LiveFeed* feed = nullptr;
  LiveFeed live(
      Scripted(feed, journal,
               {absl::UnauthenticatedError("bad token"), absl::OkStatus()}, 0),
      kQuick);
  feed = &live;
  live.Run("");
  EXPECT_THAT(journal.entries,
              ElementsAre("follow after ''", "lost UNAUTHENTICATED", "probe",
                          "back", "follow after 'c0'", "lost OK", "probe",
                          "back", "follow after 'c1'"));
}

TEST(LiveFeedTest, HooksMayBeLeftEmpty) {
  Journal journal;
  LiveFeed* feed = nullptr;
  LiveFeedHooks hooks =
      Scripted(feed, journal, {absl::UnavailableError("gone")}, 0);
  hooks.on_lost = nullptr;
  hooks.on_back = nullptr;
  LiveFeed live(std::move(hooks), kQuick);
  feed = &live;
  live.Run("");
  EXPECT_THAT(journal.entries,
              ElementsAre("follow after ''", "probe", "follow after 'c0'"));
}

TEST(LiveFeedTest, StoppedBeforeRunReportsNothing) {
  Journal journal;
  LiveFeed* feed = nullptr;
  LiveFeed live(Scripted(feed, journal, {absl::UnavailableError("gone")}, 0),
                kQuick);
  feed = &live;
  live.Stop();
  live.Run("");
  for (const std::string& entry : journal.entries) {
    EXPECT_EQ(entry.rfind("lost", 0), std::string::npos) << entry;
  }
}

// ---------------------------------------------------------------------------
// Against a real in-process server: Stop() ends a stream that is waiting.

// Sends one event with the cursor "<after>+1", then waits until the client
// cancels.
class QuietService final : public ticketpb::TicketService::Service {
 public:
  grpc::Status WatchTicketEvents(
      grpc::ServerContext* context,
      const ticketpb::WatchTicketEventsRequest* request,
      grpc::ServerWriter<ticketpb::TicketEvent>* writer) override {
    ticketpb::TicketEvent event;
    event.set_id(1);
    event.set_cursor(absl::StrCat(request->after_cursor(), "+1"));
    writer->Write(event);
    while (!context->IsCancelled()) absl::SleepFor(absl::Milliseconds(5));
    return grpc::Status::OK;
  }
};

class LiveFeedServerTest : public InProcessServerTest<QuietService> {
 protected:
  LiveFeedServerTest() : InProcessServerTest(/*with_health_service=*/true) {}
};

TEST_F(LiveFeedServerTest, CancellerEndsAWatchWaitingForItsNextMessage) {
  auto client = TicketClient::Connect(target_, {"tok", ""});
  StreamCanceller canceller;
  absl::Notification first;
  absl::Status status;
  std::thread watch([&] {
    status = client->WatchTicketEvents(
        ticketpb::WatchTicketEventsRequest(),
        [&](const ticketpb::TicketEvent&) {
          first.Notify();
          return true;
        },
        &canceller);
  });
  first.WaitForNotification();
  canceller.Cancel();
  watch.join();
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  // Until Reset, a new watch ends at once.
  EXPECT_EQ(
      client
          ->WatchTicketEvents(
              ticketpb::WatchTicketEventsRequest(),
              [](const ticketpb::TicketEvent&) { return true; }, &canceller)
          .code(),
      absl::StatusCode::kCancelled);
}

TEST_F(LiveFeedServerTest, StopEndsRunWhileTheStreamIsQuiet) {
  auto client = TicketClient::Connect(target_, {"tok", ""});
  absl::Notification first;
  std::vector<std::string> cursors;
  std::vector<absl::Status> lost;
  LiveFeedHooks hooks;
  hooks.follow =
      FollowTicketEvents(*client, [&](const ticketpb::TicketEvent& event) {
        cursors.push_back(event.cursor());
        if (!first.HasBeenNotified()) first.Notify();
      });
  hooks.probe = HealthProbe(target_, absl::Seconds(5));
  hooks.on_lost = [&](const absl::Status& s) { lost.push_back(s); };
  LiveFeed feed(std::move(hooks), kQuick);
  std::thread run([&] { feed.Run("a"); });
  first.WaitForNotification();
  feed.Stop();
  run.join();
  EXPECT_THAT(cursors, ElementsAre("a+1"));
  EXPECT_TRUE(lost.empty());
}

}  // namespace
}  // namespace cxdesk::clients
