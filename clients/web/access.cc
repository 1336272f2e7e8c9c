#include "clients/web/access.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cxdesk::clients::web {

std::string KeyCookieName(int64_t ticket_id) {
  return absl::StrCat("cxk_", ticket_id);
}

bool IsKeyShaped(absl::string_view key) {
  if (key.empty() || key.size() > 128) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '-' || c == '_';
  });
}

std::string KeyCookie(int64_t ticket_id, absl::string_view key, bool tls,
                      absl::Duration max_age) {
  return absl::StrCat(KeyCookieName(ticket_id), "=", key,
                      "; Path=/; Max-Age=", absl::ToInt64Seconds(max_age),
                      "; HttpOnly; SameSite=Strict", tls ? "; Secure" : "");
}

std::string ForgetKeyCookie(int64_t ticket_id, bool tls) {
  return absl::StrCat(KeyCookieName(ticket_id),
                      "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
                      tls ? "; Secure" : "");
}

std::optional<std::string> KeyFromCookies(absl::string_view cookie_header,
                                          int64_t ticket_id) {
  const std::string name = KeyCookieName(ticket_id);
  for (absl::string_view pair : absl::StrSplit(cookie_header, ';')) {
    pair = absl::StripAsciiWhitespace(pair);
    const size_t eq = pair.find('=');
    if (eq == absl::string_view::npos || pair.substr(0, eq) != name) continue;
    const absl::string_view value = pair.substr(eq + 1);
    if (!IsKeyShaped(value)) return std::nullopt;
    return std::string(value);
  }
  return std::nullopt;
}

absl::Duration KeyGuessLimiter::TryAgainIn(const std::string& address,
                                           absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(address);
  if (it == entries_.end()) return absl::ZeroDuration();
  const Entry& e = it->second;
  const absl::Time window_end = e.window_start + options_.window;
  if (now >= window_end || e.failures < options_.max_failures) {
    return absl::ZeroDuration();
  }
  // Whole seconds, as Retry-After carries them, never 0.
  const double seconds = std::ceil(absl::ToDoubleSeconds(window_end - now));
  return absl::Seconds(std::max(1.0, seconds));
}

void KeyGuessLimiter::RecordFailure(const std::string& address,
                                    absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(address);
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_addresses) ForgetOldest();
    it = entries_.emplace(address, Entry{now, 0, now}).first;
  }
  Entry& e = it->second;
  if (now >= e.window_start + options_.window) {
    e.window_start = now;
    e.failures = 0;
  }
  ++e.failures;
  e.last_failure = now;
}

void KeyGuessLimiter::ForgetOldest() {
  auto oldest = std::min_element(
      entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
        return a.second.last_failure < b.second.last_failure;
      });
  if (oldest != entries_.end()) entries_.erase(oldest);
}

}  // namespace cxdesk::clients::web
