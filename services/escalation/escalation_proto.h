#ifndef CXDESK_SERVICES_ESCALATION_ESCALATION_PROTO_H_
#define CXDESK_SERVICES_ESCALATION_ESCALATION_PROTO_H_

// The escalation service's API messages <-> its domain types, both ways.
// Pure functions: no server, no rules beyond what the conversion itself
// needs (the manager validates the values). Thread-safe.
//
// Conventions, the same for every function here:
//  - Ticket enums become the ticket service's lower-case words ("urgent",
//    "emotion"), SLA metrics the words "first_response", "next_response",
//    "periodic_update" and "resolution"; the other enums map to the domain
//    enums of directory.h, ladder.h and escalation.h.
//  - A value the conversion cannot represent is INVALID_ARGUMENT whose
//    message starts with the field's path in the request, e.g.
//    "rule.conditions.kinds[1]: unknown kind 7" or
//    "ladder.steps[0].trigger: unspecified trigger". Nothing here crashes on
//    any input.
//  - Output-only fields (etag, update_time, open_tickets, secret_set) are
//    ignored on input: the record has version 0 and update_time
//    InfinitePast. On output the etag is the decimal record version.
//  - Times: an infinite absl::Time (or an empty optional) is written as an
//    unset Timestamp, and an unset Timestamp reads as InfinitePast (or an
//    empty optional), so messages survive a round trip unchanged.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "services/escalation/directory.h"
#include "services/escalation/escalation.h"
#include "services/escalation/ladder.h"
#include "services/escalation/routing.h"

namespace cxdesk::escalation {

// ---- single enums, for request fields -------------------------------------

// METRIC_FIRST_RESPONSE -> "first_response", ...; INVALID_ARGUMENT naming
// `field` for the unspecified or an unknown value.
absl::StatusOr<std::string> MetricWordOf(int metric, const std::string& field);
// The inverse; METRIC_UNSPECIFIED for a word that is not a metric.
sla::v1::Metric MetricOf(const std::string& word);

// AVAILABILITY_ONLINE -> kOnline, ...; INVALID_ARGUMENT naming `field` for
// the unspecified or an unknown value.
absl::StatusOr<Availability> AvailabilityFromProto(int value,
                                                   const std::string& field);
v1::Availability AvailabilityToProto(Availability availability);

// A ListWebhookDeliveries filter: nullopt for DELIVERY_STATE_UNSPECIFIED;
// INVALID_ARGUMENT naming `field` for an unknown value.
absl::StatusOr<std::optional<DeliveryRecord::State>> DeliveryStateFilter(
    int value, const std::string& field);

// ---- configuration ----------------------------------------------------------

// A team as the request gives it (field prefix "team."). The webhook secret
// is input only: TeamToProto never writes it and sets secret_set instead.
// No conversion of a Team can fail today; the StatusOr keeps the shape of
// the other *FromProto functions.
absl::StatusOr<TeamRecord> TeamFromProto(const v1::Team& proto);
void TeamToProto(const TeamRecord& record, v1::Team* out);

// An agent (field prefix "agent."). AVAILABILITY_UNSPECIFIED is kOffline
// (an agent who has not signed in); tier 0 is tier 1 (proto3 cannot tell it
// from "not given"). Errors: an unknown availability.
absl::StatusOr<AgentRecord> AgentFromProto(const v1::Agent& proto);
void AgentToProto(const AgentRecord& record, v1::Agent* out);

// A routing rule (field prefix "rule."). Errors: an unspecified or unknown
// kind, CX level, priority or channel in the conditions
// ("rule.conditions.kinds[1]: unknown kind 7"); an unspecified or unknown
// strategy ("rule.strategy: ...").
absl::StatusOr<RuleRecord> RuleFromProto(const v1::RoutingRule& proto);
void RuleToProto(const RuleRecord& record, v1::RoutingRule* out);

// A ladder (field prefix "ladder."). Errors: an unspecified or unknown
// metric, trigger or action kind; an unknown (not unspecified) recipient or
// reassign kind (unspecified ones become kNone, which ValidateLadder
// rejects where the action needs them); a malformed delay Duration. Whether
// the ladder makes sense is ValidateLadder's job.
absl::StatusOr<Ladder> LadderFromProto(const v1::Ladder& proto);
void LadderToProto(const LadderRecord& record, v1::Ladder* out);

// ---- routing ----------------------------------------------------------------

// A draft for a dry run (field prefix "draft."). Defaults for unspecified
// values: kind "question", priority "normal", channel "web", no CX level.
// Errors: an unknown kind, CX level, priority or channel.
absl::StatusOr<TicketToRoute> TicketDraftFromProto(
    const v1::TicketDraft& proto);

void DecisionToProto(const Decision& decision, v1::RoutingDecision* out);
// Field prefix "decision.". Errors: an unspecified or unknown trigger,
// strategy or outcome.
absl::StatusOr<Decision> DecisionFromProto(const v1::RoutingDecision& proto);

// next_deadline is left unset when no clock runs (InfiniteFuture).
void QueuedTicketToProto(const QueuedTicket& ticket, v1::QueuedTicket* out);

// ---- escalations, notifications, deliveries ---------------------------------

// A ListEscalations filter; missing start/end times stay nullopt.
EscalationQuery EscalationQueryFromProto(const v1::ListEscalationsRequest& r);

// The step with one ActionResult per action: the result at the same index
// in `results` gives its state, detail and error (ACTION_STATE_PENDING if
// the record has no result for it).
void EscalationToProto(const EscalationRecord& record, v1::Escalation* out);
// Field prefix "escalation.". Each ActionResult becomes an Action and an
// ActionRecord carrying only ticket_id, escalation_id, action_index, state,
// detail and error. Errors: unknown enums, as for ladders; an unspecified or
// unknown action state.
absl::StatusOr<EscalationRecord> EscalationFromProto(
    const v1::Escalation& proto);

// The cursor is common::EncodeCursor of the record's cursor. The record's
// team is not part of the message.
void NotificationToProto(const NotificationRecord& record,
                         v1::Notification* out);
// Field prefix "notification."; an empty cursor is the zero cursor. Errors:
// a malformed cursor, an unknown metric.
absl::StatusOr<NotificationRecord> NotificationFromProto(
    const v1::Notification& proto);

// The payload is not part of the message; next_attempt_time is set for
// pending deliveries only.
void DeliveryToProto(const DeliveryRecord& record, v1::WebhookDelivery* out);
// Field prefix "delivery.". Errors: an unspecified or unknown state.
absl::StatusOr<DeliveryRecord> DeliveryFromProto(
    const v1::WebhookDelivery& proto);

// The figures of the window [start, end).
void FiguresToProto(const Figures& figures, absl::Time start, absl::Time end,
                    v1::EscalationFigures* out);
// The window is not part of Figures; read it from the message itself.
Figures FiguresFromProto(const v1::EscalationFigures& proto);

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_ESCALATION_PROTO_H_
