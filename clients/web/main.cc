// cxdesk-web: the customer portal's gateway. Serves the JSON API
// (docs/web-api.md) over the ticket service, on 127.0.0.1:7180 by default;
// it owns no schema and keeps no ticket state. Stops on SIGTERM or SIGINT.
// (The portal's pages and live updates come next; see issue 13.)

#include <signal.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/lib/ticket_client.h"
#include "clients/web/api_routes.h"
#include "clients/web/http_server.h"
#include "clients/web/router.h"
#include "services/common/clock.h"
#include "services/common/flags.h"
#include "services/common/text.h"

namespace cxdesk::clients::web {
namespace {

struct Config {
  HttpServerOptions server;
  std::string ticket_target;
  std::string origin;
  std::string port_file;
};

absl::StatusOr<Config> ParseConfig(int argc, char** argv) {
  common::FlagSet flags("cxdesk-web");
  flags.Add("listen", "CXDESK_WEB_LISTEN", "127.0.0.1:7180",
            "HTTP listen address (IPv4 host:port; port 0 picks one)");
  flags.Add("ticket-target", "CXDESK_TICKET_TARGET", "127.0.0.1:7101",
            "the ticket service (loopback host:port)");
  flags.Add("origin", "CXDESK_WEB_ORIGIN", "",
            "the portal's origin as browsers send it, e.g. "
            "https://help.example.com (default: http://<listen>; none "
            "with port 0)");
  flags.Add("port-file", "", "", "write the bound port here once serving");
  if (absl::Status parsed = flags.Parse(argc, argv); !parsed.ok()) {
    if (parsed.code() == absl::StatusCode::kCancelled) {
      std::cout << flags.Usage();
    }
    return parsed;
  }
  Config config;
  const std::string& listen = flags.Get("listen");
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen: must be host:port, got ", common::Excerpt(listen)));
  }
  config.server.address = listen.substr(0, colon);
  config.server.port = static_cast<uint16_t>(port);
  config.ticket_target = flags.Get("ticket-target");
  // The channel is plaintext and carries customers' keys: loopback only.
  if (absl::Status valid = common::ValidateLoopbackTarget("--ticket-target",
                                                          config.ticket_target);
      !valid.ok()) {
    return valid;
  }
  // The default origin is the listen address; with port 0 it is unknown
  // beforehand, and POSTs that carry an Origin are then refused.
  config.origin = flags.Get("origin");
  if (config.origin.empty() && port != 0) {
    config.origin = absl::StrCat("http://", listen);
  }
  config.port_file = flags.Get("port-file");
  return config;
}

int Run(const Config& config) {
  // Signals are taken by sigwait below, not by a handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<TicketClient> tickets = TicketClient::Connect(
      config.ticket_target, CallCredentials{}, TicketApi::kCallTimeout);
  const common::SystemClock clock;
  Router router;
  TicketApi::Options api_options;
  api_options.origin = config.origin;
  TicketApi api(api_options, *tickets, clock);
  api.AddRoutes(router);
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(config.server, router.AsHandler());
  if (!server.ok()) {
    std::cerr << "cxdesk-web: " << server.status().message() << "\n";
    return 1;
  }
  const uint16_t port = (*server)->port();
  if (!config.port_file.empty()) {
    std::ofstream(config.port_file) << port << "\n";
  }
  std::cerr << "cxdesk-web: serving on http://" << config.server.address << ":"
            << port << " (ticket service " << config.ticket_target
            << ", origin " << api_options.origin << ")\n";
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << "cxdesk-web: stopping\n";
  (*server)->Stop();
  return 0;
}

}  // namespace
}  // namespace cxdesk::clients::web

int main(int argc, char** argv) {
  absl::StatusOr<cxdesk::clients::web::Config> config =
      cxdesk::clients::web::ParseConfig(argc, argv);
  if (!config.ok()) {
    if (config.status().code() == absl::StatusCode::kCancelled) return 0;
    std::cerr << "cxdesk-web: " << config.status().message() << "\n";
    return 2;
  }
  return cxdesk::clients::web::Run(*config);
}
