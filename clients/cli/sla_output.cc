// What the `cxdesk` commands of the SLA service print.

#include "clients/cli/sla_output.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/output.h"
#include "clients/common/enum_words.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::cli {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;

// Minutes since midnight of "HH:MM" (00:00..24:00); nullopt otherwise.
std::optional<int> MinuteOfDay(absl::string_view hh_mm) {
  std::vector<absl::string_view> parts = absl::StrSplit(hh_mm, ':');
  int h = 0, m = 0;
  if (parts.size() != 2 || parts[0].size() != 2 || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) ||
      h < 0 || m < 0 || m > 59 || h * 60 + m > 24 * 60) {
    return std::nullopt;
  }
  return h * 60 + m;
}

// Business hours per week, "45h" or "37h 30m"; "?" if a time is malformed.
std::string HoursPerWeek(const slapb::Calendar &calendar) {
  int minutes = 0;
  for (const slapb::BusinessHours &h : calendar.hours()) {
    std::optional<int> start = MinuteOfDay(h.start());
    std::optional<int> end = MinuteOfDay(h.end());
    if (!start.has_value() || !end.has_value()) return "?";
    if (*end > *start) minutes += *end - *start;
  }
  return FormatShortDuration(absl::Minutes(minutes));
}

std::string FormatHoliday(const slapb::Holiday &holiday) {
  std::string out = OrDash(holiday.date());
  if (holiday.yearly()) absl::StrAppend(&out, " (yearly)");
  if (!holiday.title().empty()) absl::StrAppend(&out, " ", holiday.title());
  return out;
}

// A duration statistic of a report, "-" without measurements.
std::string StatCell(const slapb::DurationStats &stats,
                     const google::protobuf::Duration &value) {
  if (stats.count() == 0) return "-";
  return FormatShortDuration(common::FromProtoDuration(value));
}

std::string StatCsv(const slapb::DurationStats &stats,
                    const google::protobuf::Duration &value) {
  if (stats.count() == 0) return "";
  return absl::StrCat(absl::ToInt64Seconds(common::FromProtoDuration(value)));
}

// Whether anything of the metric was decided (met on time or breached).
bool Decided(const slapb::MetricReport &m) {
  return m.met_on_time() + m.breached() > 0;
}

// The report's rows as cells, `csv` choosing the CSV cell formats; a
// header row first.
std::vector<std::vector<std::string>> ReportCells(
    const slapb::SlaReport &report, bool csv) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (int d : report.group_by()) {
    std::string word =
        ReportDimensionWord(static_cast<slapb::ReportDimension>(d));
    header.push_back(csv ? word : absl::AsciiStrToUpper(word));
  }
  if (csv) {
    for (const char *name :
         {"metric", "tickets", "clocks", "met", "breached", "open",
          "compliance_percent", "business_p50_seconds", "business_p90_seconds",
          "business_p99_seconds", "business_max_seconds",
          "calendar_p50_seconds", "calendar_p90_seconds",
          "calendar_p99_seconds", "calendar_max_seconds", "average_csat"}) {
      header.push_back(name);
    }
  } else {
    for (const char *name :
         {"METRIC", "TICKETS", "CLOCKS", "MET", "BREACHED", "OPEN",
          "COMPLIANCE", "BIZ P50", "BIZ P90", "BIZ P99", "BIZ MAX", "CAL P50",
          "CAL P90", "CAL P99", "CAL MAX", "CSAT"}) {
      header.push_back(name);
    }
  }
  rows.push_back(std::move(header));
  const std::string none = csv ? "" : "-";
  for (const slapb::SlaReportRow &row : report.rows()) {
    std::vector<std::string> group;
    for (int i = 0; i < report.group_by_size(); ++i) {
      const std::string value =
          i < row.group_values_size() ? row.group_values(i) : "";
      group.push_back(csv ? value : (value.empty() ? "(none)" : value));
    }
    const std::string csat =
        row.ratings() == 0 ? none : absl::StrFormat("%.2f", row.average_csat());
    auto add = [&](const slapb::MetricReport *m) {
      std::vector<std::string> cells = group;
      if (m == nullptr) {
        cells.push_back(none);
        cells.push_back(absl::StrCat(row.tickets()));
        for (int i = 0; i < 14; ++i) cells.push_back(none);
        cells.back() = csat;
        rows.push_back(std::move(cells));
        return;
      }
      cells.push_back(MetricWord(m->metric()));
      cells.push_back(absl::StrCat(row.tickets()));
      cells.push_back(absl::StrCat(m->clocks()));
      cells.push_back(absl::StrCat(m->met_on_time()));
      cells.push_back(absl::StrCat(m->breached()));
      cells.push_back(absl::StrCat(m->open()));
      // Two calls: clang checks each format string at compile time.
      cells.push_back(!Decided(*m) ? none
                      : csv
                          ? absl::StrFormat("%.1f", m->compliance_percent())
                          : absl::StrFormat("%.1f%%", m->compliance_percent()));
      const auto stat = csv ? StatCsv : StatCell;
      for (const slapb::DurationStats *stats :
           {&m->business_time(), &m->calendar_time()}) {
        cells.push_back(stat(*stats, stats->p50()));
        cells.push_back(stat(*stats, stats->p90()));
        cells.push_back(stat(*stats, stats->p99()));
        cells.push_back(stat(*stats, stats->max()));
      }
      cells.push_back(csat);
      rows.push_back(std::move(cells));
    };
    if (row.metrics().empty()) add(nullptr);
    for (const slapb::MetricReport &m : row.metrics()) add(&m);
  }
  return rows;
}

}  // namespace

