#ifndef CXDESK_CLIENTS_WEB_ROUTER_H_
#define CXDESK_CLIENTS_WEB_ROUTER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/web/http_message.h"

namespace cxdesk::clients::web {

// `text` with every %XX escape decoded (and '+' as a space when
// `plus_is_space`, as in a query). nullopt for a '%' not followed by two hex
// digits.
std::optional<std::string> PercentDecode(absl::string_view text,
                                         bool plus_is_space);

// The pairs of a query string ("a=1&b=x%20y&c"; a key without '=' has the
// value ""), decoded; empty pairs are skipped. INVALID_ARGUMENT for a bad
// percent escape.
absl::StatusOr<std::multimap<std::string, std::string>> ParseQuery(
    absl::string_view query_string);

// Routes requests by method and AIP-style path pattern:
//   "/api/v1/tickets"              literal segments
//   "/api/v1/tickets/{id}/status"  a named segment: one non-empty segment
//   "/api/v1/tickets/{id}:rate"    a custom verb after the last segment
// Segments are matched before decoding, so "%2F" stays inside its segment;
// parameters are then percent-decoded into HttpRequest::params. A named
// segment of a route without a verb never holds a ':' in the last segment,
// so "/tickets/12:rate" is the verb route's path, not ticket "12:rate".
// Add all routes before serving; Dispatch is then thread-safe.
class Router {
 public:
  Router() = default;

  // Adds `handler` for `method` (exact, "GET") and `pattern`. The first
  // route added wins when two match.
  void Add(absl::string_view method, absl::string_view pattern,
           HttpHandler handler);

  // The handler's answer for `request`, with params and query filled; else
  // a JSON error: 400 for a bad percent escape in the path or query, 404
  // when no pattern matches the path, 405 with an `Allow` header (the
  // matching routes' methods, sorted, ", "-separated) when patterns match
  // but none for this method. Exceptions from the handler propagate.
  HandlerResult Dispatch(const HttpRequest& request) const;

  // Dispatch as an HttpHandler; the router must outlive it.
  HttpHandler AsHandler() const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool is_param = false;
  };
  struct Route {
    std::string method;
    std::vector<Segment> segments;
    std::string verb;  // after ':' at the end; "" for none
    HttpHandler handler;
  };

  // True when `path` matches `route`; its raw (undecoded) parameters are
  // added to `raw_params`.
  static bool Match(const Route& route, absl::string_view path,
                    std::map<std::string, std::string>* raw_params);

  std::vector<Route> routes_;
};

}  // namespace cxdesk::clients::web

#endif  // CXDESK_CLIENTS_WEB_ROUTER_H_
