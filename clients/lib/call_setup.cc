#include "clients/lib/call_setup.h"

#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace cxdesk::clients {

CallSetup::CallSetup(CallCredentials credentials, absl::Duration timeout)
    : timeout_(timeout > absl::ZeroDuration() ? timeout : kDefaultTimeout),
      credentials_(std::move(credentials)) {}

void CallSetup::set_credentials(CallCredentials credentials) {
  absl::MutexLock lock(&mu_);
  credentials_ = std::move(credentials);
}

CallCredentials CallSetup::credentials() const {
  absl::MutexLock lock(&mu_);
  return credentials_;
}

void CallSetup::Prepare(grpc::ClientContext* context,
                        bool with_deadline) const {
  const CallCredentials credentials = this->credentials();
  if (!credentials.bearer_token.empty()) {
    context->AddMetadata(kAuthorizationHeader,
                         absl::StrCat("Bearer ", credentials.bearer_token));
  }
  if (!credentials.access_key.empty()) {
    context->AddMetadata(kAccessKeyHeader, credentials.access_key);
  }
  if (with_deadline) {
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  }
}

std::string DescribeResourceExhausted(absl::string_view service,
                                      absl::string_view message) {
  int64_t size = 0;
  int64_t limit = 0;
  constexpr absl::string_view kPrefix = "Received message larger than max (";
  if (absl::StartsWith(message, kPrefix)) {
    const std::vector<absl::string_view> parts =
        absl::StrSplit(message.substr(kPrefix.size()), absl::ByAnyChar(" )"),
                       absl::SkipEmpty());
    if (parts.size() >= 3 && parts[1] == "vs." &&
        absl::SimpleAtoi(parts[0], &size) &&
        absl::SimpleAtoi(parts[2], &limit)) {
      return absl::StrCat("the request is ", size, " bytes, more than the ",
                          limit, " bytes ", service,
                          " accepts in one request; send less (see "
                          "docs/limits.md)");
    }
  }
  return absl::StrCat(service, " is busy or a limit was hit (", message,
                      "); try again later");
}

}  // namespace cxdesk::clients
