#ifndef CXDESK_SERVICES_TICKET_GRPC_SLA_PROMISE_SOURCE_H_
#define CXDESK_SERVICES_TICKET_GRPC_SLA_PROMISE_SOURCE_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "cxdesk/sla/v1/sla_service.grpc.pb.h"
#include "services/common/clock.h"
#include "services/ticket/sla_promise_source.h"

namespace cxdesk::ticket {

// Asks the SLA service (cxdesk.sla.v1.SlaService.GetSlaPromise) for a
// ticket's promise. Every call carries a deadline and a service-role bearer
// token signed with the deployment secret. NOT_FOUND from the SLA service is
// "no promise" (nullopt); any other failure is returned as its code
// (UNAVAILABLE when the service is down, DEADLINE_EXCEEDED when it is slow,
// UNAUTHENTICATED / PERMISSION_DENIED when the secrets disagree). Logs
// nothing: the caller decides what a failure means. Thread-safe.
class GrpcSlaPromiseSource final : public SlaPromiseSource {
 public:
  struct Options {
    // The deadline of each call.
    absl::Duration timeout = absl::Milliseconds(300);
    // The token's subject, as the SLA service sees the caller.
    std::string subject = "cxdesk-ticketd";
    // How long a signed token is valid; it is re-signed when half is used.
    absl::Duration token_lifetime = absl::Hours(1);
  };

  // `clock` (token expiry) must outlive this object.
  GrpcSlaPromiseSource(std::unique_ptr<sla::v1::SlaService::StubInterface> stub,
                       const common::Clock& clock, std::string token_secret,
                       Options options);
  GrpcSlaPromiseSource(const std::shared_ptr<grpc::Channel>& channel,
                       const common::Clock& clock, std::string token_secret,
                       Options options);

  absl::StatusOr<std::optional<Promise>> GetPromise(int64_t ticket_id) override;

 private:
  // The cached token, re-signed when half its lifetime has passed.
  absl::StatusOr<std::string> Token();

  const std::unique_ptr<sla::v1::SlaService::StubInterface> stub_;
  const common::Clock& clock_;
  const std::string token_secret_;
  const Options options_;

  absl::Mutex mu_;
  std::string token_ ABSL_GUARDED_BY(mu_);
  absl::Time token_refresh_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace cxdesk::ticket

#endif  // CXDESK_SERVICES_TICKET_GRPC_SLA_PROMISE_SOURCE_H_
