-- The archive in the hub's own database is the journal itself, not a second copy of each event: hub_archive becomes a
-- view of the journal's events (hub_event) and of the events past the journal's retention, which the journal's
-- maintenance moves into hub_archive_past (store/ArchiveMove). An event is in exactly one of the two, but for one the
-- archive copied before this version that is still in the journal: the view shows the journal's row.
-- The body is read as json (not jsonb), once per row (OFFSET 0 keeps the subquery apart): the JSON fields are the
-- text the hub wrote, as the archive's copy had them. PostgreSQL reads no field of a json text that holds the escape
-- \u0000 (text cannot hold U+0000): in such a body (a vendor's raw payload may have one) the view reads each \u0000 as
-- \ufffd, U+FFFD; an escaped backslash before a "u0000" is kept (its pair is set aside as chr(1) meanwhile, a character
-- JSON text never holds unescaped). The journal's body keeps the original, and so does hub_archive_past once moved.
ALTER TABLE hub_archive RENAME TO hub_archive_past;
CREATE VIEW hub_archive AS
SELECT e.id, e.esp, e.type, e.bounce_type,
       TIMESTAMPTZ 'epoch' + e.occurred_at * INTERVAL '1 millisecond' AS occurred_at,
       TIMESTAMPTZ 'epoch' + e.received_at * INTERVAL '1 millisecond' AS received_at,
       e.recipient, e.message_id,
       (b.j ->> 'esp_event_id')::varchar(1024) AS esp_event_id,
       b.j ->> 'reason' AS reason,
       b.j ->> 'mta_response' AS mta_response,
       b.j ->> 'url' AS url,
       b.j ->> 'user_agent' AS user_agent,
       (b.j ->> 'ip')::varchar(64) AS ip,
       (b.j -> 'tags')::text AS tags,
       (b.j -> 'metadata')::text AS metadata,
       (b.j -> 'raw')::text AS raw
  FROM hub_event e
 CROSS JOIN LATERAL (SELECT (CASE WHEN strpos(e.body, '\u0000') = 0 THEN e.body
         ELSE replace(replace(replace(e.body, '\\', chr(1)), '\u0000', '\ufffd'), chr(1), '\\') END)::json AS j
         OFFSET 0) b
UNION ALL
SELECT p.id, p.esp, p.type, p.bounce_type, p.occurred_at, p.received_at, p.recipient, p.message_id, p.esp_event_id,
       p.reason, p.mta_response, p.url, p.user_agent, p.ip, p.tags, p.metadata, p.raw
  FROM hub_archive_past p
 WHERE NOT EXISTS (SELECT 1 FROM hub_event e WHERE e.id = p.id);
-- Events queued for the archive in the outbox before it followed the journal are in the journal: nothing to copy.
DELETE FROM hub_delivery WHERE destination = 'archive';
