#include "clients/console/console_app.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/cli/arg_parser.h"
#include "clients/cli/enum_words.h"
#include "services/common/grpc_stream_follower.h"
#include "services/common/proto_time.h"

namespace cxdesk::clients::console {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
namespace sla = ::cxdesk::sla::v1;
namespace esc = ::cxdesk::escalation::v1;

constexpr int kMaxTickets = 2000;
constexpr absl::Duration kTick = absl::Milliseconds(200);
// The SLA service applies a ticket's change a moment after the ticket
// service: read the clocks again shortly after the first read.
constexpr absl::Duration kSlaSettle = absl::Milliseconds(1500);

bool HasRunningClocks(v1::Status s) {
  return s == v1::STATUS_NEW || s == v1::STATUS_OPEN ||
         s == v1::STATUS_PENDING || s == v1::STATUS_ON_HOLD;
}

bool IsActive(v1::Status s) {
  return s != v1::STATUS_SOLVED && s != v1::STATUS_CLOSED;
}

std::string TimeText(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                          common::FromProtoTimestamp(ts), absl::UTCTimeZone());
}

// Splits `text` into lines of at most `width` characters (code points),
// breaking at spaces where it can; a paragraph's leading spaces indent each
// of its lines.
std::vector<std::string> Wrap(const std::string& text, int width) {
  std::vector<std::string> out;
  width = std::max(width, 10);
  for (absl::string_view para : absl::StrSplit(text, '\n')) {
    size_t indent_len = 0;
    while (indent_len < para.size() && para[indent_len] == ' ' &&
           static_cast<int>(indent_len) < width / 2) {
      ++indent_len;
    }
    const std::string indent(indent_len, ' ');
    para.remove_prefix(indent_len);
    const int room = width - static_cast<int>(indent_len);
    std::string line;
    int line_len = 0;
    auto flush = [&]() {
      out.push_back(indent + line);
      line.clear();
      line_len = 0;
    };
    for (absl::string_view word : absl::StrSplit(para, ' ')) {
      int len = 0;
      for (char c : word) len += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      while (len > room) {
        // A word longer than a line: cut it (bytes; rare and harmless).
        if (line_len > 0) flush();
        line = std::string(word.substr(0, static_cast<size_t>(room)));
        flush();
        word.remove_prefix(std::min(word.size(), static_cast<size_t>(room)));
        len -= room;
      }
      if (line_len > 0 && line_len + 1 + len > room) flush();
      if (line_len > 0) {
        line += ' ';
        ++line_len;
      }
      line += std::string(word);
      line_len += len;
    }
    flush();
  }
  return out;
}

Style UrgencyStyle(Urgency u) {
  switch (u) {
    case Urgency::kOk:
      return Style::kOk;
    case Urgency::kWarning:
      return Style::kWarning;
    case Urgency::kBreached:
      return Style::kBreached;
    case Urgency::kNone:
      break;
  }
  return Style::kNormal;
}

// Metrics for which `policy` has warnings at `priority`.
std::vector<sla::Metric> WarnedMetrics(const sla::Policy& policy,
                                       v1::Priority priority) {
  std::vector<sla::Metric> out;
  for (const sla::Target& t : policy.targets()) {
    if (t.priority() == priority && t.warnings_size() > 0) {
      out.push_back(t.metric());
    }
  }
  return out;
}

std::vector<cli::FlagSpec> ConsoleFlags() {
  return {
      {"target", "HOST:PORT",
       "the ticket service [env CXDESK_TICKET_ADDR, default 127.0.0.1:7101]"},
      {"sla-target", "HOST:PORT",
       "the SLA service [env CXDESK_SLA_TARGET, default 127.0.0.1:7102]"},
      {"escalation-target", "HOST:PORT",
       "the escalation service [env CXDESK_ESCALATION_TARGET, default "
       "127.0.0.1:7103]"},
      {"token", "TOKEN",
       "your agent or manager token; its subject is your agent id [env "
       "CXDESK_TOKEN]"},
      {"inline-editor", "",
       "write replies and notes on the bottom line even when $EDITOR is set"},
  };
}

}  // namespace

