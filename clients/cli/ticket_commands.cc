// The `health` and `ticket ...` commands: the ticket service.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/command.h"
#include "clients/cli/requests.h"
#include "clients/cli/ticket_output.h"
#include "clients/common/enum_words.h"
#include "google/protobuf/struct.pb.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::cli {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;

absl::Status RunHealth(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(const std::string api,
                          FromServer(inv.env().check_health(
                              inv.global().target, inv.global().timeout)));
  if (inv.global().json) {
    google::protobuf::Struct json;
    (*json.mutable_fields())["target"].set_string_value(inv.global().target);
    (*json.mutable_fields())["service"].set_string_value(api);
    (*json.mutable_fields())["status"].set_string_value("SERVING");
    return inv.PrintJson(json);
  }
  inv.out() << ApiWords(api) << " at " << inv.global().target << ": serving\n";
  return absl::OkStatus();
}

Command HealthCommand() {
  return Command("health")
      .Summary(
          "check that the server at --target is serving, and name its service")
      .Run(&RunHealth);
}

absl::Status RunCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(ticketpb::CreateTicketRequest request,
                          AsUsage(BuildCreateTicketRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ticketpb::CreateTicketResponse response,
                          FromServer(inv.client().CreateTicket(request)));
  if (inv.global().json) return inv.PrintJson(response);
  inv.out() << FormatTicketDetails(response.ticket(), inv.output()) << "\n"
            << "access key: " << response.access_key() << "\n"
            << "(keep this key: it is the customer's only way to see, answer "
               "and rate this ticket, with --access-key or CXDESK_ACCESS_KEY; "
               "it cannot be shown again)\n";
  return absl::OkStatus();
}

Command TicketCreateCommand() {
  return Command("ticket create")
      .Summary(
          "open a ticket (no credentials: as the customer); prints its access "
          "key")
      .Required("subject", "TEXT", "one-line summary")
      .Required("description", "TEXT", "the customer's first message")
      .Required("email", "EMAIL", "the customer's e-mail address")
      .Flag("name", "NAME", "the customer's name")
      .Flag("kind", "KIND", absl::StrCat("one of ", KindWords()))
      .Flag("cx-level", "LEVEL",
            absl::StrCat("for complaints: one of ", CxLevelWords()))
      .Flag("priority", "PRIORITY", absl::StrCat("one of ", PriorityWords()))
      .Flag("channel", "CHANNEL", absl::StrCat("one of ", ChannelWords()))
      .Repeatable("tags", "A,B", "labels, comma separated")
      .Flag("request-id", "ID",
            "idempotency key: a retry returns the first result")
      .Run(&RunCreate);
}

absl::Status RunList(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(ticketpb::ListTicketsRequest request,
                          AsUsage(BuildListTicketsRequest(inv.flags())));
  const bool all = inv.flags().Has("all");
  std::vector<ticketpb::Ticket> tickets;
  std::string next_token;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::ListTicketsResponse page,
                            FromServer(inv.client().ListTickets(request)));
    if (inv.global().json) CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    for (ticketpb::Ticket& t : *page.mutable_tickets()) tickets.push_back(t);
    next_token = page.next_page_token();
    // A token equal to the one just used would loop forever.
    if (!all || next_token.empty() || next_token == request.page_token()) {
      break;
    }
    request.set_page_token(next_token);
  }
  if (inv.global().json) return absl::OkStatus();
  if (tickets.empty()) {
    inv.out() << "no tickets match\n";
  } else {
    inv.out() << FormatTicketTable(tickets, inv.output());
  }
  if (!all && !next_token.empty()) {
    inv.out() << "more tickets: repeat with --page-token " << next_token
              << " (or use --all)\n";
  }
  return absl::OkStatus();
}

