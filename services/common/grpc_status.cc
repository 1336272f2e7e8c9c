#include "services/common/grpc_status.h"

#include <string>

#include "absl/strings/ascii.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/text.h"

namespace cxdesk::common {
namespace {

// Whether `text` looks like a field path ("subject", "tags[2]",
// "update_mask", "ticket.etag"), as our INVALID_ARGUMENT messages start with.
bool IsFieldPath(absl::string_view text) {
  if (text.empty() || text.size() > 100) return false;
  for (char c : text) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_' &&
        c != '.' && c != '[' && c != ']') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string FieldOfMessage(absl::string_view message) {
  const size_t colon = message.find(": ");
  if (colon == absl::string_view::npos) return "";
  const absl::string_view field = message.substr(0, colon);
  return IsFieldPath(field) ? std::string(field) : "";
}

// Both enums use the canonical code numbers 0..16, so a cast is exact.
grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  // The message travels twice in the response headers (grpc-message and the
  // details), percent-encoded: unbounded, a long one would exceed the
  // client's header limit and the client would get no answer at all.
  std::string message = Truncate(status.message(), kMaxStatusMessageBytes);
  const std::string field = FieldOfMessage(message);
  if (status.code() == absl::StatusCode::kInvalidArgument && !field.empty()) {
    // "field: why" also travels as a google.rpc.BadRequest detail, so
    // programs can point at the field without parsing the message.
    google::rpc::BadRequest bad_request;
    google::rpc::BadRequest::FieldViolation* violation =
        bad_request.add_field_violations();
    violation->set_field(field);
    violation->set_description(message.substr(field.size() + 2));
    google::rpc::Status details;
    details.set_code(static_cast<int32_t>(code));
    details.set_message(message);
    details.add_details()->PackFrom(bad_request);
    return grpc::Status(code, message, details.SerializeAsString());
  }
  return grpc::Status(code, message);
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

std::string ViolatedField(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::BadRequest bad_request;
  if (!details.ParseFromString(status.error_details()) ||
      details.details_size() < 1 ||
      !details.details(0).UnpackTo(&bad_request) ||
      bad_request.field_violations_size() < 1) {
    return "";
  }
  return bad_request.field_violations(0).field();
}

}  // namespace cxdesk::common
