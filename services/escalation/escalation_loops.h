#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_LOOPS_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_LOOPS_H_

// The background loops of cxdesk-escalationd: two stream consumers (ticket
// events, SLA events), and three outbox loops (after-breach timers, actions
// for the ticket service, webhook deliveries). Each writes only through the
// store, in short transactions, so a replica killed at any point loses
// nothing: a consumer re-reads from its committed cursor, and a claimed
// timer, action or delivery whose transaction rolled back is claimed again.

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/log.h"
#include "services/common/postgres_notifier.h"
#include "services/escalation/escalation_store.h"
#include "services/escalation/http_poster.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// Follows one event stream from the cursor stored under `name` and applies
// what arrives in batches: a reader thread takes events off the stream into
// a bounded queue; the caller's thread applies whatever has arrived (up to
// kMaxBatch) at once, retrying a failed batch with backoff (up to 0.5 s).
// Only the replica holding the lease `lease_key` consumes; the others stand
// by and take over when it goes. Events still queued when the stream or the
// lease ends are read again: the cursor moves only with committed batches.
template <typename Event>
class StreamConsumer {
 public:
  using Apply = std::function<absl::Status(const std::string& consumer,
                                           const std::vector<Event>& batch)>;
  static constexpr size_t kMaxBatch = 200;

  StreamConsumer(std::string name, int64_t lease_key, EscalationStore& store,
                 EventSource<Event>& source, Apply apply)
      : name_(std::move(name)),
        lease_key_(lease_key),
        store_(store),
        source_(source),
        apply_(std::move(apply)) {}

  // Runs until Stop(). Call from a thread of its own.
  void Run();
  // Ends Run() soon. Thread-safe.
  void Stop() {
    if (!stop_.HasBeenNotified()) stop_.Notify();
    source_.Cancel();
  }
  // Events this replica applied.
  int64_t applied() const { return applied_.load(); }

 private:
  class Queue {
   public:
    static constexpr size_t kCapacity = 4 * kMaxBatch;
    bool Push(const Event& e) {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &Queue::HasRoomOrClosed));
      if (closed_) return false;
      items_.push_back(e);
      return true;
    }
    std::vector<Event> Take(size_t max) {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &Queue::HasItemsOrClosed));
      std::vector<Event> out;
      if (closed_) return out;
      while (!items_.empty() && out.size() < max) {
        out.push_back(std::move(items_.front()));
        items_.pop_front();
      }
      return out;
    }
    void Close() {
      absl::MutexLock lock(&mu_);
      closed_ = true;
    }

   private:
    bool HasRoomOrClosed() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return closed_ || items_.size() < kCapacity;
    }
    bool HasItemsOrClosed() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return closed_ || !items_.empty();
    }
    absl::Mutex mu_;
    std::deque<Event> items_ ABSL_GUARDED_BY(mu_);
    bool closed_ ABSL_GUARDED_BY(mu_) = false;
  };

  bool Pause(absl::Duration d) {
    return !stop_.WaitForNotificationWithTimeout(d);
  }
  void ApplyLoop(Queue& queue, Lease& lease);

  const std::string name_;
  const int64_t lease_key_;
  EscalationStore& store_;
  EventSource<Event>& source_;
  const Apply apply_;
  absl::Notification stop_;
  std::atomic<int64_t> applied_{0};
};

// A loop over one kind of due work (timers, actions, deliveries): runs
// `step(now)` while it finds work, then sleeps until `next_due()` or a
// NOTIFY on the escalation channel. Any number of replicas may run one.
class DueLoop {
 public:
  struct Work {
    std::string what;  // For logs, e.g. "firing ladder timers".
    // Does due work at `now`; returns how many items it handled.
    std::function<absl::StatusOr<int>(absl::Time now)> step;
    // The earliest due instant of waiting work; nullopt if none.
    std::function<absl::StatusOr<std::optional<absl::Time>>()> next_due;
  };
  DueLoop(Work work, const common::Clock& clock,
          const common::PgNotifier& notifier,
          absl::Duration poll = absl::Seconds(1))
      : work_(std::move(work)),
        clock_(clock),
        notifier_(notifier),
        poll_(poll) {}

  // Runs until Stop() or the notifier stops. Call from a thread of its own.
  void Run();
  void Stop() { stop_.store(true); }

 private:
  const Work work_;
  const common::Clock& clock_;
  const common::PgNotifier& notifier_;
  const absl::Duration poll_;
  std::atomic<bool> stop_{false};
};

