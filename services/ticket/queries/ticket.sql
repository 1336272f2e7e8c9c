-- Every SQL statement of the ticket service, named and parameterised
-- (services/ticket/queries.h says how they reach C++). They are prepared on
-- each pooled connection. Times cross the wire as integer microseconds since
-- the Unix epoch (common/pg_values.h): a column c is read as
-- (extract(epoch FROM c) * 1000000)::bigint, a parameter $n is written as
-- ('epoch'::timestamptz + ($n)::bigint * interval '1 microsecond').

-- fragment: ticket_columns
-- The ticket columns, in the order ReadTicket expects.
t.id, t.subject, t.description, t.kind, t.cx_level, t.priority, t.channel,
t.status, t.customer_id, c.email, c.name, array_to_string(t.tags, ','),
t.assignee, t.team, (extract(epoch FROM t.created_at) * 1000000)::bigint,
(extract(epoch FROM t.updated_at) * 1000000)::bigint,
(extract(epoch FROM t.solved_at) * 1000000)::bigint, t.rating_score,
t.rating_comment, (extract(epoch FROM t.rated_at) * 1000000)::bigint,
t.version, t.access_key_hash

-- fragment: ticket_from
FROM ticket.tickets t JOIN ticket.customers c ON c.id = t.customer_id

-- fragment: event_select
-- Event columns, in the order ReadEvent expects: the event, its snapshot
-- (e), the ticket's customer, the previous event's snapshot (p) and the
-- comment. A snapshot is read by ReadSnapshot.
SELECT e.id, e.xid::text, e.ticket_id, e.type, e.actor, e.actor_role,
  e.reason, (extract(epoch FROM e.created_at) * 1000000)::bigint,
  e.ticket_version, e.subject, e.kind, e.cx_level, e.priority, e.channel,
  e.status, array_to_string(e.tags, ','), e.assignee, e.team,
  (extract(epoch FROM e.solved_at) * 1000000)::bigint, e.rating_score,
  (extract(epoch FROM e.updated_at) * 1000000)::bigint,
  t.customer_id, cu.email,
  (extract(epoch FROM t.created_at) * 1000000)::bigint,
  p.id IS NOT NULL,
  p.ticket_version, p.subject, p.kind, p.cx_level, p.priority, p.channel,
  p.status, array_to_string(p.tags, ','), p.assignee, p.team,
  (extract(epoch FROM p.solved_at) * 1000000)::bigint, p.rating_score,
  (extract(epoch FROM p.updated_at) * 1000000)::bigint,
  cm.id, cm.visibility, cm.body, cm.author, cm.author_role,
  (extract(epoch FROM cm.created_at) * 1000000)::bigint
FROM ticket.events e
JOIN ticket.tickets t ON t.id = e.ticket_id
JOIN ticket.customers cu ON cu.id = t.customer_id
LEFT JOIN ticket.events p ON p.ticket_id = e.ticket_id
  AND p.ticket_version = e.ticket_version - 1
LEFT JOIN ticket.comments cm ON cm.id = e.comment_id

-- name: kCreateTicket
-- Finds the customer by e-mail (or creates it), inserts the ticket and its
-- created event: one statement, so it needs no explicit transaction. An
-- existing customer row is only read, never rewritten, so concurrent tickets
-- of one customer do not queue on its row. Returns no row when request_id
-- ($12) was used before, or when a concurrent statement created the same new
-- customer first (then run it again: it will find that customer).
-- $1 email, $2 name, $3 time, $4 subject, $5 description, $6 kind,
-- $7 cx_level, $8 priority, $9 channel, $10 tags, $11 key hash,
-- $12 request_id, $13 actor, $14 actor role.
WITH found AS (
  SELECT id, name FROM ticket.customers WHERE email = $1),
added AS (
  INSERT INTO ticket.customers (email, name, created_at)
  SELECT $1, $2,
    ('epoch'::timestamptz + ($3)::bigint * interval '1 microsecond')
  WHERE NOT EXISTS (SELECT 1 FROM found)
  ON CONFLICT ON CONSTRAINT customers_email_uq DO NOTHING
  RETURNING id, name),
