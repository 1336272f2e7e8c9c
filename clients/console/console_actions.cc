// ConsoleApp's actions on the services: the action keys, replies and
// notes, status, priority, assignment, tags, acknowledgements and search,
// and how a refusal is shown.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/common/enum_words.h"
#include "clients/console/console_app.h"

namespace cxdesk::clients::console {
namespace ticketpb = ::cxdesk::ticket::v1;
namespace escpb = ::cxdesk::escalation::v1;

// --- actions -----------------------------------------------------------------

bool ConsoleApp::HandleActionKey(Screen& screen, int key, int64_t id) {
  auto it = tickets_.find(id);
  if (it == tickets_.end()) return false;
  const ticketpb::Ticket& t = it->second;
  switch (key) {
    case 'r':
      Compose(screen, PromptKind::kReply, id);
      return true;
    case 'n':
      Compose(screen, PromptKind::kNote, id);
      return true;
    case 's': {
      status_choices_ = LegalNextStatuses(t.status());
      if (status_choices_.empty()) {
        status_ = absl::StrCat("a ", StatusWord(t.status()),
                               " ticket cannot change status");
        return true;
      }
      std::string label = "status →";
      for (size_t i = 0; i < status_choices_.size(); ++i) {
        absl::StrAppend(&label, " ", i + 1, " ",
                        StatusWord(status_choices_[i]));
      }
      BeginPrompt(PromptKind::kStatus, id, label);
      return true;
    }
    case 'p':
      BeginPrompt(PromptKind::kPriority, id,
                  "priority → 1 low 2 normal 3 high 4 urgent");
      return true;
    case 't':
      Assign(id, me_.agent_id);
      return true;
    case 'a':
      BeginPrompt(PromptKind::kAssign, id, "assign to agent");
      return true;
    case 'g':
      BeginPrompt(PromptKind::kTags, id, "tags (+add -remove)",
                  absl::StrJoin(t.tags(), " "));
      return true;
    case 'A':
      Acknowledge(id);
      return true;
    default:
      return false;
  }
}

void ConsoleApp::Refused(const absl::Status& status, const char* service,
                         int64_t ticket_id) {
  const std::string words = ErrorWords(status, service);
  if (status.code() == absl::StatusCode::kAborted && ticket_id != 0) {
    // Someone else's change: show it, so that the next try starts from it.
    if (ticket_id == open_id_ && mode_ == Mode::kTicket) {
      ReloadTicket();
    } else {
      ticketpb::GetTicketRequest get;
      get.set_ticket_id(ticket_id);
      if (absl::StatusOr<ticketpb::Ticket> t = tickets_client_.GetTicket(get);
          t.ok()) {
        UpsertTicket(*t);
      }
    }
  }
  status_ = words;
}

bool ConsoleApp::Accepted(int64_t ticket_id,
                          const absl::StatusOr<ticketpb::Ticket>& answer) {
  if (!answer.ok()) {
    Refused(answer.status(), "ticket", ticket_id);
    return false;
  }
  UpsertTicket(*answer);
  return true;
}

void ConsoleApp::SendComment(int64_t id, bool internal,
                             const std::string& body) {
  ticketpb::AddCommentRequest request;
  request.set_ticket_id(id);
  request.set_visibility(internal ? ticketpb::VISIBILITY_INTERNAL
                                  : ticketpb::VISIBILITY_PUBLIC);
  request.set_body(body);
  absl::StatusOr<ticketpb::Comment> comment =
      tickets_client_.AddComment(request);
  if (!comment.ok()) {
    Refused(comment.status(), "ticket", id);
    return;
  }
  status_ = internal ? "note added" : "reply sent";
}

void ConsoleApp::ChangeStatus(int64_t id, ticketpb::Status status) {
  ticketpb::ChangeTicketStatusRequest request;
  request.set_ticket_id(id);
  request.set_status(status);
  absl::StatusOr<ticketpb::Ticket> t =
      tickets_client_.ChangeTicketStatus(request);
  if (!Accepted(id, t)) return;
  status_ = absl::StrCat("status → ", StatusWord(t->status()));
}

void ConsoleApp::ChangePriority(int64_t id, ticketpb::Priority priority) {
  auto it = tickets_.find(id);
  if (it == tickets_.end()) return;
  ticketpb::UpdateTicketRequest request;
  request.mutable_ticket()->set_id(id);
  request.mutable_ticket()->set_priority(priority);
  request.mutable_update_mask()->add_paths("priority");
  request.set_etag(it->second.etag());
  absl::StatusOr<ticketpb::Ticket> t = tickets_client_.UpdateTicket(request);
  if (!Accepted(id, t)) return;
  status_ = absl::StrCat("priority → ", PriorityWord(t->priority()));
}

void ConsoleApp::Assign(int64_t id, const std::string& agent) {
  ticketpb::AssignTicketRequest request;
  request.set_ticket_id(id);
  request.set_assignee(agent);
  absl::StatusOr<ticketpb::Ticket> t = tickets_client_.AssignTicket(request);
  if (!Accepted(id, t)) return;
  status_ = agent == me_.agent_id
                ? absl::StrCat("#", id, " is yours")
                : absl::StrCat("#", id, " assigned to ", agent);
}

void ConsoleApp::EditTags(int64_t id, const std::string& edit) {
  auto it = tickets_.find(id);
  if (it == tickets_.end()) return;
  // The prompt starts with the current tags: what is typed is the new set,
  // with -tag removing.
  std::vector<std::string> none;
  absl::StatusOr<std::vector<std::string>> tags = ApplyTagEdit(none, edit);
  if (!tags.ok()) {
    status_ = std::string(tags.status().message());
    return;
  }
  ticketpb::UpdateTicketRequest request;
  request.mutable_ticket()->set_id(id);
  for (const std::string& tag : *tags) request.mutable_ticket()->add_tags(tag);
  request.mutable_update_mask()->add_paths("tags");
  request.set_etag(it->second.etag());
  absl::StatusOr<ticketpb::Ticket> t = tickets_client_.UpdateTicket(request);
  if (!Accepted(id, t)) return;
  status_ = absl::StrCat(
      "tags → ", t->tags().empty() ? "(none)" : absl::StrJoin(t->tags(), " "));
}

void ConsoleApp::Acknowledge(int64_t id) {
  // The newest notification about this ticket names its escalation.
  const escpb::Notification* latest = nullptr;
  for (const auto& [nid, n] : notifications_) {
    if (n.ticket_id() == id && n.escalation_id() != 0) latest = &n;
  }
  if (latest != nullptr) {
    AcknowledgeNotification(*latest);
    return;
  }
  escpb::ListEscalationsRequest request;
  request.set_ticket_id(id);
  absl::StatusOr<escpb::ListEscalationsResponse> list =
      escalation_client_.ListEscalations(request);
  if (!list.ok()) {
    Refused(list.status(), "escalation");
    return;
  }
  if (list->escalations().empty()) {
    status_ = absl::StrCat("ticket #", id, " has no escalation to acknowledge");
    return;
  }
  escpb::Notification n;
  n.set_ticket_id(id);
  // Newest first.
  n.set_escalation_id(list->escalations(0).escalation_id());
  AcknowledgeNotification(n);
}

void ConsoleApp::AcknowledgeNotification(const escpb::Notification& n) {
  if (n.escalation_id() == 0) {
    status_ = "this notification is not about an escalation";
    return;
  }
  escpb::AcknowledgeEscalationRequest request;
  request.set_escalation_id(n.escalation_id());
  absl::StatusOr<escpb::Escalation> e =
      escalation_client_.AcknowledgeEscalation(request);
  if (!e.ok()) {
    Refused(e.status(), "escalation");
    return;
  }
  status_ = absl::StrCat("escalation ", e->escalation_id(), " of ticket #",
                         e->ticket_id(), " acknowledged");
}

void ConsoleApp::Search(const std::string& text) {
  absl::StatusOr<SearchQuery> query = ParseSearchQuery(text, me_.agent_id);
  if (!query.ok()) {
    status_ = absl::StrCat("search: ", query.status().message());
    return;
  }
  // Let the server narrow what it can (closed tickets included), then
  // match the rest here.
  ticketpb::ListTicketsRequest filter;
  for (ticketpb::Status s : query->statuses) filter.add_statuses(s);
  filter.set_priority(query->priority);
  filter.set_kind(query->kind);
  filter.set_cx_level(query->cx_level);
  if (query->assignee.has_value()) {
    if (query->assignee->empty()) {
      filter.set_unassigned(true);
    } else {
      filter.set_assignee(*query->assignee);
    }
  }
  filter.set_team(query->team);
  filter.set_tag(query->tag);
  if (absl::Status s = LoadTickets(filter); !s.ok()) {
    Refused(s, "ticket");
    return;
  }
  search_text_ = text;
  search_ = *std::move(query);
  view_ = ListView::kSearch;
  selected_ = 0;
  int found = 0;
  for (const auto& [id, t] : tickets_) found += Matches(*search_, t) ? 1 : 0;
  status_ =
      absl::StrCat(found, found == 1 ? " ticket matches" : " tickets match");
}

}  // namespace cxdesk::clients::console
