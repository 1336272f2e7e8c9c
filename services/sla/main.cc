// cxdesk-slad: the composition root of the SLA service.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "services/common/audit_grpc_service.h"
#include "services/common/clock.h"
#include "services/common/log.h"
#include "services/common/migrations.h"
#include "services/common/postgres_audit_store.h"
#include "services/common/postgres_notifier.h"
#include "services/common/postgres_pool.h"
#include "services/common/server_runner.h"
#include "services/common/token.h"
#include "services/sla/config.h"
#include "services/sla/grpc_ticket_event_source.h"
#include "services/sla/postgres_sla_store.h"
#include "services/sla/sla_engine.h"
#include "services/sla/sla_grpc_service.h"
#include "services/sla/sla_manager.h"

namespace cxdesk::sla {
namespace {

absl::Status Run(const Config& config) {
  auto secret = common::ReadSecretFile(config.token_secret_file);
  if (!secret.ok()) return secret.status();
  common::PgPool::Options options;
  options.url = config.database_url;
  options.size = config.pool_size;
  options.queries = PostgresSlaStore::PreparedQueries();
  auto pool =
      common::MigrateAndOpenPool("sla", SlaMigrations(), std::move(options));
  if (!pool.ok()) return pool.status();

  common::PgNotifier event_notifier(config.database_url, kSlaEventChannel);
  event_notifier.Start();
  common::PgNotifier timer_notifier(config.database_url, kTimerChannel);
  timer_notifier.Start();
  common::PgNotifyPublisher event_publisher(config.database_url,
                                            kSlaEventChannel);
  event_publisher.Start();
  common::PgNotifyPublisher timer_publisher(config.database_url, kTimerChannel);
  timer_publisher.Start();
  PostgresSlaStore store(**pool, &event_publisher, &timer_publisher);
  common::SystemClock clock;
  ConfigCache config_cache(store);
  SlaManager manager(store, config_cache, clock, *secret, &event_notifier);
  SlaGrpcService service(manager);
  // The audit trail of this service's schema, verified on demand.
  auto audit_store = common::PostgresAuditStore::Create(**pool, "sla");
  if (!audit_store.ok()) return audit_store.status();
  common::AuditGrpcService audit_service(**audit_store, clock, *secret);

  TimerLoop::Options timer_options;
  timer_options.replica = config.replica;
  timer_options.batch = config.timer_batch;
  // Several loops per replica: while one waits for its commit, another
  // claims the next due timers (the claim's try-locks keep them apart).
  std::vector<std::unique_ptr<TimerLoop>> timer_loops;
  std::vector<std::thread> timer_threads;
  for (int i = 0; i < config.timer_loops; ++i) {
    timer_loops.push_back(std::make_unique<TimerLoop>(
        store, config_cache, clock, timer_notifier, timer_options));
    timer_threads.emplace_back(
        [loop = timer_loops.back().get()] { loop->Run(); });
  }
  auto stop_timers = [&timer_loops] {
    for (auto& loop : timer_loops) loop->Stop();
  };

  std::unique_ptr<GrpcTicketEventSource> source;
  std::unique_ptr<ChangeConsumer> consumer;
  std::thread consumer_thread;
  if (!config.ticket_target.empty()) {
    // Plaintext only because the target is on loopback (checked by
    // ParseConfig). The token is re-signed per stream, so it never expires
    // under a long-running consumer.
    const std::string token_secret = *secret;
    source = std::make_unique<GrpcTicketEventSource>(
        ticket::v1::TicketService::NewStub(grpc::CreateChannel(
            config.ticket_target, grpc::InsecureChannelCredentials())),
        [token_secret, &clock] {
          common::TokenClaims claims;
          claims.subject = "cxdesk-slad";
          claims.role = common::StaffRole::kService;
          claims.expiry = clock.Now() + absl::Hours(24);
          return common::SignToken(claims, token_secret).value_or("");
        });
    consumer = std::make_unique<ChangeConsumer>(store, config_cache, *source);
    consumer_thread = std::thread([&consumer] { consumer->Run(); });
    CXDESK_LOG(Info) << "consuming ticket events from " << config.ticket_target;
  } else {
    CXDESK_LOG(Info) << "not consuming ticket events: timers only";
  }
  CXDESK_LOG(Info) << "replica " << config.replica << " fires timers ("
                   << config.timer_loops << " loops)";

  common::ServerOptions server;
  server.listen_address = config.listen;
  server.port_file = config.port_file;
  server.on_shutdown = [&] {
    // Wakes every watch stream and both loops so they end before the
    // server stops; an uncommitted batch simply rolls back.
    if (consumer != nullptr) consumer->Stop();
    stop_timers();
    timer_notifier.Stop();
    event_notifier.Stop();
  };
  absl::Status status = common::RunServer(
      server, {{&service, v1::SlaService::service_full_name()},
               {&audit_service, audit::v1::AuditService::service_full_name()}});
  if (consumer != nullptr) consumer->Stop();
  stop_timers();
  timer_notifier.Stop();
  if (consumer_thread.joinable()) consumer_thread.join();
  for (std::thread& t : timer_threads) t.join();
  return status;
}

}  // namespace
}  // namespace cxdesk::sla

int main(int argc, char** argv) {
  cxdesk::common::BlockShutdownSignals();
  auto config = cxdesk::sla::ParseConfig(argc, argv);
  if (absl::IsCancelled(config.status())) return 0;
  if (!config.ok()) {
    std::cerr << "cxdesk-slad: " << config.status().message() << "\n";
    return 2;
  }
  absl::Status status = cxdesk::sla::Run(*config);
  if (!status.ok()) {
    CXDESK_LOG(Error) << "cxdesk-slad: " << status.message();
    return 1;
  }
  return 0;
}
