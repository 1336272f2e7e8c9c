// ConsoleApp's ticket screen: loading a ticket with its conversation,
// history and SLA clocks, scrolling and drawing it.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/common/enum_words.h"
#include "clients/console/console_app.h"

namespace cxdesk::clients::console {
namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;

void ConsoleApp::OpenTicket(int64_t id) {
  open_id_ = id;
  mode_ = Mode::kTicket;
  scroll_ = 0;
  ReloadTicket();
}

void ConsoleApp::ReloadTicket() {
  const int64_t id = open_id_;
  ticketpb::GetTicketRequest get;
  get.set_ticket_id(id);
  absl::StatusOr<ticketpb::Ticket> ticket = tickets_client_.GetTicket(get);
  if (!ticket.ok()) {
    Refused(ticket.status(), "ticket");
    return;
  }
  tickets_[id] = *ticket;
  comments_.clear();
  ticketpb::ListCommentsRequest lc;
  lc.set_ticket_id(id);
  lc.set_page_size(500);
  while (true) {
    absl::StatusOr<ticketpb::ListCommentsResponse> page =
        tickets_client_.ListComments(lc);
    if (!page.ok()) {
      Refused(page.status(), "ticket");
      break;
    }
    comments_.insert(comments_.end(), page->comments().begin(),
                     page->comments().end());
    if (page->next_page_token().empty()) break;
    lc.set_page_token(page->next_page_token());
  }
  history_.clear();
  ticketpb::ListTicketEventsRequest le;
  le.set_ticket_id(id);
  le.set_page_size(500);
  while (true) {
    absl::StatusOr<ticketpb::ListTicketEventsResponse> page =
        tickets_client_.ListTicketEvents(le);
    if (!page.ok()) break;
    history_.insert(history_.end(), page->events().begin(),
                    page->events().end());
    if (page->next_page_token().empty()) break;
    le.set_page_token(page->next_page_token());
  }
  slapb::GetTicketSlaRequest gs;
  gs.set_ticket_id(id);
  absl::StatusOr<slapb::TicketSla> s = sla_client_.GetTicketSla(gs);
  if (s.ok()) {
    open_sla_ = *s;
    Update u;
    u.kind = Update::Kind::kSla;
    u.ticket_id = id;
    u.sla = *s;
    ApplyUpdate(u);
  } else {
    open_sla_.reset();
  }
}

void ConsoleApp::HandleTicketKey(Screen& screen, int key) {
  switch (key) {
    case 'q':
    case kKeyEscape:
    case kKeyLeft:
      mode_ = Mode::kList;
      open_id_ = 0;
      return;
    case kKeyDown:
    case 'j':
      ++scroll_;
      return;
    case kKeyUp:
    case 'k':
      scroll_ = std::max(scroll_ - 1, 0);
      return;
    case kKeyPageDown:
    case ' ':
      scroll_ += 10;
      return;
    case kKeyPageUp:
      scroll_ = std::max(scroll_ - 10, 0);
      return;
    case kKeyHome:
      scroll_ = 0;
      return;
    case 'R':
      ReloadTicket();
      status_ = "reloaded";
      return;
    case 'N':
      mode_ = Mode::kNotifications;
      return;
    default:
      HandleActionKey(screen, key, open_id_);
      return;
  }
}

void ConsoleApp::DrawTicket(Screen& screen, absl::Time now) {
  const int w = screen.width();
  const int h = screen.height();
  auto it = tickets_.find(open_id_);
  if (it == tickets_.end()) {
    screen.Put(2, 1, "ticket not loaded (R reloads)", Style::kDim);
    return;
  }
  const ticketpb::Ticket& t = it->second;
  std::vector<std::pair<std::string, Style>> lines;
  auto add = [&](const std::string& text, Style style) {
    for (std::string& l : Wrap(text, w - 1)) lines.emplace_back(l, style);
  };
  add(absl::StrCat("#", t.id(), " ", t.subject()), Style::kHeading);
  add(absl::StrCat("status ", StatusWord(t.status()), "   priority ",
                   PriorityWord(t.priority()), "   kind ", KindWord(t.kind()),
                   t.cx_level() != ticketpb::CX_LEVEL_UNSPECIFIED
                       ? absl::StrCat(" (", CxLevelWord(t.cx_level()), ")")
                       : ""),
      Style::kNormal);
  add(absl::StrCat("assignee ", t.assignee().empty() ? "-" : t.assignee(),
                   "   team ", t.team().empty() ? "-" : t.team(), "   tags ",
                   t.tags().empty() ? "-" : absl::StrJoin(t.tags(), ",")),
      Style::kNormal);
  add(absl::StrCat("customer ", t.customer().name(),
                   t.customer().name().empty() ? "" : " ", "<",
                   t.customer().email(), ">   opened ",
                   TimeText(t.create_time())),
      Style::kNormal);
  AddSlaLines(t, now, add);
  lines.emplace_back("", Style::kNormal);
  add("Conversation", Style::kHeading);
  if (!t.description().empty()) {
    add(absl::StrCat("customer, ", TimeText(t.create_time()), ":"),
        Style::kDim);
    add(absl::StrCat("  ", t.description()), Style::kNormal);
  }
  for (const ticketpb::Comment& c : comments_) {
    const bool internal = c.visibility() == ticketpb::VISIBILITY_INTERNAL;
    add(absl::StrCat(internal ? "[internal] " : "", c.author(), ", ",
                     TimeText(c.create_time()), ":"),
        internal ? Style::kInternal : Style::kDim);
    for (absl::string_view l : absl::StrSplit(c.body(), '\n')) {
      add(absl::StrCat(internal ? "  | " : "  ", l),
          internal ? Style::kInternal : Style::kNormal);
    }
  }
  lines.emplace_back("", Style::kNormal);
  add("History", Style::kHeading);
  AddHistoryLines(add);
  const int visible = std::max(h - 2, 1);
  const int max_scroll = std::max(static_cast<int>(lines.size()) - visible, 0);
  scroll_ = std::min(scroll_, max_scroll);
  for (int i = 0; i < visible && scroll_ + i < static_cast<int>(lines.size());
       ++i) {
    const auto& [text, style] = lines[scroll_ + i];
    screen.Put(1 + i, 0, Fit(text, w), style);
  }
}

void ConsoleApp::AddSlaLines(const ticketpb::Ticket& t, absl::Time now,
                             const AddLine& add) const {
  auto sit = sla_.find(t.id());
  if (!open_sla_.has_value() || open_sla_->clocks().empty()) {
    add("SLA: no clocks", Style::kDim);
  } else {
    for (int i = 0; i < open_sla_->clocks_size(); ++i) {
      const slapb::SlaClock& c = open_sla_->clocks(i);
      std::string text = absl::StrCat(
          "SLA ", MetricWord(c.metric()), " #", c.cycle(), ": ",
          ClockStateWord(c.state()), c.breached() ? ", breached" : "");
      Style style = Style::kNormal;
      if (c.has_deadline()) {
        absl::StrAppend(&text, ", due ", TimeText(c.deadline()));
        if (sit != sla_.end() &&
            i < static_cast<int>(sit->second.clocks.size())) {
          const ClockInfo& ci = sit->second.clocks[i];
          if (ci.state == slapb::CLOCK_STATE_RUNNING) {
            absl::StrAppend(&text, " (", CountdownText(ci.deadline - now), ")");
            style = UrgencyStyle(UrgencyAt(ci, now));
          }
        }
      }
      add(text, style);
    }
  }
}

void ConsoleApp::AddHistoryLines(const AddLine& add) const {
  for (const ticketpb::TicketEvent& e : history_) {
    std::string what = EventTypeWord(e.type());
    if (e.type() == ticketpb::EVENT_TYPE_STATUS_CHANGED) {
      absl::StrAppend(&what, " ", StatusWord(e.before().status()), " → ",
                      StatusWord(e.after().status()));
      if (!e.reason().empty()) absl::StrAppend(&what, " (", e.reason(), ")");
    } else if (e.type() == ticketpb::EVENT_TYPE_ASSIGNED) {
      absl::StrAppend(&what, " to ",
                      e.after().assignee().empty() ? "-" : e.after().assignee(),
                      e.after().team().empty() ? "" : " / " + e.after().team());
    } else if (e.type() == ticketpb::EVENT_TYPE_COMMENT_ADDED) {
      absl::StrAppend(&what, " (", VisibilityWord(e.comment().visibility()),
                      ")");
    }
    add(absl::StrCat(TimeText(e.create_time()), "  v", e.ticket_version(), " ",
                     e.actor(), ": ", what),
        Style::kNormal);
  }
}

}  // namespace cxdesk::clients::console
