// What the `cxdesk` commands of the escalation service print.

#include "clients/cli/escalation_output.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli/output.h"
#include "clients/common/enum_words.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::cli {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace escpb = ::cxdesk::escalation::v1;

std::string Joined(const google::protobuf::RepeatedPtrField<std::string> &v) {
  return v.empty() ? "-" : absl::StrJoin(v, ", ");
}

std::string Load(int32_t open, int32_t capacity) {
  return absl::StrCat(open, "/", capacity);
}

std::string Seconds(const google::protobuf::Duration &d) {
  return absl::StrCat(absl::ToInt64Seconds(common::FromProtoDuration(d)));
}

std::vector<std::vector<std::string>> FigureAgentCells(
    const escpb::EscalationFigures &f, bool csv) {
  std::vector<std::vector<std::string>> rows;
  if (csv) {
    rows.push_back({"agent_id", "assignments", "open_tickets", "capacity"});
  } else {
    rows.push_back({"AGENT", "ASSIGNED", "OPEN", "CAPACITY", "LOAD"});
  }
  for (const escpb::AgentFigures &a : f.agents()) {
    std::vector<std::string> row = {a.agent_id(), absl::StrCat(a.assignments()),
                                    absl::StrCat(a.open_tickets()),
                                    absl::StrCat(a.capacity())};
    if (!csv) {
      row.push_back(a.capacity() <= 0
                        ? "-"
                        : absl::StrFormat("%.0f%%", 100.0 * a.open_tickets() /
                                                        a.capacity()));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::vector<std::string>> FigureTeamCells(
    const escpb::EscalationFigures &f, bool csv) {
  std::vector<std::vector<std::string>> rows;
  if (csv) {
    rows.push_back({"team_id", "routed", "queued", "assigned_from_queue",
                    "queue_p50_seconds", "queue_p90_seconds",
                    "queue_max_seconds", "waiting_now"});
  } else {
    rows.push_back({"TEAM", "ROUTED", "QUEUED", "FROM QUEUE", "QUEUE P50",
                    "P90", "MAX", "WAITING"});
  }
  for (const escpb::TeamQueueFigures &t : f.teams()) {
    // Queue times exist only for tickets assigned from the queue.
    const bool timed = t.assigned_from_queue() > 0;
    auto time = [&](const google::protobuf::Duration &d) -> std::string {
      if (!timed) return csv ? "" : "-";
      return csv ? Seconds(d)
                 : FormatShortDuration(common::FromProtoDuration(d));
    };
    rows.push_back({t.team_id(), absl::StrCat(t.routed()),
                    absl::StrCat(t.queued()),
                    absl::StrCat(t.assigned_from_queue()),
                    time(t.queue_time_p50()), time(t.queue_time_p90()),
                    time(t.queue_time_max()), absl::StrCat(t.waiting_now())});
  }
  return rows;
}

std::vector<std::vector<std::string>> FigureLevelCells(
    const escpb::EscalationFigures &f, bool csv) {
  std::vector<std::vector<std::string>> rows;
  if (csv) {
    rows.push_back({"level", "ran", "skipped", "acknowledged"});
  } else {
    rows.push_back({"LEVEL", "RAN", "SKIPPED", "ACKNOWLEDGED"});
  }
  for (const escpb::LevelFigures &l : f.levels()) {
    rows.push_back({absl::StrCat(l.level()), absl::StrCat(l.ran()),
                    absl::StrCat(l.skipped()), absl::StrCat(l.acknowledged())});
  }
  return rows;
}

std::string CsvBlock(const std::vector<std::vector<std::string>> &rows) {
  std::string out;
  for (const std::vector<std::string> &row : rows) {
    std::vector<std::string> cells;
    for (const std::string &cell : row) cells.push_back(CsvCell(cell));
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\n");
  }
  return out;
}

// A titled section: "TITLE:" then the table indented, or "TITLE: (none)".
void Section(std::string *out, absl::string_view title,
             const std::vector<std::vector<std::string>> &rows) {
  if (rows.size() <= 1) {
    absl::StrAppend(out, title, ": (none)\n");
    return;
  }
  absl::StrAppend(out, title, ":\n");
  for (const std::string &line : TableLines(rows)) {
    absl::StrAppend(out, "  ", line, "\n");
  }
}

}  // namespace

std::string FormatTeamDetails(const escpb::Team &team,
                              const OutputContext &context) {
  std::string out = absl::StrCat("team ", team.team_id());
  if (!team.display_name().empty()) {
    absl::StrAppend(&out, ": ", Truncate(team.display_name(), 200));
  }
  absl::StrAppend(&out, "\n");
  Field(&out, "default",
        team.default_team() ? "yes (takes tickets no rule matches)" : "no");
  Field(&out, "lead", OrNone(team.lead()));
  Field(&out, "manager", OrNone(team.manager()));
  Field(&out, "calendar", OrNone(team.default_calendar()));
  Field(&out, "webhook",
        team.webhook().url().empty()
            ? "(none)"
            : absl::StrCat(team.webhook().url(), team.webhook().secret_set()
                                                     ? " (signed)"
                                                     : " (no secret)"));
  Field(&out, "etag", OrDash(team.etag()));
  Field(&out, "updated", FormatShortTimeWithAge(team.update_time(), context));
  return out;
}

std::string FormatTeamTable(const std::vector<escpb::Team> &teams) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(
      {"ID", "NAME", "DEFAULT", "LEAD", "MANAGER", "CALENDAR", "WEBHOOK"});
  for (const escpb::Team &t : teams) {
    rows.push_back({t.team_id(), OrDash(Truncate(t.display_name(), 30)),
                    YesNo(t.default_team()), OrDash(t.lead()),
                    OrDash(t.manager()), OrDash(t.default_calendar()),
                    YesNo(!t.webhook().url().empty())});
  }
  return FormatTable(rows);
}

std::string FormatAgentDetails(const escpb::Agent &agent,
                               const OutputContext &context) {
  std::string out = absl::StrCat("agent ", agent.agent_id());
  if (!agent.display_name().empty()) {
    absl::StrAppend(&out, ": ", Truncate(agent.display_name(), 200));
  }
  absl::StrAppend(&out, "\n");
  Field(&out, "teams",
        agent.team_ids().empty() ? "(none)" : Joined(agent.team_ids()));
  Field(&out, "skills",
        agent.skills().empty() ? "(none)" : Joined(agent.skills()));
  Field(&out, "tier", absl::StrCat(agent.tier()));
  Field(&out, "available", AvailabilityWord(agent.availability()));
  Field(&out, "load",
        absl::StrCat(Load(agent.open_tickets(), agent.capacity()),
                     " open tickets"));
  Field(&out, "shift",
        agent.shift_calendar().empty() ? "(the team's calendar)"
                                       : agent.shift_calendar());
  Field(&out, "etag", OrDash(agent.etag()));
  Field(&out, "updated", FormatShortTimeWithAge(agent.update_time(), context));
  return out;
}

std::string FormatAgentTable(const std::vector<escpb::Agent> &agents) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(
      {"ID", "NAME", "TEAMS", "TIER", "AVAILABILITY", "LOAD", "SKILLS"});
  for (const escpb::Agent &a : agents) {
    rows.push_back({a.agent_id(), OrDash(Truncate(a.display_name(), 30)),
                    Joined(a.team_ids()), absl::StrCat(a.tier()),
                    AvailabilityWord(a.availability()),
                    Load(a.open_tickets(), a.capacity()),
                    Truncate(Joined(a.skills()), 40)});
  }
  return FormatTable(rows);
}

