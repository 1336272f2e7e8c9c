#include "services/common/server_runner.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <pthread.h>
#include <signal.h>

#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.pb.h"
#include "services/common/log.h"
#include "services/common/request_guard.h"

namespace cxdesk::common {
namespace {

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void ApplyServerOptions(const ServerOptions& options,
                        grpc::ServerBuilder* builder) {
  builder->SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, options.max_pollers);
  builder->SetMaxReceiveMessageSize(options.max_request_bytes);
  builder->SetMaxSendMessageSize(options.max_response_bytes);
}

absl::Status RunServer(const ServerOptions& options,
                       const std::vector<ServedApi>& apis) {
  // Debian's Abseil is built with mutex deadlock detection on, which keeps a
  // lock graph on every acquisition (about 1% of a GetTicket's CPU in perf).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  grpc::EnableDefaultHealthCheckService(true);
  // gRPC's default health service is built in, but reflection serves only the
  // descriptors linked into this binary: naming the generated health types
  // links them, so that grpcurl and buf curl can call grpc.health.v1.Health.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &port);
  ApplyServerOptions(options, &builder);
  std::vector<std::unique_ptr<RequestGuard>> guards;
  for (const ServedApi& api : apis) {
    guards.push_back(
        std::make_unique<RequestGuard>(api.service, api.full_name));
    builder.RegisterService(guards.back().get());
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address,
                     " (in use, or not a valid host:port)"));
  }
  // Each API answers health checks by its own name too, so that a client
  // can tell which service it reached.
  for (const ServedApi& api : apis) {
    server->GetHealthCheckService()->SetServingStatus(api.full_name, true);
  }
  if (!options.port_file.empty()) {
    std::ofstream(options.port_file) << port << "\n";
  }
  const std::string host =
      options.listen_address.substr(0, options.listen_address.rfind(':'));
  CXDESK_LOG(Info) << "serving on " << host << ":" << port;

  sigset_t set = ShutdownSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  CXDESK_LOG(Info) << "signal " << signal_number << ", shutting down";
  if (options.on_shutdown) options.on_shutdown();
  server->Shutdown(std::chrono::system_clock::now() +
                   absl::ToChronoSeconds(options.shutdown_grace));
  server->Wait();
  CXDESK_LOG(Info) << "stopped";
  return absl::OkStatus();
}

}  // namespace cxdesk::common
