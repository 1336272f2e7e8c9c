#include "services/common/staff_auth.h"

#include "services/common/page_token.h"

namespace cxdesk::common {

absl::StatusOr<TokenClaims> StaffAuthorizer::Require(absl::string_view bearer,
                                                     StaffNeed need) const {
  return AuthorizeStaff(bearer, secret_, clock_.Now(),
                        need == StaffNeed::kManager);
}

absl::StatusOr<TokenClaims> StaffAuthorizer::Require(const Credentials& creds,
                                                     StaffNeed need) const {
  if (creds.bearer_token.empty() && !creds.access_key.empty()) {
    return absl::PermissionDeniedError("this call is for staff only");
  }
  return Require(creds.bearer_token, need);
}

absl::StatusOr<int64_t> StaffAuthorizer::RequireEdit(absl::string_view bearer,
                                                     const std::string& etag,
                                                     bool etag_required) const {
  absl::StatusOr<TokenClaims> claims = Require(bearer, StaffNeed::kManager);
  if (!claims.ok()) return claims.status();
  return ParseEtag(etag, etag_required);
}

}  // namespace cxdesk::common