std::string DescribeRoutingConditions(const escpb::RoutingConditions &c) {
  std::vector<std::string> parts;
  if (!c.kinds().empty()) {
    parts.push_back(
        absl::StrCat("kind ", JoinWords<ticketpb::Kind>(c.kinds(), KindWord)));
  }
  if (!c.cx_levels().empty()) {
    parts.push_back(absl::StrCat(
        "cx level ", JoinWords<ticketpb::CxLevel>(c.cx_levels(), CxLevelWord)));
  }
  if (!c.priorities().empty()) {
    parts.push_back(absl::StrCat(
        "priority ",
        JoinWords<ticketpb::Priority>(c.priorities(), PriorityWord)));
  }
  if (!c.channels().empty()) {
    parts.push_back(absl::StrCat(
        "channel ", JoinWords<ticketpb::Channel>(c.channels(), ChannelWord)));
  }
  if (!c.tags_any().empty()) {
    parts.push_back(absl::StrCat("any tag of ", Joined(c.tags_any())));
  }
  if (!c.words_any().empty()) {
    parts.push_back(absl::StrCat("any word of ", Joined(c.words_any())));
  }
  if (!c.customer_emails().empty()) {
    parts.push_back(absl::StrCat("customer ", Joined(c.customer_emails())));
  }
  if (parts.empty()) return "every ticket";
  return absl::StrJoin(parts, "; ");
}

