-- Every SQL statement of the SLA service, named and parameterised
-- (services/sla/queries.h says how they reach C++). They are prepared on
-- each pooled connection. Times cross the wire as integer microseconds since
-- the Unix epoch (common/pg_values.h): a column c is read as
-- (extract(epoch FROM c) * 1000000)::bigint, a parameter $n is written as
-- ('epoch'::timestamptz + ($n)::bigint * interval '1 microsecond').
-- Instants that must be exact to the nanosecond (timer due times, change
-- times) also cross as *_ns integers. Batches are passed as arrays and
-- expanded with unnest, so a batch of any size is one round trip.

-- ---- configuration ----

-- name: kBumpRevision
UPDATE sla.config_revision SET revision = revision + 1 WHERE id = 1

-- name: kReadRevision
SELECT revision FROM sla.config_revision WHERE id = 1

-- fragment: calendar_columns
calendar_id, time_zone, description, version,
(extract(epoch FROM created_at) * 1000000)::bigint,
(extract(epoch FROM updated_at) * 1000000)::bigint

-- name: kInsertCalendar
INSERT INTO sla.calendars (calendar_id, time_zone, description, version,
  created_at, updated_at)
VALUES ($1, $2, $3, 1,
  ('epoch'::timestamptz + ($4)::bigint * interval '1 microsecond'),
  ('epoch'::timestamptz + ($4)::bigint * interval '1 microsecond'))

-- name: kLockCalendar
SELECT version FROM sla.calendars WHERE calendar_id = $1 FOR UPDATE

-- name: kUpdateCalendar
UPDATE sla.calendars SET time_zone = $2, description = $3,
  version = version + 1,
  updated_at = ('epoch'::timestamptz + ($4)::bigint * interval '1 microsecond')
WHERE calendar_id = $1

-- name: kDeleteCalendarHours
DELETE FROM sla.calendar_hours WHERE calendar_id = $1

-- name: kDeleteCalendarHolidays
DELETE FROM sla.calendar_holidays WHERE calendar_id = $1

-- name: kInsertCalendarHours
-- $2..$4: parallel arrays of weekday (1 = Monday), start and end minute.
INSERT INTO sla.calendar_hours (calendar_id, weekday, start_minute,
  end_minute)
SELECT $1, w, s, e FROM unnest($2::smallint[], $3::smallint[],
  $4::smallint[]) AS u (w, s, e)

-- name: kInsertCalendarHolidays
-- $2..$4: parallel arrays of date, yearly, title.
INSERT INTO sla.calendar_holidays (calendar_id, day, yearly, title)
SELECT $1, d, y, t FROM unnest($2::date[], $3::boolean[], $4::text[])
  AS u (d, y, t)

-- name: kGetCalendar
SELECT @calendar_columns@
FROM sla.calendars WHERE calendar_id = $1

-- name: kListCalendars
SELECT @calendar_columns@
FROM sla.calendars
ORDER BY calendar_id OFFSET $1 LIMIT $2

-- name: kAllCalendars
SELECT @calendar_columns@
FROM sla.calendars ORDER BY calendar_id

-- name: kCalendarHours
SELECT calendar_id, weekday, start_minute, end_minute
FROM sla.calendar_hours WHERE calendar_id = ANY ($1::text[])
ORDER BY calendar_id, weekday, start_minute

-- name: kCalendarHolidays
SELECT calendar_id, to_char(day, 'YYYY-MM-DD'), yearly, title
FROM sla.calendar_holidays WHERE calendar_id = ANY ($1::text[])
ORDER BY calendar_id, day

-- name: kCalendarInUse
-- Whether a policy target or an open clock still measures on the calendar.
SELECT EXISTS (SELECT 1 FROM sla.policy_targets WHERE calendar_id = $1),
  EXISTS (SELECT 1 FROM sla.measurements WHERE calendar_id = $1
          AND state IN ('running', 'paused'))

-- name: kDeleteCalendar
DELETE FROM sla.calendars WHERE calendar_id = $1

