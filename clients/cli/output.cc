#include "clients/cli/output.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "clients/cli/enum_words.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::cli {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
namespace sla = ::cxdesk::sla::v1;
namespace esc = ::cxdesk::escalation::v1;

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Width on a terminal, approximated by UTF-8 code points.
size_t DisplayWidth(absl::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return !IsContinuationByte(c); });
}

std::string OrNone(absl::string_view text) {
  return text.empty() ? "(none)" : std::string(text);
}

std::string OrDash(absl::string_view text) {
  return text.empty() ? "-" : std::string(text);
}

std::string JoinTags(const google::protobuf::RepeatedPtrField<std::string>& t) {
  return absl::StrJoin(t, ", ");
}

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", Truncate(text, 60), "\"");
}

// Appends "  label:" padded, then the value.
void Field(std::string* out, absl::string_view label, absl::string_view value) {
  constexpr size_t kWidth = 12;
  std::string head = absl::StrCat("  ", label, ":");
  head.resize(std::max(kWidth, head.size() + 1), ' ');
  absl::StrAppend(out, head, value, "\n");
}

// Every line of `text` indented by `indent` spaces.
std::string Indent(absl::string_view text, int indent) {
  const std::string pad(indent, ' ');
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    absl::StrAppend(&out, pad, line, "\n");
  }
  return out;
}

std::string Who(absl::string_view name, v1::Role role) {
  return absl::StrCat(OrDash(name), " (", RoleWord(role), ")");
}

std::string PadRight(std::string text, size_t width) {
  const size_t w = DisplayWidth(text);
  if (w < width) text.append(width - w, ' ');
  return text;
}

// The lines of a table whose first row is the header: columns padded to their
// widest cell plus two blanks; the last column is not padded (no trailing
// blanks).
std::vector<std::string> TableLines(
    const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::vector<std::string> lines;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      absl::StrAppend(
          &line, c + 1 < row.size() ? PadRight(row[c], widths[c] + 2) : row[c]);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const std::string& line : TableLines(rows)) {
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

// "5m ago" for a past time, "in 5m" for a future one.
std::string Relative(absl::Time time, absl::Time now) {
  if (time <= now) return absl::StrCat(FormatAge(now - time), " ago");
  return absl::StrCat("in ", FormatAge(time - now));
}

// "2026-11-22 14:03 (in 5m)"; `unset` for an unset timestamp.
std::string FormatDue(const google::protobuf::Timestamp& timestamp,
                      const OutputContext& context, absl::string_view unset) {
  const absl::Time time = ToTime(timestamp);
  if (time == absl::InfinitePast()) return std::string(unset);
  return absl::StrCat(FormatShortTime(time, context.tz), " (",
                      Relative(time, context.now), ")");
}

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
std::string HoursPerWeek(const sla::Calendar& calendar) {
  int minutes = 0;
  for (const sla::BusinessHours& h : calendar.hours()) {
    std::optional<int> start = MinuteOfDay(h.start());
    std::optional<int> end = MinuteOfDay(h.end());
    if (!start.has_value() || !end.has_value()) return "?";
    if (*end > *start) minutes += *end - *start;
  }
  return FormatShortDuration(absl::Minutes(minutes));
}

std::string FormatHoliday(const sla::Holiday& holiday) {
  std::string out = OrDash(holiday.date());
  if (holiday.yearly()) absl::StrAppend(&out, " (yearly)");
  if (!holiday.title().empty()) absl::StrAppend(&out, " ", holiday.title());
  return out;
}

// Appends "  label:" and the first of `values`, then the others aligned
// under it; "(none)" when there are none.
void MultiField(std::string* out, absl::string_view label,
                const std::vector<std::string>& values) {
  if (values.empty()) {
    Field(out, label, "(none)");
    return;
  }
  Field(out, label, values[0]);
  for (size_t i = 1; i < values.size(); ++i) {
    absl::StrAppend(out, std::string(12, ' '), values[i], "\n");
  }
}

template <typename E, typename WordFn>
std::string JoinWords(const google::protobuf::RepeatedField<int>& values,
                      WordFn word) {
  std::vector<std::string> words;
  for (int v : values) words.push_back(word(static_cast<E>(v)));
  return absl::StrJoin(words, ", ");
}

std::string YesNo(bool value) { return value ? "yes" : "no"; }

// A duration statistic of a report, "-" without measurements.
std::string StatCell(const sla::DurationStats& stats,
                     const google::protobuf::Duration& value) {
  if (stats.count() == 0) return "-";
  return FormatShortDuration(common::FromProtoDuration(value));
}

std::string StatCsv(const sla::DurationStats& stats,
                    const google::protobuf::Duration& value) {
  if (stats.count() == 0) return "";
  return absl::StrCat(absl::ToInt64Seconds(common::FromProtoDuration(value)));
}

// Whether anything of the metric was decided (met on time or breached).
bool Decided(const sla::MetricReport& m) {
  return m.met_on_time() + m.breached() > 0;
}

// One cell of CSV, quoted when it has to be.
std::string CsvCell(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(text);
  }
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

// The report's rows as cells, `csv` choosing the CSV cell formats; a
// header row first.
std::vector<std::vector<std::string>> ReportCells(const sla::SlaReport& report,
                                                  bool csv) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (int d : report.group_by()) {
    std::string word =
        ReportDimensionWord(static_cast<sla::ReportDimension>(d));
    header.push_back(csv ? word : absl::AsciiStrToUpper(word));
  }
  if (csv) {
    for (const char* name :
         {"metric", "tickets", "clocks", "met", "breached", "open",
          "compliance_percent", "business_p50_seconds", "business_p90_seconds",
          "business_p99_seconds", "business_max_seconds",
          "calendar_p50_seconds", "calendar_p90_seconds",
          "calendar_p99_seconds", "calendar_max_seconds", "average_csat"}) {
      header.push_back(name);
    }
  } else {
    for (const char* name :
         {"METRIC", "TICKETS", "CLOCKS", "MET", "BREACHED", "OPEN",
          "COMPLIANCE", "BIZ P50", "BIZ P90", "BIZ P99", "BIZ MAX", "CAL P50",
          "CAL P90", "CAL P99", "CAL MAX", "CSAT"}) {
      header.push_back(name);
    }
  }
  rows.push_back(std::move(header));
  const std::string none = csv ? "" : "-";
  for (const sla::SlaReportRow& row : report.rows()) {
    std::vector<std::string> group;
    for (int i = 0; i < report.group_by_size(); ++i) {
      const std::string value =
          i < row.group_values_size() ? row.group_values(i) : "";
      group.push_back(csv ? value : (value.empty() ? "(none)" : value));
    }
    const std::string csat =
        row.ratings() == 0 ? none : absl::StrFormat("%.2f", row.average_csat());
    auto add = [&](const sla::MetricReport* m) {
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
      for (const sla::DurationStats* stats :
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
    for (const sla::MetricReport& m : row.metrics()) add(&m);
  }
  return rows;
}

}  // namespace

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  // An unset timestamp means "not known", shown as "-".
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) {
    return absl::InfinitePast();
  }
  return common::FromProtoTimestamp(timestamp);
}

