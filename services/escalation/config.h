#ifndef CXDESK_SERVICES_ESCALATION_CONFIG_H_
#define CXDESK_SERVICES_ESCALATION_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/flags.h"
#include "services/escalation/escalation_loops.h"

namespace cxdesk::escalation {

// Settings of cxdesk-escalationd, from flags with environment fallbacks.
struct Config {
  // --database-url, --listen (CXDESK_ESCALATION_LISTEN), --token-secret-file,
  // --port-file, --pool-size (CXDESK_ESCALATION_POOL_SIZE, at least
  // kMinPoolSize).
  common::ServerFlags server;
  std::string ticket_target;  // --ticket-target, CXDESK_TICKET_TARGET
  std::string sla_target;     // --sla-target, CXDESK_SLA_TARGET
  std::string replica;        // --replica, CXDESK_ESCALATION_REPLICA
  // Relays of the action outbox running in parallel, each with one
  // ticket-service call in flight; none holds a database connection during
  // its calls.
  int action_loops = 8;  // --action-loops
  // Each relay's batch (--action-batch) and an action's attempts before it
  // fails for good (--action-attempts).
  ActionRelayOptions actions;
  // Webhook deliveries: attempts before a dead letter (--webhook-attempts),
  // the first retry's delay, doubling (--webhook-backoff-ms), and each
  // POST's timeout (--webhook-timeout-ms).
  DeliveryRelayOptions webhooks;
};

// Every part of the service holds a pooled connection only for one short
// transaction (the outbox relays too: none during a call), so the pool need
// not grow with --action-loops: four let the API, the two stream consumers
// and the due work each have one at once; more parts simply wait their turn.
inline constexpr int kMinPoolSize = 4;

// Parses and validates argv. CANCELLED after printing usage for --help;
// INVALID_ARGUMENT naming the flag otherwise.
absl::StatusOr<Config> ParseConfig(int argc, char** argv);

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_CONFIG_H_
