#ifndef CXDESK_SERVICES_COMMON_GRPC_STREAM_FOLLOWER_H_
#define CXDESK_SERVICES_COMMON_GRPC_STREAM_FOLLOWER_H_

// The client side of a Watch* stream that one service follows in another
// (common::EventSource over gRPC): the bearer token, the follow loop and
// Cancel/Reset. Thread-safe (one Follow at a time).

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/grpc_status.h"

namespace cxdesk::common {

class GrpcStreamFollower {
 public:
  // `bearer_token()` is called once per Follow (a fresh service token).
  explicit GrpcStreamFollower(std::function<std::string()> bearer_token)
      : bearer_token_(std::move(bearer_token)) {}

  // Opens the stream with `open` on a context carrying the bearer token (no
  // deadline: the stream lives as long as it is followed), converts each
  // message with `convert` and hands it to `on_event` until it returns
  // false (then OK). CANCELLED after Cancel(); a stream that ends without
  // an error (the server shut down) is UNAVAILABLE; otherwise the stream's
  // error.
  template <typename Message, typename Event>
  absl::Status Follow(
      const std::function<std::unique_ptr<grpc::ClientReaderInterface<Message>>(
          grpc::ClientContext*)>& open,
      const std::function<Event(const Message&)>& convert,
      const std::function<bool(const Event&)>& on_event) {
    grpc::ClientContext context;
    context.AddMetadata("authorization",
                        absl::StrCat("Bearer ", bearer_token_()));
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) return absl::CancelledError("the consumer is stopping");
      // A Cancel() from here on cancels this context, even before the call
      // has started (gRPC then cancels the call as it starts).
      active_ = &context;
    }
    std::unique_ptr<grpc::ClientReaderInterface<Message>> reader =
        open(&context);
    Message message;
    bool stopped_by_caller = false;
    while (reader->Read(&message)) {
      if (!on_event(convert(message))) {
        stopped_by_caller = true;
        context.TryCancel();
        break;
      }
    }
    const grpc::Status status = reader->Finish();
    bool cancelled = false;
    {
      absl::MutexLock lock(&mu_);
      active_ = nullptr;
      cancelled = cancelled_;
    }
    if (stopped_by_caller) return absl::OkStatus();
    if (cancelled) return absl::CancelledError("the consumer is stopping");
    if (status.ok()) return absl::UnavailableError("the event stream ended");
    return FromGrpcStatus(status);
  }

  // Ends a Follow in progress and makes later ones return CANCELLED at once
  // until Reset(). Idempotent.
  void Cancel() {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    if (active_ != nullptr) active_->TryCancel();
  }
  void Reset() {
    absl::MutexLock lock(&mu_);
    cancelled_ = false;
  }

 private:
  const std::function<std::string()> bearer_token_;
  absl::Mutex mu_;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_GRPC_STREAM_FOLLOWER_H_
