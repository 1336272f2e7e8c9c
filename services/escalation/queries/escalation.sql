-- Every SQL statement of the escalation service, named and parameterised
-- (services/escalation/queries.h says how they reach C++), prepared on each
-- pooled connection. Times cross the wire as integer microseconds since the
-- Unix epoch (common/pg_values.h): a column c is read as
-- (extract(epoch FROM c) * 1000000)::bigint, a parameter $n is written as
-- ('epoch'::timestamptz + ($n)::bigint * interval '1 microsecond').

-- ---- configuration ----

-- name: kBumpRevision
UPDATE escalation.config_revision SET revision = revision + 1
WHERE id = 1

-- name: kReadRevision
SELECT revision FROM escalation.config_revision WHERE id = 1

-- fragment: team_columns
team_id, display_name, lead, manager, default_calendar, default_team,
webhook_url, webhook_secret, version,
(extract(epoch FROM updated_at) * 1000000)::bigint

-- name: kInsertTeam
-- $1 id .. $8 webhook_secret, $9 now.
INSERT INTO escalation.teams (team_id, display_name, lead, manager,
  default_calendar, default_team, webhook_url, webhook_secret, version,
  updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1,
  ('epoch'::timestamptz + ($9)::bigint * interval '1 microsecond'))

-- name: kUpdateTeam
-- $8 webhook secret: '' keeps the stored one.
UPDATE escalation.teams SET display_name = $2, lead = $3, manager = $4,
  default_calendar = $5, default_team = $6, webhook_url = $7,
  webhook_secret = CASE WHEN $8 = '' THEN webhook_secret ELSE $8 END,
  version = version + 1,
  updated_at = ('epoch'::timestamptz + ($9)::bigint * interval '1 microsecond')
WHERE team_id = $1

-- name: kLockTeamRow
SELECT version FROM escalation.teams WHERE team_id = $1 FOR UPDATE

-- name: kTeamById
SELECT @team_columns@
FROM escalation.teams WHERE team_id = $1

-- name: kListTeams
SELECT @team_columns@
FROM escalation.teams ORDER BY team_id COLLATE "C"
OFFSET $1 LIMIT $2

-- name: kOtherDefaultTeam
SELECT team_id FROM escalation.teams WHERE default_team
  AND team_id <> $1

-- name: kTeamInUse
-- Why a team cannot go: [default, routed to by a rule, has members].
SELECT (SELECT default_team FROM escalation.teams WHERE team_id = $1),
  EXISTS (SELECT 1 FROM escalation.routing_rules WHERE team_id = $1),
  EXISTS (SELECT 1 FROM escalation.agents WHERE $1 = ANY (team_ids))

-- name: kDeleteTeam
DELETE FROM escalation.teams WHERE team_id = $1

-- fragment: agent_columns
agent_id, display_name, team_ids, skills, tier, capacity, availability,
shift_calendar, version, (extract(epoch FROM updated_at) * 1000000)::bigint

-- name: kInsertAgent
-- $1 id, $2 name, $3 teams, $4 skills, $5 tier, $6 capacity,
-- $7 availability, $8 shift calendar, $9 now.
INSERT INTO escalation.agents (agent_id, display_name, team_ids, skills,
  tier, capacity, availability, shift_calendar, version, updated_at)
VALUES ($1, $2, $3::text[], $4::text[], $5, $6, $7, $8, 1,
  ('epoch'::timestamptz + ($9)::bigint * interval '1 microsecond'))

-- name: kUpdateAgent
UPDATE escalation.agents SET display_name = $2, team_ids = $3::text[],
  skills = $4::text[], tier = $5, capacity = $6, availability = $7,
  shift_calendar = $8, version = version + 1,
  updated_at = ('epoch'::timestamptz + ($9)::bigint * interval '1 microsecond')
WHERE agent_id = $1

