-- The tamper-evident audit trail of the ticket schema (see
-- docs/readme-audit.md). Every audited row change is chained, in its stream,
-- by a record that carries the hash of the record before it:
--   hash = hex(sha256(utf8(prev_hash || E'\n' || stream || E'\n' || seq
--          || E'\n' || source_table || E'\n' || op || E'\n' || source_key
--          || E'\n' || payload)))
-- with prev_hash = 64 zeros for a stream's first record. payload is the row
-- (after the change; before it for a delete) as row_to_json text in UTC,
-- exactly the text hashed; source_key is the row's primary key values joined
-- by ','. Records are written by deferred constraint triggers, at commit,
-- under a transaction advisory lock per stream (namespace 9), so the lock is
-- held only from the first chained change to the end of the commit.
-- services/common/audit_chain.cc recomputes the hash independently.
CREATE TABLE ticket.audit_records (
  stream       text        NOT NULL,
  seq          bigint      NOT NULL,
  record_time  timestamptz NOT NULL,
  source_table text        NOT NULL,
  op           text        NOT NULL
    CONSTRAINT audit_records_op_ck CHECK (op IN ('insert', 'update', 'delete')),
  source_key   text        NOT NULL,
  payload      text        NOT NULL,
  prev_hash    text        NOT NULL,
  hash         text        NOT NULL,
  CONSTRAINT audit_records_pk PRIMARY KEY (stream, seq)
);
CREATE INDEX audit_records_time_ix ON ticket.audit_records (record_time);

-- Appends one record to `p_stream`. The caller's payload must be row_to_json
-- text rendered in UTC.
CREATE FUNCTION ticket.audit_append(p_stream text, p_table text, p_op text,
                                      p_key text, p_payload text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  last_seq  bigint;
  last_hash text;
  next_seq  bigint := 1;
  prev      text := repeat('0', 64);
BEGIN
  -- Serialises the writers of one stream; the read below takes its snapshot
  -- after the lock, so it sees the record of the previous holder (read
  -- committed, as every service transaction is).
  PERFORM pg_advisory_xact_lock(9, hashtext(p_stream));
  SELECT a.seq, a.hash INTO last_seq, last_hash
    FROM ticket.audit_records a
    WHERE a.stream = p_stream ORDER BY a.seq DESC LIMIT 1;
  IF FOUND THEN
    next_seq := last_seq + 1;
    prev := last_hash;
  END IF;
  INSERT INTO ticket.audit_records (stream, seq, record_time, source_table, op,
                                      source_key, payload, prev_hash, hash)
  VALUES (p_stream, next_seq, clock_timestamp(), p_table, p_op, p_key,
          p_payload, prev,
          encode(sha256(convert_to(
            prev || E'\n' || p_stream || E'\n' || next_seq::text || E'\n' ||
            p_table || E'\n' || p_op || E'\n' || p_key || E'\n' || p_payload,
            'UTF8')), 'hex'));
END
$$;

-- ticket.events is chained in 16 streams by ticket: ticket.events/<ticket_id
-- % 16>. In one stream every ticket write waited at commit for the one before
-- it to be flushed (CreateTicket at concurrency 32: 764/s chained in one
-- stream, 1,774/s unchained); a ticket's events all stay in one stream, in
-- order. services/common/audit_chain.cc declares the same split. An UPDATE
-- that changes nothing is not chained; time zone UTC so that the payload text
-- does not depend on the writer's session.
CREATE FUNCTION ticket.audit_chain_event() RETURNS trigger
LANGUAGE plpgsql SET timezone TO 'UTC' AS $$
DECLARE
  r      ticket.events;
  op     text := lower(TG_OP);
  stream text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    r := OLD;
  ELSE
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
      RETURN NULL;
    END IF;
    r := NEW;
  END IF;
  stream := 'ticket.events/' || (r.ticket_id % 16)::text;
  PERFORM ticket.audit_append(stream, 'ticket.events', op, r.id::text,
                              row_to_json(r)::text);
  RETURN NULL;
END
$$;

-- Rows written before this migration are chained now, as inserts, in id
-- order.
SET LOCAL timezone TO 'UTC';
SELECT ticket.audit_append('ticket.events/' || (t.ticket_id % 16)::text,
                           'ticket.events', 'insert', t.id::text,
                           row_to_json(t)::text)
  FROM (SELECT * FROM ticket.events ORDER BY id) t;

CREATE CONSTRAINT TRIGGER events_audit_tg
  AFTER INSERT OR UPDATE OR DELETE ON ticket.events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  EXECUTE FUNCTION ticket.audit_chain_event();