std::string FormatRuleDetails(const escpb::RoutingRule &rule,
                              const OutputContext &context) {
  std::string out = absl::StrCat("rule ", rule.rule_id(), "\n");
  Field(&out, "position", absl::StrCat(rule.position()));
  Field(&out, "applies", DescribeRoutingConditions(rule.conditions()));
  Field(&out, "team", OrDash(rule.team_id()));
  Field(&out, "strategy", StrategyWord(rule.strategy()));
  Field(&out, "etag", OrDash(rule.etag()));
  Field(&out, "updated", FormatShortTimeWithAge(rule.update_time(), context));
  return out;
}

std::string FormatRuleTable(const std::vector<escpb::RoutingRule> &rules) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"POSITION", "ID", "TEAM", "STRATEGY", "APPLIES TO"});
  for (const escpb::RoutingRule &r : rules) {
    rows.push_back({absl::StrCat(r.position()), r.rule_id(),
                    OrDash(r.team_id()), StrategyWord(r.strategy()),
                    Truncate(DescribeRoutingConditions(r.conditions()), 60)});
  }
  return FormatTable(rows);
}

std::string DescribeEscalationAction(const escpb::EscalationAction &a) {
  switch (a.kind()) {
    case escpb::ACTION_KIND_NOTIFY:
      switch (a.recipient()) {
        case escpb::RECIPIENT_KIND_ASSIGNEE:
          return "notify assignee";
        case escpb::RECIPIENT_KIND_TEAM_LEAD:
          return "notify team lead";
        case escpb::RECIPIENT_KIND_TEAM_MANAGER:
          return "notify team manager";
        case escpb::RECIPIENT_KIND_NAMED:
          return absl::StrCat("notify ", OrDash(a.recipient_agent_id()));
        default:
          return "notify ?";
      }
    case escpb::ACTION_KIND_RAISE_PRIORITY:
      return "raise priority";
    case escpb::ACTION_KIND_REASSIGN:
      switch (a.reassign()) {
        case escpb::REASSIGN_KIND_TEAM_LEAD:
          return "reassign to team lead";
        case escpb::REASSIGN_KIND_OTHER_TEAM:
          return absl::StrCat("reassign to team ",
                              OrDash(a.reassign_team_id()));
        case escpb::REASSIGN_KIND_NEXT_TIER:
          return "reassign to next tier";
        default:
          return "reassign ?";
      }
    case escpb::ACTION_KIND_ADD_NOTE:
      return absl::StrCat("note ", Quote(a.note()));
    default:
      return absl::StrCat("?", static_cast<int>(a.kind()));
  }
}

