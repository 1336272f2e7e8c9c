#include "clients/console/console_app.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/common/enum_words.h"

namespace cxdesk::clients::console {
namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;
namespace escpb = ::cxdesk::escalation::v1;

namespace {

constexpr int kMaxTickets = 2000;
constexpr absl::Duration kTick = absl::Milliseconds(200);
// The SLA service applies a ticket's change a moment after the ticket
// service: read the clocks again shortly after the first read.
constexpr absl::Duration kSlaSettle = absl::Milliseconds(1500);

// Metrics for which `policy` has warnings at `priority`.
std::vector<slapb::Metric> WarnedMetrics(const slapb::Policy& policy,
                                         ticketpb::Priority priority) {
  std::vector<slapb::Metric> out;
  for (const slapb::Target& t : policy.targets()) {
    if (t.priority() == priority && t.warnings_size() > 0) {
      out.push_back(t.metric());
    }
  }
  return out;
}

}  // namespace

void Inbox::Post(Update update) {
  absl::MutexLock lock(&mu_);
  updates_.push_back(std::move(update));
}

std::deque<Update> Inbox::TakeAll() {
  absl::MutexLock lock(&mu_);
  std::deque<Update> out;
  out.swap(updates_);
  return out;
}

ConsoleApp::ConsoleApp(ConsoleOptions options, Identity me,
                       TicketClient& tickets, SlaClient& sla,
                       EscalationClient& escalation)
    : options_(std::move(options)),
      me_(std::move(me)),
      tickets_client_(tickets),
      sla_client_(sla),
      escalation_client_(escalation) {}

ConsoleApp::~ConsoleApp() { Stop(); }

absl::Status ConsoleApp::Start() {
  // One call proves the token and the ticket service before the screen
  // opens. Its cursor, taken before the load, is where the watch starts:
  // what the load shows is not replayed, and nothing after it is missed.
  absl::StatusOr<ticketpb::LatestEventCursor> latest =
      tickets_client_.GetLatestEventCursor({});
  if (!latest.ok()) return latest.status();
  watch_after_ = latest->cursor();
  ticketpb::ListTicketsRequest all;
  absl::Status loaded = LoadTickets(all);
  if (!loaded.ok()) return loaded;
  // Ticket ids grow: anything at or below the newest loaded one is not
  // news, even when the stream replays a ticket the load left out.
  if (!tickets_.empty()) startup_max_id_ = tickets_.rbegin()->first;
  LoadTeams();
  LoadNotifications();
  for (const auto& [id, t] : tickets_) {
    if (HasRunningClocks(t.status())) RequestSla(id, absl::ZeroDuration());
  }
  if (status_.empty()) {
    status_ = absl::StrCat(
        "signed in as ", me_.agent_id, " (", me_.role, "); ", tickets_.size(),
        tickets_.size() == 1 ? " ticket" : " tickets", " loaded");
  }
  return absl::OkStatus();
}

absl::Status ConsoleApp::LoadTickets(
    const ticketpb::ListTicketsRequest& filter) {
  ticketpb::ListTicketsRequest request = filter;
  request.set_page_size(500);
  int loaded = 0;
  while (loaded < kMaxTickets) {
    absl::StatusOr<ticketpb::ListTicketsResponse> page =
        tickets_client_.ListTickets(request);
    if (!page.ok()) return page.status();
    for (const ticketpb::Ticket& t : page->tickets()) {
      UpsertTicket(t);
      int64_t& seen = seen_version_[t.id()];
      seen = std::max(seen, t.version());
      ++loaded;
    }
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  return absl::OkStatus();
}

void ConsoleApp::LoadTeams() {
  escpb::GetAgentRequest get_agent;
  get_agent.set_agent_id(me_.agent_id);
  absl::StatusOr<escpb::Agent> agent = escalation_client_.GetAgent(get_agent);
  if (agent.ok()) {
    teams_.assign(agent->team_ids().begin(), agent->team_ids().end());
  } else if (agent.status().code() == absl::StatusCode::kNotFound) {
    status_ = absl::StrCat("you are not in the agent directory (", me_.agent_id,
                           "): no team queue");
  } else {
    status_ = absl::StrCat("teams unknown: ",
                           ErrorWords(agent.status(), "escalation"));
  }
}

void ConsoleApp::LoadNotifications() {
  escpb::ListNotificationsRequest request;
  request.set_page_size(100);
  absl::StatusOr<escpb::ListNotificationsResponse> page =
      escalation_client_.ListNotifications(request);
  if (!page.ok()) return;  // The stream fills them in once it connects.
  for (const escpb::Notification& n : page->notifications()) {
    notifications_[n.notification_id()] = n;
  }
}

void ConsoleApp::UpsertTicket(const ticketpb::Ticket& ticket) {
  auto it = tickets_.find(ticket.id());
  if (it == tickets_.end()) {
    tickets_.emplace(ticket.id(), ticket);
    return;
  }
  if (ticket.version() < it->second.version()) return;
  // Event snapshots lack the description and the customer's name.
  ticketpb::Ticket merged = ticket;
  if (merged.description().empty()) {
    merged.set_description(it->second.description());
  }
  if (merged.customer().name().empty()) {
    merged.mutable_customer()->set_name(it->second.customer().name());
  }
  it->second = std::move(merged);
}

void ConsoleApp::ApplyUpdate(Update& u) {
  switch (u.kind) {
    case Update::Kind::kTicketEvent:
      ApplyTicketEvent(u.event);
      return;
    case Update::Kind::kNotification: {
      const escpb::Notification& n = u.notification;
      const bool fresh = notifications_.count(n.notification_id()) == 0;
      notifications_[n.notification_id()] = n;
      if (fresh && !n.read())
        status_ = absl::StrCat("notification: ", n.title());
      return;
    }
    case Update::Kind::kSla:
      ApplySla(u.ticket_id, u.sla);
      return;
    case Update::Kind::kReload:
      status_ = u.message;
      // Whatever the stream missed while down comes with the resumed
      // stream; the clocks may have moved meanwhile.
      for (const auto& [id, t] : tickets_) {
        if (HasRunningClocks(t.status())) RequestSla(id, absl::ZeroDuration());
      }
      return;
    case Update::Kind::kEscalationBack:
      status_ = u.message;
      // It may have been down at start: the teams and notifications too.
      if (teams_.empty()) LoadTeams();
      LoadNotifications();
      return;
    case Update::Kind::kMessage:
      status_ = u.message;
      return;
  }
}

void ConsoleApp::ApplyTicketEvent(const ticketpb::TicketEvent& e) {
  UpsertTicket(e.after());
  if (e.ticket_id() == open_id_ && mode_ == Mode::kTicket) {
    // The stream also replays what the screen loaded: add only what
    // is new to it.
    if (history_.empty() ||
        e.ticket_version() > history_.back().ticket_version()) {
      history_.push_back(e);
    }
    if (e.type() == ticketpb::EVENT_TYPE_COMMENT_ADDED &&
        std::none_of(comments_.begin(), comments_.end(),
                     [&e](const ticketpb::Comment& c) {
                       return c.id() == e.comment().id();
                     })) {
      comments_.push_back(e.comment());
    }
  }
  int64_t& seen = seen_version_[e.ticket_id()];
  if (e.ticket_version() <= seen) return;  // Replayed: already known.
  seen = e.ticket_version();
  if (HasRunningClocks(e.after().status()) || sla_.count(e.ticket_id()) > 0) {
    RequestSla(e.ticket_id(), absl::Milliseconds(300));
    RequestSla(e.ticket_id(), kSlaSettle);
  }
  if (e.type() == ticketpb::EVENT_TYPE_CREATED && e.actor() != me_.agent_id &&
      e.ticket_id() > startup_max_id_) {
    status_ =
        absl::StrCat("new ticket #", e.ticket_id(), ": ", e.after().subject());
  } else if (e.actor() != me_.agent_id && e.ticket_id() == open_id_ &&
             mode_ == Mode::kTicket) {
    status_ = absl::StrCat(e.actor(), " changed this ticket (",
                           EventTypeWord(e.type()), ")");
  }
}

void ConsoleApp::ApplySla(int64_t ticket_id,
                          const absl::StatusOr<slapb::TicketSla>& answer) {
  if (!answer.ok()) {
    // NOT_FOUND: the SLA service has not seen the ticket (yet).
    if (answer.status().code() == absl::StatusCode::kNotFound) {
      sla_.erase(ticket_id);
    }
    return;
  }
  const slapb::TicketSla& s = *answer;
  std::vector<slapb::Metric> warned;
  if (!s.policy_id().empty()) {
    auto pit = policies_.find(s.policy_id());
    if (pit == policies_.end()) {
      slapb::GetPolicyRequest get;
      get.set_policy_id(s.policy_id());
      absl::StatusOr<slapb::Policy> policy = sla_client_.GetPolicy(get);
      pit = policies_
                .emplace(s.policy_id(),
                         policy.ok() ? std::optional<slapb::Policy>(*policy)
                                     : std::nullopt)
                .first;
    }
    auto tit = tickets_.find(ticket_id);
    if (pit->second.has_value() && tit != tickets_.end()) {
      warned = WarnedMetrics(*pit->second, tit->second.priority());
    }
  }
  sla_[ticket_id] = FromTicketSla(s, warned);
  if (ticket_id == open_id_) open_sla_ = s;
}

bool ConsoleApp::Step(Screen& screen, int key, absl::Time now) {
  for (Update& u : inbox_.TakeAll()) ApplyUpdate(u);
  if (key != kNoKey) HandleKey(screen, key);
  if (quit_) return false;
  Draw(screen, now);
  return true;
}

void ConsoleApp::Run(Screen& screen) {
  Draw(screen, absl::Now());
  while (true) {
    const int key = screen.ReadKey(kTick);
    if (!Step(screen, key, absl::Now())) return;
  }
}

void ConsoleApp::HandleKey(Screen& screen, int key) {
  if (key == kKeyResize) return;  // The next frame uses the new size.
  if (key == kKeyQuit) {
    quit_ = true;
    return;
  }
  if (prompt_ != PromptKind::kNone) {
    HandlePromptKey(key);
    return;
  }
  if (key == '?') {
    if (mode_ != Mode::kHelp) before_help_ = mode_;
    mode_ = mode_ == Mode::kHelp ? before_help_ : Mode::kHelp;
    return;
  }
  switch (mode_) {
    case Mode::kHelp:
      if (key == 'q' || key == kKeyEscape || key == kKeyEnter) {
        mode_ = before_help_;
      }
      return;
    case Mode::kList:
      HandleListKey(screen, key);
      return;
    case Mode::kTicket:
      HandleTicketKey(screen, key);
      return;
    case Mode::kNotifications:
      HandleNotificationsKey(key);
      return;
  }
}

void ConsoleApp::Draw(Screen& screen, absl::Time now) {
  screen.Clear();
  DrawTop(screen, now);
  switch (mode_) {
    case Mode::kList:
      DrawList(screen, now);
      break;
    case Mode::kTicket:
      DrawTicket(screen, now);
      break;
    case Mode::kNotifications:
      DrawNotifications(screen);
      break;
    case Mode::kHelp:
      DrawHelp(screen);
      break;
  }
  DrawBottom(screen);
  screen.Show();
}

}  // namespace cxdesk::clients::console
