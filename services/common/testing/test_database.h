#ifndef CXDESK_SERVICES_COMMON_TESTING_TEST_DATABASE_H_
#define CXDESK_SERVICES_COMMON_TESTING_TEST_DATABASE_H_

#include <string>

#include "absl/status/statusor.h"

namespace cxdesk::common {

// Creates (dropping first if it exists) the database `cxdesk_test_<suffix>`
// on the server named by $CXDESK_TEST_DATABASE_URL (an admin URL that
// tests/run.sh sets), and returns its URL. FAILED_PRECONDITION when the
// variable is unset, so a test run without a database fails loudly instead of
// passing vacuously. `suffix` must be [a-z0-9_].
absl::StatusOr<std::string> CreateTestDatabase(const std::string& suffix);

// Empties every table of `schema` and restarts its sequences. Refuses
// (FAILED_PRECONDITION) on a database whose name does not start with
// "cxdesk_test_".
absl::Status TruncateSchema(const std::string& url, const std::string& schema);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_TESTING_TEST_DATABASE_H_
