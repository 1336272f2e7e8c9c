// cxdesk-escalationd: the composition root of the escalation service.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <memory>
#include <vector>

#include "services/common/log.h"
#include "services/common/service_host.h"
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

// Runs `loop` on a worker of `host` until the host shuts down.
void AddLoop(common::ServiceHost& host, DueLoop& loop) {
  host.AddWorker([&loop] { loop.Run(); }, [&loop] { loop.Stop(); });
}
template <typename Event>
void AddConsumer(common::ServiceHost& host,
                 common::StreamConsumer<Event>& consumer) {
  host.AddWorker([&consumer] { consumer.Run(); },
                 [&consumer] { consumer.Stop(); });
}

absl::Status Run(const Config& config) {
  auto host = common::ServiceHost::Create(
      {"cxdesk-escalationd", "escalation", config.server,
       &EscalationMigrations(), PostgresEscalationStore::PreparedQueries()});
  if (!host.ok()) return host.status();
  common::ServiceHost& h = **host;

  PostgresEscalationStore store(h.pool(), &h.Publish(kEscalationChannel));
  const common::ChangeSignal& work_queued = h.Listen(kEscalationChannel);

  // The other services, over plaintext only because they are on loopback
  // (checked by ParseConfig); each call carries a fresh service token.
  auto ticket_channel = grpc::CreateChannel(config.ticket_target,
                                            grpc::InsecureChannelCredentials());
  GrpcTicketGateway gateway(ticket::v1::TicketService::NewStub(ticket_channel),
                            h.ServiceToken(), kTicketCallTimeout);
  GrpcTicketEventSource ticket_events(
      ticket::v1::TicketService::NewStub(ticket_channel), h.ServiceToken());
  std::unique_ptr<GrpcShiftCalendars> shifts;
  std::unique_ptr<GrpcSlaEventSource> sla_events;
  if (!config.sla_target.empty()) {
    auto sla_channel = grpc::CreateChannel(config.sla_target,
                                           grpc::InsecureChannelCredentials());
    shifts = std::make_unique<GrpcShiftCalendars>(
        sla::v1::SlaService::NewStub(sla_channel), h.ServiceToken(), h.clock(),
        GrpcShiftCalendars::Options{});
    sla_events = std::make_unique<GrpcSlaEventSource>(
        sla::v1::SlaService::NewStub(sla_channel), h.ServiceToken());
  }

  DirectoryCache directory(store);
  Engine engine(store, directory, gateway, shifts.get(), h.clock(),
                Engine::Options{});
  EscalationManager manager(store, engine, h.clock(), h.secret(), &work_queued);
  EscalationGrpcService service(manager);

  // The two streams, each consumed by one replica at a time.
  auto ticket_consumer = TicketEventConsumer(store, engine, ticket_events);
  AddConsumer(h, *ticket_consumer);
  std::unique_ptr<common::StreamConsumer<SlaEventIn>> sla_consumer;
  if (sla_events != nullptr) {
    sla_consumer = SlaEventConsumer(store, engine, *sla_events);
    AddConsumer(h, *sla_consumer);
  }
  // The due work: ladder timers, and the relays of the two outboxes.
  DueLoop timers(TimerWork(engine, store, config.replica), h.clock(),
                 work_queued);
  AddLoop(h, timers);
  // Several action relays: each has one ticket-service call in flight, and
  // their leases keep their claims apart.
  std::vector<std::unique_ptr<DueLoop>> relays;
  for (int i = 0; i < config.action_loops; ++i) {
    relays.push_back(std::make_unique<DueLoop>(
        ActionRelayWork(store, gateway, h.clock(), config.actions), h.clock(),
        work_queued));
    AddLoop(h, *relays.back());
  }
  CurlHttpPoster poster;
  DueLoop deliveries(
      DeliveryRelayWork(store, poster, h.clock(), config.webhooks), h.clock(),
      work_queued);
  AddLoop(h, deliveries);

  CXDESK_LOG(Info) << "replica " << config.replica << " routes tickets from "
                   << config.ticket_target << "; SLA events from "
                   << (config.sla_target.empty() ? "nowhere (none)"
                                                 : config.sla_target);
  return h.Serve({{&service, v1::EscalationService::service_full_name()}});
}

}  // namespace
}  // namespace cxdesk::escalation

int main(int argc, char** argv) {
  return cxdesk::common::ServiceMain(argc, argv, "cxdesk-escalationd",
                                     &cxdesk::escalation::ParseConfig,
                                     &cxdesk::escalation::Run);
}