-- fragment: policy_columns
policy_id, position, is_default, priorities, kinds, cx_levels, channels,
tags_any, customer_emails, pause_statuses, reopen_restarts_resolution,
description, version, (extract(epoch FROM created_at) * 1000000)::bigint,
(extract(epoch FROM updated_at) * 1000000)::bigint

-- name: kInsertPolicy
INSERT INTO sla.policies (policy_id, position, is_default, priorities,
  kinds, cx_levels, channels, tags_any, customer_emails, pause_statuses,
  reopen_restarts_resolution, description, version, created_at,
  updated_at)
VALUES ($1, $2, $3, $4::text[], $5::text[], $6::text[], $7::text[],
  $8::text[], $9::text[], $10::text[], $11, $12, 1,
  ('epoch'::timestamptz + ($13)::bigint * interval '1 microsecond'),
  ('epoch'::timestamptz + ($13)::bigint * interval '1 microsecond'))

-- name: kLockPolicy
SELECT version FROM sla.policies WHERE policy_id = $1 FOR UPDATE

-- name: kUpdatePolicy
UPDATE sla.policies SET position = $2, is_default = $3,
  priorities = $4::text[], kinds = $5::text[], cx_levels = $6::text[],
  channels = $7::text[], tags_any = $8::text[],
  customer_emails = $9::text[], pause_statuses = $10::text[],
  reopen_restarts_resolution = $11, description = $12,
  version = version + 1,
  updated_at = ('epoch'::timestamptz + ($13)::bigint * interval '1 microsecond')
WHERE policy_id = $1

-- name: kOtherDefaultPolicy
-- The current default policy other than $1, if any.
SELECT policy_id FROM sla.policies WHERE is_default AND policy_id <> $1

-- name: kDeletePolicyTargets
DELETE FROM sla.policy_targets WHERE policy_id = $1

-- name: kInsertPolicyTargets
-- $2..$6: parallel arrays of priority, metric, target_ns, calendar_id and
-- the warnings, space-separated ("minutes_before:30 percent_elapsed:75").
INSERT INTO sla.policy_targets (policy_id, priority, metric, target_ns,
  calendar_id, warnings)
SELECT $1, p, m, t, c, string_to_array(w, ' ')
FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[],
  $6::text[]) AS u (p, m, t, c, w)

-- name: kGetPolicy
SELECT @policy_columns@
FROM sla.policies WHERE policy_id = $1

-- name: kListPolicies
-- The order policies are tried in; the default last.
SELECT @policy_columns@
FROM sla.policies
ORDER BY is_default, position, policy_id
OFFSET $1 LIMIT $2

-- name: kPolicyTargets
SELECT policy_id, priority, metric, target_ns, calendar_id, warnings
FROM sla.policy_targets WHERE policy_id = ANY ($1::text[])
ORDER BY policy_id, priority, metric

-- name: kDeletePolicy
DELETE FROM sla.policies WHERE policy_id = $1

-- ---- clocks ----

-- name: kLockTicketKeys
-- Serialises every writer of one ticket's SLA rows (the consumer and the
-- timer replicas) BEFORE the transaction takes an xid, so the xid order of
-- a ticket's ledger events is the order they were written in (see the
-- ticket service's kLockTicket). $1: the tickets of a batch, sorted, locked
-- in that order.
SELECT pg_advisory_xact_lock(2, (t % 2147483648)::integer)
FROM unnest($1::bigint[]) WITH ORDINALITY AS u (t, n) ORDER BY n

-- name: kInsertChanges
-- Parallel arrays, one element per ticket event (tags joined by commas,
-- which tags cannot contain); returns the events not recorded before.
INSERT INTO sla.ticket_changes (ticket_event_id, ticket_id, at, at_ns,
  change_kind, actor, reason, status, priority, ticket_kind, cx_level,
  channel, tags, customer_email, team, assignee, csat)
