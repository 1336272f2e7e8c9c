#include "services/common/service_host.h"

#include <iostream>
#include <utility>

#include "services/common/log.h"
#include "services/common/token.h"

namespace cxdesk::common {

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Create(
    Options options) {
  std::unique_ptr<ServiceHost> host(new ServiceHost(std::move(options)));
  const Options& o = host->options_;
  absl::StatusOr<std::string> secret =
      ReadSecretFile(o.server.token_secret_file);
  if (!secret.ok()) return secret.status();
  host->secret_ = *std::move(secret);
  PgPool::Options pool;
  pool.url = o.server.database_url;
  pool.size = o.server.pool_size;
  pool.queries = o.queries;
  absl::StatusOr<std::unique_ptr<PgPool>> opened =
      MigrateAndOpenPool(o.schema, *o.migrations, std::move(pool));
  if (!opened.ok()) return opened.status();
  host->pool_ = *std::move(opened);
  // The audit trail of this service's schema, verified on demand.
  absl::StatusOr<std::unique_ptr<PostgresAuditStore>> audit =
      PostgresAuditStore::Create(*host->pool_, o.schema);
  if (!audit.ok()) return audit.status();
  host->audit_store_ = *std::move(audit);
  host->audit_service_ = std::make_unique<AuditGrpcService>(
      *host->audit_store_, host->clock_, host->secret_);
  return host;
}

// Serve() has joined the workers (whose parts the caller owns and may have
// destroyed already); listeners and publishers stop as they are destroyed.
ServiceHost::~ServiceHost() = default;

PgNotifier& ServiceHost::Listen(const std::string& channel) {
  listeners_.push_back(
      std::make_unique<PgNotifier>(options_.server.database_url, channel));
  listeners_.back()->Start();
  return *listeners_.back();
}

PgNotifyPublisher& ServiceHost::Publish(const std::string& channel) {
  publishers_.push_back(std::make_unique<PgNotifyPublisher>(
      options_.server.database_url, channel));
  publishers_.back()->Start();
  return *publishers_.back();
}

std::function<std::string()> ServiceHost::ServiceToken() const {
  return [secret = secret_, subject = options_.program, this] {
    TokenClaims claims;
    claims.subject = subject;
    claims.role = StaffRole::kService;
    claims.expiry = clock_.Now() + absl::Hours(24);
    return SignToken(claims, secret).value_or("");
  };
}

void ServiceHost::AddWorker(std::function<void()> run,
                            std::function<void()> stop) {
  workers_.push_back({std::move(run), std::move(stop)});
}

void ServiceHost::StopAll() {
  for (Worker& worker : workers_) worker.stop();
  for (auto& listener : listeners_) listener->Stop();
}

absl::Status ServiceHost::Serve(const std::vector<ServedApi>& apis) {
  for (Worker& worker : workers_) threads_.emplace_back(worker.run);
  ServerOptions server;
  server.listen_address = options_.server.listen;
  server.port_file = options_.server.port_file;
  // Wakes every watch stream and loop so that they end before the server
  // stops; an uncommitted unit of work simply rolls back.
  server.on_shutdown = [this] { StopAll(); };
  std::vector<ServedApi> served = apis;
  served.push_back(
      {audit_service_.get(), audit::v1::AuditService::service_full_name()});
  absl::Status status = RunServer(server, served);
  StopAll();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  return status;
}

int ReportConfigError(const char* program, const absl::Status& status) {
  if (absl::IsCancelled(status)) return 0;  // --help, already printed.
  std::cerr << program << ": " << status.message() << "\n";
  return 2;
}

int ReportRunStatus(const char* program, const absl::Status& status) {
  if (status.ok()) return 0;
  CXDESK_LOG(Error) << program << ": " << status.message();
  return 1;
}

}  // namespace cxdesk::common
