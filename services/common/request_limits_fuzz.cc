// Fuzz target: the request guard (request_limits.h) that every service runs
// on every request before a handler sees it (RequestGuard). The first input
// byte picks one method among all methods of the four APIs, in declaration
// order (TicketService, SlaService, EscalationService, AuditService); the
// other bytes are the request as it arrives on the wire. Checks:
//  - bytes that do not parse as the method's request type: ExplainParseFailure
//    is INVALID_ARGUMENT with a non-empty message of at most 512 bytes
//    (common::kMaxStatusMessageBytes), starting with a field path of that
//    type or with "request:";
//  - a request that parses: CheckRequestLimits is OK or INVALID_ARGUMENT
//    with a message of at most 512 bytes that starts with the path of a
//    field of the request type ("ticket.subject: ...", "tags[3]: ...").
// Anything else (another code, a longer message, a path that names no field)
// traps. Corpus: fuzz/corpus/request_limits_fuzz/.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "cxdesk/audit/v1/audit_service.pb.h"
#include "cxdesk/escalation/v1/escalation_service.pb.h"
#include "cxdesk/sla/v1/sla_service.pb.h"
#include "cxdesk/ticket/v1/ticket_service.pb.h"
#include "services/common/grpc_status.h"
#include "services/common/request_limits.h"

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

// A finding: traps, naming the line of the check that failed.
void Check(bool ok, int line = __builtin_LINE()) {
  if (ok) return;
  std::fprintf(stderr, "%s:%d: check failed\n", __FILE__, line);
  __builtin_trap();
}

const ServiceDescriptor& ServiceOf(const Descriptor* any_message,
                                   const std::string& name) {
  const ServiceDescriptor* service =
      any_message->file()->FindServiceByName(name);
  Check(service != nullptr);
  return *service;
}

// Every method of the four APIs, in declaration order. Built once; the
// descriptors live as long as the generated pool.
const std::vector<const MethodDescriptor*>& AllMethods() {
  static const auto* const kMethods = [] {
    auto* methods = new std::vector<const MethodDescriptor*>;
    for (const ServiceDescriptor* service : {
             &ServiceOf(cxdesk::ticket::v1::CreateTicketRequest::descriptor(),
                        "TicketService"),
             &ServiceOf(cxdesk::sla::v1::CreateCalendarRequest::descriptor(),
                        "SlaService"),
             &ServiceOf(cxdesk::escalation::v1::CreateTeamRequest::descriptor(),
                        "EscalationService"),
             &ServiceOf(
                 cxdesk::audit::v1::VerifyAuditTrailRequest::descriptor(),
                 "AuditService"),
         }) {
      for (int i = 0; i < service->method_count(); ++i) {
        methods->push_back(service->method(i));
      }
    }
    return methods;
  }();
  return *kMethods;
}

// True if `path` ("ticket.tags[3]", "update_mask.paths[0]", "tags") names a
// field reachable from `type`.
bool IsFieldPathOf(const Descriptor& type, absl::string_view path) {
  const Descriptor* current = &type;
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    if (current == nullptr) return false;
    absl::string_view part = parts[i];
    bool indexed = false;
    if (const size_t open = part.find('['); open != absl::string_view::npos) {
      int index = -1;
      if (part.back() != ']' ||
          !absl::SimpleAtoi(part.substr(open + 1, part.size() - open - 2),
                            &index) ||
          index < 0) {
        return false;
      }
      part = part.substr(0, open);
      indexed = true;
    }
    const FieldDescriptor* field = current->FindFieldByName(std::string(part));
    // An index only on a repeated field; a repeated field without one only
    // at the end ("tags: at most 20 values").
    if (field == nullptr || (indexed && !field->is_repeated()) ||
        (!indexed && field->is_repeated() && i + 1 < parts.size())) {
      return false;
    }
    current = field->message_type();
  }
  return true;
}

// The part of `message` before its first ": ".
absl::string_view Subject(absl::string_view message) {
  const size_t colon = message.find(": ");
  return colon == absl::string_view::npos ? absl::string_view()
                                          : message.substr(0, colon);
}

void CheckMessageSize(const absl::Status& status) {
  Check(!status.message().empty());
  Check(status.message().size() <= cxdesk::common::kMaxStatusMessageBytes);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // A failed parse makes protobuf log an error; thousands a second would
  // only slow the fuzzer down.
  google::protobuf::SetLogHandler(nullptr);
  AllMethods();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::vector<const MethodDescriptor*>& methods = AllMethods();
  const MethodDescriptor& method = *methods[data[0] % methods.size()];
  const Descriptor& type = *method.input_type();
  const absl::string_view bytes(reinterpret_cast<const char*>(data + 1),
                                size - 1);

  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(&type)
          ->New());
  if (!request->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    const absl::Status explained =
        cxdesk::common::ExplainParseFailure(type, bytes);
    Check(explained.code() == absl::StatusCode::kInvalidArgument);
    CheckMessageSize(explained);
    const absl::string_view subject = Subject(explained.message());
    Check(subject == "request" || IsFieldPathOf(type, subject));
    return 0;
  }
  const absl::Status limits = cxdesk::common::CheckRequestLimits(*request);
  if (limits.ok()) return 0;
  Check(limits.code() == absl::StatusCode::kInvalidArgument);
  CheckMessageSize(limits);
  Check(IsFieldPathOf(type, Subject(limits.message())));
  return 0;
}