std::string DescribeEscalationTrigger(escpb::TriggerKind trigger,
                                      const google::protobuf::Duration &delay) {
  if (trigger == escpb::TRIGGER_KIND_AFTER_BREACH) {
    return absl::StrCat(FormatShortDuration(common::FromProtoDuration(delay)),
                        " after breach");
  }
  return TriggerKindWord(trigger);
}

std::string FormatLadderDetails(const escpb::Ladder &ladder,
                                const OutputContext &context) {
  std::string out = absl::StrCat(
      "ladder ", MetricWord(ladder.metric()), ": ", ladder.steps_size(),
      ladder.steps_size() == 1 ? " step" : " steps", "\n");
  Field(&out, "etag", OrDash(ladder.etag()));
  Field(&out, "updated", FormatShortTimeWithAge(ladder.update_time(), context));
  if (ladder.steps().empty()) return out;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"LEVEL", "WHEN", "ACTIONS"});
  for (const escpb::EscalationStep &step : ladder.steps()) {
    std::vector<std::string> actions;
    for (const escpb::EscalationAction &a : step.actions()) {
      actions.push_back(DescribeEscalationAction(a));
    }
    rows.push_back({absl::StrCat(step.level()),
                    DescribeEscalationTrigger(step.trigger(), step.delay()),
                    actions.empty() ? "-" : absl::StrJoin(actions, ", ")});
  }
  for (const std::string &line : TableLines(rows)) {
    absl::StrAppend(&out, "  ", line, "\n");
  }
  return out;
}

std::string FormatLadderTable(const std::vector<escpb::Ladder> &ladders,
                              const OutputContext &context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"METRIC", "STEPS", "LADDER", "UPDATED"});
  for (const escpb::Ladder &l : ladders) {
    std::vector<std::string> steps;
    for (const escpb::EscalationStep &step : l.steps()) {
      steps.push_back(absl::StrCat(
          step.level(), " ",
          DescribeEscalationTrigger(step.trigger(), step.delay())));
    }
    const absl::Time updated = ToTime(l.update_time());
    rows.push_back(
        {MetricWord(l.metric()), absl::StrCat(l.steps_size()),
         Truncate(absl::StrJoin(steps, ", "), 60),
         updated == absl::InfinitePast()
             ? "-"
             : absl::StrCat(FormatAge(context.now - updated), " ago")});
  }
  return FormatTable(rows);
}

std::string FormatRoutingDecision(const escpb::RoutingDecision &d,
                                  const OutputContext &context) {
  const bool dry_run = d.trigger() == escpb::ROUTING_TRIGGER_DRY_RUN;
  std::string what;
  switch (d.outcome()) {
    case escpb::ROUTING_OUTCOME_ASSIGNED:
      what = absl::StrCat(dry_run ? "would be assigned to " : "assigned to ",
                          OrDash(d.agent_id()));
      break;
    case escpb::ROUTING_OUTCOME_QUEUED:
      what =
          dry_run ? "would wait in the team queue" : "waits in the team queue";
      break;
    case escpb::ROUTING_OUTCOME_ROUTED:
      what = dry_run ? "would be left for the team to take (queue only)"
                     : "left for the team to take (queue only)";
      break;
    default:
      what = RoutingOutcomeWord(d.outcome());
  }
  std::string out = absl::StrCat(
      d.ticket_id() == 0 ? "draft" : absl::StrCat("ticket #", d.ticket_id()),
      " -> team ", OrDash(d.team_id()), ": ", what, "\n");
  Field(&out, "decision",
        d.decision_id() == 0 ? "(dry run, not recorded)"
                             : absl::StrCat("#", d.decision_id()));
  Field(&out, "when",
        absl::StrCat(FormatSecondTime(ToTime(d.decide_time()), context.tz),
                     " (", RoutingTriggerWord(d.trigger()), ")"));
  Field(&out, "rule",
        d.rule_id().empty() ? "(none matched: the default team)" : d.rule_id());
  Field(&out, "strategy", StrategyWord(d.strategy()));
  Field(&out, "among",
        d.candidates().empty() ? "(none)" : Joined(d.candidates()));
  if (!d.explanation().empty()) {
    absl::StrAppend(&out, "  why:\n", Indent(d.explanation(), 4));
  }
  return out;
}

