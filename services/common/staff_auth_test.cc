#include "services/common/staff_auth.h"

#include <gtest/gtest.h>

#include "services/common/testing/fake_clock.h"

namespace cxdesk::common {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123";

std::string TokenFor(const std::string& subject, StaffRole role,
                     absl::Time expiry) {
  TokenClaims claims;
  claims.subject = subject;
  claims.role = role;
  claims.expiry = expiry;
  return SignToken(claims, kSecret).value();
}

class StaffAuthorizerTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  StaffAuthorizer auth_{kSecret, clock_};
};

TEST_F(StaffAuthorizerTest, AnAgentIsStaffButNoManager) {
  const std::string token =
      TokenFor("lena", StaffRole::kAgent, clock_.Now() + absl::Hours(1));
  absl::StatusOr<TokenClaims> claims = auth_.Require(token, StaffNeed::kStaff);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->subject, "lena");
  absl::Status denied = auth_.Require(token, StaffNeed::kManager).status();
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "this call is for managers only");
}

TEST_F(StaffAuthorizerTest, AManagerPassesBoth) {
  const std::string token =
      TokenFor("maria", StaffRole::kManager, clock_.Now() + absl::Hours(1));
  EXPECT_TRUE(auth_.Require(token, StaffNeed::kManager).ok());
  EXPECT_TRUE(auth_.Require(Credentials{token, ""}, StaffNeed::kStaff).ok());
}

TEST_F(StaffAuthorizerTest, NoTokenIsUnauthenticatedAndSaysWhatToSend) {
  absl::Status status = auth_.Require("", StaffNeed::kStaff).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status.message(),
            "this call needs a staff token (authorization: Bearer <token>)");
  EXPECT_EQ(auth_.Require(Credentials{}, StaffNeed::kStaff).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(StaffAuthorizerTest, ATokenExpiresOnTheClock) {
  const std::string token =
      TokenFor("lena", StaffRole::kAgent, clock_.Now() + absl::Seconds(10));
  EXPECT_TRUE(auth_.Require(token, StaffNeed::kStaff).ok());
  clock_.Advance(absl::Seconds(11));
  EXPECT_EQ(auth_.Require(token, StaffNeed::kStaff).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(StaffAuthorizerTest, ACustomersKeyIsNotStaff) {
  absl::Status status =
      auth_.Require(Credentials{"", "key-of-a-customer"}, StaffNeed::kStaff)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "this call is for staff only");
}

TEST_F(StaffAuthorizerTest, AnEditNeedsAManagerFirstAndThenTheEtag) {
  const std::string agent =
      TokenFor("lena", StaffRole::kAgent, clock_.Now() + absl::Hours(1));
  const std::string manager =
      TokenFor("maria", StaffRole::kManager, clock_.Now() + absl::Hours(1));
  // The agent is refused before the malformed etag is looked at.
  EXPECT_EQ(auth_.RequireEdit(agent, "x", true).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(auth_.RequireEdit("", "7", true).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth_.RequireEdit(manager, "7", true).value(), 7);
  EXPECT_EQ(auth_.RequireEdit(manager, "", false).value(), -1);
  absl::Status missing = auth_.RequireEdit(manager, "", true).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.message(), "etag: required");
  absl::Status bad = auth_.RequireEdit(manager, "0", true).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "etag: \"0\" is not an etag this service gave");
}

}  // namespace
}  // namespace cxdesk::common