absl::StatusOr<ConsoleOptions> ParseConsoleArgs(
    const std::vector<std::string>& args,
    const std::function<std::optional<std::string>(const std::string&)>& getenv,
    bool* help) {
  cli::FlagParser parser;
  parser.AddAll(ConsoleFlags());
  cli::ParsedFlags flags;
  if (absl::Status parsed = parser.Parse(args, 0, false, &flags, nullptr);
      !parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(parsed.message(), " (see --help)"));
  }
  *help = flags.help;
  if (flags.help) return ConsoleOptions();
  if (!flags.positionals.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", flags.positionals[0],
                     "': cxdesk-console takes flags only (see --help)"));
  }
  auto pick = [&](absl::string_view flag, const std::string& var,
                  absl::string_view fallback) -> std::string {
    if (flags.Has(flag)) return flags.Get(flag);
    if (std::optional<std::string> value = getenv(var);
        value.has_value() && !value->empty()) {
      return *value;
    }
    return std::string(fallback);
  };
  ConsoleOptions options;
  options.ticket_target =
      pick("target", "CXDESK_TICKET_ADDR", "127.0.0.1:7101");
  options.sla_target =
      pick("sla-target", "CXDESK_SLA_TARGET", "127.0.0.1:7102");
  options.escalation_target =
      pick("escalation-target", "CXDESK_ESCALATION_TARGET", "127.0.0.1:7103");
  options.token = pick("token", "CXDESK_TOKEN", "");
  options.inline_editor = flags.Has("inline-editor");
  options.editor = pick("", "EDITOR", "");
  for (const auto& [flag, value] :
       {std::pair<const char*, const std::string*>{"--target",
                                                   &options.ticket_target},
        {"--sla-target", &options.sla_target},
        {"--escalation-target", &options.escalation_target}}) {
    if (value->empty() || value->find(':') == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, ": '", *value, "' is not HOST:PORT"));
    }
  }
  if (options.token.empty()) {
    return absl::UnauthenticatedError(
        "no token: pass --token or set CXDESK_TOKEN (cxdesk token issue "
        "--role agent --subject YOU makes one)");
  }
  return options;
}

std::string ConsoleUsage() {
  cli::FlagParser parser;
  parser.AddAll(ConsoleFlags());
  return absl::StrCat(
      "usage: cxdesk-console [--target HOST:PORT] [--sla-target HOST:PORT] "
      "[--escalation-target HOST:PORT] [--token TOKEN]\n\n"
      "The agent console: your tickets, your team's queue and the unassigned "
      "ones, live,\nsorted by the next SLA deadline. Press ? inside for the "
      "keys.\n\n",
      parser.Help());
}

// The two watch streams, each cancellable from Stop().
struct ConsoleApp::Followers {
  explicit Followers(const std::string& token)
      : tickets([token] { return token; }),
        notifications([token] { return token; }) {}
  common::GrpcStreamFollower tickets;
  common::GrpcStreamFollower notifications;
};

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
      escalation_client_(escalation),
      followers_(std::make_unique<Followers>(options_.token)) {}

ConsoleApp::~ConsoleApp() { Stop(); }

