#ifndef CXDESK_SERVICES_SLA_SLA_GRPC_SERVICE_H_
#define CXDESK_SERVICES_SLA_SLA_GRPC_SERVICE_H_

#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "services/sla/sla_manager.h"

namespace cxdesk::sla {

namespace v1 = ::cxdesk::sla::v1;

// The gRPC adapter of the SLA service: one handler per RPC, converting with
// sla_proto.h and answering with common::Reply. No SQL, no rules. Sync API:
// handlers block on the database on the server's own threads (decided once for
// all services).
class SlaGrpcService final : public v1::SlaService::Service {
 public:
  explicit SlaGrpcService(SlaManager& manager) : manager_(manager) {}

  grpc::Status CreateCalendar(grpc::ServerContext* context,
                              const v1::CreateCalendarRequest* request,
                              v1::Calendar* response) override;
  grpc::Status GetCalendar(grpc::ServerContext* context,
                           const v1::GetCalendarRequest* request,
                           v1::Calendar* response) override;
  grpc::Status ListCalendars(grpc::ServerContext* context,
                             const v1::ListCalendarsRequest* request,
                             v1::ListCalendarsResponse* response) override;
  grpc::Status UpdateCalendar(grpc::ServerContext* context,
                              const v1::UpdateCalendarRequest* request,
                              v1::Calendar* response) override;
  grpc::Status DeleteCalendar(grpc::ServerContext* context,
                              const v1::DeleteCalendarRequest* request,
                              google::protobuf::Empty* response) override;
  grpc::Status CreatePolicy(grpc::ServerContext* context,
                            const v1::CreatePolicyRequest* request,
                            v1::Policy* response) override;
  grpc::Status GetPolicy(grpc::ServerContext* context,
                         const v1::GetPolicyRequest* request,
                         v1::Policy* response) override;
  grpc::Status ListPolicies(grpc::ServerContext* context,
                            const v1::ListPoliciesRequest* request,
                            v1::ListPoliciesResponse* response) override;
  grpc::Status UpdatePolicy(grpc::ServerContext* context,
                            const v1::UpdatePolicyRequest* request,
                            v1::Policy* response) override;
  grpc::Status DeletePolicy(grpc::ServerContext* context,
                            const v1::DeletePolicyRequest* request,
                            google::protobuf::Empty* response) override;
  grpc::Status GetTicketSla(grpc::ServerContext* context,
                            const v1::GetTicketSlaRequest* request,
                            v1::TicketSla* response) override;
  grpc::Status GetSlaPromise(grpc::ServerContext* context,
                             const v1::GetSlaPromiseRequest* request,
                             v1::SlaPromise* response) override;
  grpc::Status ListSlaEvents(grpc::ServerContext* context,
                             const v1::ListSlaEventsRequest* request,
                             v1::ListSlaEventsResponse* response) override;
  grpc::Status ListBreaches(grpc::ServerContext* context,
                            const v1::ListBreachesRequest* request,
                            v1::ListBreachesResponse* response) override;
  grpc::Status GetSlaReport(grpc::ServerContext* context,
                            const v1::GetSlaReportRequest* request,
                            v1::SlaReport* response) override;
  grpc::Status SimulatePolicy(grpc::ServerContext* context,
                              const v1::SimulatePolicyRequest* request,
                              v1::SlaReport* response) override;
  grpc::Status WatchSlaEvents(
      grpc::ServerContext* context, const v1::WatchSlaEventsRequest* request,
      grpc::ServerWriter<v1::SlaEvent>* writer) override;

 private:
  SlaManager& manager_;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_SLA_GRPC_SERVICE_H_
