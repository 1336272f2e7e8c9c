// The `route ...`, `queue`, `escalations`, `escalation ...`, `notifications
// ...` and `webhooks` commands: the escalation service's routing, steps and
// notifications.

#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/command.h"
#include "clients/cli/escalation_output.h"
#include "clients/cli/requests.h"
#include "clients/common/enum_words.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::cli {
namespace {

namespace escpb = ::cxdesk::escalation::v1;

absl::Status RunRouteExplain(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id,
                          AsUsage(ParseTicketId("TICKET", inv.arg(0))));
  escpb::ExplainRoutingRequest request;
  request.set_ticket_id(id);
  CXDESK_ASSIGN_OR_RETURN(escpb::ExplainRoutingResponse response,
                          FromServer(inv.escalation().ExplainRouting(request)));
  if (inv.global().json) return inv.PrintJson(response);
  if (response.decisions().empty()) {
    inv.out() << "ticket #" << id << ": no routing decisions yet\n";
    return absl::OkStatus();
  }
  bool first = true;
  for (const escpb::RoutingDecision& d : response.decisions()) {
    if (!first) inv.out() << "\n";
    first = false;
    inv.out() << FormatRoutingDecision(d, inv.output());
  }
  return absl::OkStatus();
}

Command RouteExplainCommand() {
  return Command("route explain")
      .Args("TICKET", 1)
      .Summary("every routing decision taken for a ticket and why (staff)")
      .Service(Service::kEscalation)
      .Run(&RunRouteExplain);
}

absl::Status RunRouteTicket(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id,
                          AsUsage(ParseTicketId("TICKET", inv.arg(0))));
  escpb::RouteTicketRequest request;
  request.set_ticket_id(id);
  request.set_dry_run(inv.flags().Has("dry-run"));
  return PrintReply(inv, inv.escalation().RouteTicket(request),
                    &FormatRoutingDecision);
}

Command RouteTicketCommand() {
  return Command("route ticket")
      .Args("TICKET", 1)
      .Summary(
          "route a ticket again now (manager), or with --dry-run show where it "
          "would go (staff)")
      .Switch("dry-run", "decide and explain, record and assign nothing")
      .Service(Service::kEscalation)
      .Run(&RunRouteTicket);
}

absl::Status RunQueue(Invocation& inv) {
  escpb::ListTeamQueueRequest request;
  request.set_team_id(inv.arg(0));
  request.set_page_size(500);
  if (inv.flags().Has("limit")) {
    CXDESK_ASSIGN_OR_RETURN(
        int64_t limit,
        AsUsage(ParseInt("--limit", inv.flags().Get("limit"), 1, 500)));
    request.set_page_size(static_cast<int32_t>(limit));
  }
  CXDESK_ASSIGN_OR_RETURN(escpb::ListTeamQueueResponse queue,
                          FromServer(inv.escalation().ListTeamQueue(request)));
  if (inv.global().json) return inv.PrintJson(queue);
  inv.out() << FormatTeamQueue(request.team_id(), queue, inv.output());
  return absl::OkStatus();
}

Command QueueCommand() {
  return Command("queue")
      .Args("TEAM", 1)
      .Summary(
          "the tickets waiting in a team's queue, next to be assigned first "
          "(staff)")
      .Flag("limit", "N", "show at most N, 1..500 (default 500)")
      .Service(Service::kEscalation)
      .Run(&RunQueue);
}

