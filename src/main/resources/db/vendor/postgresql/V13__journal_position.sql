-- A position on every journal row, so that a consumer can follow the journal with a cursor instead of one outbox
-- row per event (the insight figures do: store/JournalCursor). On PostgreSQL the position is the writing
-- transaction's id (tx) and a sequence number (seq): a reader takes only rows whose transaction is older than every
-- transaction still running (the snapshot's xmin), so it never passes a row that commits late, whichever instance
-- writes it. Rows stored before this version have no position and are never read by a cursor.
ALTER TABLE hub_event ADD COLUMN tx BIGINT;
ALTER TABLE hub_event ADD COLUMN seq BIGINT;
CREATE SEQUENCE hub_event_seq;

-- One row per journal consumer: the last position it has taken, moved in the consumer's own transaction.
CREATE TABLE hub_cursor (
    name        VARCHAR(64) NOT NULL PRIMARY KEY,
    tx          BIGINT      NOT NULL,
    seq         BIGINT      NOT NULL,
    updated_at  BIGINT      NOT NULL
);
INSERT INTO hub_cursor (name, tx, seq, updated_at) VALUES ('insight', 0, 0, 0);

-- The events still queued for the insight figures (and not counted yet) move from the outbox to the cursor.
UPDATE hub_event SET tx = 0, seq = nextval('hub_event_seq')
 WHERE id IN (SELECT event_id FROM hub_delivery WHERE destination = 'insight' AND status = 'pending')
   AND id NOT IN (SELECT event_id FROM insight_applied);
DELETE FROM hub_delivery WHERE destination = 'insight' AND status = 'pending';

-- Defaults set after the columns exist: rows already stored keep NULL (a volatile default in ADD COLUMN would give
-- them all this migration's transaction id).
ALTER TABLE hub_event ALTER COLUMN seq SET DEFAULT nextval('hub_event_seq');
ALTER TABLE hub_event ALTER COLUMN tx SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX hub_event_position ON hub_event (tx, seq);
