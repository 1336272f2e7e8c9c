#include "clients/cli/commands.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <map>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "clients/cli/arg_parser.h"
#include "clients/cli/breach_causes.h"
#include "clients/cli/config_file.h"
#include "clients/cli/enum_words.h"
#include "clients/cli/output.h"
#include "clients/cli/report_html.h"
#include "clients/cli/requests.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/struct.pb.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/common/token.h"

namespace cxdesk::clients::cli {
namespace {

namespace v1 = ::cxdesk::ticket::v1;
namespace sla = ::cxdesk::sla::v1;
namespace esc = ::cxdesk::escalation::v1;
namespace audit = ::cxdesk::audit::v1;

constexpr char kDefaultTarget[] = "127.0.0.1:7101";
constexpr char kDefaultSlaTarget[] = "127.0.0.1:7102";
constexpr char kDefaultEscalationTarget[] = "127.0.0.1:7103";

// Payloads that tell RunCli how to report an error: a usage error (exit 2)
// or an error from the service (exit 1, explained by DescribeError). Any
// other error is the environment's (exit 1, message as is).
constexpr absl::string_view kUsagePayload = "type.cxdesk.dev/cli.usage";
constexpr absl::string_view kServerPayload = "type.cxdesk.dev/cli.server";

absl::Status Tagged(absl::Status status, absl::string_view payload) {
  if (!status.ok()) status.SetPayload(payload, absl::Cord("1"));
  return status;
}

absl::Status UsageError(absl::string_view message) {
  return Tagged(absl::InvalidArgumentError(message), kUsagePayload);
}

absl::Status AsUsage(absl::Status status) {
  return Tagged(std::move(status), kUsagePayload);
}

template <typename T>
absl::StatusOr<T> AsUsage(absl::StatusOr<T> result) {
  if (!result.ok()) return AsUsage(result.status());
  return result;
}

absl::Status FromServer(absl::Status status) {
  return Tagged(std::move(status), kServerPayload);
}

template <typename T>
absl::StatusOr<T> FromServer(absl::StatusOr<T> result) {
  if (!result.ok()) return FromServer(result.status());
  return result;
}

// An argument as it may be echoed in an error: a misplaced token is not.
std::string Shown(absl::string_view arg) {
  if (absl::StartsWith(arg, "cxd1.")) return "<a token, not shown>";
  return std::string(arg);
}

struct GlobalOptions {
  std::string target;
  std::string sla_target;
  std::string escalation_target;
  std::string token;
  std::string access_key;
  std::string token_secret_file;
  bool json = false;
  absl::Duration timeout = TicketClient::kDefaultTimeout;
};

class Invocation;
using Handler = absl::Status (*)(Invocation&);

// The service a command talks to: its target and how its errors are told.
enum class Service { kTicket, kSla, kEscalation };

// One command: its name ("ticket create"), positional arguments, flags,
// handler and service.
struct CommandSpec {
  std::string name;
  std::string args;  // Synopsis of the positional arguments, e.g. "ID".
  int min_args = 0;
  int max_args = 0;
  std::string summary;
  std::vector<FlagSpec> flags;
  Handler run = nullptr;
  Service service = Service::kTicket;
};

// The state of one run of one command.
class Invocation {
 public:
  Invocation(const CliEnvironment& env, const CommandSpec& command,
             ParsedFlags flags, GlobalOptions global)
      : env_(env),
        command_(command),
        flags_(std::move(flags)),
        global_(std::move(global)) {}

  const CliEnvironment& env() const { return env_; }
  const CommandSpec& command() const { return command_; }
  const ParsedFlags& flags() const { return flags_; }
  const GlobalOptions& global() const { return global_; }
  const std::string& arg(size_t i) const { return flags_.positionals[i]; }
  std::ostream& out() { return *env_.out; }
  OutputContext output() const { return {env_.tz, env_.now()}; }

  // The client, made on first use.
  TicketClient& client() {
    if (client_ == nullptr) {
      client_ = env_.connect(
          global_.target, {global_.token, global_.access_key}, global_.timeout);
    }
    return *client_;
  }

  // The SLA service client, made on first use. It carries the staff token
  // only: an access key is a secret for the ticket service.
  SlaClient& sla() {
    if (sla_client_ == nullptr) {
      sla_client_ = env_.connect_sla(global_.sla_target, {global_.token, ""},
                                     global_.timeout);
    }
    return *sla_client_;
  }

  // The escalation service client, made on first use; the staff token only,
  // as for the SLA service.
  EscalationClient& escalation() {
    if (escalation_client_ == nullptr) {
      escalation_client_ = env_.connect_escalation(
          global_.escalation_target, {global_.token, ""}, global_.timeout);
    }
    return *escalation_client_;
  }

  // Prints `message` as one line of JSON.
  absl::Status PrintJson(const google::protobuf::Message& message) {
    CXDESK_ASSIGN_OR_RETURN(std::string json, ToJson(message));
    out() << json << "\n";
    return absl::OkStatus();
  }

  // The ticket number in positional argument `i`.
  absl::StatusOr<int64_t> TicketId(size_t i = 0) const {
    return AsUsage(ParseTicketId("ID", flags_.positionals[i]));
  }

  // The value of --body, or standard input for "-".
  std::string Body() const {
    std::string body = flags_.Get("body");
    if (body == "-" && env_.in != nullptr) {
      body.assign(std::istreambuf_iterator<char>(*env_.in),
                  std::istreambuf_iterator<char>());
      absl::StripTrailingAsciiWhitespace(&body);
    }
    return body;
  }

  // The contents of the file `name` (relative to the working directory), or
  // of standard input for "-". A usage error naming --file if it cannot be
  // read.
  absl::StatusOr<std::string> ReadFile(
      const std::string& name, absl::string_view flag = "--file") const {
    std::string text;
    if (name == "-") {
      if (env_.in != nullptr) {
        text.assign(std::istreambuf_iterator<char>(*env_.in),
                    std::istreambuf_iterator<char>());
      }
      return text;
    }
    std::filesystem::path path(name);
    if (path.is_relative()) path = std::filesystem::path(env_.cwd) / path;
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    if (!in || std::filesystem::is_directory(path, ec)) {
      return UsageError(absl::StrCat(flag, " ", name, ": cannot be read (",
                                     std::filesystem::exists(path, ec)
                                         ? "no permission, or a folder"
                                         : "no such file",
                                     ")"));
    }
    text.assign(std::istreambuf_iterator<char>(in),
                std::istreambuf_iterator<char>());
    return text;
  }

 private:
  const CliEnvironment& env_;
  const CommandSpec& command_;
  ParsedFlags flags_;
  GlobalOptions global_;
  std::unique_ptr<TicketClient> client_;
  std::unique_ptr<SlaClient> sla_client_;
  std::unique_ptr<EscalationClient> escalation_client_;
};

// --- token issue, health ---------------------------------------------------

absl::Status RunTokenIssue(Invocation& inv) {
  absl::StatusOr<common::StaffRole> role =
      common::ParseStaffRole(inv.flags().Get("role"));
  if (!role.ok()) {
    return UsageError(absl::StrCat("--role: '", inv.flags().Get("role"),
                                   "' is not one of agent, manager, service"));
  }
  const std::string subject = inv.flags().Get("subject");
  if (!common::IsValidSubject(subject)) {
    return UsageError(
        absl::StrCat("--subject: '", subject,
                     "' must be 1..64 characters of letters, digits, _ . @ -"));
  }
  CXDESK_ASSIGN_OR_RETURN(
      absl::Duration ttl,
      AsUsage(ParseDurationFlag("--ttl", inv.flags().Get("ttl", "720h"))));
  std::string path = inv.global().token_secret_file;
  if (path.empty()) path = FindTokenSecretFile(inv.env().cwd);
  if (path.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no token secret: pass --token-secret-file or set "
        "CXDESK_TOKEN_SECRET_FILE (no .cxdesk/ folder in ",
        inv.env().cwd, " or above it; ./deploy/up.sh creates one)"));
  }
  CXDESK_ASSIGN_OR_RETURN(std::string secret, common::ReadSecretFile(path));
  common::TokenClaims claims{subject, *role, inv.env().now() + ttl};
  CXDESK_ASSIGN_OR_RETURN(std::string token, common::SignToken(claims, secret));
  if (inv.global().json) {
    google::protobuf::Struct json;
    auto& fields = *json.mutable_fields();
    fields["token"].set_string_value(token);
    fields["subject"].set_string_value(subject);
    fields["role"].set_string_value(std::string(common::StaffRoleName(*role)));
    fields["expire_time"].set_string_value(absl::FormatTime(
        absl::RFC3339_sec, claims.expiry, absl::UTCTimeZone()));
    return inv.PrintJson(json);
  }
  inv.out() << token << "\n";
  return absl::OkStatus();
}

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

// --- ticket ... --------------------------------------------------------------

