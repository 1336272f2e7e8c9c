#ifndef CXDESK_CLIENTS_LIB_LIVE_FEED_H_
#define CXDESK_CLIENTS_LIB_LIVE_FEED_H_

// A Watch* stream followed for as long as a client runs: resumed after the
// last message's cursor whenever the stream breaks, once the service answers
// health checks again. The one reconnect loop of the clients.

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clients/lib/call_setup.h"
#include "clients/lib/escalation_client.h"
#include "clients/lib/ticket_client.h"

namespace cxdesk::clients {

// Follows the stream once, from after `cursor`, until it ends, moving
// `cursor` to each delivered message's cursor; `canceller` ends it early.
// Returns how the stream ended (as a client's Watch* method does).
using FollowOnce = std::function<absl::Status(std::string& cursor,
                                              StreamCanceller& canceller)>;

// What a LiveFeed does besides following. `follow` and `probe` are
// required; `on_lost` and `on_back` may be empty. All run on Run()'s thread.
struct LiveFeedHooks {
  FollowOnce follow;
  // Whether the service answers again: OK when it does (see HealthProbe).
  std::function<absl::Status()> probe;
  // The stream broke (not by Stop()), with how it ended.
  std::function<void(const absl::Status&)> on_lost;
  // After a break, the service answers again; the stream is reopened next.
  std::function<void()> on_back;
};

// The waits between the attempts: `first_backoff`, doubling while the
// service does not answer, up to `max_backoff`.
struct LiveFeedBackoff {
  absl::Duration first_backoff = absl::Milliseconds(250);
  absl::Duration max_backoff = absl::Seconds(5);
};

// Runs the follow loop on the caller's thread until Stop(). Thread-safe:
// Stop() may be called from any thread, also before Run(); one Run at a
// time.
class LiveFeed {
 public:
  explicit LiveFeed(LiveFeedHooks hooks, LiveFeedBackoff backoff = {});
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // Follows from after `cursor` ("" for the live end) until Stop(). When
  // the stream ends, calls on_lost with how it ended, waits the backoff,
  // then probes (waiting the backoff, doubled each time, between probes)
  // until the service answers, calls on_back and reopens the stream after
  // the last cursor. Returns at once after Stop().
  void Run(std::string cursor);

  // Ends Run(): cancels the stream in progress and the wait. Idempotent;
  // every later Run() returns at once.
  void Stop();

 private:
  // Waits `d` unless stopped; false once stopped.
  bool SleepUnlessStopped(absl::Duration d);
  bool stopped();

  const LiveFeedHooks hooks_;
  const LiveFeedBackoff backoff_;
  StreamCanceller canceller_;
  absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

// A probe that asks the health service at `target` ("host:port") about the
// whole server with a deadline of `timeout` (CheckHealth).
std::function<absl::Status()> HealthProbe(std::string target,
                                          absl::Duration timeout);

// Follows WatchTicketEvents through `client` (which must outlive the
// result), handing each event to `on_event`.
FollowOnce FollowTicketEvents(
    TicketClient& client,
    std::function<void(const ticket::v1::TicketEvent&)> on_event);

// Follows WatchNotifications (the caller's own) through `client` (which
// must outlive the result), handing each notification to `on_notification`.
FollowOnce FollowNotifications(
    EscalationClient& client,
    std::function<void(const escalation::v1::Notification&)> on_notification);

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_LIB_LIVE_FEED_H_
