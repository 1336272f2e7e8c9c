#include "services/ticket/ticket_grpc_service.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_metadata.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"

namespace cxdesk::ticket {
namespace {

Credentials CredentialsOf(const grpc::ServerContext& context) {
  Credentials creds;
  const auto& md = context.client_metadata();
  creds.bearer_token = common::BearerTokenOf(context);
  if (auto it = md.find("x-cxdesk-access-key"); it != md.end()) {
    creds.access_key = std::string(it->second.data(), it->second.size());
    if (creds.access_key.empty()) creds.access_key = "-";
  }
  return creds;
}

// Proto and domain enums share their numbering (checked by a unit test);
// values the proto does not know are rejected naming the field.
template <typename Domain>
absl::StatusOr<Domain> EnumOf(int value, bool (*is_valid)(int),
                              absl::string_view field) {
  if (!is_valid(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unknown value ", value));
  }
  return static_cast<Domain>(value);
}

absl::StatusOr<Kind> KindOf(int v) {
  return EnumOf<Kind>(v, v1::Kind_IsValid, "kind");
}
absl::StatusOr<CxLevel> CxLevelOf(int v) {
  return EnumOf<CxLevel>(v, v1::CxLevel_IsValid, "cx_level");
}
absl::StatusOr<Priority> PriorityOf(int v) {
  return EnumOf<Priority>(v, v1::Priority_IsValid, "priority");
}
absl::StatusOr<Channel> ChannelOf(int v) {
  return EnumOf<Channel>(v, v1::Channel_IsValid, "channel");
}
absl::StatusOr<Status> StatusOf(int v, absl::string_view field) {
  return EnumOf<Status>(v, v1::Status_IsValid, field);
}

void ToProto(const Rating& in, v1::Rating* out) {
  out->set_score(in.score);
  out->set_comment(in.comment);
  // Event snapshots know the score only; their time is left unset.
  if (in.time != absl::InfinitePast()) {
    common::ToProtoTimestamp(in.time, out->mutable_create_time());
  }
}

absl::StatusOr<NewTicketInput> FromProto(const v1::CreateTicketRequest& r) {
  NewTicketInput in;
  in.subject = r.subject();
  in.description = r.description();
  CXDESK_ASSIGN_OR_RETURN(in.kind, KindOf(r.kind()));
  CXDESK_ASSIGN_OR_RETURN(in.cx_level, CxLevelOf(r.cx_level()));
  CXDESK_ASSIGN_OR_RETURN(in.priority, PriorityOf(r.priority()));
  CXDESK_ASSIGN_OR_RETURN(in.channel, ChannelOf(r.channel()));
  in.customer_email = r.customer_email();
  in.customer_name = r.customer_name();
  in.tags.assign(r.tags().begin(), r.tags().end());
  in.request_id = r.request_id();
  return in;
}

absl::StatusOr<TicketQuery> FromProto(const v1::ListTicketsRequest& r) {
  TicketQuery q;
  for (int s : r.statuses()) {
    CXDESK_ASSIGN_OR_RETURN(Status status, StatusOf(s, "statuses"));
    if (status == Status::kUnspecified) {
      return absl::InvalidArgumentError("statuses: STATUS_UNSPECIFIED given");
    }
    q.statuses.push_back(status);
  }
  CXDESK_ASSIGN_OR_RETURN(q.priority, PriorityOf(r.priority()));
  CXDESK_ASSIGN_OR_RETURN(q.kind, KindOf(r.kind()));
  CXDESK_ASSIGN_OR_RETURN(q.cx_level, CxLevelOf(r.cx_level()));
  q.assignee = r.assignee();
  q.team = r.team();
  q.customer_email = r.customer_email();
  q.tag = r.tag();
  if (r.has_created_after())
    q.created_after = common::FromProtoTimestamp(r.created_after());
  if (r.has_created_before())
    q.created_before = common::FromProtoTimestamp(r.created_before());
  q.unassigned = r.unassigned();
  q.order_by = r.order_by();
  return q;
}

absl::StatusOr<TicketUpdate> FromProto(const v1::UpdateTicketRequest& r) {
  if (!r.has_update_mask() || r.update_mask().paths().empty()) {
    return absl::InvalidArgumentError(
        "update_mask: required (subject, description, kind, cx_level, "
        "priority, channel, tags)");
  }
  const v1::Ticket& t = r.ticket();
  TicketUpdate u;
  for (const std::string& path : r.update_mask().paths()) {
    if (path == "subject") {
      u.subject = t.subject();
    } else if (path == "description") {
      u.description = t.description();
    } else if (path == "kind") {
      CXDESK_ASSIGN_OR_RETURN(u.kind, KindOf(t.kind()));
    } else if (path == "cx_level") {
      CXDESK_ASSIGN_OR_RETURN(u.cx_level, CxLevelOf(t.cx_level()));
    } else if (path == "priority") {
      CXDESK_ASSIGN_OR_RETURN(u.priority, PriorityOf(t.priority()));
    } else if (path == "channel") {
      CXDESK_ASSIGN_OR_RETURN(u.channel, ChannelOf(t.channel()));
    } else if (path == "tags") {
      u.tags = std::vector<std::string>(t.tags().begin(), t.tags().end());
    } else if (path == "status") {
      return absl::InvalidArgumentError(
          "update_mask: status changes only through ChangeTicketStatus");
    } else if (path == "assignee" || path == "team") {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: ", path, " changes only through AssignTicket"));
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "update_mask: ", common::Excerpt(path), " cannot be updated"));
    }
  }
  return u;
}

}  // namespace

