#include "clients/console/console_model.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/common/enum_words.h"
#include "clients/common/error_words.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::console {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;

absl::Time TimeOrInfinite(bool has, const google::protobuf::Timestamp& ts) {
  return has ? common::FromProtoTimestamp(ts) : absl::InfiniteFuture();
}

bool IsTagChar(char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' ||
         c == ':' || c == '.' || c == '-';
}

}  // namespace

TicketSlaInfo FromTicketSla(const slapb::TicketSla& in,
                            const std::vector<slapb::Metric>& warned_metrics) {
  TicketSlaInfo out;
  for (const slapb::SlaClock& c : in.clocks()) {
    ClockInfo clock;
    clock.metric = c.metric();
    clock.state = c.state();
    clock.breached = c.breached();
    clock.deadline = TimeOrInfinite(c.has_deadline(), c.deadline());
    clock.next_warning_time =
        TimeOrInfinite(c.has_next_warning_time(), c.next_warning_time());
    // With no warning left to fire while the policy has some for this
    // metric, they have all fired.
    clock.warned = !c.has_next_warning() && !c.breached() &&
                   std::find(warned_metrics.begin(), warned_metrics.end(),
                             c.metric()) != warned_metrics.end();
    out.clocks.push_back(clock);
  }
  return out;
}

const ClockInfo* NextDeadline(const TicketSlaInfo& info) {
  const ClockInfo* best = nullptr;
  for (const ClockInfo& c : info.clocks) {
    if (c.state != slapb::CLOCK_STATE_RUNNING) continue;
    if (c.deadline == absl::InfiniteFuture()) continue;
    if (best == nullptr || c.deadline < best->deadline) best = &c;
  }
  return best;
}

Urgency UrgencyAt(const ClockInfo& clock, absl::Time now) {
  if (clock.state != slapb::CLOCK_STATE_RUNNING) return Urgency::kNone;
  if (clock.breached || now >= clock.deadline) return Urgency::kBreached;
  if (clock.warned || now >= clock.next_warning_time) return Urgency::kWarning;
  return Urgency::kOk;
}

std::string CountdownText(absl::Duration remaining) {
  const bool negative = remaining < absl::ZeroDuration();
  const int64_t s = std::llabs(absl::ToInt64Seconds(remaining));
  const char* sign = negative && s > 0 ? "-" : "";
  if (s < 60) return absl::StrCat(sign, s, "s");
  if (s < 3600) return absl::StrFormat("%s%dm%02ds", sign, s / 60, s % 60);
  if (s < 86400) {
    return absl::StrFormat("%s%dh%02dm", sign, s / 3600, (s % 3600) / 60);
  }
  return absl::StrFormat("%s%dd%02dh", sign, s / 86400, (s % 86400) / 3600);
}

std::string AgeText(absl::Duration age) {
  const int64_t s = std::max<int64_t>(0, absl::ToInt64Seconds(age));
  if (s < 60) return absl::StrCat(s, "s");
  if (s < 3600) return absl::StrCat(s / 60, "m");
  if (s < 86400) return absl::StrCat(s / 3600, "h");
  return absl::StrCat(s / 86400, "d");
}

std::vector<Row> BuildRows(const std::vector<ticketpb::Ticket>& tickets,
                           const std::map<int64_t, TicketSlaInfo>& sla_map,
                           absl::Time now) {
  std::vector<Row> rows;
  std::vector<absl::Time> created;
  rows.reserve(tickets.size());
  for (const ticketpb::Ticket& t : tickets) {
    Row row;
    row.id = t.id();
    row.priority = PriorityWord(t.priority());
    row.kind = KindWord(t.kind());
    row.cx = CxLevelWord(t.cx_level());
    row.customer = t.customer().email();
    row.status = StatusWord(t.status());
    row.assignee = t.assignee().empty() ? "-" : t.assignee();
    const absl::Time create_time = common::FromProtoTimestamp(t.create_time());
    row.age = AgeText(now - create_time);
    row.subject = t.subject();
    row.due = "-";
    auto it = sla_map.find(t.id());
    if (it != sla_map.end()) {
      if (const ClockInfo* next = NextDeadline(it->second); next != nullptr) {
        row.sort_key = next->deadline;
        row.due = CountdownText(next->deadline - now);
        row.urgency = UrgencyAt(*next, now);
      } else {
        bool paused = false;
        for (const ClockInfo& c : it->second.clocks) {
          paused = paused || c.state == slapb::CLOCK_STATE_PAUSED;
        }
        if (paused) row.due = "paused";
      }
    }
    rows.push_back(std::move(row));
    created.push_back(create_time);
  }
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    // Without a clock: newest first.
    return std::make_tuple(rows[a].sort_key, -absl::ToUnixMicros(created[a]),
                           rows[a].id) <
           std::make_tuple(rows[b].sort_key, -absl::ToUnixMicros(created[b]),
                           rows[b].id);
  });
  std::vector<Row> sorted;
  sorted.reserve(rows.size());
  for (size_t i : order) sorted.push_back(std::move(rows[i]));
  return sorted;
}

