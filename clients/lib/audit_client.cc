#include "clients/lib/audit_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "clients/common/error_words.h"

namespace cxdesk::clients {
namespace {

namespace v1 = ::cxdesk::audit::v1;

}  // namespace

AuditClient::AuditClient(std::shared_ptr<StubInterface> stub,
                         CallCredentials credentials, absl::Duration timeout)
    : stub_(std::move(stub)), setup_(std::move(credentials), timeout) {}

std::unique_ptr<AuditClient> AuditClient::Connect(const std::string& target,
                                                  CallCredentials credentials,
                                                  absl::Duration timeout) {
  std::shared_ptr<StubInterface> stub = v1::AuditService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  return std::make_unique<AuditClient>(std::move(stub), std::move(credentials),
                                       timeout);
}

absl::StatusOr<v1::AuditVerification> AuditClient::VerifyAuditTrail(
    const v1::VerifyAuditTrailRequest& request) {
  return setup_.Unary<v1::AuditVerification>(
      [&](grpc::ClientContext* context, v1::AuditVerification* response) {
        return stub_->VerifyAuditTrail(context, request, response);
      });
}

absl::StatusOr<v1::ExportAuditRecordsResponse> AuditClient::ExportAuditRecords(
    const v1::ExportAuditRecordsRequest& request) {
  return setup_.Unary<v1::ExportAuditRecordsResponse>(
      [&](grpc::ClientContext* context,
          v1::ExportAuditRecordsResponse* response) {
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
