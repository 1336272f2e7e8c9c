// Fuzz target: staff bearer tokens (token.h), with a fixed secret and a
// fixed "now". Checks:
//  1. The input itself as a token: VerifyToken never crashes; a refusal is
//     UNAUTHENTICATED and never repeats the token; an accepted token is
//     exactly the token SignToken makes for the claims it carries (so only a
//     token we signed, byte for byte, is accepted), and has not expired.
//     AuthorizeStaff agrees with VerifyToken and refuses non-managers with
//     PERMISSION_DENIED when managers_only.
//  2. The input as a recipe: claims (subject, role, expiry) and a few byte
//     edits. SignToken signs valid subjects (INVALID_ARGUMENT otherwise); the
//     signed token verifies to the same claims unless expired; every edited
//     token that differs from it is refused.
// Corpus: fuzz/corpus/token_fuzz/ (tokens signed with kSecret below).

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/token.h"

namespace {

using cxdesk::common::AuthorizeStaff;
using cxdesk::common::SignToken;
using cxdesk::common::StaffRole;
using cxdesk::common::TokenClaims;
using cxdesk::common::VerifyToken;

// fuzz/make_corpus.py signs the seed tokens with the same secret.
constexpr absl::string_view kSecret = "fuzz-token-secret-0123456789abcdef";
const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01

// A finding: traps, naming the line of the check that failed.
void Check(bool ok, int line = __builtin_LINE()) {
  if (ok) return;
  std::fprintf(stderr, "%s:%d: check failed\n", __FILE__, line);
  __builtin_trap();
}

bool SameClaims(const TokenClaims& a, const TokenClaims& b) {
  return a.subject == b.subject && a.role == b.role && a.expiry == b.expiry;
}

void CheckRefusal(const absl::Status& status, absl::string_view token) {
  Check(status.code() == absl::StatusCode::kUnauthenticated);
  Check(!status.message().empty());
  // Shorter inputs may be part of a fixed message ("en: malfo" is in
  // "token: malformed"); none of VerifyToken's is 32 bytes long.
  if (token.size() >= 32) Check(!absl::StrContains(status.message(), token));
}

void FuzzRawToken(absl::string_view token) {
  absl::StatusOr<TokenClaims> claims = VerifyToken(token, kSecret, kNow);
  if (claims.ok()) {
    Check(claims->expiry > kNow);
    absl::StatusOr<std::string> signed_again = SignToken(*claims, kSecret);
    Check(signed_again.ok() && *signed_again == token);
  } else {
    CheckRefusal(claims.status(), token);
  }
  for (bool managers_only : {false, true}) {
    absl::StatusOr<TokenClaims> staff =
        AuthorizeStaff(token, kSecret, kNow, managers_only);
    if (token.empty()) {
      Check(staff.status().code() == absl::StatusCode::kUnauthenticated);
    } else if (!claims.ok()) {
      Check(staff.status() == claims.status());
    } else if (managers_only && claims->role != StaffRole::kManager) {
      Check(staff.status().code() == absl::StatusCode::kPermissionDenied);
    } else {
      Check(staff.ok() && SameClaims(*staff, *claims));
    }
  }
}

void FuzzSignedToken(FuzzedDataProvider& in) {
  TokenClaims claims;
  claims.subject = in.ConsumeRandomLengthString(80);
  claims.role = in.PickValueInArray(
      {StaffRole::kAgent, StaffRole::kManager, StaffRole::kService});
  claims.expiry = kNow + absl::Seconds(in.ConsumeIntegralInRange<int64_t>(
                             -86400, int64_t{100} * 365 * 86400));
  absl::StatusOr<std::string> token = SignToken(claims, kSecret);
  if (!token.ok()) {
    Check(token.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  absl::StatusOr<TokenClaims> verified = VerifyToken(*token, kSecret, kNow);
  if (claims.expiry > kNow) {
    Check(verified.ok() && SameClaims(*verified, claims));
  } else {
    CheckRefusal(verified.status(), *token);
  }
  // The same token under another secret is forged.
  Check(!VerifyToken(*token, "another-secret-0123456789abcdef", kNow).ok());

  std::string edited = *token;
  const int edits = in.ConsumeIntegralInRange(1, 4);
  for (int i = 0; i < edits && in.remaining_bytes() > 0; ++i) {
    const size_t at = in.ConsumeIntegralInRange<size_t>(0, edited.size());
    const char byte = in.ConsumeIntegral<char>();
    switch (in.ConsumeIntegralInRange(0, 3)) {
      case 0:  // Replace a byte.
        if (at < edited.size()) edited[at] = byte;
        break;
      case 1:  // Insert a byte.
        edited.insert(edited.begin() + at, byte);
        break;
      case 2:  // Delete a byte.
        if (at < edited.size()) edited.erase(at, 1);
        break;
      default:  // Cut the token.
        edited.resize(at);
        break;
    }
  }
  if (edited != *token) {
    absl::StatusOr<TokenClaims> forged = VerifyToken(edited, kSecret, kNow);
    Check(!forged.ok());
    CheckRefusal(forged.status(), edited);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzRawToken(absl::string_view(reinterpret_cast<const char*>(data), size));
  FuzzedDataProvider in(data, size);
  FuzzSignedToken(in);
  return 0;
}
