-- The comment an AddComment call created, kept with its idempotency key so
-- that a replay of the key returns that same comment. NULL for keys of
-- calls that add no comment (UpdateTicket, AssignTicket) and for keys
-- recorded before this migration.
ALTER TABLE ticket.request_ids
  ADD COLUMN comment_id bigint
    CONSTRAINT request_ids_comment_fk REFERENCES ticket.comments (id);
