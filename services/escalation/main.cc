// cxdesk-escalationd: the composition root of the escalation service.
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
#include "services/escalation/config.h"
#include "services/escalation/curl_http_poster.h"
#include "services/escalation/escalation_engine.h"
#include "services/escalation/escalation_grpc_service.h"
#include "services/escalation/escalation_loops.h"
#include "services/escalation/escalation_manager.h"
#include "services/escalation/grpc_event_sources.h"
#include "services/escalation/grpc_shift_calendars.h"
#include "services/escalation/grpc_ticket_gateway.h"
#include "services/escalation/postgres_escalation_store.h"

namespace cxdesk::escalation {
namespace {

// Consumer names (escalation.consumer_cursors) and their lease keys.
constexpr char kTicketConsumer[] = "ticket-events";
constexpr char kSlaConsumer[] = "sla-events";

absl::Status Run(const Config& config) {
  auto secret = common::ReadSecretFile(config.server.token_secret_file);
  if (!secret.ok()) return secret.status();
  common::PgPool::Options options;
  options.url = config.server.database_url;
  options.size = config.server.pool_size;
  options.queries = PostgresEscalationStore::PreparedQueries();
  auto pool = common::MigrateAndOpenPool("escalation", EscalationMigrations(),
                                         std::move(options));
  if (!pool.ok()) return pool.status();

  common::PgNotifier notifier(config.server.database_url, kEscalationChannel);
  notifier.Start();
  common::PgNotifyPublisher publisher(config.server.database_url,
                                      kEscalationChannel);
  publisher.Start();
  PostgresEscalationStore store(**pool, &publisher);
  common::SystemClock clock;

  // Calls to the other services carry a service token, re-signed per call
  // so that it never expires under a long-running replica. Plaintext only
  // because the targets are on loopback (checked by ParseConfig).
  const std::string token_secret = *secret;
  auto service_token = [token_secret, &clock] {
    common::TokenClaims claims;
    claims.subject = "cxdesk-escalationd";
    claims.role = common::StaffRole::kService;
    claims.expiry = clock.Now() + absl::Hours(24);
    return common::SignToken(claims, token_secret).value_or("");
  };
  auto ticket_channel = grpc::CreateChannel(config.ticket_target,
                                            grpc::InsecureChannelCredentials());
  GrpcTicketGateway gateway(ticket::v1::TicketService::NewStub(ticket_channel),
                            service_token);
  GrpcTicketEventSource ticket_events(
      ticket::v1::TicketService::NewStub(ticket_channel), service_token);
  std::unique_ptr<GrpcShiftCalendars> shifts;
  std::unique_ptr<GrpcSlaEventSource> sla_events;
  if (!config.sla_target.empty()) {
    auto sla_channel = grpc::CreateChannel(config.sla_target,
                                           grpc::InsecureChannelCredentials());
    shifts = std::make_unique<GrpcShiftCalendars>(
        sla::v1::SlaService::NewStub(sla_channel), service_token, clock,
        GrpcShiftCalendars::Options{});
    sla_events = std::make_unique<GrpcSlaEventSource>(
        sla::v1::SlaService::NewStub(sla_channel), service_token);
  }

  DirectoryCache directory(store);
  Engine engine(store, directory, gateway, shifts.get(), clock,
                Engine::Options{});
  EscalationManager manager(store, engine, clock, *secret, &notifier);
  EscalationGrpcService service(manager);
  // The audit trail of this service's schema, verified on demand.
  auto audit_store = common::PostgresAuditStore::Create(**pool, "escalation");
  if (!audit_store.ok()) return audit_store.status();
  common::AuditGrpcService audit_service(**audit_store, clock, *secret);

  // One consumer per stream, each with a lease of its own (keys 1 and 2).
  common::StreamConsumer<TicketEventIn> ticket_consumer(
      {kTicketConsumer}, [&store] { return store.TryAcquireLease(1); },
      [&store] { return store.ReadCursor(kTicketConsumer); }, ticket_events,
      [&engine](const std::vector<TicketEventIn>& batch) {
        return engine.ApplyTicketEvents(kTicketConsumer, batch);
      });
  std::unique_ptr<common::StreamConsumer<SlaEventIn>> sla_consumer;
  if (sla_events != nullptr) {
    sla_consumer = std::make_unique<common::StreamConsumer<SlaEventIn>>(
        common::StreamConsumer<SlaEventIn>::Options{kSlaConsumer},
        [&store] { return store.TryAcquireLease(2); },
        [&store] { return store.ReadCursor(kSlaConsumer); }, *sla_events,
        [&engine](const std::vector<SlaEventIn>& batch) {
          return engine.ApplySlaEvents(kSlaConsumer, batch);
        });
  }
  CurlHttpPoster poster;
  DueLoop timers({"firing ladder timers",
                  [&](absl::Time now) {
                    return engine.FireTimers(now, 200, config.replica);
                  },
                  [&] { return store.NextTimerDue(); }},
                 clock, notifier);
  // Several action loops: each holds one ticket-service call in flight, and
  // SKIP LOCKED keeps their claims apart.
  std::vector<std::unique_ptr<DueLoop>> actions;
  for (int i = 0; i < config.action_loops; ++i) {
    actions.push_back(std::make_unique<DueLoop>(
        DueLoop::Work{"carrying out actions",
                      [&](absl::Time now) -> absl::StatusOr<int> {
                        // A batch per transaction: one commit for a burst.
                        return store.PerformDueActions(
                            now, config.action_batch, [&](ActionRecord& a) {
                              PerformAction(gateway, now,
                                            config.action_attempts, a);
                            });
                      },
                      [&] { return store.NextActionDue(); }},
        clock, notifier));
  }
  DueLoop deliveries(
      {"delivering webhooks",
       [&](absl::Time now) -> absl::StatusOr<int> {
         return store.PerformNextDelivery(
             now, [&](DeliveryRecord& d, const std::string& secret) {
               PerformDelivery(poster, now, config.webhook_attempts,
                               config.webhook_backoff, config.webhook_timeout,
                               d, secret);
             });
       },
       [&] { return store.NextDeliveryDue(); }},
      clock, notifier);

  std::vector<std::thread> threads;
  threads.emplace_back([&] { ticket_consumer.Run(); });
  if (sla_consumer != nullptr)
    threads.emplace_back([&] { sla_consumer->Run(); });
  threads.emplace_back([&] { timers.Run(); });
  for (auto& loop : actions) {
    threads.emplace_back([loop = loop.get()] { loop->Run(); });
  }
  threads.emplace_back([&] { deliveries.Run(); });
  CXDESK_LOG(Info) << "replica " << config.replica << " routes tickets from "
                   << config.ticket_target << "; SLA events from "
                   << (config.sla_target.empty() ? "nowhere (none)"
                                                 : config.sla_target);
  auto stop_all = [&] {
    ticket_consumer.Stop();
    if (sla_consumer != nullptr) sla_consumer->Stop();
    timers.Stop();
    for (auto& loop : actions) loop->Stop();
    deliveries.Stop();
    notifier.Stop();
  };
  common::ServerOptions server;
  server.listen_address = config.server.listen;
  server.port_file = config.server.port_file;
  // Wakes the watch streams and every loop so they end before the server
  // stops; an uncommitted unit of work simply rolls back.
  server.on_shutdown = stop_all;
  absl::Status status = common::RunServer(
      server, {{&service, v1::EscalationService::service_full_name()},
               {&audit_service, audit::v1::AuditService::service_full_name()}});
  stop_all();
  for (std::thread& t : threads) t.join();
  return status;
}

}  // namespace
}  // namespace cxdesk::escalation

int main(int argc, char** argv) {
  cxdesk::common::BlockShutdownSignals();
  auto config = cxdesk::escalation::ParseConfig(argc, argv);
  if (absl::IsCancelled(config.status())) return 0;
  if (!config.ok()) {
    std::cerr << "cxdesk-escalationd: " << config.status().message() << "\n";
    return 2;
  }
  absl::Status status = cxdesk::escalation::Run(*config);
  if (!status.ok()) {
    CXDESK_LOG(Error) << "cxdesk-escalationd: " << status.message();
    return 1;
  }
  return 0;
}