std::string FormatWarning(const slapb::Warning &warning) {
  switch (warning.threshold_case()) {
    case slapb::Warning::kMinutesBefore:
      return absl::StrCat(
          FormatShortDuration(absl::Minutes(warning.minutes_before())),
          " before");
    case slapb::Warning::kPercentElapsed:
      return absl::StrCat(warning.percent_elapsed(), "% elapsed");
    default:
      return "-";
  }
}

std::string FormatCalendarDetails(const slapb::Calendar &calendar,
                                  const OutputContext &context) {
  std::string out = absl::StrCat("calendar ", calendar.calendar_id());
  if (!calendar.description().empty()) {
    absl::StrAppend(&out, ": ", Truncate(calendar.description(), 200));
  }
  absl::StrAppend(&out, "\n");
  Field(&out, "zone", OrDash(calendar.time_zone()));
  // One line per weekday, in week order, its intervals in the given order.
  std::map<int, std::vector<std::string>> by_day;
  for (const slapb::BusinessHours &h : calendar.hours()) {
    by_day[h.weekday()].push_back(absl::StrCat(h.start(), "-", h.end()));
  }
  std::vector<std::string> hours;
  for (const auto &[day, intervals] : by_day) {
    hours.push_back(absl::StrCat(WeekdayWord(static_cast<slapb::Weekday>(day)),
                                 " ", absl::StrJoin(intervals, ", ")));
  }
  if (!hours.empty()) {
    hours.back() += absl::StrCat("  (", HoursPerWeek(calendar), " a week)");
  }
  MultiField(&out, "hours", hours);
  std::vector<std::string> holidays;
  for (const slapb::Holiday &h : calendar.holidays()) {
    holidays.push_back(FormatHoliday(h));
  }
  MultiField(&out, "holidays", holidays);
  Field(&out, "etag", OrDash(calendar.etag()));
  Field(&out, "created",
        FormatShortTimeWithAge(calendar.create_time(), context));
  Field(&out, "updated",
        FormatShortTimeWithAge(calendar.update_time(), context));
  return out;
}

std::string FormatCalendarTable(const std::vector<slapb::Calendar> &calendars,
                                const OutputContext &context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(
      {"ID", "TIME ZONE", "HOURS/WEEK", "HOLIDAYS", "UPDATED", "DESCRIPTION"});
  for (const slapb::Calendar &c : calendars) {
    const absl::Time updated = ToTime(c.update_time());
    rows.push_back(
        {c.calendar_id(), OrDash(c.time_zone()), HoursPerWeek(c),
         absl::StrCat(c.holidays_size()),
         updated == absl::InfinitePast()
             ? "-"
             : absl::StrCat(FormatAge(context.now - updated), " ago"),
         Truncate(c.description(), 50)});
  }
  return FormatTable(rows);
}

