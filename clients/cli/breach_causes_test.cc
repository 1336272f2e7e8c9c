#include "clients/cli/breach_causes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/time.h"

namespace cxdesk::clients::cli {
namespace {

namespace slapb = ::cxdesk::sla::v1;
namespace escpb = ::cxdesk::escalation::v1;
namespace ticketpb = ::cxdesk::ticket::v1;
using ::testing::ElementsAre;

const absl::Time kT0 = absl::FromCivil(absl::CivilMinute(2026, 11, 22, 10, 0),
                                       absl::UTCTimeZone());

void At(int minute, google::protobuf::Timestamp* ts) {
  ts->set_seconds(absl::ToUnixSeconds(kT0 + absl::Minutes(minute)));
}

slapb::SlaEvent SlaAt(slapb::SlaEventKind kind, int minute) {
  slapb::SlaEvent e;
  e.set_ticket_id(12);
  e.set_kind(kind);
  e.set_metric(slapb::METRIC_FIRST_RESPONSE);
  e.set_cycle(1);
  At(minute, e.mutable_occur_time());
  return e;
}

ticketpb::TicketEvent TicketAt(int minute, const std::string& assignee) {
  ticketpb::TicketEvent e;
  e.set_ticket_id(12);
  At(minute, e.mutable_create_time());
  e.mutable_after()->set_assignee(assignee);
  return e;
}

escpb::RoutingDecision Decision(int minute, escpb::RoutingOutcome outcome) {
  escpb::RoutingDecision d;
  At(minute, d.mutable_decide_time());
  d.set_outcome(outcome);
  d.set_team_id("care");
  return d;
}

escpb::Escalation Step(int level, escpb::TriggerKind trigger,
                       std::vector<std::string> details) {
  escpb::Escalation s;
  s.set_metric(slapb::METRIC_FIRST_RESPONSE);
  s.set_cycle(1);
  s.set_level(level);
  s.set_trigger(trigger);
  for (const std::string& d : details) {
    escpb::ActionResult* a = s.add_actions();
    a->set_state(escpb::ACTION_STATE_DONE);
    a->set_detail(d);
  }
  return s;
}

// A 30-minute first response: queued in a full team for 14 minutes, taken by
// alice then bob, paused 3 minutes, retargeted, escalated, met 12m late.
BreachHistory Worked() {
  BreachHistory h;
  slapb::SlaEvent breach = SlaAt(slapb::SLA_EVENT_KIND_BREACHED, 30);
  breach.set_assignee("bob");
  breach.set_team("care");
  *h.breach.mutable_event() = breach;
  At(42, h.breach.mutable_met_time());
  h.breach.set_state(slapb::CLOCK_STATE_MET);
  h.ticket_events = {TicketAt(0, ""), TicketAt(14, "alice"),
                     TicketAt(20, "bob"), TicketAt(41, "bob")};
  slapb::SlaEvent resumed = SlaAt(slapb::SLA_EVENT_KIND_RESUMED, 5);
  resumed.mutable_pause_elapsed()->set_seconds(180);
  slapb::SlaEvent retargeted = SlaAt(slapb::SLA_EVENT_KIND_RETARGETED, 21);
  retargeted.set_priority(ticketpb::PRIORITY_URGENT);
  slapb::SlaEvent other_metric = SlaAt(slapb::SLA_EVENT_KIND_RETARGETED, 22);
  other_metric.set_metric(slapb::METRIC_RESOLUTION);
  h.sla_events = {SlaAt(slapb::SLA_EVENT_KIND_STARTED, 0),
                  SlaAt(slapb::SLA_EVENT_KIND_PAUSED, 2),
                  resumed,
                  retargeted,
                  other_metric,
                  breach};
  h.decisions = {Decision(0, escpb::ROUTING_OUTCOME_QUEUED),
                 Decision(14, escpb::ROUTING_OUTCOME_ASSIGNED)};
  escpb::Escalation warned =
      Step(1, escpb::TRIGGER_KIND_ON_WARNING, {"notified bob"});
  escpb::Escalation breached =
      Step(2, escpb::TRIGGER_KIND_ON_BREACH,
           {"priority high -> urgent", "reassigned to lena"});
  escpb::Escalation manager = Step(3, escpb::TRIGGER_KIND_AFTER_BREACH, {});
  manager.set_skipped(true);
  for (escpb::Escalation* s : {&warned, &breached, &manager}) {
    s->set_acknowledged(true);
    s->set_acknowledged_by("lena");
  }
  h.escalations = {manager, warned, breached};
  return h;
}

TEST(BreachCausesTest, NamesEveryCauseInOrder) {
  EXPECT_THAT(
      BreachCauses(Worked(), kT0 + absl::Hours(2)),
      ElementsAre("unassigned for 14m of the 30m before the deadline",
                  "reassigned 1 time before the deadline: alice -> bob",
                  "waited 14m in the full queue of team care",
                  "the deadline moved when the priority became urgent",
                  "paused 3m waiting on the customer (not counted)",
                  "held by bob (team care) at the deadline",
                  "step 1 on warning: notified bob",
                  "step 2 on breach: priority high -> urgent; reassigned to "
                  "lena",
                  "step 3 after breach: skipped, already acknowledged",
                  "acknowledged by lena", "met 12m late"));
}

TEST(BreachCausesTest, NeverAssignedAndStillOpen) {
  BreachHistory h;
  slapb::SlaEvent breach = SlaAt(slapb::SLA_EVENT_KIND_BREACHED, 30);
  breach.set_team("support");
  *h.breach.mutable_event() = breach;
  h.breach.set_state(slapb::CLOCK_STATE_RUNNING);
  h.ticket_events = {TicketAt(0, "")};
  h.sla_events = {SlaAt(slapb::SLA_EVENT_KIND_STARTED, 0), breach};
  h.escalation_known = false;
  EXPECT_THAT(BreachCauses(h, kT0 + absl::Minutes(55)),
              ElementsAre("never assigned in the 30m before the deadline",
                          "held by no agent (team support) at the deadline",
                          "still open, 25m overdue"));
}

// Without the ticket's history nothing is said about who held it or for
// how long (not "never assigned"), but the rest still is.
TEST(BreachCausesTest, WithoutTheTicketHistoryHoldersAreNotGuessed) {
  BreachHistory h;
  slapb::SlaEvent breach = SlaAt(slapb::SLA_EVENT_KIND_BREACHED, 30);
  breach.set_team("support");
  *h.breach.mutable_event() = breach;
  h.breach.set_state(slapb::CLOCK_STATE_RUNNING);
  h.sla_events = {SlaAt(slapb::SLA_EVENT_KIND_STARTED, 0), breach};
  h.ticket_known = false;
  EXPECT_THAT(BreachCauses(h, kT0 + absl::Minutes(55)),
              ElementsAre("held by no agent (team support) at the deadline",
                          "still open, 25m overdue"));
}

TEST(BreachCausesTest, OverdueRetargetAndCancelledClock) {
  BreachHistory h;
  slapb::SlaEvent breach = SlaAt(slapb::SLA_EVENT_KIND_BREACHED, 10);
  breach.set_assignee("chen");
  *h.breach.mutable_event() = breach;
  h.breach.set_state(slapb::CLOCK_STATE_CANCELLED);
  h.ticket_events = {TicketAt(0, "chen")};
  slapb::SlaEvent retargeted = SlaAt(slapb::SLA_EVENT_KIND_RETARGETED, 10);
  retargeted.set_priority(ticketpb::PRIORITY_URGENT);
  retargeted.set_overdue(true);
  slapb::SlaEvent cancelled = SlaAt(slapb::SLA_EVENT_KIND_CANCELLED, 20);
  cancelled.set_actor("chen");
  cancelled.set_status(ticketpb::STATUS_SOLVED);
  cancelled.set_priority(ticketpb::PRIORITY_URGENT);
  h.sla_events = {SlaAt(slapb::SLA_EVENT_KIND_STARTED, 0), retargeted, breach,
                  cancelled};
  escpb::Escalation failed = Step(2, escpb::TRIGGER_KIND_ON_BREACH, {});
  escpb::ActionResult* a = failed.add_actions();
  a->set_state(escpb::ACTION_STATE_FAILED);
  a->set_error("the ticket is closed");
  h.escalations = {failed};
  EXPECT_THAT(BreachCauses(h, kT0 + absl::Hours(1)),
              ElementsAre("the priority became urgent and the new, shorter "
                          "target had already passed",
                          "held by chen at the deadline",
                          "step 2 on breach: failed: the ticket is closed",
                          "cancelled before it was met (chen set it to "
                          "solved, priority urgent)"));
}

}  // namespace
}  // namespace cxdesk::clients::cli
