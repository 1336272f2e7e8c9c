#ifndef CXDESK_SERVICES_COMMON_DUE_LOOP_H_
#define CXDESK_SERVICES_COMMON_DUE_LOOP_H_

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/change_signal.h"
#include "services/common/clock.h"

namespace cxdesk::common {

// The loop of every kind of due work (SLA timers; escalation timers,
// actions and webhook deliveries): runs `step(now)` while it finds work,
// then sleeps until the earliest `next_due()` or a change signal, whichever
// comes first. Any number of loops and replicas may run the same work: the
// store's claims keep them apart.
class DueLoop {
 public:
  struct Work {
    std::string what;  // For logs, e.g. "firing ladder timers".
    // Does the work due at `now`; returns how many items it handled.
    std::function<absl::StatusOr<int>(absl::Time now)> step;
    // The earliest due instant of waiting work; nullopt if there is none.
    std::function<absl::StatusOr<std::optional<absl::Time>>()> next_due;
  };
  // After an error, the loop looks again this soon.
  static constexpr absl::Duration kRetryAfterError = absl::Milliseconds(200);
  // Work that is due but held by another loop is looked at again this soon.
  static constexpr absl::Duration kRetryWhenHeld = absl::Milliseconds(2);

  // Waits on `signal` (a NOTIFY when work is added or moved) and re-reads
  // the next due instant at least every `poll`.
  DueLoop(Work work, const Clock& clock, const ChangeSignal& signal,
          absl::Duration poll = absl::Seconds(1))
      : work_(std::move(work)), clock_(clock), signal_(signal), poll_(poll) {}

  // Runs until Stop() or the signal stops. Call from a thread of its own.
  void Run();
  // Ends Run() at its next wake-up. Thread-safe.
  void Stop() { stop_.store(true); }

  // One round of Run(): does the due work and returns how long to wait
  // before the next round — zero when it handled work (more may be due),
  // else until the next due instant (at most `poll`), kRetryWhenHeld when
  // work is due but was not handled, kRetryAfterError after an error.
  absl::Duration Step();

 private:
  const Work work_;
  const Clock& clock_;
  const ChangeSignal& signal_;
  const absl::Duration poll_;
  std::atomic<bool> stop_{false};
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_DUE_LOOP_H_
