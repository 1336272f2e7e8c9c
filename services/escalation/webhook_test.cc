#include "services/escalation/webhook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cxdesk::escalation {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;

// Computed independently:
//   printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
constexpr absl::string_view kSecret = "secret";
constexpr absl::string_view kBody = R"({"a":1})";
constexpr int64_t kSentAt = 1700000000;
constexpr absl::string_view kKnownHeader =
    "t=1700000000,v1="
    "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686";
// Same, with an empty body: printf '%s' '1700000000.' | openssl ...
constexpr absl::string_view kKnownEmptyBodyHeader =
    "t=1700000000,v1="
    "4bc5f74d868b97888288889c5d9d65df02526f94c1592a79fdf4fe8b26e311e5";

const absl::Duration kTolerance = absl::Minutes(5);

absl::Time SentAt(absl::Duration later = absl::ZeroDuration()) {
  return absl::FromUnixSeconds(kSentAt) + later;
}

absl::Status Verify(absl::string_view header, absl::string_view body = kBody) {
  return VerifyWebhookSignature(kSecret, header, body, SentAt(), kTolerance);
}

TEST(WebhookSignatureTest, MatchesAnIndependentlyComputedVector) {
  EXPECT_EQ(WebhookSignature(kSecret, kSentAt, kBody), kKnownHeader);
  EXPECT_EQ(WebhookSignature(kSecret, kSentAt, ""), kKnownEmptyBodyHeader);
}

TEST(WebhookSignatureTest, HeaderNames) {
  EXPECT_EQ(kSignatureHeader, "X-Cxdesk-Signature");
  EXPECT_EQ(kDeliveryHeader, "X-Cxdesk-Delivery");
  EXPECT_EQ(kEventHeader, "X-Cxdesk-Event");
}

TEST(VerifyWebhookSignatureTest, AcceptsTheKnownVector) {
  EXPECT_TRUE(Verify(kKnownHeader).ok());
  EXPECT_TRUE(Verify(kKnownEmptyBodyHeader, "").ok());
}

TEST(VerifyWebhookSignatureTest, AcceptsWhatWebhookSignatureProduces) {
  const std::string body = "{\"ticket\":\"T-1\",\"level\":2}\n";
  const std::string header = WebhookSignature("another secret", 42, body);
  EXPECT_TRUE(VerifyWebhookSignature("another secret", header, body,
                                     absl::FromUnixSeconds(42), kTolerance)
                  .ok());
}

TEST(VerifyWebhookSignatureTest, RejectsAFlippedByteInTheBody) {
  std::string body(kBody);
  body[2] ^= 0x01;  // "a" -> "`"
  EXPECT_EQ(Verify(kKnownHeader, body).code(), StatusCode::kPermissionDenied);
}

TEST(VerifyWebhookSignatureTest, RejectsAFlippedSignatureDigit) {
  std::string header(kKnownHeader);
  header.back() = header.back() == '6' ? '7' : '6';
  EXPECT_EQ(Verify(header).code(), StatusCode::kPermissionDenied);
}

TEST(VerifyWebhookSignatureTest, RejectsAnotherSecret) {
  EXPECT_EQ(VerifyWebhookSignature("Secret", kKnownHeader, kBody, SentAt(),
                                   kTolerance)
                .code(),
            StatusCode::kPermissionDenied);
}

TEST(VerifyWebhookSignatureTest, RejectsAnotherTimestamp) {
  // The timestamp is signed: moving it, even within the tolerance, breaks
  // the signature.
  const std::string header = absl::StrCat(
      "t=1700000001,v1=",
      "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");
  EXPECT_EQ(Verify(header).code(), StatusCode::kPermissionDenied);
}

TEST(VerifyWebhookSignatureTest, ToleranceIsInclusiveInBothDirections) {
  for (absl::Duration skew : {kTolerance, -kTolerance}) {
    EXPECT_TRUE(VerifyWebhookSignature(kSecret, kKnownHeader, kBody,
                                       SentAt(skew), kTolerance)
                    .ok())
        << skew;
  }
}

TEST(VerifyWebhookSignatureTest, RejectsAStaleOrFutureTimestamp) {
  for (absl::Duration skew :
       {kTolerance + absl::Seconds(1), -kTolerance - absl::Seconds(1),
        absl::Hours(24)}) {
    EXPECT_EQ(VerifyWebhookSignature(kSecret, kKnownHeader, kBody, SentAt(skew),
                                     kTolerance)
                  .code(),
              StatusCode::kPermissionDenied)
        << skew;
  }
}

