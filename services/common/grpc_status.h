#ifndef CXDESK_SERVICES_COMMON_GRPC_STATUS_H_
#define CXDESK_SERVICES_COMMON_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cxdesk::common {

// The most bytes of a status message that go on the wire; a longer one is cut
// at a character boundary and ends in "...". Messages echo client values only
// as bounded excerpts (common::Excerpt), so this cut is a last line of
// defence that keeps every answer within gRPC's header limits.
inline constexpr size_t kMaxStatusMessageBytes = 512;

// The field path a message starts with, as every INVALID_ARGUMENT of ours
// does ("subject: at most 200 characters" -> "subject", "tags[2]: ..." ->
// "tags[2]"); "" when it starts with none.
std::string FieldOfMessage(absl::string_view message);

// The one conversion between abseil and gRPC statuses, both ways. Codes map
// one to one; the message is kept, bounded by kMaxStatusMessageBytes. An
// INVALID_ARGUMENT whose message starts with a field path ("subject: at most
// 200 characters") also carries a google.rpc.Status with a
// google.rpc.BadRequest field violation in the error details (the
// grpc-status-details-bin trailer).
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// The field that the google.rpc.BadRequest detail of `status` names (the
// first violation), or "" when it carries none.
std::string ViolatedField(const grpc::Status& status);

// The one way a gRPC handler answers a use case: the error of `result` as
// ToGrpcStatus makes it, or OK after `fill(*result)` wrote the response.
template <typename T, typename Fill>
grpc::Status Reply(const absl::StatusOr<T>& result, const Fill& fill) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  fill(*result);
  return grpc::Status::OK;
}

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_GRPC_STATUS_H_
