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
  // The largest request message accepted; a larger one is RESOURCE_EXHAUSTED
  // before any handler runs. Above 1 MiB so that a 1 MiB text field is
  // answered by its own field limit, naming the field.
  int max_request_bytes = 2 * 1024 * 1024;
  // The largest response message sent; gRPC clients accept 4 MiB by default,
  // and every cxdesk page is bounded well below it.
  int max_response_bytes = 4 * 1024 * 1024;
};

// One API a server serves: a generated sync service and its full proto name
// (`FooService::service_full_name()`), by which its requests are checked.
struct ServedApi {
  grpc::Service* service;
  const char* full_name;
};

// The settings every cxdesk server has (message size limits, pollers), for
// RunServer and for tests that serve in-process.
void ApplyServerOptions(const ServerOptions& options,
                        grpc::ServerBuilder* builder);

// Serves `apis` (plus gRPC health checking and reflection, with the health
// service's descriptors, so that reflection clients can call it) until
// SIGINT or SIGTERM, then shuts down gracefully. Every request of every API
// goes through a common::RequestGuard first. UNAVAILABLE if the address
// cannot be bound.
absl::Status RunServer(const ServerOptions& options,
                       const std::vector<ServedApi>& apis);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_SERVER_RUNNER_H_
