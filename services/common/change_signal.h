#ifndef CXDESK_SERVICES_COMMON_CHANGE_SIGNAL_H_
#define CXDESK_SERVICES_COMMON_CHANGE_SIGNAL_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cxdesk::common {

// "Something may have changed: look again." What the managers and loops wait
// on between reads of their store; PgNotifier implements it over PostgreSQL
// LISTEN, ChangeCounter in memory (tests, and a signal that never fires).
// A waiter reads generation() before it looks, then waits for it to move,
// so a change that arrives in between is never missed. Implementations are
// thread-safe.
class ChangeSignal {
 public:
  virtual ~ChangeSignal() = default;

  // A counter that grows with every change.
  virtual uint64_t generation() const = 0;
  // Waits until the generation differs from `seen`, `timeout` passes or the
  // signal stops; returns the generation then.
  virtual uint64_t WaitForChange(uint64_t seen,
                                 absl::Duration timeout) const = 0;
  // True once the signal has stopped for good: waiters should finish.
  virtual bool stopped() const = 0;
};

// A ChangeSignal moved by hand. Thread-safe.
class ChangeCounter final : public ChangeSignal {
 public:
  ChangeCounter() = default;
  ChangeCounter(const ChangeCounter&) = delete;
  ChangeCounter& operator=(const ChangeCounter&) = delete;

  // Counts one change and wakes every waiter.
  void Bump();
  // Stops the signal and wakes every waiter for good.
  void Stop();

  uint64_t generation() const override;
  uint64_t WaitForChange(uint64_t seen, absl::Duration timeout) const override;
  bool stopped() const override;

 private:
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
};

// A signal that never changes and never stops: waiting on it is a plain
// timed wait. For a manager built without a notifier.
const ChangeSignal& NoChanges();

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_CHANGE_SIGNAL_H_
