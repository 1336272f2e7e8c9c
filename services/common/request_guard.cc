#include "services/common/request_guard.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/support/method_handler.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/log.h"
#include "services/common/request_limits.h"

namespace cxdesk::common {
namespace {

using grpc::internal::MethodHandler;
using grpc::internal::RpcMethod;
using grpc::internal::RpcServiceMethod;

// grpc::Service hands out a method's handler only to subclasses; a pointer
// to the member formed through one reads it from any service.
struct HandlerAccess : grpc::Service {
  static MethodHandler* Of(grpc::Service* service, int index) {
    return (service->*&HandlerAccess::GetHandler)(index);
  }
};

// The bytes of a received message, in one piece.
std::string Flatten(grpc_byte_buffer* buffer) {
  grpc_byte_buffer_reader reader;
  if (grpc_byte_buffer_reader_init(&reader, buffer) == 0) return "";
  grpc_slice all = grpc_byte_buffer_reader_readall(&reader);
  std::string bytes(reinterpret_cast<const char*>(GRPC_SLICE_START_PTR(all)),
                    GRPC_SLICE_LENGTH(all));
  grpc_slice_unref(all);
  grpc_byte_buffer_reader_destroy(&reader);
  return bytes;
}

// Wraps the generated handler of one method: the same parse and the same
// handler, with field-named answers for requests that fail the parse or the
// limits.
class GuardedHandler final : public MethodHandler {
 public:
  GuardedHandler(MethodHandler* inner,
                 const google::protobuf::Descriptor* request_type)
      : inner_(inner), request_type_(request_type) {}

  void RunHandler(const HandlerParameter& param) override {
    inner_->RunHandler(param);
  }

  void* Deserialize(grpc_call* call, grpc_byte_buffer* req,
                    grpc::Status* status, void** handler_data) override {
    if (req == nullptr) {
      return inner_->Deserialize(call, req, status, handler_data);
    }
    // The generated handler consumes `req`; a copy (reference counted, no
    // bytes copied) lets a failed parse be explained.
    grpc_byte_buffer* copy = grpc_byte_buffer_copy(req);
    void* request = inner_->Deserialize(call, req, status, handler_data);
    if (request == nullptr) {
      *status =
          ToGrpcStatus(ExplainParseFailure(*request_type_, Flatten(copy)));
    } else {
      // Generated handlers construct the request type itself at `request`.
      auto* message = static_cast<google::protobuf::Message*>(
          static_cast<google::protobuf::MessageLite*>(request));
      if (absl::Status limits = CheckRequestLimits(*message); !limits.ok()) {
        message->~Message();
        request = nullptr;
        *status = ToGrpcStatus(limits);
      }
    }
    grpc_byte_buffer_destroy(copy);
    return request;
  }

 private:
  MethodHandler* inner_;
  const google::protobuf::Descriptor* request_type_;
};

RpcMethod::RpcType TypeOf(const google::protobuf::MethodDescriptor& method) {
  return method.server_streaming() ? RpcMethod::SERVER_STREAMING
                                   : RpcMethod::NORMAL_RPC;
}

}  // namespace

RequestGuard::RequestGuard(grpc::Service* service,
                           absl::string_view service_full_name) {
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(service_full_name));
  if (descriptor == nullptr) {
    // A programming error in a composition root: fail at start, loudly.
    CXDESK_LOG(Error) << "RequestGuard: no service " << service_full_name;
    std::abort();
  }
  // Generated services add their methods in declaration order, which is the
  // descriptor's order.
  for (int i = 0; i < descriptor->method_count(); ++i) {
    const google::protobuf::MethodDescriptor& method = *descriptor->method(i);
    MethodHandler* inner = HandlerAccess::Of(service, i);
    if (inner == nullptr || method.client_streaming()) {
      // Client-streaming methods read their messages inside the handler, and
      // async ones have no handler: neither exists in cxdesk.
      CXDESK_LOG(Error) << "RequestGuard: " << method.full_name()
                        << " is not a sync unary or server-streaming method";
      std::abort();
    }
    names_.push_back(
        absl::StrCat("/", descriptor->full_name(), "/", method.name()));
    AddMethod(
        new RpcServiceMethod(names_.back().c_str(), TypeOf(method),
                             new GuardedHandler(inner, method.input_type())));
  }
}

}  // namespace cxdesk::common