Command TicketListCommand() {
  return Command("ticket list")
      .Summary("list tickets as a table (staff)")
      .Repeatable("status", "S,S",
                  absl::StrCat("only these statuses: ", StatusWords()))
      .Flag("priority", "PRIORITY", absl::StrCat("one of ", PriorityWords()))
      .Flag("kind", "KIND", absl::StrCat("one of ", KindWords()))
      .Flag("cx-level", "LEVEL", absl::StrCat("one of ", CxLevelWords()))
      .Flag("assignee", "AGENT", "only tickets assigned to this agent")
      .Flag("team", "TEAM", "only this team")
      .Flag("customer", "EMAIL", "only this customer")
      .Flag("tag", "TAG", "only tickets with this tag")
      .Switch("unassigned", "only tickets without an agent")
      .Flag("created-after", "TIME",
            "only tickets created at or after TIME (2026-11-01 or RFC 3339)")
      .Flag("created-before", "TIME", "only tickets created before TIME")
      .Flag("order", "ORDER",
            "\"create_time desc\" (default), \"create_time\", \"update_time "
            "desc\" or \"priority desc\"")
      .Flag("page-size", "N", "tickets per page, 1..500 (default 50)")
      .Flag("page-token", "TOKEN", "the page to show, from a previous list")
      .Switch("all", "follow every page")
      .Run(&RunList);
}

absl::Status RunShow(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  ticketpb::GetTicketRequest get;
  get.set_ticket_id(id);
  CXDESK_ASSIGN_OR_RETURN(ticketpb::Ticket ticket,
                          FromServer(inv.client().GetTicket(get)));
  std::vector<ticketpb::Comment> comments;
  ticketpb::ListCommentsRequest list;
  list.set_ticket_id(id);
  list.set_page_size(500);
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::ListCommentsResponse page,
                            FromServer(inv.client().ListComments(list)));
    for (ticketpb::Comment& c : *page.mutable_comments()) comments.push_back(c);
    if (page.next_page_token().empty() ||
        page.next_page_token() == list.page_token()) {
      break;
    }
    list.set_page_token(page.next_page_token());
  }
  if (inv.global().json) {
    // One document: {"ticket": Ticket, "comments": [Comment...]}.
    CXDESK_ASSIGN_OR_RETURN(std::string ticket_json, ToJson(ticket));
    std::vector<std::string> comment_json;
    for (const ticketpb::Comment& c : comments) {
      CXDESK_ASSIGN_OR_RETURN(std::string json, ToJson(c));
      comment_json.push_back(std::move(json));
    }
    inv.out() << "{\"ticket\":" << ticket_json << ",\"comments\":["
              << absl::StrJoin(comment_json, ",") << "]}\n";
    return absl::OkStatus();
  }
  const OutputContext context = inv.output();
  inv.out() << FormatTicketDetails(ticket, context) << "\n";
  if (comments.empty()) {
    inv.out() << "no comments yet\n";
    return absl::OkStatus();
  }
  inv.out() << "comments (" << comments.size() << "):\n";
  for (const ticketpb::Comment& c : comments)
    inv.out() << FormatComment(c, context);
  return absl::OkStatus();
}

Command TicketShowCommand() {
  return Command("ticket show")
      .Args("ID", 1)
      .Summary("a ticket with all its fields and comments (staff)")
      .Run(&RunShow);
}

absl::Status AddComment(Invocation& inv, ticketpb::Visibility visibility) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  ticketpb::AddCommentRequest request;
  request.set_ticket_id(id);
  request.set_visibility(visibility);
  request.set_body(inv.Body());
  CXDESK_ASSIGN_OR_RETURN(ticketpb::Comment comment,
                          FromServer(inv.client().AddComment(request)));
  if (inv.global().json) return inv.PrintJson(comment);
  inv.out() << "added "
            << (comment.visibility() == ticketpb::VISIBILITY_INTERNAL
                    ? "internal note #"
                    : "public reply #")
            << comment.id() << " to ticket #" << id << "\n";
  return absl::OkStatus();
}

absl::Status RunReply(Invocation& inv) {
  return AddComment(inv, ticketpb::VISIBILITY_PUBLIC);
}

