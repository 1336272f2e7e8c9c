#include "services/sla/sla_engine.h"

#include <algorithm>
#include <deque>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"
#include "services/sla/clock_engine.h"

namespace cxdesk::sla {

absl::StatusOr<std::shared_ptr<const SlaConfig>> ConfigCache::Get(
    int64_t revision) {
  {
    absl::MutexLock lock(&mu_);
    if (config_ != nullptr && config_->revision >= revision) return config_;
  }
  // Loaded outside the lock: a slow load must not block readers of a
  // revision that is already cached.
  CXDESK_ASSIGN_OR_RETURN(SlaConfig loaded, store_.LoadConfig());
  auto fresh = std::make_shared<const SlaConfig>(std::move(loaded));
  absl::MutexLock lock(&mu_);
  if (config_ == nullptr || config_->revision < fresh->revision) {
    config_ = fresh;
  }
  return config_;
}

// ---- ChangeConsumer ----

// The bounded hand-over between the stream reader and the applier.
class ChangeConsumer::Queue {
 public:
  static constexpr size_t kCapacity = 4 * kMaxBatch;

  // Blocks while full; false once closed.
  bool Push(const RecordedChange& change) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &Queue::HasRoomOrClosed));
    if (closed_) return false;
    items_.push_back(change);
    return true;
  }
  // Up to `max` items, waiting for at least one; empty once closed.
  std::vector<RecordedChange> Take(size_t max) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &Queue::HasItemsOrClosed));
    std::vector<RecordedChange> out;
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
  std::deque<RecordedChange> items_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

bool ChangeConsumer::Pause(absl::Duration d) {
  return !stop_.WaitForNotificationWithTimeout(d);
}

void ChangeConsumer::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  source_.Cancel();
}

bool ChangeConsumer::ApplyBatch(const std::vector<RecordedChange>& batch) {
  const DecideApply decide =
      [&](const RecordedChange& change,
          const std::optional<StoredTicket>& current,
          int64_t revision) -> absl::StatusOr<std::optional<ClockUpdate>> {
    CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const SlaConfig> config,
                            config_.Get(revision));
    absl::StatusOr<ClockUpdate> update = ApplyChange(current, change, *config);
    if (!update.ok()) {
      // Deterministic: retrying cannot help, and the stream must go on.
      CXDESK_LOG(Warning) << "ticket " << change.ticket_id << " event "
                          << change.ticket_event_id
                          << " moves no clock: " << update.status();
      return std::nullopt;
    }
    return std::optional<ClockUpdate>(*std::move(update));
  };
  absl::Duration backoff = absl::Milliseconds(50);
  while (true) {
    const absl::Status status = store_.ApplyChanges(kName, batch, decide);
    if (status.ok()) {
      applied_.fetch_add(static_cast<int64_t>(batch.size()));
      return true;
    }
    CXDESK_LOG(Warning) << "applying " << batch.size()
                        << " ticket events from event "
                        << batch.front().ticket_event_id
                        << " failed, retrying: " << status;
    if (!Pause(backoff)) return false;
    backoff = std::min(backoff * 2, absl::Seconds(2));
  }
}

void ChangeConsumer::ApplyLoop(Queue& queue, Lease& lease) {
  absl::Time next_lease_check = absl::Now() + absl::Seconds(5);
  while (!stop_.HasBeenNotified()) {
    const std::vector<RecordedChange> batch = queue.Take(kMaxBatch);
    if (batch.empty()) break;  // Closed.
    if (absl::Now() >= next_lease_check) {
      next_lease_check = absl::Now() + absl::Seconds(5);
      if (!lease.Alive()) {
        CXDESK_LOG(Warning) << "consumer lease lost; re-acquiring";
        break;
      }
    }
    if (!ApplyBatch(batch)) break;
  }
  queue.Close();
  // The reader may be blocked on an idle stream: end it.
  source_.Cancel();
}

