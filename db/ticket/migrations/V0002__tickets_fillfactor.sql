-- Leave room in each page of ticket.tickets so that an update which changes
-- no indexed column (a comment, a rating, a priority) can be a HOT update:
-- a new row version on the same page and no new entries in the table's eight
-- indexes (one of them GIN). Measured with cxdesk-loadgen: at fillfactor 100
-- every AddComment rewrote all index entries and cost PostgreSQL about 1 ms
-- of CPU. Existing pages take the setting as they are rewritten.
ALTER TABLE ticket.tickets SET (fillfactor = 70);