std::string FormatTeamQueue(absl::string_view team,
                            const escpb::ListTeamQueueResponse &queue,
                            const OutputContext &context) {
  std::string out =
      absl::StrCat("team ", team, ": ", queue.total(), " waiting");
  if (queue.tickets_size() < queue.total()) {
    absl::StrAppend(&out, ", showing the first ", queue.tickets_size());
  }
  absl::StrAppend(&out, "\n");
  if (queue.tickets().empty()) return out;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"#", "TICKET", "PRIORITY", "WAITING", "NEXT DEADLINE"});
  int n = 0;
  for (const escpb::QueuedTicket &t : queue.tickets()) {
    const absl::Time queued = ToTime(t.queue_time());
    rows.push_back(
        {absl::StrCat(++n), absl::StrCat("#", t.ticket_id()),
         PriorityWord(t.priority()),
         queued == absl::InfinitePast() ? "-" : FormatAge(context.now - queued),
         FormatDue(t.next_deadline(), context, "-")});
  }
  absl::StrAppend(&out, FormatTable(rows));
  return out;
}

std::string DescribeActionResults(const escpb::Escalation &e) {
  if (e.skipped()) return "skipped (acknowledged)";
  std::vector<std::string> parts;
  for (const escpb::ActionResult &r : e.actions()) {
    std::string part = absl::StrCat(DescribeEscalationAction(r.action()), ": ",
                                    ActionStateWord(r.state()));
    if (!r.error().empty()) absl::StrAppend(&part, " (", r.error(), ")");
    parts.push_back(std::move(part));
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

std::string FormatEscalationTable(const std::vector<escpb::Escalation> &list,
                                  const OutputContext &context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", "TIME", "TICKET", "METRIC", "CYCLE", "LEVEL", "TRIGGER",
                  "TEAM", "NOTIFIED", "ACK", "ACTIONS"});
  for (const escpb::Escalation &e : list) {
    rows.push_back({absl::StrCat(e.escalation_id()),
                    FormatShortTime(ToTime(e.occur_time()), context.tz),
                    absl::StrCat("#", e.ticket_id()), MetricWord(e.metric()),
                    absl::StrCat(e.cycle()), absl::StrCat(e.level()),
                    TriggerKindWord(e.trigger()), OrDash(e.team_id()),
                    Joined(e.recipients()),
                    e.acknowledged() ? OrDash(e.acknowledged_by()) : "-",
                    Truncate(DescribeActionResults(e), 60)});
  }
  return FormatTable(rows);
}

std::string FormatEscalationDetails(const escpb::Escalation &e,
                                    const OutputContext &context) {
  std::string out = absl::StrCat(
      "escalation #", e.escalation_id(), ": ticket #", e.ticket_id(), ", ",
      MetricWord(e.metric()), " cycle ", e.cycle(), ", level ", e.level(), " (",
      TriggerKindWord(e.trigger()), ")", e.skipped() ? ", skipped" : "", "\n");
  Field(&out, "when", FormatSecondTime(ToTime(e.occur_time()), context.tz));
  Field(&out, "team", OrNone(e.team_id()));
  Field(&out, "notified",
        e.recipients().empty() ? "(nobody)" : Joined(e.recipients()));
  Field(&out, "acked",
        e.acknowledged()
            ? absl::StrCat(
                  "by ", OrDash(e.acknowledged_by()), " at ",
                  FormatSecondTime(ToTime(e.acknowledge_time()), context.tz))
            : "no");
  if (!e.explanation().empty()) {
    Field(&out, "why", Truncate(e.explanation(), 200));
  }
  std::vector<std::string> actions;
  for (const escpb::ActionResult &r : e.actions()) {
    std::string line = absl::StrCat(DescribeEscalationAction(r.action()), ": ",
                                    ActionStateWord(r.state()));
    if (!r.detail().empty()) absl::StrAppend(&line, ", ", r.detail());
    if (!r.error().empty()) absl::StrAppend(&line, " (", r.error(), ")");
    actions.push_back(std::move(line));
  }
  MultiField(&out, "actions", actions);
  return out;
}

