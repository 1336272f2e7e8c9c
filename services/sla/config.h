#ifndef CXDESK_SERVICES_SLA_CONFIG_H_
#define CXDESK_SERVICES_SLA_CONFIG_H_

#include <string>

#include "absl/status/statusor.h"

namespace cxdesk::sla {

// Settings of cxdesk-slad, from flags with environment fallbacks.
struct Config {
  std::string database_url;  // --database-url, CXDESK_DATABASE_URL
  std::string listen;        // --listen, CXDESK_SLA_LISTEN
  std::string
      token_secret_file;  // --token-secret-file, CXDESK_TOKEN_SECRET_FILE
  std::string port_file;  // --port-file
  int pool_size = 8;      // --pool-size, CXDESK_SLA_POOL_SIZE
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
