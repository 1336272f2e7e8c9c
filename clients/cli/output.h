#ifndef CXDESK_CLIENTS_CLI_OUTPUT_H_
#define CXDESK_CLIENTS_CLI_OUTPUT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "cxdesk/sla/v1/sla_service.pb.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace cxdesk::clients::cli {

// Where and when output is rendered: times are shown in `tz`, ages relative
// to `now`.
struct OutputContext {
  absl::TimeZone tz;
  absl::Time now;
};

// Timestamps. An unset Timestamp (0 s, 0 ns) is absl::InfinitePast().
absl::Time ToTime(const google::protobuf::Timestamp& timestamp);
// "2026-11-22 14:03" in `tz`; "-" for an unset time.
std::string FormatShortTime(absl::Time time, absl::TimeZone tz);
// "2026-11-22 14:03:07": SLA deadlines are kept to the second.
std::string FormatSecondTime(absl::Time time, absl::TimeZone tz);
// The largest whole unit: "45s", "5m", "3h", "2d"; "0s" for negative ages
// (clock skew).
std::string FormatAge(absl::Duration age);
// "2026-11-22 14:03 (5m ago)"; "-" for an unset time.
std::string FormatShortTimeWithAge(const google::protobuf::Timestamp& timestamp,
                                   const OutputContext& context);

// `text` on one line (line breaks and tabs become spaces), cut to at most
// `max_chars` characters (UTF-8 code points), ending in "..." if cut.
std::string Truncate(absl::string_view text, size_t max_chars);

// "Jane Doe <jane@example.com>", or just the address without a name.
std::string FormatCustomer(const ticket::v1::Customer& customer);
// "4/5" or "4/5 \"comment\""; "(none)" when no score.
std::string FormatRating(const ticket::v1::Rating& rating);

// A table with a header line: ID, STATUS, PRIORITY, KIND, CX, ASSIGNEE, TEAM,
// AGE, SUBJECT (cut to 50 characters). Columns padded to their widest cell.
std::string FormatTicketTable(const std::vector<ticket::v1::Ticket>& tickets,
                              const OutputContext& context);

// Every field of a ticket: a "ticket #ID: SUBJECT" line, one labelled line
// per field, then the description.
std::string FormatTicketDetails(const ticket::v1::Ticket& ticket,
                                const OutputContext& context);

// A comment: a header line (id, time, author and role, and "public reply" or
// "INTERNAL NOTE (staff only)") and the body indented.
std::string FormatComment(const ticket::v1::Comment& comment,
                          const OutputContext& context);

// What a status means to a customer: "waiting for your reply", ...
std::string StatusInPlainWords(ticket::v1::Status status);

// The customer's view: status in plain words, times, promise, rating and the
// public conversation.
std::string FormatStatusView(const ticket::v1::TicketStatusView& view,
                             const OutputContext& context);

// What an event changed, one entry per field: "status: pending -> open",
// "assignee: (none) -> alice", "tags: a -> a, b", "rating: (none) -> 5/5";
// plus the comment ("public reply #7" / "internal note #7") and reason. A
// creation lists the initial values instead.
std::vector<std::string> DescribeChanges(const ticket::v1::TicketEvent& event);

// One line per event: time, version, type, actor (role), changes. With
// `stream` (for watch), it starts with the cursor and names the ticket.
std::string FormatEventLine(const ticket::v1::TicketEvent& event,
                            const OutputContext& context, bool stream);

// --- the SLA service ---------------------------------------------------------

// Hours and minutes, minutes and seconds, or seconds, truncated to the
// second, without a zero second unit: "1h 05m", "2h", "3m 10s", "42s", "0s";
// negative with a leading '-': "-3m 10s".
std::string FormatShortDuration(absl::Duration duration);

// "80% elapsed" or "15m before"; "-" when no threshold is set.
std::string FormatWarning(const sla::v1::Warning& warning);

// A calendar: "calendar ID: DESCRIPTION", then time zone, business hours
// (one line per weekday, in week order), holidays, etag and times.
std::string FormatCalendarDetails(const sla::v1::Calendar& calendar,
                                  const OutputContext& context);

// A table with a header line: ID, TIME ZONE, HOURS/WEEK, HOLIDAYS, UPDATED,
// DESCRIPTION (cut to 50 characters).
std::string FormatCalendarTable(const std::vector<sla::v1::Calendar>& calendars,
                                const OutputContext& context);

// Which tickets the conditions accept, in words: "priority urgent, high;
// kind complaint"; "every ticket" when there are none.
std::string DescribeConditions(const sla::v1::PolicyConditions& conditions);

