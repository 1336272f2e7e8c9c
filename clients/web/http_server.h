#ifndef CXDESK_CLIENTS_WEB_HTTP_SERVER_H_
#define CXDESK_CLIENTS_WEB_HTTP_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/web/http_message.h"

namespace cxdesk::clients::web {

// The Content-Security-Policy every response carries unless its handler set
// one: same-origin only, nothing inline, never framed.
inline constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// The limits and timeouts of an HttpServer. Defaults suit the gateway on a
// loopback address behind nothing.
struct HttpServerOptions {
  std::string address = "127.0.0.1";  // an IPv4 or IPv6 literal
  uint16_t port = 7180;               // 0 picks a free port: see port()
  int threads = 2;                    // threads running the connections
  int max_connections = 256;          // beyond: 503 and the connection closed
  size_t header_limit = 16 * 1024;    // request line and headers: 431 beyond
  size_t body_limit = 1024 * 1024;    // request body: 413 beyond
  // From the connection's start (or a keep-alive request's first byte) until
  // the headers are in; a connection past it is closed without an answer.
  absl::Duration header_timeout = absl::Seconds(10);
  // For the whole body once the headers are in; closed without an answer.
  absl::Duration body_timeout = absl::Seconds(30);
  // An idle keep-alive connection waiting for its next request is closed
  // after this; so is one whose client does not read a response.
  absl::Duration idle_timeout = absl::Seconds(60);
};

// An HTTP/1.1 server (Boost.Beast) with keep-alive, bounded sizes and
// timeouts, that hands each request to one HttpHandler.
//
// Every response carries Content-Security-Policy (kContentSecurityPolicy
// unless the handler set one), X-Content-Type-Options: nosniff and
// Referrer-Policy: no-referrer, and Cache-Control: no-store unless the
// handler set a Cache-Control. Errors of the server itself are JSON
// (ErrorResponse) and close the connection: 400 for a malformed request, 413
// and 431 for the limits above, 500 when the handler throws (the exception's
// text is logged, never sent), 503 when max_connections are open; any 5xx
// answer closes the connection. A request with "Expect: 100-continue" gets
// "100 Continue" once its headers pass the limits. A client too slow with
// its headers or body is cut off without an answer (no 408): the timeout
// fires while it may still be sending, so nothing it could read is
// guaranteed anyway.
//
// Handlers run on the server's threads, several at once on different
// connections. Thread-safe; Stop() may be called from any thread but a
// handler's.
class HttpServer {
 public:
  // Binds `options.address`:`options.port`, starts the threads and accepts
  // connections. INVALID_ARGUMENT for a bad address or non-positive threads
  // or max_connections; UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const HttpServerOptions& options, HttpHandler handler);

  // Stops (see Stop()).
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the one picked when options.port was 0).
  uint16_t port() const;

  // Stops accepting, closes every connection (open streams report closed),
  // waits for handlers that are running and joins the threads. Idempotent.
  void Stop();

  // The Beast/Asio state; public only so the implementation file's
  // connection class can name it.
  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace cxdesk::clients::web

#endif  // CXDESK_CLIENTS_WEB_HTTP_SERVER_H_