Command TicketReplyCommand() {
  return Command("ticket reply")
      .Args("ID", 1)
      .Summary(
          "add a public reply (staff with --token, or the customer with "
          "--access-key)")
      .Required("body", "TEXT", "the reply; - reads standard input")
      .Run(&RunReply);
}

absl::Status RunNote(Invocation& inv) {
  return AddComment(inv, ticketpb::VISIBILITY_INTERNAL);
}

Command TicketNoteCommand() {
  return Command("ticket note")
      .Args("ID", 1)
      .Summary("add an internal note, never shown to the customer (staff)")
      .Required("body", "TEXT", "the note; - reads standard input")
      .Run(&RunNote);
}

// Prints a ticket a write returned: JSON, or one summary line.
absl::Status PrintTicketSummary(Invocation& inv, const ticketpb::Ticket& ticket,
                                absl::string_view what) {
  if (inv.global().json) return inv.PrintJson(ticket);
  inv.out() << "ticket #" << ticket.id() << " " << what << ": status "
            << StatusWord(ticket.status()) << ", priority "
            << PriorityWord(ticket.priority()) << ", assignee "
            << (ticket.assignee().empty() ? "(none)" : ticket.assignee())
            << ", team " << (ticket.team().empty() ? "(none)" : ticket.team())
            << ", version " << ticket.version() << "\n";
  return absl::OkStatus();
}

