#include "services/ticket/config.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/flags.h"
#include "services/common/status_macros.h"

namespace cxdesk::ticket {
absl::StatusOr<Config> ParseConfig(int argc, char** argv) {
  common::FlagSet flags("cxdesk-ticketd");
  common::AddServerFlags(flags, "CXDESK_LISTEN", "127.0.0.1:7101",
                         "CXDESK_POOL_SIZE");
  flags.Add("sla-target", "CXDESK_SLA_TARGET", "127.0.0.1:7102",
            "SLA service address for the customer view's promise "
            "(loopback host:port), or none");
  flags.Add("sla-timeout-ms", "CXDESK_SLA_TIMEOUT_MS", "300",
            "deadline of each call to the SLA service, in milliseconds");
  absl::StatusOr<common::ServerFlags> server =
      common::ParseServerFlags(flags, argc, argv, 1);
  if (!server.ok()) return server.status();
  Config config;
  config.server = *std::move(server);
  // The channel is plaintext and carries a service token: loopback only.
  CXDESK_ASSIGN_OR_RETURN(config.sla_target,
                          common::OptionalLoopbackTarget(flags, "sla-target"));
  int sla_timeout_ms = 0;
  if (!absl::SimpleAtoi(flags.Get("sla-timeout-ms"), &sla_timeout_ms) ||
      sla_timeout_ms < 1 || sla_timeout_ms > 10000) {
    return absl::InvalidArgumentError("--sla-timeout-ms: must be 1..10000");
  }
  config.sla_timeout = absl::Milliseconds(sla_timeout_ms);
  return config;
}

}  // namespace cxdesk::ticket
