#ifndef CXDESK_SERVICES_SLA_GRPC_TICKET_EVENT_SOURCE_H_
#define CXDESK_SERVICES_SLA_GRPC_TICKET_EVENT_SOURCE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
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
      : stub_(std::move(stub)), bearer_token_(std::move(bearer_token)) {}

  absl::Status Follow(
      const std::string& after_cursor,
      const std::function<bool(const RecordedChange&)>& on_change) override;
  void Cancel() override;
  void Reset() override;

 private:
  const std::unique_ptr<::cxdesk::ticket::v1::TicketService::StubInterface>
      stub_;
  const std::function<std::string()> bearer_token_;
  absl::Mutex mu_;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace cxdesk::sla

#endif  // CXDESK_SERVICES_SLA_GRPC_TICKET_EVENT_SOURCE_H_
