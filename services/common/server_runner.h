#ifndef CXDESK_SERVICES_COMMON_SERVER_RUNNER_H_
#define CXDESK_SERVICES_COMMON_SERVER_RUNNER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace cxdesk::common {

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts
// later, so that RunServer can wait for them. Call first thing in main.
void BlockShutdownSignals();

struct ServerOptions {
  // host:port; 127.0.0.1 unless the operator says otherwise. Port 0 picks a
  // free port.
  std::string listen_address = "127.0.0.1:0";
  // If set, the bound port is written there once serving (for tests and
  // scripts that start on port 0).
  std::string port_file;
  // Sync server pollers: high enough that handler threads blocked on the
  // database are not torn down and respawned under load.
  int max_pollers = 64;
  // In-flight calls get this long to finish at shutdown; streams are then
  // cancelled.
  absl::Duration shutdown_grace = absl::Seconds(3);
  // Called when a shutdown signal arrives, before the server stops (e.g. to
  // wake long-running streams).
  std::function<void()> on_shutdown;
};

// Serves `services` (plus gRPC health checking and reflection) until SIGINT
// or SIGTERM, then shuts down gracefully. UNAVAILABLE if the address cannot
// be bound.
absl::Status RunServer(const ServerOptions& options,
                       const std::vector<grpc::Service*>& services);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_SERVER_RUNNER_H_