SELECT u.e, u.t,
  ('epoch'::timestamptz + (u.ns / 1000)::bigint * interval '1 microsecond'),
  u.ns, u.k, u.a, u.r, u.s, u.p, u.tk, u.cx, u.ch,
  string_to_array(u.tags, ','), u.em, u.tm, u.asg, u.cs
FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[],
  $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
  $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
  $15::text[], $16::smallint[])
  AS u (e, t, ns, k, a, r, s, p, tk, cx, ch, tags, em, tm, asg, cs)
ON CONFLICT (ticket_event_id) DO NOTHING RETURNING ticket_event_id

-- fragment: ticket_row_columns
ticket_id, policy_id, status, team, assignee, csat, encode(state, 'hex'),
last_event_id, (extract(epoch FROM created_at) * 1000000)::bigint,
(extract(epoch FROM updated_at) * 1000000)::bigint

-- name: kGetTicketRow
SELECT @ticket_row_columns@
FROM sla.tickets WHERE ticket_id = $1

-- name: kGetTicketRows
SELECT @ticket_row_columns@
FROM sla.tickets WHERE ticket_id = ANY ($1::bigint[])

-- name: kUpsertTicket
-- $1..$10 as the columns kGetTicketRow reads (state hex-encoded).
INSERT INTO sla.tickets (ticket_id, policy_id, status, team, assignee,
  csat, state, last_event_id, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, decode($7, 'hex'), $8,
  ('epoch'::timestamptz + ($9)::bigint * interval '1 microsecond'),
  ('epoch'::timestamptz + ($10)::bigint * interval '1 microsecond'))
ON CONFLICT (ticket_id) DO UPDATE SET policy_id = EXCLUDED.policy_id,
  status = EXCLUDED.status, team = EXCLUDED.team,
  assignee = EXCLUDED.assignee, csat = EXCLUDED.csat,
  state = EXCLUDED.state, last_event_id = EXCLUDED.last_event_id,
  updated_at = EXCLUDED.updated_at

-- name: kUpdateTicketStates
-- After timers fired: $1 ticket ids, $2 their hex-encoded states.
UPDATE sla.tickets AS t SET state = decode(u.s, 'hex')
FROM unnest($1::bigint[], $2::text[]) AS u (id, s)
WHERE t.ticket_id = u.id

-- name: kInsertEvents
-- Parallel arrays, one element per event; see sla.events.
INSERT INTO sla.events (ticket_id, kind, metric, cycle, occur_time,
  deadline, policy_id, calendar_id, target_ns, actor, reason, status,
  met_late, overdue, warning, pause_business_ns, pause_elapsed_ns,
  business_ns, calendar_ns, ticket_event_id, team, assignee, priority)
SELECT u.ticket_id, u.kind, u.metric, u.cycle,
  ('epoch'::timestamptz + (u.occur_us)::bigint * interval '1 microsecond'),
  ('epoch'::timestamptz + (u.deadline_us)::bigint * interval '1 microsecond'),
  u.policy_id, u.calendar_id, u.target_ns, u.actor, u.reason, u.status,
  u.met_late, u.overdue, u.warning, u.pause_business_ns,
  u.pause_elapsed_ns, u.business_ns, u.calendar_ns, u.ticket_event_id,
  u.team, u.assignee, u.priority
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::integer[],
  $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::bigint[],
  $10::text[], $11::text[], $12::text[], $13::boolean[], $14::boolean[],
  $15::text[], $16::bigint[], $17::bigint[], $18::bigint[],
  $19::bigint[], $20::bigint[], $21::text[], $22::text[], $23::text[])
  WITH ORDINALITY AS u (ticket_id, kind, metric, cycle, occur_us,
  deadline_us, policy_id, calendar_id, target_ns, actor, reason, status,
  met_late, overdue, warning, pause_business_ns, pause_elapsed_ns,
  business_ns, calendar_ns, ticket_event_id, team, assignee, priority,
  n)
ORDER BY u.n

-- name: kUpsertMeasurements
-- Parallel arrays, one element per clock; see sla.measurements.
INSERT INTO sla.measurements (ticket_id, metric, cycle, policy_id,
  calendar_id, target_ns, started_at, deadline, ended_at, state,
  breached, met_late, business_ns, calendar_ns, team, assignee, priority,
  kind, cx_level, channel)
