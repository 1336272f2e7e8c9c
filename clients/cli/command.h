#ifndef CXDESK_CLIENTS_CLI_COMMAND_H_
#define CXDESK_CLIENTS_CLI_COMMAND_H_

// How a `cxdesk` command is declared and run: the Command builder, the
// Invocation a handler receives, the tags that tell RunCli how to report an
// error, and the helpers the command groups share. Internal to the CLI
// library: each *_commands.cc declares its group's commands here, each one
// beside its handler.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/commands.h"
#include "clients/cli/config_file.h"
#include "clients/cli/output.h"
#include "clients/common/arg_parser.h"
#include "clients/lib/escalation_client.h"
#include "clients/lib/sla_client.h"
#include "clients/lib/ticket_client.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::cli {

// --- how an error is reported --------------------------------------------

// Payloads that tell RunCli how to report an error: a usage error (exit 2)
// or an error from the service (exit 1, explained by DescribeError). Any
// other error is the environment's (exit 1, message as is).
inline constexpr absl::string_view kUsagePayload = "type.cxdesk.dev/cli.usage";
inline constexpr absl::string_view kServerPayload =
    "type.cxdesk.dev/cli.server";

// `status` with `payload` set; OK stays OK.
absl::Status Tagged(absl::Status status, absl::string_view payload);

// A usage error: INVALID_ARGUMENT with `message`, reported with exit 2.
absl::Status UsageError(absl::string_view message);

// `status` (or the status of `result`) reported as a usage error.
absl::Status AsUsage(absl::Status status);
template <typename T>
absl::StatusOr<T> AsUsage(absl::StatusOr<T> result) {
  if (!result.ok()) return AsUsage(result.status());
  return result;
}

// `status` (or the status of `result`) reported as the service's error.
absl::Status FromServer(absl::Status status);
template <typename T>
absl::StatusOr<T> FromServer(absl::StatusOr<T> result) {
  if (!result.ok()) return FromServer(result.status());
  return result;
}

// --- a command ---------------------------------------------------------------

// The global flags as resolved from the command line, the environment and
// the defaults.
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

// Runs a command; errors come back tagged (UsageError, FromServer).
using Handler = absl::Status (*)(Invocation&);

// The service a command talks to: its target and how its errors are told.
enum class Service { kTicket, kSla, kEscalation };

// One command, declared with named setters:
//
//   Command("ticket assign")
//       .Args("ID", 1)
//       .Summary("assign to an agent and/or a team (staff)")
//       .Flag("agent", "AGENT", "the agent to assign")
//       .Switch("unassign", "remove the agent (back to the team queue)")
//       .Run(&RunAssign)
//
// Flags are listed in help in the order declared. A command talks to the
// ticket service unless Service says otherwise. Copyable; not thread-safe to
// mutate.
class Command {
 public:
  // `name` is what is typed: "ticket create", "queue".
  explicit Command(std::string name) : name_(std::move(name)) {}

  // Exactly `count` positional arguments, shown in help as `synopsis`
  // ("ID STATUS").
  Command& Args(std::string synopsis, int count) {
    return Args(std::move(synopsis), count, count);
  }
  // From `min` to `max` positional arguments ("[ID...]", 0, 10000).
  Command& Args(std::string synopsis, int min, int max) {
    args_ = std::move(synopsis);
    min_args_ = min;
    max_args_ = max;
    return *this;
  }
  // The one line of help that says what the command does.
  Command& Summary(std::string summary) {
    summary_ = std::move(summary);
    return *this;
  }
  // An optional flag `--name VALUE`; `value` names the value in help.
  Command& Flag(std::string name, std::string value, std::string help) {
    return Add(std::move(name), std::move(value), std::move(help), false,
               false);
  }
  // A flag the command cannot run without.
  Command& Required(std::string name, std::string value, std::string help) {
    return Add(std::move(name), std::move(value), std::move(help), true, false);
  }
  // An optional flag that may be given more than once (values joined with
  // ',').
  Command& Repeatable(std::string name, std::string value, std::string help) {
    return Add(std::move(name), std::move(value), std::move(help), false, true);
  }
  // A switch: `--name`, no value.
  Command& Switch(std::string name, std::string help) {
    return Add(std::move(name), "", std::move(help), false, false);
  }
  // Another name for the flag declared last ("since" for "from").
  Command& Alias(std::string alias) {
    flags_.back().alias = std::move(alias);
    return *this;
  }
  // The service whose target and error words the command uses.
  Command& Service(cli::Service service) {
    service_ = service;
    return *this;
  }
  // The handler.
  Command& Run(Handler run) {
    run_ = run;
    return *this;
  }

  const std::string& name() const { return name_; }
  // Synopsis of the positional arguments, e.g. "ID"; empty for none.
  const std::string& args() const { return args_; }
  int min_args() const { return min_args_; }
  int max_args() const { return max_args_; }
  const std::string& summary() const { return summary_; }
  const std::vector<FlagSpec>& flags() const { return flags_; }
  Handler run() const { return run_; }
  cli::Service service() const { return service_; }

