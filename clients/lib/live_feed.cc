#include "clients/lib/live_feed.h"

#include <algorithm>
#include <utility>

namespace cxdesk::clients {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
namespace esc = ::cxdesk::escalation::v1;

// `watch(after, on_message, canceller)` opens one stream after a cursor;
// the result follows it, moving the cursor past each message it hands on.
template <typename Message, typename Watch>
FollowOnce FollowWith(Watch watch,
                      std::function<void(const Message&)> on_message) {
  return [watch = std::move(watch), on_message = std::move(on_message)](
             std::string& cursor, StreamCanceller& canceller) {
    const std::function<bool(const Message&)> deliver =
        [&](const Message& message) {
          cursor = message.cursor();
          on_message(message);
          return true;
        };
    return watch(cursor, deliver, canceller);
  };
}

}  // namespace

LiveFeed::LiveFeed(LiveFeedHooks hooks, LiveFeedBackoff backoff)
    : hooks_(std::move(hooks)), backoff_(backoff) {}

void LiveFeed::Run(std::string cursor) {
  bool failed = false;
  absl::Duration backoff = backoff_.first_backoff;
  while (true) {
    if (failed) {
      // Wait for the service to answer again before reopening the stream.
      if (!hooks_.probe().ok()) {
        if (!SleepUnlessStopped(backoff)) return;
        backoff = std::min(backoff * 2, backoff_.max_backoff);
        continue;
      }
      if (hooks_.on_back) hooks_.on_back();
      failed = false;
      backoff = backoff_.first_backoff;
    }
    const absl::Status status = hooks_.follow(cursor, canceller_);
    // CANCELLED is ours only when stopped; a server shutting down cancels
    // streams too, and then the feed reconnects.
    if (stopped()) return;
    if (hooks_.on_lost) hooks_.on_lost(status);
    failed = true;
    if (!SleepUnlessStopped(backoff)) return;
  }
}

void LiveFeed::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }
  canceller_.Cancel();
}

bool LiveFeed::SleepUnlessStopped(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopped_), d);
  return !stopped_;
}

bool LiveFeed::stopped() {
  absl::MutexLock lock(&mu_);
  return stopped_;
}

std::function<absl::Status()> HealthProbe(std::string target,
                                          absl::Duration timeout) {
  return [target = std::move(target), timeout] {
    return CheckHealth(target, timeout);
  };
}

FollowOnce FollowTicketEvents(
    TicketClient& client,
    std::function<void(const v1::TicketEvent&)> on_event) {
  return FollowWith<v1::TicketEvent>(
      [&client](const std::string& after,
                const std::function<bool(const v1::TicketEvent&)>& deliver,
                StreamCanceller& canceller) {
        v1::WatchTicketEventsRequest request;
        request.set_after_cursor(after);
        return client.WatchTicketEvents(request, deliver, &canceller);
      },
      std::move(on_event));
}

FollowOnce FollowNotifications(
    EscalationClient& client,
    std::function<void(const esc::Notification&)> on_notification) {
  return FollowWith<esc::Notification>(
      [&client](const std::string& after,
                const std::function<bool(const esc::Notification&)>& deliver,
                StreamCanceller& canceller) {
        esc::WatchNotificationsRequest request;
        request.set_after_cursor(after);
        return client.WatchNotifications(request, deliver, &canceller);
      },
      std::move(on_notification));
}

}  // namespace cxdesk::clients
