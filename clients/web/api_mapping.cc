#include "clients/web/api_mapping.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "clients/web/http_message.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/grpc_status.h"
#include "services/common/text.h"

namespace cxdesk::clients::web {
namespace {

// What a client waits before a retry: a busy or unreachable service is
// usually back within a second or two.
constexpr int kRetryAfterSeconds = 1;

// The most bytes of a parser's complaint a 400 repeats.
constexpr size_t kMaxParserMessageBytes = 200;

}  // namespace

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:  // INTERNAL, UNKNOWN, DATA_LOSS and codes beyond the 17.
      return 500;
  }
}

HttpError HttpErrorOf(const absl::Status& status) {
  HttpError error;
  error.http_status = HttpStatusOf(status.code());
  error.status = absl::StatusCodeToString(status.code());
  if (error.http_status == 500) {
    // The detail of an internal error stays in the service's log.
    error.status = absl::StatusCodeToString(absl::StatusCode::kInternal);
    error.message = "something went wrong on our side; please try again";
    return error;
  }
  error.message = std::string(status.message());
  error.field = common::FieldOfMessage(error.message);
  if (status.code() == absl::StatusCode::kResourceExhausted ||
      status.code() == absl::StatusCode::kUnavailable) {
    error.retry_after_seconds = kRetryAfterSeconds;
  }
  return error;
}

std::string ErrorJson(const HttpError& error) {
  return ErrorBody(error.http_status, error.status, error.message, error.field);
}

absl::Status MessageFromJson(absl::string_view body,
                             google::protobuf::Message* message) {
  message->Clear();
  if (absl::StripAsciiWhitespace(body).empty()) {
    return absl::InvalidArgumentError("body: required");
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      std::string(body), message, options);
  if (parsed.ok()) return absl::OkStatus();
  message->Clear();
  // The parser names the problem ("Cannot find field: colour", "Expected
  // : between key:value pair."), quoting the client's text: bounded.
  return absl::InvalidArgumentError(absl::StrCat(
      "body: ",
      common::Truncate(std::string(parsed.message()), kMaxParserMessageBytes)));
}

std::string MessageToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  // Cannot fail for the messages of our protos (no Any of unknown types).
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace cxdesk::clients::web