absl::Status RunCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(v1::CreateTicketRequest request,
                          AsUsage(BuildCreateTicketRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(v1::CreateTicketResponse response,
                          FromServer(inv.client().CreateTicket(request)));
  if (inv.global().json) return inv.PrintJson(response);
  inv.out() << FormatTicketDetails(response.ticket(), inv.output()) << "\n"
            << "access key: " << response.access_key() << "\n"
            << "(keep this key: it is the customer's only way to see, answer "
               "and rate this ticket, with --access-key or CXDESK_ACCESS_KEY; "
               "it cannot be shown again)\n";
  return absl::OkStatus();
}

absl::Status RunList(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(v1::ListTicketsRequest request,
                          AsUsage(BuildListTicketsRequest(inv.flags())));
  const bool all = inv.flags().Has("all");
  std::vector<v1::Ticket> tickets;
  std::string next_token;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(v1::ListTicketsResponse page,
                            FromServer(inv.client().ListTickets(request)));
    if (inv.global().json) CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    for (v1::Ticket& t : *page.mutable_tickets()) tickets.push_back(t);
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

absl::Status RunShow(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  v1::GetTicketRequest get;
  get.set_ticket_id(id);
  CXDESK_ASSIGN_OR_RETURN(v1::Ticket ticket,
                          FromServer(inv.client().GetTicket(get)));
  std::vector<v1::Comment> comments;
  v1::ListCommentsRequest list;
  list.set_ticket_id(id);
  list.set_page_size(500);
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(v1::ListCommentsResponse page,
                            FromServer(inv.client().ListComments(list)));
    for (v1::Comment& c : *page.mutable_comments()) comments.push_back(c);
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
    for (const v1::Comment& c : comments) {
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
  for (const v1::Comment& c : comments) inv.out() << FormatComment(c, context);
  return absl::OkStatus();
}

absl::Status AddComment(Invocation& inv, v1::Visibility visibility) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  v1::AddCommentRequest request;
  request.set_ticket_id(id);
  request.set_visibility(visibility);
  request.set_body(inv.Body());
  CXDESK_ASSIGN_OR_RETURN(v1::Comment comment,
                          FromServer(inv.client().AddComment(request)));
  if (inv.global().json) return inv.PrintJson(comment);
  inv.out() << "added "
            << (comment.visibility() == v1::VISIBILITY_INTERNAL
                    ? "internal note #"
                    : "public reply #")
            << comment.id() << " to ticket #" << id << "\n";
  return absl::OkStatus();
}

absl::Status RunReply(Invocation& inv) {
  return AddComment(inv, v1::VISIBILITY_PUBLIC);
}

absl::Status RunNote(Invocation& inv) {
  return AddComment(inv, v1::VISIBILITY_INTERNAL);
}

// Prints a ticket a write returned: JSON, or one summary line.
absl::Status PrintTicketSummary(Invocation& inv, const v1::Ticket& ticket,
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
  CXDESK_ASSIGN_OR_RETURN(v1::AssignTicketRequest request,
                          AsUsage(BuildAssignTicketRequest(id, inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(v1::Ticket ticket,
                          FromServer(inv.client().AssignTicket(request)));
  return PrintTicketSummary(inv, ticket, "assigned");
}

absl::Status RunStatus(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  CXDESK_ASSIGN_OR_RETURN(
      v1::ChangeTicketStatusRequest request,
      AsUsage(BuildChangeStatusRequest(id, inv.arg(1), inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(v1::Ticket ticket,
                          FromServer(inv.client().ChangeTicketStatus(request)));
  return PrintTicketSummary(inv, ticket, "changed");
}

absl::Status RunUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  CXDESK_ASSIGN_OR_RETURN(v1::UpdateTicketRequest request,
                          AsUsage(BuildUpdateTicketRequest(id, inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(v1::Ticket ticket,
                          FromServer(inv.client().UpdateTicket(request)));
  if (inv.global().json) return inv.PrintJson(ticket);
  inv.out() << FormatTicketDetails(ticket, inv.output());
  return absl::OkStatus();
}

absl::Status RunRate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  CXDESK_ASSIGN_OR_RETURN(v1::RateTicketRequest request,
                          AsUsage(BuildRateTicketRequest(id, inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(v1::Ticket ticket,
                          FromServer(inv.client().RateTicket(request)));
  if (inv.global().json) return inv.PrintJson(ticket);
  inv.out() << "ticket #" << ticket.id() << " rated "
            << FormatRating(ticket.rating()) << ": thank you\n";
  return absl::OkStatus();
}

absl::Status RunStatusView(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  v1::GetTicketStatusRequest request;
  request.set_ticket_id(id);
  CXDESK_ASSIGN_OR_RETURN(v1::TicketStatusView view,
                          FromServer(inv.client().GetTicketStatus(request)));
  if (inv.global().json) return inv.PrintJson(view);
  inv.out() << FormatStatusView(view, inv.output());
  return absl::OkStatus();
}

absl::Status RunEvents(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id, inv.TicketId());
  v1::ListTicketEventsRequest request;
  request.set_ticket_id(id);
  request.set_page_size(500);
  const OutputContext context = inv.output();
  int printed = 0;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(v1::ListTicketEventsResponse page,
                            FromServer(inv.client().ListTicketEvents(request)));
    if (inv.global().json) {
      CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    } else {
      for (const v1::TicketEvent& event : page.events()) {
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

absl::Status RunWatch(Invocation& inv) {
  int64_t count = 0;  // 0: no limit.
  if (inv.flags().Has("count")) {
    CXDESK_ASSIGN_OR_RETURN(
        count, AsUsage(ParseInt("--count", inv.flags().Get("count"), 1,
                                std::numeric_limits<int32_t>::max())));
  }
  v1::WatchTicketEventsRequest request;
  request.set_after_cursor(inv.flags().Get("after"));
  int64_t seen = 0;
  absl::Status print_status;
  absl::Status status = inv.client().WatchTicketEvents(
      request, [&](const v1::TicketEvent& event) {
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

// --- calendar ..., policy ... ------------------------------------------------

// The --file of the command as a `Message` as text format, JSON (.json) or YAML
// (.yaml); a usage error naming the file (and the line) if it cannot be read or
// parsed.
template <typename Message>
absl::StatusOr<Message> ReadConfigFile(Invocation& inv,
                                       const char* flag = "file") {
  const std::string name = inv.flags().Get(flag);
  CXDESK_ASSIGN_OR_RETURN(std::string text,
                          inv.ReadFile(name, absl::StrCat("--", flag)));
  Message message;
  CXDESK_RETURN_IF_ERROR(
      AsUsage(ParseConfigFile(name == "-" ? "<stdin>" : name, text, &message)));
  return message;
}

// Prints what a write returned: JSON, or "<what> <id> <done>, etag E".
absl::Status PrintWritten(Invocation& inv,
                          const google::protobuf::Message& message,
                          absl::string_view what, absl::string_view id,
                          absl::string_view done, absl::string_view etag) {
  if (inv.global().json) return inv.PrintJson(message);
  inv.out() << what << " " << id << " " << done << ", etag "
            << (etag.empty() ? "-" : etag) << "\n";
  return absl::OkStatus();
}

absl::Status RunCalendarCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::Calendar calendar,
                          ReadConfigFile<sla::Calendar>(inv));
  sla::CreateCalendarRequest request;
  *request.mutable_calendar() = std::move(calendar);
  CXDESK_ASSIGN_OR_RETURN(sla::Calendar created,
                          FromServer(inv.sla().CreateCalendar(request)));
  return PrintWritten(inv, created, "calendar", created.calendar_id(),
                      "created", created.etag());
}

absl::Status RunCalendarUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::Calendar calendar,
                          ReadConfigFile<sla::Calendar>(inv));
  if (calendar.calendar_id().empty()) {
    return UsageError(absl::StrCat("--file ", inv.flags().Get("file"),
                                   ": calendar_id is not set (it names the "
                                   "calendar to update)"));
  }
  sla::UpdateCalendarRequest request;
  if (inv.flags().Has("etag")) {
    request.set_etag(inv.flags().Get("etag"));
  } else {
    sla::GetCalendarRequest get;
    get.set_calendar_id(calendar.calendar_id());
    CXDESK_ASSIGN_OR_RETURN(sla::Calendar current,
                            FromServer(inv.sla().GetCalendar(get)));
    request.set_etag(current.etag());
  }
  *request.mutable_calendar() = std::move(calendar);
  CXDESK_ASSIGN_OR_RETURN(sla::Calendar updated,
                          FromServer(inv.sla().UpdateCalendar(request)));
  return PrintWritten(inv, updated, "calendar", updated.calendar_id(),
                      "updated", updated.etag());
}

absl::Status RunCalendarGet(Invocation& inv) {
  sla::GetCalendarRequest request;
  request.set_calendar_id(inv.arg(0));
  CXDESK_ASSIGN_OR_RETURN(sla::Calendar calendar,
                          FromServer(inv.sla().GetCalendar(request)));
  if (inv.global().json) return inv.PrintJson(calendar);
  inv.out() << FormatCalendarDetails(calendar, inv.output());
  return absl::OkStatus();
}

absl::Status RunCalendarList(Invocation& inv) {
  sla::ListCalendarsRequest request;
  request.set_page_size(500);
  std::vector<sla::Calendar> calendars;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(sla::ListCalendarsResponse page,
                            FromServer(inv.sla().ListCalendars(request)));
    if (inv.global().json) CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    for (sla::Calendar& c : *page.mutable_calendars()) calendars.push_back(c);
    // A token equal to the one just used would loop forever.
    if (page.next_page_token().empty() ||
        page.next_page_token() == request.page_token()) {
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (inv.global().json) return absl::OkStatus();
  if (calendars.empty()) {
    inv.out() << "no calendars\n";
  } else {
    inv.out() << FormatCalendarTable(calendars, inv.output());
  }
  return absl::OkStatus();
}

absl::Status RunCalendarDelete(Invocation& inv) {
  sla::DeleteCalendarRequest request;
  request.set_calendar_id(inv.arg(0));
  request.set_etag(inv.flags().Get("etag"));
  CXDESK_RETURN_IF_ERROR(FromServer(inv.sla().DeleteCalendar(request)));
  if (inv.global().json) return inv.PrintJson(google::protobuf::Empty());
  inv.out() << "calendar " << request.calendar_id() << " deleted\n";
  return absl::OkStatus();
}

absl::Status RunPolicyCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::Policy policy, ReadConfigFile<sla::Policy>(inv));
  sla::CreatePolicyRequest request;
  *request.mutable_policy() = std::move(policy);
  CXDESK_ASSIGN_OR_RETURN(sla::Policy created,
                          FromServer(inv.sla().CreatePolicy(request)));
  return PrintWritten(inv, created, "policy", created.policy_id(), "created",
                      created.etag());
}

absl::Status RunPolicyUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::Policy policy, ReadConfigFile<sla::Policy>(inv));
  if (policy.policy_id().empty()) {
    return UsageError(
        absl::StrCat("--file ", inv.flags().Get("file"),
                     ": policy_id is not set (it names the policy to update)"));
  }
  sla::UpdatePolicyRequest request;
  if (inv.flags().Has("etag")) {
    request.set_etag(inv.flags().Get("etag"));
  } else {
    sla::GetPolicyRequest get;
    get.set_policy_id(policy.policy_id());
    CXDESK_ASSIGN_OR_RETURN(sla::Policy current,
                            FromServer(inv.sla().GetPolicy(get)));
    request.set_etag(current.etag());
  }
  *request.mutable_policy() = std::move(policy);
  CXDESK_ASSIGN_OR_RETURN(sla::Policy updated,
                          FromServer(inv.sla().UpdatePolicy(request)));
  return PrintWritten(inv, updated, "policy", updated.policy_id(), "updated",
                      updated.etag());
}

absl::Status RunPolicyGet(Invocation& inv) {
  sla::GetPolicyRequest request;
  request.set_policy_id(inv.arg(0));
  CXDESK_ASSIGN_OR_RETURN(sla::Policy policy,
                          FromServer(inv.sla().GetPolicy(request)));
  if (inv.global().json) return inv.PrintJson(policy);
  inv.out() << FormatPolicyDetails(policy, inv.output());
  return absl::OkStatus();
}

absl::Status RunPolicyList(Invocation& inv) {
  sla::ListPoliciesRequest request;
  request.set_page_size(500);
  std::vector<sla::Policy> policies;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(sla::ListPoliciesResponse page,
                            FromServer(inv.sla().ListPolicies(request)));
    if (inv.global().json) CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    for (sla::Policy& p : *page.mutable_policies()) policies.push_back(p);
    if (page.next_page_token().empty() ||
        page.next_page_token() == request.page_token()) {
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (inv.global().json) return absl::OkStatus();
  if (policies.empty()) {
    inv.out() << "no policies\n";
  } else {
    inv.out() << FormatPolicyTable(policies);
  }
  return absl::OkStatus();
}

absl::Status RunPolicyDelete(Invocation& inv) {
  sla::DeletePolicyRequest request;
  request.set_policy_id(inv.arg(0));
  request.set_etag(inv.flags().Get("etag"));
  CXDESK_RETURN_IF_ERROR(FromServer(inv.sla().DeletePolicy(request)));
  if (inv.global().json) return inv.PrintJson(google::protobuf::Empty());
  inv.out() << "policy " << request.policy_id() << " deleted\n";
  return absl::OkStatus();
}

// --- sla ...
// -------------------------------------------------------------------

absl::Status RunSlaShow(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id,
                          AsUsage(ParseTicketId("TICKET_ID", inv.arg(0))));
  sla::GetTicketSlaRequest request;
  request.set_ticket_id(id);
  CXDESK_ASSIGN_OR_RETURN(sla::TicketSla ticket_sla,
                          FromServer(inv.sla().GetTicketSla(request)));
  if (inv.global().json) return inv.PrintJson(ticket_sla);
  inv.out() << FormatTicketSla(ticket_sla, inv.output());
  return absl::OkStatus();
}

absl::Status RunSlaPromise(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id,
                          AsUsage(ParseTicketId("TICKET_ID", inv.arg(0))));
  sla::GetSlaPromiseRequest request;
  request.set_ticket_id(id);
  CXDESK_ASSIGN_OR_RETURN(sla::SlaPromise promise,
                          FromServer(inv.sla().GetSlaPromise(request)));
  if (inv.global().json) return inv.PrintJson(promise);
  inv.out() << FormatSlaPromise(promise, inv.output());
  return absl::OkStatus();
}

// Keeps at most `left` (0: all) of `items`; false if some were dropped.
template <typename T>
bool KeepAtMost(int64_t left, google::protobuf::RepeatedPtrField<T>* items) {
  if (left <= 0 || items->size() <= left) return true;
  items->DeleteSubrange(static_cast<int>(left),
                        items->size() - static_cast<int>(left));
  return false;
}

absl::Status RunSlaEvents(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::ListSlaEventsRequest request,
                          AsUsage(BuildListSlaEventsRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  const OutputContext context = inv.output();
  int64_t printed = 0;
  bool more = false;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(sla::ListSlaEventsResponse page,
                            FromServer(inv.sla().ListSlaEvents(request)));
    more = !KeepAtMost(limit == 0 ? 0 : limit - printed, page.mutable_events());
    if (inv.global().json) {
      CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    } else {
      for (const sla::SlaEvent& event : page.events()) {
        inv.out() << FormatSlaEventLine(event, context, /*stream=*/false)
                  << "\n";
      }
    }
    printed += page.events_size();
    const std::string& next = page.next_page_token();
    if (next.empty() || next == request.page_token()) break;
    if (limit > 0 && printed >= limit) {
      more = true;
      break;
    }
    request.set_page_token(next);
  }
  if (inv.global().json) return absl::OkStatus();
  if (printed == 0) inv.out() << "no events\n";
  if (more) {
    inv.out() << "more events: stopped at --limit " << limit << "\n";
  }
  return absl::OkStatus();
}

// Follows every page of a List call: `fetch(token)` returns a page, whose
// items `take(page)` keeps; stops at an empty or repeated token.
template <typename Page, typename Fetch, typename Take>
absl::Status EveryPage(const Fetch& fetch, const Take& take) {
  std::string token;
  while (true) {
    absl::StatusOr<Page> page = fetch(token);
    if (!page.ok()) return page.status();
    take(*page);
    if (page->next_page_token().empty() || page->next_page_token() == token) {
      return absl::OkStatus();
    }
    token = page->next_page_token();
  }
}

// What the three services recorded about ticket `ticket_id`, for
// BreachCauses (the breach itself is left unset). The SLA ledger is required
// (sla breaches is the SLA service's command); the ticket and escalation
// services are optional: when one cannot be asked, ticket_known or
// escalation_known is false and the rest still explains the breach.
absl::StatusOr<BreachHistory> FetchBreachHistory(Invocation& inv,
                                                 int64_t ticket_id) {
  BreachHistory history;
  absl::Status ticket = EveryPage<v1::ListTicketEventsResponse>(
      [&](const std::string& token) {
        v1::ListTicketEventsRequest request;
        request.set_ticket_id(ticket_id);
        request.set_page_size(500);
        request.set_page_token(token);
        return inv.client().ListTicketEvents(request);
      },
      [&](const v1::ListTicketEventsResponse& page) {
        for (const v1::TicketEvent& e : page.events()) {
          history.ticket_events.push_back(e);
        }
      });
  if (!ticket.ok()) {
    history.ticket_known = false;
    history.ticket_events.clear();
  }
  CXDESK_RETURN_IF_ERROR(FromServer(EveryPage<sla::ListSlaEventsResponse>(
      [&](const std::string& token) {
        sla::ListSlaEventsRequest request;
        request.set_ticket_id(ticket_id);
        request.set_page_size(1000);
        request.set_page_token(token);
        return inv.sla().ListSlaEvents(request);
      },
      [&](const sla::ListSlaEventsResponse& page) {
        for (const sla::SlaEvent& e : page.events()) {
          history.sla_events.push_back(e);
        }
      })));
  esc::ExplainRoutingRequest explain;
  explain.set_ticket_id(ticket_id);
  absl::StatusOr<esc::ExplainRoutingResponse> routing =
      inv.escalation().ExplainRouting(explain);
  absl::Status steps = EveryPage<esc::ListEscalationsResponse>(
      [&](const std::string& token) {
        esc::ListEscalationsRequest request;
        request.set_ticket_id(ticket_id);
        request.set_page_size(500);
        request.set_page_token(token);
        return inv.escalation().ListEscalations(request);
      },
      [&](const esc::ListEscalationsResponse& page) {
        for (const esc::Escalation& e : page.escalations()) {
          history.escalations.push_back(e);
        }
      });
  if (!routing.ok() || !steps.ok()) {
    history.escalation_known = false;
    history.escalations.clear();
    return history;
  }
  history.decisions.assign(routing->decisions().begin(),
                           routing->decisions().end());
  return history;
}

// At most this many breaches are explained by one sla breaches.
constexpr size_t kMaxExplainedBreaches = 100;

absl::Status RunSlaBreaches(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::ListBreachesRequest request,
                          AsUsage(BuildListBreachesRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  std::vector<sla::Breach> breaches;
  bool more = false;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(sla::ListBreachesResponse page,
                            FromServer(inv.sla().ListBreaches(request)));
    const int64_t left =
        limit == 0 ? 0 : limit - static_cast<int64_t>(breaches.size());
    more = !KeepAtMost(left, page.mutable_breaches());
    if (inv.global().json) CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    for (sla::Breach& b : *page.mutable_breaches()) breaches.push_back(b);
    const std::string& next = page.next_page_token();
    if (next.empty() || next == request.page_token()) break;
    if (limit > 0 && static_cast<int64_t>(breaches.size()) >= limit) {
      more = true;
      break;
    }
    request.set_page_token(next);
  }
  if (inv.global().json) return absl::OkStatus();
  if (breaches.empty()) {
    inv.out() << "no breaches\n";
  } else {
    const OutputContext context = inv.output();
    inv.out() << FormatBreachTable(breaches, context);
    if (!inv.flags().Has("no-causes")) {
      bool told_escalation_down = false;
      // Each explanation asks three services four questions: a long window
      // is explained for its newest breaches only, and says so.
      const size_t explained = std::min(breaches.size(), kMaxExplainedBreaches);
      bool told_ticket_down = false;
      // One history per ticket, however many of its clocks breached.
      std::map<int64_t, BreachHistory> histories;
      for (size_t i = 0; i < explained; ++i) {
        const sla::Breach& b = breaches[i];
        const int64_t ticket_id = b.event().ticket_id();
        auto it = histories.find(ticket_id);
        if (it == histories.end()) {
          CXDESK_ASSIGN_OR_RETURN(BreachHistory fetched,
                                  FetchBreachHistory(inv, ticket_id));
          it = histories.emplace(ticket_id, std::move(fetched)).first;
        }
        BreachHistory& history = it->second;
        history.breach = b;
        const std::vector<std::string> causes =
            BreachCauses(history, context.now);
        // Said once, below, rather than under every breach.
        if (!history.escalation_known) told_escalation_down = true;
        if (!history.ticket_known) told_ticket_down = true;
        inv.out() << "\n#" << b.event().ticket_id() << " "
                  << MetricWord(b.event().metric()) << ", due "
                  << FormatSecondTime(ToTime(b.event().occur_time()),
                                      context.tz)
                  << ":\n";
        for (const std::string& cause : causes) {
          inv.out() << "  - " << cause << "\n";
        }
      }
      if (explained < breaches.size()) {
        inv.out() << "\ncauses shown for the newest " << explained << " of "
                  << breaches.size()
                  << " breaches; narrow the window, or --limit\n";
      }
      if (told_ticket_down) {
        inv.out() << "\nnote: the ticket service at " << inv.global().target
                  << " could not be asked: who held each ticket, and for how "
                     "long, is missing from the causes\n";
      }
      if (told_escalation_down) {
        inv.out() << "\nnote: the escalation service at "
                  << inv.global().escalation_target
                  << " could not be asked: routing and escalation steps are "
                     "missing from the causes\n";
      }
    }
  }
  if (more) {
    inv.out() << "more breaches: stopped at --limit " << limit << "\n";
  }
  return absl::OkStatus();
}

absl::Status PrintReport(Invocation& inv, const sla::SlaReport& report,
                         ReportFormat format) {
  if (inv.global().json) return inv.PrintJson(report);
  if (format == ReportFormat::kCsv) {
    inv.out() << FormatSlaReportCsv(report);
  } else {
    inv.out() << FormatSlaReportTable(report, inv.output());
  }
  return absl::OkStatus();
}

// The report of the same window with one grouping (none for `dimension`
// UNSPECIFIED).
absl::StatusOr<sla::SlaReport> ReportOfWindow(Invocation& inv, absl::Time from,
                                              absl::Time to,
                                              sla::ReportDimension dimension) {
  sla::GetSlaReportRequest request;
  common::ToProtoTimestamp(from, request.mutable_start_time());
  common::ToProtoTimestamp(to, request.mutable_end_time());
  if (dimension != sla::REPORT_DIMENSION_UNSPECIFIED) {
    request.add_group_by(dimension);
  }
  return FromServer(inv.sla().GetSlaReport(request));
}

// sla report --html FILE: the report, a report per day or week, the first
// responses of the window and the breaches by CX level and team, as a page.
absl::Status WriteHtmlReport(Invocation& inv, const sla::SlaReport& report) {
  const absl::Time from = common::FromProtoTimestamp(report.start_time());
  const absl::Time to = common::FromProtoTimestamp(report.end_time());
  const OutputContext context = inv.output();
  HtmlReportInput input;
  input.title = absl::StrCat(
      "SLA report ", absl::FormatTime("%Y-%m-%d", from, context.tz), " to ",
      absl::FormatTime("%Y-%m-%d", to, context.tz));
  input.tz = context.tz;
  input.generated = context.now;
  input.report = report;
  input.bucket_name = inv.flags().Get("bucket", BucketNameFor(from, to));
  if (input.bucket_name != "day" && input.bucket_name != "week") {
    return UsageError(absl::StrCat("--bucket: '", input.bucket_name,
                                   "' is not one of day, week"));
  }
  const auto bounds = BucketBounds(from, to, context.tz, input.bucket_name);
  if (bounds.size() > 400) {
    return UsageError(absl::StrCat(
        "--bucket ", input.bucket_name, ": the window has ", bounds.size(),
        " of them; at most 400 fit a chart (use --bucket week)"));
  }
  for (const auto& [start, end] : bounds) {
    CXDESK_ASSIGN_OR_RETURN(
        sla::SlaReport slice,
        ReportOfWindow(inv, start, end, sla::REPORT_DIMENSION_UNSPECIFIED));
    input.buckets.push_back({start, end, std::move(slice)});
  }
  CXDESK_ASSIGN_OR_RETURN(
      input.by_cx_level,
      ReportOfWindow(inv, from, to, sla::REPORT_DIMENSION_CX_LEVEL));
  CXDESK_ASSIGN_OR_RETURN(
      input.by_team, ReportOfWindow(inv, from, to, sla::REPORT_DIMENSION_TEAM));
  sla::ListSlaEventsRequest events;
  events.add_kinds(sla::SLA_EVENT_KIND_MET);
  events.set_metric(sla::METRIC_FIRST_RESPONSE);
  common::ToProtoTimestamp(from, events.mutable_start_time());
  common::ToProtoTimestamp(to, events.mutable_end_time());
  events.set_page_size(1000);
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(sla::ListSlaEventsResponse page,
                            FromServer(inv.sla().ListSlaEvents(events)));
    for (const sla::SlaEvent& e : page.events()) {
      input.first_responses.push_back(
          {common::FromProtoDuration(e.business_time()),
           common::FromProtoDuration(e.target())});
    }
    if (page.next_page_token().empty() ||
        page.next_page_token() == events.page_token()) {
      break;
    }
    events.set_page_token(page.next_page_token());
  }
  const std::string name = inv.flags().Get("html");
  std::filesystem::path path(name);
  if (path.is_relative()) path = std::filesystem::path(inv.env().cwd) / path;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << FormatSlaReportHtml(input);
  file.close();
  if (!file) {
    return Tagged(absl::UnavailableError(
                      absl::StrCat("--html ", name, ": cannot be written")),
                  kServerPayload);
  }
  inv.out() << "wrote " << name << ": " << report.clocks() << " clocks, "
            << input.buckets.size() << " " << input.bucket_name
            << (input.buckets.size() == 1 ? "" : "s") << ", "
            << input.first_responses.size() << " first responses\n";
  return absl::OkStatus();
}

absl::Status RunSlaReport(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::GetSlaReportRequest request,
                          AsUsage(BuildSlaReportRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ReportFormat format,
                          AsUsage(ParseReportFormat(inv.flags())));
  if (inv.flags().Has("html") &&
      (inv.flags().Has("csv") || inv.global().json)) {
    return UsageError(
        "--html writes a page; it goes with neither --csv nor --json");
  }
  CXDESK_ASSIGN_OR_RETURN(sla::SlaReport report,
                          FromServer(inv.sla().GetSlaReport(request)));
  if (inv.flags().Has("html")) return WriteHtmlReport(inv, report);
  return PrintReport(inv, report, format);
}

absl::Status RunSlaSimulate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::Policy policy,
                          ReadConfigFile<sla::Policy>(inv, "policy"));
  CXDESK_ASSIGN_OR_RETURN(
      sla::SimulatePolicyRequest request,
      AsUsage(BuildSimulatePolicyRequest(std::move(policy), inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ReportFormat format,
                          AsUsage(ParseReportFormat(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(sla::SlaReport report,
                          FromServer(inv.sla().SimulatePolicy(request)));
  return PrintReport(inv, report, format);
}

absl::Status RunSlaWatch(Invocation& inv) {
  int64_t count = 0;  // 0: no limit.
  if (inv.flags().Has("count")) {
    CXDESK_ASSIGN_OR_RETURN(
        count, AsUsage(ParseInt("--count", inv.flags().Get("count"), 1,
                                std::numeric_limits<int32_t>::max())));
  }
  sla::WatchSlaEventsRequest request;
  request.set_after_cursor(inv.flags().Get("after"));
  int64_t seen = 0;
  absl::Status print_status;
  absl::Status status =
      inv.sla().WatchSlaEvents(request, [&](const sla::SlaEvent& event) {
        if (inv.global().json) {
          print_status = inv.PrintJson(event);
          if (!print_status.ok()) return false;
        } else {
          inv.out() << FormatSlaEventLine(event, inv.output(), /*stream=*/true)
                    << "\n";
        }
        // Live output: whoever reads it (a pipe, a test) sees each event now.
        inv.out().flush();
        return count == 0 || ++seen < count;
      });
  CXDESK_RETURN_IF_ERROR(print_status);
  return FromServer(status);
}

// --- team, agent, rule, ladder, route, queue, escalation(s), notifications,
// webhooks: the escalation service --------------------------------------------

// Follows the pages of one of the escalation service's List calls, keeping at
// most `limit` items (0: all) in `items`; with --json prints every page as
// it comes. `*more` tells whether items were left out by the limit;
// `last_page` (may be null) receives the last page read (its items moved
// out).
template <typename Request, typename Response, typename Item>
absl::Status CollectPages(
    Invocation& inv, Request request,
    absl::StatusOr<Response> (EscalationClient::*call)(const Request&),
    google::protobuf::RepeatedPtrField<Item>* (Response::*items_of)(),
    int64_t limit, std::vector<Item>* items, bool* more,
    Response* last_page = nullptr) {
  *more = false;
  while (true) {
    CXDESK_ASSIGN_OR_RETURN(Response page,
                            FromServer((inv.escalation().*call)(request)));
    const int64_t left =
        limit == 0 ? 0 : limit - static_cast<int64_t>(items->size());
    *more = !KeepAtMost(left, (page.*items_of)());
    if (inv.global().json) CXDESK_RETURN_IF_ERROR(inv.PrintJson(page));
    for (Item& item : *(page.*items_of)()) items->push_back(std::move(item));
    std::string next = page.next_page_token();
    if (last_page != nullptr) *last_page = std::move(page);
    // A token equal to the one just used would loop forever.
    if (next.empty() || next == request.page_token()) break;
    if (limit > 0 && static_cast<int64_t>(items->size()) >= limit) {
      *more = true;
      break;
    }
    request.set_page_token(next);
  }
  return absl::OkStatus();
}

// A usage error when the --file leaves the resource's id unset.
absl::Status RequireId(Invocation& inv, const std::string& id,
                       absl::string_view field, absl::string_view what) {
  if (!id.empty()) return absl::OkStatus();
  return UsageError(absl::StrCat("--file ", inv.flags().Get("file"), ": ",
                                 field, " is not set (it names the ", what,
                                 " to update)"));
}

// Prints a deletion: JSON of Empty, or "<what> <id> deleted".
absl::Status PrintDeleted(Invocation& inv, absl::string_view what,
                          absl::string_view id) {
  if (inv.global().json) return inv.PrintJson(google::protobuf::Empty());
  inv.out() << what << " " << id << " deleted\n";
  return absl::OkStatus();
}

absl::Status RunTeamCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::Team team, ReadConfigFile<esc::Team>(inv));
  esc::CreateTeamRequest request;
  *request.mutable_team() = std::move(team);
  CXDESK_ASSIGN_OR_RETURN(esc::Team created,
                          FromServer(inv.escalation().CreateTeam(request)));
  return PrintWritten(inv, created, "team", created.team_id(), "created",
                      created.etag());
}

absl::Status RunTeamUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::Team team, ReadConfigFile<esc::Team>(inv));
  CXDESK_RETURN_IF_ERROR(RequireId(inv, team.team_id(), "team_id", "team"));
  esc::UpdateTeamRequest request;
  if (inv.flags().Has("etag")) {
    request.set_etag(inv.flags().Get("etag"));
  } else {
    esc::GetTeamRequest get;
    get.set_team_id(team.team_id());
    CXDESK_ASSIGN_OR_RETURN(esc::Team current,
                            FromServer(inv.escalation().GetTeam(get)));
    request.set_etag(current.etag());
  }
  *request.mutable_team() = std::move(team);
  CXDESK_ASSIGN_OR_RETURN(esc::Team updated,
                          FromServer(inv.escalation().UpdateTeam(request)));
  return PrintWritten(inv, updated, "team", updated.team_id(), "updated",
                      updated.etag());
}

absl::Status RunTeamGet(Invocation& inv) {
  esc::GetTeamRequest request;
  request.set_team_id(inv.arg(0));
  CXDESK_ASSIGN_OR_RETURN(esc::Team team,
                          FromServer(inv.escalation().GetTeam(request)));
  if (inv.global().json) return inv.PrintJson(team);
  inv.out() << FormatTeamDetails(team, inv.output());
  return absl::OkStatus();
}

absl::Status RunTeamList(Invocation& inv) {
  esc::ListTeamsRequest request;
  request.set_page_size(500);
  std::vector<esc::Team> teams;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(
      CollectPages(inv, request, &EscalationClient::ListTeams,
                   &esc::ListTeamsResponse::mutable_teams, 0, &teams, &more));
  if (inv.global().json) return absl::OkStatus();
  if (teams.empty()) {
    inv.out() << "no teams\n";
  } else {
    inv.out() << FormatTeamTable(teams);
  }
  return absl::OkStatus();
}

absl::Status RunTeamDelete(Invocation& inv) {
  esc::DeleteTeamRequest request;
  request.set_team_id(inv.arg(0));
  CXDESK_RETURN_IF_ERROR(FromServer(inv.escalation().DeleteTeam(request)));
  return PrintDeleted(inv, "team", request.team_id());
}

absl::Status RunAgentCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::Agent agent, ReadConfigFile<esc::Agent>(inv));
  esc::CreateAgentRequest request;
  *request.mutable_agent() = std::move(agent);
  CXDESK_ASSIGN_OR_RETURN(esc::Agent created,
                          FromServer(inv.escalation().CreateAgent(request)));
  return PrintWritten(inv, created, "agent", created.agent_id(), "created",
                      created.etag());
}

absl::Status RunAgentUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::Agent agent, ReadConfigFile<esc::Agent>(inv));
  CXDESK_RETURN_IF_ERROR(RequireId(inv, agent.agent_id(), "agent_id", "agent"));
  esc::UpdateAgentRequest request;
  request.set_etag(inv.flags().Get("etag"));
  // The update replaces the definition: a file without availability keeps
  // the agent's current one rather than signing them off.
  const bool keep_availability =
      agent.availability() == esc::AVAILABILITY_UNSPECIFIED;
  if (!inv.flags().Has("etag") || keep_availability) {
    esc::GetAgentRequest get;
    get.set_agent_id(agent.agent_id());
    CXDESK_ASSIGN_OR_RETURN(esc::Agent current,
                            FromServer(inv.escalation().GetAgent(get)));
    if (!inv.flags().Has("etag")) request.set_etag(current.etag());
    if (keep_availability) agent.set_availability(current.availability());
  }
  *request.mutable_agent() = std::move(agent);
  CXDESK_ASSIGN_OR_RETURN(esc::Agent updated,
                          FromServer(inv.escalation().UpdateAgent(request)));
  return PrintWritten(inv, updated, "agent", updated.agent_id(), "updated",
                      updated.etag());
}

absl::Status RunAgentGet(Invocation& inv) {
  esc::GetAgentRequest request;
  request.set_agent_id(inv.arg(0));
  CXDESK_ASSIGN_OR_RETURN(esc::Agent agent,
                          FromServer(inv.escalation().GetAgent(request)));
  if (inv.global().json) return inv.PrintJson(agent);
  inv.out() << FormatAgentDetails(agent, inv.output());
  return absl::OkStatus();
}

absl::Status RunAgentList(Invocation& inv) {
  esc::ListAgentsRequest request;
  request.set_team_id(inv.flags().Get("team"));
  request.set_page_size(500);
  std::vector<esc::Agent> agents;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(CollectPages(
      inv, request, &EscalationClient::ListAgents,
      &esc::ListAgentsResponse::mutable_agents, 0, &agents, &more));
  if (inv.global().json) return absl::OkStatus();
  if (agents.empty()) {
    inv.out() << (request.team_id().empty()
                      ? std::string("no agents\n")
                      : absl::StrCat("no agents in team ", request.team_id(),
                                     "\n"));
  } else {
    inv.out() << FormatAgentTable(agents);
  }
  return absl::OkStatus();
}

absl::Status RunAgentDelete(Invocation& inv) {
  esc::DeleteAgentRequest request;
  request.set_agent_id(inv.arg(0));
  CXDESK_RETURN_IF_ERROR(FromServer(inv.escalation().DeleteAgent(request)));
  return PrintDeleted(inv, "agent", request.agent_id());
}

absl::Status RunAgentAvailability(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      esc::SetAgentAvailabilityRequest request,
      AsUsage(BuildSetAvailabilityRequest(inv.arg(0), inv.arg(1))));
  CXDESK_ASSIGN_OR_RETURN(
      esc::Agent agent,
      FromServer(inv.escalation().SetAgentAvailability(request)));
  if (inv.global().json) return inv.PrintJson(agent);
  inv.out() << "agent " << agent.agent_id() << " is now "
            << AvailabilityWord(agent.availability()) << " ("
            << agent.open_tickets() << "/" << agent.capacity()
            << " open tickets)\n";
  return absl::OkStatus();
}

absl::Status RunRuleCreate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::RoutingRule rule,
                          ReadConfigFile<esc::RoutingRule>(inv));
  esc::CreateRoutingRuleRequest request;
  *request.mutable_rule() = std::move(rule);
  CXDESK_ASSIGN_OR_RETURN(
      esc::RoutingRule created,
      FromServer(inv.escalation().CreateRoutingRule(request)));
  return PrintWritten(inv, created, "rule", created.rule_id(), "created",
                      created.etag());
}