 private:
  Command& Add(std::string name, std::string value, std::string help,
               bool required, bool repeatable) {
    FlagSpec spec;
    spec.name = std::move(name);
    spec.value_name = std::move(value);
    spec.help = std::move(help);
    spec.required = required;
    spec.repeatable = repeatable;
    flags_.push_back(std::move(spec));
    return *this;
  }

  std::string name_;
  std::string args_;
  int min_args_ = 0;
  int max_args_ = 0;
  std::string summary_;
  std::vector<FlagSpec> flags_;
  Handler run_ = nullptr;
  cli::Service service_ = cli::Service::kTicket;
};

// The state of one run of one command: its flags, the global options and
// the clients, made on first use. Not thread-safe.
class Invocation {
 public:
  Invocation(const CliEnvironment& env, const Command& command,
             ParsedFlags flags, GlobalOptions global)
      : env_(env),
        command_(command),
        flags_(std::move(flags)),
        global_(std::move(global)) {}

  const CliEnvironment& env() const { return env_; }
  const Command& command() const { return command_; }
  const ParsedFlags& flags() const { return flags_; }
  const GlobalOptions& global() const { return global_; }
  // Positional argument `i`; the command's Args guarantee it exists.
  const std::string& arg(size_t i) const { return flags_.positionals[i]; }
  std::ostream& out() { return *env_.out; }
  OutputContext output() const { return {env_.tz, env_.now()}; }

  // The ticket service client, made on first use.
  TicketClient& client();
  // The SLA service client, made on first use. It carries the staff token
  // only: an access key is a secret for the ticket service.
  SlaClient& sla();
  // The escalation service client, made on first use; the staff token only,
  // as for the SLA service.
  EscalationClient& escalation();

  // Prints `message` as one line of JSON.
  absl::Status PrintJson(const google::protobuf::Message& message);

  // The ticket number in positional argument `i`; a usage error naming "ID".
  absl::StatusOr<int64_t> TicketId(size_t i = 0) const;

  // The value of --body, or standard input for "-" (trailing white space
  // dropped).
  std::string Body() const;

  // The contents of the file `name` (relative to the working directory), or
  // of standard input for "-". A usage error naming `flag` if it cannot be
  // read.
  absl::StatusOr<std::string> ReadFile(const std::string& name,
                                       absl::string_view flag = "--file") const;

  // The --count of a watch command: 0 (no limit) when not given; a usage
  // error unless 1..2^31-1.
  absl::StatusOr<int64_t> WatchCount() const;

 private:
  const CliEnvironment& env_;
  const Command& command_;
  ParsedFlags flags_;
  GlobalOptions global_;
  std::unique_ptr<TicketClient> client_;
  std::unique_ptr<SlaClient> sla_client_;
  std::unique_ptr<EscalationClient> escalation_client_;
};

// --- helpers the command groups share --------------------------------------

// The --`flag` of the command as a `Message` as text format, JSON (.json) or
// YAML (.yaml); a usage error naming the file (and the line) if it cannot be
// read or parsed.
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

// Prints what a call returned: JSON with --json, else `format(reply,
// inv.output())`. The call's error comes back as FromServer tags it.
template <typename Reply, typename Format>
absl::Status PrintReply(Invocation& inv, absl::StatusOr<Reply> reply,
                        Format format) {
  if (!reply.ok()) return FromServer(reply.status());
  if (inv.global().json) return inv.PrintJson(*reply);
  inv.out() << format(*reply, inv.output());
  return absl::OkStatus();
}

// Prints what a write returned: JSON, or "<what> <id> <done>, etag E".
absl::Status PrintWritten(Invocation& inv,
                          const google::protobuf::Message& message,
                          absl::string_view what, absl::string_view id,
                          absl::string_view done, absl::string_view etag);

// Prints a deletion: JSON of Empty, or "<what> <id> deleted".
absl::Status PrintDeleted(Invocation& inv, absl::string_view what,
                          absl::string_view id);

// A usage error when the --file leaves the resource's id (`field`) unset:
// "--file F: <field> is not set (it names the <what> to update)".
absl::Status RequireId(Invocation& inv, const std::string& id,
                       absl::string_view field, absl::string_view what);

// Keeps at most `left` (0: all) of `items`; false if some were dropped.
template <typename T>
bool KeepAtMost(int64_t left, google::protobuf::RepeatedPtrField<T>* items) {
  if (left <= 0 || items->size() <= left) return true;
  items->DeleteSubrange(static_cast<int>(left),
                        items->size() - static_cast<int>(left));
  return false;
}

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

// --- the command groups, in the order `cxdesk --help` lists them -------------

// token issue (token_commands.cc).
std::vector<Command> TokenCommands();
// health, ticket ... (ticket_commands.cc).
std::vector<Command> TicketCommands();
// calendar ..., policy ... (sla_config_commands.cc).
std::vector<Command> SlaConfigCommands();
// sla ... (sla_commands.cc).
std::vector<Command> SlaCommands();
// team ..., agent ..., rule ..., ladder ... (escalation_config_commands.cc).
std::vector<Command> EscalationConfigCommands();
// route ..., queue, escalations, escalation ..., notifications ..., webhooks
// (escalation_commands.cc).
std::vector<Command> EscalationCommands();
// audit verify, audit export (audit_commands.cc).
std::vector<Command> AuditCommands();

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_COMMAND_H_
