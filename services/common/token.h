#ifndef CXDESK_SERVICES_COMMON_TOKEN_H_
#define CXDESK_SERVICES_COMMON_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cxdesk::common {

// The roles a bearer token can carry. Customers prove themselves with a
// ticket's access key instead, never with a token.
enum class StaffRole { kAgent, kManager, kService };

absl::string_view StaffRoleName(StaffRole role);
// Parses "agent", "manager" or "service"; INVALID_ARGUMENT otherwise.
absl::StatusOr<StaffRole> ParseStaffRole(absl::string_view name);

// What a token says about its bearer.
struct TokenClaims {
  std::string subject;  // 1..64 of [A-Za-z0-9_.@-]
  StaffRole role = StaffRole::kAgent;
  absl::Time expiry;
};

// True if `subject` is a valid agent/team style name (1..64 of
// [A-Za-z0-9_.@-]).
bool IsValidSubject(absl::string_view subject);

// Signs claims with HMAC-SHA256 under `secret`. The format is
// "cxd1.<base64url(subject \n role \n expiry-unix-seconds)>.<base64url(mac)>".
// INVALID_ARGUMENT if the subject is not valid.
absl::StatusOr<std::string> SignToken(const TokenClaims& claims,
                                      absl::string_view secret);

// Checks the signature and expiry. UNAUTHENTICATED (with a reason that never
// repeats the token) when it is malformed, forged or expired.
absl::StatusOr<TokenClaims> VerifyToken(absl::string_view token,
                                        absl::string_view secret,
                                        absl::Time now);

// The claims of a staff bearer token: UNAUTHENTICATED without a token or
// with a bad one, PERMISSION_DENIED if `managers_only` and the bearer is not
// a manager. What every service's use cases check first.
absl::StatusOr<TokenClaims> AuthorizeStaff(absl::string_view bearer,
                                           absl::string_view secret,
                                           absl::Time now, bool managers_only);

// Reads a deployment secret file: trims whitespace; FAILED_PRECONDITION if it
// is missing or shorter than 16 bytes.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_TOKEN_H_
