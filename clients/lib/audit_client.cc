#include "clients/lib/audit_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/strings/str_cat.h"

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
  const absl::string_view msg = status.message();
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return "ok";
    case absl::StatusCode::kUnavailable:
      return absl::StrCat("cannot reach the ", service, " service at ", target,
                          ": is it running?",
                          msg.empty() ? "" : absl::StrCat(" (", msg, ")"));
    case absl::StatusCode::kUnauthenticated:
      return absl::StrCat("the ", service,
                          " service did not accept your token: ", msg,
                          " (pass --token or set CXDESK_TOKEN)");
    case absl::StatusCode::kPermissionDenied:
      return absl::StrCat("not allowed for your role: ", msg,
                          " (the audit trail needs a manager token)");
    case absl::StatusCode::kUnimplemented:
      return absl::StrCat("the ", service, " service at ", target,
                          " has no audit trail (", msg,
                          "); is it an older version?");
    case absl::StatusCode::kDeadlineExceeded:
      return absl::StrCat("the ", service, " service at ", target,
                          " did not answer in time (", msg,
                          "); allow longer with --timeout");
    default:
      return absl::StrCat("the ", service, " service at ", target, ": ",
                          absl::StatusCodeToString(status.code()), ": ", msg);
  }
}

}  // namespace cxdesk::clients