// A policy: "policy ID: DESCRIPTION", its position, conditions, pause
// statuses, reopen behaviour, etag and times, then a table of its targets
// (PRIORITY, METRIC, TARGET, CALENDAR, WARNINGS).
std::string FormatPolicyDetails(const sla::v1::Policy& policy,
                                const OutputContext& context);

// A table with a header line: ID, POSITION, DEFAULT, TARGETS, APPLIES TO
// (cut to 60 characters).
std::string FormatPolicyTable(const std::vector<sla::v1::Policy>& policies);

// The clocks of a ticket: a "ticket #ID: policy P, status S, as of T" line,
// then a table (METRIC, CYCLE, STATE, BREACHED, TARGET, DEADLINE, REMAINING,
// PAUSED, NEXT WARNING) with each clock's explanation indented under its
// row. Times are in context.tz; durations are business time.
std::string FormatTicketSla(const sla::v1::TicketSla& sla,
                            const OutputContext& context);

// "ticket #ID: TEXT", then the metric and the due time.
std::string FormatSlaPromise(const sla::v1::SlaPromise& promise,
                             const OutputContext& context);

// One line per event: time, ticket, kind, metric and cycle, then what the
// kind records (target, deadline, pause, measurement, warning), the actor
// and reason. With `stream` (for watch), it starts with the cursor.
std::string FormatSlaEventLine(const sla::v1::SlaEvent& event,
                               const OutputContext& context, bool stream);

// A table with a header line: TICKET, METRIC, PRIORITY, TEAM, AGENT, DUE,
// STATE, MET, LATE (how far past the deadline it was met, or is now if still
// open).
std::string FormatBreachTable(const std::vector<sla::v1::Breach>& breaches,
                              const OutputContext& context);

// A report as a table: a line naming the window and the number of clocks,
// then one row per group and metric: one column per group_by dimension
// ("(none)" for an empty value), METRIC, TICKETS, CLOCKS, MET, BREACHED,
// OPEN, COMPLIANCE ("95.0%", "-" when nothing is decided), BIZ P50/P90/P99/
// MAX and CAL P50/P90/P99/MAX (FormatShortDuration, "-" without measurements)
// and CSAT ("4.20", "-" without ratings). A group without clocks has one row
// with METRIC "-".
std::string FormatSlaReportTable(const sla::v1::SlaReport& report,
                                 const OutputContext& context);

// The same rows and columns as CSV (RFC 4180) with a header line of
// snake_case names; durations in whole seconds (columns "..._seconds"),
// compliance as a number without '%', empty cells where the table has "-".
std::string FormatSlaReportCsv(const sla::v1::SlaReport& report);

// The cells of FormatSlaReportTable (`csv` false) or FormatSlaReportCsv
// (`csv` true), header row first: the HTML report shows the one and carries
// the other, so a page can be checked against the CSV cell by cell.
std::vector<std::vector<std::string>> SlaReportCells(
    const sla::v1::SlaReport& report, bool csv);

// --- the escalation service
// ----------------------------------------------------

// A team: "team ID: DISPLAY NAME", then default (yes/no), lead, manager,
// calendar, webhook ("(none)", or the URL and whether a secret is set), etag
// and update time.
std::string FormatTeamDetails(const escalation::v1::Team& team,
                              const OutputContext& context);

// A table with a header line: ID, NAME, DEFAULT, LEAD, MANAGER, CALENDAR,
// WEBHOOK (yes/no).
std::string FormatTeamTable(const std::vector<escalation::v1::Team>& teams);

// An agent: "agent ID: DISPLAY NAME", then teams, skills, tier,
// availability, load ("2/5 open"), shift calendar, etag and update time.
std::string FormatAgentDetails(const escalation::v1::Agent& agent,
                               const OutputContext& context);

// A table with a header line: ID, NAME, TEAMS, TIER, AVAILABILITY, LOAD
// (open/capacity), SKILLS.
std::string FormatAgentTable(const std::vector<escalation::v1::Agent>& agents);

// Which tickets a routing rule takes, in words: "kind complaint; cx level
// emotion; any word of refund"; "every ticket" when it has no conditions.
std::string DescribeRoutingConditions(
    const escalation::v1::RoutingConditions& conditions);

// A rule: "rule ID", then position, the conditions, team, strategy, etag and
// update time.
std::string FormatRuleDetails(const escalation::v1::RoutingRule& rule,
                              const OutputContext& context);

