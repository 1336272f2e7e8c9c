// cxdesk-console: the full-screen agent console. Everything but this entry
// point lives in cxdesk_console_lib (console_app.h, console_model.h).
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clients/console/console_app.h"
#include "clients/console/console_model.h"
#include "clients/console/curses_screen.h"

namespace console = ::cxdesk::clients::console;

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  bool help = false;
  absl::StatusOr<console::ConsoleOptions> options = console::ParseConsoleArgs(
      args,
      [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
      },
      &help);
  if (help) {
    std::cout << console::ConsoleUsage();
    return 0;
  }
  if (!options.ok()) {
    std::cerr << "cxdesk-console: " << options.status().message() << "\n";
    return options.status().code() == absl::StatusCode::kInvalidArgument ? 2
                                                                         : 1;
  }
  absl::StatusOr<console::Identity> me =
      console::IdentityFromToken(options->token);
  if (!me.ok()) {
    std::cerr << "cxdesk-console: " << me.status().message() << "\n";
    return 1;
  }
  const absl::Duration timeout = absl::Seconds(5);
  const cxdesk::clients::CallCredentials credentials{options->token, ""};
  auto tickets = cxdesk::clients::TicketClient::Connect(options->ticket_target,
                                                        credentials, timeout);
  auto sla = cxdesk::clients::SlaClient::Connect(options->sla_target,
                                                 credentials, timeout);
  auto escalation = cxdesk::clients::EscalationClient::Connect(
      options->escalation_target, credentials, timeout);
  console::ConsoleApp app(*options, *me, *tickets, *sla, *escalation);
  if (absl::Status started = app.Start(); !started.ok()) {
    std::string message =
        started.code() == absl::StatusCode::kUnavailable
            ? cxdesk::clients::DescribeError(started, options->ticket_target)
            : console::ErrorWords(started, "ticket");
    // One line: the first of the explanation (the rest is gRPC's detail).
    message = message.substr(0, message.find('\n'));
    std::cerr << "cxdesk-console: " << message << "\n";
    return 1;
  }
  app.StartBackground();
  {
    console::CursesScreen screen;
    app.Run(screen);
    screen.Close();
  }
  app.Stop();
  return 0;
}
