#ifndef CXDESK_SERVICES_ESCALATION_GRPC_EVENT_SOURCES_H_
#define CXDESK_SERVICES_ESCALATION_GRPC_EVENT_SOURCES_H_

// The two server streams the escalation service follows: the ticket
// service's WatchTicketEvents and the SLA service's WatchSlaEvents.

#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "cxdesk/ticket/v1/ticket_service.grpc.pb.h"
#include "services/common/grpc_stream_follower.h"
#include "services/escalation/ticket_gateway.h"

namespace cxdesk::escalation {

// One ticket event as routing sees it: the event type as a word ("" for an
// unknown type), its creation time as `at`, and `after` = the ticket after
// the change with version = the event's ticket_version, the status word,
// the route fields (ToTicketToRoute: no description in snapshots), team and
// assignee.
TicketEventIn ToTicketEventIn(const ::cxdesk::ticket::v1::TicketEvent& event);

// One SLA event as the ladder sees it: kind and metric as words ("" for
// unknown values), the deadline only if the event carries one, and the
// ticket's team, assignee and priority word at the time.
SlaEventIn ToSlaEventIn(const ::cxdesk::sla::v1::SlaEvent& event);

// EventSource over the ticket service's WatchTicketEvents. `bearer_token()`
// (a service-role token) is called once per Follow. A stream that ends
// without an error (the server shut down) is UNAVAILABLE. Thread-safe (one
// Follow at a time).
class GrpcTicketEventSource final : public EventSource<TicketEventIn> {
 public:
  GrpcTicketEventSource(
      std::unique_ptr<::cxdesk::ticket::v1::TicketService::StubInterface> stub,
      std::function<std::string()> bearer_token);

  absl::Status Follow(
      const std::string& after_cursor,
      const std::function<bool(const TicketEventIn&)>& on_event) override;
  void Cancel() override { follower_.Cancel(); }
  void Reset() override { follower_.Reset(); }

 private:
  const std::unique_ptr<::cxdesk::ticket::v1::TicketService::StubInterface>
      stub_;
  common::GrpcStreamFollower follower_;
};

// EventSource over the SLA service's WatchSlaEvents; as above.
class GrpcSlaEventSource final : public EventSource<SlaEventIn> {
 public:
  GrpcSlaEventSource(
      std::unique_ptr<::cxdesk::sla::v1::SlaService::StubInterface> stub,
      std::function<std::string()> bearer_token);

  absl::Status Follow(
      const std::string& after_cursor,
      const std::function<bool(const SlaEventIn&)>& on_event) override;
  void Cancel() override { follower_.Cancel(); }
  void Reset() override { follower_.Reset(); }

 private:
  const std::unique_ptr<::cxdesk::sla::v1::SlaService::StubInterface> stub_;
  common::GrpcStreamFollower follower_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_GRPC_EVENT_SOURCES_H_