cust AS (SELECT id, name FROM found UNION ALL SELECT id, name FROM added),
tick AS (
  INSERT INTO ticket.tickets (subject, description, kind, cx_level,
    priority, channel, status, customer_id, tags, created_at, updated_at,
    access_key_hash, request_id)
  SELECT $4, $5, $6, $7, $8, $9, 'new', cust.id, $10::text[],
    ('epoch'::timestamptz + ($3)::bigint * interval '1 microsecond'),
    ('epoch'::timestamptz + ($3)::bigint * interval '1 microsecond'),
    $11, $12 FROM cust
  ON CONFLICT ON CONSTRAINT tickets_request_id_uq DO NOTHING
  RETURNING *),
ev AS (
  INSERT INTO ticket.events (ticket_id, ticket_version, type, actor,
    actor_role, created_at, subject, kind, cx_level, priority, channel,
    status, tags, assignee, team, updated_at)
  SELECT id, version, 'created', $13, $14, created_at, subject, kind,
    cx_level, priority, channel, status, tags, assignee, team, updated_at
  FROM tick RETURNING id)
SELECT tick.id, cust.id, cust.name
FROM tick, cust, ev

-- name: kTicketByRequestId
-- The ticket created earlier with request id $1.
SELECT @ticket_columns@
@ticket_from@
WHERE t.request_id = $1

-- name: kGetTicket
SELECT @ticket_columns@
@ticket_from@
WHERE t.id = $1

-- name: kTicketExists
SELECT 1 FROM ticket.tickets WHERE id = $1

-- name: kSerializeTicket
-- Must be the first statement of every transaction that changes a ticket.
-- The advisory lock is taken before the transaction has an id (waiting for
-- it assigns none), so the writer that gets it next takes its transaction id
-- only after the previous writer of the ticket committed: the ticket's
-- events are in (xid, id) order. A row lock alone does not do that: a
-- transaction blocked on SELECT ... FOR UPDATE already holds its id.
SELECT pg_advisory_xact_lock(1, ($1::bigint % 2147483647)::int)

-- name: kLockTicket
-- The ticket under lock, right after kSerializeTicket.
SELECT @ticket_columns@
@ticket_from@
WHERE t.id = $1 FOR UPDATE OF t

-- name: kListTickets
-- $1 statuses (text[] or NULL), $2 priority, $3 kind, $4 cx_level,
-- $5 assignee, $6 team, $7 customer email, $8 tag, $9 created after (us),
-- $10 created before (us), $11 unassigned only, $12 order, $13 limit,
-- $14 offset. NULL filters do not filter.
SELECT @ticket_columns@
@ticket_from@
WHERE ($1::text[] IS NULL OR t.status = ANY ($1::text[]))
  AND ($2::text IS NULL OR t.priority = $2)
  AND ($3::text IS NULL OR t.kind = $3)
  AND ($4::text IS NULL OR t.cx_level = $4)
  AND ($5::text IS NULL OR t.assignee = $5)
  AND ($6::text IS NULL OR t.team = $6)
  AND ($7::text IS NULL OR c.email = $7)
  AND ($8::text IS NULL OR t.tags @> ARRAY[$8::text])
  AND ($9::bigint IS NULL OR t.created_at >=
       ('epoch'::timestamptz + ($9)::bigint * interval '1 microsecond'))
  AND ($10::bigint IS NULL OR t.created_at <
       ('epoch'::timestamptz + ($10)::bigint * interval '1 microsecond'))
  AND (NOT $11::boolean OR t.assignee = '')
ORDER BY
  CASE WHEN $12 = 'priority desc' THEN array_position(
    ARRAY['low', 'normal', 'high', 'urgent'], t.priority) END DESC,
  CASE WHEN $12 = 'update_time desc' THEN t.updated_at END DESC,
  CASE WHEN $12 = 'create_time' THEN t.created_at END ASC,
  CASE WHEN $12 = 'create_time' THEN t.id END ASC,
  t.created_at DESC, t.id DESC
LIMIT $13 OFFSET $14

