#ifndef CXDESK_SERVICES_SLA_TICKET_EVENT_SOURCE_H_
#define CXDESK_SERVICES_SLA_TICKET_EVENT_SOURCE_H_

#include "services/common/stream_consumer.h"
#include "services/sla/sla.h"

namespace cxdesk::sla {

// The ticket service's event stream, as the SLA service consumes it (see
// common::EventSource).
using TicketEventSource = common::EventSource<RecordedChange>;

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_TICKET_EVENT_SOURCE_H_