absl::Status RunEscalations(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::ListEscalationsRequest request,
                          AsUsage(BuildListEscalationsRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  std::vector<escpb::Escalation> escalations;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(
      CollectPages(inv, request, &EscalationClient::ListEscalations,
                   &escpb::ListEscalationsResponse::mutable_escalations, limit,
                   &escalations, &more));
  if (inv.global().json) return absl::OkStatus();
  if (escalations.empty()) {
    inv.out() << "no escalations\n";
  } else {
    inv.out() << FormatEscalationTable(escalations, inv.output());
  }
  if (more)
    inv.out() << "more escalations: stopped at --limit " << limit << "\n";
  return absl::OkStatus();
}

Command EscalationsCommand() {
  return Command("escalations")
      .Summary(
          "escalation steps taken, newest first, following every page (staff)")
      .Flag("ticket", "ID", "only this ticket")
      .Flag("team", "TEAM", "only this team")
      .Flag("level", "N", "only this ladder level")
      .Flag("from", "TIME",
            "only steps at or after TIME (2026-11-01 or RFC 3339)")
      .Flag("to", "TIME", "only steps before TIME")
      .Flag("acknowledged", "yes|no",
            "only acknowledged (or unacknowledged) cycles")
      .Flag("limit", "N", "stop after N steps")
      .Service(Service::kEscalation)
      .Run(&RunEscalations);
}

absl::Status RunEscalationAck(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      int64_t id, AsUsage(ParseInt("ID", inv.arg(0), 1,
                                   std::numeric_limits<int64_t>::max())));
  escpb::AcknowledgeEscalationRequest request;
  request.set_escalation_id(id);
  CXDESK_ASSIGN_OR_RETURN(
      escpb::Escalation escalation,
      FromServer(inv.escalation().AcknowledgeEscalation(request)));
  if (inv.global().json) return inv.PrintJson(escalation);
  inv.out() << FormatEscalationDetails(escalation, inv.output());
  return absl::OkStatus();
}

Command EscalationAckCommand() {
  return Command("escalation ack")
      .Args("ID", 1)
      .Summary(
          "acknowledge an escalation: later notify-only steps of its cycle are "
          "skipped (a recipient, the assignee or a manager)")
      .Service(Service::kEscalation)
      .Run(&RunEscalationAck);
}

