#include "services/common/due_loop.h"

#include <algorithm>

#include "services/common/log.h"

namespace cxdesk::common {

absl::Duration DueLoop::Step() {
  absl::StatusOr<int> handled = work_.step(clock_.Now());
  if (!handled.ok()) {
    CXDESK_LOG(Warning) << work_.what << ": " << handled.status();
    return kRetryAfterError;
  }
  if (*handled > 0) return absl::ZeroDuration();  // More may be due.
  absl::StatusOr<std::optional<absl::Time>> next = work_.next_due();
  if (!next.ok()) {
    CXDESK_LOG(Warning) << work_.what << ": " << next.status();
    return kRetryAfterError;
  }
  if (!next->has_value()) return poll_;
  const absl::Time now = clock_.Now();
  // Due, but held by another loop or replica right now.
  if (**next <= now) return kRetryWhenHeld;
  return std::min(**next - now, poll_);
}

void DueLoop::Run() {
  while (!stop_.load() && !signal_.stopped()) {
    // Read before looking, so that a change arriving in between still ends
    // the wait below.
    const uint64_t seen = signal_.generation();
    const absl::Duration wait = Step();
    if (wait > absl::ZeroDuration()) signal_.WaitForChange(seen, wait);
  }
}

}  // namespace cxdesk::common
