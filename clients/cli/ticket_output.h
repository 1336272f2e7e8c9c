#ifndef CXDESK_CLIENTS_CLI_TICKET_OUTPUT_H_
#define CXDESK_CLIENTS_CLI_TICKET_OUTPUT_H_

// What the `cxdesk` commands of the ticket service print.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/output.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"

namespace cxdesk::clients::cli {

// "Jane Doe <jane@example.com>", or just the address without a name.
std::string FormatCustomer(const ticket::v1::Customer &customer);
// "4/5" or "4/5 \"comment\""; "(none)" when no score.
std::string FormatRating(const ticket::v1::Rating &rating);

// A table with a header line: ID, STATUS, PRIORITY, KIND, CX, ASSIGNEE, TEAM,
// AGE, SUBJECT (cut to 50 characters). Columns padded to their widest cell.
std::string FormatTicketTable(const std::vector<ticket::v1::Ticket> &tickets,
                              const OutputContext &context);

// Every field of a ticket: a "ticket #ID: SUBJECT" line, one labelled line
// per field, then the description.
std::string FormatTicketDetails(const ticket::v1::Ticket &ticket,
                                const OutputContext &context);

// A comment: a header line (id, time, author and role, and "public reply" or
// "INTERNAL NOTE (staff only)") and the body indented.
std::string FormatComment(const ticket::v1::Comment &comment,
                          const OutputContext &context);

// What a status means to a customer: "waiting for your reply", ...
std::string StatusInPlainWords(ticket::v1::Status status);

// The customer's view: status in plain words, times, promise, rating and the
// public conversation.
std::string FormatStatusView(const ticket::v1::TicketStatusView &view,
                             const OutputContext &context);

// What an event changed, one entry per field: "status: pending -> open",
// "assignee: (none) -> alice", "tags: a -> a, b", "rating: (none) -> 5/5";
// plus the comment ("public reply #7" / "internal note #7") and reason. A
// creation lists the initial values instead.
std::vector<std::string> DescribeChanges(const ticket::v1::TicketEvent &event);

// One line per event: time, version, type, actor (role), changes. With
// `stream` (for watch), it starts with the cursor and names the ticket.
std::string FormatEventLine(const ticket::v1::TicketEvent &event,
                            const OutputContext &context, bool stream);

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_TICKET_OUTPUT_H_
