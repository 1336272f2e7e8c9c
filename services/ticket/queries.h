#ifndef CXDESK_SERVICES_TICKET_QUERIES_H_
#define CXDESK_SERVICES_TICKET_QUERIES_H_

// Every SQL statement of the ticket service, named and parameterised. They
// are prepared on each pooled connection. Times cross the wire as integer
// microseconds since the Unix epoch (common/pg_values.h).

#include <vector>

#include "services/common/pg_values.h"
#include "services/common/postgres_pool.h"

namespace cxdesk::ticket::queries {

using ::cxdesk::common::NamedQuery;

// The ticket columns, in the order ReadTicket expects.
#define CXDESK_TICKET_COLUMNS \
  "t.id, t.subject, t.description, t.kind, t.cx_level, t.priority, "          \
  "t.channel, t.status, t.customer_id, c.email, c.name, "                     \
  "array_to_string(t.tags, ','), t.assignee, t.team, " CXDESK_US(             \
      "t.created_at") ", " CXDESK_US("t.updated_at") ", " CXDESK_US(          \
      "t.solved_at") ", t.rating_score, t.rating_comment, " CXDESK_US(        \
      "t.rated_at") ", t.version, t.access_key_hash "

#define CXDESK_TICKET_FROM \
  " FROM ticket.tickets t JOIN ticket.customers c ON c.id = t.customer_id "

// The snapshot columns of an event row `alias`, in the order ReadSnapshot
// expects.
#define CXDESK_SNAPSHOT_COLUMNS(a)                                   \
  a ".ticket_version, " a ".subject, " a ".kind, " a ".cx_level, " a \
    ".priority, " a ".channel, " a ".status, array_to_string(" a     \
    ".tags, ','), " a ".assignee, " a ".team, " CXDESK_US(           \
        a ".solved_at") ", " a ".rating_score, " CXDESK_US(a ".updated_at")

// Event columns, in the order ReadEvent expects.
#define CXDESK_EVENT_SELECT \
  "SELECT e.id, e.xid::text, e.ticket_id, e.type, e.actor, e.actor_role, "   \
  "e.reason, " CXDESK_US("e.created_at") ", " CXDESK_SNAPSHOT_COLUMNS(       \
      "e") ", t.customer_id, cu.email, " CXDESK_US(                          \
      "t.created_at") ", p.id IS NOT NULL, " CXDESK_SNAPSHOT_COLUMNS("p")    \
      ", cm.id, cm.visibility, cm.body, cm.author, cm.author_role, " CXDESK_US( \
          "cm.created_at")                                                   \
      " FROM ticket.events e"                                                \
      " JOIN ticket.tickets t ON t.id = e.ticket_id"                         \
      " JOIN ticket.customers cu ON cu.id = t.customer_id"                   \
      " LEFT JOIN ticket.events p ON p.ticket_id = e.ticket_id"              \
      "   AND p.ticket_version = e.ticket_version - 1"                       \
      " LEFT JOIN ticket.comments cm ON cm.id = e.comment_id "

// Finds the customer by e-mail (or creates it), inserts the ticket and its
// created event: one statement, so it needs no explicit transaction. An
// existing customer row is only read, never rewritten, so concurrent tickets
// of one customer do not queue on its row. Returns no row when request_id
// ($12) was used before, or when a concurrent statement created the same new
// customer first (then run it again: it will find that customer).
// $1 email, $2 name, $3 time, $4 subject, $5 description, $6 kind,
// $7 cx_level, $8 priority, $9 channel, $10 tags, $11 key hash,
// $12 request_id, $13 actor, $14 actor role.
inline constexpr NamedQuery kCreateTicket = {
    "create_ticket",
    "WITH found AS ("
    "  SELECT id, name FROM ticket.customers WHERE email = $1),"
    " added AS ("
    "  INSERT INTO ticket.customers (email, name, created_at)"
    "  SELECT $1, $2, " CXDESK_TS("$3") " WHERE NOT EXISTS (SELECT 1 FROM found)"
    "  ON CONFLICT ON CONSTRAINT customers_email_uq DO NOTHING"
    "  RETURNING id, name),"
    " cust AS (SELECT id, name FROM found UNION ALL SELECT id, name FROM added),"
    " tick AS ("
    "  INSERT INTO ticket.tickets (subject, description, kind, cx_level,"
    "    priority, channel, status, customer_id, tags, created_at, updated_at,"
    "    access_key_hash, request_id)"
    "  SELECT $4, $5, $6, $7, $8, $9, 'new', cust.id, $10::text[], "
    CXDESK_TS("$3") ", " CXDESK_TS("$3") ", $11, $12 FROM cust"
    "  ON CONFLICT ON CONSTRAINT tickets_request_id_uq DO NOTHING"
    "  RETURNING *),"
    " ev AS ("
    "  INSERT INTO ticket.events (ticket_id, ticket_version, type, actor,"
    "    actor_role, created_at, subject, kind, cx_level, priority, channel,"
    "    status, tags, assignee, team, updated_at)"
    "  SELECT id, version, 'created', $13, $14, created_at, subject, kind,"
    "    cx_level, priority, channel, status, tags, assignee, team, updated_at"
    "  FROM tick RETURNING id)"
    " SELECT tick.id, cust.id, cust.name"
    " FROM tick, cust, ev"};

// The ticket created earlier with request id $1.
inline constexpr NamedQuery kTicketByRequestId = {
    "ticket_by_request_id", "SELECT " CXDESK_TICKET_COLUMNS CXDESK_TICKET_FROM
                            "WHERE t.request_id = $1"};

inline constexpr NamedQuery kGetTicket = {
    "get_ticket",
    "SELECT " CXDESK_TICKET_COLUMNS CXDESK_TICKET_FROM "WHERE t.id = $1"};

inline constexpr NamedQuery kTicketExists = {
    "ticket_exists", "SELECT 1 FROM ticket.tickets WHERE id = $1"};

// Must be the first statement of every transaction that changes a ticket.
// The advisory lock is taken before the transaction has an id (waiting for
// it assigns none), so the writer that gets it next takes its transaction id
// only after the previous writer of the ticket committed: the ticket's
// events are in (xid, id) order. A row lock alone does not do that: a
// transaction blocked on SELECT ... FOR UPDATE already holds its id.
inline constexpr NamedQuery kSerializeTicket = {
    "serialize_ticket",
    "SELECT pg_advisory_xact_lock(1, ($1::bigint % 2147483647)::int)"};

// The ticket under lock, right after kSerializeTicket.
inline constexpr NamedQuery kLockTicket = {
    "lock_ticket", "SELECT " CXDESK_TICKET_COLUMNS CXDESK_TICKET_FROM
                   "WHERE t.id = $1 FOR UPDATE OF t"};

// $1 statuses (text[] or NULL), $2 priority, $3 kind, $4 cx_level,
// $5 assignee, $6 team, $7 customer email, $8 tag, $9 created after (us),
// $10 created before (us), $11 unassigned only, $12 order, $13 limit,
// $14 offset. NULL filters do not filter.
inline constexpr NamedQuery kListTickets = {
    "list_tickets",
    "SELECT " CXDESK_TICKET_COLUMNS CXDESK_TICKET_FROM
    "WHERE ($1::text[] IS NULL OR t.status = ANY ($1::text[]))"
    "  AND ($2::text IS NULL OR t.priority = $2)"
    "  AND ($3::text IS NULL OR t.kind = $3)"
    "  AND ($4::text IS NULL OR t.cx_level = $4)"
    "  AND ($5::text IS NULL OR t.assignee = $5)"
    "  AND ($6::text IS NULL OR t.team = $6)"
    "  AND ($7::text IS NULL OR c.email = $7)"
    "  AND ($8::text IS NULL OR t.tags @> ARRAY[$8::text])"
    "  AND ($9::bigint IS NULL OR t.created_at >= " CXDESK_TS("$9") ")"
    "  AND ($10::bigint IS NULL OR t.created_at < " CXDESK_TS("$10") ")"
    "  AND (NOT $11::boolean OR t.assignee = '')"
    " ORDER BY"
    "  CASE WHEN $12 = 'priority desc' THEN array_position("
    "    ARRAY['low', 'normal', 'high', 'urgent'], t.priority) END DESC,"
    "  CASE WHEN $12 = 'update_time desc' THEN t.updated_at END DESC,"
    "  CASE WHEN $12 = 'create_time' THEN t.created_at END ASC,"
    "  CASE WHEN $12 = 'create_time' THEN t.id END ASC,"
    "  t.created_at DESC, t.id DESC"
    " LIMIT $13 OFFSET $14"};

// $1 ticket, $2 visibility, $3 body, $4 author, $5 author role, $6 time.
inline constexpr NamedQuery kInsertComment = {
    "insert_comment",
    "INSERT INTO ticket.comments (ticket_id, visibility, body, author,"
    " author_role, created_at) VALUES ($1, $2, $3, $4, $5, " CXDESK_TS(
        "$6") ") RETURNING id"};

// Applies a change and appends its event in one statement.
// $1 id, $2 subject, $3 description, $4 kind, $5 cx_level, $6 priority,
// $7 channel, $8 status, $9 tags, $10 assignee, $11 team, $12 solved at,
// $13 rating score, $14 rating comment, $15 rated at, $16 time,
// $17 event type, $18 actor, $19 actor role, $20 reason, $21 comment id.
inline constexpr NamedQuery kUpdateTicket = {
    "update_ticket",
    "WITH upd AS ("
    "  UPDATE ticket.tickets SET subject = $2, description = $3, kind = $4,"
    "    cx_level = $5, priority = $6, channel = $7, status = $8,"
    "    tags = $9::text[], assignee = $10, team = $11,"
    "    solved_at = " CXDESK_TS("$12") ", rating_score = $13,"
    "    rating_comment = $14, rated_at = " CXDESK_TS("$15") ","
    "    updated_at = " CXDESK_TS("$16") ", version = version + 1"
    "  WHERE id = $1 RETURNING *),"
    " ev AS ("
    "  INSERT INTO ticket.events (ticket_id, ticket_version, type, actor,"
    "    actor_role, reason, comment_id, created_at, subject, kind, cx_level,"
    "    priority, channel, status, tags, assignee, team, solved_at,"
    "    rating_score, updated_at)"
    "  SELECT id, version, $17, $18, $19, $20, $21, updated_at, subject, kind,"
    "    cx_level, priority, channel, status, tags, assignee, team, solved_at,"
    "    rating_score, updated_at FROM upd RETURNING id)"
    " SELECT upd.version FROM upd, ev"};

// The use of request id $1: its ticket, then the comment it added in the
// columns ReadComment expects (all NULL when it added none).
inline constexpr NamedQuery kFindRequestId = {
    "find_request_id",
    "SELECT r.ticket_id, c.id, c.ticket_id, c.visibility, c.body, c.author,"
    " c.author_role, " CXDESK_US("c.created_at") " FROM ticket.request_ids r"
    " LEFT JOIN ticket.comments c ON c.id = r.comment_id"
    " WHERE r.request_id = $1"};

// $1 request id, $2 ticket, $3 time, $4 comment added (or NULL).
inline constexpr NamedQuery kInsertRequestId = {
    "insert_request_id",
    "INSERT INTO ticket.request_ids (request_id, ticket_id, created_at,"
    " comment_id) VALUES ($1, $2, " CXDESK_TS("$3") ", $4)"};

// $1 ticket, $2 include internal notes, $3 after id, $4 limit.
inline constexpr NamedQuery kListComments = {
    "list_comments",
    "SELECT id, ticket_id, visibility, body, author, author_role, " CXDESK_US(
        "created_at") " FROM ticket.comments"
                      " WHERE ticket_id = $1 AND ($2 OR visibility = 'public')"
                      "   AND id > $3 ORDER BY id LIMIT $4"};

// $1 ticket, $2 after version, $3 limit.
inline constexpr NamedQuery kListTicketEvents = {
    "list_ticket_events", CXDESK_EVENT_SELECT
    "WHERE e.ticket_id = $1 AND e.ticket_version > $2"
    " ORDER BY e.ticket_version LIMIT $3"};

// The stream: events after ($1 xid, $2 id) whose transactions have all
// ended (below the oldest running transaction), in (xid, id) order.
inline constexpr NamedQuery kReadEvents = {
    "read_events", CXDESK_EVENT_SELECT
    "WHERE (e.xid, e.id) > ($1::xid8, $2::bigint)"
    "  AND e.xid < pg_snapshot_xmin(pg_current_snapshot())"
    " ORDER BY e.xid, e.id LIMIT $3"};

// The last event a reader of kReadEvents can get now (none: no row).
inline constexpr NamedQuery kLatestEventCursor = {
    "latest_event_cursor",
    "SELECT e.xid::text, e.id FROM ticket.events e"
    " WHERE e.xid < pg_snapshot_xmin(pg_current_snapshot())"
    " ORDER BY e.xid DESC, e.id DESC LIMIT 1"};

// Whether committed events wait behind a transaction still running.
inline constexpr NamedQuery kEventsHeldBack = {
    "events_held_back",
    "SELECT EXISTS (SELECT 1 FROM ticket.events"
    " WHERE xid >= pg_snapshot_xmin(pg_current_snapshot()))"};

inline const std::vector<NamedQuery>& All() {
  static const auto* all = new std::vector<NamedQuery>{
      kCreateTicket,     kTicketByRequestId, kGetTicket,
      kTicketExists,     kSerializeTicket,   kLockTicket,
      kListTickets,      kInsertComment,     kUpdateTicket,
      kFindRequestId,    kInsertRequestId,   kListComments,
      kListTicketEvents, kReadEvents,        kEventsHeldBack,
      kLatestEventCursor};
  return *all;
}

}  // namespace cxdesk::ticket::queries

#endif  // CXDESK_SERVICES_TICKET_QUERIES_H_
