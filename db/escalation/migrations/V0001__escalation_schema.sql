-- The escalation service's schema: the directory (teams, agents), routing
-- rules and escalation ladders (configuration); the service's projection of
-- tickets and their SLA deadlines; routing decisions; per-cycle ladder state,
-- escalation steps and after-breach timers; the action outbox (what the
-- ticket service is asked to do, with idempotency keys); notifications (also
-- the outbox of WatchNotifications); webhook deliveries; consumer cursors.
CREATE SCHEMA IF NOT EXISTS escalation;

-- Bumped by every configuration write, in the same transaction.
CREATE TABLE escalation.config_revision (
  id       smallint CONSTRAINT config_revision_pk PRIMARY KEY
             CONSTRAINT config_revision_single_ck CHECK (id = 1),
  revision bigint   NOT NULL
);
INSERT INTO escalation.config_revision (id, revision) VALUES (1, 1);

CREATE TABLE escalation.teams (
  team_id          text        CONSTRAINT teams_pk PRIMARY KEY,
  display_name     text        NOT NULL DEFAULT '',
  lead             text        NOT NULL DEFAULT '',
  manager          text        NOT NULL DEFAULT '',
  default_calendar text        NOT NULL DEFAULT '',
  default_team     boolean     NOT NULL DEFAULT false,
  webhook_url      text        NOT NULL DEFAULT '',
  webhook_secret   text        NOT NULL DEFAULT '',
  version          bigint      NOT NULL DEFAULT 1,
  updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX teams_one_default_uq ON escalation.teams (default_team)
  WHERE default_team;

CREATE TABLE escalation.agents (
  agent_id       text        CONSTRAINT agents_pk PRIMARY KEY,
  display_name   text        NOT NULL DEFAULT '',
  team_ids       text[]      NOT NULL DEFAULT '{}',
  skills         text[]      NOT NULL DEFAULT '{}',
  tier           integer     NOT NULL DEFAULT 1,
  capacity       integer     NOT NULL DEFAULT 0,
  availability   text        NOT NULL
    CONSTRAINT agents_availability_ck CHECK (availability IN ('online', 'away', 'offline')),
  shift_calendar text        NOT NULL DEFAULT '',
  version        bigint      NOT NULL DEFAULT 1,
  updated_at     timestamptz NOT NULL
);

CREATE TABLE escalation.routing_rules (
  rule_id         text        CONSTRAINT routing_rules_pk PRIMARY KEY,
  position        integer     NOT NULL,
  kinds           text[]      NOT NULL DEFAULT '{}',
  cx_levels       text[]      NOT NULL DEFAULT '{}',
  priorities      text[]      NOT NULL DEFAULT '{}',
  channels        text[]      NOT NULL DEFAULT '{}',
  tags_any        text[]      NOT NULL DEFAULT '{}',
  words_any       text[]      NOT NULL DEFAULT '{}',
  customer_emails text[]      NOT NULL DEFAULT '{}',
  team_id         text        NOT NULL CONSTRAINT routing_rules_team_fk
                    REFERENCES escalation.teams (team_id),
  strategy        text        NOT NULL,
  version         bigint      NOT NULL DEFAULT 1,
  updated_at      timestamptz NOT NULL
);

-- One ladder per SLA metric; its steps in level order. Each action is a
-- word with arguments (ladder_codec: "notify:assignee",
-- "reassign:other_team:product", "note:<text>").
CREATE TABLE escalation.ladders (
  metric     text        CONSTRAINT ladders_pk PRIMARY KEY,
  version    bigint      NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL
);
CREATE TABLE escalation.ladder_steps (
  metric   text    NOT NULL CONSTRAINT ladder_steps_ladder_fk
             REFERENCES escalation.ladders (metric) ON DELETE CASCADE,
  level    integer NOT NULL,
  trigger  text    NOT NULL,
  delay_us bigint  NOT NULL DEFAULT 0,
  actions  text[]  NOT NULL,
  CONSTRAINT ladder_steps_pk PRIMARY KEY (metric, level)
);

-- The service's copy of each ticket, from the ticket event stream.
-- pending_assignee: an assignment asked of the ticket service and not yet
-- seen on the stream (counts towards the agent's load meanwhile).
-- queued_at: set while the ticket waits in its team's queue.
CREATE TABLE escalation.tickets (
  ticket_id        bigint      CONSTRAINT tickets_pk PRIMARY KEY,
  version          bigint      NOT NULL,
  status           text        NOT NULL,
  kind             text        NOT NULL DEFAULT '',
  cx_level         text        NOT NULL DEFAULT '',
  priority         text        NOT NULL DEFAULT '',
  channel          text        NOT NULL DEFAULT '',
  tags             text[]      NOT NULL DEFAULT '{}',
  subject          text        NOT NULL DEFAULT '',
  customer_email   text        NOT NULL DEFAULT '',
  team             text        NOT NULL DEFAULT '',
  assignee         text        NOT NULL DEFAULT '',
  pending_assignee text        NOT NULL DEFAULT '',
  queued_at        timestamptz,
  -- How the team assigns it when it leaves the queue.
  strategy         text        NOT NULL DEFAULT '',
  routed           boolean     NOT NULL DEFAULT false,
  is_open          boolean     GENERATED ALWAYS AS (status NOT IN ('solved', 'closed')) STORED
);
CREATE INDEX tickets_load_ix ON escalation.tickets
  ((CASE WHEN pending_assignee <> '' THEN pending_assignee ELSE assignee END))
  WHERE is_open;
CREATE INDEX tickets_queue_ix ON escalation.tickets (team)
  WHERE queued_at IS NOT NULL;

-- The running deadline of each SLA clock (for the queue order).
CREATE TABLE escalation.clock_deadlines (
  ticket_id bigint      NOT NULL,
  metric    text        NOT NULL,
  deadline  timestamptz NOT NULL,
  CONSTRAINT clock_deadlines_pk PRIMARY KEY (ticket_id, metric)
);

CREATE TABLE escalation.round_robin (
  team_id    text CONSTRAINT round_robin_pk PRIMARY KEY,
  last_agent text NOT NULL
);

CREATE TABLE escalation.decisions (
  decision_id bigserial   CONSTRAINT decisions_pk PRIMARY KEY,
  ticket_id   bigint      NOT NULL,
  decided_at  timestamptz NOT NULL,
  trigger     text        NOT NULL,
  rule_id     text        NOT NULL DEFAULT '',
  team_id     text        NOT NULL,
  strategy    text        NOT NULL,
  outcome     text        NOT NULL,
  agent_id    text        NOT NULL DEFAULT '',
  candidates  text[]      NOT NULL DEFAULT '{}',
  explanation text        NOT NULL
);
CREATE INDEX decisions_ticket_ix ON escalation.decisions (ticket_id, decision_id);
CREATE INDEX decisions_time_ix ON escalation.decisions (decided_at);

-- Ladder state per SLA clock cycle.
CREATE TABLE escalation.cycles (
  ticket_id        bigint      NOT NULL,
  metric           text        NOT NULL,
  cycle            integer     NOT NULL,
  warned           boolean     NOT NULL DEFAULT false,
  breached_at      timestamptz,
  stopped          boolean     NOT NULL DEFAULT false,
  acknowledged     boolean     NOT NULL DEFAULT false,
  acknowledged_by  text        NOT NULL DEFAULT '',
  acknowledged_at  timestamptz,
  done_levels      integer[]   NOT NULL DEFAULT '{}',
  CONSTRAINT cycles_pk PRIMARY KEY (ticket_id, metric, cycle)
);

-- Every escalation step taken or skipped; a level runs once per cycle.
CREATE TABLE escalation.escalations (
  escalation_id bigserial   CONSTRAINT escalations_pk PRIMARY KEY,
  ticket_id     bigint      NOT NULL,
  metric        text        NOT NULL,
  cycle         integer     NOT NULL,
  level         integer     NOT NULL,
  trigger       text        NOT NULL,
  team_id       text        NOT NULL DEFAULT '',
  occur_at      timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  skipped       boolean     NOT NULL,
  explanation   text        NOT NULL,
  actions       text[]      NOT NULL,
  recipients    text[]      NOT NULL DEFAULT '{}',
  CONSTRAINT escalations_level_uq UNIQUE (ticket_id, metric, cycle, level)
);
CREATE INDEX escalations_time_ix ON escalation.escalations (occur_at);

-- After-breach timers of ladder steps.
CREATE TABLE escalation.timers (
  ticket_id bigint      NOT NULL,
  metric    text        NOT NULL,
  cycle     integer     NOT NULL,
  level     integer     NOT NULL,
  due       timestamptz NOT NULL,
  fired_at  timestamptz,
  fired_by  text        NOT NULL DEFAULT '',
  CONSTRAINT timers_pk PRIMARY KEY (ticket_id, metric, cycle, level)
);
CREATE INDEX timers_due_ix ON escalation.timers (due) WHERE fired_at IS NULL;

-- The action outbox: what the ticket service is asked to do.
CREATE TABLE escalation.actions (
  action_id     bigserial   CONSTRAINT actions_pk PRIMARY KEY,
  ticket_id     bigint      NOT NULL,
  kind          text        NOT NULL,
  state         text        NOT NULL
    CONSTRAINT actions_state_ck CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
  assignee      text        NOT NULL DEFAULT '',
  team          text        NOT NULL DEFAULT '',
  unassign      boolean     NOT NULL DEFAULT false,
  note          text        NOT NULL DEFAULT '',
  request_id    text        NOT NULL CONSTRAINT actions_request_id_uq UNIQUE,
  escalation_id bigint      CONSTRAINT actions_escalation_fk
                  REFERENCES escalation.escalations (escalation_id),
  action_index  integer     NOT NULL DEFAULT 0,
  decision_id   bigint      CONSTRAINT actions_decision_fk
                  REFERENCES escalation.decisions (decision_id),
  attempts      integer     NOT NULL DEFAULT 0,
  next_attempt  timestamptz NOT NULL,
  detail        text        NOT NULL DEFAULT '',
  error         text        NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL,
  done_at       timestamptz
);
CREATE INDEX actions_due_ix ON escalation.actions (next_attempt, action_id)
  WHERE state = 'pending';
CREATE INDEX actions_escalation_ix ON escalation.actions (escalation_id)
  WHERE escalation_id IS NOT NULL;

-- Notifications: each recipient's feed, and the outbox of
-- WatchNotifications, read in (xid, id) order like the other streams.
CREATE TABLE escalation.notifications (
  notification_id bigserial   CONSTRAINT notifications_pk PRIMARY KEY,
  xid             xid8        NOT NULL DEFAULT pg_current_xact_id(),
  recipient       text        NOT NULL,
  ticket_id       bigint      NOT NULL,
  escalation_id   bigint      NOT NULL CONSTRAINT notifications_escalation_fk
                    REFERENCES escalation.escalations (escalation_id),
  level           integer     NOT NULL,
  metric          text        NOT NULL,
  title           text        NOT NULL,
  body            text        NOT NULL,
  team_id         text        NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL,
  read_at         timestamptz
);
CREATE INDEX notifications_recipient_ix ON escalation.notifications
  (recipient, notification_id);
CREATE INDEX notifications_stream_ix ON escalation.notifications
  (xid, notification_id);

-- Webhook deliveries; state 'dead' is the dead letter.
CREATE TABLE escalation.deliveries (
  delivery_id      bigserial   CONSTRAINT deliveries_pk PRIMARY KEY,
  team_id          text        NOT NULL,
  notification_id  bigint      NOT NULL CONSTRAINT deliveries_notification_fk
                     REFERENCES escalation.notifications (notification_id),
  url              text        NOT NULL,
  payload          text        NOT NULL,
  state            text        NOT NULL
    CONSTRAINT deliveries_state_ck CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts         integer     NOT NULL DEFAULT 0,
  last_status_code integer     NOT NULL DEFAULT 0,
  last_error       text        NOT NULL DEFAULT '',
  next_attempt     timestamptz NOT NULL,
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz
);
CREATE INDEX deliveries_due_ix ON escalation.deliveries (next_attempt, delivery_id)
  WHERE state = 'pending';

CREATE TABLE escalation.consumer_cursors (
  consumer text CONSTRAINT consumer_cursors_pk PRIMARY KEY,
  cursor   text NOT NULL
);
