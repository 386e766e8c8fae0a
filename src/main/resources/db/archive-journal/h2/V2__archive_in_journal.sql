-- The archive in the hub's own database is the journal itself, not a second copy of each event: hub_archive becomes a
-- view of the journal's events (hub_event) and of the events past the journal's retention, which the journal's
-- maintenance moves into hub_archive_past (store/ArchiveMove). An event is in exactly one of the two, but for one the
-- archive copied before this version that is still in the journal: the view shows the journal's row.
-- H2 answers JSON fields quoted ((body FORMAT JSON)."reason"), so the hub's functions read them (store/ArchiveView).
ALTER TABLE hub_archive RENAME TO hub_archive_past;
CREATE ALIAS HUB_ARCHIVE_TEXT DETERMINISTIC FOR 'com.emaileventhub.store.ArchiveView.text';
CREATE VIEW hub_archive AS
SELECT e.id, e.esp, e.type, e.bounce_type,
       DATEADD(MILLISECOND, e.occurred_at, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00') AS occurred_at,
       DATEADD(MILLISECOND, e.received_at, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00') AS received_at,
       e.recipient, e.message_id,
       CAST(HUB_ARCHIVE_TEXT(e.body, 'esp_event_id') AS VARCHAR(1024)) AS esp_event_id,
       HUB_ARCHIVE_TEXT(e.body, 'reason') AS reason,
       HUB_ARCHIVE_TEXT(e.body, 'mta_response') AS mta_response,
       HUB_ARCHIVE_TEXT(e.body, 'url') AS url,
       HUB_ARCHIVE_TEXT(e.body, 'user_agent') AS user_agent,
       CAST(HUB_ARCHIVE_TEXT(e.body, 'ip') AS VARCHAR(64)) AS ip,
       HUB_ARCHIVE_TEXT(e.body, 'tags') AS tags,
       HUB_ARCHIVE_TEXT(e.body, 'metadata') AS metadata,
       HUB_ARCHIVE_TEXT(e.body, 'raw') AS raw
  FROM hub_event e
UNION ALL
SELECT p.id, p.esp, p.type, p.bounce_type, p.occurred_at, p.received_at, p.recipient, p.message_id, p.esp_event_id,
       p.reason, p.mta_response, p.url, p.user_agent, p.ip, p.tags, p.metadata, p.raw
  FROM hub_archive_past p
 WHERE NOT EXISTS (SELECT 1 FROM hub_event e WHERE e.id = p.id);
-- Events queued for the archive in the outbox before it followed the journal are in the journal: nothing to copy.
DELETE FROM hub_delivery WHERE destination = 'archive';