absl::Status RunRuleUpdate(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::RoutingRule rule,
                          ReadConfigFile<esc::RoutingRule>(inv));
  CXDESK_RETURN_IF_ERROR(RequireId(inv, rule.rule_id(), "rule_id", "rule"));
  esc::UpdateRoutingRuleRequest request;
  if (inv.flags().Has("etag")) {
    request.set_etag(inv.flags().Get("etag"));
  } else {
    esc::GetRoutingRuleRequest get;
    get.set_rule_id(rule.rule_id());
    CXDESK_ASSIGN_OR_RETURN(esc::RoutingRule current,
                            FromServer(inv.escalation().GetRoutingRule(get)));
    request.set_etag(current.etag());
  }
  *request.mutable_rule() = std::move(rule);
  CXDESK_ASSIGN_OR_RETURN(
      esc::RoutingRule updated,
      FromServer(inv.escalation().UpdateRoutingRule(request)));
  return PrintWritten(inv, updated, "rule", updated.rule_id(), "updated",
                      updated.etag());
}

absl::Status RunRuleGet(Invocation& inv) {
  esc::GetRoutingRuleRequest request;
  request.set_rule_id(inv.arg(0));
  CXDESK_ASSIGN_OR_RETURN(esc::RoutingRule rule,
                          FromServer(inv.escalation().GetRoutingRule(request)));
  if (inv.global().json) return inv.PrintJson(rule);
  inv.out() << FormatRuleDetails(rule, inv.output());
  return absl::OkStatus();
}

