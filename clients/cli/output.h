#ifndef CXDESK_CLIENTS_CLI_OUTPUT_H_
#define CXDESK_CLIENTS_CLI_OUTPUT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"
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

// The message as one line of proto3 JSON with the proto's field names, every
// field present. INTERNAL if the message cannot be printed.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_OUTPUT_H_
