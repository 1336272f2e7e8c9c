#ifndef CXDESK_CLIENTS_CLI_BREACH_CAUSES_H_
#define CXDESK_CLIENTS_CLI_BREACH_CAUSES_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "cxdesk/sla/v1/sla_service.pb.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"

namespace cxdesk::clients::cli {

// What the services recorded about one breached ticket: the SLA ledger and
// the ticket's history, and the routing decisions and escalation steps of
// the escalation service (empty, with escalation_known false, when that
// service could not be asked).
struct BreachHistory {
  sla::v1::Breach breach;
  std::vector<ticket::v1::TicketEvent> ticket_events;      // oldest first
  std::vector<sla::v1::SlaEvent> sla_events;               // oldest first
  std::vector<escalation::v1::RoutingDecision> decisions;  // oldest first
  std::vector<escalation::v1::Escalation> escalations;     // any order
  bool escalation_known = true;
  // False when the ticket service could not be asked (ticket_events empty).
  bool ticket_known = true;
};

// The breach's causes in words, most telling first, e.g.
//   "unassigned for 14m of the 30m before the deadline"
//   "waited 9m in the full queue of team care"
//   "paused 1h waiting on the customer (not counted)"
//   "the deadline moved earlier when the priority became urgent"
//   "reassigned 2 times before the deadline: alice -> bob -> chen"
//   "held by bob (team care) at the deadline"
//   "step 2 on breach: priority high -> urgent; reassigned to lena"
//   "met 12m late" / "still open, 25m overdue" / "cancelled before it was met
//   (alice set it to solved, priority high)"
// `now` dates an open clock. Without the escalation service's records
// (escalation_known false) the routing and escalation causes are missing,
// without the ticket's history (ticket_known false) who held it and for how
// long:
// the caller says so.
std::vector<std::string> BreachCauses(const BreachHistory& history,
                                      absl::Time now);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_BREACH_CAUSES_H_
