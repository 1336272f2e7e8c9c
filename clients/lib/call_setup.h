#ifndef CXDESK_CLIENTS_LIB_CALL_SETUP_H_
#define CXDESK_CLIENTS_LIB_CALL_SETUP_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/grpc_status.h"

namespace cxdesk::clients {

// The metadata names the services read credentials from.
inline constexpr char kAuthorizationHeader[] = "authorization";
inline constexpr char kAccessKeyHeader[] = "x-cxdesk-access-key";

// Who the caller is. Either, both or neither may be set; each non-empty one
// is sent with every call:
//   bearer_token -> `authorization: Bearer <token>` (staff)
//   access_key   -> `x-cxdesk-access-key: <key>`    (a customer, one ticket)
struct CallCredentials {
  std::string bearer_token;
  std::string access_key;
};

// What every call of a client carries: the credentials and a deadline of
// `timeout` from the moment it starts. Thread-safe: Prepare and Unary may run
// concurrently, also with set_credentials (a call uses the credentials
// current when it is prepared).
class CallSetup {
 public:
  static constexpr absl::Duration kDefaultTimeout = absl::Seconds(10);

  // A `timeout` that is not positive means kDefaultTimeout.
  CallSetup(CallCredentials credentials, absl::Duration timeout);

  void set_credentials(CallCredentials credentials);
  CallCredentials credentials() const;
  absl::Duration timeout() const { return timeout_; }

  // Attaches the credentials and, when `with_deadline`, the deadline.
  void Prepare(grpc::ClientContext* context, bool with_deadline) const;

  // Runs one unary call with a deadline: `call(context, response)` invokes
  // the stub. A gRPC error comes back converted by common::FromGrpcStatus.
  template <typename Response, typename Call>
  absl::StatusOr<Response> Unary(const Call& call) const {
    grpc::ClientContext context;
    Prepare(&context, /*with_deadline=*/true);
    Response response;
    grpc::Status status = call(&context, &response);
    if (!status.ok()) return common::FromGrpcStatus(status);
    return response;
  }

 private:
  const absl::Duration timeout_;
  mutable absl::Mutex mu_;
  CallCredentials credentials_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_LIB_CALL_SETUP_H_
