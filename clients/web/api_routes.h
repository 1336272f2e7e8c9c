#ifndef CXDESK_CLIENTS_WEB_API_ROUTES_H_
#define CXDESK_CLIENTS_WEB_API_ROUTES_H_

// The customer's JSON API of the gateway (docs/web-api.md), over the ticket
// service's customer RPCs. No state of its own but the key-guessing limit.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/lib/ticket_client.h"
#include "clients/web/access.h"
#include "clients/web/api_mapping.h"
#include "clients/web/http_message.h"
#include "clients/web/router.h"
#include "services/common/clock.h"

namespace cxdesk::clients::web {

// The request header an API user (curl) sends a ticket's key in, instead of
// the cookie.
inline constexpr char kAccessKeyRequestHeader[] = "x-cxdesk-access-key";

// The routes of the customer API under /api/v1/, each mapped onto one RPC of
// the ticket service (two for :exchangeKey):
//   POST /api/v1/tickets                   CreateTicket    201 + key cookie
//   GET  /api/v1/tickets/{id}/status       GetTicketStatus 200
//   POST /api/v1/tickets/{id}/comments     AddComment      201
//   POST /api/v1/tickets/{id}:rate         RateTicket      200
//   POST /api/v1/tickets/{id}:exchangeKey  GetTicketStatus 204 + key cookie
// The customer's key for ticket {id} comes from the X-Cxdesk-Access-Key
// header when present, else from the ticket's cookie (access.h), and goes to
// the service as x-cxdesk-access-key metadata; a key that is not key-shaped
// is never sent on. Every answer is application/json; every error is
// api_mapping's HttpErrorOf (status, JSON body naming the field, Retry-After),
// except that a 503 or 504 says only that the service is not reachable (the
// transport's text names internal addresses). The service answers a wrong key
// and an unknown ticket with the same NOT_FOUND; each 404 or 401 on a route
// with {id} counts a failure for the client's address (HttpRequest::
// peer_address), and an address over the limit gets 429 with Retry-After
// before any call. Every POST with an Origin header other than
// `Options::origin` gets 403; without Origin (curl, servers) it passes.
//
// Handlers block on one gRPC call at a time, on the HTTP server's worker
// threads: the client's timeout bounds each call, so build the TicketClient
// with a short one (kCallTimeout). Thread-safe once the routes are added.
class TicketApi {
 public:
  // The deadline a gateway's TicketClient should give each call: a worker
  // thread waits at most this long for the ticket service.
  static constexpr absl::Duration kCallTimeout = absl::Seconds(3);

  struct Options {
    // The gateway's own origin, as a browser sends it in Origin
    // ("http://127.0.0.1:7180"): scheme, host and port, no path. Compared
    // exactly; left empty, every POST that carries an Origin is refused.
    std::string origin;
    // Whether the portal is served over TLS (the key cookie is then Secure).
    bool tls = false;
    // How long the key cookie lasts.
    absl::Duration cookie_max_age = absl::Hours(24 * 30);
    // Wrong keys per client address.
    KeyGuessLimiter::Options guess_limit;
  };

  // `tickets` (credential-less: each call uses a WithCredentials view) and
  // `clock` must outlive the TicketApi.
  TicketApi(Options options, const TicketClient& tickets,
            const common::Clock& clock);

  TicketApi(const TicketApi&) = delete;
  TicketApi& operator=(const TicketApi&) = delete;

  // Adds the five routes to `router`, whose handlers call this TicketApi:
  // it must outlive the router's use.
  void AddRoutes(Router& router);

  // The handlers, one per route (AddRoutes binds them); `request.params`
  // must hold "id" for those with {id}.
  HandlerResult CreateTicket(const HttpRequest& request);
  HandlerResult GetStatus(const HttpRequest& request);
  HandlerResult AddComment(const HttpRequest& request);
  HandlerResult Rate(const HttpRequest& request);
  HandlerResult ExchangeKey(const HttpRequest& request);

 private:
  // What a route with {id} checked before its call: the ticket and the
  // caller's credentials, or the answer that ends the request.
  struct Caller {
    int64_t ticket_id = 0;
    CallCredentials credentials;
  };
  // Checks Origin (for a POST), the id and the guessing limit; fills
  // `caller` or returns the error answer.
  std::optional<HandlerResult> Admit(const HttpRequest& request, bool post,
                                     Caller* caller);
  // The error answer of a failed call; counts a failure for a 404 or 401
  // when `key_bearing`.
  HandlerResult CallFailed(const HttpRequest& request,
                           const absl::Status& status, bool key_bearing);
  // The Set-Cookie value keeping `key` for `ticket_id`.
  std::string Cookie(int64_t ticket_id, absl::string_view key) const;

  const Options options_;
  const TicketClient& tickets_;
  const common::Clock& clock_;
  KeyGuessLimiter limiter_;
};

// `error` as a complete JSON answer, with Retry-After when it has one.
HandlerResult ErrorResult(const HttpError& error);

// A JSON answer of `status` with `body`.
HandlerResult JsonResult(int status, std::string body);

// The ticket id of path segment `text`: a positive decimal integer;
// INVALID_ARGUMENT naming "ticket_id" for anything else.
absl::StatusOr<int64_t> ParseTicketId(absl::string_view text);

}  // namespace cxdesk::clients::web

#endif  // CXDESK_CLIENTS_WEB_API_ROUTES_H_
