#include "services/escalation/grpc_event_sources.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_time.h"
#include "services/common/proto_words.h"
#include "services/escalation/grpc_ticket_gateway.h"

namespace cxdesk::escalation {

namespace ticketpb = ::cxdesk::ticket::v1;
namespace slapb = ::cxdesk::sla::v1;

namespace {

std::string EventTypeWord(int type) {
  switch (type) {
    case ticketpb::EVENT_TYPE_CREATED:
      return "created";
    case ticketpb::EVENT_TYPE_UPDATED:
      return "updated";
    case ticketpb::EVENT_TYPE_COMMENT_ADDED:
      return "comment_added";
    case ticketpb::EVENT_TYPE_ASSIGNED:
      return "assigned";
    case ticketpb::EVENT_TYPE_STATUS_CHANGED:
      return "status_changed";
    case ticketpb::EVENT_TYPE_RATED:
      return "rated";
    default:
      return "";
  }
}

std::string SlaKindWord(int kind) {
  switch (kind) {
    case slapb::SLA_EVENT_KIND_STARTED:
      return "started";
    case slapb::SLA_EVENT_KIND_PAUSED:
      return "paused";
    case slapb::SLA_EVENT_KIND_RESUMED:
      return "resumed";
    case slapb::SLA_EVENT_KIND_MET:
      return "met";
    case slapb::SLA_EVENT_KIND_CANCELLED:
      return "cancelled";
    case slapb::SLA_EVENT_KIND_RETARGETED:
      return "retargeted";
    case slapb::SLA_EVENT_KIND_WARNED:
      return "warned";
    case slapb::SLA_EVENT_KIND_BREACHED:
      return "breached";
    default:
      return "";
  }
}

std::string MetricWord(int metric) {
  switch (metric) {
    case slapb::METRIC_FIRST_RESPONSE:
      return "first_response";
    case slapb::METRIC_NEXT_RESPONSE:
      return "next_response";
    case slapb::METRIC_PERIODIC_UPDATE:
      return "periodic_update";
    case slapb::METRIC_RESOLUTION:
      return "resolution";
    default:
      return "";
  }
}

}  // namespace

TicketEventIn ToTicketEventIn(const ticketpb::TicketEvent& event) {
  TicketEventIn in;
  in.id = event.id();
  in.cursor = event.cursor();
  in.ticket_id = event.ticket_id();
  in.type = EventTypeWord(event.type());
  in.at = common::FromProtoTimestamp(event.create_time());
  const ticketpb::Ticket& t = event.after();
  TicketView& v = in.after;
  v.id = event.ticket_id();
  v.version = event.ticket_version();
  v.status = common::StatusWord(t.status());
  v.route = ToTicketToRoute(t);
  v.route.id = event.ticket_id();
  v.team = t.team();
  v.assignee = t.assignee();
  return in;
}

SlaEventIn ToSlaEventIn(const slapb::SlaEvent& event) {
  SlaEventIn in;
  in.id = event.id();
  in.cursor = event.cursor();
  in.ticket_id = event.ticket_id();
  in.kind = SlaKindWord(event.kind());
  in.metric = MetricWord(event.metric());
  in.cycle = event.cycle();
  in.occur_time = common::FromProtoTimestamp(event.occur_time());
  if (event.has_deadline()) {
    in.deadline = common::FromProtoTimestamp(event.deadline());
  }
  in.team = event.team();
  in.assignee = event.assignee();
  in.priority = common::PriorityWord(event.priority());
  return in;
}

GrpcTicketEventSource::GrpcTicketEventSource(
    std::unique_ptr<ticketpb::TicketService::StubInterface> stub,
    std::function<std::string()> bearer_token)
    : stub_(std::move(stub)), follower_(std::move(bearer_token)) {}

absl::Status GrpcTicketEventSource::Follow(
    const std::string& after_cursor,
    const std::function<bool(const TicketEventIn&)>& on_event) {
  ticketpb::WatchTicketEventsRequest request;
  request.set_after_cursor(after_cursor);
  return follower_.Follow<ticketpb::TicketEvent, TicketEventIn>(
      [&](grpc::ClientContext* context) {
        return stub_->WatchTicketEvents(context, request);
      },
      ToTicketEventIn, on_event);
}

GrpcSlaEventSource::GrpcSlaEventSource(
    std::unique_ptr<slapb::SlaService::StubInterface> stub,
    std::function<std::string()> bearer_token)
    : stub_(std::move(stub)), follower_(std::move(bearer_token)) {}

absl::Status GrpcSlaEventSource::Follow(
    const std::string& after_cursor,
    const std::function<bool(const SlaEventIn&)>& on_event) {
  slapb::WatchSlaEventsRequest request;
  request.set_after_cursor(after_cursor);
  return follower_.Follow<slapb::SlaEvent, SlaEventIn>(
      [&](grpc::ClientContext* context) {
        return stub_->WatchSlaEvents(context, request);
      },
      ToSlaEventIn, on_event);
}

}  // namespace cxdesk::escalation
