#ifndef CXDESK_SERVICES_TICKET_CONFIG_H_
#define CXDESK_SERVICES_TICKET_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/flags.h"

namespace cxdesk::ticket {

// Settings of cxdesk-ticketd, from flags with environment fallbacks.
struct Config {
  // --database-url, --listen (CXDESK_LISTEN), --token-secret-file,
  // --port-file, --pool-size (CXDESK_POOL_SIZE).
  common::ServerFlags server;
  // The SLA service, host:port on loopback (the channel is plaintext and
  // carries a bearer token); empty when disabled with "none".
  std::string sla_target;  // --sla-target, CXDESK_SLA_TARGET
  // The deadline of each call to the SLA service.
  absl::Duration sla_timeout =
      absl::Milliseconds(300);  // --sla-timeout-ms, CXDESK_SLA_TIMEOUT_MS
};

// Parses and validates argv. CANCELLED after printing usage for --help;
// INVALID_ARGUMENT naming the flag otherwise.
absl::StatusOr<Config> ParseConfig(int argc, char** argv);

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_CONFIG_H_
