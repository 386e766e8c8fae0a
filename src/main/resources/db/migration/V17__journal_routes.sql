-- The engaged-lead scores and the suppression list follow the journal with a cursor too, instead of one outbox row per
-- event, but they take only the events the fan-out rules choose for them (routes/fanout.camel.yaml): the choice is
-- stored on the journal row, as a comma-framed list of names (',leads,suppression,'; NULL when none of them), and each
-- reader takes the rows that name it. Their cursors start after the journal's last row: what the outbox holds for them
-- drains there.
ALTER TABLE hub_event ADD COLUMN routes VARCHAR(2000);
INSERT INTO hub_cursor (name, tx, seq, updated_at)
SELECT 'leads', COALESCE(MAX(tx), 0), COALESCE(MAX(seq), 0), 0
FROM hub_event
WHERE tx = (SELECT MAX(tx) FROM hub_event);
INSERT INTO hub_cursor (name, tx, seq, updated_at)
SELECT 'suppression', COALESCE(MAX(tx), 0), COALESCE(MAX(seq), 0), 0
FROM hub_event
WHERE tx = (SELECT MAX(tx) FROM hub_event);
