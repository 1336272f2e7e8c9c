#ifndef CXDESK_SERVICES_TICKET_SLA_PROMISE_SOURCE_H_
#define CXDESK_SERVICES_TICKET_SLA_PROMISE_SOURCE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cxdesk::ticket {

// What the customer may be told about a ticket's next SLA deadline.
struct Promise {
  // In words, e.g. "We will respond by 2026-11-23 10:00 UTC".
  std::string text;
  // When it falls due; InfiniteFuture while the clock is paused waiting for
  // the customer.
  absl::Time due = absl::InfiniteFuture();
};

// Where the customer view gets its promise from (the SLA service). Keeps the
// manager free of proto and gRPC. Implementations are thread-safe.
class SlaPromiseSource {
 public:
  virtual ~SlaPromiseSource() = default;

  // The promise for ticket `ticket_id`; nullopt when there is none (no open
  // clock, or the ticket is unknown to the SLA service). Errors
  // (UNAVAILABLE, DEADLINE_EXCEEDED, UNAUTHENTICATED, ...) mean the promise
  // could not be learnt; callers answer without it.
  virtual absl::StatusOr<std::optional<Promise>> GetPromise(
      int64_t ticket_id) = 0;
};

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_SLA_PROMISE_SOURCE_H_
