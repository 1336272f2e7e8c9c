-- The ticket service's schema: customers, tickets, comments, the per-request
-- idempotency record and the event outbox.
CREATE SCHEMA IF NOT EXISTS ticket;

CREATE TABLE ticket.customers (
  id         bigserial   CONSTRAINT customers_pk PRIMARY KEY,
  email      text        NOT NULL CONSTRAINT customers_email_uq UNIQUE,
  name       text        NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL
);

CREATE TABLE ticket.tickets (
  id              bigserial   CONSTRAINT tickets_pk PRIMARY KEY,
  subject         text        NOT NULL,
  description     text        NOT NULL,
  kind            text        NOT NULL CONSTRAINT tickets_kind_ck
                    CHECK (kind IN ('question', 'incident', 'request', 'complaint')),
  cx_level        text        CONSTRAINT tickets_cx_level_ck
                    CHECK (cx_level IN ('product', 'interaction', 'service', 'emotion', 'brand')),
  priority        text        NOT NULL CONSTRAINT tickets_priority_ck
                    CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  channel         text        NOT NULL CONSTRAINT tickets_channel_ck
                    CHECK (channel IN ('email', 'web', 'phone', 'chat', 'social', 'api')),
  status          text        NOT NULL CONSTRAINT tickets_status_ck
                    CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
  customer_id     bigint      NOT NULL CONSTRAINT tickets_customer_fk REFERENCES ticket.customers (id),
  tags            text[]      NOT NULL DEFAULT '{}',
  assignee        text        NOT NULL DEFAULT '',
  team            text        NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  solved_at       timestamptz,
  rating_score    smallint    CONSTRAINT tickets_rating_ck CHECK (rating_score BETWEEN 1 AND 5),
  rating_comment  text,
  rated_at        timestamptz,
  version         bigint      NOT NULL DEFAULT 1,
  access_key_hash text        NOT NULL,
  request_id      text        CONSTRAINT tickets_request_id_uq UNIQUE
);
CREATE INDEX tickets_created_idx ON ticket.tickets (created_at DESC, id DESC);
CREATE INDEX tickets_status_idx ON ticket.tickets (status, created_at DESC);
CREATE INDEX tickets_assignee_idx ON ticket.tickets (assignee, status) WHERE assignee <> '';
CREATE INDEX tickets_team_idx ON ticket.tickets (team, status);
CREATE INDEX tickets_customer_idx ON ticket.tickets (customer_id);
CREATE INDEX tickets_tags_idx ON ticket.tickets USING gin (tags);

CREATE TABLE ticket.comments (
  id          bigserial   CONSTRAINT comments_pk PRIMARY KEY,
  ticket_id   bigint      NOT NULL CONSTRAINT comments_ticket_fk REFERENCES ticket.tickets (id),
  visibility  text        NOT NULL CONSTRAINT comments_visibility_ck
                CHECK (visibility IN ('public', 'internal')),
  body        text        NOT NULL,
  author      text        NOT NULL,
  author_role text        NOT NULL CONSTRAINT comments_author_role_ck
                CHECK (author_role IN ('customer', 'agent', 'manager', 'service')),
  created_at  timestamptz NOT NULL
);
CREATE INDEX comments_ticket_idx ON ticket.comments (ticket_id, id);

-- Idempotency keys of mutating calls other than CreateTicket (which keeps its
-- own on the ticket row): a replayed key is a no-op.
CREATE TABLE ticket.request_ids (
  request_id text        CONSTRAINT request_ids_pk PRIMARY KEY,
  ticket_id  bigint      NOT NULL CONSTRAINT request_ids_ticket_fk REFERENCES ticket.tickets (id),
  created_at timestamptz NOT NULL
);

-- The transactional outbox. Each row is written in the transaction that
-- changed the ticket and carries a snapshot of the ticket after the change;
-- the snapshot before is the previous version's row. `xid` orders the stream:
-- readers deliver (xid, id) in order and only below the oldest running
-- transaction, so no late commit is skipped (see DESIGN.md).
CREATE TABLE ticket.events (
  id             bigserial   CONSTRAINT events_pk PRIMARY KEY,
  xid            xid8        NOT NULL DEFAULT pg_current_xact_id(),
  ticket_id      bigint      NOT NULL CONSTRAINT events_ticket_fk REFERENCES ticket.tickets (id),
  ticket_version bigint      NOT NULL,
  type           text        NOT NULL CONSTRAINT events_type_ck
                   CHECK (type IN ('created', 'updated', 'comment_added', 'assigned',
                                   'status_changed', 'rated')),
  actor          text        NOT NULL,
  actor_role     text        NOT NULL,
  reason         text        NOT NULL DEFAULT '',
  comment_id     bigint      CONSTRAINT events_comment_fk REFERENCES ticket.comments (id),
  created_at     timestamptz NOT NULL,
  -- Snapshot of the ticket after the change.
  subject        text        NOT NULL,
  kind           text        NOT NULL,
  cx_level       text,
  priority       text        NOT NULL,
  channel        text        NOT NULL,
  status         text        NOT NULL,
  tags           text[]      NOT NULL,
  assignee       text        NOT NULL,
  team           text        NOT NULL,
  solved_at      timestamptz,
  rating_score   smallint,
  updated_at     timestamptz NOT NULL,
  CONSTRAINT events_ticket_version_uq UNIQUE (ticket_id, ticket_version)
);
CREATE INDEX events_stream_idx ON ticket.events (xid, id);
