#ifndef CXDESK_SERVICES_ESCALATION_HTTP_POSTER_H_
#define CXDESK_SERVICES_ESCALATION_HTTP_POSTER_H_

// The outbound HTTP port of the escalation service: webhooks are POSTed
// through this interface, so the delivery logic is tested with a fake and
// only the binary links an HTTP client (see curl_http_poster.h).

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cxdesk::escalation {

// One POST. The body is sent as is; the implementation adds
// "Content-Type: application/json" unless `headers` has a Content-Type.
struct HttpRequest {
  // http:// or https:// only. The URL may hold a secret (many webhook URLs
  // do, in the path): implementations never log it or put its path or query
  // in a status message.
  std::string url;
  // Name, value; sent in this order. Neither may hold CR, LF or NUL, and a
  // name is a non-empty HTTP token.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // For the whole exchange (resolve, connect, TLS, send, receive). Must be
  // positive and finite.
  absl::Duration timeout;
};

// Sends HTTP POST requests.
class HttpPoster {
 public:
  virtual ~HttpPoster() = default;

  // POSTs `request` and returns the HTTP status code received (any code,
  // 2xx or not: redirects are not followed, a 3xx is returned as is), or
  //  - UNAVAILABLE: the receiver could not be reached or the exchange broke
  //    (DNS, connect, TLS, reset, no or garbled response);
  //  - DEADLINE_EXCEEDED: `timeout` passed first;
  //  - INVALID_ARGUMENT: a bad or unsupported URL (only http:// and
  //    https://), a bad header, or a timeout that is not positive and finite;
  //  - INTERNAL: the HTTP client itself failed (out of memory, ...).
  // The response body is read and discarded. Thread-safe.
  virtual absl::StatusOr<int> Post(const HttpRequest& request) = 0;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_HTTP_POSTER_H_
