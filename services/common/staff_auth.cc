#include "services/common/staff_auth.h"

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

}  // namespace cxdesk::common
