-- The SLA service's schema: calendars and policies (configuration), the
-- clock state per ticket, the recorded ticket changes (the input of every
-- clock, replayed by SimulatePolicy), the SLA event ledger (also the outbox
-- of WatchSlaEvents), one measurement row per clock (derived from the
-- ledger, for reports), the timers, and the consumer's cursor.
CREATE SCHEMA IF NOT EXISTS sla;

-- Bumped by every write to calendars or policies, in the same transaction,
-- so the clock engine knows when its cached configuration is stale.
CREATE TABLE sla.config_revision (
  id       smallint CONSTRAINT config_revision_pk PRIMARY KEY
             CONSTRAINT config_revision_single_ck CHECK (id = 1),
  revision bigint   NOT NULL
);
INSERT INTO sla.config_revision (id, revision) VALUES (1, 1);

CREATE TABLE sla.calendars (
  calendar_id text        CONSTRAINT calendars_pk PRIMARY KEY,
  time_zone   text        NOT NULL,
  description text        NOT NULL DEFAULT '',
  version     bigint      NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE sla.calendar_hours (
  calendar_id  text     NOT NULL CONSTRAINT calendar_hours_calendar_fk
                 REFERENCES sla.calendars (calendar_id) ON DELETE CASCADE,
  weekday      smallint NOT NULL CONSTRAINT calendar_hours_weekday_ck CHECK (weekday BETWEEN 1 AND 7),
  start_minute smallint NOT NULL,
  end_minute   smallint NOT NULL,
  CONSTRAINT calendar_hours_range_ck CHECK (0 <= start_minute AND start_minute < end_minute AND end_minute <= 1440),
  CONSTRAINT calendar_hours_pk PRIMARY KEY (calendar_id, weekday, start_minute)
);

CREATE TABLE sla.calendar_holidays (
  calendar_id text    NOT NULL CONSTRAINT calendar_holidays_calendar_fk
                REFERENCES sla.calendars (calendar_id) ON DELETE CASCADE,
  day         date    NOT NULL,
  yearly      boolean NOT NULL,
  title       text    NOT NULL DEFAULT '',
  CONSTRAINT calendar_holidays_pk PRIMARY KEY (calendar_id, day, yearly)
);

CREATE TABLE sla.policies (
  policy_id       text        CONSTRAINT policies_pk PRIMARY KEY,
  position        integer     NOT NULL,
  is_default      boolean     NOT NULL,
  priorities      text[]      NOT NULL DEFAULT '{}',
  kinds           text[]      NOT NULL DEFAULT '{}',
  cx_levels       text[]      NOT NULL DEFAULT '{}',
  channels        text[]      NOT NULL DEFAULT '{}',
  tags_any        text[]      NOT NULL DEFAULT '{}',
  customer_emails text[]      NOT NULL DEFAULT '{}',
  pause_statuses  text[]      NOT NULL,
  reopen_restarts_resolution boolean NOT NULL,
  description     text        NOT NULL DEFAULT '',
  version         bigint      NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
-- At most one default policy.
CREATE UNIQUE INDEX policies_one_default_uq ON sla.policies (is_default) WHERE is_default;

-- A calendar cannot be deleted while a target uses it (RESTRICT).
CREATE TABLE sla.policy_targets (
  policy_id   text     NOT NULL CONSTRAINT policy_targets_policy_fk
                REFERENCES sla.policies (policy_id) ON DELETE CASCADE,
  priority    text     NOT NULL,
  metric      text     NOT NULL,
  target_ns   bigint   NOT NULL CONSTRAINT policy_targets_target_ck CHECK (target_ns > 0),
  calendar_id text     NOT NULL CONSTRAINT policy_targets_calendar_fk
                REFERENCES sla.calendars (calendar_id) ON DELETE RESTRICT,
  -- "minutes_before:30", "percent_elapsed:75", in order.
  warnings    text[]   NOT NULL DEFAULT '{}',
  CONSTRAINT policy_targets_pk PRIMARY KEY (policy_id, priority, metric)
);
CREATE INDEX policy_targets_calendar_idx ON sla.policy_targets (calendar_id);

-- The clock state of each ticket the service has seen. `state` is a
-- cxdesk.sla.storage.v1.StoredTicketClocks (services/sla/state_codec.h).
CREATE TABLE sla.tickets (
  ticket_id     bigint      CONSTRAINT tickets_pk PRIMARY KEY,
  policy_id     text        NOT NULL,
  status        text        NOT NULL,
  team          text        NOT NULL,
  assignee      text        NOT NULL,
  csat          smallint,
  state         bytea       NOT NULL,
  last_event_id bigint      NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

-- Every ticket event the service applied, as the clock engine saw it: the
-- input SimulatePolicy replays. One row per ticket event (idempotency).
CREATE TABLE sla.ticket_changes (
  ticket_event_id bigint      CONSTRAINT ticket_changes_pk PRIMARY KEY,
  ticket_id       bigint      NOT NULL,
  at              timestamptz NOT NULL,
  at_ns           bigint      NOT NULL,
  change_kind     text        NOT NULL,
  actor           text        NOT NULL,
  reason          text        NOT NULL,
  status          text        NOT NULL,
  priority        text        NOT NULL,
  ticket_kind     text        NOT NULL,
  cx_level        text        NOT NULL,
  channel         text        NOT NULL,
  tags            text[]      NOT NULL,
  customer_email  text        NOT NULL,
  team            text        NOT NULL,
  assignee        text        NOT NULL,
  csat            smallint
);
CREATE INDEX ticket_changes_ticket_idx ON sla.ticket_changes (ticket_id, ticket_event_id);
CREATE INDEX ticket_changes_at_idx ON sla.ticket_changes (at);

-- The append-only SLA ledger and the outbox of WatchSlaEvents: read in
-- (xid, id) order below pg_snapshot_xmin, as the ticket service's events.
CREATE TABLE sla.events (
  id                bigserial   CONSTRAINT events_pk PRIMARY KEY,
  xid               xid8        NOT NULL DEFAULT pg_current_xact_id(),
  ticket_id         bigint      NOT NULL,
  kind              text        NOT NULL CONSTRAINT events_kind_ck
                      CHECK (kind IN ('started', 'paused', 'resumed', 'met', 'cancelled',
                                      'retargeted', 'warned', 'breached')),
  metric            text        NOT NULL,
  cycle             integer     NOT NULL,
  occur_time        timestamptz NOT NULL,
  record_time       timestamptz NOT NULL DEFAULT clock_timestamp(),
  deadline          timestamptz,
  policy_id         text        NOT NULL,
  calendar_id       text        NOT NULL,
  target_ns         bigint      NOT NULL,
  actor             text        NOT NULL DEFAULT '',
  reason            text        NOT NULL DEFAULT '',
  status            text        NOT NULL DEFAULT '',
  met_late          boolean     NOT NULL DEFAULT false,
  overdue           boolean     NOT NULL DEFAULT false,
  warning           text        NOT NULL DEFAULT '',
  pause_business_ns bigint,
  pause_elapsed_ns  bigint,
  business_ns       bigint,
  calendar_ns       bigint,
  ticket_event_id   bigint      NOT NULL DEFAULT 0,
  team              text        NOT NULL DEFAULT '',
  assignee          text        NOT NULL DEFAULT '',
  priority          text        NOT NULL DEFAULT ''
);
CREATE INDEX events_stream_idx ON sla.events (xid, id);
CREATE INDEX events_ticket_idx ON sla.events (ticket_id, id);
CREATE INDEX events_breached_idx ON sla.events (occur_time DESC, id DESC) WHERE kind = 'breached';
CREATE INDEX events_occur_idx ON sla.events (occur_time, id);

-- One row per clock, rewritten by the transaction that writes the clock's
-- ledger events: what the reports aggregate. Group values are those of the
-- ticket when the clock ended (or now, while open).
CREATE TABLE sla.measurements (
  ticket_id   bigint      NOT NULL,
  metric      text        NOT NULL,
  cycle       integer     NOT NULL,
  policy_id   text        NOT NULL,
  calendar_id text        NOT NULL,
  target_ns   bigint      NOT NULL,
  started_at  timestamptz NOT NULL,
  deadline    timestamptz,
  ended_at    timestamptz,
  state       text        NOT NULL CONSTRAINT measurements_state_ck
                CHECK (state IN ('running', 'paused', 'met', 'cancelled')),
  breached    boolean     NOT NULL,
  met_late    boolean     NOT NULL,
  business_ns bigint,
  calendar_ns bigint,
  team        text        NOT NULL,
  assignee    text        NOT NULL,
  priority    text        NOT NULL,
  kind        text        NOT NULL,
  cx_level    text        NOT NULL,
  channel     text        NOT NULL,
  CONSTRAINT measurements_pk PRIMARY KEY (ticket_id, metric, cycle)
);
CREATE INDEX measurements_started_idx ON sla.measurements (started_at);

-- Armed and fired timers. A row is armed while fired_at is NULL; the firing
-- loop claims due rows with FOR UPDATE SKIP LOCKED and sets fired_at in the
-- transaction that writes the event. Timers a ticket change made obsolete
-- are deleted; fired rows stay (their lateness is fired_at - due).
CREATE TABLE sla.timers (
  id         bigserial   CONSTRAINT timers_pk PRIMARY KEY,
  ticket_id  bigint      NOT NULL,
  metric     text        NOT NULL,
  cycle      integer     NOT NULL,
  kind       text        NOT NULL CONSTRAINT timers_kind_ck CHECK (kind IN ('warning', 'breach')),
  warning    integer     NOT NULL,
  due        timestamptz NOT NULL,
  due_ns     bigint      NOT NULL,
  armed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  fired_at   timestamptz,
  fired_by   text,
  -- 'fired', or 'stale' when the clock no longer had this timer.
  outcome    text
);
CREATE INDEX timers_armed_due_idx ON sla.timers (due) WHERE fired_at IS NULL;
CREATE INDEX timers_armed_ticket_idx ON sla.timers (ticket_id) WHERE fired_at IS NULL;

-- Where each consumer of the ticket event stream stands.
CREATE TABLE sla.consumer_cursors (
  consumer   text        CONSTRAINT consumer_cursors_pk PRIMARY KEY,
  cursor     text        NOT NULL,
  updated_at timestamptz NOT NULL
);