absl::Status ConsoleApp::Start() {
  // One call proves the token and the ticket service before the screen
  // opens. Its cursor, taken before the load, is where the watch starts:
  // what the load shows is not replayed, and nothing after it is missed.
  absl::StatusOr<v1::LatestEventCursor> latest =
      tickets_client_.GetLatestEventCursor({});
  if (!latest.ok()) return latest.status();
  watch_after_ = latest->cursor();
  v1::ListTicketsRequest all;
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

absl::Status ConsoleApp::LoadTickets(const v1::ListTicketsRequest& filter) {
  v1::ListTicketsRequest request = filter;
  request.set_page_size(500);
  int loaded = 0;
  while (loaded < kMaxTickets) {
    absl::StatusOr<v1::ListTicketsResponse> page =
        tickets_client_.ListTickets(request);
    if (!page.ok()) return page.status();
    for (const v1::Ticket& t : page->tickets()) {
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
  esc::GetAgentRequest get_agent;
  get_agent.set_agent_id(me_.agent_id);
  absl::StatusOr<esc::Agent> agent = escalation_client_.GetAgent(get_agent);
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
  esc::ListNotificationsRequest request;
  request.set_page_size(100);
  absl::StatusOr<esc::ListNotificationsResponse> page =
      escalation_client_.ListNotifications(request);
  if (!page.ok()) return;  // The stream fills them in once it connects.
  for (const esc::Notification& n : page->notifications()) {
    notifications_[n.notification_id()] = n;
  }
}

void ConsoleApp::UpsertTicket(const v1::Ticket& ticket) {
  auto it = tickets_.find(ticket.id());
  if (it == tickets_.end()) {
    tickets_.emplace(ticket.id(), ticket);
    return;
  }
  if (ticket.version() < it->second.version()) return;
  // Event snapshots lack the description and the customer's name.
  v1::Ticket merged = ticket;
  if (merged.description().empty()) {
    merged.set_description(it->second.description());
  }
  if (merged.customer().name().empty()) {
    merged.mutable_customer()->set_name(it->second.customer().name());
  }
  it->second = std::move(merged);
}

void ConsoleApp::RequestSla(int64_t ticket_id, absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  const absl::Time due = absl::Now() + delay;
  auto it = sla_due_.find(ticket_id);
  if (it == sla_due_.end() || due < it->second) sla_due_[ticket_id] = due;
}

void ConsoleApp::StartBackground() {
  threads_.emplace_back([this] { WatchTickets(); });
  threads_.emplace_back([this] { WatchNotifications(); });
  threads_.emplace_back([this] { SlaWorker(); });
}

void ConsoleApp::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  followers_->tickets.Cancel();
  followers_->notifications.Cancel();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

bool ConsoleApp::SleepUnlessStopping(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stopping_), d);
  return !stopping_;
}

namespace {

// Follows one live stream, from after `cursor`, until the console stops
// (`sleep_unless_stopping` returns false, `stopping()` is true):
// `open(context, after)` opens it after a cursor and each event is posted as
// `to_update(event)`. When the stream
// breaks, `lost(status)` is posted (unless nullopt), then it waits with
// backoff until `target` answers health checks, posts `back` and resumes
// after the last cursor.
template <typename Event>
void FollowLive(
    const std::string& target, common::GrpcStreamFollower& follower,
    std::string cursor, Inbox& inbox,
    const std::function<bool(absl::Duration)>& sleep_unless_stopping,
    const std::function<bool()>& stopping,
    const std::function<std::unique_ptr<grpc::ClientReaderInterface<Event>>(
        grpc::ClientContext*, const std::string& after)>& open,
    const std::function<Update(const Event&)>& to_update, const Update& back,
    const std::function<std::optional<Update>(const absl::Status&)>& lost) {
  bool failed = false;
  absl::Duration backoff = absl::Milliseconds(250);
  while (true) {
    if (failed) {
      // Wait for the service to answer again before reopening the stream.
      if (!CheckHealth(target, absl::Seconds(2)).ok()) {
        if (!sleep_unless_stopping(backoff)) return;
        backoff = std::min(backoff * 2, absl::Seconds(5));
        continue;
      }
      inbox.Post(back);
      failed = false;
      backoff = absl::Milliseconds(250);
    }
    std::function<std::unique_ptr<grpc::ClientReaderInterface<Event>>(
        grpc::ClientContext*)>
        open_after =
            [&](grpc::ClientContext* context) { return open(context, cursor); };
    std::function<Event(const Event&)> same = [](const Event& e) { return e; };
    std::function<bool(const Event&)> on_event = [&](const Event& e) {
      cursor = e.cursor();
      inbox.Post(to_update(e));
      return true;
    };
    const absl::Status status = follower.Follow(open_after, same, on_event);
    // CANCELLED is ours only when stopping; a server shutting down cancels
    // streams too, and then the console reconnects.
    if (stopping()) return;
    if (std::optional<Update> said = lost(status); said.has_value()) {
      inbox.Post(*std::move(said));
    }
    failed = true;
    if (!sleep_unless_stopping(backoff)) return;
  }
}

}  // namespace

void ConsoleApp::WatchTickets() {
  std::shared_ptr<v1::TicketService::Stub> stub =
      v1::TicketService::NewStub(grpc::CreateChannel(
          options_.ticket_target, grpc::InsecureChannelCredentials()));
  Update back;
  back.kind = Update::Kind::kReload;
  back.message = "ticket service restarted — reconnected";
  FollowLive<v1::TicketEvent>(
      options_.ticket_target, followers_->tickets, watch_after_, inbox_,
      [this](absl::Duration d) { return SleepUnlessStopping(d); },
      [this] {
        absl::MutexLock lock(&mu_);
        return stopping_;
      },
      [&](grpc::ClientContext* context, const std::string& after) {
        v1::WatchTicketEventsRequest request;
        request.set_after_cursor(after);
        return std::unique_ptr<grpc::ClientReaderInterface<v1::TicketEvent>>(
            stub->WatchTicketEvents(context, request));
      },
      [](const v1::TicketEvent& e) {
        Update u;
        u.kind = Update::Kind::kTicketEvent;
        u.event = e;
        return u;
      },
      back,
      [](const absl::Status& status) -> std::optional<Update> {
        Update u;
        u.kind = Update::Kind::kMessage;
        // A stream ends (UNAVAILABLE, CANCELLED, ...) when the service goes
        // away; only a refused token says something else.
        u.message = status.code() == absl::StatusCode::kUnauthenticated ||
                            status.code() == absl::StatusCode::kPermissionDenied
                        ? ErrorWords(status, "ticket")
                        : "ticket service unreachable, retrying";
        return u;
      });
}

void ConsoleApp::WatchNotifications() {
  std::shared_ptr<esc::EscalationService::Stub> stub =
      esc::EscalationService::NewStub(grpc::CreateChannel(
          options_.escalation_target, grpc::InsecureChannelCredentials()));
  Update back;
  back.kind = Update::Kind::kEscalationBack;
  back.message = "escalation service restarted — reconnected";
  FollowLive<esc::Notification>(
      options_.escalation_target, followers_->notifications, "", inbox_,
      [this](absl::Duration d) { return SleepUnlessStopping(d); },
      [this] {
        absl::MutexLock lock(&mu_);
        return stopping_;
      },
      [&](grpc::ClientContext* context, const std::string& after) {
        esc::WatchNotificationsRequest request;
        request.set_after_cursor(after);
        return std::unique_ptr<grpc::ClientReaderInterface<esc::Notification>>(
            stub->WatchNotifications(context, request));
      },
      [](const esc::Notification& n) {
        Update u;
        u.kind = Update::Kind::kNotification;
        u.notification = n;
        return u;
      },
      back,
      // Quietly: an agent without an escalation service still has tickets.
      [](const absl::Status&) -> std::optional<Update> {
        return std::nullopt;
      });
}

void ConsoleApp::SlaWorker() {
  bool unreachable = false;
  while (true) {
    int64_t id = 0;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      const absl::Time now = absl::Now();
      for (const auto& [ticket, due] : sla_due_) {
        if (due <= now) {
          id = ticket;
          break;
        }
      }
      if (id != 0) sla_due_.erase(id);
    }
    if (id == 0) {
      if (!SleepUnlessStopping(absl::Milliseconds(100))) return;
      continue;
    }
    sla::GetTicketSlaRequest request;
    request.set_ticket_id(id);
    Update u;
    u.kind = Update::Kind::kSla;
    u.ticket_id = id;
    u.sla = sla_client_.GetTicketSla(request);
    if (!u.sla.ok() &&
        (u.sla.status().code() == absl::StatusCode::kUnavailable ||
         u.sla.status().code() == absl::StatusCode::kDeadlineExceeded)) {
      // Try again later; say so once.
      if (!unreachable) {
        Update m;
        m.kind = Update::Kind::kMessage;
        m.message = ErrorWords(u.sla.status(), "SLA");
        inbox_.Post(std::move(m));
      }
      unreachable = true;
      RequestSla(id, absl::Seconds(3));
      continue;
    }
    if (unreachable) {
      Update m;
      m.kind = Update::Kind::kMessage;
      m.message = "SLA service reachable again";
      inbox_.Post(std::move(m));
      unreachable = false;
    }
    inbox_.Post(std::move(u));
  }
}

