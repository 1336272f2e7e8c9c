// ConsoleApp's list screens: the queues (mine, team, unassigned, search)
// with the top bar, the notifications view and the help.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/console/console_app.h"

namespace cxdesk::clients::console {
namespace ticketpb = ::cxdesk::ticket::v1;
namespace escpb = ::cxdesk::escalation::v1;

// --- the views ---------------------------------------------------------------

bool ConsoleApp::InView(const ticketpb::Ticket& t, ListView view) const {
  switch (view) {
    case ListView::kMine:
      return t.assignee() == me_.agent_id && IsActive(t.status());
    case ListView::kTeam:
      return !t.team().empty() && IsActive(t.status()) &&
             std::find(teams_.begin(), teams_.end(), t.team()) != teams_.end();
    case ListView::kUnassigned:
      return t.assignee().empty() && IsActive(t.status());
    case ListView::kSearch:
      return search_.has_value() && Matches(*search_, t);
  }
  return false;
}

std::vector<Row> ConsoleApp::CurrentRows(absl::Time now) const {
  std::vector<ticketpb::Ticket> shown;
  for (const auto& [id, t] : tickets_) {
    if (InView(t, view_)) shown.push_back(t);
  }
  return BuildRows(shown, sla_, now);
}

int ConsoleApp::UnreadCount() const {
  int unread = 0;
  for (const auto& [id, n] : notifications_) unread += n.read() ? 0 : 1;
  return unread;
}

void ConsoleApp::HandleListKey(Screen& screen, int key) {
  const std::vector<Row> rows = CurrentRows(absl::Now());
  const int count = static_cast<int>(rows.size());
  switch (key) {
    case 'q':
      quit_ = true;
      return;
    case '1':
    case '2':
    case '3':
    case '4':
      view_ = static_cast<ListView>(key - '1');
      selected_ = 0;
      if (view_ == ListView::kSearch && !search_.has_value()) {
        BeginPrompt(PromptKind::kSearch, 0, "search", search_text_);
      }
      return;
    case kKeyTab:
      view_ = static_cast<ListView>((static_cast<int>(view_) + 1) % 4);
      selected_ = 0;
      return;
    case '/':
      BeginPrompt(PromptKind::kSearch, 0, "search", search_text_);
      return;
    case 'N':
      mode_ = Mode::kNotifications;
      notif_selected_ = 0;
      return;
    case 'R':
      if (absl::Status s = LoadTickets(ticketpb::ListTicketsRequest());
          !s.ok()) {
        Refused(s, "ticket");
      } else {
        for (const auto& [id, t] : tickets_) {
          if (HasRunningClocks(t.status()))
            RequestSla(id, absl::ZeroDuration());
        }
        status_ = "reloaded";
      }
      return;
    case kKeyDown:
    case 'j':
      selected_ = std::min(selected_ + 1, std::max(count - 1, 0));
      break;
    case kKeyUp:
    case 'k':
      selected_ = std::max(selected_ - 1, 0);
      break;
    case kKeyPageDown:
      selected_ = std::min(selected_ + 10, std::max(count - 1, 0));
      break;
    case kKeyPageUp:
      selected_ = std::max(selected_ - 10, 0);
      break;
    case kKeyHome:
      selected_ = 0;
      break;
    case kKeyEnd:
      selected_ = std::max(count - 1, 0);
      break;
    case kKeyEnter:
      if (selected_ < count) OpenTicket(rows[selected_].id);
      return;
    default:
      if (selected_ < count) HandleActionKey(screen, key, rows[selected_].id);
      return;
  }
  if (selected_ < count) selected_id_ = rows[selected_].id;
}

void ConsoleApp::HandleNotificationsKey(int key) {
  std::vector<escpb::Notification> list;
  for (auto it = notifications_.rbegin(); it != notifications_.rend(); ++it) {
    list.push_back(it->second);
  }
  const int count = static_cast<int>(list.size());
  switch (key) {
    case 'q':
    case kKeyEscape:
    case 'N':
      mode_ = open_id_ != 0 ? Mode::kTicket : Mode::kList;
      return;
    case kKeyDown:
    case 'j':
      notif_selected_ = std::min(notif_selected_ + 1, std::max(count - 1, 0));
      return;
    case kKeyUp:
    case 'k':
      notif_selected_ = std::max(notif_selected_ - 1, 0);
      return;
    case 'm': {
      escpb::MarkNotificationsReadRequest request;
      request.set_all(true);
      absl::StatusOr<escpb::MarkNotificationsReadResponse> r =
          escalation_client_.MarkNotificationsRead(request);
      if (!r.ok()) {
        Refused(r.status(), "escalation");
        return;
      }
      for (auto& [id, n] : notifications_) n.set_read(true);
      status_ = absl::StrCat(r->marked(), " marked read");
      return;
    }
    case kKeyEnter:
    case 'A': {
      if (notif_selected_ >= count) return;
      const escpb::Notification& n = list[notif_selected_];
      escpb::MarkNotificationsReadRequest request;
      request.add_notification_ids(n.notification_id());
      if (absl::StatusOr<escpb::MarkNotificationsReadResponse> r =
              escalation_client_.MarkNotificationsRead(request);
          r.ok()) {
        notifications_[n.notification_id()].set_read(true);
      }
      if (key == 'A') {
        AcknowledgeNotification(n);
      } else if (n.ticket_id() != 0) {
        OpenTicket(n.ticket_id());
      }
      return;
    }
    default:
      return;
  }
}

void ConsoleApp::DrawTop(Screen& screen, absl::Time now) {
  const int w = screen.width();
  int counts[4] = {0, 0, 0, 0};
  for (const auto& [id, t] : tickets_) {
    for (int v = 0; v < 4; ++v) {
      counts[v] += InView(t, static_cast<ListView>(v)) ? 1 : 0;
    }
  }
  const char* names[4] = {"Mine", "Team", "Unassigned", "Search"};
  std::string line = absl::StrCat(" ", me_.agent_id, " ");
  for (int v = 0; v < 4; ++v) {
    const bool current = mode_ == Mode::kList && static_cast<int>(view_) == v;
    absl::StrAppend(&line, current ? "[" : " ", v + 1, ":", names[v], " ",
                    counts[v], current ? "]" : " ");
  }
  const int unread = UnreadCount();
  absl::StrAppend(&line, " N:", unread, " unread");
  const std::string clock =
      absl::FormatTime("%H:%M:%S UTC ", now, absl::UTCTimeZone());
  screen.Put(0, 0, Fit(line, w), Style::kTitle);
  if (w - static_cast<int>(line.size()) > static_cast<int>(clock.size())) {
    screen.Put(0, w - static_cast<int>(clock.size()), clock, Style::kTitle);
  }
}

void ConsoleApp::DrawList(Screen& screen, absl::Time now) {
  const int w = screen.width();
  const int h = screen.height();
  const Layout layout = LayoutFor(w);
  screen.Put(1, 0, FormatHeader(layout), Style::kHeading);
  const std::vector<Row> rows = CurrentRows(now);
  const int count = static_cast<int>(rows.size());
  // Keep the selection on the same ticket while rows move around.
  if (selected_id_ != 0) {
    for (int i = 0; i < count; ++i) {
      if (rows[i].id == selected_id_) selected_ = i;
    }
  }
  selected_ = std::min(selected_, std::max(count - 1, 0));
  if (selected_ < count) selected_id_ = rows[selected_].id;
  const int visible = std::max(h - 3, 1);
  const int first = selected_ >= visible ? selected_ - visible + 1 : 0;
  if (count == 0) {
    std::string empty = "no tickets here";
    if (view_ == ListView::kSearch && !search_.has_value()) {
      empty = "press / to search: words, status:open priority:high tag:vip";
    } else if (view_ == ListView::kTeam && teams_.empty()) {
      empty = "you are in no team";
    }
    screen.Put(2, 1, Fit(empty, w - 1), Style::kDim);
  }
  const std::optional<std::pair<int, int>> due = CellSpan(layout, Column::kDue);
  for (int i = first; i < count && i - first < visible; ++i) {
    const int y = 2 + i - first;
    const std::string line = FormatRow(rows[i], layout);
    const bool selected = i == selected_;
    screen.Put(y, 0, line, selected ? Style::kSelected : Style::kNormal);
    if (due.has_value() && rows[i].urgency != Urgency::kNone) {
      screen.Put(y, due->first, Fit(rows[i].due, due->second),
                 UrgencyStyle(rows[i].urgency));
    }
  }
}

void ConsoleApp::DrawNotifications(Screen& screen) {
  const int w = screen.width();
  const int h = screen.height();
  screen.Put(1, 0,
             Fit("Notifications (Enter open, A acknowledge, m mark all read, "
                 "q back)",
                 w),
             Style::kHeading);
  std::vector<const escpb::Notification*> list;
  for (auto it = notifications_.rbegin(); it != notifications_.rend(); ++it) {
    list.push_back(&it->second);
  }
  if (list.empty()) screen.Put(2, 1, "no notifications", Style::kDim);
  const int count = static_cast<int>(list.size());
  notif_selected_ = std::min(notif_selected_, std::max(count - 1, 0));
  const int visible = std::max(h - 3, 1);
  const int first =
      notif_selected_ >= visible ? notif_selected_ - visible + 1 : 0;
  for (int i = first; i < count && i - first < visible; ++i) {
    const escpb::Notification& n = *list[i];
    const std::string line = absl::StrCat(
        n.read() ? "  " : "* ", TimeText(n.create_time()), "  ", n.title());
    screen.Put(2 + i - first, 0, Fit(line, w),
               i == notif_selected_
                   ? Style::kSelected
                   : (n.read() ? Style::kNormal : Style::kWarning));
  }
}

void ConsoleApp::DrawHelp(Screen& screen) {
  static const char* const kHelp[] = {
      "Keys (? closes this help)",
      "  1 2 3 4 / Tab  my tickets, team queue, unassigned, search results",
      "  /              search: words, status:open,pending priority:high",
      "                 kind: cx: tag: team: assignee:me|none|ID #ID",
      "  Up Down j k    move; PgUp PgDn Home End",
      "  Enter          open the ticket (Esc or q goes back)",
      "  r              public reply        n  internal note",
      "  s              change status       p  change priority",
      "  t              take (assign to me) a  assign to an agent",
      "  g              edit tags (-tag removes)",
      "  A              acknowledge the ticket's escalation",
      "  N              notifications (Enter open, A ack, m mark all read)",
      "  R              reload from the services",
      "  q              back / quit",
      "Prompts: Enter sends, Esc cancels, \\n is a new line in a reply.",
      "Replies and notes open $EDITOR when set (unless --inline-editor).",
      "DUE: time to the next SLA deadline; green, amber once warned, red",
      "when breached; '-' no running clock.",
  };
  int y = 1;
  for (const char* line : kHelp) {
    if (y >= screen.height() - 1) break;
    screen.Put(y++, 0, Fit(line, screen.width()),
               y == 2 ? Style::kHeading : Style::kNormal);
  }
}

}  // namespace cxdesk::clients::console
