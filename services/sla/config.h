#ifndef CXDESK_SERVICES_SLA_CONFIG_H_
#define CXDESK_SERVICES_SLA_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/common/flags.h"

namespace cxdesk::sla {

// Settings of cxdesk-slad, from flags with environment fallbacks.
struct Config {
  // --database-url, --listen (CXDESK_SLA_LISTEN), --token-secret-file,
  // --port-file, --pool-size (CXDESK_SLA_POOL_SIZE).
  common::ServerFlags server;
  // Where the ticket events come from; "" (flag value none) consumes
  // nothing: a replica that only fires timers.
  std::string ticket_target;  // --ticket-target, CXDESK_TICKET_TARGET
  std::string replica;        // --replica, CXDESK_SLA_REPLICA
  int timer_batch = 1000;     // --timer-batch
  int timer_loops = 2;        // --timer-loops
};

// Parses and validates argv. CANCELLED after printing usage for --help;
// INVALID_ARGUMENT naming the flag otherwise.
absl::StatusOr<Config> ParseConfig(int argc, char** argv);

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_CONFIG_H_