std::string FormatShortTime(absl::Time time, absl::TimeZone tz) {
  if (time == absl::InfinitePast()) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", time, tz);
}

std::string FormatSecondTime(absl::Time time, absl::TimeZone tz) {
  if (time == absl::InfinitePast()) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, tz);
}

std::string FormatAge(absl::Duration age) {
  if (age < absl::ZeroDuration()) age = absl::ZeroDuration();
  if (age < absl::Minutes(1)) {
    return absl::StrCat(absl::ToInt64Seconds(age), "s");
  }
  if (age < absl::Hours(1)) {
    return absl::StrCat(absl::ToInt64Minutes(age), "m");
  }
  if (age < absl::Hours(24)) return absl::StrCat(absl::ToInt64Hours(age), "h");
  return absl::StrCat(absl::ToInt64Hours(age) / 24, "d");
}

std::string FormatShortTimeWithAge(const google::protobuf::Timestamp& timestamp,
                                   const OutputContext& context) {
  const absl::Time time = ToTime(timestamp);
  if (time == absl::InfinitePast()) return "-";
  return absl::StrCat(FormatShortTime(time, context.tz), " (",
                      FormatAge(context.now - time), " ago)");
}

std::string Truncate(absl::string_view text, size_t max_chars) {
  std::string flat(text);
  for (char& c : flat) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (DisplayWidth(flat) <= max_chars) return flat;
  const size_t keep = max_chars > 3 ? max_chars - 3 : 0;
  size_t chars = 0;
  size_t i = 0;
  for (; i < flat.size(); ++i) {
    if (!IsContinuationByte(flat[i])) {
      if (chars == keep) break;
      ++chars;
    }
  }
  flat.resize(i);
  return flat + std::string(std::min<size_t>(3, max_chars), '.');
}

std::string FormatCustomer(const v1::Customer& customer) {
  if (customer.name().empty()) return OrDash(customer.email());
  return absl::StrCat(customer.name(), " <", customer.email(), ">");
}

std::string FormatRating(const v1::Rating& rating) {
  if (rating.score() == 0) return "(none)";
  std::string out = absl::StrCat(rating.score(), "/5");
  if (!rating.comment().empty()) {
    absl::StrAppend(&out, " ", Quote(rating.comment()));
  }
  return out;
}

std::string FormatTicketTable(const std::vector<v1::Ticket>& tickets,
                              const OutputContext& context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", "STATUS", "PRIORITY", "KIND", "CX", "ASSIGNEE", "TEAM",
                  "AGE", "SUBJECT"});
  for (const v1::Ticket& t : tickets) {
    const absl::Time created = ToTime(t.create_time());
    rows.push_back(
        {absl::StrCat(t.id()), StatusWord(t.status()),
         PriorityWord(t.priority()), KindWord(t.kind()),
         CxLevelWord(t.cx_level()), OrDash(t.assignee()), OrDash(t.team()),
         created == absl::InfinitePast() ? "-"
                                         : FormatAge(context.now - created),
         Truncate(t.subject(), 50)});
  }
  return FormatTable(rows);
}

