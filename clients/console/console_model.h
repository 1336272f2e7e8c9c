#ifndef CXDESK_CLIENTS_CONSOLE_CONSOLE_MODEL_H_
#define CXDESK_CLIENTS_CONSOLE_CONSOLE_MODEL_H_

// The pure part of the agent console: what a row shows, in which order, in
// which colour, how wide each column is, what a search query means and how a
// server's refusal reads. No I/O, no clock: every function that depends on
// time takes `now`.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cxdesk/sla/v1/sla_service.pb.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace cxdesk::clients::console {

// How a countdown is coloured.
enum class Urgency {
  kNone,      // no running clock: plain
  kOk,        // running, before its first warning: green
  kWarning,   // a warning is due or has fired: amber (yellow)
  kBreached,  // past the deadline or breached: red
};

// One SLA clock as the console needs it.
struct ClockInfo {
  sla::v1::Metric metric = sla::v1::METRIC_UNSPECIFIED;
  sla::v1::ClockState state = sla::v1::CLOCK_STATE_UNSPECIFIED;
  // InfiniteFuture when unset (paused before reaching it).
  absl::Time deadline = absl::InfiniteFuture();
  // The next warning that has not fired; InfiniteFuture when none.
  absl::Time next_warning_time = absl::InfiniteFuture();
  // A warning had already fired when the clock was read.
  bool warned = false;
  bool breached = false;
};

// The SLA picture of one ticket, as last read from the SLA service.
struct TicketSlaInfo {
  std::vector<ClockInfo> clocks;
};

// Converts GetTicketSla's answer. `policy_warns(metric)` tells whether the
// ticket's policy has any warning for that metric (so that a running clock
// with no warning left to fire is known to have fired one); it may be empty
// (then no clock counts as already warned unless its next warning is due).
TicketSlaInfo FromTicketSla(const sla::v1::TicketSla& sla,
                            const std::vector<sla::v1::Metric>& warned_metrics);

// The running clock with the soonest deadline, or null when none runs.
const ClockInfo* NextDeadline(const TicketSlaInfo& sla);

// The colour of `clock` at `now`.
Urgency UrgencyAt(const ClockInfo& clock, absl::Time now);

// A countdown for people: "45s", "12m04s", "1h02m", "2d03h"; negative
// (overdue) with a leading '-': "-3m10s". Whole seconds, truncated toward
// zero.
std::string CountdownText(absl::Duration remaining);

// An age: "40s", "12m", "3h", "5d".
std::string AgeText(absl::Duration age);

// One table row.
struct Row {
  int64_t id = 0;
  std::string due;  // countdown, "paused", "met" or "-"
  Urgency urgency = Urgency::kNone;
  std::string priority;
  std::string kind;
  std::string cx;
  std::string customer;
  std::string status;
  std::string assignee;
  std::string age;
  std::string subject;
  absl::Time sort_key = absl::InfiniteFuture();  // the next deadline
};

// Rows for `tickets`, sorted by the next SLA deadline (soonest, i.e. most
// overdue, first; tickets without a running clock last, newest first among
// themselves; ties by id). `sla` maps ticket id to its SLA picture; a ticket
// missing from it has no running clock as far as the console knows.
std::vector<Row> BuildRows(const std::vector<ticket::v1::Ticket>& tickets,
                           const std::map<int64_t, TicketSlaInfo>& sla,
                           absl::Time now);

// The column layout of a table `width` characters wide.
enum class Column {
  kId,
  kDue,
  kPriority,
  kKind,
  kCx,
  kCustomer,
  kStatus,
  kAssignee,
  kAge,
  kSubject
};
struct ColumnSpec {
  Column column;
  std::string title;
  int width = 0;  // characters, not counting the one-space separator
};
struct Layout {
  std::vector<ColumnSpec> columns;
  // Total characters used, separators included; never more than the width.
  int total_width() const;
};

// Columns for `width` (>= 20): at 80 every column but the assignee fits,
// with 17 characters of subject; from 89 the assignee too. Narrower
// terminals shrink the subject first (to 12), then drop assignee, CX, kind,
// age, customer and priority, in that order. Wider ones give the subject
// the room, and past 40 characters of subject widen the customer (up to 14
// more).
Layout LayoutFor(int width);

