#ifndef CXDESK_SERVICES_SLA_SLA_GRPC_SERVICE_H_
#define CXDESK_SERVICES_SLA_SLA_GRPC_SERVICE_H_

#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "services/sla/sla_manager.h"

namespace cxdesk::sla {

namespace slapb = ::cxdesk::sla::v1;

// The gRPC adapter of the SLA service: one handler per RPC, converting with
// sla_proto.h and answering with common::Reply. No SQL, no rules. Sync API:
// handlers block on the database on the server's own threads (decided once for
// all services).
class SlaGrpcService final : public slapb::SlaService::Service {
 public:
  explicit SlaGrpcService(SlaManager& manager) : manager_(manager) {}

  grpc::Status CreateCalendar(grpc::ServerContext* context,
                              const slapb::CreateCalendarRequest* request,
                              slapb::Calendar* response) override;
  grpc::Status GetCalendar(grpc::ServerContext* context,
                           const slapb::GetCalendarRequest* request,
                           slapb::Calendar* response) override;
  grpc::Status ListCalendars(grpc::ServerContext* context,
                             const slapb::ListCalendarsRequest* request,
                             slapb::ListCalendarsResponse* response) override;
  grpc::Status UpdateCalendar(grpc::ServerContext* context,
                              const slapb::UpdateCalendarRequest* request,
                              slapb::Calendar* response) override;
  grpc::Status DeleteCalendar(grpc::ServerContext* context,
                              const slapb::DeleteCalendarRequest* request,
                              google::protobuf::Empty* response) override;
  grpc::Status CreatePolicy(grpc::ServerContext* context,
                            const slapb::CreatePolicyRequest* request,
                            slapb::Policy* response) override;
  grpc::Status GetPolicy(grpc::ServerContext* context,
                         const slapb::GetPolicyRequest* request,
                         slapb::Policy* response) override;
  grpc::Status ListPolicies(grpc::ServerContext* context,
                            const slapb::ListPoliciesRequest* request,
                            slapb::ListPoliciesResponse* response) override;
  grpc::Status UpdatePolicy(grpc::ServerContext* context,
                            const slapb::UpdatePolicyRequest* request,
                            slapb::Policy* response) override;
  grpc::Status DeletePolicy(grpc::ServerContext* context,
                            const slapb::DeletePolicyRequest* request,
                            google::protobuf::Empty* response) override;
  grpc::Status GetTicketSla(grpc::ServerContext* context,
                            const slapb::GetTicketSlaRequest* request,
                            slapb::TicketSla* response) override;
  grpc::Status GetSlaPromise(grpc::ServerContext* context,
                             const slapb::GetSlaPromiseRequest* request,
                             slapb::SlaPromise* response) override;
  grpc::Status ListSlaEvents(grpc::ServerContext* context,
                             const slapb::ListSlaEventsRequest* request,
                             slapb::ListSlaEventsResponse* response) override;
  grpc::Status ListBreaches(grpc::ServerContext* context,
                            const slapb::ListBreachesRequest* request,
                            slapb::ListBreachesResponse* response) override;
  grpc::Status GetSlaReport(grpc::ServerContext* context,
                            const slapb::GetSlaReportRequest* request,
                            slapb::SlaReport* response) override;
  grpc::Status SimulatePolicy(grpc::ServerContext* context,
                              const slapb::SimulatePolicyRequest* request,
                              slapb::SlaReport* response) override;
  grpc::Status WatchSlaEvents(
      grpc::ServerContext* context, const slapb::WatchSlaEventsRequest* request,
      grpc::ServerWriter<slapb::SlaEvent>* writer) override;

 private:
  SlaManager& manager_;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_SLA_GRPC_SERVICE_H_
