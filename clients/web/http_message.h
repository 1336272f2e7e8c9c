#ifndef CXDESK_CLIENTS_WEB_HTTP_MESSAGE_H_
#define CXDESK_CLIENTS_WEB_HTTP_MESSAGE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cxdesk::clients::web {

// One HTTP request as a handler sees it: the whole body read, within the
// server's limits. Header names are lower case; a repeated header appears
// once per occurrence, in the order received.
struct HttpRequest {
  std::string method;        // "GET", as sent (methods are case-sensitive)
  std::string target;        // the request target, as sent
  std::string path;          // the target before '?', not decoded
  std::string query_string;  // the target after '?', not decoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The client's address as the server saw it ("127.0.0.1", "::1"; no
  // port), filled by HttpServer; "" when unknown. What per-client limits
  // (KeyGuessLimiter) key on.
  std::string peer_address;
  // Filled by the Router: path parameters (percent-decoded) and the query
  // (percent-decoded, '+' as space); a repeated key keeps every value.
  std::map<std::string, std::string> params;
  std::multimap<std::string, std::string> query;

  // The first value of header `name` (any case), or "" when absent.
  std::string Header(absl::string_view name) const;
  // The first value of query key `key`, or "" when absent.
  std::string QueryValue(absl::string_view key) const;
};

// A complete response. The server adds Content-Length, Connection and the
// security headers (see HttpServer); a handler sets Content-Type.
struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Sets header `name` to `value`, replacing any earlier value (any case).
  void SetHeader(absl::string_view name, absl::string_view value);
  // True when header `name` (any case) is set.
  bool HasHeader(absl::string_view name) const;
};

// The upper-snake name of an HTTP status in error bodies: the gRPC canonical
// code where one means the same (400 INVALID_ARGUMENT, 404 NOT_FOUND, 500
// INTERNAL, 503 UNAVAILABLE, ...), else the HTTP reason phrase (405
// METHOD_NOT_ALLOWED, 413 PAYLOAD_TOO_LARGE, 431
// REQUEST_HEADER_FIELDS_TOO_LARGE). "UNKNOWN" for a status not listed.
absl::string_view StatusName(int http_status);

// The JSON body of every error answer of the gateway, written here only:
// {"error":{"code":404,"status":"NOT_FOUND","message":"...","field":"..."}}
// ("field" only when not empty).
std::string ErrorBody(int http_status, absl::string_view status,
                      absl::string_view message, absl::string_view field = "");

// The JSON error every error of the gateway answers with:
// {"error":{"code":404,"status":"NOT_FOUND","message":"..."}} with
// Content-Type application/json. `message` is shown to the customer: short,
// and never internal detail.
HttpResponse ErrorResponse(int http_status, absl::string_view message);

// A response the handler keeps open and writes to over time (Server-Sent
// Events): the head was sent without Content-Length and the connection ends
// with the stream. Thread-safe: any thread may write or close, while the
// server tells the stream when the client has gone.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;

  // Queues `data` to be written to the client, in order of the calls.
  // Returns false (and drops `data`) once the stream is closed, by Close(),
  // by the client going away, a write failing or the server stopping.
  virtual bool Write(std::string data) = 0;
  // Ends the response after the data already queued; idempotent.
  virtual void Close() = 0;
  // True once the stream is closed, for whatever reason.
  virtual bool closed() const = 0;
  // Blocks until the stream is closed or `timeout` passes; returns
  // closed().
  virtual bool WaitClosed(absl::Duration timeout) const = 0;
};

// What a handler answers: a complete `response`, or, when `stream` is set,
// the head of a streamed one: `response`'s status and headers are sent (its
// body is ignored), then `stream` is called once, on a server thread, with
// the open stream, which it may keep and write to from any thread.
struct HandlerResult {
  HttpResponse response;
  std::function<void(std::shared_ptr<ResponseStream>)> stream;

  // A complete response.
  static HandlerResult Complete(HttpResponse response);
  // A streamed response with `head`'s status and headers.
  static HandlerResult Streamed(
      HttpResponse head,
      std::function<void(std::shared_ptr<ResponseStream>)> on_open);
};

// Handles one request. Called on a server thread; may throw (the client gets
// a 500 without the exception's text). Must not block for long: the server
// has few threads.
using HttpHandler = std::function<HandlerResult(const HttpRequest&)>;

}  // namespace cxdesk::clients::web

#endif  // CXDESK_CLIENTS_WEB_HTTP_MESSAGE_H_
