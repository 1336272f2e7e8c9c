#ifndef CXDESK_CLIENTS_CLI_ESCALATION_OUTPUT_H_
#define CXDESK_CLIENTS_CLI_ESCALATION_OUTPUT_H_

// What the `cxdesk` commands of the escalation service print.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/output.h"
#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "google/protobuf/duration.pb.h"

namespace cxdesk::clients::cli {

// A team: "team ID: DISPLAY NAME", then default (yes/no), lead, manager,
// calendar, webhook ("(none)", or the URL and whether a secret is set), etag
// and update time.
std::string FormatTeamDetails(const escalation::v1::Team &team,
                              const OutputContext &context);

// A table with a header line: ID, NAME, DEFAULT, LEAD, MANAGER, CALENDAR,
// WEBHOOK (yes/no).
std::string FormatTeamTable(const std::vector<escalation::v1::Team> &teams);

// An agent: "agent ID: DISPLAY NAME", then teams, skills, tier,
// availability, load ("2/5 open"), shift calendar, etag and update time.
std::string FormatAgentDetails(const escalation::v1::Agent &agent,
                               const OutputContext &context);

// A table with a header line: ID, NAME, TEAMS, TIER, AVAILABILITY, LOAD
// (open/capacity), SKILLS.
std::string FormatAgentTable(const std::vector<escalation::v1::Agent> &agents);

// Which tickets a routing rule takes, in words: "kind complaint; cx level
// emotion; any word of refund"; "every ticket" when it has no conditions.
std::string DescribeRoutingConditions(
    const escalation::v1::RoutingConditions &conditions);

// A rule: "rule ID", then position, the conditions, team, strategy, etag and
// update time.
std::string FormatRuleDetails(const escalation::v1::RoutingRule &rule,
                              const OutputContext &context);

// A table with a header line: POSITION, ID, TEAM, STRATEGY, APPLIES TO (cut
// to 60 characters), in the given order.
std::string FormatRuleTable(
    const std::vector<escalation::v1::RoutingRule> &rules);

// One escalation action in words: "notify assignee", "notify mia", "raise
// priority", "reassign to team lead", "reassign to team tier2", "reassign to
// next tier", "note: ...".
std::string DescribeEscalationAction(
    const escalation::v1::EscalationAction &action);

// "on warning", "on breach" or "30m after breach".
std::string DescribeEscalationTrigger(escalation::v1::TriggerKind trigger,
                                      const google::protobuf::Duration &delay);

// A ladder: "ladder METRIC: N steps", etag and update time, then a table
// LEVEL, WHEN, ACTIONS (one row per step).
std::string FormatLadderDetails(const escalation::v1::Ladder &ladder,
                                const OutputContext &context);

// A table with a header line: METRIC, STEPS, LADDER ("1 on warning, 2 on
// breach, 3 30m after breach"), UPDATED.
std::string FormatLadderTable(
    const std::vector<escalation::v1::Ladder> &ladders,
    const OutputContext &context);

// A routing decision: a headline ("ticket #42 -> team care: assigned to
// bob", "... waits in the team queue" or "... left for the team to take
// (queue only)"), then the decision id, time and trigger, rule ("(none
// matched: the default team)"), strategy, the candidates ("among") and the
// explanation. A dry run says "would be" and "(dry run, not recorded)".
std::string FormatRoutingDecision(const escalation::v1::RoutingDecision &d,
                                  const OutputContext &context);

// A team queue: "team TEAM: N waiting" (and "showing M" when cut), then a
// table #, TICKET, PRIORITY, WAITING (for how long), NEXT DEADLINE (time and
// how far off, "-" without a clock), in the order they will be assigned.
std::string FormatTeamQueue(absl::string_view team,
                            const escalation::v1::ListTeamQueueResponse &queue,
                            const OutputContext &context);

// What became of a step's actions: "raise priority: done, notify team lead:
// failed (ticket closed)"; "skipped (acknowledged)" for a skipped step.
std::string DescribeActionResults(const escalation::v1::Escalation &e);

// A table with a header line: ID, TIME, TICKET, METRIC, CYCLE, LEVEL,
// TRIGGER, TEAM, NOTIFIED, ACK (who, or "-"), ACTIONS (cut to 60).
std::string FormatEscalationTable(
    const std::vector<escalation::v1::Escalation> &escalations,
    const OutputContext &context);

// One escalation step in full: "escalation #ID: ticket #T, METRIC cycle C,
// level L (TRIGGER)", then time, team, notified, acknowledgement, the
// explanation and one line per action with its state, detail and error.
std::string FormatEscalationDetails(const escalation::v1::Escalation &e,
                                    const OutputContext &context);

// A table with a header line: ID, TIME, READ (" " or "*" for unread),
// TICKET, LEVEL, METRIC, RECIPIENT, TITLE (cut to 60).
std::string FormatNotificationTable(
    const std::vector<escalation::v1::Notification> &notifications,
    const OutputContext &context);

// One line per notification for watch: cursor, time, recipient, ticket,
// level and metric, title.
std::string FormatNotificationLine(const escalation::v1::Notification &n,
                                   const OutputContext &context);

// A table with a header line: ID, TEAM, NOTIFICATION, STATE, ATTEMPTS, HTTP
// (the last status, "-" if none), WHEN (next attempt of a pending one,
// delivery time of a delivered one), CREATED, LAST ERROR (cut to 40).
std::string FormatDeliveryTable(
    const std::vector<escalation::v1::WebhookDelivery> &deliveries,
    const OutputContext &context);

// Figures as three tables under a line naming the window: agents (AGENT,
// ASSIGNED, OPEN, CAPACITY, LOAD), teams (TEAM, ROUTED, QUEUED, FROM QUEUE,
// QUEUE P50, P90, MAX, WAITING) and levels (LEVEL, RAN, SKIPPED,
// ACKNOWLEDGED); "(none)" for an empty section.
std::string FormatEscalationFiguresTable(
    const escalation::v1::EscalationFigures &figures,
    const OutputContext &context);

// The same three sections as CSV (RFC 4180) blocks separated by an empty
// line, each with a header line of snake_case names (the first column
// names the section: agent_id, team_id, level); durations in whole seconds.
std::string FormatEscalationFiguresCsv(
    const escalation::v1::EscalationFigures &figures);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_ESCALATION_OUTPUT_H_