SELECT u.ticket_id, u.metric, u.cycle, u.policy_id, u.calendar_id,
  u.target_ns,
  ('epoch'::timestamptz + (u.started_us)::bigint * interval '1 microsecond'),
  ('epoch'::timestamptz + (u.deadline_us)::bigint * interval '1 microsecond'),
  ('epoch'::timestamptz + (u.ended_us)::bigint * interval '1 microsecond'),
  u.state, u.breached, u.met_late, u.business_ns, u.calendar_ns, u.team,
  u.assignee, u.priority, u.kind, u.cx_level, u.channel
FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[],
  $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[],
  $10::text[], $11::boolean[], $12::boolean[], $13::bigint[],
  $14::bigint[], $15::text[], $16::text[], $17::text[], $18::text[],
  $19::text[], $20::text[])
  AS u (ticket_id, metric, cycle, policy_id, calendar_id, target_ns,
  started_us, deadline_us, ended_us, state, breached, met_late,
  business_ns, calendar_ns, team, assignee, priority, kind, cx_level,
  channel)
ON CONFLICT (ticket_id, metric, cycle) DO UPDATE SET
  policy_id = EXCLUDED.policy_id, calendar_id = EXCLUDED.calendar_id,
  target_ns = EXCLUDED.target_ns, started_at = EXCLUDED.started_at,
  deadline = EXCLUDED.deadline, ended_at = EXCLUDED.ended_at,
  state = EXCLUDED.state, breached = EXCLUDED.breached,
  met_late = EXCLUDED.met_late, business_ns = EXCLUDED.business_ns,
  calendar_ns = EXCLUDED.calendar_ns, team = EXCLUDED.team,
  assignee = EXCLUDED.assignee, priority = EXCLUDED.priority,
  kind = EXCLUDED.kind, cx_level = EXCLUDED.cx_level,
  channel = EXCLUDED.channel

-- name: kReadCursor
SELECT cursor FROM sla.consumer_cursors WHERE consumer = $1

-- name: kSetCursor
INSERT INTO sla.consumer_cursors (consumer, cursor, updated_at)
VALUES ($1, $2, now())
ON CONFLICT (consumer) DO UPDATE SET cursor = EXCLUDED.cursor,
  updated_at = EXCLUDED.updated_at

-- The consumer's lease: a session advisory lock on a dedicated connection,
-- run with exec_params (not prepared on the pool).

-- ---- timers ----

-- fragment: timer_columns
id, ticket_id, metric, cycle, kind, warning, due_ns

-- name: kArmedTimersOf
SELECT @timer_columns@
FROM sla.timers WHERE ticket_id = ANY ($1::bigint[])
  AND fired_at IS NULL

-- name: kDeleteTimers
DELETE FROM sla.timers WHERE id = ANY ($1::bigint[])

-- name: kInsertTimers
-- Parallel arrays: ticket id, metric, cycle, kind, warning index, due_ns.
-- The due time is rounded UP to PostgreSQL's microsecond, so a timer is
-- never claimed before its exact due instant.
INSERT INTO sla.timers (ticket_id, metric, cycle, kind, warning, due,
  due_ns)
SELECT t, m, c, k, w,
  ('epoch'::timestamptz + ((d) + 999) / 1000 * interval '1 microsecond'),
  d
FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::text[],
  $5::integer[], $6::bigint[]) AS u (t, m, c, k, w, d)

-- name: kClaimCandidates
-- Step 1 of a claim: the earliest due timers ($1: now in microseconds, $2:
-- how many) of tickets this transaction can lock. The advisory locks are
-- taken here, before the transaction has an xid (see kLockTicketKeys); a
-- ticket another transaction holds is skipped, not waited for.
SELECT id FROM sla.timers
WHERE fired_at IS NULL
  AND due <= ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond')
  AND pg_try_advisory_xact_lock(2, (ticket_id % 2147483648)::integer)
