#include "services/common/token.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/crypto.h"
#include "services/common/text.h"

namespace cxdesk::common {
namespace {

constexpr absl::string_view kPrefix = "cxd1";

}  // namespace

absl::string_view StaffRoleName(StaffRole role) {
  switch (role) {
    case StaffRole::kAgent:
      return "agent";
    case StaffRole::kManager:
      return "manager";
    case StaffRole::kService:
      return "service";
  }
  return "agent";
}

absl::StatusOr<StaffRole> ParseStaffRole(absl::string_view name) {
  if (name == "agent") return StaffRole::kAgent;
  if (name == "manager") return StaffRole::kManager;
  if (name == "service") return StaffRole::kService;
  return absl::InvalidArgumentError(absl::StrCat(
      "role: must be agent, manager or service, not ", common::Excerpt(name)));
}

bool IsValidSubject(absl::string_view subject) {
  if (subject.empty() || subject.size() > 64) return false;
  for (char c : subject) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != '.' && c != '@' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::string> SignToken(const TokenClaims& claims,
                                      absl::string_view secret) {
  if (!IsValidSubject(claims.subject)) {
    return absl::InvalidArgumentError(
        "subject: must be 1..64 characters of letters, digits, _ . @ -");
  }
  const std::string payload =
      absl::StrCat(claims.subject, "\n", StaffRoleName(claims.role), "\n",
                   absl::ToUnixSeconds(claims.expiry));
  const std::string body =
      absl::StrCat(kPrefix, ".", absl::WebSafeBase64Escape(payload));
  return absl::StrCat(body, ".",
                      absl::WebSafeBase64Escape(HmacSha256(secret, body)));
}

absl::StatusOr<TokenClaims> VerifyToken(absl::string_view token,
                                        absl::string_view secret,
                                        absl::Time now) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0] != kPrefix) {
    return absl::UnauthenticatedError("token: malformed");
  }
  const absl::string_view body =
      token.substr(0, parts[0].size() + 1 + parts[1].size());
  std::string mac;
  // Only the encoding SignToken writes: the decoder also takes padding and
  // other spellings of the same bytes, which would make one token many.
  if (!absl::WebSafeBase64Unescape(parts[2], &mac) ||
      absl::WebSafeBase64Escape(mac) != parts[2] ||
      !ConstantTimeEquals(mac, HmacSha256(secret, body))) {
    return absl::UnauthenticatedError("token: bad signature");
  }
  std::string payload;
  if (!absl::WebSafeBase64Unescape(parts[1], &payload)) {
    return absl::UnauthenticatedError("token: malformed");
  }
  std::vector<std::string> fields = absl::StrSplit(payload, '\n');
  int64_t expiry = 0;
  if (fields.size() != 3 || !absl::SimpleAtoi(fields[2], &expiry)) {
    return absl::UnauthenticatedError("token: malformed claims");
  }
  absl::StatusOr<StaffRole> role = ParseStaffRole(fields[1]);
  if (!role.ok() || !IsValidSubject(fields[0])) {
    return absl::UnauthenticatedError("token: malformed claims");
  }
  TokenClaims claims{fields[0], *role, absl::FromUnixSeconds(expiry)};
  if (claims.expiry <= now) {
    return absl::UnauthenticatedError("token: expired");
  }
  return claims;
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(absl::StrCat(
        "token secret file ", common::Excerpt(path), " cannot be read"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string secret(absl::StripAsciiWhitespace(buffer.str()));
  if (secret.size() < 16) {
    return absl::FailedPreconditionError(
        absl::StrCat("token secret file ", common::Excerpt(path),
                     " holds fewer than 16 bytes"));
  }
  return secret;
}

absl::StatusOr<TokenClaims> AuthorizeStaff(absl::string_view bearer,
                                           absl::string_view secret,
                                           absl::Time now, bool managers_only) {
  if (bearer.empty()) {
    return absl::UnauthenticatedError(
        "this call needs a staff token (authorization: Bearer <token>)");
  }
  absl::StatusOr<TokenClaims> claims = VerifyToken(bearer, secret, now);
  if (!claims.ok()) return claims.status();
  if (managers_only && claims->role != StaffRole::kManager) {
    return absl::PermissionDeniedError("this call is for managers only");
  }
  return claims;
}

}  // namespace cxdesk::common