-- name: kSetAvailability
UPDATE escalation.agents SET availability = $2, version = version + 1,
  updated_at = ('epoch'::timestamptz + ($3)::bigint * interval '1 microsecond')
WHERE agent_id = $1 RETURNING agent_id

-- name: kLockAgentRow
SELECT version FROM escalation.agents WHERE agent_id = $1 FOR UPDATE

-- name: kAgentById
SELECT @agent_columns@
FROM escalation.agents WHERE agent_id = $1

-- name: kListAgents
SELECT @agent_columns@
FROM escalation.agents WHERE ($1 = '' OR $1 = ANY (team_ids))
ORDER BY agent_id COLLATE "C" OFFSET $2 LIMIT $3

-- name: kAgentLeads
SELECT team_id FROM escalation.teams WHERE lead = $1 OR manager = $1
ORDER BY team_id LIMIT 1

-- name: kDeleteAgent
DELETE FROM escalation.agents WHERE agent_id = $1

-- fragment: rule_columns
rule_id, position, kinds, cx_levels, priorities, channels, tags_any,
words_any, customer_emails, team_id, strategy, version,
(extract(epoch FROM updated_at) * 1000000)::bigint

-- name: kInsertRule
-- $1 id, $2 position, $3..$9 condition arrays, $10 team, $11 strategy,
-- $12 now.
INSERT INTO escalation.routing_rules (rule_id, position, kinds,
  cx_levels, priorities, channels, tags_any, words_any, customer_emails,
  team_id, strategy, version, updated_at)
VALUES ($1, $2, $3::text[],
  $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
  $10, $11, 1,
  ('epoch'::timestamptz + ($12)::bigint * interval '1 microsecond'))

-- name: kUpdateRule
UPDATE escalation.routing_rules SET position = $2, kinds = $3::text[],
  cx_levels = $4::text[], priorities = $5::text[], channels = $6::text[],
  tags_any = $7::text[], words_any = $8::text[],
  customer_emails = $9::text[], team_id = $10, strategy = $11,
  version = version + 1,
  updated_at = ('epoch'::timestamptz + ($12)::bigint * interval '1 microsecond')
WHERE rule_id = $1

-- name: kLockRuleRow
SELECT version FROM escalation.routing_rules WHERE rule_id = $1
FOR UPDATE

-- name: kRuleById
SELECT @rule_columns@
FROM escalation.routing_rules WHERE rule_id = $1

-- name: kListRules
SELECT @rule_columns@
FROM escalation.routing_rules
ORDER BY position, rule_id COLLATE "C" OFFSET $1 LIMIT $2

-- name: kDeleteRule
DELETE FROM escalation.routing_rules WHERE rule_id = $1

-- name: kLockLadder
SELECT version FROM escalation.ladders WHERE metric = $1 FOR UPDATE

