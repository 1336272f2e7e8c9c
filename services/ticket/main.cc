// cxdesk-ticketd: the composition root of the ticket service.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <iostream>
#include <memory>

#include "services/common/audit_grpc_service.h"
#include "services/common/clock.h"
#include "services/common/log.h"
#include "services/common/migrations.h"
#include "services/common/postgres_audit_store.h"
#include "services/common/postgres_notifier.h"
#include "services/common/postgres_pool.h"
#include "services/common/server_runner.h"
#include "services/common/token.h"
#include "services/ticket/config.h"
#include "services/ticket/grpc_sla_promise_source.h"
#include "services/ticket/postgres_ticket_store.h"
#include "services/ticket/ticket_grpc_service.h"
#include "services/ticket/ticket_manager.h"

namespace cxdesk::ticket {
namespace {

absl::Status Run(const Config& config) {
  auto secret = common::ReadSecretFile(config.token_secret_file);
  if (!secret.ok()) return secret.status();
  common::PgPool::Options options;
  options.url = config.database_url;
  options.size = config.pool_size;
  options.queries = PostgresTicketStore::PreparedQueries();
  auto pool = common::MigrateAndOpenPool("ticket", TicketMigrations(),
                                         std::move(options));
  if (!pool.ok()) return pool.status();

  common::PgNotifier notifier(config.database_url, kEventChannel);
  notifier.Start();
  common::PgNotifyPublisher publisher(config.database_url, kEventChannel);
  publisher.Start();
  PostgresTicketStore store(**pool, &publisher);
  common::SystemClock clock;
  std::unique_ptr<GrpcSlaPromiseSource> promises;
  if (!config.sla_target.empty()) {
    // Plaintext is acceptable only because the target is on loopback
    // (checked by ParseConfig). The channel connects lazily: a missing SLA
    // service costs only the promise.
    GrpcSlaPromiseSource::Options sla_options;
    sla_options.timeout = config.sla_timeout;
    promises = std::make_unique<GrpcSlaPromiseSource>(
        grpc::CreateChannel(config.sla_target,
                            grpc::InsecureChannelCredentials()),
        clock, *secret, sla_options);
    CXDESK_LOG(Info) << "SLA promises from " << config.sla_target;
  } else {
    CXDESK_LOG(Info) << "no SLA service: customer views carry no promise";
  }
  TicketManager manager(store, clock, *secret, &notifier, promises.get());
  TicketGrpcService service(manager);
  // The audit trail of this service's schema, verified on demand.
  auto audit_store = common::PostgresAuditStore::Create(**pool, "ticket");
  if (!audit_store.ok()) return audit_store.status();
  common::AuditGrpcService audit_service(**audit_store, clock, *secret);

  common::ServerOptions server;
  server.listen_address = config.listen;
  server.port_file = config.port_file;
  // Wakes every watch stream so it ends before the server stops.
  server.on_shutdown = [&notifier] { notifier.Stop(); };
  return common::RunServer(
      server, {{&service, v1::TicketService::service_full_name()},
               {&audit_service, audit::v1::AuditService::service_full_name()}});
}

}  // namespace
}  // namespace cxdesk::ticket

int main(int argc, char** argv) {
  cxdesk::common::BlockShutdownSignals();
  auto config = cxdesk::ticket::ParseConfig(argc, argv);
  if (absl::IsCancelled(config.status())) return 0;
  if (!config.ok()) {
    std::cerr << "cxdesk-ticketd: " << config.status().message() << "\n";
    return 2;
  }
  absl::Status status = cxdesk::ticket::Run(*config);
  if (!status.ok()) {
    CXDESK_LOG(Error) << "cxdesk-ticketd: " << status.message();
    return 1;
  }
  return 0;
}