absl::Status RunRuleList(Invocation& inv) {
  esc::ListRoutingRulesRequest request;
  request.set_page_size(500);
  std::vector<esc::RoutingRule> rules;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(CollectPages(
      inv, request, &EscalationClient::ListRoutingRules,
      &esc::ListRoutingRulesResponse::mutable_rules, 0, &rules, &more));
  if (inv.global().json) return absl::OkStatus();
  if (rules.empty()) {
    inv.out() << "no routing rules (every ticket goes to the default team)\n";
  } else {
    inv.out() << FormatRuleTable(rules);
  }
  return absl::OkStatus();
}

absl::Status RunRuleDelete(Invocation& inv) {
  esc::DeleteRoutingRuleRequest request;
  request.set_rule_id(inv.arg(0));
  CXDESK_RETURN_IF_ERROR(
      FromServer(inv.escalation().DeleteRoutingRule(request)));
  return PrintDeleted(inv, "rule", request.rule_id());
}

absl::Status RunLadderSet(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::Ladder ladder, ReadConfigFile<esc::Ladder>(inv));
  esc::SetLadderRequest request;
  *request.mutable_ladder() = std::move(ladder);
  request.set_etag(inv.flags().Get("etag"));
  CXDESK_ASSIGN_OR_RETURN(esc::Ladder set,
                          FromServer(inv.escalation().SetLadder(request)));
  return PrintWritten(inv, set, "ladder", MetricWord(set.metric()), "set",
                      set.etag());
}

