#include "services/ticket/grpc_sla_promise_source.h"

#include <grpcpp/client_context.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/proto_time.h"
#include "services/common/token.h"

namespace cxdesk::ticket {

GrpcSlaPromiseSource::GrpcSlaPromiseSource(
    std::unique_ptr<sla::v1::SlaService::StubInterface> stub,
    const common::Clock& clock, std::string token_secret, Options options)
    : stub_(std::move(stub)),
      clock_(clock),
      token_secret_(std::move(token_secret)),
      options_(std::move(options)) {}

GrpcSlaPromiseSource::GrpcSlaPromiseSource(
    const std::shared_ptr<grpc::Channel>& channel, const common::Clock& clock,
    std::string token_secret, Options options)
    : GrpcSlaPromiseSource(sla::v1::SlaService::NewStub(channel), clock,
                           std::move(token_secret), std::move(options)) {}

absl::StatusOr<std::string> GrpcSlaPromiseSource::Token() {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  if (now >= token_refresh_) {
    common::TokenClaims claims{options_.subject, common::StaffRole::kService,
                               now + options_.token_lifetime};
    absl::StatusOr<std::string> token =
        common::SignToken(claims, token_secret_);
    if (!token.ok()) return token.status();
    token_ = *std::move(token);
    token_refresh_ = now + options_.token_lifetime / 2;
  }
  return token_;
}

absl::StatusOr<std::optional<Promise>> GrpcSlaPromiseSource::GetPromise(
    int64_t ticket_id) {
  absl::StatusOr<std::string> token = Token();
  if (!token.ok()) return token.status();
  grpc::ClientContext context;
  // A deadline on the real clock: it bounds how long the customer waits.
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(options_.timeout));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
  sla::v1::GetSlaPromiseRequest request;
  request.set_ticket_id(ticket_id);
  sla::v1::SlaPromise response;
  const grpc::Status status =
      stub_->GetSlaPromise(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::nullopt;
  if (!status.ok()) return common::FromGrpcStatus(status);
  Promise promise;
  promise.text = response.text();
  if (response.has_due_time()) {
    promise.due = common::FromProtoTimestamp(response.due_time());
  }
  return promise;
}

}  // namespace cxdesk::ticket
