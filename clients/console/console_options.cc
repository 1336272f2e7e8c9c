#include "clients/console/console_options.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clients/common/arg_parser.h"

namespace cxdesk::clients::console {
namespace {

std::vector<FlagSpec> ConsoleFlags() {
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
  FlagParser parser;
  parser.AddAll(ConsoleFlags());
  ParsedFlags flags;
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
  FlagParser parser;
  parser.AddAll(ConsoleFlags());
  return absl::StrCat(
      "usage: cxdesk-console [--target HOST:PORT] [--sla-target HOST:PORT] "
      "[--escalation-target HOST:PORT] [--token TOKEN]\n\n"
      "The agent console: your tickets, your team's queue and the unassigned "
      "ones, live,\nsorted by the next SLA deadline. Press ? inside for the "
      "keys.\n\n",
      parser.Help());
}

}  // namespace cxdesk::clients::console
