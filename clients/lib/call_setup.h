#ifndef CXDESK_CLIENTS_LIB_CALL_SETUP_H_
#define CXDESK_CLIENTS_LIB_CALL_SETUP_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>
#include <grpcpp/support/sync_stream.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
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

// Ends a client's Watch* call from another thread: the one way to stop a
// watch that is waiting for its next message. Thread-safe. One watch at a
// time may use a canceller.
class StreamCanceller {
 public:
  StreamCanceller() = default;
  StreamCanceller(const StreamCanceller&) = delete;
  StreamCanceller& operator=(const StreamCanceller&) = delete;

  // Ends the watch in progress, if any, and makes later ones return
  // CANCELLED at once, until Reset(). Idempotent.
  void Cancel();
  // Lets watches run again after Cancel().
  void Reset();
  bool cancelled() const;

  // For CallSetup::Watch: registers `context` as the watch in progress
  // (a later Cancel() cancels it); false, registering nothing, when
  // already cancelled. Detach() unregisters it.
  bool Attach(grpc::ClientContext* context);
  void Detach();

 private:
  mutable absl::Mutex mu_;
  grpc::ClientContext* active_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
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

  // Runs one server-streaming call named `rpc` (for messages), without a
  // deadline: `open(context)` invokes the stub, and each message goes to
  // `on_message` on the calling thread. OK when `on_message` returns false
  // (the call is then cancelled) or when the server ends the stream
  // cleanly; CANCELLED when `canceller` (may be null) cancels it; INTERNAL
  // when the stub returns no stream; otherwise the stream's error,
  // converted by common::FromGrpcStatus.
  template <typename Message>
  absl::Status Watch(
      absl::string_view rpc,
      const std::function<std::unique_ptr<grpc::ClientReaderInterface<Message>>(
          grpc::ClientContext*)>& open,
      const std::function<bool(const Message&)>& on_message,
      StreamCanceller* canceller) const {
    grpc::ClientContext context;
    // A watch follows the stream for as long as the caller wants.
    Prepare(&context, /*with_deadline=*/false);
    if (canceller != nullptr && !canceller->Attach(&context)) {
      return WatchCancelled(rpc);
    }
    const absl::Status status = ReadAll(rpc, context, open, on_message);
    if (canceller == nullptr) return status;
    canceller->Detach();
    // Whatever the stream said as it was cancelled, the caller asked for it.
    return canceller->cancelled() && !status.ok() ? WatchCancelled(rpc)
                                                  : status;
  }

 private:
  static absl::Status WatchCancelled(absl::string_view rpc);

  template <typename Message>
  static absl::Status ReadAll(
      absl::string_view rpc, grpc::ClientContext& context,
      const std::function<std::unique_ptr<grpc::ClientReaderInterface<Message>>(
          grpc::ClientContext*)>& open,
      const std::function<bool(const Message&)>& on_message) {
    std::unique_ptr<grpc::ClientReaderInterface<Message>> reader =
        open(&context);
    if (reader == nullptr) return NoStream(rpc);
    Message message;
    while (reader->Read(&message)) {
      if (!on_message(message)) {
        context.TryCancel();
        // Finish may only follow a Read that returned false; after the
        // cancel that comes at once. The resulting CANCELLED is what we
        // asked for.
        while (reader->Read(&message)) {
        }
        static_cast<void>(reader->Finish());
        return absl::OkStatus();
      }
    }
    return common::FromGrpcStatus(reader->Finish());
  }
  static absl::Status NoStream(absl::string_view rpc);

  const absl::Duration timeout_;
  mutable absl::Mutex mu_;
  CallCredentials credentials_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_LIB_CALL_SETUP_H_
