#include "clients/web/http_message.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/json_text.h"

namespace cxdesk::clients::web {

std::string HttpRequest::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

std::string HttpRequest::QueryValue(absl::string_view key) const {
  auto it = query.find(std::string(key));
  return it == query.end() ? "" : it->second;
}

void HttpResponse::SetHeader(absl::string_view name, absl::string_view value) {
  for (auto it = headers.begin(); it != headers.end();) {
    if (absl::EqualsIgnoreCase(it->first, name)) {
      it = headers.erase(it);
    } else {
      ++it;
    }
  }
  headers.emplace_back(std::string(name), std::string(value));
}

bool HttpResponse::HasHeader(absl::string_view name) const {
  for (const auto& header : headers) {
    if (absl::EqualsIgnoreCase(header.first, name)) return true;
  }
  return false;
}

absl::string_view StatusName(int http_status) {
  switch (http_status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 408:
      return "REQUEST_TIMEOUT";
    case 409:
      return "ABORTED";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 431:
      return "REQUEST_HEADER_FIELDS_TOO_LARGE";
    case 500:
      return "INTERNAL";
    case 501:
      return "UNIMPLEMENTED";
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return "UNKNOWN";
  }
}

HttpResponse ErrorResponse(int http_status, absl::string_view message) {
  HttpResponse response;
  response.status = http_status;
  response.SetHeader("Content-Type", "application/json");
  response.body = ErrorBody(http_status, StatusName(http_status), message);
  return response;
}

std::string ErrorBody(int http_status, absl::string_view status,
                      absl::string_view message, absl::string_view field) {
  std::string body =
      absl::StrCat("{\"error\":{\"code\":", http_status,
                   ",\"status\":", ::cxdesk::common::JsonQuote(status),
                   ",\"message\":", ::cxdesk::common::JsonQuote(message));
  if (!field.empty()) {
    absl::StrAppend(&body, ",\"field\":", ::cxdesk::common::JsonQuote(field));
  }
  absl::StrAppend(&body, "}}");
  return body;
}

HandlerResult HandlerResult::Complete(HttpResponse response) {
  HandlerResult result;
  result.response = std::move(response);
  return result;
}

HandlerResult HandlerResult::Streamed(
    HttpResponse head,
    std::function<void(std::shared_ptr<ResponseStream>)> on_open) {
  HandlerResult result;
  result.response = std::move(head);
  result.stream = std::move(on_open);
  return result;
}

}  // namespace cxdesk::clients::web
