#ifndef CXDESK_SERVICES_ESCALATION_LADDER_UNIT_H_
#define CXDESK_SERVICES_ESCALATION_LADDER_UNIT_H_

// The ladder half of one escalation unit of work: it feeds SLA signals and
// after-breach timers to the pure ladder rules (ladder.h) and carries out
// the steps they return — the step's record, its notifications and webhook
// deliveries, and the ticket actions it queues in the action outbox — all
// on the transaction of the RoutingUnit it is composed with. Neither proto
// nor pqxx.

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/escalation/escalation.h"
#include "services/escalation/escalation_store.h"
#include "services/escalation/routing_unit.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// The JSON body POSTed to a team's webhook for notification `id`.
std::string WebhookPayload(const NotificationRecord& n, int64_t id);

// Climbs the ladders of one unit of work. Reads tickets and agent loads
// through `routing` (so that both halves see one cache) and decides a
// "reassign to another team" with its Decide. Lives no longer than the
// transaction's callback; not thread-safe. Errors are the store's, plus
// UNAVAILABLE from Signal (see there).
class LadderUnit {
 public:
  // `routing` must outlive the unit.
  explicit LadderUnit(RoutingUnit& routing)
      : routing_(routing),
        txn_(routing.txn()),
        dir_(routing.directory()),
        now_(routing.now()) {}

  LadderUnit(const LadderUnit&) = delete;
  LadderUnit& operator=(const LadderUnit&) = delete;

  // Applies one SLA event of kind warned|breached|met|cancelled (others are
  // ignored) to its cycle's ladder under the ticket's lock: runs the steps
  // due (OnSignal), re-arms or disarms the after-breach timers and stores
  // the cycle. A met or cancelled clock without a stored cycle changes
  // nothing; `ladder` null (no ladder for the metric) stops a running
  // cycle. UNAVAILABLE when a step is due but the ticket stream has not
  // brought or routed the ticket yet (the caller's batch rolls back and is
  // retried).
  absl::Status Signal(const SlaEventIn& e, const Ladder* ladder);
  // The after-breach timer `t` fired: runs its step (OnTimer) recorded at
  // t.due, and stores the cycle. A deleted ladder or unknown cycle is
  // nothing to do.
  absl::Status Timer(const DueTimer& t);

 private:
  // What a step says, fixed before its actions run.
  struct StepMessage {
    EscalationRecord record;              // Stored, with its id.
    std::vector<std::string> recipients;  // Per action: whom a notify reaches.
    std::string title;
    std::string body;
  };

  absl::Status ArmPending(CycleState& cycle, const Ladder& ladder);
  // Records a step, its notifications and deliveries, and queues its
  // ticket actions. `e` is the SLA event that triggered it (null for a
  // timer).
  absl::Status RunStep(CycleState& cycle, const Ladder& ladder,
                       const DueStep& step, const SlaEventIn* e);
  // The ticket a step acts on: the projection, or what the SLA event `e`
  // (may be null) says of a ticket the service has not seen.
  absl::StatusOr<TicketView> StepTicket(const CycleKey& key,
                                        const SlaEventIn* e);
  // Builds and stores the step's record, title and body.
  absl::StatusOr<StepMessage> RecordStep(const CycleKey& key,
                                         const Ladder& ladder,
                                         const DueStep& step,
                                         const TicketView& t,
                                         const TeamRecord* team);
  // Queues (or records as done, failed or skipped) action `i` of `step`;
  // `notified` keeps one notification per person and step.
  absl::Status RunAction(size_t i, const DueStep& step,
                         const StepMessage& message, TicketView& t,
                         const TeamRecord* team,
                         std::set<std::string>& notified);
  absl::Status Notify(const std::string& who, const std::string& team_id,
                      const TeamRecord* team, const EscalationRecord& rec,
                      const std::string& title, const std::string& body);
  // Fills a reassign action: whom the ticket goes to, or why it cannot.
  absl::Status Reassign(const ReassignTarget& target, TicketView& t,
                        const TeamRecord* team, ActionRecord& r);

  RoutingUnit& routing_;
  EscalationTxn& txn_;
  const Directory& dir_;
  const absl::Time now_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_LADDER_UNIT_H_
