// cxdesk-ticketd: the composition root of the ticket service.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <memory>

#include "services/common/log.h"
#include "services/common/service_host.h"
#include "services/ticket/config.h"
#include "services/ticket/grpc_sla_promise_source.h"
#include "services/ticket/postgres_ticket_store.h"
#include "services/ticket/ticket_grpc_service.h"
#include "services/ticket/ticket_manager.h"

namespace cxdesk::ticket {
namespace {

absl::Status Run(const Config& config) {
  auto host = common::ServiceHost::Create(
      {"cxdesk-ticketd", "ticket", config.server, &TicketMigrations(),
       PostgresTicketStore::PreparedQueries()});
  if (!host.ok()) return host.status();
  common::ServiceHost& h = **host;

  PostgresTicketStore store(h.pool(), &h.Publish(kEventChannel));
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
        h.clock(), h.secret(), sla_options);
    CXDESK_LOG(Info) << "SLA promises from " << config.sla_target;
  } else {
    CXDESK_LOG(Info) << "no SLA service: customer views carry no promise";
  }
  TicketManager manager(store, h.clock(), h.secret(), &h.Listen(kEventChannel),
                        promises.get());
  TicketGrpcService service(manager);
  return h.Serve({{&service, v1::TicketService::service_full_name()}});
}

}  // namespace
}  // namespace cxdesk::ticket

int main(int argc, char** argv) {
  return cxdesk::common::ServiceMain(argc, argv, "cxdesk-ticketd",
                                     &cxdesk::ticket::ParseConfig,
                                     &cxdesk::ticket::Run);
}