std::string DescribeConditions(const slapb::PolicyConditions &conditions) {
  std::vector<std::string> parts;
  if (!conditions.priorities().empty()) {
    parts.push_back(absl::StrCat(
        "priority ",
        JoinWords<ticketpb::Priority>(conditions.priorities(), PriorityWord)));
  }
  if (!conditions.kinds().empty()) {
    parts.push_back(absl::StrCat(
        "kind ", JoinWords<ticketpb::Kind>(conditions.kinds(), KindWord)));
  }
  if (!conditions.cx_levels().empty()) {
    parts.push_back(absl::StrCat(
        "cx level ",
        JoinWords<ticketpb::CxLevel>(conditions.cx_levels(), CxLevelWord)));
  }
  if (!conditions.channels().empty()) {
    parts.push_back(absl::StrCat(
        "channel ",
        JoinWords<ticketpb::Channel>(conditions.channels(), ChannelWord)));
  }
  if (!conditions.tags_any().empty()) {
    parts.push_back(absl::StrCat("any tag of ",
                                 absl::StrJoin(conditions.tags_any(), ", ")));
  }
  if (!conditions.customer_emails().empty()) {
    parts.push_back(absl::StrCat(
        "customer ", absl::StrJoin(conditions.customer_emails(), ", ")));
  }
  if (parts.empty()) return "every ticket";
  return absl::StrJoin(parts, "; ");
}

std::string FormatPolicyDetails(const slapb::Policy &policy,
                                const OutputContext &context) {
  std::string out = absl::StrCat("policy ", policy.policy_id());
  if (!policy.description().empty()) {
    absl::StrAppend(&out, ": ", Truncate(policy.description(), 200));
  }
  absl::StrAppend(&out, "\n");
  Field(&out, "position",
        policy.is_default() ? "default (applies when no other policy matches)"
                            : absl::StrCat(policy.position()));
  Field(&out, "applies", DescribeConditions(policy.conditions()));
  Field(&out, "pauses",
        policy.pause_statuses().empty()
            ? "pending, on-hold (the default)"
            : JoinWords<ticketpb::Status>(policy.pause_statuses(), StatusWord));
  Field(&out, "reopen",
        policy.keep_resolution_on_reopen()
            ? "the resolution clock keeps running from before"
            : "a new resolution clock starts");
  Field(&out, "etag", OrDash(policy.etag()));
  Field(&out, "created", FormatShortTimeWithAge(policy.create_time(), context));
  Field(&out, "updated", FormatShortTimeWithAge(policy.update_time(), context));
  if (policy.targets().empty()) {
    absl::StrAppend(&out, "targets: (none, so no clocks run)\n");
    return out;
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"PRIORITY", "METRIC", "TARGET", "CALENDAR", "WARNINGS"});
  for (const slapb::Target &t : policy.targets()) {
    std::vector<std::string> warnings;
    for (const slapb::Warning &w : t.warnings()) {
      warnings.push_back(FormatWarning(w));
    }
    rows.push_back({PriorityWord(t.priority()), MetricWord(t.metric()),
                    FormatShortDuration(common::FromProtoDuration(t.target())),
                    OrDash(t.calendar_id()),
                    warnings.empty() ? "-" : absl::StrJoin(warnings, ", ")});
  }
  absl::StrAppend(&out, "targets (", policy.targets_size(), "):\n");
  for (const std::string &line : TableLines(rows)) {
    absl::StrAppend(&out, "  ", line, "\n");
  }
  return out;
}

std::string FormatPolicyTable(const std::vector<slapb::Policy> &policies) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", "POSITION", "DEFAULT", "TARGETS", "APPLIES TO"});
  for (const slapb::Policy &p : policies) {
    rows.push_back(
        {p.policy_id(), p.is_default() ? "-" : absl::StrCat(p.position()),
         p.is_default() ? "yes" : "no", absl::StrCat(p.targets_size()),
         Truncate(DescribeConditions(p.conditions()), 60)});
  }
  return FormatTable(rows);
}

