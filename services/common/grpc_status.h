#ifndef CXDESK_SERVICES_COMMON_GRPC_STATUS_H_
#define CXDESK_SERVICES_COMMON_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace cxdesk::common {

// The one conversion between abseil and gRPC statuses, both ways. Codes map
// one to one; the message is kept.
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_GRPC_STATUS_H_
