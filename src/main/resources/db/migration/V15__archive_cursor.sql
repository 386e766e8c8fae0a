-- The archive follows the journal with a cursor (store/JournalCursor), as the insight figures do, instead of one outbox
-- row per event. Its cursor starts after the journal's last row: the events stored before this version were queued for
-- the archive in the outbox, and their items drain there.
INSERT INTO hub_cursor (name, tx, seq, updated_at)
SELECT 'archive', COALESCE(MAX(tx), 0), COALESCE(MAX(seq), 0), 0
FROM hub_event
WHERE tx = (SELECT MAX(tx) FROM hub_event);
