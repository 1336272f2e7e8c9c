#include "services/sla/grpc_ticket_event_source.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_time.h"
#include "services/common/proto_words.h"

namespace cxdesk::sla {

namespace ticketpb = ::cxdesk::ticket::v1;
using common::ChannelWord;
using common::CxLevelWord;
using common::KindWord;
using common::PriorityWord;
using common::StatusWord;

RecordedChange ToRecordedChange(const ticketpb::TicketEvent& event) {
  RecordedChange r;
  r.ticket_event_id = event.id();
  r.ticket_id = event.ticket_id();
  r.cursor = event.cursor();
  TicketChange& c = r.change;
  c.at = common::FromProtoTimestamp(event.create_time());
  c.actor = event.actor();
  c.reason = event.reason();
  const ticketpb::Ticket& t = event.after();
  c.after.priority = PriorityWord(t.priority());
  c.after.kind = KindWord(t.kind());
  c.after.cx_level = CxLevelWord(t.cx_level());
  c.after.channel = ChannelWord(t.channel());
  c.after.status = StatusWord(t.status());
  c.after.tags.assign(t.tags().begin(), t.tags().end());
  c.after.customer_email = t.customer().email();
  r.dims.team = t.team();
  r.dims.assignee = t.assignee();
  if (t.has_rating() && t.rating().score() > 0) r.csat = t.rating().score();
  switch (event.type()) {
    case ticketpb::EVENT_TYPE_CREATED:
      c.kind = TicketChange::Kind::kCreated;
      break;
    case ticketpb::EVENT_TYPE_COMMENT_ADDED: {
      const ticketpb::Comment& comment = event.comment();
      const bool is_public =
          comment.visibility() == ticketpb::VISIBILITY_PUBLIC;
      const ticketpb::Role role = comment.author_role();
      if (!is_public) {
        c.kind = TicketChange::Kind::kInternalNote;
      } else if (role == ticketpb::ROLE_AGENT ||
                 role == ticketpb::ROLE_MANAGER) {
        c.kind = TicketChange::Kind::kPublicAgentReply;
      } else if (role == ticketpb::ROLE_CUSTOMER) {
        c.kind = TicketChange::Kind::kCustomerMessage;
      } else {
        c.kind = TicketChange::Kind::kOtherChange;
      }
      break;
    }
    case ticketpb::EVENT_TYPE_STATUS_CHANGED:
      c.kind = TicketChange::Kind::kStatusChanged;
      break;
    case ticketpb::EVENT_TYPE_UPDATED:
      c.kind = event.before().priority() != t.priority()
                   ? TicketChange::Kind::kPriorityChanged
                   : TicketChange::Kind::kOtherChange;
      break;
    default:
      c.kind = TicketChange::Kind::kOtherChange;
      break;
  }
  return r;
}

absl::Status GrpcTicketEventSource::Follow(
    const std::string& after_cursor,
    const std::function<bool(const RecordedChange&)>& on_change) {
  ticketpb::WatchTicketEventsRequest request;
  request.set_after_cursor(after_cursor);
  return follower_.Follow<ticketpb::TicketEvent, RecordedChange>(
      [&](grpc::ClientContext* context) {
        return stub_->WatchTicketEvents(context, request);
      },
      ToRecordedChange, on_change);
}

}  // namespace cxdesk::sla
