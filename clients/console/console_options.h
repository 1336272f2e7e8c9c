#ifndef CXDESK_CLIENTS_CONSOLE_CONSOLE_OPTIONS_H_
#define CXDESK_CLIENTS_CONSOLE_CONSOLE_OPTIONS_H_

// The agent console's command line: flags, environment and defaults.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cxdesk::clients::console {

// What the console was started with.
struct ConsoleOptions {
  std::string ticket_target;
  std::string sla_target;
  std::string escalation_target;
  std::string token;
  // Use the built-in line editor even when $EDITOR is set.
  bool inline_editor = false;
  // $EDITOR (empty: the built-in line editor).
  std::string editor;
};

// The command line and environment: flags first, then CXDESK_TICKET_ADDR,
// CXDESK_SLA_TARGET, CXDESK_ESCALATION_TARGET, CXDESK_TOKEN and EDITOR,
// then the defaults (127.0.0.1:7101/7102/7103). INVALID_ARGUMENT naming the
// flag for an unknown flag, a missing value or a stray argument;
// `*help` is set for --help (then the options are empty). The token is
// not checked here.
absl::StatusOr<ConsoleOptions> ParseConsoleArgs(
    const std::vector<std::string>& args,
    const std::function<std::optional<std::string>(const std::string&)>& getenv,
    bool* help);

// The usage text.
std::string ConsoleUsage();

}  // namespace cxdesk::clients::console

#endif  // CXDESK_CLIENTS_CONSOLE_CONSOLE_OPTIONS_H_