-- name: kUpsertLadder
INSERT INTO escalation.ladders (metric, version, updated_at)
VALUES ($1, 1,
  ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond'))
ON CONFLICT ON CONSTRAINT ladders_pk
DO UPDATE SET version = escalation.ladders.version + 1,
  updated_at = EXCLUDED.updated_at

-- name: kDeleteLadderSteps
DELETE FROM escalation.ladder_steps WHERE metric = $1

-- name: kInsertLadderSteps
-- $1 metric, then parallel arrays: $2 levels, $3 triggers, $4 delays (us),
-- $5 actions (each element one step's actions joined by kActionSeparator).
INSERT INTO escalation.ladder_steps (metric, level, trigger, delay_us,
  actions)
SELECT $1, l, t, d, string_to_array(a, E'\x1f')
FROM unnest($2::integer[], $3::text[], $4::bigint[], $5::text[])
  AS s(l, t, d, a)

-- name: kLadders
SELECT metric, version, (extract(epoch FROM updated_at) * 1000000)::bigint
FROM escalation.ladders WHERE ($1 = '' OR metric = $1)
ORDER BY metric

-- name: kLadderSteps
SELECT metric, level, trigger, delay_us, actions
FROM escalation.ladder_steps WHERE ($1 = '' OR metric = $1)
ORDER BY metric, level

-- name: kDeleteLadder
DELETE FROM escalation.ladders WHERE metric = $1 RETURNING metric

-- ---- locks (transaction-scoped advisory locks, namespace 5 = team, 6 =
-- ticket, 8 = units of work; 7 = consumer leases, session-scoped,
-- common::SessionLock) ----

-- name: kLockUnits
-- Every unit of work that writes the ticket projection (and, through its
-- trigger, agent loads) takes this first: units then never deadlock on
-- those rows, which both consumers and the timer loops write in their own
-- orders (measured: the two consumers' batches deadlocked under load).
SELECT pg_advisory_xact_lock(8, 0)

-- name: kLockTeam
SELECT pg_advisory_xact_lock(5, hashtext($1))

-- name: kLockTicket
SELECT pg_advisory_xact_lock(6, hashtext($1::text))

-- ---- the ticket projection ----

-- fragment: ticket_columns
ticket_id, version, status, kind, cx_level, priority, channel, tags,
subject, customer_email, team, assignee, pending_assignee,
(extract(epoch FROM queued_at) * 1000000)::bigint, strategy, routed

-- name: kTicketById
SELECT @ticket_columns@
FROM escalation.tickets WHERE ticket_id = $1

-- name: kTicketsByIds
SELECT @ticket_columns@
FROM escalation.tickets WHERE ticket_id = ANY ($1::bigint[])

-- name: kUpsertTicket
-- $1 id .. $13 pending_assignee, $14 queued_at (us or NULL), $15 strategy,
-- $16 routed.
INSERT INTO escalation.tickets (ticket_id, version, status, kind,
  cx_level, priority, channel, tags, subject, customer_email, team,
  assignee, pending_assignee, queued_at, strategy, routed)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12, $13,
  CASE WHEN $14::bigint IS NULL THEN NULL
    ELSE ('epoch'::timestamptz + ($14)::bigint * interval '1 microsecond')
  END,
  $15, $16)
ON CONFLICT ON CONSTRAINT tickets_pk DO UPDATE SET
  version = EXCLUDED.version, status = EXCLUDED.status,
  kind = EXCLUDED.kind, cx_level = EXCLUDED.cx_level,
  priority = EXCLUDED.priority, channel = EXCLUDED.channel,
  tags = EXCLUDED.tags, subject = EXCLUDED.subject,
  customer_email = EXCLUDED.customer_email, team = EXCLUDED.team,
  assignee = EXCLUDED.assignee,
  pending_assignee = EXCLUDED.pending_assignee,
  queued_at = EXCLUDED.queued_at, strategy = EXCLUDED.strategy,
  routed = EXCLUDED.routed

-- name: kOpenTickets
SELECT agent_id, open_tickets FROM escalation.agent_loads
WHERE agent_id = ANY ($1::text[]) AND open_tickets > 0

-- name: kTeamQueue
SELECT t.ticket_id, (extract(epoch FROM t.queued_at) * 1000000)::bigint,
  t.priority,
  (extract(epoch FROM (SELECT min(d.deadline)
     FROM escalation.clock_deadlines d
     WHERE d.ticket_id = t.ticket_id)) * 1000000)::bigint
FROM escalation.tickets t WHERE t.team = $1
  AND t.queued_at IS NOT NULL

-- name: kSetDeadline
INSERT INTO escalation.clock_deadlines (ticket_id, metric, deadline)
VALUES ($1, $2,
  ('epoch'::timestamptz + ($3)::bigint * interval '1 microsecond'))
ON CONFLICT ON CONSTRAINT clock_deadlines_pk
DO UPDATE SET deadline = EXCLUDED.deadline

-- name: kClearDeadline
DELETE FROM escalation.clock_deadlines WHERE ticket_id = $1
  AND metric = $2

-- name: kRoundRobin
SELECT last_agent FROM escalation.round_robin WHERE team_id = $1

-- name: kPutRoundRobin
INSERT INTO escalation.round_robin (team_id, last_agent) VALUES ($1, $2)
ON CONFLICT ON CONSTRAINT round_robin_pk DO UPDATE
SET last_agent = EXCLUDED.last_agent

-- fragment: decision_columns
decision_id, ticket_id, (extract(epoch FROM decided_at) * 1000000)::bigint,
trigger, rule_id, team_id, strategy, outcome, agent_id, candidates,
explanation

-- name: kInsertDecision
INSERT INTO escalation.decisions (ticket_id, decided_at, trigger,
  rule_id, team_id, strategy, outcome, agent_id, candidates, explanation)
VALUES ($1,
  ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond'),
  $3, $4, $5, $6, $7, $8, $9::text[], $10)
RETURNING decision_id

-- name: kDecisionsOfTicket
SELECT @decision_columns@
FROM escalation.decisions
WHERE ticket_id = $1 ORDER BY decision_id

-- ---- the action outbox ----

-- fragment: action_columns
action_id, ticket_id, kind, state, assignee, team, unassign, note,
request_id, coalesce(escalation_id, 0), action_index,
coalesce(decision_id, 0), attempts,
(extract(epoch FROM next_attempt) * 1000000)::bigint,
detail, error, (extract(epoch FROM created_at) * 1000000)::bigint,
(extract(epoch FROM done_at) * 1000000)::bigint

-- name: kInsertAction
-- $1 ticket, $2 kind, $3 state, $4 assignee, $5 team, $6 unassign, $7 note,
-- $8 request id, $9 escalation (0 = none), $10 index, $11 decision
-- (0 = none), $12 next attempt / created (us), $13 detail, $14 error,
-- $15 done (us or NULL).
INSERT INTO escalation.actions (ticket_id, kind, state, assignee, team,
  unassign, note, request_id, escalation_id, action_index, decision_id,
  next_attempt, detail, error, created_at, done_at)
VALUES ($1, $2, $3,
  $4, $5, $6, $7, $8, nullif($9::bigint, 0), $10, nullif($11::bigint, 0),
  ('epoch'::timestamptz + ($12)::bigint * interval '1 microsecond'),
  $13, $14,
  ('epoch'::timestamptz + ($12)::bigint * interval '1 microsecond'),
  CASE WHEN $15::bigint IS NULL THEN NULL
    ELSE ('epoch'::timestamptz + ($15)::bigint * interval '1 microsecond')
  END)
RETURNING action_id

-- name: kClaimActions
-- Leases up to $3 pending actions due at $1, whose lease (if any) ended
-- by $1, until $2, bumping each one's claim token. Escalation steps first
-- (a breach is late already), then routing assignments; each in the order
-- they were queued (RETURNING keeps no order: the store sorts). Returns the
-- action, the ticket as the service last saw it (open, assignee) and the
-- new claim token.
WITH due AS (SELECT action_id AS due_id FROM escalation.actions
  WHERE state = 'pending'
    AND next_attempt <=
      ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond')
    AND (lease_until IS NULL OR lease_until <=
      ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond'))
  ORDER BY escalation_id IS NULL, action_id LIMIT $3
  FOR UPDATE SKIP LOCKED)
UPDATE escalation.actions a
SET lease_until =
    ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond'),
  claim = a.claim + 1
FROM due WHERE a.action_id = due.due_id
RETURNING @action_columns@,
  coalesce((SELECT t.is_open FROM
    escalation.tickets t WHERE t.ticket_id = a.ticket_id), true),
  coalesce((SELECT t.assignee FROM escalation.tickets t
    WHERE t.ticket_id = a.ticket_id), ''), a.claim

-- name: kCancelRoutingActions
-- A routing assignment leased beyond $3 is left to its claimer: its call
-- may be in flight.
UPDATE escalation.actions SET state = 'skipped', detail = $2,
  done_at = ('epoch'::timestamptz + ($3)::bigint * interval '1 microsecond')
WHERE ticket_id = $1
  AND decision_id IS NOT NULL AND state = 'pending'
  AND (lease_until IS NULL OR lease_until <=
    ('epoch'::timestamptz + ($3)::bigint * interval '1 microsecond'))

-- name: kFinishAction
-- $1 action, $2 the claim token, $3 state, $4 attempts, $5 next attempt,
-- $6 detail, $7 error, $8 done (us or NULL). Ends the lease; changes
-- nothing unless the action is pending and $2 is still its claim.
UPDATE escalation.actions SET state = $3, attempts = $4,
  next_attempt =
    ('epoch'::timestamptz + ($5)::bigint * interval '1 microsecond'),
  detail = $6, error = $7,
  done_at = CASE WHEN $8::bigint IS NULL THEN NULL
    ELSE ('epoch'::timestamptz + ($8)::bigint * interval '1 microsecond')
  END,
  lease_until = NULL
WHERE action_id = $1 AND claim = $2 AND state = 'pending'

-- name: kNextActionDue
-- When the next pending action can be claimed: its next attempt, or the
-- end of its lease if later (greatest() ignores a NULL lease).
SELECT (extract(epoch FROM min(greatest(next_attempt, lease_until)))
  * 1000000)::bigint
FROM escalation.actions WHERE state = 'pending'

-- name: kActionsOfEscalations
SELECT @action_columns@
FROM escalation.actions
WHERE escalation_id = ANY ($1::bigint[])
ORDER BY escalation_id, action_index

-- ---- ladders ----

-- fragment: cycle_columns
ticket_id, metric, cycle, warned,
(extract(epoch FROM breached_at) * 1000000)::bigint, stopped,
acknowledged, acknowledged_by,
(extract(epoch FROM acknowledged_at) * 1000000)::bigint,
done_levels::text[]

-- name: kCycle
SELECT @cycle_columns@
FROM escalation.cycles
WHERE ticket_id = $1 AND metric = $2 AND cycle = $3

-- name: kPutCycle
INSERT INTO escalation.cycles (ticket_id, metric, cycle, warned,
  breached_at, stopped, acknowledged, acknowledged_by, acknowledged_at,
  done_levels)
VALUES ($1, $2, $3, $4,
  CASE WHEN $5::bigint IS NULL THEN NULL
    ELSE ('epoch'::timestamptz + ($5)::bigint * interval '1 microsecond')
  END,
  $6, $7, $8,
  CASE WHEN $9::bigint IS NULL THEN NULL
    ELSE ('epoch'::timestamptz + ($9)::bigint * interval '1 microsecond')
  END,
  $10::integer[])
ON CONFLICT ON CONSTRAINT cycles_pk DO UPDATE SET
  warned = EXCLUDED.warned, breached_at = EXCLUDED.breached_at,
  stopped = EXCLUDED.stopped, acknowledged = EXCLUDED.acknowledged,
  acknowledged_by = EXCLUDED.acknowledged_by,
  acknowledged_at = EXCLUDED.acknowledged_at,
  done_levels = EXCLUDED.done_levels

-- fragment: escalation_columns
e.escalation_id, e.ticket_id, e.metric, e.cycle, e.level, e.trigger,
e.team_id, (extract(epoch FROM e.occur_at) * 1000000)::bigint,
(extract(epoch FROM e.recorded_at) * 1000000)::bigint,
e.skipped, e.explanation, e.actions, e.recipients,
coalesce(c.acknowledged, false), coalesce(c.acknowledged_by, ''),
(extract(epoch FROM c.acknowledged_at) * 1000000)::bigint

-- fragment: escalation_from
FROM escalation.escalations e LEFT JOIN escalation.cycles c
  ON c.ticket_id = e.ticket_id AND c.metric = e.metric AND c.cycle = e.cycle

-- name: kInsertEscalation
-- $1 ticket .. $13 recipients.
INSERT INTO escalation.escalations (ticket_id, metric, cycle, level,
  trigger, team_id, occur_at, recorded_at, skipped, explanation, actions,
  recipients)
VALUES ($1, $2, $3, $4, $5, $6,
  ('epoch'::timestamptz + ($7)::bigint * interval '1 microsecond'),
  ('epoch'::timestamptz + ($8)::bigint * interval '1 microsecond'),
  $9, $10, $11::text[], $12::text[])
RETURNING escalation_id

-- name: kEscalationById
SELECT @escalation_columns@
@escalation_from@
WHERE e.escalation_id = $1

-- name: kListEscalations
-- $1 ticket (0 = all), $2 team ('' = all), $3 level (0 = all), $4/$5 window
-- (us or NULL), $6 acknowledged (NULL = either), $7 before id (0 = none),
-- $8 limit.
SELECT @escalation_columns@
@escalation_from@
WHERE ($1::bigint = 0 OR e.ticket_id = $1) AND ($2 = '' OR e.team_id = $2)
  AND ($3::integer = 0 OR e.level = $3)
  AND ($4::bigint IS NULL OR e.occur_at >=
       ('epoch'::timestamptz + ($4)::bigint * interval '1 microsecond'))
  AND ($5::bigint IS NULL OR e.occur_at <
       ('epoch'::timestamptz + ($5)::bigint * interval '1 microsecond'))
  AND ($6::boolean IS NULL OR coalesce(c.acknowledged, false) = $6)
  AND ($7::bigint = 0 OR e.escalation_id < $7)
ORDER BY e.escalation_id DESC LIMIT $8

-- name: kArmTimer
INSERT INTO escalation.timers (ticket_id, metric, cycle, level, due)
VALUES ($1, $2, $3, $4,
  ('epoch'::timestamptz + ($5)::bigint * interval '1 microsecond'))
ON CONFLICT ON CONSTRAINT timers_pk DO UPDATE SET due = EXCLUDED.due
WHERE escalation.timers.fired_at IS NULL

-- name: kDisarmTimers
DELETE FROM escalation.timers WHERE ticket_id = $1 AND metric = $2
  AND cycle = $3 AND fired_at IS NULL

-- name: kDueTimers
-- Two statements, as in the SLA service: candidates first, then a
-- per-ticket lock for each (try-lock, so a busy ticket is left for later)
-- before the row lock; see PostgresEscalationStore::FireDueTimers.
SELECT ticket_id, metric, cycle, level,
  (extract(epoch FROM due) * 1000000)::bigint
FROM escalation.timers WHERE fired_at IS NULL
  AND due <= ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond')
ORDER BY due LIMIT $2

-- name: kTryLockTicket
SELECT pg_try_advisory_xact_lock(6, hashtext($1::text))

-- name: kClaimTimer
SELECT 1 FROM escalation.timers WHERE ticket_id = $1 AND metric = $2
  AND cycle = $3 AND level = $4 AND fired_at IS NULL
FOR UPDATE SKIP LOCKED

-- name: kMarkTimerFired
UPDATE escalation.timers
SET fired_at = ('epoch'::timestamptz + ($5)::bigint * interval '1 microsecond'),
  fired_by = $6
WHERE ticket_id = $1 AND metric = $2 AND cycle = $3 AND level = $4

-- name: kNextTimerDue
SELECT (extract(epoch FROM min(due)) * 1000000)::bigint
FROM escalation.timers WHERE fired_at IS NULL

-- ---- notifications ----

-- fragment: notification_columns
notification_id, xid::text, recipient, ticket_id, escalation_id, level,
metric, title, body, team_id,
(extract(epoch FROM created_at) * 1000000)::bigint, read_at IS NOT NULL

-- name: kInsertNotification
INSERT INTO escalation.notifications (recipient, ticket_id,
  escalation_id, level, metric, title, body, team_id, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
  ('epoch'::timestamptz + ($9)::bigint * interval '1 microsecond'))
RETURNING notification_id

-- name: kListNotifications
SELECT @notification_columns@
FROM escalation.notifications
WHERE recipient = $1 AND (NOT $2 OR read_at IS NULL)
  AND ($3::bigint = 0 OR notification_id < $3)
ORDER BY notification_id DESC LIMIT $4

-- name: kCountUnread
SELECT count(*) FROM escalation.notifications WHERE recipient = $1
  AND read_at IS NULL

-- name: kMarkRead
UPDATE escalation.notifications
SET read_at = ('epoch'::timestamptz + ($4)::bigint * interval '1 microsecond')
WHERE recipient = $1 AND read_at IS NULL
  AND ($3 OR notification_id = ANY ($2::bigint[]))

-- name: kReadNotifications
SELECT @notification_columns@
FROM escalation.notifications
WHERE (xid, notification_id) > ($1::xid8, $2::bigint)
  AND xid < pg_snapshot_xmin(pg_current_snapshot())
  AND ($3 = '*' OR recipient = $3)
ORDER BY xid, notification_id LIMIT $4

-- name: kNotificationsHeldBack
SELECT EXISTS (SELECT 1 FROM escalation.notifications
  WHERE xid >= pg_snapshot_xmin(pg_current_snapshot()))

-- name: kNotifiedBy
SELECT EXISTS (SELECT 1 FROM escalation.notifications n
  JOIN escalation.escalations e USING (escalation_id)
  WHERE n.recipient = $4 AND e.ticket_id = $1 AND e.metric = $2
    AND e.cycle = $3)

-- ---- webhook deliveries ----

-- fragment: delivery_columns
delivery_id, team_id, notification_id, url, payload, state, attempts,
last_status_code, last_error,
(extract(epoch FROM next_attempt) * 1000000)::bigint,
(extract(epoch FROM created_at) * 1000000)::bigint,
(extract(epoch FROM delivered_at) * 1000000)::bigint

-- name: kInsertDelivery
INSERT INTO escalation.deliveries (team_id, notification_id, url,
  payload, state, next_attempt, created_at)
VALUES ($1, $2, $3, $4, 'pending',
  ('epoch'::timestamptz + ($5)::bigint * interval '1 microsecond'),
  ('epoch'::timestamptz + ($5)::bigint * interval '1 microsecond'))
RETURNING delivery_id

-- name: kClaimDeliveries
-- As kClaimActions, for deliveries (the oldest next attempt first); with
-- the team's current webhook secret and the new claim token.
WITH due AS (SELECT delivery_id AS due_id FROM escalation.deliveries
  WHERE state = 'pending'
    AND next_attempt <=
      ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond')
    AND (lease_until IS NULL OR lease_until <=
      ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond'))
  ORDER BY next_attempt, delivery_id LIMIT $3 FOR UPDATE SKIP LOCKED)
UPDATE escalation.deliveries d
SET lease_until =
    ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond'),
  claim = d.claim + 1
FROM due WHERE d.delivery_id = due.due_id
RETURNING @delivery_columns@,
  coalesce((SELECT webhook_secret
    FROM escalation.teams t WHERE t.team_id = d.team_id), ''), d.claim

-- name: kFinishDelivery
-- $1 delivery, $2 the claim token, $3 state, $4 attempts, $5 last status
-- code, $6 last error, $7 next attempt, $8 delivered (us or NULL). As
-- kFinishAction: only while pending and still claimed by $2.
UPDATE escalation.deliveries SET state = $3, attempts = $4,
  last_status_code = $5, last_error = $6,
  next_attempt =
    ('epoch'::timestamptz + ($7)::bigint * interval '1 microsecond'),
  delivered_at = CASE WHEN $8::bigint IS NULL THEN NULL
    ELSE ('epoch'::timestamptz + ($8)::bigint * interval '1 microsecond')
  END,
  lease_until = NULL
WHERE delivery_id = $1 AND claim = $2 AND state = 'pending'

-- name: kNextDeliveryDue
-- As kNextActionDue, for deliveries.
SELECT (extract(epoch FROM min(greatest(next_attempt, lease_until)))
  * 1000000)::bigint
FROM escalation.deliveries WHERE state = 'pending'

-- name: kListDeliveries
SELECT @delivery_columns@
FROM escalation.deliveries
WHERE ($1 = '' OR team_id = $1) AND ($2 = '' OR state = $2)
  AND ($3::bigint = 0 OR delivery_id < $3)
ORDER BY delivery_id DESC LIMIT $4

-- ---- consumers ----

-- name: kReadCursor
SELECT cursor FROM escalation.consumer_cursors WHERE consumer = $1

-- name: kSetCursor
INSERT INTO escalation.consumer_cursors (consumer, cursor)
VALUES ($1, $2) ON CONFLICT ON CONSTRAINT consumer_cursors_pk
DO UPDATE SET cursor = EXCLUDED.cursor

-- ---- figures ($1/$2 the window in microseconds) ----

-- name: kAgentFigures
SELECT a.agent_id, a.capacity,
  (SELECT count(*) FROM escalation.decisions d
   WHERE d.agent_id = a.agent_id AND d.outcome = 'assigned'
     AND d.decided_at >=
       ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond')
     AND d.decided_at <
       ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond')),
  coalesce((SELECT l.open_tickets FROM escalation.agent_loads l
    WHERE l.agent_id = a.agent_id), 0)
FROM escalation.agents a ORDER BY a.agent_id COLLATE "C"

-- name: kTeamFigures
-- Per team: routed tickets, queued ones, and the queue times (us) of the
-- tickets assigned from the queue, of the decisions in the window.
WITH d AS (SELECT * FROM escalation.decisions
  WHERE decided_at >=
      ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond')
    AND decided_at <
      ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond')
    AND trigger <> 'dry_run'),
q AS (SELECT ticket_id, team_id, min(decided_at) AS at
  FROM d WHERE outcome = 'queued' GROUP BY 1, 2),
a AS (SELECT q.team_id,
  (extract(epoch FROM (min(x.decided_at) - q.at)) * 1000000)::bigint
    AS waited
  FROM q JOIN escalation.decisions x ON x.ticket_id = q.ticket_id
    AND x.team_id = q.team_id AND x.trigger = 'capacity_freed'
    AND x.outcome = 'assigned' AND x.decided_at >= q.at
  GROUP BY q.ticket_id, q.team_id, q.at)
SELECT tm.team_id,
  (SELECT count(DISTINCT ticket_id) FROM d WHERE d.team_id = tm.team_id
   AND d.trigger IN ('new_ticket', 'manual')),
  (SELECT count(*) FROM q WHERE q.team_id = tm.team_id),
  coalesce((SELECT array_agg(waited ORDER BY waited)::text[] FROM a
    WHERE a.team_id = tm.team_id), '{}'),
  (SELECT count(*) FROM escalation.tickets t WHERE t.team = tm.team_id
   AND t.queued_at IS NOT NULL)
FROM escalation.teams tm ORDER BY tm.team_id COLLATE "C"

-- name: kLevelFigures
SELECT e.level, count(*) FILTER (WHERE NOT e.skipped),
  count(*) FILTER (WHERE e.skipped),
  count(*) FILTER (WHERE coalesce(c.acknowledged, false))
FROM escalation.escalations e LEFT JOIN escalation.cycles c
  ON c.ticket_id = e.ticket_id AND c.metric = e.metric
  AND c.cycle = e.cycle
WHERE e.occur_at >=
    ('epoch'::timestamptz + ($1)::bigint * interval '1 microsecond')
  AND e.occur_at <
    ('epoch'::timestamptz + ($2)::bigint * interval '1 microsecond')
GROUP BY e.level ORDER BY e.level