void ChangeConsumer::Run() {
  absl::Duration backoff = absl::Milliseconds(100);
  bool waiting_logged = false;
  while (!stop_.HasBeenNotified()) {
    absl::StatusOr<std::unique_ptr<Lease>> lease =
        store_.TryAcquireLease(kLeaseKey);
    if (!lease.ok() || *lease == nullptr) {
      if (!lease.ok()) {
        CXDESK_LOG(Warning) << "consumer lease: " << lease.status();
      } else if (!waiting_logged) {
        CXDESK_LOG(Info)
            << "another replica consumes ticket events; standing by";
        waiting_logged = true;
      }
      if (!Pause(absl::Seconds(1))) return;
      continue;
    }
    waiting_logged = false;
    absl::StatusOr<std::string> cursor = store_.ReadCursor(kName);
    if (!cursor.ok()) {
      CXDESK_LOG(Warning) << "reading the consumer cursor: " << cursor.status();
      if (!Pause(backoff)) return;
      continue;
    }
    CXDESK_LOG(Info) << "following ticket events after \"" << *cursor << "\"";
    Queue queue;
    std::thread applier([&] { ApplyLoop(queue, **lease); });
    const absl::Status status = source_.Follow(
        *cursor,
        [&](const RecordedChange& change) { return queue.Push(change); });
    queue.Close();
    applier.join();
    source_.Reset();
    if (stop_.HasBeenNotified()) return;
    if (status.ok() || absl::IsCancelled(status)) {
      backoff = absl::Milliseconds(100);
      continue;  // The applier ended it (lease lost or a stop): start over.
    }
    CXDESK_LOG(Warning) << "ticket event stream ended: " << status
                        << "; reconnecting";
    if (!Pause(backoff)) return;
    backoff = std::min(backoff * 2, absl::Seconds(2));
  }
}

// ---- TimerLoop ----

void TimerLoop::Stop() { stop_.store(true); }

absl::StatusOr<int> TimerLoop::FireOnce(absl::Time now) {
  int64_t fired = 0;
  const DecideFire decide =
      [&](const StoredTicket& ticket, const std::vector<ArmedTimer>& timers,
          int64_t revision) -> absl::StatusOr<FireUpdate> {
    CXDESK_ASSIGN_OR_RETURN(std::shared_ptr<const SlaConfig> config,
                            config_.Get(revision));
    FireUpdate update = FireTimers(ticket, timers, now, *config);
    for (const auto& [id, outcome] : update.outcomes) {
      if (outcome == TimerOutcome::kFired) ++fired;
    }
    return update;
  };
  CXDESK_ASSIGN_OR_RETURN(
      int claimed,
      store_.FireDueTimers(now, options_.batch, options_.replica, decide));
  fired_.fetch_add(fired);
  return claimed;
}

void TimerLoop::Run() {
  while (!stop_.load() && !notifier_.stopped()) {
    // Read before looking, so a NOTIFY that arrives in between still wakes
    // the wait below.
    const uint64_t seen = notifier_.generation();
    const absl::Time now = clock_.Now();
    absl::StatusOr<int> claimed = FireOnce(now);
    if (!claimed.ok()) {
      CXDESK_LOG(Warning) << "firing timers: " << claimed.status();
      notifier_.WaitForChange(seen, absl::Milliseconds(200));
      continue;
    }
    if (*claimed > 0) continue;  // More may be due.
    absl::StatusOr<absl::Time> next = store_.NextTimerDue();
    if (!next.ok()) {
      CXDESK_LOG(Warning) << "reading the next timer: " << next.status();
      notifier_.WaitForChange(seen, absl::Milliseconds(200));
      continue;
    }
    const absl::Time wake = clock_.Now();
    if (*next <= wake) {
      // Due, but another replica holds those tickets right now.
      notifier_.WaitForChange(seen, absl::Milliseconds(2));
      continue;
    }
    notifier_.WaitForChange(seen, std::min(*next - wake, options_.poll));
  }
}

}  // namespace cxdesk::sla