// A table with a header line: POSITION, ID, TEAM, STRATEGY, APPLIES TO (cut
// to 60 characters), in the given order.
std::string FormatRuleTable(
    const std::vector<escalation::v1::RoutingRule>& rules);

// One escalation action in words: "notify assignee", "notify mia", "raise
// priority", "reassign to team lead", "reassign to team tier2", "reassign to
// next tier", "note: ...".
std::string DescribeEscalationAction(
    const escalation::v1::EscalationAction& action);

// "on warning", "on breach" or "30m after breach".
std::string DescribeEscalationTrigger(escalation::v1::TriggerKind trigger,
                                      const google::protobuf::Duration& delay);

// A ladder: "ladder METRIC: N steps", etag and update time, then a table
// LEVEL, WHEN, ACTIONS (one row per step).
std::string FormatLadderDetails(const escalation::v1::Ladder& ladder,
                                const OutputContext& context);

// A table with a header line: METRIC, STEPS, LADDER ("1 on warning, 2 on
// breach, 3 30m after breach"), UPDATED.
std::string FormatLadderTable(
    const std::vector<escalation::v1::Ladder>& ladders,
    const OutputContext& context);

// A routing decision: a headline ("ticket #42 -> team care: assigned to
// bob", "... waits in the team queue" or "... left for the team to take
// (queue only)"), then the decision id, time and trigger, rule ("(none
// matched: the default team)"), strategy, the candidates ("among") and the
// explanation. A dry run says "would be" and "(dry run, not recorded)".
std::string FormatRoutingDecision(const escalation::v1::RoutingDecision& d,
                                  const OutputContext& context);

// A team queue: "team TEAM: N waiting" (and "showing M" when cut), then a
// table #, TICKET, PRIORITY, WAITING (for how long), NEXT DEADLINE (time and
// how far off, "-" without a clock), in the order they will be assigned.
std::string FormatTeamQueue(absl::string_view team,
                            const escalation::v1::ListTeamQueueResponse& queue,
                            const OutputContext& context);

// What became of a step's actions: "raise priority: done, notify team lead:
// failed (ticket closed)"; "skipped (acknowledged)" for a skipped step.
std::string DescribeActionResults(const escalation::v1::Escalation& e);

// A table with a header line: ID, TIME, TICKET, METRIC, CYCLE, LEVEL,
// TRIGGER, TEAM, NOTIFIED, ACK (who, or "-"), ACTIONS (cut to 60).
std::string FormatEscalationTable(
    const std::vector<escalation::v1::Escalation>& escalations,
    const OutputContext& context);

// One escalation step in full: "escalation #ID: ticket #T, METRIC cycle C,
// level L (TRIGGER)", then time, team, notified, acknowledgement, the
// explanation and one line per action with its state, detail and error.
std::string FormatEscalationDetails(const escalation::v1::Escalation& e,
                                    const OutputContext& context);

// A table with a header line: ID, TIME, READ (" " or "*" for unread),
// TICKET, LEVEL, METRIC, RECIPIENT, TITLE (cut to 60).
std::string FormatNotificationTable(
    const std::vector<escalation::v1::Notification>& notifications,
    const OutputContext& context);

// One line per notification for watch: cursor, time, recipient, ticket,
// level and metric, title.
std::string FormatNotificationLine(const escalation::v1::Notification& n,
                                   const OutputContext& context);

// A table with a header line: ID, TEAM, NOTIFICATION, STATE, ATTEMPTS, HTTP
// (the last status, "-" if none), WHEN (next attempt of a pending one,
// delivery time of a delivered one), CREATED, LAST ERROR (cut to 40).
std::string FormatDeliveryTable(
    const std::vector<escalation::v1::WebhookDelivery>& deliveries,
    const OutputContext& context);

// Figures as three tables under a line naming the window: agents (AGENT,
// ASSIGNED, OPEN, CAPACITY, LOAD), teams (TEAM, ROUTED, QUEUED, FROM QUEUE,
// QUEUE P50, P90, MAX, WAITING) and levels (LEVEL, RAN, SKIPPED,
// ACKNOWLEDGED); "(none)" for an empty section.
std::string FormatEscalationFiguresTable(
    const escalation::v1::EscalationFigures& figures,
    const OutputContext& context);

// The same three sections as CSV (RFC 4180) blocks separated by an empty
// line, each with a header line of snake_case names (the first column
// names the section: agent_id, team_id, level); durations in whole seconds.
std::string FormatEscalationFiguresCsv(
    const escalation::v1::EscalationFigures& figures);

// The message as one line of proto3 JSON with the proto's field names, every
// field present. INTERNAL if the message cannot be printed.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_OUTPUT_H_
