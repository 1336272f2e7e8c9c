#ifndef CXDESK_SERVICES_COMMON_STAFF_AUTH_H_
#define CXDESK_SERVICES_COMMON_STAFF_AUTH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/clock.h"
#include "services/common/credentials.h"
#include "services/common/token.h"

namespace cxdesk::common {

// What a use case asks of its caller.
enum class StaffNeed { kStaff, kManager };

// The one staff check of every service's use cases: bearer tokens signed
// with the deployment secret, verified at the clock's now. Thread-safe.
class StaffAuthorizer {
 public:
  StaffAuthorizer(std::string secret, const Clock& clock)
      : secret_(std::move(secret)), clock_(clock) {}

  // The claims of `bearer`: UNAUTHENTICATED without a token or with a bad
  // one, PERMISSION_DENIED for kManager when the bearer is not a manager.
  absl::StatusOr<TokenClaims> Require(absl::string_view bearer,
                                      StaffNeed need) const;
  // As above; credentials that carry a customer's access key and no token
  // are PERMISSION_DENIED ("this call is for staff only").
  absl::StatusOr<TokenClaims> Require(const Credentials& creds,
                                      StaffNeed need) const;

  // As Require, for a use case that needs no claims: OK or its error.
  absl::Status Check(absl::string_view bearer, StaffNeed need) const {
    return Require(bearer, need).status();
  }

  // A manager's edit of a versioned configuration resource (an update or a
  // delete): as Require(bearer, kManager), then the version `etag` names,
  // as ParseEtag(etag, etag_required) (-1 for an optional etag left out).
  // Authorisation is checked first, so a caller without the right learns
  // nothing about the etag.
  absl::StatusOr<int64_t> RequireEdit(absl::string_view bearer,
                                      const std::string& etag,
                                      bool etag_required) const;

 private:
  const std::string secret_;
  const Clock& clock_;
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_STAFF_AUTH_H_
