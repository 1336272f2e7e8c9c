#ifndef CXDESK_SERVICES_ESCALATION_QUERIES_H_
#define CXDESK_SERVICES_ESCALATION_QUERIES_H_

// Every SQL statement of the escalation service, named and parameterised,
// prepared on each pooled connection. Times cross the wire as integer
// microseconds since the Unix epoch (common/pg_values.h).
//
// The statements are plain SQL in services/escalation/queries/*.sql, each
// headed `-- name: kFooBar`; the build embeds them
// (cmake/EmbedQueries.cmake) as services/escalation/queries_generated.h,
// which defines in cxdesk::escalation::queries one `NamedQuery kFooBar` per
// statement (prepared as "foo_bar", its comment the statement's contract)
// and All(), every one of them, for PgPool::Options::queries.
// tests/sql_text pins their text.

#include "services/common/pg_values.h"
#include "services/common/postgres_pool.h"
#include "services/escalation/queries_generated.h"

#endif  // CXDESK_SERVICES_ESCALATION_QUERIES_H_
