#ifndef CXDESK_SERVICES_COMMON_REQUEST_GUARD_H_
#define CXDESK_SERVICES_COMMON_REQUEST_GUARD_H_

#include <grpcpp/impl/service_type.h>

#include <deque>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace cxdesk::common {

// Serves the methods of `service`, a generated synchronous service of the
// API `service_full_name` ("cxdesk.ticket.v1.TicketService"), and parses
// every request strictly before a handler sees it:
//   * a request that protobuf refuses (a string field that is not UTF-8,
//     broken bytes), which gRPC alone answers INTERNAL with an empty message,
//     is INVALID_ARGUMENT naming the field ("subject: not valid UTF-8 at
//     byte 3; ...");
//   * a request whose fields break their declared limits (CheckRequestLimits:
//     length, NUL, control characters, counts) is INVALID_ARGUMENT naming the
//     field, and no handler runs.
// Register the guard with the server instead of `service`; `service` keeps
// its handlers and must outlive the guard. Only sync unary and
// server-streaming methods read a request this way (all cxdesk methods are).
class RequestGuard final : public grpc::Service {
 public:
  RequestGuard(grpc::Service* service, absl::string_view service_full_name);

 private:
  // The "/package.Service/Method" names the server routes by; a deque keeps
  // each string where gRPC holds a pointer to it.
  std::deque<std::string> names_;
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_REQUEST_GUARD_H_
