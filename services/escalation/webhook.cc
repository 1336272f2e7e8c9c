#include "services/escalation/webhook.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/crypto.h"

namespace cxdesk::escalation {
namespace {

constexpr size_t kSignatureHexDigits = 64;  // HMAC-SHA256: 32 bytes.
// int64 seconds have at most 19 digits; SimpleAtoi rejects overflow.
constexpr size_t kMaxTimestampDigits = 19;

// Lower-case hex HMAC-SHA256 of "<unix_seconds>.<body>".
std::string SignatureHex(absl::string_view secret, int64_t unix_seconds,
                         absl::string_view body) {
  const std::string signed_payload = absl::StrCat(unix_seconds, ".", body);
  return absl::BytesToHexString(common::HmacSha256(secret, signed_payload));
}

bool IsLowerHex(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// An optional '-' and 1..19 decimal digits; SimpleAtoi alone would also take
// '+' and surrounding spaces.
std::optional<int64_t> ParseTimestamp(absl::string_view s) {
  absl::string_view digits = s;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (digits.empty() || digits.size() > kMaxTimestampDigits ||
      !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
    return std::nullopt;
  }
  int64_t value = 0;
  if (!absl::SimpleAtoi(s, &value)) return std::nullopt;
  return value;
}

absl::Status Malformed(absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(kSignatureHeader, " header: ", why));
}

}  // namespace

std::string WebhookSignature(absl::string_view secret, int64_t unix_seconds,
                             absl::string_view body) {
  return absl::StrCat("t=", unix_seconds,
                      ",v1=", SignatureHex(secret, unix_seconds, body));
}

absl::Status VerifyWebhookSignature(absl::string_view secret,
                                    absl::string_view header,
                                    absl::string_view body, absl::Time now,
                                    absl::Duration tolerance) {
  if (tolerance < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("tolerance: must not be negative");
  }
  std::optional<int64_t> timestamp;
  std::vector<absl::string_view> signatures;
  for (absl::string_view part : absl::StrSplit(header, ',')) {
    part = absl::StripAsciiWhitespace(part);
    const size_t eq = part.find('=');
    if (eq == absl::string_view::npos || eq == 0) {
      return Malformed("every part must be key=value");
    }
    const absl::string_view key = part.substr(0, eq);
    const absl::string_view value = part.substr(eq + 1);
    if (key == "t") {
      if (timestamp.has_value()) return Malformed("more than one t");
      timestamp = ParseTimestamp(value);
      if (!timestamp.has_value()) {
        return Malformed("t must be unix seconds in decimal");
      }
    } else if (key == "v1") {
      if (value.size() != kSignatureHexDigits || !IsLowerHex(value)) {
        return Malformed("v1 must be 64 lower-case hex digits");
      }
      signatures.push_back(value);
    }
    // Other keys are later signature schemes: ignored.
  }
  if (!timestamp.has_value()) return Malformed("t is missing");
  if (signatures.empty()) return Malformed("v1 is missing");

  const std::string expected = SignatureHex(secret, *timestamp, body);
  bool matched = false;
  for (absl::string_view signature : signatures) {
    // No early exit: the time taken must not tell which v1 matched.
    matched |= common::ConstantTimeEquals(signature, expected);
  }
  if (!matched) {
    return absl::PermissionDeniedError("webhook signature does not match");
  }
  if (absl::AbsDuration(now - absl::FromUnixSeconds(*timestamp)) > tolerance) {
    return absl::PermissionDeniedError(
        "webhook timestamp is outside the tolerance");
  }
  return absl::OkStatus();
}

absl::Duration WebhookBackoff(int attempt, absl::Duration base,
                              absl::Duration max) {
  if (base <= absl::ZeroDuration() || max <= absl::ZeroDuration()) {
    return absl::ZeroDuration();
  }
  absl::Duration delay = base;
  // Stops once `max` is reached: at most ~100 doublings even for an infinite
  // max, since Duration multiplication saturates at InfiniteDuration.
  for (int i = 1; i < attempt && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

}  // namespace cxdesk::escalation