std::string FormatTicketDetails(const v1::Ticket& ticket,
                                const OutputContext& context) {
  std::string out = absl::StrCat("ticket #", ticket.id(), ": ",
                                 Truncate(ticket.subject(), 200), "\n");
  Field(&out, "status", StatusWord(ticket.status()));
  Field(&out, "priority", PriorityWord(ticket.priority()));
  Field(&out, "kind", KindWord(ticket.kind()));
  Field(&out, "cx level", CxLevelWord(ticket.cx_level()));
  Field(&out, "channel", ChannelWord(ticket.channel()));
  Field(&out, "customer", FormatCustomer(ticket.customer()));
  Field(&out, "assignee", OrNone(ticket.assignee()));
  Field(&out, "team", OrNone(ticket.team()));
  Field(&out, "tags", OrNone(JoinTags(ticket.tags())));
  Field(&out, "created", FormatShortTimeWithAge(ticket.create_time(), context));
  Field(&out, "updated", FormatShortTimeWithAge(ticket.update_time(), context));
  if (ticket.has_solve_time()) {
    Field(&out, "solved", FormatShortTimeWithAge(ticket.solve_time(), context));
  }
  if (ticket.has_rating() && ticket.rating().score() != 0) {
    Field(&out, "rating", FormatRating(ticket.rating()));
  }
  Field(&out, "version",
        absl::StrCat(ticket.version(), " (etag ", OrDash(ticket.etag()), ")"));
  if (!ticket.description().empty()) {
    absl::StrAppend(&out, "description:\n", Indent(ticket.description(), 4));
  }
  return out;
}

std::string FormatComment(const v1::Comment& comment,
                          const OutputContext& context) {
  const bool internal = comment.visibility() == v1::VISIBILITY_INTERNAL;
  return absl::StrCat(
      "--- #", comment.id(), "  ",
      FormatShortTime(ToTime(comment.create_time()), context.tz), "  ",
      Who(comment.author(), comment.author_role()), "  ",
      internal ? "*** INTERNAL NOTE (staff only) ***" : "public reply", "\n",
      Indent(comment.body(), 4));
}

std::string StatusInPlainWords(v1::Status status) {
  switch (status) {
    case v1::STATUS_NEW:
      return "received, waiting for an agent to pick it up";
    case v1::STATUS_OPEN:
      return "our team is working on it";
    case v1::STATUS_PENDING:
      return "waiting for your reply";
    case v1::STATUS_ON_HOLD:
      return "on hold, we are waiting on a third party";
    case v1::STATUS_SOLVED:
      return "we think it is solved: reply if it is not, or rate our help";
    case v1::STATUS_CLOSED:
      return "closed, no further changes";
    default:
      return "unknown";
  }
}

std::string FormatStatusView(const v1::TicketStatusView& view,
                             const OutputContext& context) {
  std::string out = absl::StrCat("ticket #", view.ticket_id(), ": ",
                                 Truncate(view.subject(), 200), "\n");
  Field(&out, "status",
        absl::StrCat(StatusWord(view.status()), " (",
                     StatusInPlainWords(view.status()), ")"));
  Field(&out, "opened", FormatShortTimeWithAge(view.create_time(), context));
  Field(&out, "changed", FormatShortTimeWithAge(view.update_time(), context));
  if (!view.promise().empty()) Field(&out, "promise", view.promise());
  if (view.has_rating() && view.rating().score() != 0) {
    Field(&out, "rating", FormatRating(view.rating()));
  } else if (view.status() == v1::STATUS_SOLVED ||
             view.status() == v1::STATUS_CLOSED) {
    Field(&out, "rating",
          absl::StrCat("not rated yet: cxdesk ticket rate ", view.ticket_id(),
                       " --score 1..5"));
  }
  absl::StrAppend(&out, "\nconversation (", view.conversation_size(), "):\n");
  for (const v1::Comment& comment : view.conversation()) {
    absl::StrAppend(&out, "--- ",
                    FormatShortTime(ToTime(comment.create_time()), context.tz),
                    "  ", Who(comment.author(), comment.author_role()), "\n",
                    Indent(comment.body(), 4));
  }
  return out;
}

