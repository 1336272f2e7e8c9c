// cxdesk-slad: the composition root of the SLA service.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <memory>
#include <vector>

#include "services/common/log.h"
#include "services/common/service_host.h"
#include "services/sla/config.h"
#include "services/sla/grpc_ticket_event_source.h"
#include "services/sla/postgres_sla_store.h"
#include "services/sla/sla_engine.h"
#include "services/sla/sla_grpc_service.h"
#include "services/sla/sla_manager.h"

namespace cxdesk::sla {
namespace {

absl::Status Run(const Config& config) {
  auto host = common::ServiceHost::Create(
      {"cxdesk-slad", "sla", config.server, &SlaMigrations(),
       PostgresSlaStore::PreparedQueries()});
  if (!host.ok()) return host.status();
  common::ServiceHost& h = **host;

  PostgresSlaStore store(h.pool(), &h.Publish(kSlaEventChannel),
                         &h.Publish(kTimerChannel));
  ConfigCache config_cache(store);
  SlaManager manager(store, config_cache, h.clock(), h.secret(),
                     &h.Listen(kSlaEventChannel));
  SlaGrpcService service(manager);

  // Several timer loops per replica: while one waits for its commit,
  // another claims the next due timers (the claim's try-locks keep them
  // apart).
  TimerLoop::Options timer_options;
  timer_options.replica = config.replica;
  timer_options.batch = config.timer_batch;
  const common::ChangeSignal& timers_due = h.Listen(kTimerChannel);
  std::vector<std::unique_ptr<TimerLoop>> timer_loops;
  for (int i = 0; i < config.timer_loops; ++i) {
    timer_loops.push_back(std::make_unique<TimerLoop>(
        store, config_cache, h.clock(), timers_due, timer_options));
    TimerLoop* loop = timer_loops.back().get();
    h.AddWorker([loop] { loop->Run(); }, [loop] { loop->Stop(); });
  }
  CXDESK_LOG(Info) << "replica " << config.replica << " fires timers ("
                   << config.timer_loops << " loops)";

  std::unique_ptr<GrpcTicketEventSource> source;
  std::unique_ptr<ChangeConsumer> consumer;
  if (!config.ticket_target.empty()) {
    // Plaintext only because the target is on loopback (checked by
    // ParseConfig).
    source = std::make_unique<GrpcTicketEventSource>(
        ticket::v1::TicketService::NewStub(grpc::CreateChannel(
            config.ticket_target, grpc::InsecureChannelCredentials())),
        h.ServiceToken());
    consumer = std::make_unique<ChangeConsumer>(store, config_cache, *source);
    h.AddWorker([&consumer] { consumer->Run(); },
                [&consumer] { consumer->Stop(); });
    CXDESK_LOG(Info) << "consuming ticket events from " << config.ticket_target;
  } else {
    CXDESK_LOG(Info) << "not consuming ticket events: timers only";
  }
  return h.Serve({{&service, v1::SlaService::service_full_name()}});
}

}  // namespace
}  // namespace cxdesk::sla

int main(int argc, char** argv) {
  return cxdesk::common::ServiceMain(
      argc, argv, "cxdesk-slad", &cxdesk::sla::ParseConfig, &cxdesk::sla::Run);
}
