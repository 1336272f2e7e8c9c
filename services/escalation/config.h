#ifndef CXDESK_SERVICES_ESCALATION_CONFIG_H_
#define CXDESK_SERVICES_ESCALATION_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/flags.h"

namespace cxdesk::escalation {

// Settings of cxdesk-escalationd, from flags with environment fallbacks.
struct Config {
  // --database-url, --listen (CXDESK_ESCALATION_LISTEN), --token-secret-file,
  // --port-file, --pool-size (CXDESK_ESCALATION_POOL_SIZE).
  common::ServerFlags server;
  std::string ticket_target;  // --ticket-target, CXDESK_TICKET_TARGET
  std::string sla_target;     // --sla-target, CXDESK_SLA_TARGET
  std::string replica;        // --replica, CXDESK_ESCALATION_REPLICA
  // Attempts of a ticket-service action before it fails for good.
  int action_attempts = 20;  // --action-attempts
  // Loops carrying out ticket-service actions in parallel (each holds one
  // call in flight).
  int action_loops = 8;  // --action-loops
  // Actions claimed per transaction by one loop.
  int action_batch = 4;  // --action-batch
  // Webhook deliveries: attempts before a dead letter, the first retry's
  // delay (doubling), and each POST's timeout.
  int webhook_attempts = 6;                           // --webhook-attempts
  absl::Duration webhook_backoff = absl::Seconds(1);  // --webhook-backoff-ms
  absl::Duration webhook_timeout = absl::Seconds(5);  // --webhook-timeout-ms
};

// Parses and validates argv. CANCELLED after printing usage for --help;
// INVALID_ARGUMENT naming the flag otherwise.
absl::StatusOr<Config> ParseConfig(int argc, char** argv);

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_CONFIG_H_
