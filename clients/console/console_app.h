#ifndef CXDESK_CLIENTS_CONSOLE_CONSOLE_APP_H_
#define CXDESK_CLIENTS_CONSOLE_CONSOLE_APP_H_

// The agent console's state machine: views, keys, actions on the services
// and the live updates of the watch streams. It draws through the Screen
// interface, so nothing here includes curses.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clients/console/console_model.h"
#include "clients/console/console_options.h"
#include "clients/console/screen.h"
#include "clients/lib/escalation_client.h"
#include "clients/lib/live_feed.h"
#include "clients/lib/sla_client.h"
#include "clients/lib/ticket_client.h"

namespace cxdesk::clients::console {

// What the watch threads and the SLA worker hand to the UI loop.
struct Update {
  enum class Kind {
    kTicketEvent,
    kNotification,
    kSla,
    kMessage,
    kReload,          // the ticket stream is back after an outage
    kEscalationBack,  // the notification stream is back after an outage
  };
  Kind kind = Kind::kMessage;
  ticket::v1::TicketEvent event;
  escalation::v1::Notification notification;
  int64_t ticket_id = 0;
  absl::StatusOr<sla::v1::TicketSla> sla = absl::UnknownError("unset");
  std::string message;
};

// A mutex-protected queue from background threads to the UI loop.
// Thread-safe.
class Inbox {
 public:
  // Appends `update`.
  void Post(Update update);
  // Everything posted so far, oldest first; the queue is then empty.
  std::deque<Update> TakeAll();

 private:
  absl::Mutex mu_;
  std::deque<Update> updates_ ABSL_GUARDED_BY(mu_);
};

// The console itself. One thread (the UI's) calls it; only inbox() may be
// used from others. The live feeds and the SLA worker run on threads of
// their own and reach the UI state only through the inbox.
// Implemented by concern: console_app.cc (loading, updates, the loop),
// console_list_view.cc, console_ticket_view.cc, console_actions.cc,
// console_prompt.cc (prompts and the status line), console_feeds.cc.
class ConsoleApp {
 public:
  enum class ListView { kMine, kTeam, kUnassigned, kSearch };

  // The clients must outlive the app. The live feeds watch through
  // `tickets` and `escalation` and check the health of the targets in
  // `options` while they are down.
  ConsoleApp(ConsoleOptions options, Identity me, TicketClient& tickets,
             SlaClient& sla, EscalationClient& escalation);
  ~ConsoleApp();
  ConsoleApp(const ConsoleApp&) = delete;
  ConsoleApp& operator=(const ConsoleApp&) = delete;

  // Checks the token and the ticket service with one call and loads the
  // agent's teams and the tickets: UNAUTHENTICATED / PERMISSION_DENIED /
  // UNAVAILABLE as the services answer, before any drawing.
  absl::Status Start();

  // Starts the live feeds (ticket events after the cursor Start() took,
  // and notifications) and the SLA worker, each on its own thread. Once.
  void StartBackground();

  // Runs the UI loop until the agent quits.
  void Run(Screen& screen);

  // One step, for tests: applies posted updates, handles `key` (kNoKey for
  // none), draws. Returns false once the agent has quit.
  bool Step(Screen& screen, int key, absl::Time now);

  // Stops and joins the background threads. Idempotent.
  void Stop();

  // For tests and the status line.
  const std::string& status_line() const { return status_; }
  Inbox& inbox() { return inbox_; }

 private:
  enum class Mode { kList, kTicket, kNotifications, kHelp };
  enum class PromptKind {
    kNone,
    kReply,
    kNote,
    kAssign,
    kTags,
    kSearch,
    kStatus,
    kPriority
  };

  // Loading.
  absl::Status LoadTickets(const ticket::v1::ListTicketsRequest& filter);
  void LoadTeams();
  void LoadNotifications();
  void RequestSla(int64_t ticket_id, absl::Duration delay);
  void ApplyUpdate(Update& update);
  // A streamed event: the ticket, the open screen's history and comments,
  // the SLA to read again and the status line (new tickets, others'
  // changes to the open one); a replayed event changes only the ticket.
  void ApplyTicketEvent(const ticket::v1::TicketEvent& event);
  // The SLA service's answer for `ticket_id`: its clocks (coloured by the
  // policy's warnings, read once per policy), or forgotten on NOT_FOUND.
  void ApplySla(int64_t ticket_id,
                const absl::StatusOr<sla::v1::TicketSla>& answer);
  void UpsertTicket(const ticket::v1::Ticket& ticket);
  void OpenTicket(int64_t id);
  void ReloadTicket();

  // Keys.
  void HandleKey(Screen& screen, int key);
  void HandleListKey(Screen& screen, int key);
  void HandleTicketKey(Screen& screen, int key);
  void HandleNotificationsKey(int key);
  void HandlePromptKey(int key);
  bool HandleActionKey(Screen& screen, int key, int64_t ticket_id);
  void BeginPrompt(PromptKind kind, int64_t ticket_id, std::string label,
                   std::string initial = "");
  void FinishPrompt(const std::string& text);
  void Compose(Screen& screen, PromptKind kind, int64_t ticket_id);

