#include "services/common/token.h"

#include <gtest/gtest.h>

#include "services/common/crypto.h"

namespace cxdesk::common {
namespace {

constexpr absl::string_view kSecret = "0123456789abcdef0123456789abcdef";
const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

TEST(TokenTest, SignedTokenVerifiesWithItsClaims) {
  TokenClaims claims{"alice", StaffRole::kManager, kNow + absl::Hours(1)};
  absl::StatusOr<std::string> token = SignToken(claims, kSecret);
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<TokenClaims> got = VerifyToken(*token, kSecret, kNow);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->subject, "alice");
  EXPECT_EQ(got->role, StaffRole::kManager);
  EXPECT_EQ(got->expiry, kNow + absl::Hours(1));
}

TEST(TokenTest, WrongSecretIsUnauthenticated) {
  auto token =
      SignToken({"alice", StaffRole::kAgent, kNow + absl::Hours(1)}, kSecret);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(VerifyToken(*token, "another-secret-of-32-bytes-long!", kNow)
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(TokenTest, ExpiredTokenIsUnauthenticated) {
  auto token = SignToken({"alice", StaffRole::kAgent, kNow}, kSecret);
  ASSERT_TRUE(token.ok());
  absl::Status status = VerifyToken(*token, kSecret, kNow).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status.message(), "token: expired");
}

TEST(TokenTest, TamperedPayloadIsRejected) {
  auto agent =
      SignToken({"alice", StaffRole::kAgent, kNow + absl::Hours(1)}, kSecret);
  auto manager =
      SignToken({"alice", StaffRole::kManager, kNow + absl::Hours(1)},
                "other-secret-0123456789");
  ASSERT_TRUE(agent.ok() && manager.ok());
  // Splice the manager payload onto the agent's signature.
  std::string forged = agent->substr(0, agent->find('.') + 1) +
                       manager->substr(manager->find('.') + 1);
  forged =
      forged.substr(0, forged.rfind('.')) + agent->substr(agent->rfind('.'));
  EXPECT_EQ(VerifyToken(forged, kSecret, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(TokenTest, MalformedTokensAreUnauthenticated) {
  for (absl::string_view bad :
       {"", "garbage", "cxd1..", "cxd1.a.b.c", "xyz.abc.def", "cxd1.!!!.???"}) {
    EXPECT_EQ(VerifyToken(bad, kSecret, kNow).status().code(),
              absl::StatusCode::kUnauthenticated)
        << bad;
  }
}

TEST(TokenTest, InvalidSubjectCannotBeSigned) {
  EXPECT_EQ(SignToken({"has space", StaffRole::kAgent, kNow}, kSecret)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SignToken({"", StaffRole::kAgent, kNow}, kSecret).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TokenTest, RoleNamesRoundTrip) {
  for (StaffRole role :
       {StaffRole::kAgent, StaffRole::kManager, StaffRole::kService}) {
    EXPECT_EQ(*ParseStaffRole(StaffRoleName(role)), role);
  }
  EXPECT_EQ(ParseStaffRole("customer").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TokenTest, AuthorizeStaffChecksTokenAndRole) {
  const std::string agent =
      *SignToken({"alice", StaffRole::kAgent, kNow + absl::Hours(1)}, kSecret);
  const std::string manager = *SignToken(
      {"maria", StaffRole::kManager, kNow + absl::Hours(1)}, kSecret);
  EXPECT_EQ(AuthorizeStaff("", kSecret, kNow, false).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(
      AuthorizeStaff("cxd1.bad.token", kSecret, kNow, false).status().code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(AuthorizeStaff(agent, kSecret, kNow, false)->subject, "alice");
  EXPECT_EQ(AuthorizeStaff(agent, kSecret, kNow, true).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AuthorizeStaff(manager, kSecret, kNow, true)->subject, "maria");
}

TEST(CryptoTest, Sha256OfKnownInput) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, RandomTokensDiffer) {
  EXPECT_NE(RandomToken(24), RandomToken(24));
  EXPECT_EQ(RandomToken(24).size(), 32u);
}

}  // namespace
}  // namespace cxdesk::common