absl::Status RunAssign(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  CXDESK_ASSIGN_OR_RETURN(ticketpb::AssignTicketRequest request,
                          AsUsage(BuildAssignTicketRequest(id, inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ticketpb::Ticket ticket,
                          FromServer(inv.client().AssignTicket(request)));
  return PrintTicketSummary(inv, ticket, "assigned");
}

Command TicketAssignCommand() {
  return Command("ticket assign")
      .Args("ID", 1)
      .Summary("assign to an agent and/or a team (staff)")
      .Flag("agent", "AGENT", "the agent to assign")
      .Flag("team", "TEAM", "the team to own it")
      .Switch("unassign", "remove the agent (back to the team queue)")
      .Flag("request-id", "ID", "idempotency key")
      .Run(&RunAssign);
}

absl::Status RunStatus(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  CXDESK_ASSIGN_OR_RETURN(
      ticketpb::ChangeTicketStatusRequest request,
      AsUsage(BuildChangeStatusRequest(id, inv.arg(1), inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ticketpb::Ticket ticket,
                          FromServer(inv.client().ChangeTicketStatus(request)));
  return PrintTicketSummary(inv, ticket, "changed");
}

Command TicketStatusCommand() {
  return Command("ticket status")
      .Args("ID STATUS", 2)
      .Summary(absl::StrCat("move the ticket to STATUS: ", StatusWords(),
                            " (staff)"))
      .Flag("reason", "TEXT", "why, kept in the history")
      .Run(&RunStatus);
}

absl::Status RunUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  CXDESK_ASSIGN_OR_RETURN(ticketpb::UpdateTicketRequest request,
                          AsUsage(BuildUpdateTicketRequest(id, inv.flags())));
  return PrintReply(inv, inv.client().UpdateTicket(request),
                    &FormatTicketDetails);
}

Command TicketUpdateCommand() {
  return Command("ticket update")
      .Args("ID", 1)
      .Summary("change fields; only the flags given are changed (staff)")
      .Flag("subject", "TEXT", "new subject")
      .Flag("description", "TEXT", "new description")
      .Flag("priority", "PRIORITY", absl::StrCat("one of ", PriorityWords()))
      .Flag("kind", "KIND", absl::StrCat("one of ", KindWords()))
      .Flag("cx-level", "LEVEL", absl::StrCat("one of ", CxLevelWords()))
      .Flag("channel", "CHANNEL", absl::StrCat("one of ", ChannelWords()))
      .Repeatable("tags", "A,B", "replace the tags (\"\" clears them)")
      .Flag("etag", "ETAG", "fail if the ticket changed since this etag")
      .Run(&RunUpdate);
}

absl::Status RunRate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  CXDESK_ASSIGN_OR_RETURN(ticketpb::RateTicketRequest request,
                          AsUsage(BuildRateTicketRequest(id, inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ticketpb::Ticket ticket,
                          FromServer(inv.client().RateTicket(request)));
  if (inv.global().json) return inv.PrintJson(ticket);
  inv.out() << "ticket #" << ticket.id() << " rated "
            << FormatRating(ticket.rating()) << ": thank you\n";
  return absl::OkStatus();
}

Command TicketRateCommand() {
  return Command("ticket rate")
      .Args("ID", 1)
      .Summary("rate a solved ticket (the customer, with --access-key)")
      .Required("score", "1..5", "1 very unhappy .. 5 very happy")
      .Flag("comment", "TEXT", "optional words")
      .Run(&RunRate);
}

absl::Status RunStatusView(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  ticketpb::GetTicketStatusRequest request;
  request.set_ticket_id(id);
  return PrintReply(inv, inv.client().GetTicketStatus(request),
                    &FormatStatusView);
}

Command TicketStatusViewCommand() {
  return Command("ticket status-view")
      .Args("ID", 1)
      .Summary(
          "the customer's view: status in plain words and the conversation")
      .Run(&RunStatusView);
}

absl::Status RunEvents(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  ticketpb::ListTicketEventsRequest request;
  request.set_ticket_id(id);
  request.set_page_size(500);
  const OutputContext context = inv.output();
  int printed = 0;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(ticketpb::ListTicketEventsResponse page,
                            FromServer(inv.client().ListTicketEvents(request)));
    if (inv.global().json) {
      CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    } else {
      for (const ticketpb::TicketEvent& event : page.events()) {
        inv.out() << FormatEventLine(event, context, /*stream=*/false) << "\n";
        ++printed;
      }
    }
    if (page.next_page_token().empty() ||
        page.next_page_token() == request.page_token()) {
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (!inv.global().json && printed == 0) inv.out() << "no events\n";
  return absl::OkStatus();
}

Command TicketEventsCommand() {
  return Command("ticket events")
      .Args("ID", 1)
      .Summary(
          "the history of a ticket: who changed what, before -> after (staff)")
      .Run(&RunEvents);
}

absl::Status RunWatch(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t count,
                          inv.WatchCount());  // 0: no limit.
  ticketpb::WatchTicketEventsRequest request;
  request.set_after_cursor(inv.flags().Get("after"));
  int64_t seen = 0;
  absl::Status print_status;
  absl::Status status = inv.client().WatchTicketEvents(
      request, [&](const ticketpb::TicketEvent& event) {
        if (inv.global().json) {
          print_status = inv.PrintJson(event);
          if (!print_status.ok()) return false;
        } else {
          inv.out() << FormatEventLine(event, inv.output(), /*stream=*/true)
                    << "\n";
        }
        // Live output: whoever reads it (a pipe, a test) sees each event now.
        inv.out().flush();
        return count == 0 || ++seen < count;
      });
  CXDESK_RETURN_IF_ERROR(print_status);
  return FromServer(status);
}

Command TicketWatchCommand() {
  return Command("ticket watch")
      .Summary(
          "follow the event stream of all tickets live, one line per event "
          "with its cursor (staff)")
      .Flag("after", "CURSOR",
            "resume after this cursor (default: from the beginning)")
      .Flag("count", "N", "stop after N events")
      .Run(&RunWatch);
}

}  // namespace

std::vector<Command> TicketCommands() {
  return {
      HealthCommand(),       TicketCreateCommand(),     TicketListCommand(),
      TicketShowCommand(),   TicketReplyCommand(),      TicketNoteCommand(),
      TicketAssignCommand(), TicketStatusCommand(),     TicketUpdateCommand(),
      TicketRateCommand(),   TicketStatusViewCommand(), TicketEventsCommand(),
      TicketWatchCommand()};
}

}  // namespace cxdesk::clients::cli