int Layout::total_width() const {
  int total = 0;
  for (const ColumnSpec& c : columns) total += c.width + 1;
  return total > 0 ? total - 1 : 0;
}

Layout LayoutFor(int width) {
  width = std::max(width, 20);
  // Natural widths; the subject takes what is left.
  std::vector<ColumnSpec> all = {
      // DUE fits "-1h02m", "paused"; PRIO "urgent"; KIND "complaint";
      // STATUS "on-hold"; AGE "59m".
      {Column::kId, "ID", 5},         {Column::kDue, "DUE", 6},
      {Column::kPriority, "PRIO", 6}, {Column::kKind, "KIND", 9},
      {Column::kCx, "CX", 7},         {Column::kCustomer, "CUSTOMER", 12},
      {Column::kStatus, "STATUS", 7}, {Column::kAssignee, "ASSIGNEE", 8},
      {Column::kAge, "AGE", 3},       {Column::kSubject, "SUBJECT", 0},
  };
  constexpr int kMinSubject = 12;
  // Dropped first to last when even the shortest subject does not fit.
  const std::vector<Column> drop_order = {Column::kAssignee, Column::kCx,
                                          Column::kKind,     Column::kAge,
                                          Column::kCustomer, Column::kPriority};
  auto fixed_width = [&all]() {
    int w = 0;
    for (const ColumnSpec& c : all) {
      if (c.column != Column::kSubject) w += c.width + 1;
    }
    return w;
  };
  size_t next_drop = 0;
  while (width - fixed_width() < kMinSubject && next_drop < drop_order.size()) {
    const Column gone = drop_order[next_drop++];
    all.erase(std::remove_if(
                  all.begin(), all.end(),
                  [gone](const ColumnSpec& c) { return c.column == gone; }),
              all.end());
  }
  int subject = width - fixed_width();
  if (subject < 1) subject = 1;
  // On wide terminals the customer column takes a share too.
  if (subject > 40) {
    for (ColumnSpec& c : all) {
      if (c.column == Column::kCustomer) {
        const int extra = std::min(subject - 40, 14);
        c.width += extra;
        subject -= extra;
      }
    }
  }
  for (ColumnSpec& c : all) {
    if (c.column == Column::kSubject) c.width = subject;
  }
  Layout layout;
  layout.columns = std::move(all);
  // Never wider than asked: trim the subject if the fixed columns overflow.
  while (layout.total_width() > width && !layout.columns.empty()) {
    ColumnSpec& last = layout.columns.back();
    if (last.width > 1) {
      last.width -= layout.total_width() - width;
      if (last.width < 1) last.width = 1;
    } else {
      layout.columns.pop_back();
    }
  }
  return layout;
}

std::string Fit(absl::string_view text, int width) {
  if (width <= 0) return "";
  // Counts UTF-8 characters (each one column wide), never cutting one.
  std::string out;
  int columns = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t len = 1;
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead >= 0xF0) {
      len = 4;
    } else if (lead >= 0xE0) {
      len = 3;
    } else if (lead >= 0xC0) {
      len = 2;
    }
    len = std::min(len, text.size() - i);
    if (columns == width) {
      // More follows: mark the cut on the last column.
      size_t last = out.size() - 1;
      while (last > 0 &&
             (static_cast<unsigned char>(out[last]) & 0xC0) == 0x80) {
        --last;
      }
      out.resize(last);
      out += '~';
      return out;
    }
    if (len == 1) {
      const char c = text[i];
      out += (lead < 0x20 || lead == 0x7f) ? ' ' : c;
    } else {
      out.append(text.data() + i, len);
    }
    ++columns;
    i += len;
  }
  out.append(static_cast<size_t>(width - columns), ' ');
  return out;
}

namespace {

std::string Cell(const Row& row, Column column) {
  switch (column) {
    case Column::kId:
      return absl::StrCat(row.id);
    case Column::kDue:
      return row.due;
    case Column::kPriority:
      return row.priority;
    case Column::kKind:
      return row.kind;
    case Column::kCx:
      return row.cx;
    case Column::kCustomer:
      return row.customer;
    case Column::kStatus:
      return row.status;
    case Column::kAssignee:
      return row.assignee;
    case Column::kAge:
      return row.age;
    case Column::kSubject:
      return row.subject;
  }
  return "";
}

std::string JoinCells(const Layout& layout,
                      const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < layout.columns.size(); ++i) {
    if (i > 0) line += ' ';
    line += Fit(cells[i], layout.columns[i].width);
  }
  return line;
}

}  // namespace

