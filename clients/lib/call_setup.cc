#include "clients/lib/call_setup.h"

#include <utility>

#include "absl/strings/str_cat.h"
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

}  // namespace cxdesk::clients
