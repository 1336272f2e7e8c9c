#ifndef CXDESK_SERVICES_COMMON_GRPC_METADATA_H_
#define CXDESK_SERVICES_COMMON_GRPC_METADATA_H_

#include <grpcpp/server_context.h>

#include <string>

#include "services/common/credentials.h"

namespace cxdesk::common {

// The token of an "authorization: Bearer <token>" header; "" when there is
// no such header. A header that is present but empty yields "-", so it is
// rejected as a bad token rather than taken as no token.
std::string BearerTokenOf(const grpc::ServerContext& context);

// The bearer token and the "x-cxdesk-access-key" header of a request.
Credentials CredentialsOf(const grpc::ServerContext& context);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_GRPC_METADATA_H_
