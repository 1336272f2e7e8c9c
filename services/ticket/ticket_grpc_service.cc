#include "services/ticket/ticket_grpc_service.h"

#include <string>

#include "services/common/grpc_metadata.h"
#include "services/common/grpc_status.h"
#include "services/ticket/ticket_proto.h"

namespace cxdesk::ticket {

using common::CredentialsOf;
using common::Reply;
using common::ToGrpcStatus;

grpc::Status TicketGrpcService::CreateTicket(
    grpc::ServerContext* context, const v1::CreateTicketRequest* request,
    v1::CreateTicketResponse* response) {
  absl::StatusOr<NewTicketInput> input = NewTicketFromProto(*request);
  if (!input.ok()) return ToGrpcStatus(input.status());
  return Reply(manager_.CreateTicket(CredentialsOf(*context), *input),
               [&](const CreatedTicket& created) {
                 TicketToProto(created.ticket, response->mutable_ticket());
                 response->set_access_key(created.access_key);
               });
}

grpc::Status TicketGrpcService::GetTicket(grpc::ServerContext* context,
                                          const v1::GetTicketRequest* request,
                                          v1::Ticket* response) {
  return Reply(
      manager_.GetTicket(CredentialsOf(*context), request->ticket_id()),
      [&](const Ticket& ticket) { TicketToProto(ticket, response); });
}

grpc::Status TicketGrpcService::ListTickets(
    grpc::ServerContext* context, const v1::ListTicketsRequest* request,
    v1::ListTicketsResponse* response) {
  absl::StatusOr<TicketQuery> query = TicketQueryFromProto(*request);
  if (!query.ok()) return ToGrpcStatus(query.status());
  return Reply(
      manager_.ListTickets(CredentialsOf(*context), *query,
                           request->page_size(), request->page_token()),
      [&](const Page<Ticket>& page) {
        for (const Ticket& t : page.items) {
          TicketToProto(t, response->add_tickets());
        }
        response->set_next_page_token(page.next_page_token);
      });
}

grpc::Status TicketGrpcService::UpdateTicket(
    grpc::ServerContext* context, const v1::UpdateTicketRequest* request,
    v1::Ticket* response) {
  absl::StatusOr<TicketUpdate> update = TicketUpdateFromProto(*request);
  if (!update.ok()) return ToGrpcStatus(update.status());
  const std::string& etag =
      request->etag().empty() ? request->ticket().etag() : request->etag();
  return Reply(
      manager_.UpdateTicket(CredentialsOf(*context), request->ticket().id(),
                            *update, etag, request->request_id()),
      [&](const Ticket& ticket) { TicketToProto(ticket, response); });
}

grpc::Status TicketGrpcService::AddComment(grpc::ServerContext* context,
                                           const v1::AddCommentRequest* request,
                                           v1::Comment* response) {
  absl::StatusOr<Visibility> visibility =
      VisibilityFromProto(request->visibility());
  if (!visibility.ok()) return ToGrpcStatus(visibility.status());
  return Reply(
      manager_.AddComment(CredentialsOf(*context), request->ticket_id(),
                          *visibility, request->body(), request->request_id()),
      [&](const Comment& comment) { CommentToProto(comment, response); });
}

grpc::Status TicketGrpcService::ListComments(
    grpc::ServerContext* context, const v1::ListCommentsRequest* request,
    v1::ListCommentsResponse* response) {
  return Reply(
      manager_.ListComments(CredentialsOf(*context), request->ticket_id(),
                            request->page_size(), request->page_token()),
      [&](const Page<Comment>& page) {
        for (const Comment& c : page.items) {
          CommentToProto(c, response->add_comments());
        }
        response->set_next_page_token(page.next_page_token);
      });
}

grpc::Status TicketGrpcService::AssignTicket(
    grpc::ServerContext* context, const v1::AssignTicketRequest* request,
    v1::Ticket* response) {
  AssignInput input{request->assignee(), request->team(), request->unassign(),
                    request->request_id()};
  return Reply(manager_.AssignTicket(CredentialsOf(*context),
                                     request->ticket_id(), input),
               [&](const Ticket& ticket) { TicketToProto(ticket, response); });
}

grpc::Status TicketGrpcService::ChangeTicketStatus(
    grpc::ServerContext* context, const v1::ChangeTicketStatusRequest* request,
    v1::Ticket* response) {
  absl::StatusOr<Status> status = StatusFromProto(request->status(), "status");
  if (!status.ok()) return ToGrpcStatus(status.status());
  return Reply(
      manager_.ChangeStatus(CredentialsOf(*context), request->ticket_id(),
                            *status, request->reason()),
      [&](const Ticket& ticket) { TicketToProto(ticket, response); });
}

grpc::Status TicketGrpcService::RateTicket(grpc::ServerContext* context,
                                           const v1::RateTicketRequest* request,
                                           v1::Ticket* response) {
  return Reply(
      manager_.RateTicket(CredentialsOf(*context), request->ticket_id(),
                          request->score(), request->comment()),
      [&](const Ticket& ticket) { TicketToProto(ticket, response); });
}

grpc::Status TicketGrpcService::GetTicketStatus(
    grpc::ServerContext* context, const v1::GetTicketStatusRequest* request,
    v1::TicketStatusView* response) {
  return Reply(
      manager_.GetTicketStatus(CredentialsOf(*context), request->ticket_id()),
      [&](const StatusView& view) { StatusViewToProto(view, response); });
}

grpc::Status TicketGrpcService::ListTicketEvents(
    grpc::ServerContext* context, const v1::ListTicketEventsRequest* request,
    v1::ListTicketEventsResponse* response) {
  return Reply(
      manager_.ListTicketEvents(CredentialsOf(*context), request->ticket_id(),
                                request->page_size(), request->page_token()),
      [&](const Page<TicketEvent>& page) {
        for (const TicketEvent& e : page.items) {
          TicketEventToProto(e, response->add_events());
        }
        response->set_next_page_token(page.next_page_token);
      });
}

grpc::Status TicketGrpcService::WatchTicketEvents(
    grpc::ServerContext* context, const v1::WatchTicketEventsRequest* request,
    grpc::ServerWriter<v1::TicketEvent>* writer) {
  absl::Status status = manager_.WatchTicketEvents(
      CredentialsOf(*context), request->after_cursor(),
      [writer](const TicketEvent& event) {
        v1::TicketEvent out;
        TicketEventToProto(event, &out);
        return writer->Write(out);
      },
      [context] { return context->IsCancelled(); });
  return ToGrpcStatus(status);
}

grpc::Status TicketGrpcService::GetLatestEventCursor(
    grpc::ServerContext* context, const v1::GetLatestEventCursorRequest*,
    v1::LatestEventCursor* response) {
  return Reply(
      manager_.GetLatestEventCursor(CredentialsOf(*context)),
      [&](const std::string& cursor) { response->set_cursor(cursor); });
}

}  // namespace cxdesk::ticket
