#include "clients/lib/live_feed.h"

#include <algorithm>
#include <utility>

namespace cxdesk::clients {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace escpb = ::cxdesk::escalation::v1;

// Follows `client`'s `watch` method (a Watch* RPC taking an after_cursor),
// moving the cursor past each message it hands to `on_message`.
template <typename Request, typename Client, typename Message>
FollowOnce FollowWith(
    Client& client,
    absl::Status (Client::*watch)(const Request&,
                                  const std::function<bool(const Message&)>&,
                                  StreamCanceller*),
    std::function<void(const Message&)> on_message) {
  return [&client, watch, on_message = std::move(on_message)](
             std::string& cursor, StreamCanceller& canceller) {
    Request request;
    request.set_after_cursor(cursor);
    const std::function<bool(const Message&)> deliver =
        [&](const Message& message) {
          cursor = message.cursor();
          on_message(message);
          return true;
        };
    return (client.*watch)(request, deliver, &canceller);
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
    std::function<void(const ticketpb::TicketEvent&)> on_event) {
  return FollowWith<ticketpb::WatchTicketEventsRequest>(
      client, &TicketClient::WatchTicketEvents, std::move(on_event));
}

FollowOnce FollowNotifications(
    EscalationClient& client,
    std::function<void(const escpb::Notification&)> on_notification) {
  return FollowWith<escpb::WatchNotificationsRequest>(
      client, &EscalationClient::WatchNotifications,
      std::move(on_notification));
}

}  // namespace cxdesk::clients
