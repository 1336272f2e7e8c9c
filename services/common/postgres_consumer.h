#ifndef CXDESK_SERVICES_COMMON_POSTGRES_CONSUMER_H_
#define CXDESK_SERVICES_COMMON_POSTGRES_CONSUMER_H_

// The PostgreSQL side of a common::StreamConsumer, written once: the
// consumer's lease (a session advisory lock, see postgres_lease.h) and its
// committed cursor. A service's store keeps its own advisory-lock space and
// its own cursor statement (its schema's consumer_cursors table) and
// forwards its TryAcquireLease / ReadCursor here, as the SLA and escalation
// stores do.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/postgres_pool.h"
#include "services/common/stream_consumer.h"

namespace cxdesk::common {

// The lease of consumer `key` in advisory-lock `space`, on a connection of
// its own to `pool`'s database: held until destroyed or its connection
// dies; nullptr if another session holds it; UNAVAILABLE if the database
// cannot be reached.
absl::StatusOr<std::unique_ptr<Lease>> TryAcquireConsumerLease(
    const PgPool& pool, int32_t space, int64_t key);

// The committed cursor of `consumer`, read with the prepared `statement`
// (parameter $1 the consumer, one text column, at most one row); "" if it
// has none yet. The pool's errors (UNAVAILABLE, DEADLINE_EXCEEDED, ...).
absl::StatusOr<std::string> ReadConsumerCursor(PgPool& pool,
                                               const char* statement,
                                               const std::string& consumer);

}  // namespace cxdesk::common

#endif  // CXDESK_SERVICES_COMMON_POSTGRES_CONSUMER_H_
