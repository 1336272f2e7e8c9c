#ifndef CXDESK_SERVICES_SLA_SLA_ENGINE_H_
#define CXDESK_SERVICES_SLA_SLA_ENGINE_H_

// The two loops that move SLA clocks: the consumer of the ticket event
// stream and the timer firing loop. Both write only through SlaStore, in
// one transaction per change or per timer batch, so a replica killed at any
// point loses nothing (its transaction rolls back and the change is
// re-read, or the timers are claimed by another replica).

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"
#include "services/common/clock.h"
#include "services/common/due_loop.h"
#include "services/common/revision_cache.h"
#include "services/common/stream_consumer.h"
#include "services/sla/sla_store.h"
#include "services/sla/ticket_event_source.h"

namespace cxdesk::sla {

// The configuration (calendars, policies) at the newest revision seen,
// reloaded from the store (SlaStore::LoadConfig) when a transaction
// reports a newer one: a common::RevisionCache bound to `store`, which must
// outlive it. AtLeast(revision) returns the cached snapshot or the load's
// error as it is. Thread-safe.
class ConfigCache final : public common::RevisionCache<SlaConfig> {
 public:
  explicit ConfigCache(SlaStore& store)
      : RevisionCache([&store] { return store.LoadConfig(); }) {}
};

// Follows the ticket event stream from the stored cursor and applies the
// changes in batches of up to kMaxBatch (store.ApplyChanges), through a
// common::StreamConsumer: only the replica holding the consumer lease
// consumes, the others wait to take over. The rules never block the stream
// (a change they reject is recorded and skipped).
class ChangeConsumer {
 public:
  ChangeConsumer(SlaStore& store, ConfigCache& config,
                 TicketEventSource& source);

  // Runs until Stop(). Call from a thread of its own.
  void Run() { consumer_.Run(); }
  // Ends Run() soon. Thread-safe.
  void Stop() { consumer_.Stop(); }
  // How many changes this replica applied (for tests and logs).
  int64_t applied() const { return consumer_.applied(); }

  // The consumer's name in sla.consumer_cursors and its lease key.
  static constexpr char kName[] = "ticket-events";
  static constexpr int64_t kLeaseKey = 1;
  static constexpr size_t kMaxBatch = 500;

 private:
  // Applies one batch in one transaction.
  absl::Status ApplyBatch(const std::vector<RecordedChange>& batch);

  SlaStore& store_;
  ConfigCache& config_;
  common::StreamConsumer<RecordedChange> consumer_;
};

// Fires warnings and breaches at their due instant: claims due timers in
// batches, and otherwise sleeps until the earliest armed due instant or a
// NOTIFY on the timer channel says an earlier one was armed. Any number of
// replicas may run; each timer fires once.
class TimerLoop {
 public:
  struct Options {
    std::string replica;  // Recorded as sla.timers.fired_by.
    int batch = 1000;
    // Re-reads the earliest due instant at least this often.
    absl::Duration poll = absl::Seconds(1);
  };
  TimerLoop(SlaStore& store, ConfigCache& config, const common::Clock& clock,
            const common::ChangeSignal& timer_notifier, Options options)
      : store_(store),
        config_(config),
        options_(std::move(options)),
        loop_(Work(), clock, timer_notifier, options_.poll) {}

  // Runs until Stop() or the notifier stops. Call from a thread of its own.
  void Run() { loop_.Run(); }
  void Stop() { loop_.Stop(); }
  int64_t fired() const { return fired_.load(); }

  // One claim-and-fire round at `now`; returns how many timers it claimed.
  absl::StatusOr<int> FireOnce(absl::Time now);

 private:
  // The due work of the loop: FireOnce, and the next armed timer.
  common::DueLoop::Work Work();

  SlaStore& store_;
  ConfigCache& config_;
  const Options options_;
  std::atomic<int64_t> fired_{0};
  common::DueLoop loop_;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_SLA_ENGINE_H_