std::string FormatHeader(const Layout& layout) {
  std::vector<std::string> cells;
  for (const ColumnSpec& c : layout.columns) cells.push_back(c.title);
  return JoinCells(layout, cells);
}

std::string FormatRow(const Row& row, const Layout& layout) {
  std::vector<std::string> cells;
  for (const ColumnSpec& c : layout.columns) {
    cells.push_back(Cell(row, c.column));
  }
  return JoinCells(layout, cells);
}

std::optional<std::pair<int, int>> CellSpan(const Layout& layout,
                                            Column column) {
  int start = 0;
  for (const ColumnSpec& c : layout.columns) {
    if (c.column == column) return std::make_pair(start, c.width);
    start += c.width + 1;
  }
  return std::nullopt;
}

absl::StatusOr<SearchQuery> ParseSearchQuery(absl::string_view text,
                                             absl::string_view me) {
  SearchQuery q;
  for (absl::string_view term :
       absl::StrSplit(text, ' ', absl::SkipWhitespace())) {
    if (absl::StartsWith(term, "#")) {
      if (!absl::SimpleAtoi(term.substr(1), &q.id) || q.id <= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("'", term, "': a ticket number is # and digits"));
      }
      continue;
    }
    const size_t colon = term.find(':');
    if (colon == absl::string_view::npos || colon == 0) {
      q.words.push_back(absl::AsciiStrToLower(term));
      continue;
    }
    const std::string key = absl::AsciiStrToLower(term.substr(0, colon));
    const absl::string_view value = term.substr(colon + 1);
    if (value.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(key, ": needs a value after ':'"));
    }
    if (key == "status") {
      for (absl::string_view word : absl::StrSplit(value, ',')) {
        absl::StatusOr<ticketpb::Status> s = ParseStatus("status", word);
        if (!s.ok()) return s.status();
        q.statuses.push_back(*s);
      }
    } else if (key == "priority" || key == "prio") {
      absl::StatusOr<ticketpb::Priority> p = ParsePriority("priority", value);
      if (!p.ok()) return p.status();
      q.priority = *p;
    } else if (key == "kind") {
      absl::StatusOr<ticketpb::Kind> k = ParseKind("kind", value);
      if (!k.ok()) return k.status();
      q.kind = *k;
    } else if (key == "cx") {
      absl::StatusOr<ticketpb::CxLevel> c = ParseCxLevel("cx", value);
      if (!c.ok()) return c.status();
      q.cx_level = *c;
    } else if (key == "assignee") {
      if (value == "none") {
        q.assignee = "";
      } else if (value == "me") {
        q.assignee = std::string(me);
      } else {
        q.assignee = std::string(value);
      }
    } else if (key == "team") {
      q.team = std::string(value);
    } else if (key == "tag") {
      q.tag = absl::AsciiStrToLower(value);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", key,
          "' is not a filter: use status, priority, kind, cx, assignee, team, "
          "tag, #ID or plain words"));
    }
  }
  return q;
}

bool Matches(const SearchQuery& q, const ticketpb::Ticket& t) {
  if (q.id != 0 && t.id() != q.id) return false;
  if (!q.statuses.empty() && std::find(q.statuses.begin(), q.statuses.end(),
                                       t.status()) == q.statuses.end()) {
    return false;
  }
  if (q.priority != ticketpb::PRIORITY_UNSPECIFIED &&
      t.priority() != q.priority) {
    return false;
  }
  if (q.kind != ticketpb::KIND_UNSPECIFIED && t.kind() != q.kind) return false;
  if (q.cx_level != ticketpb::CX_LEVEL_UNSPECIFIED &&
      t.cx_level() != q.cx_level) {
    return false;
  }
  if (q.assignee.has_value() && t.assignee() != *q.assignee) return false;
  if (!q.team.empty() && t.team() != q.team) return false;
  if (!q.tag.empty() &&
      std::find(t.tags().begin(), t.tags().end(), q.tag) == t.tags().end()) {
    return false;
  }
  const std::string haystack = absl::AsciiStrToLower(
      absl::StrCat(t.subject(), "\n", t.customer().email(), "\n",
                   t.customer().name(), "\n", absl::StrJoin(t.tags(), " ")));
  for (const std::string& w : q.words) {
    if (!absl::StrContains(haystack, w)) return false;
  }
  return true;
}