-- name: kInsertComment
-- $1 ticket, $2 visibility, $3 body, $4 author, $5 author role, $6 time.
INSERT INTO ticket.comments (ticket_id, visibility, body, author,
  author_role, created_at)
VALUES ($1, $2, $3, $4, $5,
  ('epoch'::timestamptz + ($6)::bigint * interval '1 microsecond'))
RETURNING id

-- name: kUpdateTicket
-- Applies a change and appends its event in one statement.
-- $1 id, $2 subject, $3 description, $4 kind, $5 cx_level, $6 priority,
-- $7 channel, $8 status, $9 tags, $10 assignee, $11 team, $12 solved at,
-- $13 rating score, $14 rating comment, $15 rated at, $16 time,
-- $17 event type, $18 actor, $19 actor role, $20 reason, $21 comment id.
WITH upd AS (
  UPDATE ticket.tickets SET subject = $2, description = $3, kind = $4,
    cx_level = $5, priority = $6, channel = $7, status = $8,
    tags = $9::text[], assignee = $10, team = $11,
    solved_at =
      ('epoch'::timestamptz + ($12)::bigint * interval '1 microsecond'),
    rating_score = $13, rating_comment = $14,
    rated_at =
      ('epoch'::timestamptz + ($15)::bigint * interval '1 microsecond'),
    updated_at =
      ('epoch'::timestamptz + ($16)::bigint * interval '1 microsecond'),
    version = version + 1
  WHERE id = $1 RETURNING *),
ev AS (
  INSERT INTO ticket.events (ticket_id, ticket_version, type, actor,
    actor_role, reason, comment_id, created_at, subject, kind, cx_level,
    priority, channel, status, tags, assignee, team, solved_at,
    rating_score, updated_at)
  SELECT id, version, $17, $18, $19, $20, $21, updated_at, subject, kind,
    cx_level, priority, channel, status, tags, assignee, team, solved_at,
    rating_score, updated_at FROM upd RETURNING id)
SELECT upd.version FROM upd, ev

-- name: kFindRequestId
-- The use of request id $1: its ticket, then the comment it added in the
-- columns ReadComment expects (all NULL when it added none).
SELECT r.ticket_id, c.id, c.ticket_id, c.visibility, c.body, c.author,
  c.author_role, (extract(epoch FROM c.created_at) * 1000000)::bigint
FROM ticket.request_ids r
LEFT JOIN ticket.comments c ON c.id = r.comment_id
WHERE r.request_id = $1

-- name: kInsertRequestId
-- $1 request id, $2 ticket, $3 time, $4 comment added (or NULL).
INSERT INTO ticket.request_ids (request_id, ticket_id, created_at,
  comment_id)
VALUES ($1, $2,
  ('epoch'::timestamptz + ($3)::bigint * interval '1 microsecond'), $4)

-- name: kListComments
-- $1 ticket, $2 include internal notes, $3 after id, $4 limit.
SELECT id, ticket_id, visibility, body, author, author_role,
  (extract(epoch FROM created_at) * 1000000)::bigint
FROM ticket.comments
WHERE ticket_id = $1 AND ($2 OR visibility = 'public')
  AND id > $3
ORDER BY id LIMIT $4

-- name: kListTicketEvents
-- $1 ticket, $2 after version, $3 limit.
@event_select@
WHERE e.ticket_id = $1 AND e.ticket_version > $2
ORDER BY e.ticket_version LIMIT $3

-- name: kReadEvents
-- The stream: events after ($1 xid, $2 id) whose transactions have all
-- ended (below the oldest running transaction), in (xid, id) order.
@event_select@
WHERE (e.xid, e.id) > ($1::xid8, $2::bigint)
  AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY e.xid, e.id LIMIT $3

-- name: kEventsHeldBack
-- Whether committed events wait behind a transaction still running.
SELECT EXISTS (SELECT 1 FROM ticket.events
  WHERE xid >= pg_snapshot_xmin(pg_current_snapshot()))

-- name: kLatestEventCursor
-- The last event a reader of kReadEvents can get now (none: no row).
SELECT e.xid::text, e.id FROM ticket.events e
WHERE e.xid < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY e.xid DESC, e.id DESC LIMIT 1
