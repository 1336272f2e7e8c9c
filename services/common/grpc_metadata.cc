#include "services/common/grpc_metadata.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace cxdesk::common {

std::string BearerTokenOf(const grpc::ServerContext& context) {
  const auto& md = context.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return "";
  std::string value(it->second.data(), it->second.size());
  if (absl::StartsWithIgnoreCase(value, "bearer ")) value = value.substr(7);
  std::string token(absl::StripAsciiWhitespace(value));
  return token.empty() ? "-" : token;
}

}  // namespace cxdesk::common
