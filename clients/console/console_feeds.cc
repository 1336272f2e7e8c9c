// ConsoleApp's background: the live feeds of ticket events and
// notifications (through clients/lib/live_feed.h) and the SLA worker.
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/console/console_app.h"
#include "clients/lib/live_feed.h"

namespace cxdesk::clients::console {
namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;
namespace escpb = ::cxdesk::escalation::v1;

namespace {

// How long a health check of a service that is down may take.
constexpr absl::Duration kHealthTimeout = absl::Seconds(2);

Update Said(Update::Kind kind, std::string message) {
  Update u;
  u.kind = kind;
  u.message = std::move(message);
  return u;
}

}  // namespace

void ConsoleApp::RequestSla(int64_t ticket_id, absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  const absl::Time due = absl::Now() + delay;
  auto it = sla_due_.find(ticket_id);
  if (it == sla_due_.end() || due < it->second) sla_due_[ticket_id] = due;
}

void ConsoleApp::StartBackground() {
  ticket_feed_ = std::make_unique<LiveFeed>(TicketFeedHooks());
  notification_feed_ = std::make_unique<LiveFeed>(NotificationFeedHooks());
  // What Start() loaded is not replayed; notifications start at the live end.
  threads_.emplace_back([this] { ticket_feed_->Run(watch_after_); });
  threads_.emplace_back([this] { notification_feed_->Run(""); });
  threads_.emplace_back([this] { SlaWorker(); });
}

void ConsoleApp::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  if (ticket_feed_ != nullptr) ticket_feed_->Stop();
  if (notification_feed_ != nullptr) notification_feed_->Stop();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

bool ConsoleApp::SleepUnlessStopping(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), d);
  return !stopping_;
}

LiveFeedHooks ConsoleApp::TicketFeedHooks() {
  LiveFeedHooks hooks;
  hooks.follow = FollowTicketEvents(tickets_client_,
                                    [this](const ticketpb::TicketEvent& e) {
                                      Update u;
                                      u.kind = Update::Kind::kTicketEvent;
                                      u.event = e;
                                      inbox_.Post(std::move(u));
                                    });
  hooks.probe = HealthProbe(options_.ticket_target, kHealthTimeout);
  hooks.on_lost = [this](const absl::Status& status) {
    // A stream ends (UNAVAILABLE, CANCELLED, ...) when the service goes
    // away; only a refused token says something else.
    const bool refused = status.code() == absl::StatusCode::kUnauthenticated ||
                         status.code() == absl::StatusCode::kPermissionDenied;
    inbox_.Post(Said(Update::Kind::kMessage,
                     refused ? ErrorWords(status, "ticket")
                             : "ticket service unreachable, retrying"));
  };
  hooks.on_back = [this] {
    inbox_.Post(
        Said(Update::Kind::kReload, "ticket service restarted — reconnected"));
  };
  return hooks;
}

LiveFeedHooks ConsoleApp::NotificationFeedHooks() {
  LiveFeedHooks hooks;
  hooks.follow = FollowNotifications(escalation_client_,
                                     [this](const escpb::Notification& n) {
                                       Update u;
                                       u.kind = Update::Kind::kNotification;
                                       u.notification = n;
                                       inbox_.Post(std::move(u));
                                     });
  hooks.probe = HealthProbe(options_.escalation_target, kHealthTimeout);
  // No on_lost: quietly, as an agent without an escalation service still
  // has tickets.
  hooks.on_back = [this] {
    inbox_.Post(Said(Update::Kind::kEscalationBack,
                     "escalation service restarted — reconnected"));
  };
  return hooks;
}
void ConsoleApp::SlaWorker() {
  bool unreachable = false;
  while (true) {
    int64_t id = 0;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      const absl::Time now = absl::Now();
      for (const auto& [ticket, due] : sla_due_) {
        if (due <= now) {
          id = ticket;
          break;
        }
      }
      if (id != 0) sla_due_.erase(id);
    }
    if (id == 0) {
      if (!SleepUnlessStopping(absl::Milliseconds(100))) return;
      continue;
    }
    slapb::GetTicketSlaRequest request;
    request.set_ticket_id(id);
    Update u;
    u.kind = Update::Kind::kSla;
    u.ticket_id = id;
    u.sla = sla_client_.GetTicketSla(request);
    if (!u.sla.ok() &&
        (u.sla.status().code() == absl::StatusCode::kUnavailable ||
         u.sla.status().code() == absl::StatusCode::kDeadlineExceeded)) {
      // Try again later; say so once.
      if (!unreachable) {
        Update m;
        m.kind = Update::Kind::kMessage;
        m.message = ErrorWords(u.sla.status(), "SLA");
        inbox_.Post(std::move(m));
      }
      unreachable = true;
      RequestSla(id, absl::Seconds(3));
      continue;
    }
    if (unreachable) {
      Update m;
      m.kind = Update::Kind::kMessage;
      m.message = "SLA service reachable again";
      inbox_.Post(std::move(m));
      unreachable = false;
    }
    inbox_.Post(std::move(u));
  }
}

}  // namespace cxdesk::clients::console
