#ifndef CXDESK_SERVICES_ESCALATION_CURL_HTTP_POSTER_H_
#define CXDESK_SERVICES_ESCALATION_CURL_HTTP_POSTER_H_

// HttpPoster over libcurl. Only this file's library (cxdesk_escalation_http)
// links libcurl; the rest of the service sees HttpPoster.

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/escalation/http_poster.h"

namespace cxdesk::escalation {

struct CurlHttpPosterOptions {
  // Sent as the User-Agent header (unless the request sets one).
  std::string user_agent = "cxdesk-escalation";
  // At most this many response body bytes are read (and discarded); past
  // that the exchange is cut short and the status code already received is
  // returned, so a receiver cannot make us read without end.
  size_t max_response_bytes = 64 * 1024;
  // nullopt: libcurl's default, the http_proxy / https_proxy / no_proxy
  // environment variables. "": never a proxy. Otherwise the proxy's URL.
  std::optional<std::string> proxy;
};

// One libcurl easy handle per Post, so calls share nothing but libcurl's
// global state, initialised once (thread-safe) by the first constructor.
// TLS peers are verified against the system's CA store; redirects are not
// followed; signals are not used (CURLOPT_NOSIGNAL), so timeouts are safe in
// a threaded server. Logs nothing: the caller logs the returned status, in
// which only the URL's host appears, never its path, query, the headers or
// the body. Thread-safe.
class CurlHttpPoster final : public HttpPoster {
 public:
  explicit CurlHttpPoster(CurlHttpPosterOptions options = {});

  // See HttpPoster::Post.
  absl::StatusOr<int> Post(const HttpRequest& request) override;

 private:
  const CurlHttpPosterOptions options_;
};

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_CURL_HTTP_POSTER_H_