absl::StatusOr<sla::Metric> MetricArg(Invocation& inv) {
  return AsUsage(ParseMetric("METRIC", inv.arg(0)));
}

absl::Status RunLadderGet(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::Metric metric, MetricArg(inv));
  esc::GetLadderRequest request;
  request.set_metric(metric);
  CXDESK_ASSIGN_OR_RETURN(esc::Ladder ladder,
                          FromServer(inv.escalation().GetLadder(request)));
  if (inv.global().json) return inv.PrintJson(ladder);
  inv.out() << FormatLadderDetails(ladder, inv.output());
  return absl::OkStatus();
}

absl::Status RunLadderList(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      esc::ListLaddersResponse response,
      FromServer(inv.escalation().ListLadders(esc::ListLaddersRequest())));
  if (inv.global().json) return inv.PrintJson(response);
  if (response.ladders().empty()) {
    inv.out() << "no ladders (no metric escalates)\n";
    return absl::OkStatus();
  }
  inv.out() << FormatLadderTable(
      {response.ladders().begin(), response.ladders().end()}, inv.output());
  return absl::OkStatus();
}

absl::Status RunLadderDelete(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(sla::Metric metric, MetricArg(inv));
  esc::DeleteLadderRequest request;
  request.set_metric(metric);
  CXDESK_RETURN_IF_ERROR(FromServer(inv.escalation().DeleteLadder(request)));
  return PrintDeleted(inv, "ladder", MetricWord(metric));
}

absl::Status RunRouteExplain(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id,
                          AsUsage(ParseTicketId("TICKET", inv.arg(0))));
  esc::ExplainRoutingRequest request;
  request.set_ticket_id(id);
  CXDESK_ASSIGN_OR_RETURN(esc::ExplainRoutingResponse response,
                          FromServer(inv.escalation().ExplainRouting(request)));
  if (inv.global().json) return inv.PrintJson(response);
  if (response.decisions().empty()) {
    inv.out() << "ticket #" << id << ": no routing decisions yet\n";
    return absl::OkStatus();
  }
  bool first = true;
  for (const esc::RoutingDecision& d : response.decisions()) {
    if (!first) inv.out() << "\n";
    first = false;
    inv.out() << FormatRoutingDecision(d, inv.output());
  }
  return absl::OkStatus();
}

absl::Status RunRouteTicket(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(int64_t id,
                          AsUsage(ParseTicketId("TICKET", inv.arg(0))));
  esc::RouteTicketRequest request;
  request.set_ticket_id(id);
  request.set_dry_run(inv.flags().Has("dry-run"));
  CXDESK_ASSIGN_OR_RETURN(esc::RoutingDecision decision,
                          FromServer(inv.escalation().RouteTicket(request)));
  if (inv.global().json) return inv.PrintJson(decision);
  inv.out() << FormatRoutingDecision(decision, inv.output());
  return absl::OkStatus();
}

absl::Status RunQueue(Invocation& inv) {
  esc::ListTeamQueueRequest request;
  request.set_team_id(inv.arg(0));
  request.set_page_size(500);
  if (inv.flags().Has("limit")) {
    CXDESK_ASSIGN_OR_RETURN(
        int64_t limit,
        AsUsage(ParseInt("--limit", inv.flags().Get("limit"), 1, 500)));
    request.set_page_size(static_cast<int32_t>(limit));
  }
  CXDESK_ASSIGN_OR_RETURN(esc::ListTeamQueueResponse queue,
                          FromServer(inv.escalation().ListTeamQueue(request)));
  if (inv.global().json) return inv.PrintJson(queue);
  inv.out() << FormatTeamQueue(request.team_id(), queue, inv.output());
  return absl::OkStatus();
}