absl::Status RunEscalationFigures(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::GetEscalationFiguresRequest request,
                          AsUsage(BuildEscalationFiguresRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ReportFormat format,
                          AsUsage(ParseReportFormat(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(
      escpb::EscalationFigures figures,
      FromServer(inv.escalation().GetEscalationFigures(request)));
  if (inv.global().json) return inv.PrintJson(figures);
  if (format == ReportFormat::kCsv) {
    inv.out() << FormatEscalationFiguresCsv(figures);
  } else {
    inv.out() << FormatEscalationFiguresTable(figures, inv.output());
  }
  return absl::OkStatus();
}

Command EscalationFiguresCommand() {
  return Command("escalation figures")
      .Summary(
          "routing and escalation figures over a window: per agent, team queue "
          "and level (manager)")
      .Required("from", "TIME", "window start (2026-11-01 or RFC 3339)")
      .Required("to", "TIME", "window end (exclusive)")
      .Flag("format", "FORMAT", "table (default) or csv")
      .Service(Service::kEscalation)
      .Run(&RunEscalationFigures);
}

absl::Status RunNotifications(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::ListNotificationsRequest request,
                          AsUsage(BuildListNotificationsRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  std::vector<escpb::Notification> notifications;
  bool more = false;
  escpb::ListNotificationsResponse last;
  CXDESK_RETURN_IF_ERROR(
      CollectPages(inv, request, &EscalationClient::ListNotifications,
                   &escpb::ListNotificationsResponse::mutable_notifications,
                   limit, &notifications, &more, &last));
  if (inv.global().json) return absl::OkStatus();
  if (notifications.empty()) {
    inv.out() << (request.unread_only() ? "no unread notifications\n"
                                        : "no notifications\n");
  } else {
    inv.out() << FormatNotificationTable(notifications, inv.output());
  }
  if (more) {
    inv.out() << "more notifications: stopped at --limit " << limit << "\n";
  }
  inv.out() << last.unread() << " unread\n";
  return absl::OkStatus();
}

Command NotificationsCommand() {
  return Command("notifications")
      .Summary("your notifications, newest first, and how many are unread")
      .Switch("unread", "only unread ones")
      .Flag("for", "AGENT", "another agent's feed (managers)")
      .Flag("limit", "N", "stop after N notifications")
      .Service(Service::kEscalation)
      .Run(&RunNotifications);
}

absl::Status RunNotificationsRead(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(escpb::MarkNotificationsReadRequest request,
                          AsUsage(BuildMarkNotificationsReadRequest(
                              inv.flags().positionals, inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(
      escpb::MarkNotificationsReadResponse response,
      FromServer(inv.escalation().MarkNotificationsRead(request)));
  if (inv.global().json) return inv.PrintJson(response);
  inv.out() << "marked " << response.marked()
            << (response.marked() == 1 ? " notification" : " notifications")
            << " read\n";
  return absl::OkStatus();
}

Command NotificationsReadCommand() {
  return Command("notifications read")
      .Args("[ID...]", 0, 10000)
      .Summary("mark your notifications read: the ones named, or --all")
      .Switch("all", "every notification of yours")
      .Service(Service::kEscalation)
      .Run(&RunNotificationsRead);
}

absl::Status RunNotificationsWatch(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t count,
                          inv.WatchCount());  // 0: no limit.
  escpb::WatchNotificationsRequest request;
  request.set_recipient(inv.flags().Get("for"));
  request.set_after_cursor(inv.flags().Get("after"));
  int64_t seen = 0;
  absl::Status print_status;
  absl::Status status = inv.escalation().WatchNotifications(
      request, [&](const escpb::Notification& n) {
        if (inv.global().json) {
          print_status = inv.PrintJson(n);
          if (!print_status.ok()) return false;
        } else {
          inv.out() << FormatNotificationLine(n, inv.output()) << "\n";
        }
        // Live output: whoever reads it (a pipe, a test) sees each one now.
        inv.out().flush();
        return count == 0 || ++seen < count;
      });
  CXDESK_RETURN_IF_ERROR(print_status);
  return FromServer(status);
}

Command NotificationsWatchCommand() {
  return Command("notifications watch")
      .Summary(
          "follow a notification feed live, one line per notification with its "
          "cursor, until interrupted")
      .Flag("for", "AGENT", "another agent's feed, or * for all (managers)")
      .Flag("after", "CURSOR",
            "resume after this cursor (default: from the beginning)")
      .Flag("count", "N", "stop after N notifications")
      .Service(Service::kEscalation)
      .Run(&RunNotificationsWatch);
}

absl::Status RunWebhooks(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      escpb::ListWebhookDeliveriesRequest request,
      AsUsage(BuildListWebhookDeliveriesRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  std::vector<escpb::WebhookDelivery> deliveries;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(
      CollectPages(inv, request, &EscalationClient::ListWebhookDeliveries,
                   &escpb::ListWebhookDeliveriesResponse::mutable_deliveries,
                   limit, &deliveries, &more));
  if (inv.global().json) return absl::OkStatus();
  if (deliveries.empty()) {
    inv.out() << "no webhook deliveries\n";
  } else {
    inv.out() << FormatDeliveryTable(deliveries, inv.output());
  }
  if (more) {
    inv.out() << "more deliveries: stopped at --limit " << limit << "\n";
  }
  return absl::OkStatus();
}

Command WebhooksCommand() {
  return Command("webhooks")
      .Summary(
          "webhook deliveries, newest first: pending, delivered and dead "
          "letters (manager)")
      .Flag("team", "TEAM", "only this team's webhook")
      .Flag("state", "STATE", absl::StrCat("one of ", DeliveryStateWords()))
      .Flag("limit", "N", "stop after N deliveries")
      .Service(Service::kEscalation)
      .Run(&RunWebhooks);
}

}  // namespace

std::vector<Command> EscalationCommands() {
  return {RouteExplainCommand(),
          RouteTicketCommand(),
          QueueCommand(),
          EscalationsCommand(),
          EscalationAckCommand(),
          EscalationFiguresCommand(),
          NotificationsCommand(),
          NotificationsReadCommand(),
          NotificationsWatchCommand(),
          WebhooksCommand()};
}

}  // namespace cxdesk::clients::cli
