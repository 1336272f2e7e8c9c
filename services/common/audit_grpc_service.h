#ifndef CXDESK_SERVICES_COMMON_AUDIT_GRPC_SERVICE_H_
#define CXDESK_SERVICES_COMMON_AUDIT_GRPC_SERVICE_H_

#include <string>

#include "cxdesk/audit/v1/audit_service.grpc.pb.h"
#include "services/common/audit_store.h"
#include "services/common/clock.h"

namespace cxdesk::common {

// cxdesk.audit.v1.AuditService over one schema's AuditStore: managers only
// (UNAUTHENTICATED without a valid token, PERMISSION_DENIED for other
// roles); INVALID_ARGUMENT ("stream: ...") for a stream the schema does not
// have, ("page_size: ...", "page_token: ...", "end_time: ...") for a bad
// page or window. Every hash is recomputed here (VerifyAuditStream), never
// taken from the database. Thread-safe if the store is.
class AuditGrpcService final
    : public ::cxdesk::audit::v1::AuditService::Service {
 public:
  // `store` and `clock` must outlive the service; `token_secret` verifies
  // bearer tokens.
  AuditGrpcService(AuditStore& store, const Clock& clock,
                   std::string token_secret);

  grpc::Status VerifyAuditTrail(
      grpc::ServerContext* context,
      const ::cxdesk::audit::v1::VerifyAuditTrailRequest* request,
      ::cxdesk::audit::v1::AuditVerification* response) override;
  grpc::Status ExportAuditRecords(
      grpc::ServerContext* context,
      const ::cxdesk::audit::v1::ExportAuditRecordsRequest* request,
      ::cxdesk::audit::v1::ExportAuditRecordsResponse* response) override;

 private:
  AuditStore& store_;
  const Clock& clock_;
  const std::string token_secret_;
};

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_AUDIT_GRPC_SERVICE_H_
