#ifndef CXDESK_SERVICES_TICKET_TICKET_GRPC_SERVICE_H_
#define CXDESK_SERVICES_TICKET_TICKET_GRPC_SERVICE_H_

#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "services/ticket/ticket_manager.h"

namespace cxdesk::ticket {

// `v1` below is the generated ::cxdesk::ticket::v1 itself (an alias of that
// name here is ill-formed, and clang refuses it).

// The gRPC adapter: proto <-> domain, credentials from metadata, statuses
// to grpc::Status. No SQL, no rules. Uses the sync API: handlers block on
// the database on the server's own thread pool.
class TicketGrpcService final : public v1::TicketService::Service {
 public:
  explicit TicketGrpcService(TicketManager& manager) : manager_(manager) {}

  grpc::Status CreateTicket(grpc::ServerContext* context,
                            const v1::CreateTicketRequest* request,
                            v1::CreateTicketResponse* response) override;
  grpc::Status GetTicket(grpc::ServerContext* context,
                         const v1::GetTicketRequest* request,
                         v1::Ticket* response) override;
  grpc::Status ListTickets(grpc::ServerContext* context,
                           const v1::ListTicketsRequest* request,
                           v1::ListTicketsResponse* response) override;
  grpc::Status UpdateTicket(grpc::ServerContext* context,
                            const v1::UpdateTicketRequest* request,
                            v1::Ticket* response) override;
  grpc::Status AddComment(grpc::ServerContext* context,
                          const v1::AddCommentRequest* request,
                          v1::Comment* response) override;
  grpc::Status ListComments(grpc::ServerContext* context,
                            const v1::ListCommentsRequest* request,
                            v1::ListCommentsResponse* response) override;
  grpc::Status AssignTicket(grpc::ServerContext* context,
                            const v1::AssignTicketRequest* request,
                            v1::Ticket* response) override;
  grpc::Status ChangeTicketStatus(grpc::ServerContext* context,
                                  const v1::ChangeTicketStatusRequest* request,
                                  v1::Ticket* response) override;
  grpc::Status RateTicket(grpc::ServerContext* context,
                          const v1::RateTicketRequest* request,
                          v1::Ticket* response) override;
  grpc::Status GetTicketStatus(grpc::ServerContext* context,
                               const v1::GetTicketStatusRequest* request,
                               v1::TicketStatusView* response) override;
  grpc::Status ListTicketEvents(
      grpc::ServerContext* context, const v1::ListTicketEventsRequest* request,
      v1::ListTicketEventsResponse* response) override;
  grpc::Status WatchTicketEvents(
      grpc::ServerContext* context, const v1::WatchTicketEventsRequest* request,
      grpc::ServerWriter<v1::TicketEvent>* writer) override;
  grpc::Status GetLatestEventCursor(
      grpc::ServerContext* context,
      const v1::GetLatestEventCursorRequest* request,
      v1::LatestEventCursor* response) override;

 private:
  TicketManager& manager_;
};

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_TICKET_GRPC_SERVICE_H_