std::string FormatNotificationTable(
    const std::vector<escpb::Notification> &notifications,
    const OutputContext &context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(
      {"ID", "TIME", "NEW", "TICKET", "LEVEL", "METRIC", "RECIPIENT", "TITLE"});
  for (const escpb::Notification &n : notifications) {
    rows.push_back({absl::StrCat(n.notification_id()),
                    FormatShortTime(ToTime(n.create_time()), context.tz),
                    n.read() ? "-" : "*", absl::StrCat("#", n.ticket_id()),
                    absl::StrCat(n.level()), MetricWord(n.metric()),
                    OrDash(n.recipient()), Truncate(n.title(), 60)});
  }
  return FormatTable(rows);
}

std::string FormatNotificationLine(const escpb::Notification &n,
                                   const OutputContext &context) {
  return absl::StrCat(
      OrDash(n.cursor()), "  ",
      FormatSecondTime(ToTime(n.create_time()), context.tz), "  ",
      PadRight(OrDash(n.recipient()), 8), "  ",
      PadRight(absl::StrCat("#", n.ticket_id()), 6), "  ",
      PadRight(absl::StrCat("L", n.level(), " ", MetricWord(n.metric())), 18),
      "  ", Truncate(n.title(), 100));
}

std::string FormatDeliveryTable(
    const std::vector<escpb::WebhookDelivery> &deliveries,
    const OutputContext &context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", "TEAM", "NOTIFICATION", "STATE", "ATTEMPTS", "HTTP",
                  "WHEN", "CREATED", "LAST ERROR"});
  for (const escpb::WebhookDelivery &d : deliveries) {
    std::string when = "-";
    if (d.state() == escpb::DELIVERY_STATE_PENDING) {
      when = absl::StrCat("next ",
                          FormatDue(d.next_attempt_time(), context, "now"));
    } else if (d.state() == escpb::DELIVERY_STATE_DELIVERED) {
      when = FormatShortTime(ToTime(d.deliver_time()), context.tz);
    }
    rows.push_back(
        {absl::StrCat(d.delivery_id()), OrDash(d.team_id()),
         absl::StrCat(d.notification_id()), DeliveryStateWord(d.state()),
         absl::StrCat(d.attempts()),
         d.last_status_code() == 0 ? "-" : absl::StrCat(d.last_status_code()),
         when, FormatShortTime(ToTime(d.create_time()), context.tz),
         OrDash(Truncate(d.last_error(), 40))});
  }
  return FormatTable(rows);
}

std::string FormatEscalationFiguresTable(const escpb::EscalationFigures &f,
                                         const OutputContext &context) {
  std::string out =
      absl::StrCat("escalation figures ",
                   FormatShortTime(ToTime(f.start_time()), context.tz), " .. ",
                   FormatShortTime(ToTime(f.end_time()), context.tz), "\n");
  Section(&out, "agents", FigureAgentCells(f, /*csv=*/false));
  Section(&out, "teams", FigureTeamCells(f, /*csv=*/false));
  Section(&out, "levels", FigureLevelCells(f, /*csv=*/false));
  return out;
}

std::string FormatEscalationFiguresCsv(const escpb::EscalationFigures &f) {
  return absl::StrCat(CsvBlock(FigureAgentCells(f, /*csv=*/true)), "\n",
                      CsvBlock(FigureTeamCells(f, /*csv=*/true)), "\n",
                      CsvBlock(FigureLevelCells(f, /*csv=*/true)));
}

}  // namespace cxdesk::clients::cli
