#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_LOOPS_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_LOOPS_H_

// The background work of cxdesk-escalationd: the two stream consumers
// (common::StreamConsumer) and the due work on common::DueLoop (after-breach
// timers, and the relays of the two outboxes: actions for the ticket
// service, webhook deliveries). Each writes only through the store, in short
// transactions, so a replica killed at any point loses nothing: a timer
// whose transaction rolled back is claimed again, and an action or delivery
// whose relay died is claimed again when its lease ends.
//
// The relays follow the standard outbox pattern: claim a batch with a lease
// (one short transaction), perform it outside any transaction, record each
// outcome (one short transaction each, dropped if the claim is no longer
// ours). An action may so be performed twice (a relay that stalled past its
// lease, or died after the call and before the record); that is harmless
// because every ticket-service call carries the action's request_id, which
// the ticket service deduplicates. A webhook may be POSTed twice; receivers
// deduplicate by the delivery id header (see webhook.h).

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/due_loop.h"
#include "services/common/stream_consumer.h"
#include "services/escalation/escalation.h"
#include "services/escalation/escalation_engine.h"
#include "services/escalation/escalation_store.h"
#include "services/escalation/http_poster.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// The due work runs through the one due-work loop of every service.
using common::DueLoop;

// ---- the numbers of the background work, in one place ----

// The deadline of one call to the ticket service (GrpcTicketGateway).
inline constexpr absl::Duration kTicketCallTimeout = absl::Seconds(2);
// How long one action may take: two kTicketCallTimeout, because the
// longest, RaisePriority, reads the ticket and then writes it. (One that
// loses an etag race reads and writes again and may overrun; the relay then
// gives the rest of its batch back, and at worst another relay repeats the
// action, harmlessly.)
inline constexpr absl::Duration kActionTimeBudget = absl::Seconds(4);
// Added to every lease: the round trips of the claim and of the records,
// and a little clock skew between replicas.
inline constexpr absl::Duration kLeaseMargin = absl::Seconds(2);
// Webhook deliveries one relay round claims. One, as before the relay: the
// lease is then one POST's timeout long, so a dead replica's delivery is
// taken over soon, and a slow receiver delays only its own delivery's lease.
inline constexpr int kDeliveryBatch = 1;
// After-breach timers one unit of work fires.
inline constexpr int kTimerBatch = 200;

// The lease of a batch of `batch` actions: each may take its budget, in
// turn, plus the margin (4 actions: 18 s).
absl::Duration ActionLease(int batch);
// The lease of a batch of deliveries whose POSTs time out after `timeout`.
absl::Duration DeliveryLease(absl::Duration timeout);

// ---- performing one claimed item (no I/O but the call itself) ----

// Carries out one claimed action against the ticket service: fills its
// state, detail, error and next attempt. A routing assignment whose ticket
// is closed, or assigned to someone else since, is skipped: as the service's
// copy says, and then as the ticket service says (GetTicket), so that one
// decided while catching up on the stream never undoes what came after it.
// Transport errors
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

// ---- the relays ----

struct ActionRelayOptions {
  int batch = 4;          // Actions claimed per round (--action-batch).
  int max_attempts = 20;  // See PerformAction (--action-attempts).
};

// One round of the action relay at `now`: claims up to `options.batch` due
// actions leased for ActionLease(batch), then, outside any transaction,
// performs each in claim order (PerformAction at clock.Now()) and records
// its outcome with FinishAction. An action that would no longer finish
// within its lease (clock.Now() + kActionTimeBudget past it) is given back
// untouched, with the rest of the batch. An outcome the store drops (the
// lease was lost to another relay) is logged and forgotten. Returns how
// many actions it claimed, or the store's first error (the unrecorded rest
// of the batch is claimed again when its lease ends). Thread-safe if the
// store and the gateway are.
absl::StatusOr<int> RelayDueActions(EscalationStore& store,
                                    TicketGateway& gateway,
                                    const common::Clock& clock,
                                    const ActionRelayOptions& options,
                                    absl::Time now);

struct DeliveryRelayOptions {
  int max_attempts = 6;                            // --webhook-attempts
  absl::Duration base_backoff = absl::Seconds(1);  // --webhook-backoff-ms
  absl::Duration timeout = absl::Seconds(5);       // --webhook-timeout-ms
};

// As RelayDueActions, for up to kDeliveryBatch webhook deliveries leased
// for DeliveryLease(options.timeout), each POSTed with PerformDelivery
// (signed with its team's current secret) and recorded with FinishDelivery.
absl::StatusOr<int> RelayDueDeliveries(EscalationStore& store,
                                       HttpPoster& poster,
                                       const common::Clock& clock,
                                       const DeliveryRelayOptions& options,
                                       absl::Time now);

// ---- the loops, ready for a DueLoop ----

// Fires after-breach timers through `engine`, kTimerBatch per unit of work,
// marked fired by `replica`; sleeps until the next armed timer.
DueLoop::Work TimerWork(Engine& engine, EscalationStore& store,
                        std::string replica);
// RelayDueActions rounds; sleeps until NextActionDue.
DueLoop::Work ActionRelayWork(EscalationStore& store, TicketGateway& gateway,
                              const common::Clock& clock,
                              ActionRelayOptions options);
// RelayDueDeliveries rounds; sleeps until NextDeliveryDue.
DueLoop::Work DeliveryRelayWork(EscalationStore& store, HttpPoster& poster,
                                const common::Clock& clock,
                                DeliveryRelayOptions options);

// ---- the stream consumers ----

// Their names (rows of escalation.consumer_cursors) and lease keys: one
// replica at a time consumes each stream.
inline constexpr char kTicketConsumer[] = "ticket-events";
inline constexpr int64_t kTicketConsumerLease = 1;
inline constexpr char kSlaConsumer[] = "sla-events";
inline constexpr int64_t kSlaConsumerLease = 2;

// Follows the ticket stream from kTicketConsumer's cursor into
// Engine::ApplyTicketEvents, while holding kTicketConsumerLease.
std::unique_ptr<common::StreamConsumer<TicketEventIn>> TicketEventConsumer(
    EscalationStore& store, Engine& engine, EventSource<TicketEventIn>& source);
// Likewise for the SLA stream (kSlaConsumer, Engine::ApplySlaEvents).
std::unique_ptr<common::StreamConsumer<SlaEventIn>> SlaEventConsumer(
    EscalationStore& store, Engine& engine, EventSource<SlaEventIn>& source);

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_LOOPS_H_
