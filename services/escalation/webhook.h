#ifndef CXDESK_SERVICES_ESCALATION_WEBHOOK_H_
#define CXDESK_SERVICES_ESCALATION_WEBHOOK_H_

// Pure helpers for outgoing webhooks: the signature header a receiver checks,
// its verification, and the retry backoff. No I/O and no absl::Now(): every
// instant is passed in. Every function is thread-safe.
//
// The signature (Stripe-like) is the header
//   X-Cxdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
// where the HMAC is keyed with the team's webhook secret over
// "<unix seconds>.<body>", in lower-case hex. The timestamp is signed so a
// captured request cannot be replayed outside the receiver's tolerance.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cxdesk::escalation {

// The signature header: see above.
inline constexpr absl::string_view kSignatureHeader = "X-Cxdesk-Signature";
// The delivery's id, the same on every retry of one delivery, so receivers
// can drop duplicates.
inline constexpr absl::string_view kDeliveryHeader = "X-Cxdesk-Delivery";
// The event's type, e.g. "escalation.step".
inline constexpr absl::string_view kEventHeader = "X-Cxdesk-Event";

// The value of kSignatureHeader for `body` sent at `unix_seconds`:
// "t=<unix_seconds>,v1=<lower-hex HMAC-SHA256(secret,
// "<unix_seconds>.<body>")>", e.g. "t=1700000000,v1=49f2...1686".
std::string WebhookSignature(absl::string_view secret, int64_t unix_seconds,
                             absl::string_view body);

// Checks a kSignatureHeader value against `body` as a receiver would.
// The header is comma-separated key=value parts (spaces around a part are
// ignored): exactly one "t" (decimal unix seconds), one or more "v1" (64
// lower-case hex digits each; any one matching is enough, so a sender may
// sign with an old and a new secret while a secret is rotated), and any
// other keys, which are ignored (later schemes).
// Returns OK if a v1 is the signature of `body` under `secret` and `t` is at
// most `tolerance` away from `now` (either direction); INVALID_ARGUMENT if
// the header is malformed or `tolerance` is negative; PERMISSION_DENIED if
// no v1 matches or the timestamp is outside the tolerance. Signatures are
// compared in constant time.
absl::Status VerifyWebhookSignature(absl::string_view secret,
                                    absl::string_view header,
                                    absl::string_view body, absl::Time now,
                                    absl::Duration tolerance);

// How long to wait before retry `attempt` (1 = the first retry): `base` for
// attempt 1, doubled for each next attempt, never more than `max`; no jitter,
// so the schedule is deterministic. An attempt below 1 counts as 1; a `max`
// below `base` gives `max`; a `base` or `max` of zero or less gives zero.
// Saturates instead of overflowing (any attempt number is safe).
absl::Duration WebhookBackoff(int attempt, absl::Duration base,
                              absl::Duration max);

}  // namespace cxdesk::escalation

#endif  // CXDESK_SERVICES_ESCALATION_WEBHOOK_H_