TEST(VerifyWebhookSignatureTest, RejectsANegativeTolerance) {
  EXPECT_EQ(VerifyWebhookSignature(kSecret, kKnownHeader, kBody, SentAt(),
                                   -absl::Seconds(1))
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(VerifyWebhookSignatureTest, RejectsMalformedHeaders) {
  const std::string sig =
      "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686";
  const std::vector<std::string> malformed = {
      "",
      "garbage",
      "t=1700000000",                                   // no v1
      absl::StrCat("v1=", sig),                         // no t
      absl::StrCat("t=,v1=", sig),                      // empty t
      absl::StrCat("t=17e8,v1=", sig),                  // not decimal
      absl::StrCat("t=+1700000000,v1=", sig),           // sign
      absl::StrCat("t=99999999999999999999,v1=", sig),  // overflows int64
      absl::StrCat("t=1700000000,t=1700000000,v1=", sig),
      "t=1700000000,v1=49f24e53",                   // too short
      absl::StrCat("t=1700000000,v1=", sig, "00"),  // too long
      absl::StrCat("t=1700000000,v1=", absl::AsciiStrToUpper(sig)),
      absl::StrCat("t=1700000000,v1=", sig, ","),  // empty part
      absl::StrCat("t=1700000000;v1=", sig),       // wrong separator
      absl::StrCat("=1,t=1700000000,v1=", sig),    // empty key
  };
  for (const std::string& header : malformed) {
    EXPECT_EQ(Verify(header).code(), StatusCode::kInvalidArgument) << header;
  }
}

TEST(VerifyWebhookSignatureTest, AcceptsReorderedPartsSpacesAndOtherSchemes) {
  const std::string sig =
      "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686";
  EXPECT_TRUE(Verify(absl::StrCat("v1=", sig, ",t=1700000000")).ok());
  EXPECT_TRUE(Verify(absl::StrCat("t=1700000000, v1=", sig)).ok());
  EXPECT_TRUE(Verify(absl::StrCat("t=1700000000,v0=abc,v1=", sig)).ok());
}

TEST(VerifyWebhookSignatureTest, AnyOfSeveralSignaturesMayMatch) {
  // During a secret rotation the sender signs with both secrets.
  const std::string old_sig(64, '0');
  const std::string new_sig =
      "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686";
  EXPECT_TRUE(
      Verify(absl::StrCat("t=1700000000,v1=", old_sig, ",v1=", new_sig)).ok());
  EXPECT_TRUE(
      Verify(absl::StrCat("t=1700000000,v1=", new_sig, ",v1=", old_sig)).ok());
  EXPECT_EQ(
      Verify(absl::StrCat("t=1700000000,v1=", old_sig, ",v1=", old_sig)).code(),
      StatusCode::kPermissionDenied);
}

TEST(WebhookBackoffTest, DoublesFromBaseUpToMax) {
  std::vector<absl::Duration> delays;
  for (int attempt = 1; attempt <= 8; ++attempt) {
    delays.push_back(
        WebhookBackoff(attempt, absl::Seconds(1), absl::Seconds(30)));
  }
  EXPECT_THAT(delays, ElementsAre(absl::Seconds(1), absl::Seconds(2),
                                  absl::Seconds(4), absl::Seconds(8),
                                  absl::Seconds(16), absl::Seconds(30),
                                  absl::Seconds(30), absl::Seconds(30)));
}

TEST(WebhookBackoffTest, EdgeCases) {
  const absl::Duration base = absl::Milliseconds(500);
  const absl::Duration max = absl::Minutes(10);
  EXPECT_EQ(WebhookBackoff(0, base, max), base);
  EXPECT_EQ(WebhookBackoff(-3, base, max), base);
  EXPECT_EQ(WebhookBackoff(1000000, base, max), max);
  EXPECT_EQ(WebhookBackoff(2147483647, base, absl::InfiniteDuration()),
            absl::InfiniteDuration());
  EXPECT_EQ(WebhookBackoff(3, base, absl::Milliseconds(100)),
            absl::Milliseconds(100));
  EXPECT_EQ(WebhookBackoff(3, absl::ZeroDuration(), max), absl::ZeroDuration());
  EXPECT_EQ(WebhookBackoff(3, -base, max), absl::ZeroDuration());
  EXPECT_EQ(WebhookBackoff(3, base, absl::ZeroDuration()),
            absl::ZeroDuration());
}

}  // namespace
}  // namespace cxdesk::escalation