absl::Status RunEscalations(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::ListEscalationsRequest request,
                          AsUsage(BuildListEscalationsRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  std::vector<esc::Escalation> escalations;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(
      CollectPages(inv, request, &EscalationClient::ListEscalations,
                   &esc::ListEscalationsResponse::mutable_escalations, limit,
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

absl::Status RunEscalationAck(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      int64_t id, AsUsage(ParseInt("ID", inv.arg(0), 1,
                                   std::numeric_limits<int64_t>::max())));
  esc::AcknowledgeEscalationRequest request;
  request.set_escalation_id(id);
  CXDESK_ASSIGN_OR_RETURN(
      esc::Escalation escalation,
      FromServer(inv.escalation().AcknowledgeEscalation(request)));
  if (inv.global().json) return inv.PrintJson(escalation);
  inv.out() << FormatEscalationDetails(escalation, inv.output());
  return absl::OkStatus();
}

absl::Status RunEscalationFigures(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::GetEscalationFiguresRequest request,
                          AsUsage(BuildEscalationFiguresRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(ReportFormat format,
                          AsUsage(ParseReportFormat(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(
      esc::EscalationFigures figures,
      FromServer(inv.escalation().GetEscalationFigures(request)));
  if (inv.global().json) return inv.PrintJson(figures);
  if (format == ReportFormat::kCsv) {
    inv.out() << FormatEscalationFiguresCsv(figures);
  } else {
    inv.out() << FormatEscalationFiguresTable(figures, inv.output());
  }
  return absl::OkStatus();
}

absl::Status RunNotifications(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::ListNotificationsRequest request,
                          AsUsage(BuildListNotificationsRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  std::vector<esc::Notification> notifications;
  bool more = false;
  esc::ListNotificationsResponse last;
  CXDESK_RETURN_IF_ERROR(
      CollectPages(inv, request, &EscalationClient::ListNotifications,
                   &esc::ListNotificationsResponse::mutable_notifications,
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

absl::Status RunNotificationsRead(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(esc::MarkNotificationsReadRequest request,
                          AsUsage(BuildMarkNotificationsReadRequest(
                              inv.flags().positionals, inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(
      esc::MarkNotificationsReadResponse response,
      FromServer(inv.escalation().MarkNotificationsRead(request)));
  if (inv.global().json) return inv.PrintJson(response);
  inv.out() << "marked " << response.marked()
            << (response.marked() == 1 ? " notification" : " notifications")
            << " read\n";
  return absl::OkStatus();
}

absl::Status RunNotificationsWatch(Invocation& inv) {
  int64_t count = 0;  // 0: no limit.
  if (inv.flags().Has("count")) {
    CXDESK_ASSIGN_OR_RETURN(
        count, AsUsage(ParseInt("--count", inv.flags().Get("count"), 1,
                                std::numeric_limits<int32_t>::max())));
  }
  esc::WatchNotificationsRequest request;
  request.set_recipient(inv.flags().Get("for"));
  request.set_after_cursor(inv.flags().Get("after"));
  int64_t seen = 0;
  absl::Status print_status;
  absl::Status status = inv.escalation().WatchNotifications(
      request, [&](const esc::Notification& n) {
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

absl::Status RunWebhooks(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      esc::ListWebhookDeliveriesRequest request,
      AsUsage(BuildListWebhookDeliveriesRequest(inv.flags())));
  CXDESK_ASSIGN_OR_RETURN(int64_t limit, AsUsage(ParseLimit(inv.flags())));
  std::vector<esc::WebhookDelivery> deliveries;
  bool more = false;
  CXDESK_RETURN_IF_ERROR(
      CollectPages(inv, request, &EscalationClient::ListWebhookDeliveries,
                   &esc::ListWebhookDeliveriesResponse::mutable_deliveries,
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

// --- audit verify, audit export ---------------------------------------------

// The three services and the schema each one's audit trail covers.
struct AuditTarget {
  const char* service;  // as DescribeAuditError names it
  const char* schema;   // the prefix of its streams
  std::string target;
};

std::vector<AuditTarget> AuditTargets(const GlobalOptions& global) {
  return {{"ticket", "ticket", global.target},
          {"SLA", "sla", global.sla_target},
          {"escalation", "escalation", global.escalation_target}};
}

// The services a --stream concerns: all three for "", else the one whose
// schema prefixes it (a usage error when none does).
absl::StatusOr<std::vector<AuditTarget>> SelectAuditTargets(
    const GlobalOptions& global, const std::string& stream) {
  std::vector<AuditTarget> all = AuditTargets(global);
  if (stream.empty()) return all;
  for (const AuditTarget& t : all) {
    if (absl::StartsWith(stream, absl::StrCat(t.schema, "."))) {
      return std::vector<AuditTarget>{t};
    }
  }
  return UsageError(absl::StrCat(
      "--stream: '", stream,
      "' is not a stream of ticket, sla or escalation (e.g. ticket.events, "
      "sla.events, sla.config, escalation.steps, escalation.config)"));
}

constexpr char kAuditHashRecipe[] =
    "each record's hash is the lower-case hex SHA-256 of the UTF-8 text "
    "prev_hash \\n stream \\n seq \\n source_table \\n op \\n source_key \\n "
    "payload (seq in decimal, no final newline); a stream's first prev_hash "
    "is 64 zeros and every later one is the previous record's hash";

absl::Status RunAuditVerify(Invocation& inv) {
  const std::string stream = inv.flags().Get("stream");
  CXDESK_ASSIGN_OR_RETURN(std::vector<AuditTarget> targets,
                          SelectAuditTargets(inv.global(), stream));
  int problems = 0;
  int failures = 0;
  for (const AuditTarget& t : targets) {
    std::unique_ptr<AuditClient> client = inv.env().connect_audit(
        t.target, {inv.global().token, ""}, inv.global().timeout);
    audit::VerifyAuditTrailRequest request;
    request.set_stream(stream);
    absl::StatusOr<audit::AuditVerification> result =
        client->VerifyAuditTrail(request);
    if (!result.ok()) {
      ++failures;
      *inv.env().err << "error: "
                     << DescribeAuditError(result.status(), t.service, t.target)
                     << "\n";
      continue;
    }
    if (inv.global().json) {
      CXDESK_RETURN_IF_ERROR(inv.PrintJson(*result));
    }
    // A sharded stream ("ticket.events/0".."/15") is told as one line when
    // every shard is intact; each shard with a problem gets its own.
    struct Group {
      int shards = 0;
      int64_t records = 0, rows = 0;
      std::vector<const audit::StreamVerification*> problems;
    };
    std::vector<std::pair<std::string, Group>> groups;
    for (const audit::StreamVerification& s : result->streams()) {
      if (s.has_problem()) ++problems;
      const std::string base = s.stream().substr(0, s.stream().find('/'));
      if (groups.empty() || groups.back().first != base) {
        groups.push_back({base, Group()});
      }
      Group& g = groups.back().second;
      ++g.shards;
      g.records += s.records_checked();
      g.rows += s.rows_checked();
      if (s.has_problem()) g.problems.push_back(&s);
    }
    if (inv.global().json) continue;
    for (const auto& [base, g] : groups) {
      for (const audit::StreamVerification* s : g.problems) {
        inv.out() << s->stream() << ": PROBLEM: " << s->problem().message()
                  << "\n";
      }
      if (!g.problems.empty()) continue;
      inv.out() << base;
      if (g.shards > 1) inv.out() << " (" << g.shards << " shards)";
      inv.out() << ": ok: " << g.records
                << (g.records == 1 ? " record" : " records")
                << (g.shards > 1 ? ", chains intact (" : ", chain intact (")
                << g.rows
                << (g.rows == 1 ? " row matches its record)\n"
                                : " rows match their records)\n");
    }
  }
  if (problems > 0) {
    return absl::DataLossError(absl::StrCat(
        "the audit trail is not intact: ", problems,
        problems == 1 ? " stream has a problem" : " streams have a problem"));
  }
  if (failures > 0) {
    return absl::UnavailableError(absl::StrCat(
        "the audit trail of ", failures,
        failures == 1 ? " service" : " services", " could not be verified"));
  }
  return absl::OkStatus();
}

// One exported record as a line of JSON, its keys in the order of the
// record: stream, seq, record_time, source_table, op, source_key, payload,
// prev_hash, hash.
absl::StatusOr<std::string> AuditRecordJson(const audit::AuditRecord& r) {
  // Each string escaped by the protobuf JSON printer.
  auto quoted = [](const std::string& text) -> absl::StatusOr<std::string> {
    google::protobuf::Value value;
    value.set_string_value(text);
    return ToJson(value);
  };
  std::string line = "{";
  const std::pair<const char*, std::string> fields[] = {
      {"stream", r.stream()},
      {"seq", ""},
      {"record_time",
       absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", ToTime(r.record_time()),
                        absl::UTCTimeZone())},
      {"source_table", r.source_table()},
      {"op", r.op()},
      {"source_key", r.source_key()},
      {"payload", r.payload()},
      {"prev_hash", r.prev_hash()},
      {"hash", r.hash()}};
  for (const auto& [key, text] : fields) {
    if (line.size() > 1) line += ",";
    absl::StrAppend(&line, "\"", key, "\":");
    if (absl::string_view(key) == "seq") {
      absl::StrAppend(&line, r.seq());
      continue;
    }
    CXDESK_ASSIGN_OR_RETURN(std::string value, quoted(text));
    line += value;
  }
  line += "}";
  return line;
}

absl::Status RunAuditExport(Invocation& inv) {
  CXDESK_ASSIGN_OR_RETURN(
      absl::Time from,
      AsUsage(ParseTimeFlag("--from", inv.flags().Get("from"))));
  CXDESK_ASSIGN_OR_RETURN(
      absl::Time to, AsUsage(ParseTimeFlag("--to", inv.flags().Get("to"))));
  if (to <= from) return UsageError("--to: must be after --from");
  const std::string stream = inv.flags().Get("stream");
  CXDESK_ASSIGN_OR_RETURN(std::vector<AuditTarget> targets,
                          SelectAuditTargets(inv.global(), stream));
  std::ofstream file;
  std::ostream* out = &inv.out();
  const std::string out_name = inv.flags().Get("out");
  if (!out_name.empty()) {
    std::filesystem::path path(out_name);
    if (path.is_relative()) path = std::filesystem::path(inv.env().cwd) / path;
    file.open(path, std::ios::binary | std::ios::trunc);
    if (!file) {
      return UsageError(
          absl::StrCat("--out ", out_name, ": cannot be written"));
    }
    out = &file;
  }
  int64_t written = 0;
  for (const AuditTarget& t : targets) {
    std::unique_ptr<AuditClient> client = inv.env().connect_audit(
        t.target, {inv.global().token, ""}, inv.global().timeout);
    audit::ExportAuditRecordsRequest request;
    request.set_stream(stream);
    common::ToProtoTimestamp(from, request.mutable_start_time());
    common::ToProtoTimestamp(to, request.mutable_end_time());
    request.set_page_size(1000);
    while (true) {
      absl::StatusOr<audit::ExportAuditRecordsResponse> page =
          client->ExportAuditRecords(request);
      if (!page.ok()) {
        return absl::Status(
            page.status().code(),
            DescribeAuditError(page.status(), t.service, t.target));
      }
      for (const audit::AuditRecord& r : page->records()) {
        CXDESK_ASSIGN_OR_RETURN(std::string line, AuditRecordJson(r));
        *out << line << "\n";
        ++written;
      }
      if (page->next_page_token().empty() ||
          page->next_page_token() == request.page_token()) {
        break;
      }
      request.set_page_token(page->next_page_token());
    }
  }
  out->flush();
  if (!*out) {
    return absl::DataLossError(absl::StrCat(
        "--out ", out_name.empty() ? "-" : out_name, ": write failed"));
  }
  *inv.env().err << "exported " << written
                 << (written == 1 ? " audit record" : " audit records")
                 << (out_name.empty() ? "" : absl::StrCat(" to ", out_name))
                 << "; " << kAuditHashRecipe << "\n";
  return absl::OkStatus();
}

// --- the command table
// ---------------------------------------------------------

const std::vector<FlagSpec>& GlobalFlagSpecs() {
  static const auto* specs = new std::vector<FlagSpec>{
      {"target", "HOST:PORT",
       "the ticket service [env CXDESK_TICKET_ADDR, default 127.0.0.1:7101]"},
      {"sla-target", "HOST:PORT",
       "the SLA service, for calendar, policy and sla [env "
       "CXDESK_SLA_TARGET, default 127.0.0.1:7102]"},
      {"escalation-target", "HOST:PORT",
       "the escalation service, for team, agent, rule, ladder, route, queue, "
       "escalation(s), notifications and webhooks [env "
       "CXDESK_ESCALATION_TARGET, default 127.0.0.1:7103]"},
      {"token", "TOKEN", "staff bearer token [env CXDESK_TOKEN]"},
      {"access-key", "KEY",
       "a customer's access key to one ticket [env CXDESK_ACCESS_KEY]"},
      {"json", "", "print the response message(s) as JSON, one per line"},
      {"token-secret-file", "FILE",
       "the deployment's token secret, for token issue [env "
       "CXDESK_TOKEN_SECRET_FILE, default .cxdesk/token-secret here or in "
       "the nearest parent with .cxdesk/]"},
      {"timeout", "DURATION", "deadline of each call (default 10s)"},
  };
  return *specs;
}

const std::vector<CommandSpec>& Commands() {
  static const auto* commands = new std::vector<CommandSpec>{
      {"token issue",
       "",
       0,
       0,
       "sign a staff token with the deployment's secret (prints only the "
       "token)",
       {{"role", "ROLE", "agent, manager or service", true},
        {"subject", "NAME", "who the token names (1..64 of A-Za-z0-9_.@-)",
         true},
        {"ttl", "DURATION", "how long it is valid (default 720h; 30d works)"}},
       RunTokenIssue},
      {"health",
       "",
       0,
       0,
       "check that the server at --target is serving, and name its service",
       {},
       RunHealth},
      {"ticket create",
       "",
       0,
       0,
       "open a ticket (no credentials: as the customer); prints its access "
       "key",
       {{"subject", "TEXT", "one-line summary", true},
        {"description", "TEXT", "the customer's first message", true},
        {"email", "EMAIL", "the customer's e-mail address", true},
        {"name", "NAME", "the customer's name"},
        {"kind", "KIND", absl::StrCat("one of ", KindWords())},
        {"cx-level", "LEVEL",
         absl::StrCat("for complaints: one of ", CxLevelWords())},
        {"priority", "PRIORITY", absl::StrCat("one of ", PriorityWords())},
        {"channel", "CHANNEL", absl::StrCat("one of ", ChannelWords())},
        {"tags", "A,B", "labels, comma separated", false, true},
        {"request-id", "ID",
         "idempotency key: a retry returns the first result"}},
       RunCreate},
      {"ticket list",
       "",
       0,
       0,
       "list tickets as a table (staff)",
       {{"status", "S,S", absl::StrCat("only these statuses: ", StatusWords()),
         false, true},
        {"priority", "PRIORITY", absl::StrCat("one of ", PriorityWords())},
        {"kind", "KIND", absl::StrCat("one of ", KindWords())},
        {"cx-level", "LEVEL", absl::StrCat("one of ", CxLevelWords())},
        {"assignee", "AGENT", "only tickets assigned to this agent"},
        {"team", "TEAM", "only this team"},
        {"customer", "EMAIL", "only this customer"},
        {"tag", "TAG", "only tickets with this tag"},
        {"unassigned", "", "only tickets without an agent"},
        {"created-after", "TIME",
         "only tickets created at or after TIME (2026-11-01 or RFC 3339)"},
        {"created-before", "TIME", "only tickets created before TIME"},
        {"order", "ORDER",
         "\"create_time desc\" (default), \"create_time\", \"update_time "
         "desc\" or \"priority desc\""},
        {"page-size", "N", "tickets per page, 1..500 (default 50)"},
        {"page-token", "TOKEN", "the page to show, from a previous list"},
        {"all", "", "follow every page"}},
       RunList},
      {"ticket show",
       "ID",
       1,
       1,
       "a ticket with all its fields and comments (staff)",
       {},
       RunShow},
      {"ticket reply",
       "ID",
       1,
       1,
       "add a public reply (staff with --token, or the customer with "
       "--access-key)",
       {{"body", "TEXT", "the reply; - reads standard input", true}},
       RunReply},
      {"ticket note",
       "ID",
       1,
       1,
       "add an internal note, never shown to the customer (staff)",
       {{"body", "TEXT", "the note; - reads standard input", true}},
       RunNote},
      {"ticket assign",
       "ID",
       1,
       1,
       "assign to an agent and/or a team (staff)",
       {{"agent", "AGENT", "the agent to assign"},
        {"team", "TEAM", "the team to own it"},
        {"unassign", "", "remove the agent (back to the team queue)"},
        {"request-id", "ID", "idempotency key"}},
       RunAssign},
      {"ticket status",
       "ID STATUS",
       2,
       2,
       absl::StrCat("move the ticket to STATUS: ", StatusWords(), " (staff)"),
       {{"reason", "TEXT", "why, kept in the history"}},
       RunStatus},
      {"ticket update",
       "ID",
       1,
       1,
       "change fields; only the flags given are changed (staff)",
       {{"subject", "TEXT", "new subject"},
        {"description", "TEXT", "new description"},
        {"priority", "PRIORITY", absl::StrCat("one of ", PriorityWords())},
        {"kind", "KIND", absl::StrCat("one of ", KindWords())},
        {"cx-level", "LEVEL", absl::StrCat("one of ", CxLevelWords())},
        {"channel", "CHANNEL", absl::StrCat("one of ", ChannelWords())},
        {"tags", "A,B", "replace the tags (\"\" clears them)", false, true},
        {"etag", "ETAG", "fail if the ticket changed since this etag"}},
       RunUpdate},
      {"ticket rate",
       "ID",
       1,
       1,
       "rate a solved ticket (the customer, with --access-key)",
       {{"score", "1..5", "1 very unhappy .. 5 very happy", true},
        {"comment", "TEXT", "optional words"}},
       RunRate},
      {"ticket status-view",
       "ID",
       1,
       1,
       "the customer's view: status in plain words and the conversation",
       {},
       RunStatusView},
      {"ticket events",
       "ID",
       1,
       1,
       "the history of a ticket: who changed what, before -> after (staff)",
       {},
       RunEvents},
      {"ticket watch",
       "",
       0,
       0,
       "follow the event stream of all tickets live, one line per event with "
       "its cursor (staff)",
       {{"after", "CURSOR",
         "resume after this cursor (default: from the "
         "beginning)"},
        {"count", "N", "stop after N events"}},
       RunWatch},
      {"calendar create",
       "",
       0,
       0,
       "create a business calendar from a Calendar file (text format, JSON or "
       "YAML) "
       "(manager)",
       {{"file", "FILE",
         "the Calendar as text format, JSON (.json) or YAML (.yaml) "
         "(calendar_id, time_zone, "
         "hours, holidays, description); - reads standard input",
         true}},
       RunCalendarCreate,
       Service::kSla},
      {"calendar update",
       "",
       0,
       0,
       "replace the calendar named by calendar_id in the file (manager)",
       {{"file", "FILE",
         "the new Calendar as text format, JSON (.json) or YAML (.yaml)", true},
        {"etag", "ETAG",
         "fail if the calendar changed since this etag (default: the "
         "current one, i.e. overwrite)"}},
       RunCalendarUpdate,
       Service::kSla},
      {"calendar get",
       "ID",
       1,
       1,
       "a calendar's time zone, business hours and holidays (staff)",
       {},
       RunCalendarGet,
       Service::kSla},
      {"calendar list",
       "",
       0,
       0,
       "all calendars as a table (staff)",
       {},
       RunCalendarList,
       Service::kSla},
      {"calendar delete",
       "ID",
       1,
       1,
       "delete a calendar no policy or open clock uses (manager)",
       {{"etag", "ETAG", "fail if the calendar changed since this etag"}},
       RunCalendarDelete,
       Service::kSla},
      {"policy create",
       "",
       0,
       0,
       "create an SLA policy from a Policy file (text format, JSON or YAML) "
       "(manager)",
       {{"file", "FILE",
         "the Policy as text format, JSON (.json) or YAML (.yaml) (policy_id, "
         "position, "
         "conditions, targets, ...); - reads standard input",
         true}},
       RunPolicyCreate,
       Service::kSla},
      {"policy update",
       "",
       0,
       0,
       "replace the policy named by policy_id in the file (manager)",
       {{"file", "FILE",
         "the new Policy as text format, JSON (.json) or YAML (.yaml)", true},
        {"etag", "ETAG",
         "fail if the policy changed since this etag (default: the current "
         "one, i.e. overwrite)"}},
       RunPolicyUpdate,
       Service::kSla},
      {"policy get",
       "ID",
       1,
       1,
       "a policy's conditions and targets (staff)",
       {},
       RunPolicyGet,
       Service::kSla},
      {"policy list",
       "",
       0,
       0,
       "all policies in the order they are tried (staff)",
       {},
       RunPolicyList,
       Service::kSla},
      {"policy delete",
       "ID",
       1,
       1,
       "delete a policy (manager)",
       {{"etag", "ETAG", "fail if the policy changed since this etag"}},
       RunPolicyDelete,
       Service::kSla},
      {"sla show",
       "TICKET_ID",
       1,
       1,
       "every SLA clock of a ticket and why it stands where it does (staff)",
       {},
       RunSlaShow,
       Service::kSla},
      {"sla promise",
       "TICKET_ID",
       1,
       1,
       "what the customer may be promised for a ticket (staff, service)",
       {},
       RunSlaPromise,
       Service::kSla},
      {"sla events",
       "",
       0,
       0,
       "the SLA event ledger, oldest first, following every page (staff)",
       {{"ticket", "ID", "only this ticket"},
        {"kind", "K,K", absl::StrCat("only these kinds: ", SlaEventKindWords()),
         false, true},
        {"metric", "METRIC", absl::StrCat("one of ", MetricWords())},
        {"since", "TIME",
         "only events at or after TIME (2026-11-01 or RFC 3339)"},
        {"until", "TIME", "only events before TIME"},
        {"limit", "N", "stop after N events"}},
       RunSlaEvents,
       Service::kSla},
      {"sla breaches",
       "",
       0,
       0,
       "SLA breaches, newest deadline first, and what became of them (staff)",
       {{"team", "TEAM", "only this team"},
        {"agent", "AGENT", "only tickets assigned to this agent"},
        {"metric", "METRIC", absl::StrCat("one of ", MetricWords())},
        {"priority", "PRIORITY", absl::StrCat("one of ", PriorityWords())},
        {"open", "", "only clocks not met yet"},
        {"from", "TIME", "only breaches due at or after TIME", false, false,
         "since"},
        {"to", "TIME", "only breaches due before TIME", false, false, "until"},
        {"no-causes", "",
         "skip the causes (they ask the ticket and escalation services about "
         "each breach)"},
        {"limit", "N", "stop after N breaches"}},
       RunSlaBreaches,
       Service::kSla},
      {"sla report",
       "",
       0,
       0,
       "compliance and response times of the clocks started in a window, as "
       "a table, CSV or an HTML page with charts (manager)",
       {{"from", "TIME",
         "clocks that started at or after TIME (2026-11-01 or RFC 3339)", true,
         false, "since"},
        {"to", "TIME", "clocks that started before TIME", true, false, "until"},
        {"by", "D,D",
         absl::StrCat("one row per group of: ", ReportDimensionWords()), false,
         true, "group-by"},
        {"csv", "", "print CSV instead of a table"},
        {"html", "FILE",
         "write a self-contained HTML page with charts (compliance by day or "
         "week, first responses against the target, breaches by CX level and "
         "team) to FILE"},
        {"bucket", "day|week",
         "the HTML chart's slices (default: day up to 62 days, else week)"},
        {"format", "FORMAT", "table (default) or csv"}},
       RunSlaReport,
       Service::kSla},
      {"sla simulate",
       "",
       0,
       0,
       "the report a past window would have had under a draft policy; "
       "changes nothing (manager)",
       {{"policy", "FILE",
         "the draft Policy as JSON (.json), YAML (.yaml) or text format; it "
         "replaces the policy with its policy_id, or is added",
         true, false, "file"},
        {"from", "TIME", "clocks that started at or after TIME", true, false,
         "since"},
        {"to", "TIME",
         "clocks that started before TIME (at most 31 days after --from)", true,
         false, "until"},
        {"by", "D,D",
         absl::StrCat("one row per group of: ", ReportDimensionWords()), false,
         true, "group-by"},
        {"csv", "", "print CSV instead of a table"},
        {"format", "FORMAT", "table (default) or csv"}},
       RunSlaSimulate,
       Service::kSla},
      {"sla watch",
       "",
       0,
       0,
       "follow the SLA event stream live, one line per event with its "
       "cursor (staff)",
       {{"after", "CURSOR",
         "resume after this cursor (default: from the beginning)"},
        {"count", "N", "stop after N events"}},
       RunSlaWatch,
       Service::kSla},
      {"team create",
       "",
       0,
       0,
       "create a team from a Team file (text format, JSON or YAML) (manager)",
       {{"file", "FILE",
         "the Team as text format, JSON (.json) or YAML (.yaml) (team_id, "
         "display_name, lead, "
         "manager, default_calendar, default_team, webhook); - reads "
         "standard input",
         true}},
       RunTeamCreate,
       Service::kEscalation},
      {"team update",
       "",
       0,
       0,
       "replace the team named by team_id in the file; an empty webhook "
       "secret keeps the stored one (manager)",
       {{"file", "FILE",
         "the new Team as text format, JSON (.json) or YAML (.yaml)", true},
        {"etag", "ETAG",
         "fail if the team changed since this etag (default: the current "
         "one, i.e. overwrite)"}},
       RunTeamUpdate,
       Service::kEscalation},
      {"team get",
       "ID",
       1,
       1,
       "a team's lead, manager, calendar and webhook (staff)",
       {},
       RunTeamGet,
       Service::kEscalation},
      {"team list",
       "",
       0,
       0,
       "all teams as a table (staff)",
       {},
       RunTeamList,
       Service::kEscalation},
      {"team delete",
       "ID",
       1,
       1,
       "delete a team no rule routes to and no agent belongs to (manager)",
       {},
       RunTeamDelete,
       Service::kEscalation},
      {"agent create",
       "",
       0,
       0,
       "create an agent from a Agent file (text format, JSON or YAML) "
       "(manager)",
       {{"file", "FILE",
         "the Agent as text format, JSON (.json) or YAML (.yaml) (agent_id, "
         "display_name, "
         "team_ids, skills, tier, capacity, availability, shift_calendar); - "
         "reads standard input",
         true}},
       RunAgentCreate,
       Service::kEscalation},
      {"agent update",
       "",
       0,
       0,
       "replace the agent named by agent_id in the file; without "
       "availability the current one is kept (manager)",
       {{"file", "FILE",
         "the new Agent as text format, JSON (.json) or YAML (.yaml)", true},
        {"etag", "ETAG",
         "fail if the agent changed since this etag (default: the current "
         "one, i.e. overwrite)"}},
       RunAgentUpdate,
       Service::kEscalation},
      {"agent get",
       "ID",
       1,
       1,
       "an agent's teams, skills, availability and load (staff)",
       {},
       RunAgentGet,
       Service::kEscalation},
      {"agent list",
       "",
       0,
       0,
       "agents as a table with their load (staff)",
       {{"team", "TEAM", "only members of this team"}},
       RunAgentList,
       Service::kEscalation},
      {"agent delete",
       "ID",
       1,
       1,
       "delete an agent who leads or manages no team (manager)",
       {},
       RunAgentDelete,
       Service::kEscalation},
      {"agent availability",
       "ID STATE",
       2,
       2,
       absl::StrCat(
           "set an agent's availability to STATE: ", AvailabilityWords(),
           "; ID me is yourself (the agent, or a manager)"),
       {},
       RunAgentAvailability,
       Service::kEscalation},
      {"rule create",
       "",
       0,
       0,
       "create a routing rule from a RoutingRule file (text format, JSON or "
       "YAML) (manager)",
       {{"file", "FILE",
         "the RoutingRule as text format, JSON (.json) or YAML (.yaml) "
         "(rule_id, position, "
         "conditions, team_id, strategy); - reads standard input",
         true}},
       RunRuleCreate,
       Service::kEscalation},
      {"rule update",
       "",
       0,
       0,
       "replace the rule named by rule_id in the file (manager)",
       {{"file", "FILE",
         "the new RoutingRule as text format, JSON (.json) or YAML (.yaml)",
         true},
        {"etag", "ETAG",
         "fail if the rule changed since this etag (default: the current "
         "one, i.e. overwrite)"}},
       RunRuleUpdate,
       Service::kEscalation},
      {"rule get",
       "ID",
       1,
       1,
       "a routing rule's conditions, team and strategy (staff)",
       {},
       RunRuleGet,
       Service::kEscalation},
      {"rule list",
       "",
       0,
       0,
       "the routing rules in the order they are tried (staff)",
       {},
       RunRuleList,
       Service::kEscalation},
      {"rule delete",
       "ID",
       1,
       1,
       "delete a routing rule (manager)",
       {},
       RunRuleDelete,
       Service::kEscalation},
      {"ladder set",
       "",
       0,
       0,
       "create or replace the escalation ladder of the file's metric "
       "(manager)",
       {{"file", "FILE",
         "the Ladder as text format, JSON (.json) or YAML (.yaml) (metric, "
         "steps); - reads "
         "standard input",
         true},
        {"etag", "ETAG",
         "fail if the ladder changed since this etag (default: overwrite)"}},
       RunLadderSet,
       Service::kEscalation},
      {"ladder get",
       "METRIC",
       1,
       1,
       absl::StrCat("a metric's ladder step by step (staff); METRIC one of ",
                    MetricWords()),
       {},
       RunLadderGet,
       Service::kEscalation},
      {"ladder list",
       "",
       0,
       0,
       "every ladder, by metric (staff)",
       {},
       RunLadderList,
       Service::kEscalation},
      {"ladder delete",
       "METRIC",
       1,
       1,
       "delete a metric's ladder; its pending steps do not run (manager)",
       {},
       RunLadderDelete,
       Service::kEscalation},
      {"route explain",
       "TICKET",
       1,
       1,
       "every routing decision taken for a ticket and why (staff)",
       {},
       RunRouteExplain,
       Service::kEscalation},
      {"route ticket",
       "TICKET",
       1,
       1,
       "route a ticket again now (manager), or with --dry-run show where it "
       "would go (staff)",
       {{"dry-run", "", "decide and explain, record and assign nothing"}},
       RunRouteTicket,
       Service::kEscalation},
      {"queue",
       "TEAM",
       1,
       1,
       "the tickets waiting in a team's queue, next to be assigned first "
       "(staff)",
       {{"limit", "N", "show at most N, 1..500 (default 500)"}},
       RunQueue,
       Service::kEscalation},
      {"escalations",
       "",
       0,
       0,
       "escalation steps taken, newest first, following every page (staff)",
       {{"ticket", "ID", "only this ticket"},
        {"team", "TEAM", "only this team"},
        {"level", "N", "only this ladder level"},
        {"from", "TIME",
         "only steps at or after TIME (2026-11-01 or RFC 3339)"},
        {"to", "TIME", "only steps before TIME"},
        {"acknowledged", "yes|no",
         "only acknowledged (or unacknowledged) "
         "cycles"},
        {"limit", "N", "stop after N steps"}},
       RunEscalations,
       Service::kEscalation},
      {"escalation ack",
       "ID",
       1,
       1,
       "acknowledge an escalation: later notify-only steps of its cycle are "
       "skipped (a recipient, the assignee or a manager)",
       {},
       RunEscalationAck,
       Service::kEscalation},
      {"escalation figures",
       "",
       0,
       0,
       "routing and escalation figures over a window: per agent, team queue "
       "and level (manager)",
       {{"from", "TIME", "window start (2026-11-01 or RFC 3339)", true},
        {"to", "TIME", "window end (exclusive)", true},
        {"format", "FORMAT", "table (default) or csv"}},
       RunEscalationFigures,
       Service::kEscalation},
      {"notifications",
       "",
       0,
       0,
       "your notifications, newest first, and how many are unread",
       {{"unread", "", "only unread ones"},
        {"for", "AGENT", "another agent's feed (managers)"},
        {"limit", "N", "stop after N notifications"}},
       RunNotifications,
       Service::kEscalation},
      {"notifications read",
       "[ID...]",
       0,
       10000,
       "mark your notifications read: the ones named, or --all",
       {{"all", "", "every notification of yours"}},
       RunNotificationsRead,
       Service::kEscalation},
      {"notifications watch",
       "",
       0,
       0,
       "follow a notification feed live, one line per notification with its "
       "cursor, until interrupted",
       {{"for", "AGENT", "another agent's feed, or * for all (managers)"},
        {"after", "CURSOR",
         "resume after this cursor (default: from the beginning)"},
        {"count", "N", "stop after N notifications"}},
       RunNotificationsWatch,
       Service::kEscalation},
      {"webhooks",
       "",
       0,
       0,
       "webhook deliveries, newest first: pending, delivered and dead "
       "letters (manager)",
       {{"team", "TEAM", "only this team's webhook"},
        {"state", "STATE", absl::StrCat("one of ", DeliveryStateWords())},
        {"limit", "N", "stop after N deliveries"}},
       RunWebhooks,
       Service::kEscalation},
      {"audit verify",
       "",
       0,
       0,
       "walk the hash-chained audit trail of the ticket, SLA and escalation "
       "services and name the first altered, deleted or inserted record or "
       "row of each stream; exit 1 if any (manager)",
       {{"stream", "STREAM",
         "only this stream: ticket.events, sla.events, sla.config, "
         "escalation.steps or escalation.config"}},
       RunAuditVerify},
      {"audit export",
       "",
       0,
       0,
       "write the audit records of a time window with their hashes, one JSON "
       "object per line, for an external auditor (manager); hash = "
       "sha256_hex(prev_hash \\n stream \\n seq \\n source_table \\n op "
       "\\n source_key \\n payload), the first prev_hash 64 zeros",
       {{"from", "TIME",
         "records written at or after TIME (2026-11-01 or "
         "RFC 3339)",
         true},
        {"to", "TIME", "records written before TIME", true},
        {"stream", "STREAM", "only this stream (default: every stream)"},
        {"out", "FILE", "write to FILE instead of standard output"}},
       RunAuditExport},
  };
  return *commands;
}

const CommandSpec* FindCommand(absl::string_view name) {
  for (const CommandSpec& c : Commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// The commands whose name starts with "<group> ", e.g. "create, list, ...".
std::string Verbs(absl::string_view group) {
  std::vector<std::string> verbs;
  for (const CommandSpec& c : Commands()) {
    if (absl::StartsWith(c.name, absl::StrCat(group, " "))) {
      verbs.push_back(c.name.substr(group.size() + 1));
    }
  }
  return absl::StrJoin(verbs, ", ");
}

bool IsGroup(absl::string_view word) { return !Verbs(word).empty(); }

std::string GlobalHelp() {
  FlagParser parser;
  parser.AddAll(GlobalFlagSpecs());
  return parser.Help();
}

std::string TopUsage() {
  std::string out =
      "usage: cxdesk [global flags] COMMAND [ARGS] [flags]\n\ncommands:\n";
  size_t width = 0;
  for (const CommandSpec& c : Commands()) {
    width = std::max(width, c.name.size() + 1 + c.args.size());
  }
  for (const CommandSpec& c : Commands()) {
    std::string left = absl::StrCat(c.name, c.args.empty() ? "" : " ", c.args);
    left.resize(width + 2, ' ');
    absl::StrAppend(&out, "  ", left, c.summary, "\n");
  }
  absl::StrAppend(
      &out, "\nglobal flags (before or after the command):\n", GlobalHelp(),
      "\nRun 'cxdesk COMMAND --help' for a command's flags.\n"
      "Exit status: 0 done, 1 error from the service or the environment, 2 "
      "usage error.\n");
  return out;
}

// The usage of a command group ("cxdesk audit --help"): its commands, each
// with its arguments and summary.
std::string GroupUsage(absl::string_view group) {
  std::string out = absl::StrCat("usage: cxdesk ", group,
                                 " COMMAND [ARGS] [flags]\n\ncommands:\n");
  const std::string prefix = absl::StrCat(group, " ");
  size_t width = 0;
  for (const CommandSpec& c : Commands()) {
    if (!absl::StartsWith(c.name, prefix)) continue;
    width = std::max(width, c.name.size() + 1 + c.args.size());
  }
  for (const CommandSpec& c : Commands()) {
    if (!absl::StartsWith(c.name, prefix)) continue;
    std::string left = absl::StrCat(c.name, c.args.empty() ? "" : " ", c.args);
    left.resize(width + 2, ' ');
    absl::StrAppend(&out, "  cxdesk ", left, c.summary, "\n");
  }
  absl::StrAppend(&out, "\nRun 'cxdesk ", group,
                  " COMMAND --help' for a command's flags.\n");
  return out;
}

std::string CommandUsage(const CommandSpec& command) {
  FlagParser parser;
  parser.AddAll(command.flags);
  std::string out = absl::StrCat("usage: cxdesk ", command.name,
                                 command.args.empty() ? "" : " ", command.args,
                                 command.flags.empty() ? "" : " [flags]",
                                 "\n\n", command.summary, "\n");
  if (!command.flags.empty())
    absl::StrAppend(&out, "\nflags:\n", parser.Help());
  absl::StrAppend(&out, "\nglobal flags:\n", GlobalHelp());
  return out;
}

// Resolves the global options from flags, then the environment, then the
// defaults.
absl::StatusOr<GlobalOptions> ResolveGlobals(const ParsedFlags& flags,
                                             const CliEnvironment& env) {
  auto pick = [&](absl::string_view flag, const std::string& var,
                  absl::string_view fallback) -> std::string {
    if (flags.Has(flag)) return flags.Get(flag);
    if (std::optional<std::string> value = env.getenv(var);
        value.has_value() && !value->empty()) {
      return *value;
    }
    return std::string(fallback);
  };
  GlobalOptions global;
  global.target = pick("target", "CXDESK_TICKET_ADDR", kDefaultTarget);
  global.sla_target =
      pick("sla-target", "CXDESK_SLA_TARGET", kDefaultSlaTarget);
  global.escalation_target =
      pick("escalation-target", "CXDESK_ESCALATION_TARGET",
           kDefaultEscalationTarget);
  global.token = pick("token", "CXDESK_TOKEN", "");
  global.access_key = pick("access-key", "CXDESK_ACCESS_KEY", "");
  // An access key given on the command line means "act as the customer":
  // a staff token inherited from the environment would take precedence on
  // the server, so it is not sent.
  if (flags.Has("access-key") && !flags.Has("token")) global.token.clear();
  global.token_secret_file =
      pick("token-secret-file", "CXDESK_TOKEN_SECRET_FILE", "");
  global.json = flags.Has("json");
  if (flags.Has("timeout")) {
    CXDESK_ASSIGN_OR_RETURN(
        global.timeout, ParseDurationFlag("--timeout", flags.Get("timeout")));
  }
  if (global.target.empty()) {
    return absl::InvalidArgumentError("--target: must be HOST:PORT");
  }
  if (global.sla_target.empty()) {
    return absl::InvalidArgumentError("--sla-target: must be HOST:PORT");
  }
  if (global.escalation_target.empty()) {
    return absl::InvalidArgumentError("--escalation-target: must be HOST:PORT");
  }
  return global;
}

// Parses the command line and runs the command; every error comes back
// tagged (usage, service) for RunCli to report.
absl::Status Dispatch(const std::vector<std::string>& args,
                      const CliEnvironment& env, const CommandSpec** command,
                      std::string* target) {
  FlagParser global_parser;
  global_parser.AddAll(GlobalFlagSpecs());
  ParsedFlags flags;
  size_t next = 0;
  CXDESK_RETURN_IF_ERROR(AsUsage(global_parser.Parse(
      args, 0, /*stop_at_positional=*/true, &flags, &next)));
  if (next == args.size() || args[next] == "help") {
    if (flags.help || (next < args.size() && args[next] == "help")) {
      *env.out << TopUsage();
      return absl::OkStatus();
    }
    return UsageError("which command? (run 'cxdesk --help' for the list)");
  }
  std::string name = args[next++];
  if (IsGroup(name)) {
    const bool has_verb =
        next < args.size() && !absl::StartsWith(args[next], "-");
    // A word may be both a command and a group ("notifications" and
    // "notifications read"): a known verb picks the group's command.
    if (has_verb &&
        FindCommand(absl::StrCat(name, " ", args[next])) != nullptr) {
      absl::StrAppend(&name, " ", args[next++]);
    } else if (FindCommand(name) == nullptr) {
      if (!has_verb) {
        // "cxdesk audit --help" lists the group, as git and kubectl do.
        const bool help = std::any_of(
            args.begin() + next, args.end(),
            [](const std::string& a) { return a == "--help" || a == "-h"; });
        if (help) {
          *env.out << GroupUsage(name);
          return absl::OkStatus();
        }
        return UsageError(
            absl::StrCat("cxdesk ", name, ": which one? ", Verbs(name)));
      }
      absl::StrAppend(&name, " ", args[next++]);
    }
  }
  const CommandSpec* spec = FindCommand(name);
  if (spec == nullptr) {
    return UsageError(absl::StrCat("unknown command '", Shown(name),
                                   "' (run 'cxdesk --help' for the list)"));
  }
  *command = spec;
  FlagParser parser;
  parser.AddAll(GlobalFlagSpecs());
  parser.AddAll(spec->flags);
  CXDESK_RETURN_IF_ERROR(AsUsage(
      parser.Parse(args, next, /*stop_at_positional=*/false, &flags, nullptr)));
  if (flags.help) {
    *env.out << CommandUsage(*spec);
    return absl::OkStatus();
  }
  FlagParser own;
  own.AddAll(spec->flags);
  CXDESK_RETURN_IF_ERROR(AsUsage(own.CheckRequired(flags)));
  const int n = static_cast<int>(flags.positionals.size());
  if (n < spec->min_args) {
    return UsageError(
        absl::StrCat("missing argument(s): ", spec->name, " ", spec->args));
  }
  if (n > spec->max_args) {
    return UsageError(absl::StrCat("unexpected argument '",
                                   Shown(flags.positionals[spec->max_args]),
                                   "'"));
  }
  CXDESK_ASSIGN_OR_RETURN(GlobalOptions global,
                          AsUsage(ResolveGlobals(flags, env)));
  switch (spec->service) {
    case Service::kTicket:
      *target = global.target;
      break;
    case Service::kSla:
      *target = global.sla_target;
      break;
    case Service::kEscalation:
      *target = global.escalation_target;
      break;
  }
  Invocation invocation(env, *spec, std::move(flags), std::move(global));
  return spec->run(invocation);
}

}  // namespace

std::string FindTokenSecretFile(const std::string& cwd) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(cwd), ec);
  if (ec) return "";
  while (true) {
    if (fs::is_directory(dir / ".cxdesk", ec)) {
      return (dir / ".cxdesk" / "token-secret").string();
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) return "";
    dir = dir.parent_path();
  }
}

CliEnvironment ProcessEnvironment() {
  CliEnvironment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  std::error_code ec;
  env.cwd = std::filesystem::current_path(ec).string();
  env.tz = absl::LocalTimeZone();
  env.now = [] { return absl::Now(); };
  env.connect = [](const std::string& target, CallCredentials credentials,
                   absl::Duration timeout) {
    return TicketClient::Connect(target, std::move(credentials), timeout);
  };
  env.connect_sla = [](const std::string& target, CallCredentials credentials,
                       absl::Duration timeout) {
    return SlaClient::Connect(target, std::move(credentials), timeout);
  };
  env.connect_escalation = [](const std::string& target,
                              CallCredentials credentials,
                              absl::Duration timeout) {
    return EscalationClient::Connect(target, std::move(credentials), timeout);
  };
  env.connect_audit = [](const std::string& target, CallCredentials credentials,
                         absl::Duration timeout) {
    return AuditClient::Connect(target, std::move(credentials), timeout);
  };
  env.check_health = [](const std::string& target, absl::Duration timeout) {
    return ServedApi(target, timeout);
  };
  env.in = &std::cin;
  env.out = &std::cout;
  env.err = &std::cerr;
  return env;
}

int RunCli(const std::vector<std::string>& args, const CliEnvironment& env) {
  const CommandSpec* command = nullptr;
  std::string target = kDefaultTarget;
  absl::Status status = Dispatch(args, env, &command, &target);
  env.out->flush();
  if (status.ok()) return kExitOk;
  if (status.GetPayload(kUsagePayload).has_value()) {
    const std::string where =
        command == nullptr ? "cxdesk" : absl::StrCat("cxdesk ", command->name);
    *env.err << where << ": " << status.message() << "\n"
             << "(run '" << where << " --help' for usage)\n";
    return kExitUsage;
  }
  if (status.GetPayload(kServerPayload).has_value()) {
    status.ErasePayload(kServerPayload);
    const Service service =
        command != nullptr ? command->service : Service::kTicket;
    *env.err << "error: "
             << (service == Service::kSla ? DescribeSlaError(status, target)
                 : service == Service::kEscalation
                     ? DescribeEscalationError(status, target)
                     : DescribeError(status, target))
             << "\n";
    return kExitError;
  }
  *env.err << "error: " << status.message() << "\n";
  return kExitError;
}

}  // namespace cxdesk::clients::cli
