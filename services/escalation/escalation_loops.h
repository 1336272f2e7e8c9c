#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_LOOPS_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_LOOPS_H_

// The background loops of cxdesk-escalationd besides its two stream
// consumers (common::StreamConsumer): the outbox loops (after-breach timers,
// actions for the ticket service, webhook deliveries). Each writes only
// through the store, in short transactions, so a replica killed at any point
// loses nothing: a claimed timer, action or delivery whose transaction rolled
// back is claimed again.

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/due_loop.h"
#include "services/escalation/escalation.h"
#include "services/escalation/http_poster.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// The outbox loops run through the one due-work loop of every service.
using common::DueLoop;

// Carries out one claimed action against the ticket service: fills its
// state, detail, error and next attempt. A routing assignment whose ticket
// is closed, or assigned to someone else since, is skipped. Transport errors
// and ABORTED are retried with backoff (100 ms doubling to 30 s) up to
// `max_attempts`; refusals (NOT_FOUND, FAILED_PRECONDITION, INVALID_ARGUMENT,
// PERMISSION_DENIED) fail the action at once.
void PerformAction(TicketGateway& gateway, absl::Time now, int max_attempts,
                   ActionRecord& action);

// Sends one claimed webhook delivery: POSTs its payload signed with
// `secret`, marks it delivered on a 2xx answer, otherwise schedules the next
// attempt after WebhookBackoff(attempts, base, 1 min) or, after
// `max_attempts`, makes it a dead letter.
void PerformDelivery(HttpPoster& poster, absl::Time now, int max_attempts,
                     absl::Duration base_backoff, absl::Duration timeout,
                     DeliveryRecord& delivery, const std::string& secret);

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_LOOPS_H_
