// What the `cxdesk` commands of the ticket service print.

#include "clients/cli/ticket_output.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/output.h"
#include "clients/common/enum_words.h"

namespace cxdesk::clients::cli {
namespace {

namespace ticketpb = ::cxdesk::ticket::v1;

std::string JoinTags(const google::protobuf::RepeatedPtrField<std::string> &t) {
  return absl::StrJoin(t, ", ");
}

std::string Who(absl::string_view name, ticketpb::Role role) {
  return absl::StrCat(OrDash(name), " (", RoleWord(role), ")");
}

}  // namespace

std::string FormatCustomer(const ticketpb::Customer &customer) {
  if (customer.name().empty()) return OrDash(customer.email());
  return absl::StrCat(customer.name(), " <", customer.email(), ">");
}

std::string FormatRating(const ticketpb::Rating &rating) {
  if (rating.score() == 0) return "(none)";
  std::string out = absl::StrCat(rating.score(), "/5");
  if (!rating.comment().empty()) {
    absl::StrAppend(&out, " ", Quote(rating.comment()));
  }
  return out;
}

std::string FormatTicketTable(const std::vector<ticketpb::Ticket> &tickets,
                              const OutputContext &context) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ID", "STATUS", "PRIORITY", "KIND", "CX", "ASSIGNEE", "TEAM",
                  "AGE", "SUBJECT"});
  for (const ticketpb::Ticket &t : tickets) {
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

std::string FormatTicketDetails(const ticketpb::Ticket &ticket,
                                const OutputContext &context) {
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

std::string FormatComment(const ticketpb::Comment &comment,
                          const OutputContext &context) {
  const bool internal = comment.visibility() == ticketpb::VISIBILITY_INTERNAL;
  return absl::StrCat(
      "--- #", comment.id(), "  ",
      FormatShortTime(ToTime(comment.create_time()), context.tz), "  ",
      Who(comment.author(), comment.author_role()), "  ",
      internal ? "*** INTERNAL NOTE (staff only) ***" : "public reply", "\n",
      Indent(comment.body(), 4));
}

std::string StatusInPlainWords(ticketpb::Status status) {
  switch (status) {
    case ticketpb::STATUS_NEW:
      return "received, waiting for an agent to pick it up";
    case ticketpb::STATUS_OPEN:
      return "our team is working on it";
    case ticketpb::STATUS_PENDING:
      return "waiting for your reply";
    case ticketpb::STATUS_ON_HOLD:
      return "on hold, we are waiting on a third party";
    case ticketpb::STATUS_SOLVED:
      return "we think it is solved: reply if it is not, or rate our help";
    case ticketpb::STATUS_CLOSED:
      return "closed, no further changes";
    default:
      return "unknown";
  }
}

std::string FormatStatusView(const ticketpb::TicketStatusView &view,
                             const OutputContext &context) {
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
  } else if (view.status() == ticketpb::STATUS_SOLVED ||
             view.status() == ticketpb::STATUS_CLOSED) {
    Field(&out, "rating",
          absl::StrCat("not rated yet: cxdesk ticket rate ", view.ticket_id(),
                       " --score 1..5"));
  }
  absl::StrAppend(&out, "\nconversation (", view.conversation_size(), "):\n");
  for (const ticketpb::Comment &comment : view.conversation()) {
    absl::StrAppend(&out, "--- ",
                    FormatShortTime(ToTime(comment.create_time()), context.tz),
                    "  ", Who(comment.author(), comment.author_role()), "\n",
                    Indent(comment.body(), 4));
  }
  return out;
}

std::vector<std::string> DescribeChanges(const ticketpb::TicketEvent &event) {
  std::vector<std::string> out;
  const ticketpb::Ticket &a = event.after();
  if (event.type() == ticketpb::EVENT_TYPE_COMMENT_ADDED &&
      event.has_comment()) {
    out.push_back(absl::StrCat(
        event.comment().visibility() == ticketpb::VISIBILITY_INTERNAL
            ? "internal note #"
            : "public reply #",
        event.comment().id()));
  }
  if (!event.has_before()) {
    if (event.type() == ticketpb::EVENT_TYPE_CREATED) {
      out.push_back(absl::StrCat("subject: ", Quote(a.subject())));
      out.push_back(absl::StrCat("status: ", StatusWord(a.status())));
      out.push_back(absl::StrCat("priority: ", PriorityWord(a.priority())));
      out.push_back(absl::StrCat("kind: ", KindWord(a.kind())));
      if (a.cx_level() != ticketpb::CX_LEVEL_UNSPECIFIED) {
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
    const ticketpb::Ticket &b = event.before();
    auto diff = [&out](absl::string_view field, const std::string &before,
                       const std::string &after) {
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

std::string FormatEventLine(const ticketpb::TicketEvent &event,
                            const OutputContext &context, bool stream) {
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

}  // namespace cxdesk::clients::cli