ORDER BY due LIMIT $2

-- name: kClaimTimers
-- Step 2 of a claim: lock the candidates still armed; a row another
-- transaction has locked is skipped.
SELECT @timer_columns@
FROM sla.timers WHERE id = ANY ($1::bigint[]) AND fired_at IS NULL
FOR UPDATE SKIP LOCKED

-- name: kMarkTimers
-- $1 timer ids, $2 their outcomes ('fired' or 'stale'), $3 the replica.
UPDATE sla.timers AS t SET fired_at = clock_timestamp(), fired_by = $3,
  outcome = u.o FROM unnest($1::bigint[], $2::text[]) AS u (id, o)
WHERE t.id = u.id

-- name: kNextTimerDue
SELECT due_ns FROM sla.timers WHERE fired_at IS NULL
ORDER BY due LIMIT 1

-- ---- ledger ----

-- fragment: event_columns
e.xid::text, e.id, e.ticket_id, e.kind, e.metric, e.cycle,
(extract(epoch FROM e.occur_time) * 1000000)::bigint,
(extract(epoch FROM e.record_time) * 1000000)::bigint,
(extract(epoch FROM e.deadline) * 1000000)::bigint,
e.policy_id, e.calendar_id, e.target_ns, e.actor, e.reason, e.status,
e.met_late, e.overdue, e.warning, e.pause_business_ns,
e.pause_elapsed_ns, e.business_ns, e.calendar_ns, e.ticket_event_id,
e.team, e.assignee, e.priority

-- name: kListEvents
-- $1 after id, $2 ticket (0: any), $3 kinds ('{}': any), $4 metric ('':
-- any), $5/$6 occur_time range in microseconds (NULL: open), $7 limit.
SELECT @event_columns@
FROM sla.events AS e WHERE e.id > $1
  AND ($2::bigint = 0 OR e.ticket_id = $2)
  AND (cardinality($3::text[]) = 0 OR e.kind = ANY ($3::text[]))
  AND ($4::text = '' OR e.metric = $4)
  AND ($5::bigint IS NULL OR e.occur_time >=
       ('epoch'::timestamptz + ($5)::bigint * interval '1 microsecond'))
  AND ($6::bigint IS NULL OR e.occur_time <
       ('epoch'::timestamptz + ($6)::bigint * interval '1 microsecond'))
ORDER BY e.id LIMIT $7

-- name: kListBreaches
-- $1/$2 range (NULL: open), $3 team, $4 assignee, $5 metric, $6 priority
-- ('' : any), $7 open only, $8 the id of the last breach of the previous
-- page (NULL: first page), $9 limit.
SELECT @event_columns@, m.state,
  (extract(epoch FROM m.ended_at) * 1000000)::bigint
FROM sla.events AS e JOIN sla.measurements AS m
  ON m.ticket_id = e.ticket_id AND m.metric = e.metric
  AND m.cycle = e.cycle
