#include "services/ticket/config.h"

#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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
  return config;
}

}  // namespace cxdesk::ticket