void ToProto(const Ticket& in, v1::Ticket* out) {
  out->set_id(in.id);
  out->set_subject(in.subject);
  out->set_description(in.description);
  out->set_kind(static_cast<v1::Kind>(in.kind));
  out->set_cx_level(static_cast<v1::CxLevel>(in.cx_level));
  out->set_priority(static_cast<v1::Priority>(in.priority));
  out->set_channel(static_cast<v1::Channel>(in.channel));
  out->set_status(static_cast<v1::Status>(in.status));
  out->mutable_customer()->set_id(in.customer.id);
  out->mutable_customer()->set_email(in.customer.email);
  out->mutable_customer()->set_name(in.customer.name);
  for (const std::string& tag : in.tags) out->add_tags(tag);
  out->set_assignee(in.assignee);
  out->set_team(in.team);
  common::ToProtoTimestamp(in.create_time, out->mutable_create_time());
  common::ToProtoTimestamp(in.update_time, out->mutable_update_time());
  if (in.solve_time)
    common::ToProtoTimestamp(*in.solve_time, out->mutable_solve_time());
  if (in.rating) ToProto(*in.rating, out->mutable_rating());
  out->set_etag(EtagOf(in));
  out->set_version(in.version);
}

void ToProto(const Comment& in, v1::Comment* out) {
  out->set_id(in.id);
  out->set_ticket_id(in.ticket_id);
  out->set_visibility(static_cast<v1::Visibility>(in.visibility));
  out->set_body(in.body);
  out->set_author(in.author);
  out->set_author_role(static_cast<v1::Role>(in.author_role));
  common::ToProtoTimestamp(in.create_time, out->mutable_create_time());
}

void ToProto(const TicketEvent& in, v1::TicketEvent* out) {
  out->set_cursor(common::EncodeCursor(in.cursor));
  out->set_id(in.id);
  out->set_ticket_id(in.ticket_id);
  out->set_ticket_version(in.ticket_version);
  out->set_type(static_cast<v1::EventType>(in.type));
  out->set_actor(in.actor.name);
  out->set_actor_role(static_cast<v1::Role>(in.actor.role));
  common::ToProtoTimestamp(in.time, out->mutable_create_time());
  ToProto(in.after, out->mutable_after());
  if (in.before) ToProto(*in.before, out->mutable_before());
  if (in.comment) ToProto(*in.comment, out->mutable_comment());
  out->set_reason(in.reason);
}