  // Actions.
  void SendComment(int64_t ticket_id, bool internal, const std::string& body);
  void ChangeStatus(int64_t ticket_id, ticket::v1::Status status);
  void ChangePriority(int64_t ticket_id, ticket::v1::Priority priority);
  void Assign(int64_t ticket_id, const std::string& agent);
  void EditTags(int64_t ticket_id, const std::string& edit);
  void Acknowledge(int64_t ticket_id);
  void AcknowledgeNotification(const escalation::v1::Notification& n);
  void Search(const std::string& text);
  // Shows `status` in plain words; an ABORTED change to `ticket_id`
  // reloads that ticket first.
  void Refused(const absl::Status& status, const char* service,
               int64_t ticket_id = 0);
  // The service's answer to a change of ticket `ticket_id`: the ticket is
  // kept and true returned, or the refusal shown (Refused) and false.
  bool Accepted(int64_t ticket_id,
                const absl::StatusOr<ticket::v1::Ticket>& answer);

  // Drawing.
  void Draw(Screen& screen, absl::Time now);
  void DrawTop(Screen& screen, absl::Time now);
  void DrawList(Screen& screen, absl::Time now);
  void DrawTicket(Screen& screen, absl::Time now);
  // Adds a line of the ticket screen (wrapped to the screen's width).
  using AddLine = std::function<void(const std::string& text, Style style)>;
  // The SLA clock lines of ticket `t` (the open one) at `now`, coloured like
  // the list.
  void AddSlaLines(const ticket::v1::Ticket& t, absl::Time now,
                   const AddLine& add) const;
  // The lines of the open ticket's history, one per event.
  void AddHistoryLines(const AddLine& add) const;
  void DrawNotifications(Screen& screen);
  void DrawHelp(Screen& screen);
  void DrawBottom(Screen& screen);
  std::vector<Row> CurrentRows(absl::Time now) const;
  bool InView(const ticket::v1::Ticket& t, ListView view) const;
  int UnreadCount() const;

  // Background.
  // The hooks of the feeds: each message, break and return posted to the
  // inbox as an Update.
  LiveFeedHooks TicketFeedHooks();
  LiveFeedHooks NotificationFeedHooks();
  // Reads the SLA of each ticket RequestSla asked for, when due, until
  // Stop().
  void SlaWorker();
  // Waits `d` unless stopping; false once stopping.
  bool SleepUnlessStopping(absl::Duration d);

  const ConsoleOptions options_;
  const Identity me_;
  TicketClient& tickets_client_;
  SlaClient& sla_client_;
  EscalationClient& escalation_client_;
  Inbox inbox_;

  // Where the ticket stream is watched from: the latest event when Start()
  // loaded the tickets (set before the watch threads start).
  std::string watch_after_;

  // UI state (UI thread only).
  std::vector<std::string> teams_;
  std::map<int64_t, ticket::v1::Ticket> tickets_;
  std::map<int64_t, TicketSlaInfo> sla_;
  // Per ticket, the newest version seen (loaded or streamed): a streamed
  // event at or below it is a replay and triggers nothing.
  std::map<int64_t, int64_t> seen_version_;
  int64_t startup_max_id_ = 0;
  std::map<std::string, std::optional<sla::v1::Policy>> policies_;
  std::map<int64_t, escalation::v1::Notification> notifications_;
  Mode mode_ = Mode::kList;
  Mode before_help_ = Mode::kList;
  ListView view_ = ListView::kMine;
  int selected_ = 0;
  int64_t selected_id_ = 0;
  int notif_selected_ = 0;
  std::string search_text_;
  std::optional<SearchQuery> search_;
  // The ticket screen.
  int64_t open_id_ = 0;
  std::vector<ticket::v1::Comment> comments_;
  std::vector<ticket::v1::TicketEvent> history_;
  std::optional<sla::v1::TicketSla> open_sla_;
  int scroll_ = 0;
  // The prompt line.
  PromptKind prompt_ = PromptKind::kNone;
  std::string prompt_label_;
  std::string prompt_text_;
  int64_t prompt_ticket_ = 0;
  std::vector<ticket::v1::Status> status_choices_;
  std::string status_;
  bool quit_ = false;

  // Background state.
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::map<int64_t, absl::Time> sla_due_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
  // Set by StartBackground (UI thread), stopped by Stop().
  std::unique_ptr<LiveFeed> ticket_feed_;
  std::unique_ptr<LiveFeed> notification_feed_;
};

}  // namespace cxdesk::clients::console

#endif  // CXDESK_CLIENTS_CONSOLE_CONSOLE_APP_H_