// The header line and a row's line for `layout`: each cell padded or
// truncated (with '~' marking a cut) to its width, so a line never exceeds
// layout.total_width().
std::string FormatHeader(const Layout& layout);
std::string FormatRow(const Row& row, const Layout& layout);
// A cell's [start, start+width) within a formatted line, for colouring.
std::optional<std::pair<int, int>> CellSpan(const Layout& layout,
                                            Column column);

// Fits `text` into `width` characters: as is when it fits, else cut with a
// trailing '~'. Counts UTF-8 characters, one column each, never cutting one;
// control characters become spaces.
std::string Fit(absl::string_view text, int width);

// A parsed search: free words (matched case-insensitively against subject,
// customer e-mail and name, and tags) and filters written key:value.
//   status:open[,pending]  priority:high  kind:complaint  cx:product
//   assignee:ann (or "me" / "none")  team:printers  tag:vip  #42 (an id)
struct SearchQuery {
  std::vector<ticket::v1::Status> statuses;
  ticket::v1::Priority priority = ticket::v1::PRIORITY_UNSPECIFIED;
  ticket::v1::Kind kind = ticket::v1::KIND_UNSPECIFIED;
  ticket::v1::CxLevel cx_level = ticket::v1::CX_LEVEL_UNSPECIFIED;
  std::optional<std::string> assignee;  // "" means unassigned
  std::string team;
  std::string tag;
  int64_t id = 0;
  std::vector<std::string> words;  // lower case
};

// INVALID_ARGUMENT naming the filter and the allowed values for an unknown
// key or value ("priority: 'hihg' is not one of low, normal, high, urgent").
// `me` is the agent id that "assignee:me" stands for.
absl::StatusOr<SearchQuery> ParseSearchQuery(absl::string_view text,
                                             absl::string_view me);

// Whether `ticket` satisfies every part of `query`.
bool Matches(const SearchQuery& query, const ticket::v1::Ticket& ticket);

// The statuses a ticket in `from` may move to (the service's state machine).
std::vector<ticket::v1::Status> LegalNextStatuses(ticket::v1::Status from);

// A refusal in plain words for the status line (clients::DescribeStatus in
// the console's voice). `service` names the service ("ticket", "SLA",
// "escalation"). For example:
//   FAILED_PRECONDITION  the server's reason without its "field: " prefix
//   PERMISSION_DENIED    "you may not do that: <reason>"
//   ABORTED              "someone changed this ticket first — reloaded, try
//                         again"
//   UNAVAILABLE          "<service> service unreachable, retrying"
//   UNAUTHENTICATED      "not signed in: <reason> — start with a valid token"
//   NOT_FOUND            "not found: <reason>"
//   INVALID_ARGUMENT     "rejected: <reason>"
std::string ErrorWords(const absl::Status& status, absl::string_view service);

// Who a bearer token names, read from its payload without checking the
// signature (the services do that). INVALID_ARGUMENT when it is not a cxdesk
// token ("--token: not a cxdesk token"), PERMISSION_DENIED for a service
// token (the console is for agents and managers).
struct Identity {
  std::string agent_id;
  std::string role;  // "agent" or "manager"
};
absl::StatusOr<Identity> IdentityFromToken(absl::string_view token);

// Tags typed as "+vip -old extra": adds (+ or bare) and removals (-),
// applied to `current`; the result sorted and unique. INVALID_ARGUMENT
// naming a bad tag.
absl::StatusOr<std::vector<std::string>> ApplyTagEdit(
    const std::vector<std::string>& current, absl::string_view edit);

// Whether a ticket in `status` may have SLA clocks running (new, open,
// pending, on hold): their deadlines are worth reading.
bool HasRunningClocks(ticket::v1::Status status);

// Whether a ticket in `status` is still being worked on (neither solved nor
// closed): the queues show only these.
bool IsActive(ticket::v1::Status status);

// A time for people, "2027-01-15 08:00:00 UTC"; "-" for an unset (zero)
// timestamp.
std::string TimeText(const google::protobuf::Timestamp& ts);

// Splits `text` into lines of at most `width` characters (code points; a
// width under 10 counts as 10), breaking at spaces where it can. Each '\n'
// starts a paragraph; a paragraph's leading spaces (up to half the width)
// indent each of its lines; a word longer than a line is cut.
std::vector<std::string> Wrap(const std::string& text, int width);

}  // namespace cxdesk::clients::console

#endif  // CXDESK_CLIENTS_CONSOLE_CONSOLE_MODEL_H_