// Carries out one claimed action against the ticket service: fills its
// state, detail, error and next attempt. Transport errors and ABORTED are
// retried with backoff (100 ms doubling to 30 s) up to `max_attempts`;
// refusals (NOT_FOUND, FAILED_PRECONDITION, INVALID_ARGUMENT,
// PERMISSION_DENIED) fail the action at once.
void PerformAction(TicketGateway& gateway, absl::Time now, int max_attempts,
                   ActionRecord& action);

// Sends one claimed webhook delivery: POSTs its payload signed with
// `secret`, marks it delivered on a 2xx answer, otherwise schedules the next
// attempt after WebhookBackoff(attempts, base, 1 min) or, after
// `max_attempts`, makes it a dead letter.
void PerformDelivery(HttpPoster& poster, absl::Time now, int max_attempts,
                     absl::Duration base_backoff, absl::Duration timeout,
                     DeliveryRecord& delivery, const std::string& secret);

// ---- StreamConsumer ----

template <typename Event>
void StreamConsumer<Event>::ApplyLoop(Queue& queue, Lease& lease) {
  absl::Time next_lease_check = absl::Now() + absl::Seconds(5);
  while (!stop_.HasBeenNotified()) {
    const std::vector<Event> batch = queue.Take(kMaxBatch);
    if (batch.empty()) break;  // Closed.
    if (absl::Now() >= next_lease_check) {
      next_lease_check = absl::Now() + absl::Seconds(5);
      if (!lease.Alive()) {
        CXDESK_LOG(Warning) << name_ << ": lease lost; re-acquiring";
        break;
      }
    }
    absl::Duration backoff = absl::Milliseconds(50);
    bool applied = false;
    while (!stop_.HasBeenNotified()) {
      const absl::Status status = apply_(name_, batch);
      if (status.ok()) {
        applied_.fetch_add(static_cast<int64_t>(batch.size()));
        applied = true;
        break;
      }
      CXDESK_LOG(Warning) << name_ << ": applying " << batch.size()
                          << " events from event " << batch.front().id
                          << " failed, retrying: " << status;
      if (!Pause(backoff)) break;
      // Short: most failures are a ticket the other stream has not brought
      // yet, which a fraction of a second cures.
      backoff = std::min(backoff * 2, absl::Milliseconds(500));
    }
    if (!applied) break;
  }
  queue.Close();
  // The reader may be blocked on an idle stream: end it.
  source_.Cancel();
}

template <typename Event>
void StreamConsumer<Event>::Run() {
  absl::Duration backoff = absl::Milliseconds(100);
  bool waiting_logged = false;
  while (!stop_.HasBeenNotified()) {
    absl::StatusOr<std::unique_ptr<Lease>> lease =
        store_.TryAcquireLease(lease_key_);
    if (!lease.ok() || *lease == nullptr) {
      if (!lease.ok()) {
        CXDESK_LOG(Warning) << name_ << ": lease: " << lease.status();
      } else if (!waiting_logged) {
        CXDESK_LOG(Info) << name_ << ": another replica consumes; standing by";
        waiting_logged = true;
      }
      if (!Pause(absl::Seconds(1))) return;
      continue;
    }
    waiting_logged = false;
    absl::StatusOr<std::string> cursor = store_.ReadCursor(name_);
    if (!cursor.ok()) {
      CXDESK_LOG(Warning) << name_
                          << ": reading the cursor: " << cursor.status();
      if (!Pause(backoff)) return;
      continue;
    }
    CXDESK_LOG(Info) << name_ << ": following after \"" << *cursor << "\"";
    Queue queue;
    std::thread applier([&] { ApplyLoop(queue, **lease); });
    const absl::Status status = source_.Follow(
        *cursor, [&](const Event& event) { return queue.Push(event); });
    queue.Close();
    applier.join();
    source_.Reset();
    if (stop_.HasBeenNotified()) return;
    if (status.ok() || absl::IsCancelled(status)) {
      backoff = absl::Milliseconds(100);
      continue;  // The applier ended it (lease lost or a stop): start over.
    }
    CXDESK_LOG(Warning) << name_ << ": stream ended: " << status
                        << "; reconnecting";
    if (!Pause(backoff)) return;
    backoff = std::min(backoff * 2, absl::Seconds(2));
  }
}

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_LOOPS_H_