std::vector<std::string> DescribeChanges(const v1::TicketEvent& event) {
  std::vector<std::string> out;
  const v1::Ticket& a = event.after();
  if (event.type() == v1::EVENT_TYPE_COMMENT_ADDED && event.has_comment()) {
    out.push_back(
        absl::StrCat(event.comment().visibility() == v1::VISIBILITY_INTERNAL
                         ? "internal note #"
                         : "public reply #",
                     event.comment().id()));
  }
  if (!event.has_before()) {
    if (event.type() == v1::EVENT_TYPE_CREATED) {
      out.push_back(absl::StrCat("subject: ", Quote(a.subject())));
      out.push_back(absl::StrCat("status: ", StatusWord(a.status())));
      out.push_back(absl::StrCat("priority: ", PriorityWord(a.priority())));
      out.push_back(absl::StrCat("kind: ", KindWord(a.kind())));
      if (a.cx_level() != v1::CX_LEVEL_UNSPECIFIED) {
        out.push_back(absl::StrCat("cx level: ", CxLevelWord(a.cx_level())));
      }
      out.push_back(absl::StrCat("channel: ", ChannelWord(a.channel())));
      if (!a.customer().email().empty()) {
        out.push_back(absl::StrCat("customer: ", a.customer().email()));
      }
      if (a.tags_size() > 0) {
        out.push_back(absl::StrCat("tags: ", JoinTags(a.tags())));
      }
      if (!a.assignee().empty()) {
        out.push_back(absl::StrCat("assignee: ", a.assignee()));
      }
      if (!a.team().empty()) out.push_back(absl::StrCat("team: ", a.team()));
    }
  } else {
    const v1::Ticket& b = event.before();
    auto diff = [&out](absl::string_view field, const std::string& before,
                       const std::string& after) {
      if (before != after) {
        out.push_back(absl::StrCat(field, ": ", before, " -> ", after));
      }
    };
    diff("status", StatusWord(b.status()), StatusWord(a.status()));
    diff("priority", PriorityWord(b.priority()), PriorityWord(a.priority()));
    diff("assignee", OrNone(b.assignee()), OrNone(a.assignee()));
    diff("team", OrNone(b.team()), OrNone(a.team()));
    diff("tags", OrNone(JoinTags(b.tags())), OrNone(JoinTags(a.tags())));
    if (b.subject() != a.subject()) {
      diff("subject", Quote(b.subject()), Quote(a.subject()));
    }
    diff("kind", KindWord(b.kind()), KindWord(a.kind()));
    diff("cx level", CxLevelWord(b.cx_level()), CxLevelWord(a.cx_level()));
    diff("channel", ChannelWord(b.channel()), ChannelWord(a.channel()));
    diff("rating", FormatRating(b.rating()), FormatRating(a.rating()));
  }
  if (!event.reason().empty()) {
    out.push_back(absl::StrCat("reason: ", Quote(event.reason())));
  }
  return out;
}

