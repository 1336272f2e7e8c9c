#ifndef CXDESK_SERVICES_SLA_POSTGRES_SLA_STORE_INTERNAL_H_
#define CXDESK_SERVICES_SLA_POSTGRES_SLA_STORE_INTERNAL_H_

// What the .cc files of PostgresSlaStore share (postgres_sla_store.cc,
// postgres_sla_config_store.cc, postgres_sla_reads.cc): the value encodings
// of the statements in queries/sla.sql and the readers of rows more than one of
// them reads. Include it from those files only.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/pg_values.h"
#include "services/sla/sla.h"

namespace cxdesk::sla::store_internal {

// "{1,NULL,3}": a bigint[] literal, NULL for nullopt.
std::string IntArray(const std::vector<std::optional<int64_t>>& values);
std::string IntArray(const std::vector<int64_t>& values);
// "{t,f}": a boolean[] literal.
std::string BoolArray(const std::vector<bool>& values);

// Neither InfinitePast nor InfiniteFuture.
bool Finite(absl::Time t);
// Microseconds since the epoch; nullopt (NULL) for an infinite instant.
std::optional<int64_t> MicrosOrNull(absl::Time t);
// Nanoseconds; nullopt (NULL) when absent.
std::optional<int64_t> NanosOrNull(const std::optional<absl::Duration>& d);
// The instant, InfiniteFuture for NULL.
absl::Time TimeOrInfinite(const std::optional<absl::Time>& t);
// The next column as nanoseconds; nullopt for NULL.
std::optional<absl::Duration> OptNanos(common::PgCols& c);

// The configuration revision (kReadRevision).
int64_t ReadRevision(pqxx::transaction_base& txn);
// A row of @ticket_row_columns@; errors of DecodeClocksState.
absl::StatusOr<StoredTicket> ReadTicketRow(const pqxx::row& row);

}  // namespace cxdesk::sla::store_internal

#endif  // CXDESK_SERVICES_SLA_POSTGRES_SLA_STORE_INTERNAL_H_
