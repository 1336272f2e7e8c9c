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

void StreamCanceller::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
  if (active_ != nullptr) active_->TryCancel();
}

void StreamCanceller::Reset() {
  absl::MutexLock lock(&mu_);
  cancelled_ = false;
}

bool StreamCanceller::cancelled() const {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

bool StreamCanceller::Attach(grpc::ClientContext* context) {
  absl::MutexLock lock(&mu_);
  if (cancelled_) return false;
  // A Cancel() from here on cancels this context, even before the call has
  // started (gRPC then cancels the call as it starts).
  active_ = context;
  return true;
}

void StreamCanceller::Detach() {
  absl::MutexLock lock(&mu_);
  active_ = nullptr;
}

absl::Status CallSetup::WatchCancelled(absl::string_view rpc) {
  return absl::CancelledError(absl::StrCat(rpc, ": the watch was cancelled"));
}

absl::Status CallSetup::NoStream(absl::string_view rpc) {
  return absl::InternalError(
      absl::StrCat(rpc, ": the stub returned no stream"));
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