WHERE e.kind = 'breached'
  AND ($1::bigint IS NULL OR e.occur_time >=
       ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond'))
  AND ($2::bigint IS NULL OR e.occur_time <
       ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond'))
  AND ($3::text = '' OR e.team = $3)
  AND ($4::text = '' OR e.assignee = $4)
  AND ($5::text = '' OR e.metric = $5)
  AND ($6::text = '' OR e.priority = $6)
  AND (NOT $7::boolean OR m.state IN ('running', 'paused'))
  AND ($8::bigint IS NULL OR (e.occur_time, e.id) <
    (SELECT x.occur_time, x.id FROM sla.events AS x WHERE x.id = $8))
ORDER BY e.occur_time DESC, e.id DESC LIMIT $9

-- name: kReadEvents
SELECT @event_columns@
FROM sla.events AS e
WHERE (e.xid, e.id) > ($1::xid8, $2::bigint)
  AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY e.xid, e.id LIMIT $3

-- name: kEventsHeldBack
SELECT EXISTS (SELECT 1 FROM sla.events
  WHERE xid >= pg_snapshot_xmin(pg_current_snapshot()))

-- ---- reports ----

-- fragment: report_window
-- The clocks of a window with their group values: $1/$2 the window in
-- microseconds; $3..$9 whether to group by team, agent, priority, kind,
-- cx_level, policy, channel (a value not grouped by is ''). Group values
-- sort in byte order (COLLATE "C"; C++ orders the rows again): byte
-- comparisons make sorting millions of rows markedly cheaper.
WITH w AS (SELECT
  (CASE WHEN $3 THEN team ELSE '' END) COLLATE "C" AS g1,
  (CASE WHEN $4 THEN assignee ELSE '' END) COLLATE "C" AS g2,
  (CASE WHEN $5 THEN priority ELSE '' END) COLLATE "C" AS g3,
  (CASE WHEN $6 THEN kind ELSE '' END) COLLATE "C" AS g4,
  (CASE WHEN $7 THEN cx_level ELSE '' END) COLLATE "C" AS g5,
  (CASE WHEN $8 THEN policy_id ELSE '' END) COLLATE "C" AS g6,
  (CASE WHEN $9 THEN channel ELSE '' END) COLLATE "C" AS g7,
  ticket_id, metric COLLATE "C" AS metric, state,
  (breached OR met_late) AS missed, business_ns, calendar_ns
  FROM sla.measurements
  WHERE started_at >=
      ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond')
    AND started_at <
      ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond'))

-- name: kReportMetrics
-- Per group and metric: clocks, met on time, breached, open, cancelled, and
-- nearest-rank percentiles (percentile_disc) and max of the met clocks'
-- business and calendar nanoseconds. See report.h for the definitions.
@report_window@
SELECT g1, g2, g3, g4, g5, g6, g7, metric, count(*),
  count(*) FILTER (WHERE state = 'met' AND NOT missed),
  count(*) FILTER (WHERE missed),
  count(*) FILTER (WHERE state IN ('running', 'paused') AND NOT missed),
  count(*) FILTER (WHERE state = 'cancelled' AND NOT missed),
  count(*) FILTER (WHERE state = 'met'),
  percentile_disc(ARRAY[0.5, 0.9, 0.99]::float8[]) WITHIN GROUP
    (ORDER BY business_ns) FILTER (WHERE state = 'met'),
  max(business_ns) FILTER (WHERE state = 'met'),
  percentile_disc(ARRAY[0.5, 0.9, 0.99]::float8[]) WITHIN GROUP
    (ORDER BY calendar_ns) FILTER (WHERE state = 'met'),
  max(calendar_ns) FILTER (WHERE state = 'met')
FROM w GROUP BY g1, g2, g3, g4, g5, g6, g7, metric

-- name: kReportTickets
-- Per group: distinct tickets, how many are rated, the sum of the scores.
@report_window@,
g AS (SELECT DISTINCT g1, g2, g3, g4, g5, g6, g7, ticket_id FROM w)
SELECT g1, g2, g3, g4, g5, g6, g7, count(*), count(t.csat),
  coalesce(sum(t.csat), 0)
FROM g LEFT JOIN sla.tickets AS t USING (ticket_id)
GROUP BY g1, g2, g3, g4, g5, g6, g7

-- name: kChangesForReplay
-- Every change of every ticket with a change in [$1, $2) (microseconds).
SELECT ticket_event_id, ticket_id, at_ns, change_kind, actor, reason,
  status, priority, ticket_kind, cx_level, channel, tags, customer_email,
  team, assignee, csat
FROM sla.ticket_changes WHERE ticket_id IN
  (SELECT ticket_id FROM sla.ticket_changes
   WHERE at >= ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond')
     AND at < ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond'))
ORDER BY ticket_id, ticket_event_id

-- name: kReportSettings
-- A report sorts millions of rows: in memory rather than in temporary
-- files, and with more time than an interactive statement gets.
SELECT set_config('work_mem', '256MB', true),
  set_config('statement_timeout', '60s', true)
