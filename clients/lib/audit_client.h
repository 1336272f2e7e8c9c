#ifndef CXDESK_CLIENTS_LIB_AUDIT_CLIENT_H_
#define CXDESK_CLIENTS_LIB_AUDIT_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/lib/call_setup.h"
#include "cxdesk/audit/v1/audit_service.grpc.pb.h"

namespace cxdesk::clients {

// A thin StatusOr API over the AuditService stub that each of the ticket,
// SLA and escalation services serves for its own schema; the twin of
// SlaClient. Every call carries the staff token and a deadline of `timeout`;
// server errors come back with the server's code and message, transport
// failures as UNAVAILABLE or DEADLINE_EXCEEDED. Thread-safe.
class AuditClient {
 public:
  using StubInterface = ::cxdesk::audit::v1::AuditService::StubInterface;

  static constexpr absl::Duration kDefaultTimeout = CallSetup::kDefaultTimeout;

  // `stub` must not be null. A `timeout` that is not positive means
  // kDefaultTimeout.
  explicit AuditClient(std::shared_ptr<StubInterface> stub,
                       CallCredentials credentials = {},
                       absl::Duration timeout = kDefaultTimeout);

  // A client on an insecure channel to `target` ("host:port"), connected
  // lazily.
  static std::unique_ptr<AuditClient> Connect(
      const std::string& target, CallCredentials credentials,
      absl::Duration timeout = kDefaultTimeout);

  // See audit_service.proto for each contract.
  absl::StatusOr<audit::v1::AuditVerification> VerifyAuditTrail(
      const audit::v1::VerifyAuditTrailRequest& request);
  absl::StatusOr<audit::v1::ExportAuditRecordsResponse> ExportAuditRecords(
      const audit::v1::ExportAuditRecordsRequest& request);

 private:
  const std::shared_ptr<StubInterface> stub_;
  CallSetup setup_;
};

// Like DescribeSlaError, for an error from the audit service of the
// `service` ("ticket", "SLA", "escalation") at `target`: plain words and
// what to do. For OK returns "ok".
std::string DescribeAuditError(const absl::Status& status,
                               absl::string_view service,
                               absl::string_view target);

}  // namespace cxdesk::clients

#endif  // CXDESK_CLIENTS_LIB_AUDIT_CLIENT_H_
