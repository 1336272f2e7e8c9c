-- Leases of the two outboxes (actions for the ticket service, webhook
-- deliveries). A relay claims a batch in one short transaction, performs it
-- outside any transaction and records each outcome in another: no row lock
-- and no connection is held while the ticket service or a webhook receiver
-- answers.
--   lease_until: while in the future, the row is its claimer's; once past
--                (the claimer died or stalled), any relay may claim it again.
--   claim:       bumped by every claim; a claimer's outcome is recorded only
--                if the row's claim is still the one it was given, so a late
--                finisher never overwrites its successor's work.
ALTER TABLE escalation.actions
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN claim       bigint NOT NULL DEFAULT 0;

ALTER TABLE escalation.deliveries
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN claim       bigint NOT NULL DEFAULT 0;