std::string FormatEventLine(const v1::TicketEvent& event,
                            const OutputContext& context, bool stream) {
  std::string line;
  if (stream) {
    absl::StrAppend(&line, OrDash(event.cursor()), "  ");
  }
  absl::StrAppend(
      &line, FormatShortTime(ToTime(event.create_time()), context.tz), "  ");
  if (stream) absl::StrAppend(&line, "#", event.ticket_id(), " ");
  absl::StrAppend(&line, PadRight(absl::StrCat("v", event.ticket_version()), 4),
                  "  ", PadRight(EventTypeWord(event.type()), 8), "  ",
                  PadRight(Who(event.actor(), event.actor_role()), 20));
  const std::vector<std::string> changes = DescribeChanges(event);
  if (!changes.empty()) {
    absl::StrAppend(&line, "  ", absl::StrJoin(changes, "; "));
  }
  // Padding may leave blanks at the end when nothing follows.
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

// --- the SLA service ---------------------------------------------------------

std::string FormatShortDuration(absl::Duration duration) {
  const char* sign = "";
  if (duration < absl::ZeroDuration()) {
    sign = "-";
    duration = -duration;
  }
  const int64_t s = absl::ToInt64Seconds(duration);
  if (s == 0) return "0s";
  if (s < 60) return absl::StrCat(sign, s, "s");
  if (s < 3600) {
    if (s % 60 == 0) return absl::StrCat(sign, s / 60, "m");
    return absl::StrCat(sign, s / 60, "m ", absl::Dec(s % 60, absl::kZeroPad2),
                        "s");
  }
  const int64_t minutes = s % 3600 / 60;
  if (minutes == 0) return absl::StrCat(sign, s / 3600, "h");
  return absl::StrCat(sign, s / 3600, "h ", absl::Dec(minutes, absl::kZeroPad2),
                      "m");
}

std::string FormatWarning(const sla::Warning& warning) {
  switch (warning.threshold_case()) {
    case sla::Warning::kMinutesBefore:
      return absl::StrCat(
          FormatShortDuration(absl::Minutes(warning.minutes_before())),
          " before");
    case sla::Warning::kPercentElapsed:
      return absl::StrCat(warning.percent_elapsed(), "% elapsed");
    default:
      return "-";
  }
}

std::string FormatCalendarDetails(const sla::Calendar& calendar,
                                  const OutputContext& context) {
  std::string out = absl::StrCat("calendar ", calendar.calendar_id());
  if (!calendar.description().empty()) {
    absl::StrAppend(&out, ": ", Truncate(calendar.description(), 200));
  }
  absl::StrAppend(&out, "\n");
  Field(&out, "zone", OrDash(calendar.time_zone()));
  // One line per weekday, in week order, its intervals in the given order.
  std::map<int, std::vector<std::string>> by_day;
  for (const sla::BusinessHours& h : calendar.hours()) {
    by_day[h.weekday()].push_back(absl::StrCat(h.start(), "-", h.end()));
  }
  std::vector<std::string> hours;
  for (const auto& [day, intervals] : by_day) {
    hours.push_back(absl::StrCat(WeekdayWord(static_cast<sla::Weekday>(day)),
                                 " ", absl::StrJoin(intervals, ", ")));
  }
  if (!hours.empty()) {
    hours.back() += absl::StrCat("  (", HoursPerWeek(calendar), " a week)");
  }
  MultiField(&out, "hours", hours);
  std::vector<std::string> holidays;
  for (const sla::Holiday& h : calendar.holidays()) {
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

std::string FormatCalendarTable(const std::vector<sla::Calendar>& calendars,
                                const OutputContext& context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(
      {"ID", "TIME ZONE", "HOURS/WEEK", "HOLIDAYS", "UPDATED", "DESCRIPTION"});
  for (const sla::Calendar& c : calendars) {
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

std::string DescribeConditions(const sla::PolicyConditions& conditions) {
  std::vector<std::string> parts;
  if (!conditions.priorities().empty()) {
    parts.push_back(absl::StrCat(
        "priority ",
        JoinWords<v1::Priority>(conditions.priorities(), PriorityWord)));
  }
  if (!conditions.kinds().empty()) {
    parts.push_back(absl::StrCat(
        "kind ", JoinWords<v1::Kind>(conditions.kinds(), KindWord)));
  }
  if (!conditions.cx_levels().empty()) {
    parts.push_back(absl::StrCat(
        "cx level ",
        JoinWords<v1::CxLevel>(conditions.cx_levels(), CxLevelWord)));
  }
  if (!conditions.channels().empty()) {
    parts.push_back(absl::StrCat(
        "channel ",
        JoinWords<v1::Channel>(conditions.channels(), ChannelWord)));
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

std::string FormatPolicyDetails(const sla::Policy& policy,
                                const OutputContext& context) {
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
            : JoinWords<v1::Status>(policy.pause_statuses(), StatusWord));
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
  for (const sla::Target& t : policy.targets()) {
    std::vector<std::string> warnings;
    for (const sla::Warning& w : t.warnings()) {
      warnings.push_back(FormatWarning(w));
    }
    rows.push_back({PriorityWord(t.priority()), MetricWord(t.metric()),
                    FormatShortDuration(common::FromProtoDuration(t.target())),
                    OrDash(t.calendar_id()),
                    warnings.empty() ? "-" : absl::StrJoin(warnings, ", ")});
  }
  absl::StrAppend(&out, "targets (", policy.targets_size(), "):\n");
  for (const std::string& line : TableLines(rows)) {
    absl::StrAppend(&out, "  ", line, "\n");
  }
  return out;
}

std::string FormatPolicyTable(const std::vector<sla::Policy>& policies) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", "POSITION", "DEFAULT", "TARGETS", "APPLIES TO"});
  for (const sla::Policy& p : policies) {
    rows.push_back(
        {p.policy_id(), p.is_default() ? "-" : absl::StrCat(p.position()),
         p.is_default() ? "yes" : "no", absl::StrCat(p.targets_size()),
         Truncate(DescribeConditions(p.conditions()), 60)});
  }
  return FormatTable(rows);
}

std::string FormatTicketSla(const sla::TicketSla& ticket_sla,
                            const OutputContext& context) {
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
  for (const sla::SlaClock& c : ticket_sla.clocks()) {
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
    const std::string& why = ticket_sla.clocks(i).explanation();
    if (!why.empty()) absl::StrAppend(&out, "    ", Truncate(why, 200), "\n");
  }
  return out;
}

std::string FormatSlaPromise(const sla::SlaPromise& promise,
                             const OutputContext& context) {
  std::string out = absl::StrCat("ticket #", promise.ticket_id(), ": ",
                                 OrDash(promise.text()), "\n");
  Field(&out, "metric", MetricWord(promise.metric()));
  Field(&out, "due",
        FormatDue(promise.due_time(), context,
                  "none while the clock is paused (waiting for the customer)"));
  return out;
}

std::string FormatSlaEventLine(const sla::SlaEvent& event,
                               const OutputContext& context, bool stream) {
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
    case sla::SLA_EVENT_KIND_STARTED:
    case sla::SLA_EVENT_KIND_RETARGETED:
      details.push_back(absl::StrCat(
          "target ",
          FormatShortDuration(common::FromProtoDuration(event.target()))));
      if (has_due) details.push_back(absl::StrCat("due ", due));
      if (event.overdue()) details.push_back("already overdue");
      if (!event.policy_id().empty()) {
        details.push_back(absl::StrCat("policy ", event.policy_id()));
      }
      break;
    case sla::SLA_EVENT_KIND_PAUSED:
      details.push_back(absl::StrCat("status ", StatusWord(event.status())));
      break;
    case sla::SLA_EVENT_KIND_RESUMED:
      details.push_back(absl::StrCat(
          "paused ",
          FormatShortDuration(
              common::FromProtoDuration(event.pause_business())),
          " (",
          FormatShortDuration(common::FromProtoDuration(event.pause_elapsed())),
          " wall)"));
      if (has_due) details.push_back(absl::StrCat("due ", due));
      break;
    case sla::SLA_EVENT_KIND_MET:
      details.push_back(absl::StrCat(
          "after ",
          FormatShortDuration(common::FromProtoDuration(event.business_time())),
          " (",
          FormatShortDuration(common::FromProtoDuration(event.calendar_time())),
          " wall)"));
      details.push_back(event.met_late() ? "LATE" : "on time");
      break;
    case sla::SLA_EVENT_KIND_WARNED:
      details.push_back(
          absl::StrCat("warning ", FormatWarning(event.warning())));
      if (has_due) details.push_back(absl::StrCat("due ", due));
      break;
    case sla::SLA_EVENT_KIND_BREACHED:
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

std::string FormatBreachTable(const std::vector<sla::Breach>& breaches,
                              const OutputContext& context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"TICKET", "METRIC", "PRIORITY", "TEAM", "AGENT", "DUE",
                  "STATE", "MET", "LATE"});
  for (const sla::Breach& b : breaches) {
    const sla::SlaEvent& e = b.event();
    // A breach is due at its deadline; occur_time is that instant too.
    absl::Time due = ToTime(e.deadline());
    if (due == absl::InfinitePast()) due = ToTime(e.occur_time());
    const absl::Time met = ToTime(b.met_time());
    std::string late = "-";
    if (due != absl::InfinitePast()) {
      if (met != absl::InfinitePast()) {
        late = FormatShortDuration(met - due);
      } else if (b.state() == sla::CLOCK_STATE_RUNNING ||
                 b.state() == sla::CLOCK_STATE_PAUSED) {
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

std::string FormatSlaReportTable(const sla::SlaReport& report,
                                 const OutputContext& context) {
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
    const sla::SlaReport& report, bool csv) {
  return ReportCells(report, csv);
}

std::string FormatSlaReportCsv(const sla::SlaReport& report) {
  std::string out;
  for (const std::vector<std::string>& row :
       ReportCells(report, /*csv=*/true)) {
    std::vector<std::string> cells;
    for (const std::string& cell : row) cells.push_back(CsvCell(cell));
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\n");
  }
  return out;
}

// --- the escalation service
// ----------------------------------------------------

namespace {

std::string Joined(const google::protobuf::RepeatedPtrField<std::string>& v) {
  return v.empty() ? "-" : absl::StrJoin(v, ", ");
}

std::string Load(int32_t open, int32_t capacity) {
  return absl::StrCat(open, "/", capacity);
}

std::string Seconds(const google::protobuf::Duration& d) {
  return absl::StrCat(absl::ToInt64Seconds(common::FromProtoDuration(d)));
}

std::vector<std::vector<std::string>> FigureAgentCells(
    const esc::EscalationFigures& f, bool csv) {
  std::vector<std::vector<std::string>> rows;
  if (csv) {
    rows.push_back({"agent_id", "assignments", "open_tickets", "capacity"});
  } else {
    rows.push_back({"AGENT", "ASSIGNED", "OPEN", "CAPACITY", "LOAD"});
  }
  for (const esc::AgentFigures& a : f.agents()) {
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
    const esc::EscalationFigures& f, bool csv) {
  std::vector<std::vector<std::string>> rows;
  if (csv) {
    rows.push_back({"team_id", "routed", "queued", "assigned_from_queue",
                    "queue_p50_seconds", "queue_p90_seconds",
                    "queue_max_seconds", "waiting_now"});
  } else {
    rows.push_back({"TEAM", "ROUTED", "QUEUED", "FROM QUEUE", "QUEUE P50",
                    "P90", "MAX", "WAITING"});
  }
  for (const esc::TeamQueueFigures& t : f.teams()) {
    // Queue times exist only for tickets assigned from the queue.
    const bool timed = t.assigned_from_queue() > 0;
    auto time = [&](const google::protobuf::Duration& d) -> std::string {
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
    const esc::EscalationFigures& f, bool csv) {
  std::vector<std::vector<std::string>> rows;
  if (csv) {
    rows.push_back({"level", "ran", "skipped", "acknowledged"});
  } else {
    rows.push_back({"LEVEL", "RAN", "SKIPPED", "ACKNOWLEDGED"});
  }
  for (const esc::LevelFigures& l : f.levels()) {
    rows.push_back({absl::StrCat(l.level()), absl::StrCat(l.ran()),
                    absl::StrCat(l.skipped()), absl::StrCat(l.acknowledged())});
  }
  return rows;
}

std::string CsvBlock(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const std::vector<std::string>& row : rows) {
    std::vector<std::string> cells;
    for (const std::string& cell : row) cells.push_back(CsvCell(cell));
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\n");
  }
  return out;
}

// A titled section: "TITLE:" then the table indented, or "TITLE: (none)".
void Section(std::string* out, absl::string_view title,
             const std::vector<std::vector<std::string>>& rows) {
  if (rows.size() <= 1) {
    absl::StrAppend(out, title, ": (none)\n");
    return;
  }
  absl::StrAppend(out, title, ":\n");
  for (const std::string& line : TableLines(rows)) {
    absl::StrAppend(out, "  ", line, "\n");
  }
}

}  // namespace

std::string FormatTeamDetails(const esc::Team& team,
                              const OutputContext& context) {
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

std::string FormatTeamTable(const std::vector<esc::Team>& teams) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(
      {"ID", "NAME", "DEFAULT", "LEAD", "MANAGER", "CALENDAR", "WEBHOOK"});
  for (const esc::Team& t : teams) {
    rows.push_back({t.team_id(), OrDash(Truncate(t.display_name(), 30)),
                    YesNo(t.default_team()), OrDash(t.lead()),
                    OrDash(t.manager()), OrDash(t.default_calendar()),
                    YesNo(!t.webhook().url().empty())});
  }
  return FormatTable(rows);
}

std::string FormatAgentDetails(const esc::Agent& agent,
                               const OutputContext& context) {
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

std::string FormatAgentTable(const std::vector<esc::Agent>& agents) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(
      {"ID", "NAME", "TEAMS", "TIER", "AVAILABILITY", "LOAD", "SKILLS"});
  for (const esc::Agent& a : agents) {
    rows.push_back({a.agent_id(), OrDash(Truncate(a.display_name(), 30)),
                    Joined(a.team_ids()), absl::StrCat(a.tier()),
                    AvailabilityWord(a.availability()),
                    Load(a.open_tickets(), a.capacity()),
                    Truncate(Joined(a.skills()), 40)});
  }
  return FormatTable(rows);
}

std::string DescribeRoutingConditions(const esc::RoutingConditions& c) {
  std::vector<std::string> parts;
  if (!c.kinds().empty()) {
    parts.push_back(
        absl::StrCat("kind ", JoinWords<v1::Kind>(c.kinds(), KindWord)));
  }
  if (!c.cx_levels().empty()) {
    parts.push_back(absl::StrCat(
        "cx level ", JoinWords<v1::CxLevel>(c.cx_levels(), CxLevelWord)));
  }
  if (!c.priorities().empty()) {
    parts.push_back(absl::StrCat(
        "priority ", JoinWords<v1::Priority>(c.priorities(), PriorityWord)));
  }
  if (!c.channels().empty()) {
    parts.push_back(absl::StrCat(
        "channel ", JoinWords<v1::Channel>(c.channels(), ChannelWord)));
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

std::string FormatRuleDetails(const esc::RoutingRule& rule,
                              const OutputContext& context) {
  std::string out = absl::StrCat("rule ", rule.rule_id(), "\n");
  Field(&out, "position", absl::StrCat(rule.position()));
  Field(&out, "applies", DescribeRoutingConditions(rule.conditions()));
  Field(&out, "team", OrDash(rule.team_id()));
  Field(&out, "strategy", StrategyWord(rule.strategy()));
  Field(&out, "etag", OrDash(rule.etag()));
  Field(&out, "updated", FormatShortTimeWithAge(rule.update_time(), context));
  return out;
}

std::string FormatRuleTable(const std::vector<esc::RoutingRule>& rules) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"POSITION", "ID", "TEAM", "STRATEGY", "APPLIES TO"});
  for (const esc::RoutingRule& r : rules) {
    rows.push_back({absl::StrCat(r.position()), r.rule_id(),
                    OrDash(r.team_id()), StrategyWord(r.strategy()),
                    Truncate(DescribeRoutingConditions(r.conditions()), 60)});
  }
  return FormatTable(rows);
}

std::string DescribeEscalationAction(const esc::EscalationAction& a) {
  switch (a.kind()) {
    case esc::ACTION_KIND_NOTIFY:
      switch (a.recipient()) {
        case esc::RECIPIENT_KIND_ASSIGNEE:
          return "notify assignee";
        case esc::RECIPIENT_KIND_TEAM_LEAD:
          return "notify team lead";
        case esc::RECIPIENT_KIND_TEAM_MANAGER:
          return "notify team manager";
        case esc::RECIPIENT_KIND_NAMED:
          return absl::StrCat("notify ", OrDash(a.recipient_agent_id()));
        default:
          return "notify ?";
      }
    case esc::ACTION_KIND_RAISE_PRIORITY:
      return "raise priority";
    case esc::ACTION_KIND_REASSIGN:
      switch (a.reassign()) {
        case esc::REASSIGN_KIND_TEAM_LEAD:
          return "reassign to team lead";
        case esc::REASSIGN_KIND_OTHER_TEAM:
          return absl::StrCat("reassign to team ",
                              OrDash(a.reassign_team_id()));
        case esc::REASSIGN_KIND_NEXT_TIER:
          return "reassign to next tier";
        default:
          return "reassign ?";
      }
    case esc::ACTION_KIND_ADD_NOTE:
      return absl::StrCat("note ", Quote(a.note()));
    default:
      return absl::StrCat("?", static_cast<int>(a.kind()));
  }
}

std::string DescribeEscalationTrigger(esc::TriggerKind trigger,
                                      const google::protobuf::Duration& delay) {
  if (trigger == esc::TRIGGER_KIND_AFTER_BREACH) {
    return absl::StrCat(FormatShortDuration(common::FromProtoDuration(delay)),
                        " after breach");
  }
  return TriggerKindWord(trigger);
}

std::string FormatLadderDetails(const esc::Ladder& ladder,
                                const OutputContext& context) {
  std::string out = absl::StrCat(
      "ladder ", MetricWord(ladder.metric()), ": ", ladder.steps_size(),
      ladder.steps_size() == 1 ? " step" : " steps", "\n");
  Field(&out, "etag", OrDash(ladder.etag()));
  Field(&out, "updated", FormatShortTimeWithAge(ladder.update_time(), context));
  if (ladder.steps().empty()) return out;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"LEVEL", "WHEN", "ACTIONS"});
  for (const esc::EscalationStep& step : ladder.steps()) {
    std::vector<std::string> actions;
    for (const esc::EscalationAction& a : step.actions()) {
      actions.push_back(DescribeEscalationAction(a));
    }
    rows.push_back({absl::StrCat(step.level()),
                    DescribeEscalationTrigger(step.trigger(), step.delay()),
                    actions.empty() ? "-" : absl::StrJoin(actions, ", ")});
  }
  for (const std::string& line : TableLines(rows)) {
    absl::StrAppend(&out, "  ", line, "\n");
  }
  return out;
}

std::string FormatLadderTable(const std::vector<esc::Ladder>& ladders,
                              const OutputContext& context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"METRIC", "STEPS", "LADDER", "UPDATED"});
  for (const esc::Ladder& l : ladders) {
    std::vector<std::string> steps;
    for (const esc::EscalationStep& step : l.steps()) {
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

std::string FormatRoutingDecision(const esc::RoutingDecision& d,
                                  const OutputContext& context) {
  const bool dry_run = d.trigger() == esc::ROUTING_TRIGGER_DRY_RUN;
  std::string what;
  switch (d.outcome()) {
    case esc::ROUTING_OUTCOME_ASSIGNED:
      what = absl::StrCat(dry_run ? "would be assigned to " : "assigned to ",
                          OrDash(d.agent_id()));
      break;
    case esc::ROUTING_OUTCOME_QUEUED:
      what =
          dry_run ? "would wait in the team queue" : "waits in the team queue";
      break;
    case esc::ROUTING_OUTCOME_ROUTED:
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
                            const esc::ListTeamQueueResponse& queue,
                            const OutputContext& context) {
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
  for (const esc::QueuedTicket& t : queue.tickets()) {
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

std::string DescribeActionResults(const esc::Escalation& e) {
  if (e.skipped()) return "skipped (acknowledged)";
  std::vector<std::string> parts;
  for (const esc::ActionResult& r : e.actions()) {
    std::string part = absl::StrCat(DescribeEscalationAction(r.action()), ": ",
                                    ActionStateWord(r.state()));
    if (!r.error().empty()) absl::StrAppend(&part, " (", r.error(), ")");
    parts.push_back(std::move(part));
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

std::string FormatEscalationTable(const std::vector<esc::Escalation>& list,
                                  const OutputContext& context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", "TIME", "TICKET", "METRIC", "CYCLE", "LEVEL", "TRIGGER",
                  "TEAM", "NOTIFIED", "ACK", "ACTIONS"});
  for (const esc::Escalation& e : list) {
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

std::string FormatEscalationDetails(const esc::Escalation& e,
                                    const OutputContext& context) {
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
  for (const esc::ActionResult& r : e.actions()) {
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
    const std::vector<esc::Notification>& notifications,
    const OutputContext& context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back(
      {"ID", "TIME", "NEW", "TICKET", "LEVEL", "METRIC", "RECIPIENT", "TITLE"});
  for (const esc::Notification& n : notifications) {
    rows.push_back({absl::StrCat(n.notification_id()),
                    FormatShortTime(ToTime(n.create_time()), context.tz),
                    n.read() ? "-" : "*", absl::StrCat("#", n.ticket_id()),
                    absl::StrCat(n.level()), MetricWord(n.metric()),
                    OrDash(n.recipient()), Truncate(n.title(), 60)});
  }
  return FormatTable(rows);
}

std::string FormatNotificationLine(const esc::Notification& n,
                                   const OutputContext& context) {
  return absl::StrCat(
      OrDash(n.cursor()), "  ",
      FormatSecondTime(ToTime(n.create_time()), context.tz), "  ",
      PadRight(OrDash(n.recipient()), 8), "  ",
      PadRight(absl::StrCat("#", n.ticket_id()), 6), "  ",
      PadRight(absl::StrCat("L", n.level(), " ", MetricWord(n.metric())), 18),
      "  ", Truncate(n.title(), 100));
}

std::string FormatDeliveryTable(
    const std::vector<esc::WebhookDelivery>& deliveries,
    const OutputContext& context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", "TEAM", "NOTIFICATION", "STATE", "ATTEMPTS", "HTTP",
                  "WHEN", "CREATED", "LAST ERROR"});
  for (const esc::WebhookDelivery& d : deliveries) {
    std::string when = "-";
    if (d.state() == esc::DELIVERY_STATE_PENDING) {
      when = absl::StrCat("next ",
                          FormatDue(d.next_attempt_time(), context, "now"));
    } else if (d.state() == esc::DELIVERY_STATE_DELIVERED) {
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

std::string FormatEscalationFiguresTable(const esc::EscalationFigures& f,
                                         const OutputContext& context) {
  std::string out =
      absl::StrCat("escalation figures ",
                   FormatShortTime(ToTime(f.start_time()), context.tz), " .. ",
                   FormatShortTime(ToTime(f.end_time()), context.tz), "\n");
  Section(&out, "agents", FigureAgentCells(f, /*csv=*/false));
  Section(&out, "teams", FigureTeamCells(f, /*csv=*/false));
  Section(&out, "levels", FigureLevelCells(f, /*csv=*/false));
  return out;
}

std::string FormatEscalationFiguresCsv(const esc::EscalationFigures& f) {
  return absl::StrCat(CsvBlock(FigureAgentCells(f, /*csv=*/true)), "\n",
                      CsvBlock(FigureTeamCells(f, /*csv=*/true)), "\n",
                      CsvBlock(FigureLevelCells(f, /*csv=*/true)));
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print ",
                                            message.GetTypeName(),
                                            " as JSON: ", status.ToString()));
  }
  return json;
}

}  // namespace cxdesk::clients::cli
