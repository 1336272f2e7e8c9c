#include "services/ticket/config.h"

#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/flags.h"

namespace cxdesk::ticket {
absl::StatusOr<Config> ParseConfig(int argc, char** argv) {
  common::FlagSet flags("cxdesk-ticketd");
  flags.Add("database-url", "CXDESK_DATABASE_URL", "",
            "PostgreSQL URL, e.g. postgresql://user@127.0.0.1:5432/cxdesk");
  flags.Add("listen", "CXDESK_LISTEN", "127.0.0.1:7101",
            "gRPC listen address (host:port; port 0 picks one)");
  flags.Add("token-secret-file", "CXDESK_TOKEN_SECRET_FILE",
            ".cxdesk/token-secret", "file holding the token signing secret");
  flags.Add("port-file", "", "", "write the bound port here once serving");
  flags.Add("pool-size", "CXDESK_POOL_SIZE", "8",
            "PostgreSQL connections in the pool");
  flags.Add("sla-target", "CXDESK_SLA_TARGET", "127.0.0.1:7102",
            "SLA service address for the customer view's promise "
            "(loopback host:port), or none");
  flags.Add("sla-timeout-ms", "CXDESK_SLA_TIMEOUT_MS", "300",
            "deadline of each call to the SLA service, in milliseconds");
  absl::Status parsed = flags.Parse(argc, argv);
  if (absl::IsCancelled(parsed)) {
    std::cout << flags.Usage();
    return parsed;
  }
  if (!parsed.ok()) return parsed;
  Config config;
  config.database_url = flags.Get("database-url");
  config.listen = flags.Get("listen");
  config.token_secret_file = flags.Get("token-secret-file");
  config.port_file = flags.Get("port-file");
  if (config.database_url.empty()) {
    return absl::InvalidArgumentError(
        "--database-url (or CXDESK_DATABASE_URL) is required");
  }
  if (config.listen.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen: expected host:port, got '", config.listen, "'"));
  }
  if (!absl::SimpleAtoi(flags.Get("pool-size"), &config.pool_size) ||
      config.pool_size < 1 || config.pool_size > 256) {
    return absl::InvalidArgumentError("--pool-size: must be 1..256");
  }
  if (const std::string& target = flags.Get("sla-target"); target != "none") {
    // The channel is plaintext and carries a service token.
    absl::Status valid = common::ValidateLoopbackTarget("--sla-target", target);
    if (!valid.ok()) return valid;
    config.sla_target = target;
  }
  int sla_timeout_ms = 0;
  if (!absl::SimpleAtoi(flags.Get("sla-timeout-ms"), &sla_timeout_ms) ||
      sla_timeout_ms < 1 || sla_timeout_ms > 10000) {
    return absl::InvalidArgumentError("--sla-timeout-ms: must be 1..10000");
  }
  config.sla_timeout = absl::Milliseconds(sla_timeout_ms);
  return config;
}

}  // namespace cxdesk::ticket