void ToProto(const StatusView& in, v1::TicketStatusView* out) {
  const Ticket& t = in.ticket;
  out->set_ticket_id(t.id);
  out->set_subject(t.subject);
  out->set_status(static_cast<v1::Status>(t.status));
  for (const Comment& c : in.conversation) {
    ToProto(c, out->add_conversation());
  }
  out->set_earlier_replies_omitted(in.earlier_replies_omitted);
  if (t.rating) ToProto(*t.rating, out->mutable_rating());
  common::ToProtoTimestamp(t.create_time, out->mutable_create_time());
  common::ToProtoTimestamp(t.update_time, out->mutable_update_time());
  if (in.promise) {
    out->set_promise(in.promise->text);
    // A paused promise has no time; the field stays unset.
    if (in.promise->due != absl::InfiniteFuture()) {
      common::ToProtoTimestamp(in.promise->due, out->mutable_promise_time());
    }
  }
}

grpc::Status TicketGrpcService::CreateTicket(
    grpc::ServerContext* context, const v1::CreateTicketRequest* request,
    v1::CreateTicketResponse* response) {
  absl::StatusOr<NewTicketInput> input = FromProto(*request);
  if (!input.ok()) return common::ToGrpcStatus(input.status());
  absl::StatusOr<CreatedTicket> created =
      manager_.CreateTicket(CredentialsOf(*context), *input);
  if (!created.ok()) return common::ToGrpcStatus(created.status());
  ToProto(created->ticket, response->mutable_ticket());
  response->set_access_key(created->access_key);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::GetTicket(grpc::ServerContext* context,
                                          const v1::GetTicketRequest* request,
                                          v1::Ticket* response) {
  absl::StatusOr<Ticket> ticket =
      manager_.GetTicket(CredentialsOf(*context), request->ticket_id());
  if (!ticket.ok()) return common::ToGrpcStatus(ticket.status());
  ToProto(*ticket, response);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::ListTickets(
    grpc::ServerContext* context, const v1::ListTicketsRequest* request,
    v1::ListTicketsResponse* response) {
  absl::StatusOr<TicketQuery> query = FromProto(*request);
  if (!query.ok()) return common::ToGrpcStatus(query.status());
  absl::StatusOr<Page<Ticket>> page =
      manager_.ListTickets(CredentialsOf(*context), *query,
                           request->page_size(), request->page_token());
  if (!page.ok()) return common::ToGrpcStatus(page.status());
  for (const Ticket& t : page->items) ToProto(t, response->add_tickets());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::UpdateTicket(
    grpc::ServerContext* context, const v1::UpdateTicketRequest* request,
    v1::Ticket* response) {
  absl::StatusOr<TicketUpdate> update = FromProto(*request);
  if (!update.ok()) return common::ToGrpcStatus(update.status());
  const std::string& etag =
      request->etag().empty() ? request->ticket().etag() : request->etag();
  absl::StatusOr<Ticket> ticket =
      manager_.UpdateTicket(CredentialsOf(*context), request->ticket().id(),
                            *update, etag, request->request_id());
  if (!ticket.ok()) return common::ToGrpcStatus(ticket.status());
  ToProto(*ticket, response);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::AddComment(grpc::ServerContext* context,
                                           const v1::AddCommentRequest* request,
                                           v1::Comment* response) {
  absl::StatusOr<Visibility> visibility = EnumOf<Visibility>(
      request->visibility(), v1::Visibility_IsValid, "visibility");
  if (!visibility.ok()) return common::ToGrpcStatus(visibility.status());
  absl::StatusOr<Comment> comment =
      manager_.AddComment(CredentialsOf(*context), request->ticket_id(),
                          *visibility, request->body(), request->request_id());
  if (!comment.ok()) return common::ToGrpcStatus(comment.status());
  ToProto(*comment, response);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::ListComments(
    grpc::ServerContext* context, const v1::ListCommentsRequest* request,
    v1::ListCommentsResponse* response) {
  absl::StatusOr<Page<Comment>> page =
      manager_.ListComments(CredentialsOf(*context), request->ticket_id(),
                            request->page_size(), request->page_token());
  if (!page.ok()) return common::ToGrpcStatus(page.status());
  for (const Comment& c : page->items) ToProto(c, response->add_comments());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::AssignTicket(
    grpc::ServerContext* context, const v1::AssignTicketRequest* request,
    v1::Ticket* response) {
  AssignInput input{request->assignee(), request->team(), request->unassign(),
                    request->request_id()};
  absl::StatusOr<Ticket> ticket = manager_.AssignTicket(
      CredentialsOf(*context), request->ticket_id(), input);
  if (!ticket.ok()) return common::ToGrpcStatus(ticket.status());
  ToProto(*ticket, response);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::ChangeTicketStatus(
    grpc::ServerContext* context, const v1::ChangeTicketStatusRequest* request,
    v1::Ticket* response) {
  absl::StatusOr<Status> status = StatusOf(request->status(), "status");
  if (!status.ok()) return common::ToGrpcStatus(status.status());
  absl::StatusOr<Ticket> ticket =
      manager_.ChangeStatus(CredentialsOf(*context), request->ticket_id(),
                            *status, request->reason());
  if (!ticket.ok()) return common::ToGrpcStatus(ticket.status());
  ToProto(*ticket, response);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::RateTicket(grpc::ServerContext* context,
                                           const v1::RateTicketRequest* request,
                                           v1::Ticket* response) {
  absl::StatusOr<Ticket> ticket =
      manager_.RateTicket(CredentialsOf(*context), request->ticket_id(),
                          request->score(), request->comment());
  if (!ticket.ok()) return common::ToGrpcStatus(ticket.status());
  ToProto(*ticket, response);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::GetTicketStatus(
    grpc::ServerContext* context, const v1::GetTicketStatusRequest* request,
    v1::TicketStatusView* response) {
  absl::StatusOr<StatusView> view =
      manager_.GetTicketStatus(CredentialsOf(*context), request->ticket_id());
  if (!view.ok()) return common::ToGrpcStatus(view.status());
  ToProto(*view, response);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::ListTicketEvents(
    grpc::ServerContext* context, const v1::ListTicketEventsRequest* request,
    v1::ListTicketEventsResponse* response) {
  absl::StatusOr<Page<TicketEvent>> page =
      manager_.ListTicketEvents(CredentialsOf(*context), request->ticket_id(),
                                request->page_size(), request->page_token());
  if (!page.ok()) return common::ToGrpcStatus(page.status());
  for (const TicketEvent& e : page->items) ToProto(e, response->add_events());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status TicketGrpcService::WatchTicketEvents(
    grpc::ServerContext* context, const v1::WatchTicketEventsRequest* request,
    grpc::ServerWriter<v1::TicketEvent>* writer) {
  absl::Status status = manager_.WatchTicketEvents(
      CredentialsOf(*context), request->after_cursor(),
      [writer](const TicketEvent& event) {
        v1::TicketEvent out;
        ToProto(event, &out);
        return writer->Write(out);
      },
      [context] { return context->IsCancelled(); });
  return common::ToGrpcStatus(status);
}

grpc::Status TicketGrpcService::GetLatestEventCursor(
    grpc::ServerContext* context, const v1::GetLatestEventCursorRequest*,
    v1::LatestEventCursor* response) {
  absl::StatusOr<std::string> cursor =
      manager_.GetLatestEventCursor(CredentialsOf(*context));
  if (!cursor.ok()) return common::ToGrpcStatus(cursor.status());
  response->set_cursor(*cursor);
  return grpc::Status::OK;
}

}  // namespace cxdesk::ticket
