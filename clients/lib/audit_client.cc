#include "clients/lib/audit_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "clients/common/error_words.h"

namespace cxdesk::clients {
namespace {

namespace auditpb = ::cxdesk::audit::v1;

}  // namespace

AuditClient::AuditClient(std::shared_ptr<StubInterface> stub,
                         CallCredentials credentials, absl::Duration timeout)
    : stub_(std::move(stub)), setup_(std::move(credentials), timeout) {}

std::unique_ptr<AuditClient> AuditClient::Connect(const std::string& target,
                                                  CallCredentials credentials,
                                                  absl::Duration timeout) {
  std::shared_ptr<StubInterface> stub = auditpb::AuditService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  return std::make_unique<AuditClient>(std::move(stub), std::move(credentials),
                                       timeout);
}

absl::StatusOr<auditpb::AuditVerification> AuditClient::VerifyAuditTrail(
    const auditpb::VerifyAuditTrailRequest& request) {
  return setup_.Unary<auditpb::AuditVerification>(
      [&](grpc::ClientContext* context, auditpb::AuditVerification* response) {
        return stub_->VerifyAuditTrail(context, request, response);
      });
}

absl::StatusOr<auditpb::ExportAuditRecordsResponse>
AuditClient::ExportAuditRecords(
    const auditpb::ExportAuditRecordsRequest& request) {
  return setup_.Unary<auditpb::ExportAuditRecordsResponse>(
      [&](grpc::ClientContext* context,
          auditpb::ExportAuditRecordsResponse* response) {
        return stub_->ExportAuditRecords(context, request, response);
      });
}

std::string DescribeAuditError(const absl::Status& status,
                               absl::string_view service,
                               absl::string_view target) {
  return DescribeStatus(status, ErrorVoice::kAudit,
                        {std::string(service), std::string(target)});
}

}  // namespace cxdesk::clients
