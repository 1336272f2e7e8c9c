#ifndef CXDESK_SERVICES_ESCALATION_QUERIES_H_
#define CXDESK_SERVICES_ESCALATION_QUERIES_H_

// Every SQL statement of the escalation service, named and parameterised,
// prepared on each pooled connection. Times cross the wire as integer
// microseconds since the Unix epoch (common/pg_values.h).

#include <vector>

#include "services/common/pg_values.h"
#include "services/common/postgres_pool.h"

namespace cxdesk::escalation::queries {

using ::cxdesk::common::NamedQuery;

// ---- configuration ----

inline constexpr NamedQuery kBumpRevision = {
    "bump_revision",
    "UPDATE escalation.config_revision SET revision = revision + 1"
    " WHERE id = 1"};
inline constexpr NamedQuery kReadRevision = {
    "read_revision",
    "SELECT revision FROM escalation.config_revision WHERE id = 1"};

#define CXDESK_TEAM_COLUMNS                                               \
  "team_id, display_name, lead, manager, default_calendar, default_team," \
  " webhook_url, webhook_secret, version, " CXDESK_US("updated_at")

// $1 id .. $8 webhook_secret, $9 now.
inline constexpr NamedQuery kInsertTeam = {
    "insert_team",
    "INSERT INTO escalation.teams (team_id, display_name, lead, manager,"
    " default_calendar, default_team, webhook_url, webhook_secret, version,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, " CXDESK_TS(
        "$9") ")"};
// $8 webhook secret: '' keeps the stored one.
inline constexpr NamedQuery kUpdateTeam = {
    "update_team",
    "UPDATE escalation.teams SET display_name = $2, lead = $3, manager = $4,"
    " default_calendar = $5, default_team = $6, webhook_url = $7,"
    " webhook_secret = CASE WHEN $8 = '' THEN webhook_secret ELSE $8 END,"
    " version = version + 1, updated_at = " CXDESK_TS(
        "$9") " WHERE team_id = $1"};
inline constexpr NamedQuery kLockTeamRow = {
    "lock_team_row",
    "SELECT version FROM escalation.teams WHERE team_id = $1 FOR UPDATE"};
inline constexpr NamedQuery kTeamById = {
    "team_by_id",
    "SELECT " CXDESK_TEAM_COLUMNS " FROM escalation.teams WHERE team_id = $1"};
inline constexpr NamedQuery kListTeams = {
    "list_teams", "SELECT " CXDESK_TEAM_COLUMNS
                  " FROM escalation.teams ORDER BY team_id COLLATE \"C\""
                  " OFFSET $1 LIMIT $2"};
inline constexpr NamedQuery kOtherDefaultTeam = {
    "other_default_team",
    "SELECT team_id FROM escalation.teams WHERE default_team"
    " AND team_id <> $1"};
// Why a team cannot go: [default, routed to by a rule, has members].
inline constexpr NamedQuery kTeamInUse = {
    "team_in_use",
    "SELECT (SELECT default_team FROM escalation.teams WHERE team_id = $1),"
    " EXISTS (SELECT 1 FROM escalation.routing_rules WHERE team_id = $1),"
    " EXISTS (SELECT 1 FROM escalation.agents WHERE $1 = ANY (team_ids))"};
inline constexpr NamedQuery kDeleteTeam = {
    "delete_team", "DELETE FROM escalation.teams WHERE team_id = $1"};

#define CXDESK_AGENT_COLUMNS                                                \
  "agent_id, display_name, team_ids, skills, tier, capacity, availability," \
  " shift_calendar, version, " CXDESK_US("updated_at")

// $1 id, $2 name, $3 teams, $4 skills, $5 tier, $6 capacity,
// $7 availability, $8 shift calendar, $9 now.
inline constexpr NamedQuery kInsertAgent = {
    "insert_agent",
    "INSERT INTO escalation.agents (agent_id, display_name, team_ids, skills,"
    " tier, capacity, availability, shift_calendar, version, updated_at)"
    " VALUES ($1, $2, $3::text[], $4::text[], $5, $6, $7, $8, 1, " CXDESK_TS(
        "$9") ")"};
inline constexpr NamedQuery kUpdateAgent = {
    "update_agent",
    "UPDATE escalation.agents SET display_name = $2, team_ids = $3::text[],"
    " skills = $4::text[], tier = $5, capacity = $6, availability = $7,"
    " shift_calendar = $8, version = version + 1,"
    " updated_at = " CXDESK_TS("$9") " WHERE agent_id = $1"};
inline constexpr NamedQuery kSetAvailability = {
    "set_availability",
    "UPDATE escalation.agents SET availability = $2, version = version + 1,"
    " updated_at = " CXDESK_TS("$3") " WHERE agent_id = $1 RETURNING agent_id"};
inline constexpr NamedQuery kLockAgentRow = {
    "lock_agent_row",
    "SELECT version FROM escalation.agents WHERE agent_id = $1 FOR UPDATE"};
inline constexpr NamedQuery kAgentById = {
    "agent_by_id", "SELECT " CXDESK_AGENT_COLUMNS
                   " FROM escalation.agents WHERE agent_id = $1"};
inline constexpr NamedQuery kListAgents = {
    "list_agents",
    "SELECT " CXDESK_AGENT_COLUMNS
    " FROM escalation.agents WHERE ($1 = '' OR $1 = ANY (team_ids))"
    " ORDER BY agent_id COLLATE \"C\" OFFSET $2 LIMIT $3"};
inline constexpr NamedQuery kAgentLeads = {
    "agent_leads",
    "SELECT team_id FROM escalation.teams WHERE lead = $1 OR manager = $1"
    " ORDER BY team_id LIMIT 1"};
inline constexpr NamedQuery kDeleteAgent = {
    "delete_agent", "DELETE FROM escalation.agents WHERE agent_id = $1"};

#define CXDESK_RULE_COLUMNS                                              \
  "rule_id, position, kinds, cx_levels, priorities, channels, tags_any," \
  " words_any, customer_emails, team_id, strategy, version, " CXDESK_US( \
      "updated_at")

// $1 id, $2 position, $3..$9 condition arrays, $10 team, $11 strategy,
// $12 now.
inline constexpr NamedQuery kInsertRule = {
    "insert_rule",
    "INSERT INTO escalation.routing_rules (rule_id, position, kinds,"
    " cx_levels, priorities, channels, tags_any, words_any, customer_emails,"
    " team_id, strategy, version, updated_at) VALUES ($1, $2, $3::text[],"
    " $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],"
    " $10, $11, 1, " CXDESK_TS("$12") ")"};
inline constexpr NamedQuery kUpdateRule = {
    "update_rule",
    "UPDATE escalation.routing_rules SET position = $2, kinds = $3::text[],"
    " cx_levels = $4::text[], priorities = $5::text[], channels = $6::text[],"
    " tags_any = $7::text[], words_any = $8::text[],"
    " customer_emails = $9::text[], team_id = $10, strategy = $11,"
    " version = version + 1, updated_at = " CXDESK_TS(
        "$12") " WHERE rule_id = $1"};
inline constexpr NamedQuery kLockRuleRow = {
    "lock_rule_row",
    "SELECT version FROM escalation.routing_rules WHERE rule_id = $1"
    " FOR UPDATE"};
inline constexpr NamedQuery kRuleById = {
    "rule_by_id", "SELECT " CXDESK_RULE_COLUMNS
                  " FROM escalation.routing_rules WHERE rule_id = $1"};
inline constexpr NamedQuery kListRules = {
    "list_rules",
    "SELECT " CXDESK_RULE_COLUMNS
    " FROM escalation.routing_rules"
    " ORDER BY position, rule_id COLLATE \"C\" OFFSET $1 LIMIT $2"};
inline constexpr NamedQuery kDeleteRule = {
    "delete_rule", "DELETE FROM escalation.routing_rules WHERE rule_id = $1"};

inline constexpr NamedQuery kLockLadder = {
    "lock_ladder",
    "SELECT version FROM escalation.ladders WHERE metric = $1 FOR UPDATE"};
inline constexpr NamedQuery kUpsertLadder = {
    "upsert_ladder",
    "INSERT INTO escalation.ladders (metric, version, updated_at)"
    " VALUES ($1, 1, " CXDESK_TS("$2") ") ON CONFLICT ON CONSTRAINT ladders_pk"
    " DO UPDATE SET version = escalation.ladders.version + 1,"
    " updated_at = EXCLUDED.updated_at"};
inline constexpr NamedQuery kDeleteLadderSteps = {
    "delete_ladder_steps",
    "DELETE FROM escalation.ladder_steps WHERE metric = $1"};
// $1 metric, then parallel arrays: $2 levels, $3 triggers, $4 delays (us),
// $5 actions (each element one step's actions joined by kActionSeparator).
inline constexpr NamedQuery kInsertLadderSteps = {
    "insert_ladder_steps",
    "INSERT INTO escalation.ladder_steps (metric, level, trigger, delay_us,"
    " actions) SELECT $1, l, t, d, string_to_array(a, E'\\x1f')"
    " FROM unnest($2::integer[], $3::text[], $4::bigint[], $5::text[])"
    " AS s(l, t, d, a)"};
inline constexpr NamedQuery kLadders = {
    "ladders", "SELECT metric, version, " CXDESK_US("updated_at")
               " FROM escalation.ladders WHERE ($1 = '' OR metric = $1)"
               " ORDER BY metric"};
inline constexpr NamedQuery kLadderSteps = {
    "ladder_steps",
    "SELECT metric, level, trigger, delay_us, actions"
    " FROM escalation.ladder_steps WHERE ($1 = '' OR metric = $1)"
    " ORDER BY metric, level"};
inline constexpr NamedQuery kDeleteLadder = {
    "delete_ladder",
    "DELETE FROM escalation.ladders WHERE metric = $1 RETURNING metric"};

// ---- locks (transaction-scoped advisory locks, namespace 5 = team, 6 =
// ticket, 8 = units of work; 7 = consumer leases, session-scoped,
// common::SessionLock) ----

// Every unit of work that writes the ticket projection (and, through its
// trigger, agent loads) takes this first: units then never deadlock on
// those rows, which both consumers and the timer loops write in their own
// orders (measured: the two consumers' batches deadlocked under load).
inline constexpr NamedQuery kLockUnits = {"lock_units",
                                          "SELECT pg_advisory_xact_lock(8, 0)"};
inline constexpr NamedQuery kLockTeam = {
    "lock_team", "SELECT pg_advisory_xact_lock(5, hashtext($1))"};
inline constexpr NamedQuery kLockTicket = {
    "lock_ticket", "SELECT pg_advisory_xact_lock(6, hashtext($1::text))"};

// ---- the ticket projection ----

#define CXDESK_TICKET_COLUMNS                                               \
  "ticket_id, version, status, kind, cx_level, priority, channel, tags,"    \
  " subject, customer_email, team, assignee, pending_assignee, " CXDESK_US( \
      "queued_at") ", strategy, routed"

inline constexpr NamedQuery kTicketById = {
    "ticket_by_id", "SELECT " CXDESK_TICKET_COLUMNS
                    " FROM escalation.tickets WHERE ticket_id = $1"};
inline constexpr NamedQuery kTicketsByIds = {
    "tickets_by_ids",
    "SELECT " CXDESK_TICKET_COLUMNS
    " FROM escalation.tickets WHERE ticket_id = ANY ($1::bigint[])"};
// $1 id .. $13 pending_assignee, $14 queued_at (us or NULL), $15 strategy,
// $16 routed.
inline constexpr NamedQuery kUpsertTicket = {
    "upsert_ticket",
    "INSERT INTO escalation.tickets (ticket_id, version, status, kind,"
    " cx_level, priority, channel, tags, subject, customer_email, team,"
    " assignee, pending_assignee, queued_at, strategy, routed) VALUES ($1,"
    " $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12, $13, "
    "CASE WHEN $14::bigint IS NULL THEN NULL ELSE " CXDESK_TS("$14") " END,"
    " $15, $16) ON CONFLICT ON CONSTRAINT tickets_pk DO UPDATE SET"
    " version = EXCLUDED.version, status = EXCLUDED.status,"
    " kind = EXCLUDED.kind, cx_level = EXCLUDED.cx_level,"
    " priority = EXCLUDED.priority, channel = EXCLUDED.channel,"
    " tags = EXCLUDED.tags, subject = EXCLUDED.subject,"
    " customer_email = EXCLUDED.customer_email, team = EXCLUDED.team,"
    " assignee = EXCLUDED.assignee,"
    " pending_assignee = EXCLUDED.pending_assignee,"
    " queued_at = EXCLUDED.queued_at, strategy = EXCLUDED.strategy,"
    " routed = EXCLUDED.routed"};
inline constexpr NamedQuery kOpenTickets = {
    "open_tickets",
    "SELECT agent_id, open_tickets FROM escalation.agent_loads"
    " WHERE agent_id = ANY ($1::text[]) AND open_tickets > 0"};
inline constexpr NamedQuery kTeamQueue = {
    "team_queue",
    "SELECT t.ticket_id, " CXDESK_US("t.queued_at") ", t.priority,"
    " " CXDESK_US("(SELECT min(d.deadline) FROM escalation.clock_deadlines d"
                  " WHERE d.ticket_id = t.ticket_id)")
    " FROM escalation.tickets t WHERE t.team = $1"
    " AND t.queued_at IS NOT NULL"};
inline constexpr NamedQuery kSetDeadline = {
    "set_deadline",
    "INSERT INTO escalation.clock_deadlines (ticket_id, metric, deadline)"
    " VALUES ($1, $2, " CXDESK_TS("$3") ") ON CONFLICT ON CONSTRAINT"
    " clock_deadlines_pk DO UPDATE SET deadline = EXCLUDED.deadline"};
inline constexpr NamedQuery kClearDeadline = {
    "clear_deadline",
    "DELETE FROM escalation.clock_deadlines WHERE ticket_id = $1"
    " AND metric = $2"};

inline constexpr NamedQuery kRoundRobin = {
    "round_robin",
    "SELECT last_agent FROM escalation.round_robin WHERE team_id = $1"};
inline constexpr NamedQuery kPutRoundRobin = {
    "put_round_robin",
    "INSERT INTO escalation.round_robin (team_id, last_agent) VALUES ($1, $2)"
    " ON CONFLICT ON CONSTRAINT round_robin_pk DO UPDATE"
    " SET last_agent = EXCLUDED.last_agent"};

#define CXDESK_DECISION_COLUMNS \
  "decision_id, ticket_id, " CXDESK_US("decided_at") ", trigger, rule_id,"   \
  " team_id, strategy, outcome, agent_id, candidates, explanation"

inline constexpr NamedQuery kInsertDecision = {
    "insert_decision",
    "INSERT INTO escalation.decisions (ticket_id, decided_at, trigger,"
    " rule_id, team_id, strategy, outcome, agent_id, candidates, explanation)"
    " VALUES ($1, " CXDESK_TS("$2") ", $3, $4, $5, $6, $7, $8, $9::text[],"
    " $10) RETURNING decision_id"};
inline constexpr NamedQuery kDecisionsOfTicket = {
    "decisions_of_ticket", "SELECT " CXDESK_DECISION_COLUMNS
                           " FROM escalation.decisions"
                           " WHERE ticket_id = $1 ORDER BY decision_id"};

// ---- the action outbox ----

#define CXDESK_ACTION_COLUMNS \
  "action_id, ticket_id, kind, state, assignee, team, unassign, note,"        \
  " request_id, coalesce(escalation_id, 0), action_index,"                    \
  " coalesce(decision_id, 0), attempts, " CXDESK_US("next_attempt") ","      \
  " detail, error, " CXDESK_US("created_at") ", " CXDESK_US("done_at")

// $1 ticket, $2 kind, $3 state, $4 assignee, $5 team, $6 unassign, $7 note,
// $8 request id, $9 escalation (0 = none), $10 index, $11 decision
// (0 = none), $12 next attempt / created (us), $13 detail, $14 error,
// $15 done (us or NULL).
inline constexpr NamedQuery kInsertAction = {
    "insert_action",
    "INSERT INTO escalation.actions (ticket_id, kind, state, assignee, team,"
    " unassign, note, request_id, escalation_id, action_index, decision_id,"
    " next_attempt, detail, error, created_at, done_at) VALUES ($1, $2, $3,"
    " $4, $5, $6, $7, $8, nullif($9::bigint, 0), $10, nullif($11::bigint, 0),"
    " " CXDESK_TS("$12") ", $13, $14, " CXDESK_TS("$12") ","
    " CASE WHEN $15::bigint IS NULL THEN NULL ELSE " CXDESK_TS("$15") " END)"
    " RETURNING action_id"};
// Leases up to $3 pending actions due at $1, whose lease (if any) ended
// by $1, until $2, bumping each one's claim token. Escalation steps first
// (a breach is late already), then routing assignments; each in the order
// they were queued (RETURNING keeps no order: the store sorts). Returns the
// action, the ticket as the service last saw it (open, assignee) and the
// new claim token.
inline constexpr NamedQuery kClaimActions = {
    "claim_actions",
    "WITH due AS (SELECT action_id AS due_id FROM escalation.actions"
    " WHERE state = 'pending' AND next_attempt <= " CXDESK_TS("$1")
    " AND (lease_until IS NULL OR lease_until <= " CXDESK_TS("$1") ")"
    " ORDER BY escalation_id IS NULL, action_id LIMIT $3"
    " FOR UPDATE SKIP LOCKED)"
    " UPDATE escalation.actions a SET lease_until = " CXDESK_TS("$2") ","
    " claim = a.claim + 1 FROM due WHERE a.action_id = due.due_id"
    " RETURNING " CXDESK_ACTION_COLUMNS ", coalesce((SELECT t.is_open FROM"
    " escalation.tickets t WHERE t.ticket_id = a.ticket_id), true),"
    " coalesce((SELECT t.assignee FROM escalation.tickets t"
    " WHERE t.ticket_id = a.ticket_id), ''), a.claim"};
// A routing assignment leased beyond $3 is left to its claimer: its call
// may be in flight.
inline constexpr NamedQuery kCancelRoutingActions = {
    "cancel_routing_actions",
    "UPDATE escalation.actions SET state = 'skipped', detail = $2,"
    " done_at = " CXDESK_TS("$3") " WHERE ticket_id = $1"
    " AND decision_id IS NOT NULL AND state = 'pending'"
    " AND (lease_until IS NULL OR lease_until <= " CXDESK_TS("$3") ")"};
// $1 action, $2 the claim token, $3 state, $4 attempts, $5 next attempt,
// $6 detail, $7 error, $8 done (us or NULL). Ends the lease; changes
// nothing unless the action is pending and $2 is still its claim.
inline constexpr NamedQuery kFinishAction = {
    "finish_action",
    "UPDATE escalation.actions SET state = $3, attempts = $4,"
    " next_attempt = " CXDESK_TS("$5") ", detail = $6, error = $7,"
    " done_at = CASE WHEN $8::bigint IS NULL THEN NULL ELSE " CXDESK_TS("$8")
    " END, lease_until = NULL"
    " WHERE action_id = $1 AND claim = $2 AND state = 'pending'"};
// When the next pending action can be claimed: its next attempt, or the
// end of its lease if later (greatest() ignores a NULL lease).
inline constexpr NamedQuery kNextActionDue = {
    "next_action_due",
    "SELECT " CXDESK_US("min(greatest(next_attempt, lease_until))")
    " FROM escalation.actions WHERE state = 'pending'"};
inline constexpr NamedQuery kActionsOfEscalations = {
    "actions_of_escalations", "SELECT " CXDESK_ACTION_COLUMNS
                              " FROM escalation.actions"
                              " WHERE escalation_id = ANY ($1::bigint[])"
                              " ORDER BY escalation_id, action_index"};

// ---- ladders ----

#define CXDESK_CYCLE_COLUMNS \
  "ticket_id, metric, cycle, warned, " CXDESK_US("breached_at") ", stopped," \
  " acknowledged, acknowledged_by, " CXDESK_US("acknowledged_at")            \
  ", done_levels::text[]"

inline constexpr NamedQuery kCycle = {
    "cycle", "SELECT " CXDESK_CYCLE_COLUMNS
             " FROM escalation.cycles"
             " WHERE ticket_id = $1 AND metric = $2 AND cycle = $3"};
inline constexpr NamedQuery kPutCycle = {
    "put_cycle",
    "INSERT INTO escalation.cycles (ticket_id, metric, cycle, warned,"
    " breached_at, stopped, acknowledged, acknowledged_by, acknowledged_at,"
    " done_levels) VALUES ($1, $2, $3, $4, CASE WHEN $5::bigint IS NULL THEN"
    " NULL ELSE " CXDESK_TS("$5") " END, $6, $7, $8, CASE WHEN $9::bigint IS"
    " NULL THEN NULL ELSE " CXDESK_TS("$9") " END, $10::integer[])"
    " ON CONFLICT ON CONSTRAINT cycles_pk DO UPDATE SET"
    " warned = EXCLUDED.warned, breached_at = EXCLUDED.breached_at,"
    " stopped = EXCLUDED.stopped, acknowledged = EXCLUDED.acknowledged,"
    " acknowledged_by = EXCLUDED.acknowledged_by,"
    " acknowledged_at = EXCLUDED.acknowledged_at,"
    " done_levels = EXCLUDED.done_levels"};

#define CXDESK_ESCALATION_COLUMNS \
  "e.escalation_id, e.ticket_id, e.metric, e.cycle, e.level, e.trigger,"    \
  " e.team_id, " CXDESK_US("e.occur_at") ", " CXDESK_US("e.recorded_at")    \
  ", e.skipped, e.explanation, e.actions, e.recipients,"                    \
  " coalesce(c.acknowledged, false), coalesce(c.acknowledged_by, ''), "     \
  CXDESK_US("c.acknowledged_at")
#define CXDESK_ESCALATION_FROM                                           \
  " FROM escalation.escalations e LEFT JOIN escalation.cycles c"         \
  " ON c.ticket_id = e.ticket_id AND c.metric = e.metric AND c.cycle = " \
  "e.cycle"

// $1 ticket .. $13 recipients.
inline constexpr NamedQuery kInsertEscalation = {
    "insert_escalation",
    "INSERT INTO escalation.escalations (ticket_id, metric, cycle, level,"
    " trigger, team_id, occur_at, recorded_at, skipped, explanation, actions,"
    " recipients) VALUES ($1, $2, $3, $4, $5, $6, " CXDESK_TS("$7") ", "
    CXDESK_TS("$8") ", $9, $10, $11::text[], $12::text[])"
    " RETURNING escalation_id"};
inline constexpr NamedQuery kEscalationById = {
    "escalation_by_id",
    "SELECT " CXDESK_ESCALATION_COLUMNS CXDESK_ESCALATION_FROM
    " WHERE e.escalation_id = $1"};
// $1 ticket (0 = all), $2 team ('' = all), $3 level (0 = all), $4/$5 window
// (us or NULL), $6 acknowledged (NULL = either), $7 before id (0 = none),
// $8 limit.
inline constexpr NamedQuery kListEscalations = {
    "list_escalations",
    "SELECT " CXDESK_ESCALATION_COLUMNS CXDESK_ESCALATION_FROM
    " WHERE ($1::bigint = 0 OR e.ticket_id = $1) AND ($2 = '' OR e.team_id = $2)"
    " AND ($3::integer = 0 OR e.level = $3)"
    " AND ($4::bigint IS NULL OR e.occur_at >= " CXDESK_TS("$4") ")"
    " AND ($5::bigint IS NULL OR e.occur_at < " CXDESK_TS("$5") ")"
    " AND ($6::boolean IS NULL OR coalesce(c.acknowledged, false) = $6)"
    " AND ($7::bigint = 0 OR e.escalation_id < $7)"
    " ORDER BY e.escalation_id DESC LIMIT $8"};

inline constexpr NamedQuery kArmTimer = {
    "arm_timer",
    "INSERT INTO escalation.timers (ticket_id, metric, cycle, level, due)"
    " VALUES ($1, $2, $3, $4, " CXDESK_TS("$5") ") ON CONFLICT ON CONSTRAINT"
    " timers_pk DO UPDATE SET due = EXCLUDED.due"
    " WHERE escalation.timers.fired_at IS NULL"};
inline constexpr NamedQuery kDisarmTimers = {
    "disarm_timers",
    "DELETE FROM escalation.timers WHERE ticket_id = $1 AND metric = $2"
    " AND cycle = $3 AND fired_at IS NULL"};
// Two statements, as in the SLA service: candidates first, then a
// per-ticket lock for each (try-lock, so a busy ticket is left for later)
// before the row lock; see PostgresEscalationStore::FireDueTimers.
inline constexpr NamedQuery kDueTimers = {
    "due_timers",
    "SELECT ticket_id, metric, cycle, level, " CXDESK_US("due")
    " FROM escalation.timers WHERE fired_at IS NULL AND due <= " CXDESK_TS("$1")
    " ORDER BY due LIMIT $2"};
inline constexpr NamedQuery kTryLockTicket = {
    "try_lock_ticket",
    "SELECT pg_try_advisory_xact_lock(6, hashtext($1::text))"};
inline constexpr NamedQuery kClaimTimer = {
    "claim_timer",
    "SELECT 1 FROM escalation.timers WHERE ticket_id = $1 AND metric = $2"
    " AND cycle = $3 AND level = $4 AND fired_at IS NULL"
    " FOR UPDATE SKIP LOCKED"};
inline constexpr NamedQuery kMarkTimerFired = {
    "mark_timer_fired",
    "UPDATE escalation.timers SET fired_at = " CXDESK_TS("$5") ", fired_by = $6"
    " WHERE ticket_id = $1 AND metric = $2 AND cycle = $3 AND level = $4"};
inline constexpr NamedQuery kNextTimerDue = {
    "next_timer_due",
    "SELECT " CXDESK_US(
        "min(due)") " FROM escalation.timers WHERE fired_at IS NULL"};

// ---- notifications ----

#define CXDESK_NOTIFICATION_COLUMNS                                         \
  "notification_id, xid::text, recipient, ticket_id, escalation_id, level," \
  " metric, title, body, team_id, " CXDESK_US(                              \
      "created_at") ", read_at IS NOT NULL"

inline constexpr NamedQuery kInsertNotification = {
    "insert_notification",
    "INSERT INTO escalation.notifications (recipient, ticket_id,"
    " escalation_id, level, metric, title, body, team_id, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " CXDESK_TS("$9") ")"
    " RETURNING notification_id"};
inline constexpr NamedQuery kListNotifications = {
    "list_notifications",
    "SELECT " CXDESK_NOTIFICATION_COLUMNS
    " FROM escalation.notifications"
    " WHERE recipient = $1 AND (NOT $2 OR read_at IS NULL)"
    " AND ($3::bigint = 0 OR notification_id < $3)"
    " ORDER BY notification_id DESC LIMIT $4"};
inline constexpr NamedQuery kCountUnread = {
    "count_unread",
    "SELECT count(*) FROM escalation.notifications WHERE recipient = $1"
    " AND read_at IS NULL"};
inline constexpr NamedQuery kMarkRead = {
    "mark_read",
    "UPDATE escalation.notifications SET read_at = " CXDESK_TS("$4")
    " WHERE recipient = $1 AND read_at IS NULL"
    " AND ($3 OR notification_id = ANY ($2::bigint[]))"};
inline constexpr NamedQuery kReadNotifications = {
    "read_notifications",
    "SELECT " CXDESK_NOTIFICATION_COLUMNS
    " FROM escalation.notifications"
    " WHERE (xid, notification_id) > ($1::xid8, $2::bigint)"
    " AND xid < pg_snapshot_xmin(pg_current_snapshot())"
    " AND ($3 = '*' OR recipient = $3)"
    " ORDER BY xid, notification_id LIMIT $4"};
inline constexpr NamedQuery kNotificationsHeldBack = {
    "notifications_held_back",
    "SELECT EXISTS (SELECT 1 FROM escalation.notifications"
    " WHERE xid >= pg_snapshot_xmin(pg_current_snapshot()))"};
inline constexpr NamedQuery kNotifiedBy = {
    "notified_by",
    "SELECT EXISTS (SELECT 1 FROM escalation.notifications n"
    " JOIN escalation.escalations e USING (escalation_id)"
    " WHERE n.recipient = $4 AND e.ticket_id = $1 AND e.metric = $2"
    " AND e.cycle = $3)"};

// ---- webhook deliveries ----

#define CXDESK_DELIVERY_COLUMNS                                               \
  "delivery_id, team_id, notification_id, url, payload, state, attempts,"     \
  " last_status_code, last_error, " CXDESK_US("next_attempt") ", " CXDESK_US( \
      "created_at") ", " CXDESK_US("delivered_at")

inline constexpr NamedQuery kInsertDelivery = {
    "insert_delivery",
    "INSERT INTO escalation.deliveries (team_id, notification_id, url,"
    " payload, state, next_attempt, created_at) VALUES ($1, $2, $3, $4,"
    " 'pending', " CXDESK_TS("$5") ", " CXDESK_TS(
        "$5") ") RETURNING delivery_id"};
// As kClaimActions, for deliveries (the oldest next attempt first); with
// the team's current webhook secret and the new claim token.
inline constexpr NamedQuery kClaimDeliveries = {
    "claim_deliveries",
    "WITH due AS (SELECT delivery_id AS due_id FROM escalation.deliveries"
    " WHERE state = 'pending' AND next_attempt <= " CXDESK_TS("$1")
    " AND (lease_until IS NULL OR lease_until <= " CXDESK_TS("$1") ")"
    " ORDER BY next_attempt, delivery_id LIMIT $3 FOR UPDATE SKIP LOCKED)"
    " UPDATE escalation.deliveries d SET lease_until = " CXDESK_TS("$2") ","
    " claim = d.claim + 1 FROM due WHERE d.delivery_id = due.due_id"
    " RETURNING " CXDESK_DELIVERY_COLUMNS ", coalesce((SELECT webhook_secret"
    " FROM escalation.teams t WHERE t.team_id = d.team_id), ''), d.claim"};
// $1 delivery, $2 the claim token, $3 state, $4 attempts, $5 last status
// code, $6 last error, $7 next attempt, $8 delivered (us or NULL). As
// kFinishAction: only while pending and still claimed by $2.
inline constexpr NamedQuery kFinishDelivery = {
    "finish_delivery",
    "UPDATE escalation.deliveries SET state = $3, attempts = $4,"
    " last_status_code = $5, last_error = $6,"
    " next_attempt = " CXDESK_TS("$7") ","
    " delivered_at = CASE WHEN $8::bigint IS NULL THEN NULL ELSE "
    CXDESK_TS("$8") " END, lease_until = NULL"
    " WHERE delivery_id = $1 AND claim = $2 AND state = 'pending'"};
// As kNextActionDue, for deliveries.
inline constexpr NamedQuery kNextDeliveryDue = {
    "next_delivery_due",
    "SELECT " CXDESK_US("min(greatest(next_attempt, lease_until))")
    " FROM escalation.deliveries WHERE state = 'pending'"};
inline constexpr NamedQuery kListDeliveries = {
    "list_deliveries",
    "SELECT " CXDESK_DELIVERY_COLUMNS
    " FROM escalation.deliveries"
    " WHERE ($1 = '' OR team_id = $1) AND ($2 = '' OR state = $2)"
    " AND ($3::bigint = 0 OR delivery_id < $3)"
    " ORDER BY delivery_id DESC LIMIT $4"};

// ---- consumers ----

inline constexpr NamedQuery kReadCursor = {
    "read_cursor",
    "SELECT cursor FROM escalation.consumer_cursors WHERE consumer = $1"};
inline constexpr NamedQuery kSetCursor = {
    "set_cursor",
    "INSERT INTO escalation.consumer_cursors (consumer, cursor)"
    " VALUES ($1, $2) ON CONFLICT ON CONSTRAINT consumer_cursors_pk"
    " DO UPDATE SET cursor = EXCLUDED.cursor"};

// ---- figures ($1/$2 the window in microseconds) ----

inline constexpr NamedQuery kAgentFigures = {
    "agent_figures",
    "SELECT a.agent_id, a.capacity,"
    " (SELECT count(*) FROM escalation.decisions d WHERE d.agent_id ="
    " a.agent_id AND d.outcome = 'assigned' AND d.decided_at >= " CXDESK_TS("$1")
    " AND d.decided_at < " CXDESK_TS("$2") "),"
    " coalesce((SELECT l.open_tickets FROM escalation.agent_loads l"
    " WHERE l.agent_id = a.agent_id), 0)"
    " FROM escalation.agents a ORDER BY a.agent_id COLLATE \"C\""};
// Per team: routed tickets, queued ones, and the queue times (us) of the
// tickets assigned from the queue, of the decisions in the window.
inline constexpr NamedQuery kTeamFigures = {
    "team_figures",
    "WITH d AS (SELECT * FROM escalation.decisions WHERE decided_at >= "
    CXDESK_TS("$1") " AND decided_at < " CXDESK_TS("$2") " AND trigger <>"
    " 'dry_run'), q AS (SELECT ticket_id, team_id, min(decided_at) AS at"
    " FROM d WHERE outcome = 'queued' GROUP BY 1, 2), a AS (SELECT q.team_id,"
    " " CXDESK_US("(min(x.decided_at) - q.at)") " AS waited FROM q JOIN"
    " escalation.decisions x ON x.ticket_id = q.ticket_id AND x.team_id ="
    " q.team_id AND x.trigger = 'capacity_freed' AND x.outcome = 'assigned'"
    " AND x.decided_at >= q.at GROUP BY q.ticket_id, q.team_id, q.at)"
    " SELECT tm.team_id,"
    " (SELECT count(DISTINCT ticket_id) FROM d WHERE d.team_id = tm.team_id"
    " AND d.trigger IN ('new_ticket', 'manual')),"
    " (SELECT count(*) FROM q WHERE q.team_id = tm.team_id),"
    " coalesce((SELECT array_agg(waited ORDER BY waited)::text[] FROM a"
    " WHERE a.team_id = tm.team_id), '{}'),"
    " (SELECT count(*) FROM escalation.tickets t WHERE t.team = tm.team_id"
    " AND t.queued_at IS NOT NULL)"
    " FROM escalation.teams tm ORDER BY tm.team_id COLLATE \"C\""};
inline constexpr NamedQuery kLevelFigures = {
    "level_figures",
    "SELECT e.level, count(*) FILTER (WHERE NOT e.skipped),"
    " count(*) FILTER (WHERE e.skipped),"
    " count(*) FILTER (WHERE coalesce(c.acknowledged, false))"
    " FROM escalation.escalations e LEFT JOIN escalation.cycles c"
    " ON c.ticket_id = e.ticket_id AND c.metric = e.metric"
    " AND c.cycle = e.cycle WHERE e.occur_at >= " CXDESK_TS("$1")
    " AND e.occur_at < " CXDESK_TS("$2") " GROUP BY e.level ORDER BY e.level"};

// Every statement above, for PgPool::Options::prepared.
inline const std::vector<NamedQuery>& All() {
  static const auto* all = new std::vector<NamedQuery>{kBumpRevision,
                                                       kReadRevision,
                                                       kInsertTeam,
                                                       kUpdateTeam,
                                                       kLockTeamRow,
                                                       kTeamById,
                                                       kListTeams,
                                                       kOtherDefaultTeam,
                                                       kTeamInUse,
                                                       kDeleteTeam,
                                                       kInsertAgent,
                                                       kUpdateAgent,
                                                       kSetAvailability,
                                                       kLockAgentRow,
                                                       kAgentById,
                                                       kListAgents,
                                                       kAgentLeads,
                                                       kDeleteAgent,
                                                       kInsertRule,
                                                       kUpdateRule,
                                                       kLockRuleRow,
                                                       kRuleById,
                                                       kListRules,
                                                       kDeleteRule,
                                                       kLockLadder,
                                                       kUpsertLadder,
                                                       kDeleteLadderSteps,
                                                       kInsertLadderSteps,
                                                       kLadders,
                                                       kLadderSteps,
                                                       kDeleteLadder,
                                                       kLockUnits,
                                                       kLockTeam,
                                                       kLockTicket,
                                                       kTicketById,
                                                       kTicketsByIds,
                                                       kUpsertTicket,
                                                       kOpenTickets,
                                                       kTeamQueue,
                                                       kSetDeadline,
                                                       kClearDeadline,
                                                       kRoundRobin,
                                                       kPutRoundRobin,
                                                       kInsertDecision,
                                                       kDecisionsOfTicket,
                                                       kInsertAction,
                                                       kClaimActions,
                                                       kCancelRoutingActions,
                                                       kFinishAction,
                                                       kNextActionDue,
                                                       kActionsOfEscalations,
                                                       kCycle,
                                                       kPutCycle,
                                                       kInsertEscalation,
                                                       kEscalationById,
                                                       kListEscalations,
                                                       kArmTimer,
                                                       kDisarmTimers,
                                                       kDueTimers,
                                                       kTryLockTicket,
                                                       kClaimTimer,
                                                       kMarkTimerFired,
                                                       kNextTimerDue,
                                                       kInsertNotification,
                                                       kListNotifications,
                                                       kCountUnread,
                                                       kMarkRead,
                                                       kReadNotifications,
                                                       kNotificationsHeldBack,
                                                       kNotifiedBy,
                                                       kInsertDelivery,
                                                       kClaimDeliveries,
                                                       kFinishDelivery,
                                                       kNextDeliveryDue,
                                                       kListDeliveries,
                                                       kReadCursor,
                                                       kSetCursor,
                                                       kAgentFigures,
                                                       kTeamFigures,
                                                       kLevelFigures};
  return *all;
}

}  // namespace cxdesk::escalation::queries

#endif  // CXDESK_SERVICES_ESCALATION_QUERIES_H_
