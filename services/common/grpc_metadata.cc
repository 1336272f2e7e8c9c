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

Credentials CredentialsOf(const grpc::ServerContext& context) {
  Credentials creds;
  creds.bearer_token = BearerTokenOf(context);
  const auto& md = context.client_metadata();
  if (auto it = md.find("x-cxdesk-access-key"); it != md.end()) {
    creds.access_key = std::string(it->second.data(), it->second.size());
    if (creds.access_key.empty()) creds.access_key = "-";
  }
  return creds;
}

}  // namespace cxdesk::common
