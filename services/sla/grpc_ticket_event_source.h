#ifndef CXDESK_SERVICES_SLA_GRPC_TICKET_EVENT_SOURCE_H_
#define CXDESK_SERVICES_SLA_GRPC_TICKET_EVENT_SOURCE_H_

#include <functional>
#include <memory>
#include <string>

#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "services/common/grpc_stream_follower.h"
#include "services/sla/ticket_event_source.h"

namespace cxdesk::sla {

// Maps one ticket event to the change the SLA rules see:
//  - created -> kCreated;
//  - a public comment by an agent or manager -> kPublicAgentReply; by the
//    customer -> kCustomerMessage; an internal note -> kInternalNote; a
//    public comment by a service (automation) counts as neither reply nor
//    message: kOtherChange;
//  - a status change -> kStatusChanged; an update that changed the
//    priority -> kPriorityChanged; anything else -> kOtherChange.
RecordedChange ToRecordedChange(const ::cxdesk::ticket::v1::TicketEvent& event);

// TicketEventSource over WatchTicketEvents, authenticating with a service
// token. Thread-safe (one Follow at a time).
class GrpcTicketEventSource final : public TicketEventSource {
 public:
  GrpcTicketEventSource(
      std::unique_ptr<::cxdesk::ticket::v1::TicketService::StubInterface> stub,
      std::function<std::string()> bearer_token)
      : stub_(std::move(stub)), follower_(std::move(bearer_token)) {}

  absl::Status Follow(
      const std::string& after_cursor,
      const std::function<bool(const RecordedChange&)>& on_change) override;
  void Cancel() override { follower_.Cancel(); }
  void Reset() override { follower_.Reset(); }

 private:
  const std::unique_ptr<::cxdesk::ticket::v1::TicketService::StubInterface>
      stub_;
  common::GrpcStreamFollower follower_;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_GRPC_TICKET_EVENT_SOURCE_H_
