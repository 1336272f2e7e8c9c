#ifndef CXDESK_SERVICES_COMMON_CLOCK_H_
#define CXDESK_SERVICES_COMMON_CLOCK_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace cxdesk::common {

// The source of "now" for all logic, so tests can run on a fake clock.
// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_CLOCK_H_