std::string FormatTicketSla(const slapb::TicketSla &ticket_sla,
                            const OutputContext &context) {
  std::string out = absl::StrCat(
      "ticket #", ticket_sla.ticket_id(), ": ",
      ticket_sla.policy_id().empty()
          ? "no policy matched"
          : absl::StrCat("policy ", ticket_sla.policy_id()),
      ", status ", StatusWord(ticket_sla.status()), ", as of ",
      FormatSecondTime(ToTime(ticket_sla.as_of_time()), context.tz), "\n");
  if (ticket_sla.clocks().empty()) {
    absl::StrAppend(&out, "no clocks\n");
    return out;
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"METRIC", "CYCLE", "STATE", "BREACHED", "TARGET", "DEADLINE",
                  "REMAINING", "PAUSED", "NEXT WARNING"});
  for (const slapb::SlaClock &c : ticket_sla.clocks()) {
    std::string next_warning = "-";
    if (c.has_next_warning()) {
      next_warning = FormatWarning(c.next_warning());
      const absl::Time at = ToTime(c.next_warning_time());
      if (at != absl::InfinitePast()) {
        next_warning = absl::StrCat(FormatSecondTime(at, context.tz), " (",
                                    next_warning, ")");
      }
    }
    rows.push_back(
        {MetricWord(c.metric()), absl::StrCat(c.cycle()),
         ClockStateWord(c.state()), YesNo(c.breached()),
         FormatShortDuration(common::FromProtoDuration(c.target())),
         FormatSecondTime(ToTime(c.deadline()), context.tz),
         FormatShortDuration(common::FromProtoDuration(c.remaining_business())),
         FormatShortDuration(common::FromProtoDuration(c.paused_business())),
         next_warning});
  }
  const std::vector<std::string> lines = TableLines(rows);
  absl::StrAppend(&out, lines[0], "\n");
  for (int i = 0; i < ticket_sla.clocks_size(); ++i) {
    absl::StrAppend(&out, lines[i + 1], "\n");
    const std::string &why = ticket_sla.clocks(i).explanation();
    if (!why.empty()) absl::StrAppend(&out, "    ", Truncate(why, 200), "\n");
  }
  return out;
}

std::string FormatSlaPromise(const slapb::SlaPromise &promise,
                             const OutputContext &context) {
  std::string out = absl::StrCat("ticket #", promise.ticket_id(), ": ",
                                 OrDash(promise.text()), "\n");
  Field(&out, "metric", MetricWord(promise.metric()));
  Field(&out, "due",
        FormatDue(promise.due_time(), context,
                  "none while the clock is paused (waiting for the customer)"));
  return out;
}

