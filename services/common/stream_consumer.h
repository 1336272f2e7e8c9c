#ifndef CXDESK_SERVICES_COMMON_STREAM_CONSUMER_H_
#define CXDESK_SERVICES_COMMON_STREAM_CONSUMER_H_

// How a service follows another service's event stream (the SLA service the
// ticket stream; the escalation service the ticket and SLA streams): one
// replica at a time holds the consumer's lease, reads the stream from its
// committed cursor and applies what arrives in batches, each batch in one
// transaction together with the cursor. A reader thread takes events off
// the stream into a bounded queue; the applier applies whatever has arrived
// (up to max_batch) at once, so a burst costs one commit per batch while a
// lone event is applied at once. A failed batch is retried with backoff;
// events still queued when the stream or the lease ends are simply read
// again, because the cursor moves only with committed batches.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/log.h"

namespace cxdesk::common {

// An exclusive, process-wide lease (e.g. a PostgreSQL session advisory lock
// on a connection of its own), released when destroyed.
class Lease {
 public:
  virtual ~Lease() = default;
  // Whether the lease is still held (its connection is alive).
  virtual bool Alive() = 0;
};

// A server stream followed from a cursor. Thread-safe.
template <typename Event>
class EventSource {
 public:
  virtual ~EventSource() = default;
  // Streams the events after `after_cursor` ("" = from the beginning),
  // replaying and then following live, calling `on_event` for each in
  // stream order until it returns false (then OK), Cancel() is called
  // (CANCELLED), or the stream fails (its error, e.g. UNAVAILABLE). Blocks.
  virtual absl::Status Follow(
      const std::string& after_cursor,
      const std::function<bool(const Event&)>& on_event) = 0;
  // Ends a Follow in progress (from another thread) and makes later ones
  // return CANCELLED at once until Reset(). Idempotent.
  virtual void Cancel() = 0;
  // Undoes Cancel() for the next Follow.
  virtual void Reset() = 0;
};

template <typename Event>
class StreamConsumer {
 public:
  struct Options {
    std::string name;  // For logs, e.g. "ticket-events".
    size_t max_batch = 200;
    // A failed batch is retried after 50 ms, doubling up to this.
    absl::Duration max_backoff = absl::Milliseconds(500);
  };
  // The lease; nullptr if another replica holds it.
  using AcquireLease = std::function<absl::StatusOr<std::unique_ptr<Lease>>()>;
  // The committed cursor ("" if none).
  using ReadCursor = std::function<absl::StatusOr<std::string>()>;
  // Applies a batch (in stream order) and commits the cursor of its last
  // event in the same transaction.
  using Apply = std::function<absl::Status(const std::vector<Event>&)>;

  StreamConsumer(Options options, AcquireLease acquire, ReadCursor cursor,
                 EventSource<Event>& source, Apply apply)
      : options_(std::move(options)),
        acquire_(std::move(acquire)),
        cursor_(std::move(cursor)),
        source_(source),
        apply_(std::move(apply)) {}

  // Runs until Stop(). Call from a thread of its own.
  void Run();
  // Ends Run() soon. Thread-safe.
  void Stop() {
    if (!stop_.HasBeenNotified()) stop_.Notify();
    source_.Cancel();
  }
  // Events this replica applied (for tests and logs).
  int64_t applied() const { return applied_.load(); }

 private:
  // The bounded hand-over between the stream reader and the applier.
  class Queue {
   public:
    explicit Queue(size_t capacity) : capacity_(capacity) {}
    // Blocks while full; false once closed.
    bool Push(const Event& e) {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &Queue::HasRoomOrClosed));
      if (closed_) return false;
      items_.push_back(e);
      return true;
    }
    // Up to `max` items, waiting for at least one; empty once closed.
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
      return closed_ || items_.size() < capacity_;
    }
    bool HasItemsOrClosed() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return closed_ || !items_.empty();
    }
    const size_t capacity_;
    absl::Mutex mu_;
    std::deque<Event> items_ ABSL_GUARDED_BY(mu_);
    bool closed_ ABSL_GUARDED_BY(mu_) = false;
  };

  // Sleeps up to `d`; false if stopping.
  bool Pause(absl::Duration d) {
    return !stop_.WaitForNotificationWithTimeout(d);
  }
  // Applies batches from `queue` until it closes, the lease is lost or the
  // consumer stops; closes the queue when it ends.
  void ApplyLoop(Queue& queue, Lease& lease);

  const Options options_;
  const AcquireLease acquire_;
  const ReadCursor cursor_;
  EventSource<Event>& source_;
  const Apply apply_;
  absl::Notification stop_;
  std::atomic<int64_t> applied_{0};
};

template <typename Event>
void StreamConsumer<Event>::ApplyLoop(Queue& queue, Lease& lease) {
  absl::Time next_lease_check = absl::Now() + absl::Seconds(5);
  while (!stop_.HasBeenNotified()) {
    const std::vector<Event> batch = queue.Take(options_.max_batch);
    if (batch.empty()) break;  // Closed.
    if (absl::Now() >= next_lease_check) {
      next_lease_check = absl::Now() + absl::Seconds(5);
      if (!lease.Alive()) {
        CXDESK_LOG(Warning) << options_.name << ": lease lost; re-acquiring";
        break;
      }
    }
    absl::Duration backoff = absl::Milliseconds(50);
    bool applied = false;
    while (!stop_.HasBeenNotified()) {
      const absl::Status status = apply_(batch);
      if (status.ok()) {
        applied_.fetch_add(static_cast<int64_t>(batch.size()));
        applied = true;
        break;
      }
      CXDESK_LOG(Warning) << options_.name << ": applying " << batch.size()
                          << " events failed, retrying: " << status;
      if (!Pause(backoff)) break;
      backoff = std::min(backoff * 2, options_.max_backoff);
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
    absl::StatusOr<std::unique_ptr<Lease>> lease = acquire_();
    if (!lease.ok() || *lease == nullptr) {
      if (!lease.ok()) {
        CXDESK_LOG(Warning) << options_.name << ": lease: " << lease.status();
      } else if (!waiting_logged) {
        CXDESK_LOG(Info) << options_.name
                         << ": another replica consumes; standing by";
        waiting_logged = true;
      }
      if (!Pause(absl::Seconds(1))) return;
      continue;
    }
    waiting_logged = false;
    absl::StatusOr<std::string> cursor = cursor_();
    if (!cursor.ok()) {
      CXDESK_LOG(Warning) << options_.name
                          << ": reading the cursor: " << cursor.status();
      if (!Pause(backoff)) return;
      continue;
    }
    CXDESK_LOG(Info) << options_.name << ": following after \"" << *cursor
                     << "\"";
    Queue queue(4 * options_.max_batch);
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
    CXDESK_LOG(Warning) << options_.name << ": stream ended: " << status
                        << "; reconnecting";
    if (!Pause(backoff)) return;
    backoff = std::min(backoff * 2, absl::Seconds(2));
  }
}

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_STREAM_CONSUMER_H_