void ConsoleApp::ApplyUpdate(Update& u) {
  switch (u.kind) {
    case Update::Kind::kTicketEvent: {
      const v1::TicketEvent& e = u.event;
      UpsertTicket(e.after());
      if (e.ticket_id() == open_id_ && mode_ == Mode::kTicket) {
        // The stream also replays what the screen loaded: add only what
        // is new to it.
        if (history_.empty() ||
            e.ticket_version() > history_.back().ticket_version()) {
          history_.push_back(e);
        }
        if (e.type() == v1::EVENT_TYPE_COMMENT_ADDED &&
            std::none_of(comments_.begin(), comments_.end(),
                         [&e](const v1::Comment& c) {
                           return c.id() == e.comment().id();
                         })) {
          comments_.push_back(e.comment());
        }
      }
      int64_t& seen = seen_version_[e.ticket_id()];
      if (e.ticket_version() <= seen) return;  // Replayed: already known.
      seen = e.ticket_version();
      if (HasRunningClocks(e.after().status()) ||
          sla_.count(e.ticket_id()) > 0) {
        RequestSla(e.ticket_id(), absl::Milliseconds(300));
        RequestSla(e.ticket_id(), kSlaSettle);
      }
      if (e.type() == v1::EVENT_TYPE_CREATED && e.actor() != me_.agent_id &&
          e.ticket_id() > startup_max_id_) {
        status_ = absl::StrCat("new ticket #", e.ticket_id(), ": ",
                               e.after().subject());
      } else if (e.actor() != me_.agent_id && e.ticket_id() == open_id_ &&
                 mode_ == Mode::kTicket) {
        status_ = absl::StrCat(e.actor(), " changed this ticket (",
                               cli::EventTypeWord(e.type()), ")");
      }
      return;
    }
    case Update::Kind::kNotification: {
      const esc::Notification& n = u.notification;
      const bool fresh = notifications_.count(n.notification_id()) == 0;
      notifications_[n.notification_id()] = n;
      if (fresh && !n.read())
        status_ = absl::StrCat("notification: ", n.title());
      return;
    }
    case Update::Kind::kSla: {
      if (!u.sla.ok()) {
        // NOT_FOUND: the SLA service has not seen the ticket (yet).
        if (u.sla.status().code() == absl::StatusCode::kNotFound) {
          sla_.erase(u.ticket_id);
        }
        return;
      }
      const sla::TicketSla& s = *u.sla;
      std::vector<sla::Metric> warned;
      if (!s.policy_id().empty()) {
        auto pit = policies_.find(s.policy_id());
        if (pit == policies_.end()) {
          sla::GetPolicyRequest get;
          get.set_policy_id(s.policy_id());
          absl::StatusOr<sla::Policy> policy = sla_client_.GetPolicy(get);
          pit = policies_
                    .emplace(s.policy_id(),
                             policy.ok() ? std::optional<sla::Policy>(*policy)
                                         : std::nullopt)
                    .first;
        }
        auto tit = tickets_.find(u.ticket_id);
        if (pit->second.has_value() && tit != tickets_.end()) {
          warned = WarnedMetrics(*pit->second, tit->second.priority());
        }
      }
      sla_[u.ticket_id] = FromTicketSla(s, warned);
      if (u.ticket_id == open_id_) open_sla_ = s;
      return;
    }
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

// --- the views ---------------------------------------------------------------

bool ConsoleApp::InView(const v1::Ticket& t, ListView view) const {
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
  std::vector<v1::Ticket> shown;
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

void ConsoleApp::OpenTicket(int64_t id) {
  open_id_ = id;
  mode_ = Mode::kTicket;
  scroll_ = 0;
  ReloadTicket();
}

void ConsoleApp::ReloadTicket() {
  const int64_t id = open_id_;
  v1::GetTicketRequest get;
  get.set_ticket_id(id);
  absl::StatusOr<v1::Ticket> ticket = tickets_client_.GetTicket(get);
  if (!ticket.ok()) {
    Refused(ticket.status(), "ticket");
    return;
  }
  tickets_[id] = *ticket;
  comments_.clear();
  v1::ListCommentsRequest lc;
  lc.set_ticket_id(id);
  lc.set_page_size(500);
  while (true) {
    absl::StatusOr<v1::ListCommentsResponse> page =
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
  v1::ListTicketEventsRequest le;
  le.set_ticket_id(id);
  le.set_page_size(500);
  while (true) {
    absl::StatusOr<v1::ListTicketEventsResponse> page =
        tickets_client_.ListTicketEvents(le);
    if (!page.ok()) break;
    history_.insert(history_.end(), page->events().begin(),
                    page->events().end());
    if (page->next_page_token().empty()) break;
    le.set_page_token(page->next_page_token());
  }
  sla::GetTicketSlaRequest gs;
  gs.set_ticket_id(id);
  absl::StatusOr<sla::TicketSla> s = sla_client_.GetTicketSla(gs);
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

// --- keys --------------------------------------------------------------------

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
      if (absl::Status s = LoadTickets(v1::ListTicketsRequest()); !s.ok()) {
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

bool ConsoleApp::HandleActionKey(Screen& screen, int key, int64_t id) {
  auto it = tickets_.find(id);
  if (it == tickets_.end()) return false;
  const v1::Ticket& t = it->second;
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
        status_ = absl::StrCat("a ", cli::StatusWord(t.status()),
                               " ticket cannot change status");
        return true;
      }
      std::string label = "status →";
      for (size_t i = 0; i < status_choices_.size(); ++i) {
        absl::StrAppend(&label, " ", i + 1, " ",
                        cli::StatusWord(status_choices_[i]));
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

void ConsoleApp::HandleNotificationsKey(int key) {
  std::vector<esc::Notification> list;
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
      esc::MarkNotificationsReadRequest request;
      request.set_all(true);
      absl::StatusOr<esc::MarkNotificationsReadResponse> r =
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
      const esc::Notification& n = list[notif_selected_];
      esc::MarkNotificationsReadRequest request;
      request.add_notification_ids(n.notification_id());
      if (absl::StatusOr<esc::MarkNotificationsReadResponse> r =
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

void ConsoleApp::Compose(Screen& screen, PromptKind kind, int64_t id) {
  const bool internal = kind == PromptKind::kNote;
  if (!options_.inline_editor && !options_.editor.empty()) {
    absl::StatusOr<std::string> text = screen.RunEditor(
        options_.editor,
        absl::StrCat(internal ? "# Internal note" : "# Public reply",
                     " on ticket #", id,
                     ". Lines starting with # are dropped; an empty text "
                     "sends nothing.\n"));
    if (!text.ok()) {
      status_ = std::string(text.status().message());
      return;
    }
    std::string body;
    for (absl::string_view line : absl::StrSplit(*text, '\n')) {
      if (absl::StartsWith(line, "#")) continue;
      absl::StrAppend(&body, line, "\n");
    }
    absl::StripAsciiWhitespace(&body);
    if (body.empty()) {
      status_ = internal ? "note not sent (empty)" : "reply not sent (empty)";
      return;
    }
    SendComment(id, internal, body);
    return;
  }
  BeginPrompt(kind, id,
              internal ? "internal note (\\n for a new line)"
                       : "public reply (\\n for a new line)");
}

void ConsoleApp::BeginPrompt(PromptKind kind, int64_t id, std::string label,
                             std::string initial) {
  prompt_ = kind;
  prompt_ticket_ = id;
  prompt_label_ = std::move(label);
  prompt_text_ = std::move(initial);
}

void ConsoleApp::HandlePromptKey(int key) {
  if (key == kKeyEscape) {
    prompt_ = PromptKind::kNone;
    status_ = "cancelled";
    return;
  }
  if (prompt_ == PromptKind::kStatus || prompt_ == PromptKind::kPriority) {
    const PromptKind kind = prompt_;
    const int choice = key - '1';
    if (kind == PromptKind::kStatus) {
      if (choice < 0 || choice >= static_cast<int>(status_choices_.size())) {
        return;
      }
      prompt_ = PromptKind::kNone;
      ChangeStatus(prompt_ticket_, status_choices_[choice]);
    } else {
      if (choice < 0 || choice >= 4) return;
      prompt_ = PromptKind::kNone;
      ChangePriority(prompt_ticket_,
                     static_cast<v1::Priority>(v1::PRIORITY_LOW + choice));
    }
    return;
  }
  if (key == kKeyEnter) {
    const std::string text = prompt_text_;
    FinishPrompt(text);
    return;
  }
  if (key == kKeyBackspace || key == 127 || key == 8) {
    if (!prompt_text_.empty()) {
      // Drop a whole UTF-8 character.
      size_t n = prompt_text_.size() - 1;
      while (n > 0 &&
             (static_cast<unsigned char>(prompt_text_[n]) & 0xC0) == 0x80) {
        --n;
      }
      prompt_text_.resize(n);
    }
    return;
  }
  if (key >= 0x20 && key < 0x100 && key != 0x7f) {
    prompt_text_ += static_cast<char>(key);
  }
}

void ConsoleApp::FinishPrompt(const std::string& raw) {
  const PromptKind kind = prompt_;
  const int64_t id = prompt_ticket_;
  prompt_ = PromptKind::kNone;
  std::string text(absl::StripAsciiWhitespace(raw));
  switch (kind) {
    case PromptKind::kReply:
    case PromptKind::kNote: {
      if (text.empty()) {
        status_ = "nothing sent (empty)";
        return;
      }
      SendComment(id, kind == PromptKind::kNote,
                  absl::StrReplaceAll(text, {{"\\n", "\n"}}));
      return;
    }
    case PromptKind::kAssign:
      if (text.empty()) {
        status_ = "not assigned (no agent id)";
        return;
      }
      Assign(id, text);
      return;
    case PromptKind::kTags:
      EditTags(id, raw);
      return;
    case PromptKind::kSearch:
      Search(text);
      return;
    default:
      return;
  }
}

// --- actions -----------------------------------------------------------------

void ConsoleApp::Refused(const absl::Status& status, const char* service,
                         int64_t ticket_id) {
  const std::string words = ErrorWords(status, service);
  if (status.code() == absl::StatusCode::kAborted && ticket_id != 0) {
    // Someone else's change: show it, so that the next try starts from it.
    if (ticket_id == open_id_ && mode_ == Mode::kTicket) {
      ReloadTicket();
    } else {
      v1::GetTicketRequest get;
      get.set_ticket_id(ticket_id);
      if (absl::StatusOr<v1::Ticket> t = tickets_client_.GetTicket(get);
          t.ok()) {
        UpsertTicket(*t);
      }
    }
  }
  status_ = words;
}

void ConsoleApp::SendComment(int64_t id, bool internal,
                             const std::string& body) {
  v1::AddCommentRequest request;
  request.set_ticket_id(id);
  request.set_visibility(internal ? v1::VISIBILITY_INTERNAL
                                  : v1::VISIBILITY_PUBLIC);
  request.set_body(body);
  absl::StatusOr<v1::Comment> comment = tickets_client_.AddComment(request);
  if (!comment.ok()) {
    Refused(comment.status(), "ticket", id);
    return;
  }
  status_ = internal ? "note added" : "reply sent";
}

void ConsoleApp::ChangeStatus(int64_t id, v1::Status status) {
  v1::ChangeTicketStatusRequest request;
  request.set_ticket_id(id);
  request.set_status(status);
  absl::StatusOr<v1::Ticket> t = tickets_client_.ChangeTicketStatus(request);
  if (!t.ok()) {
    Refused(t.status(), "ticket", id);
    return;
  }
  UpsertTicket(*t);
  status_ = absl::StrCat("status → ", cli::StatusWord(t->status()));
}

void ConsoleApp::ChangePriority(int64_t id, v1::Priority priority) {
  auto it = tickets_.find(id);
  if (it == tickets_.end()) return;
  v1::UpdateTicketRequest request;
  request.mutable_ticket()->set_id(id);
  request.mutable_ticket()->set_priority(priority);
  request.mutable_update_mask()->add_paths("priority");
  request.set_etag(it->second.etag());
  absl::StatusOr<v1::Ticket> t = tickets_client_.UpdateTicket(request);
  if (!t.ok()) {
    Refused(t.status(), "ticket", id);
    return;
  }
  UpsertTicket(*t);
  status_ = absl::StrCat("priority → ", cli::PriorityWord(t->priority()));
}

void ConsoleApp::Assign(int64_t id, const std::string& agent) {
  v1::AssignTicketRequest request;
  request.set_ticket_id(id);
  request.set_assignee(agent);
  absl::StatusOr<v1::Ticket> t = tickets_client_.AssignTicket(request);
  if (!t.ok()) {
    Refused(t.status(), "ticket", id);
    return;
  }
  UpsertTicket(*t);
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
  v1::UpdateTicketRequest request;
  request.mutable_ticket()->set_id(id);
  for (const std::string& tag : *tags) request.mutable_ticket()->add_tags(tag);
  request.mutable_update_mask()->add_paths("tags");
  request.set_etag(it->second.etag());
  absl::StatusOr<v1::Ticket> t = tickets_client_.UpdateTicket(request);
  if (!t.ok()) {
    Refused(t.status(), "ticket", id);
    return;
  }
  UpsertTicket(*t);
  status_ = absl::StrCat(
      "tags → ", t->tags().empty() ? "(none)" : absl::StrJoin(t->tags(), " "));
}

void ConsoleApp::Acknowledge(int64_t id) {
  // The newest notification about this ticket names its escalation.
  const esc::Notification* latest = nullptr;
  for (const auto& [nid, n] : notifications_) {
    if (n.ticket_id() == id && n.escalation_id() != 0) latest = &n;
  }
  if (latest != nullptr) {
    AcknowledgeNotification(*latest);
    return;
  }
  esc::ListEscalationsRequest request;
  request.set_ticket_id(id);
  absl::StatusOr<esc::ListEscalationsResponse> list =
      escalation_client_.ListEscalations(request);
  if (!list.ok()) {
    Refused(list.status(), "escalation");
    return;
  }
  if (list->escalations().empty()) {
    status_ = absl::StrCat("ticket #", id, " has no escalation to acknowledge");
    return;
  }
  esc::Notification n;
  n.set_ticket_id(id);
  // Newest first.
  n.set_escalation_id(list->escalations(0).escalation_id());
  AcknowledgeNotification(n);
}

void ConsoleApp::AcknowledgeNotification(const esc::Notification& n) {
  if (n.escalation_id() == 0) {
    status_ = "this notification is not about an escalation";
    return;
  }
  esc::AcknowledgeEscalationRequest request;
  request.set_escalation_id(n.escalation_id());
  absl::StatusOr<esc::Escalation> e =
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
  v1::ListTicketsRequest filter;
  for (v1::Status s : query->statuses) filter.add_statuses(s);
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

// --- drawing -----------------------------------------------------------------

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

void ConsoleApp::DrawTicket(Screen& screen, absl::Time now) {
  const int w = screen.width();
  const int h = screen.height();
  auto it = tickets_.find(open_id_);
  if (it == tickets_.end()) {
    screen.Put(2, 1, "ticket not loaded (R reloads)", Style::kDim);
    return;
  }
  const v1::Ticket& t = it->second;
  std::vector<std::pair<std::string, Style>> lines;
  auto add = [&](const std::string& text, Style style) {
    for (std::string& l : Wrap(text, w - 1)) lines.emplace_back(l, style);
  };
  add(absl::StrCat("#", t.id(), " ", t.subject()), Style::kHeading);
  add(absl::StrCat("status ", cli::StatusWord(t.status()), "   priority ",
                   cli::PriorityWord(t.priority()), "   kind ",
                   cli::KindWord(t.kind()),
                   t.cx_level() != v1::CX_LEVEL_UNSPECIFIED
                       ? absl::StrCat(" (", cli::CxLevelWord(t.cx_level()), ")")
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
  // The SLA clocks, coloured like the list.
  auto sit = sla_.find(t.id());
  if (!open_sla_.has_value() || open_sla_->clocks().empty()) {
    add("SLA: no clocks", Style::kDim);
  } else {
    for (int i = 0; i < open_sla_->clocks_size(); ++i) {
      const sla::SlaClock& c = open_sla_->clocks(i);
      std::string text = absl::StrCat(
          "SLA ", cli::MetricWord(c.metric()), " #", c.cycle(), ": ",
          cli::ClockStateWord(c.state()), c.breached() ? ", breached" : "");
      Style style = Style::kNormal;
      if (c.has_deadline()) {
        absl::StrAppend(&text, ", due ", TimeText(c.deadline()));
        if (sit != sla_.end() &&
            i < static_cast<int>(sit->second.clocks.size())) {
          const ClockInfo& ci = sit->second.clocks[i];
          if (ci.state == sla::CLOCK_STATE_RUNNING) {
            absl::StrAppend(&text, " (", CountdownText(ci.deadline - now), ")");
            style = UrgencyStyle(UrgencyAt(ci, now));
          }
        }
      }
      add(text, style);
    }
  }
  lines.emplace_back("", Style::kNormal);
  add("Conversation", Style::kHeading);
  if (!t.description().empty()) {
    add(absl::StrCat("customer, ", TimeText(t.create_time()), ":"),
        Style::kDim);
    add(absl::StrCat("  ", t.description()), Style::kNormal);
  }
  for (const v1::Comment& c : comments_) {
    const bool internal = c.visibility() == v1::VISIBILITY_INTERNAL;
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
  for (const v1::TicketEvent& e : history_) {
    std::string what = cli::EventTypeWord(e.type());
    if (e.type() == v1::EVENT_TYPE_STATUS_CHANGED) {
      absl::StrAppend(&what, " ", cli::StatusWord(e.before().status()), " → ",
                      cli::StatusWord(e.after().status()));
      if (!e.reason().empty()) absl::StrAppend(&what, " (", e.reason(), ")");
    } else if (e.type() == v1::EVENT_TYPE_ASSIGNED) {
      absl::StrAppend(&what, " to ",
                      e.after().assignee().empty() ? "-" : e.after().assignee(),
                      e.after().team().empty() ? "" : " / " + e.after().team());
    } else if (e.type() == v1::EVENT_TYPE_COMMENT_ADDED) {
      absl::StrAppend(&what, " (",
                      cli::VisibilityWord(e.comment().visibility()), ")");
    }
    add(absl::StrCat(TimeText(e.create_time()), "  v", e.ticket_version(), " ",
                     e.actor(), ": ", what),
        Style::kNormal);
  }
  const int visible = std::max(h - 2, 1);
  const int max_scroll = std::max(static_cast<int>(lines.size()) - visible, 0);
  scroll_ = std::min(scroll_, max_scroll);
  for (int i = 0; i < visible && scroll_ + i < static_cast<int>(lines.size());
       ++i) {
    const auto& [text, style] = lines[scroll_ + i];
    screen.Put(1 + i, 0, Fit(text, w), style);
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
  std::vector<const esc::Notification*> list;
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
    const esc::Notification& n = *list[i];
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

void ConsoleApp::DrawBottom(Screen& screen) {
  const int w = screen.width();
  const int y = screen.height() - 1;
  if (prompt_ != PromptKind::kNone) {
    const bool choice =
        prompt_ == PromptKind::kStatus || prompt_ == PromptKind::kPriority;
    std::string line = choice ? absl::StrCat(prompt_label_, "  (Esc cancels)")
                              : absl::StrCat(prompt_label_, ": ", prompt_text_);
    // Show the end of a long input.
    int len = 0;
    for (char c : line) len += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (len >= w) {
      line = line.substr(line.size() - static_cast<size_t>(w - 2));
    }
    screen.Put(y, 0, Fit(choice ? line : line + "_", w), Style::kStatus);
    return;
  }
  // The bottom-right cell stays empty (curses would scroll).
  const std::string hint = "  ? help  q quit ";
  std::string text = status_;
  screen.Put(y, 0, Fit(text, std::max(w - static_cast<int>(hint.size()), 1)),
             Style::kStatus);
  if (w > static_cast<int>(hint.size()) + 10) {
    screen.Put(y, w - static_cast<int>(hint.size()), hint, Style::kDim);
  }
}

}  // namespace cxdesk::clients::console