std::string FormatSlaEventLine(const slapb::SlaEvent &event,
                               const OutputContext &context, bool stream) {
  std::string line;
  if (stream) absl::StrAppend(&line, OrDash(event.cursor()), "  ");
  absl::StrAppend(
      &line, FormatSecondTime(ToTime(event.occur_time()), context.tz), "  ",
      PadRight(absl::StrCat("#", event.ticket_id()), 6), "  ",
      PadRight(SlaEventKindWord(event.kind()), 10), "  ",
      PadRight(absl::StrCat(MetricWord(event.metric()), "#", event.cycle()),
               17));
  std::vector<std::string> details;
  const std::string due =
      FormatSecondTime(ToTime(event.deadline()), context.tz);
  const bool has_due = event.has_deadline();
  switch (event.kind()) {
    case slapb::SLA_EVENT_KIND_STARTED:
    case slapb::SLA_EVENT_KIND_RETARGETED:
      details.push_back(absl::StrCat(
          "target ",
          FormatShortDuration(common::FromProtoDuration(event.target()))));
      if (has_due) details.push_back(absl::StrCat("due ", due));
      if (event.overdue()) details.push_back("already overdue");
      if (!event.policy_id().empty()) {
        details.push_back(absl::StrCat("policy ", event.policy_id()));
      }
      break;
    case slapb::SLA_EVENT_KIND_PAUSED:
      details.push_back(absl::StrCat("status ", StatusWord(event.status())));
      break;
    case slapb::SLA_EVENT_KIND_RESUMED:
      details.push_back(absl::StrCat(
          "paused ",
          FormatShortDuration(
              common::FromProtoDuration(event.pause_business())),
          " (",
          FormatShortDuration(common::FromProtoDuration(event.pause_elapsed())),
          " wall)"));
      if (has_due) details.push_back(absl::StrCat("due ", due));
      break;
    case slapb::SLA_EVENT_KIND_MET:
      details.push_back(absl::StrCat(
          "after ",
          FormatShortDuration(common::FromProtoDuration(event.business_time())),
          " (",
          FormatShortDuration(common::FromProtoDuration(event.calendar_time())),
          " wall)"));
      details.push_back(event.met_late() ? "LATE" : "on time");
      break;
    case slapb::SLA_EVENT_KIND_WARNED:
      details.push_back(
          absl::StrCat("warning ", FormatWarning(event.warning())));
      if (has_due) details.push_back(absl::StrCat("due ", due));
      break;
    case slapb::SLA_EVENT_KIND_BREACHED:
      if (has_due) details.push_back(absl::StrCat("was due ", due));
      break;
    default:
      break;
  }
  if (!event.actor().empty()) {
    details.push_back(absl::StrCat("by ", event.actor()));
  }
  if (!event.reason().empty()) {
    details.push_back(absl::StrCat("reason: ", Quote(event.reason())));
  }
  if (!details.empty())
    absl::StrAppend(&line, "  ", absl::StrJoin(details, ", "));
  // Padding may leave blanks at the end when nothing follows.
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

std::string FormatBreachTable(const std::vector<slapb::Breach> &breaches,
                              const OutputContext &context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"TICKET", "METRIC", "PRIORITY", "TEAM", "AGENT", "DUE",
                  "STATE", "MET", "LATE"});
  for (const slapb::Breach &b : breaches) {
    const slapb::SlaEvent &e = b.event();
    // A breach is due at its deadline; occur_time is that instant too.
    absl::Time due = ToTime(e.deadline());
    if (due == absl::InfinitePast()) due = ToTime(e.occur_time());
    const absl::Time met = ToTime(b.met_time());
    std::string late = "-";
    if (due != absl::InfinitePast()) {
      if (met != absl::InfinitePast()) {
        late = FormatShortDuration(met - due);
      } else if (b.state() == slapb::CLOCK_STATE_RUNNING ||
                 b.state() == slapb::CLOCK_STATE_PAUSED) {
        late = absl::StrCat(FormatShortDuration(context.now - due), " so far");
      }
    }
    rows.push_back({absl::StrCat(e.ticket_id()), MetricWord(e.metric()),
                    PriorityWord(e.priority()), OrDash(e.team()),
                    OrDash(e.assignee()), FormatSecondTime(due, context.tz),
                    ClockStateWord(b.state()),
                    FormatSecondTime(met, context.tz), late});
  }
  return FormatTable(rows);
}

std::string FormatSlaReportTable(const slapb::SlaReport &report,
                                 const OutputContext &context) {
  std::string out = absl::StrCat(
      "SLA report ", FormatShortTime(ToTime(report.start_time()), context.tz),
      " .. ", FormatShortTime(ToTime(report.end_time()), context.tz), ": ",
      report.clocks(), report.clocks() == 1 ? " clock" : " clocks", "\n");
  if (report.rows().empty()) {
    absl::StrAppend(&out, "no clocks started in the window\n");
    return out;
  }
  absl::StrAppend(&out, FormatTable(ReportCells(report, /*csv=*/false)));
  return out;
}

std::vector<std::vector<std::string>> SlaReportCells(
    const slapb::SlaReport &report, bool csv) {
  return ReportCells(report, csv);
}

std::string FormatSlaReportCsv(const slapb::SlaReport &report) {
  std::string out;
  for (const std::vector<std::string> &row :
       ReportCells(report, /*csv=*/true)) {
    std::vector<std::string> cells;
    for (const std::string &cell : row) cells.push_back(CsvCell(cell));
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\n");
  }
  return out;
}

}  // namespace cxdesk::clients::cli
