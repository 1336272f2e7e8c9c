#ifndef CXDESK_CLIENTS_WEB_ACCESS_H_
#define CXDESK_CLIENTS_WEB_ACCESS_H_

// How a customer's access key travels between the browser and the gateway
// without ever standing in a URL that is logged or sent as a Referer: it is
// exchanged once for a cookie scoped to its ticket (HttpOnly,
// SameSite=Strict, Secure when the portal is served over TLS), and key
// guessing is limited per client address. The key itself is checked by the
// ticket service (constant time, hashed); the gateway only carries it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cxdesk::clients::web {

// The name of ticket `ticket_id`'s key cookie: "cxk_<id>".
std::string KeyCookieName(int64_t ticket_id);

// Whether `key` has the shape of an access key the ticket service gives
// (1..128 characters of A-Z a-z 0-9 - _): anything else is never put in a
// cookie or sent on, so a header can carry nothing but the key.
bool IsKeyShaped(absl::string_view key);

// The Set-Cookie value that keeps `key` for ticket `ticket_id`: Path=/,
// HttpOnly, SameSite=Strict, Max-Age of `max_age` (whole seconds), and Secure
// when `tls`. `key` must be key-shaped.
std::string KeyCookie(int64_t ticket_id, absl::string_view key, bool tls,
                      absl::Duration max_age = absl::Hours(24 * 30));

// The Set-Cookie value that forgets ticket `ticket_id`'s key (Max-Age=0).
std::string ForgetKeyCookie(int64_t ticket_id, bool tls);

// The key for ticket `ticket_id` in a request's Cookie header (several
// "name=value" pairs separated by ";"); nullopt when there is none or it is
// not key-shaped.
std::optional<std::string> KeyFromCookies(absl::string_view cookie_header,
                                          int64_t ticket_id);

// Limits wrong keys per client address: at most `max_failures` in a
// `window` that opens at the address's first failure (and again at its
// first failure after the window ended); past that, TryAgainIn says how
// long the address must wait (the Retry-After of a 429). Remembers at most
// `max_addresses` addresses, forgetting the one whose last failure is oldest.
// Thread-safe.
class KeyGuessLimiter {
 public:
  struct Options {
    int max_failures = 10;
    absl::Duration window = absl::Minutes(1);
    size_t max_addresses = 10000;
  };
  explicit KeyGuessLimiter(Options options) : options_(options) {}

  // Zero when `address` may try a key at `now`, else how long it must wait
  // (rounded up to a whole second, at least one).
  absl::Duration TryAgainIn(const std::string& address, absl::Time now);
  // Counts a wrong key (or an unknown ticket) from `address` at `now`.
  void RecordFailure(const std::string& address, absl::Time now);

 private:
  // An address's failures inside the current window.
  struct Entry {
    absl::Time window_start;
    int failures = 0;
    absl::Time last_failure;
  };
  void ForgetOldest() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cxdesk::clients::web

#endif  // CXDESK_CLIENTS_WEB_ACCESS_H_
