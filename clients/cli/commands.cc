#include "clients/cli/commands.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "clients/cli/command.h"
#include "clients/cli/requests.h"
#include "clients/common/arg_parser.h"
#include "clients/lib/audit_client.h"
#include "services/common/status_macros.h"

namespace cxdesk::clients::cli {
namespace {

constexpr char kDefaultTarget[] = "127.0.0.1:7101";
constexpr char kDefaultSlaTarget[] = "127.0.0.1:7102";
constexpr char kDefaultEscalationTarget[] = "127.0.0.1:7103";

// An argument as it may be echoed in an error: a misplaced token is not.
std::string Shown(absl::string_view arg) {
  if (absl::StartsWith(arg, "cxd1.")) return "<a token, not shown>";
  return std::string(arg);
}

// --- the commands --------------------------------------------------------

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

// Every command, in the order `cxdesk --help` lists them; each group's
// commands are declared beside their handlers in its *_commands.cc.
const std::vector<Command>& Commands() {
  static const auto* commands = [] {
    auto* all = new std::vector<Command>();
    for (std::vector<Command> (*group)() :
         {&TokenCommands, &TicketCommands, &SlaConfigCommands, &SlaCommands,
          &EscalationConfigCommands, &EscalationCommands, &AuditCommands}) {
      for (Command& c : group()) all->push_back(std::move(c));
    }
    return all;
  }();
  return *commands;
}

const Command* FindCommand(absl::string_view name) {
  for (const Command& c : Commands()) {
    if (c.name() == name) return &c;
  }
  return nullptr;
}

// The commands whose name starts with "<group> ", e.g. "create, list, ...".
std::string Verbs(absl::string_view group) {
  std::vector<std::string> verbs;
  for (const Command& c : Commands()) {
    if (absl::StartsWith(c.name(), absl::StrCat(group, " "))) {
      verbs.push_back(c.name().substr(group.size() + 1));
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
  for (const Command& c : Commands()) {
    width = std::max(width, c.name().size() + 1 + c.args().size());
  }
  for (const Command& c : Commands()) {
    std::string left =
        absl::StrCat(c.name(), c.args().empty() ? "" : " ", c.args());
    left.resize(width + 2, ' ');
    absl::StrAppend(&out, "  ", left, c.summary(), "\n");
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
  for (const Command& c : Commands()) {
    if (!absl::StartsWith(c.name(), prefix)) continue;
    width = std::max(width, c.name().size() + 1 + c.args().size());
  }
  for (const Command& c : Commands()) {
    if (!absl::StartsWith(c.name(), prefix)) continue;
    std::string left =
        absl::StrCat(c.name(), c.args().empty() ? "" : " ", c.args());
    left.resize(width + 2, ' ');
    absl::StrAppend(&out, "  cxdesk ", left, c.summary(), "\n");
  }
  absl::StrAppend(&out, "\nRun 'cxdesk ", group,
                  " COMMAND --help' for a command's flags.\n");
  return out;
}

std::string CommandUsage(const Command& command) {
  FlagParser parser;
  parser.AddAll(command.flags());
  std::string out = absl::StrCat(
      "usage: cxdesk ", command.name(), command.args().empty() ? "" : " ",
      command.args(), command.flags().empty() ? "" : " [flags]", "\n\n",
      command.summary(), "\n");
  if (!command.flags().empty())
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
                      const CliEnvironment& env, const Command** command,
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
  const Command* spec = FindCommand(name);
  if (spec == nullptr) {
    return UsageError(absl::StrCat("unknown command '", Shown(name),
                                   "' (run 'cxdesk --help' for the list)"));
  }
  *command = spec;
  FlagParser parser;
  parser.AddAll(GlobalFlagSpecs());
  parser.AddAll(spec->flags());
  CXDESK_RETURN_IF_ERROR(AsUsage(
      parser.Parse(args, next, /*stop_at_positional=*/false, &flags, nullptr)));
  if (flags.help) {
    *env.out << CommandUsage(*spec);
    return absl::OkStatus();
  }
  FlagParser own;
  own.AddAll(spec->flags());
  CXDESK_RETURN_IF_ERROR(AsUsage(own.CheckRequired(flags)));
  const int n = static_cast<int>(flags.positionals.size());
  if (n < spec->min_args()) {
    return UsageError(
        absl::StrCat("missing argument(s): ", spec->name(), " ", spec->args()));
  }
  if (n > spec->max_args()) {
    return UsageError(absl::StrCat("unexpected argument '",
                                   Shown(flags.positionals[spec->max_args()]),
                                   "'"));
  }
  CXDESK_ASSIGN_OR_RETURN(GlobalOptions global,
                          AsUsage(ResolveGlobals(flags, env)));
  switch (spec->service()) {
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
  return spec->run()(invocation);
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
  const Command* command = nullptr;
  std::string target = kDefaultTarget;
  absl::Status status = Dispatch(args, env, &command, &target);
  env.out->flush();
  if (status.ok()) return kExitOk;
  if (status.GetPayload(kUsagePayload).has_value()) {
    const std::string where = command == nullptr
                                  ? "cxdesk"
                                  : absl::StrCat("cxdesk ", command->name());
    *env.err << where << ": " << status.message() << "\n"
             << "(run '" << where << " --help' for usage)\n";
    return kExitUsage;
  }
  if (status.GetPayload(kServerPayload).has_value()) {
    status.ErasePayload(kServerPayload);
    const Service service =
        command != nullptr ? command->service() : Service::kTicket;
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
