#include "services/ticket/ticket_proto.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"

namespace cxdesk::ticket {
namespace {

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

}  // namespace

absl::StatusOr<Status> StatusFromProto(int v, absl::string_view field) {
  return EnumOf<Status>(v, v1::Status_IsValid, field);
}

absl::StatusOr<Visibility> VisibilityFromProto(int v) {
  return EnumOf<Visibility>(v, v1::Visibility_IsValid, "visibility");
}

void RatingToProto(const Rating& in, v1::Rating* out) {
  out->set_score(in.score);
  out->set_comment(in.comment);
  // Event snapshots know the score only; their time is left unset.
  if (in.time != absl::InfinitePast()) {
    common::ToProtoTimestamp(in.time, out->mutable_create_time());
  }
}

absl::StatusOr<NewTicketInput> NewTicketFromProto(
    const v1::CreateTicketRequest& r) {
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

absl::StatusOr<TicketQuery> TicketQueryFromProto(
    const v1::ListTicketsRequest& r) {
  TicketQuery q;
  for (int s : r.statuses()) {
    CXDESK_ASSIGN_OR_RETURN(Status status, StatusFromProto(s, "statuses"));
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

absl::StatusOr<TicketUpdate> TicketUpdateFromProto(
    const v1::UpdateTicketRequest& r) {
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

void TicketToProto(const Ticket& in, v1::Ticket* out) {
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
  if (in.rating) RatingToProto(*in.rating, out->mutable_rating());
  out->set_etag(EtagOf(in));
  out->set_version(in.version);
}

void CommentToProto(const Comment& in, v1::Comment* out) {
  out->set_id(in.id);
  out->set_ticket_id(in.ticket_id);
  out->set_visibility(static_cast<v1::Visibility>(in.visibility));
  out->set_body(in.body);
  out->set_author(in.author);
  out->set_author_role(static_cast<v1::Role>(in.author_role));
  common::ToProtoTimestamp(in.create_time, out->mutable_create_time());
}

void TicketEventToProto(const TicketEvent& in, v1::TicketEvent* out) {
  out->set_cursor(common::EncodeCursor(in.cursor));
  out->set_id(in.id);
  out->set_ticket_id(in.ticket_id);
  out->set_ticket_version(in.ticket_version);
  out->set_type(static_cast<v1::EventType>(in.type));
  out->set_actor(in.actor.name);
  out->set_actor_role(static_cast<v1::Role>(in.actor.role));
  common::ToProtoTimestamp(in.time, out->mutable_create_time());
  TicketToProto(in.after, out->mutable_after());
  if (in.before) TicketToProto(*in.before, out->mutable_before());
  if (in.comment) CommentToProto(*in.comment, out->mutable_comment());
  out->set_reason(in.reason);
}

void StatusViewToProto(const StatusView& in, v1::TicketStatusView* out) {
  const Ticket& t = in.ticket;
  out->set_ticket_id(t.id);
  out->set_subject(t.subject);
  out->set_status(static_cast<v1::Status>(t.status));
  for (const Comment& c : in.conversation) {
    CommentToProto(c, out->add_conversation());
  }
  out->set_earlier_replies_omitted(in.earlier_replies_omitted);
  if (t.rating) RatingToProto(*t.rating, out->mutable_rating());
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

}  // namespace cxdesk::ticket
