#ifndef CXDESK_CLIENTS_WEB_API_MAPPING_H_
#define CXDESK_CLIENTS_WEB_API_MAPPING_H_

// The JSON API's side of the gateway, independent of the HTTP server: how
// an answer of the gRPC services becomes an HTTP status and a JSON body, and
// how a JSON body becomes a request message (protobuf's own JSON mapping).
// Pure: no I/O, no state.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace cxdesk::clients::web {

// An error as the JSON API answers it.
struct HttpError {
  int http_status = 500;
  std::string status;   // The gRPC code's name, e.g. "INVALID_ARGUMENT".
  std::string message;  // For people; never internal detail.
  std::string field;    // The field the message names; "" when none.
  // Seconds a client should wait before trying again (the Retry-After
  // header); set for RESOURCE_EXHAUSTED and UNAVAILABLE.
  std::optional<int> retry_after_seconds;
};

// The HTTP status of a gRPC code, the standard mapping
// (google.rpc.Code): INVALID_ARGUMENT, FAILED_PRECONDITION and OUT_OF_RANGE
// 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404, ABORTED
// and ALREADY_EXISTS 409, RESOURCE_EXHAUSTED 429, CANCELLED 499,
// UNIMPLEMENTED 501, UNAVAILABLE 503, DEADLINE_EXCEEDED 504; INTERNAL,
// UNKNOWN and DATA_LOSS 500. OK is 200.
int HttpStatusOf(absl::StatusCode code);

// The error answer of a failed call (`status` must not be OK). The message
// is the service's, which names the field first ("subject: at most 200
// characters, got 201"); for INTERNAL, UNKNOWN and DATA_LOSS it is replaced
// by a generic sentence, so no internal text ever reaches a page.
HttpError HttpErrorOf(const absl::Status& status);

// `error` as the JSON body of the answer (http_message.h's ErrorBody):
// {"error":{"code":400,"status":"INVALID_ARGUMENT","message":"...",
// "field":"subject"}} ("field" only when there is one).
std::string ErrorJson(const HttpError& error);

// Fills `message` from the JSON `body` (protobuf's JSON mapping: lowerCamel
// or proto field names, enum names as strings). INVALID_ARGUMENT starting
// "body: " for malformed JSON, a field the message does not have, or a value
// of the wrong type, naming the problem as the parser does; an empty body is
// "body: required". `message` is cleared first.
absl::Status MessageFromJson(absl::string_view body,
                             google::protobuf::Message* message);

// `message` as JSON (lowerCamel field names, enums as names, fields at their
// default value left out, as protobuf's JSON mapping does by default).
std::string MessageToJson(const google::protobuf::Message& message);

}  // namespace cxdesk::clients::web

#endif  // CXDESK_CLIENTS_WEB_API_MAPPING_H_
