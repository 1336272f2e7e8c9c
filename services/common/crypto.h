#ifndef CXDESK_SERVICES_COMMON_CRYPTO_H_
#define CXDESK_SERVICES_COMMON_CRYPTO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cxdesk::common {

// SHA-256 of `data`, as 64 lower-case hex digits.
std::string Sha256Hex(absl::string_view data);

// HMAC-SHA256 of `data` under `key`: 32 raw bytes.
std::string HmacSha256(absl::string_view key, absl::string_view data);

// `n` bytes from the operating system's CSPRNG, URL-safe base64 without
// padding. Aborts only if the CSPRNG itself fails.
std::string RandomToken(int n);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_CRYPTO_H_
