#ifndef CXDESK_SERVICES_COMMON_SERVICE_HOST_H_
#define CXDESK_SERVICES_COMMON_SERVICE_HOST_H_

// What every cxdesk server does around its own parts, written once: read the
// token secret, migrate its schema and open the pool, LISTEN and publish on
// its NOTIFY channels, serve its audit trail beside its API, run background
// workers, serve until SIGTERM and shut everything down in order. A main.cc
// builds the service's own parts on a host and lists them; see
// services/ticket/main.cc.

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/audit_grpc_service.h"
#include "services/common/clock.h"
#include "services/common/flags.h"
#include "services/common/migrations.h"
#include "services/common/postgres_audit_store.h"
#include "services/common/postgres_notifier.h"
#include "services/common/postgres_pool.h"
#include "services/common/server_runner.h"

namespace cxdesk::common {

class ServiceHost {
 public:
  struct Options {
    std::string program;  // "cxdesk-ticketd": logs, service token subject
    std::string schema;   // "ticket": migrations and audit trail
    ServerFlags server;
    const std::vector<Migration>* migrations = nullptr;
    std::vector<NamedQuery> queries;  // Prepared on every pool connection.
  };

  // Reads the secret, migrates and opens the pool, opens the audit trail.
  // The errors of each (NOT_FOUND for the secret file, UNAVAILABLE for the
  // database, FAILED_PRECONDITION for a changed migration).
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Create(Options options);
  ~ServiceHost();
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  PgPool& pool() { return *pool_; }
  const Clock& clock() const { return clock_; }
  const std::string& secret() const { return secret_; }
  const ServerFlags& server() const { return options_.server; }

  // A started listener on `channel`, stopped at shutdown (which wakes every
  // watch stream and loop waiting on it). Owned by the host.
  PgNotifier& Listen(const std::string& channel);
  // A started publisher on `channel`, stopped after the server. Owned by
  // the host.
  PgNotifyPublisher& Publish(const std::string& channel);

  // A bearer token for calls to the other services, signed anew per call
  // so that it never expires under a long-running replica.
  std::function<std::string()> ServiceToken() const;

  // Runs `run` on a thread of its own from Serve() on; `stop` must make it
  // return soon, and is called when the server shuts down.
  void AddWorker(std::function<void()> run, std::function<void()> stop);

  // Serves `apis` and the audit trail until SIGINT or SIGTERM, then stops
  // the workers and listeners, joins the workers and returns the server's
  // status. Call once.
  absl::Status Serve(const std::vector<ServedApi>& apis);

 private:
  struct Worker {
    std::function<void()> run;
    std::function<void()> stop;
  };
  explicit ServiceHost(Options options) : options_(std::move(options)) {}
  void StopAll();

  const Options options_;
  SystemClock clock_;
  std::string secret_;
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<PostgresAuditStore> audit_store_;
  std::unique_ptr<AuditGrpcService> audit_service_;
  std::vector<std::unique_ptr<PgNotifier>> listeners_;
  std::vector<std::unique_ptr<PgNotifyPublisher>> publishers_;
  std::vector<Worker> workers_;
  std::vector<std::thread> threads_;
};

// The whole main() of a server: blocks the shutdown signals, parses its
// config (exit 0 after --help, 2 with the message for a bad flag), runs it
// (exit 1 with the message logged when it fails).
template <typename Config>
int ServiceMain(int argc, char** argv, const char* program,
                absl::StatusOr<Config> (*parse)(int, char**),
                absl::Status (*run)(const Config&));

// Implementation details of ServiceMain.
int ReportConfigError(const char* program, const absl::Status& status);
int ReportRunStatus(const char* program, const absl::Status& status);

template <typename Config>
int ServiceMain(int argc, char** argv, const char* program,
                absl::StatusOr<Config> (*parse)(int, char**),
                absl::Status (*run)(const Config&)) {
  BlockShutdownSignals();
  absl::StatusOr<Config> config = parse(argc, argv);
  if (!config.ok()) return ReportConfigError(program, config.status());
  return ReportRunStatus(program, run(*config));
}

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_SERVICE_HOST_H_