std::vector<ticketpb::Status> LegalNextStatuses(ticketpb::Status from) {
  switch (from) {
    case ticketpb::STATUS_NEW:
    case ticketpb::STATUS_OPEN:
    case ticketpb::STATUS_PENDING:
    case ticketpb::STATUS_ON_HOLD: {
      std::vector<ticketpb::Status> out;
      for (ticketpb::Status s :
           {ticketpb::STATUS_OPEN, ticketpb::STATUS_PENDING,
            ticketpb::STATUS_ON_HOLD, ticketpb::STATUS_SOLVED}) {
        if (s != from) out.push_back(s);
      }
      return out;
    }
    case ticketpb::STATUS_SOLVED:
      return {ticketpb::STATUS_OPEN, ticketpb::STATUS_CLOSED};
    default:
      return {};
  }
}

std::string ErrorWords(const absl::Status& status, absl::string_view service) {
  ErrorSubject subject;
  subject.service = std::string(service);
  return DescribeStatus(status, ErrorVoice::kConsole, subject);
}

absl::StatusOr<Identity> IdentityFromToken(absl::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string payload;
  if (parts.size() != 3 || parts[0] != "cxd1" ||
      !absl::WebSafeBase64Unescape(parts[1], &payload)) {
    return absl::InvalidArgumentError(
        "--token: not a cxdesk token (cxdesk token issue makes one)");
  }
  std::vector<std::string> fields = absl::StrSplit(payload, '\n');
  if (fields.size() != 3 || fields[0].empty()) {
    return absl::InvalidArgumentError("--token: malformed claims");
  }
  if (fields[1] != "agent" && fields[1] != "manager") {
    return absl::PermissionDeniedError(
        absl::StrCat("--token: a ", fields[1],
                     " token; the console needs an agent or manager token"));
  }
  return Identity{fields[0], fields[1]};
}

absl::StatusOr<std::vector<std::string>> ApplyTagEdit(
    const std::vector<std::string>& current, absl::string_view edit) {
  std::vector<std::string> tags = current;
  for (absl::string_view term :
       absl::StrSplit(edit, absl::ByAnyChar(" ,"), absl::SkipWhitespace())) {
    bool remove = false;
    if (term[0] == '-' || term[0] == '+') {
      remove = term[0] == '-';
      term.remove_prefix(1);
    }
    const std::string tag = absl::AsciiStrToLower(term);
    if (tag.empty() || tag.size() > 50 ||
        !std::all_of(tag.begin(), tag.end(), IsTagChar)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tag '", term, "': 1..50 of a-z 0-9 _ : . - (prefix - to remove)"));
    }
    if (remove) {
      tags.erase(std::remove(tags.begin(), tags.end(), tag), tags.end());
    } else {
      tags.push_back(tag);
    }
  }
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

bool HasRunningClocks(ticketpb::Status s) {
  return s == ticketpb::STATUS_NEW || s == ticketpb::STATUS_OPEN ||
         s == ticketpb::STATUS_PENDING || s == ticketpb::STATUS_ON_HOLD;
}

bool IsActive(ticketpb::Status s) {
  return s != ticketpb::STATUS_SOLVED && s != ticketpb::STATUS_CLOSED;
}

std::string TimeText(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                          common::FromProtoTimestamp(ts), absl::UTCTimeZone());
}

// Splits `text` into lines of at most `width` characters (code points),
// breaking at spaces where it can; a paragraph's leading spaces indent each
// of its lines.
std::vector<std::string> Wrap(const std::string& text, int width) {
  std::vector<std::string> out;
  width = std::max(width, 10);
  for (absl::string_view para : absl::StrSplit(text, '\n')) {
    size_t indent_len = 0;
    while (indent_len < para.size() && para[indent_len] == ' ' &&
           static_cast<int>(indent_len) < width / 2) {
      ++indent_len;
    }
    const std::string indent(indent_len, ' ');
    para.remove_prefix(indent_len);
    const int room = width - static_cast<int>(indent_len);
    std::string line;
    int line_len = 0;
    auto flush = [&]() {
      out.push_back(indent + line);
      line.clear();
      line_len = 0;
    };
    for (absl::string_view word : absl::StrSplit(para, ' ')) {
      int len = 0;
      for (char c : word) len += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      while (len > room) {
        // A word longer than a line: cut it (bytes; rare and harmless).
        if (line_len > 0) flush();
        line = std::string(word.substr(0, static_cast<size_t>(room)));
        flush();
        word.remove_prefix(std::min(word.size(), static_cast<size_t>(room)));
        len -= room;
      }
      if (line_len > 0 && line_len + 1 + len > room) flush();
      if (line_len > 0) {
        line += ' ';
        ++line_len;
      }
      line += std::string(word);
      line_len += len;
    }
    flush();
  }
  return out;
}

}  // namespace cxdesk::clients::console
