-- The archive: every canonical event with its canonical columns, idempotent on id. It may live in the
-- hub's own database or in another one (hub.archive.db.url); its own history table keeps the two apart.
CREATE TABLE hub_archive (
    id            VARCHAR(32)              NOT NULL PRIMARY KEY,
    esp           VARCHAR(64)              NOT NULL,
    type          VARCHAR(16)              NOT NULL,
    bounce_type   VARCHAR(4),
    occurred_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    recipient     VARCHAR(512),
    message_id    VARCHAR(1024),
    esp_event_id  VARCHAR(1024),
    reason        TEXT,
    mta_response  TEXT,
    url           TEXT,
    user_agent    TEXT,
    ip            VARCHAR(64),
    tags          TEXT                     NOT NULL,
    metadata      TEXT                     NOT NULL,
    raw           TEXT                     NOT NULL
);
CREATE INDEX hub_archive_recipient ON hub_archive (recipient, occurred_at);
CREATE INDEX hub_archive_message ON hub_archive (message_id);
CREATE INDEX hub_archive_occurred ON hub_archive (occurred_at);
