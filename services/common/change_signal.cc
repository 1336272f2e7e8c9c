#include "services/common/change_signal.h"

namespace cxdesk::common {

void ChangeCounter::Bump() {
  absl::MutexLock lock(&mu_);
  ++generation_;
}

void ChangeCounter::Stop() {
  absl::MutexLock lock(&mu_);
  stop_ = true;
}

uint64_t ChangeCounter::generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

uint64_t ChangeCounter::WaitForChange(uint64_t seen,
                                      absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto changed = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return generation_ != seen || stop_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
  return generation_;
}

bool ChangeCounter::stopped() const {
  absl::MutexLock lock(&mu_);
  return stop_;
}

const ChangeSignal& NoChanges() {
  // Never destroyed: it may be waited on until the process ends.
  static const ChangeCounter* const kNone = new ChangeCounter();
  return *kNone;
}

}  // namespace cxdesk::common
