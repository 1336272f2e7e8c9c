#include "clients/web/access.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace cxdesk::clients::web {
namespace {

constexpr char kKey[] = "Zm9vYmFyLWJhei1xdXV4LWtleS0xMjM0";  // 32, web-safe.

TEST(KeyCookieTest, IsHttpOnlyStrictAndScopedToItsTicket) {
  EXPECT_EQ(KeyCookie(7, kKey, false),
            absl::StrCat("cxk_7=", kKey,
                         "; Path=/; Max-Age=2592000; HttpOnly; "
                         "SameSite=Strict"));
  EXPECT_EQ(KeyCookie(7, kKey, true, absl::Hours(1)),
            absl::StrCat("cxk_7=", kKey,
                         "; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict; "
                         "Secure"));
  EXPECT_EQ(ForgetKeyCookie(7, false),
            "cxk_7=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
}

TEST(KeyFromCookiesTest, FindsOnlyThatTicketsKey) {
  const std::string header =
      absl::StrCat("theme=dark; cxk_70=other; cxk_7=", kKey, "; lang=vi");
  EXPECT_EQ(KeyFromCookies(header, 7), kKey);
  EXPECT_EQ(KeyFromCookies(header, 70), "other");
  EXPECT_EQ(KeyFromCookies(header, 8), std::nullopt);
  EXPECT_EQ(KeyFromCookies("", 7), std::nullopt);
  EXPECT_EQ(KeyFromCookies("cxk_7", 7), std::nullopt);
}

TEST(KeyFromCookiesTest, AValueThatIsNoKeyIsIgnored) {
  EXPECT_EQ(KeyFromCookies("cxk_7=", 7), std::nullopt);
  EXPECT_EQ(KeyFromCookies("cxk_7=a b", 7), std::nullopt);
  EXPECT_EQ(KeyFromCookies("cxk_7=abc\r\nX-Evil: 1", 7), std::nullopt);
  EXPECT_EQ(KeyFromCookies(absl::StrCat("cxk_7=", std::string(129, 'a')), 7),
            std::nullopt);
  EXPECT_TRUE(IsKeyShaped(std::string(128, 'a')));
  EXPECT_FALSE(IsKeyShaped("k%65y"));
}

// 2026-01-01T09:00:00Z.
const absl::Time kT0 = absl::FromUnixSeconds(1767258000);

TEST(KeyGuessLimiterTest, TheEleventhWrongKeyInAMinuteWaits) {
  KeyGuessLimiter limiter({10, absl::Minutes(1), 100});
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(limiter.TryAgainIn("10.0.0.1", kT0 + absl::Seconds(i)),
              absl::ZeroDuration())
        << i;
    limiter.RecordFailure("10.0.0.1", kT0 + absl::Seconds(i));
  }
  // The window opened at kT0: 60 s later the address may try again.
  EXPECT_EQ(limiter.TryAgainIn("10.0.0.1", kT0 + absl::Seconds(10)),
            absl::Seconds(50));
  EXPECT_EQ(limiter.TryAgainIn("10.0.0.1",
                               kT0 + absl::Seconds(59) + absl::Milliseconds(1)),
            absl::Seconds(1));
  EXPECT_EQ(limiter.TryAgainIn("10.0.0.1", kT0 + absl::Seconds(60)),
            absl::ZeroDuration());
  // Another address is not held back.
  EXPECT_EQ(limiter.TryAgainIn("10.0.0.2", kT0 + absl::Seconds(10)),
            absl::ZeroDuration());
  // A new window starts with the next failure.
  limiter.RecordFailure("10.0.0.1", kT0 + absl::Seconds(61));
  EXPECT_EQ(limiter.TryAgainIn("10.0.0.1", kT0 + absl::Seconds(61)),
            absl::ZeroDuration());
}

TEST(KeyGuessLimiterTest, RemembersABoundedNumberOfAddresses) {
  KeyGuessLimiter limiter({1, absl::Minutes(1), 2});
  limiter.RecordFailure("a", kT0);
  limiter.RecordFailure("b", kT0 + absl::Seconds(1));
  limiter.RecordFailure("c", kT0 + absl::Seconds(2));  // Forgets "a".
  EXPECT_EQ(limiter.TryAgainIn("a", kT0 + absl::Seconds(3)),
            absl::ZeroDuration());
  EXPECT_EQ(limiter.TryAgainIn("b", kT0 + absl::Seconds(3)), absl::Seconds(58));
  EXPECT_EQ(limiter.TryAgainIn("c", kT0 + absl::Seconds(3)), absl::Seconds(59));
}

}  // namespace
}  // namespace cxdesk::clients::web
