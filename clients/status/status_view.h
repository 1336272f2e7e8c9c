#ifndef CXDESK_CLIENTS_STATUS_STATUS_VIEW_H_
#define CXDESK_CLIENTS_STATUS_STATUS_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"

namespace cxdesk::clients::status {

// Pure formatting of what a customer sees of a ticket (the ticket service's
// TicketStatusView), as text for people and as JSON for scripts and
// websites. No I/O, no clock: every function takes `now` and the customer's
// time zone, so the output at an instant is exact. Only what the view holds
// is shown (the server already leaves out internal notes).

// The stable word for a status in JSON: "new", "open", "pending", "on_hold",
// "solved", "closed"; "unknown" for UNSPECIFIED or a value this client does
// not know (a newer server).
std::string StatusKey(ticket::v1::Status status);

// The status in plain words for a customer, one sentence, e.g. "We are
// working on it." for open.
std::string StatusText(ticket::v1::Status status);

// A time as the customer reads it in `tz`: "Tue 24 Nov 14:30", with the year
// ("Tue 24 Nov 2026 14:30") when it is not the year of `now` in `tz`.
std::string FormatLocalTime(absl::Time t, absl::Time now, absl::TimeZone tz);

// The zone's abbreviation at `t` ("CET", "UTC"), or its UTC offset ("+0530")
// where the zone has no abbreviation.
std::string ZoneAbbreviation(absl::Time t, absl::TimeZone tz);

// A duration in words, rounded down to the minute: "less than a minute",
// "25 min", "2 h 5 min", "3 days 4 h". Negative durations are treated as 0.
std::string DurationWords(absl::Duration d);

// When the help desk promises to act next, as the customer may be told.
struct Promise {
  // "reply" (a response clock), "resolution", "waiting_for_you" (the clock
  // is paused until the customer answers) or "none" (no promise: no SLA
  // applies, the ticket is done, or the SLA service could not be asked).
  std::string kind;
  // One or two sentences for the customer, in their zone.
  std::string text;
  // When it falls due; unset without a due time.
  std::optional<absl::Time> due;
  // Whether `due` has passed at `now`, and by how much (whole seconds).
  bool overdue = false;
  int64_t overdue_seconds = 0;
};

// The promise from the view's promise_time and promise text at `now` in
// `tz`:
//   due ahead:  "We will reply by Tue 24 Nov 14:30 your time (CET)." (or "We
//               aim to resolve this by ..." when the server's text says the
//               promise is about resolving), the due minute rounded up as the
//               server does;
//   due passed: "Our reply is overdue: it was due Tue 24 Nov 14:30 your time
//               (CET), 25 min ago. We are sorry for the wait."
//               (resolution: "Resolving this is taking longer than we aimed
//               for: ...");
//   no time:    waiting on the customer (pending, or the server says "We are
//               waiting for your reply"): "Nothing is due from us until you
//               reply."; else the server's text when it has one, else a plain
//               sentence saying there is no time to give.
// A solved or closed ticket has no promise (kind "none"), whatever the view
// holds.
Promise DescribePromise(const ticket::v1::TicketStatusView& view,
                        absl::Time now, absl::TimeZone tz);

// Who wrote a comment, for the customer: "You" for the customer, "alice
// (support team)" for staff with a name, "The support team" otherwise.
std::string AuthorLabel(const ticket::v1::Comment& comment);

// The whole view as text for a terminal, ending in a newline: the ticket
// number and subject, the status in plain words, the promise, the public
// conversation oldest first (who, when in `tz`, the text indented), and the
// rating (or, once solved, how to give one). Hints name the key "KEY",
// never the key itself.
std::string RenderStatusText(const ticket::v1::TicketStatusView& view,
                             absl::Time now, absl::TimeZone tz);

// The whole view as one JSON object on one line (no newline), with these
// fields, always present, in this order:
//   ticket_id       number
//   subject         string
//   status          StatusKey
//   status_text     StatusText
//   created         RFC 3339 UTC string, or null
//   updated         RFC 3339 UTC string, or null
//   promise         {kind, text, due (RFC 3339 UTC or null), overdue,
//                    overdue_seconds}
//   conversation    [{author, author_role ("customer"|"support"), public
//                    (always true), time (RFC 3339 UTC or null), body}],
//                    oldest first
//   rating          {score, comment, time} or null when not rated
std::string RenderStatusJson(const ticket::v1::TicketStatusView& view,
                             absl::Time now, absl::TimeZone tz);

// An RFC 3339 UTC time with whole seconds ("2026-11-24T13:30:00Z").
std::string Rfc3339(absl::Time t);

// {"error":{"code":"<code>","message":"<message>"}} on one line.
std::string RenderErrorJson(absl::string_view code, absl::string_view message);

}  // namespace cxdesk::clients::status

#endif  // CXDESK_CLIENTS_STATUS_STATUS_VIEW_H_
