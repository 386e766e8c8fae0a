-- A position on every journal row, so that a consumer can follow the journal with a cursor instead of one outbox
-- row per event (the insight figures do: store/JournalCursor). On H2 one process owns the file and the journal
-- hands out seq itself, in commit-safe order (store/JournalPositions); tx is always 0.
-- Rows stored before this version have no position and are never read by a cursor.
ALTER TABLE hub_event ADD COLUMN tx BIGINT;
ALTER TABLE hub_event ADD COLUMN seq BIGINT;
CREATE INDEX hub_event_position ON hub_event (tx, seq);

-- One row per journal consumer: the last position it has taken, moved in the consumer's own transaction.
CREATE TABLE hub_cursor (
    name        VARCHAR(64) NOT NULL PRIMARY KEY,
    tx          BIGINT      NOT NULL,
    seq         BIGINT      NOT NULL,
    updated_at  BIGINT      NOT NULL
);
INSERT INTO hub_cursor (name, tx, seq, updated_at) VALUES ('insight', 0, 0, 0);

-- The events still queued for the insight figures (and not counted yet) move from the outbox to the cursor.
CREATE SEQUENCE hub_event_upgrade_seq;
UPDATE hub_event SET tx = 0, seq = NEXT VALUE FOR hub_event_upgrade_seq
 WHERE id IN (SELECT event_id FROM hub_delivery WHERE destination = 'insight' AND status = 'pending')
   AND id NOT IN (SELECT event_id FROM insight_applied);
DROP SEQUENCE hub_event_upgrade_seq;
DELETE FROM hub_delivery WHERE destination = 'insight' AND status = 'pending';
