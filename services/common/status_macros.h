#ifndef CXDESK_SERVICES_COMMON_STATUS_MACROS_H_
#define CXDESK_SERVICES_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define CXDESK_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::absl::Status cxdesk_status_ = (expr);          \
    if (!cxdesk_status_.ok()) return cxdesk_status_; \
  } while (false)

#define CXDESK_STATUS_CONCAT_INNER_(a, b) a##b
#define CXDESK_STATUS_CONCAT_(a, b) CXDESK_STATUS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise moves the value into `lhs` (which may be a declaration).
#define CXDESK_ASSIGN_OR_RETURN(lhs, rexpr) \
  CXDESK_ASSIGN_OR_RETURN_IMPL_(            \
      CXDESK_STATUS_CONCAT_(cxdesk_statusor_, __LINE__), lhs, rexpr)
#define CXDESK_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()

#endif  // CXDESK_SERVICES_COMMON_STATUS_MACROS_H_
