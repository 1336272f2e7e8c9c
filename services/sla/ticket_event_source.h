#ifndef CXDESK_SERVICES_SLA_TICKET_EVENT_SOURCE_H_
#define CXDESK_SERVICES_SLA_TICKET_EVENT_SOURCE_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "services/sla/sla.h"

namespace cxdesk::sla {

// The ticket service's event stream, as the SLA service consumes it.
class TicketEventSource {
 public:
  virtual ~TicketEventSource() = default;

  // Streams the changes after `after_cursor` ("" = from the beginning),
  // replaying and then following live, calling `on_change` for each in
  // stream order until it returns false (then OK), Cancel() is called
  // (CANCELLED), or the stream fails (its error, e.g. UNAVAILABLE). Blocks.
  virtual absl::Status Follow(
      const std::string& after_cursor,
      const std::function<bool(const RecordedChange&)>& on_change) = 0;

  // Ends a Follow in progress (from another thread), and makes later ones
  // return CANCELLED at once until Reset(). Idempotent.
  virtual void Cancel() = 0;
  // Undoes Cancel() for the next Follow.
  virtual void Reset() = 0;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_TICKET_EVENT_SOURCE_H_
