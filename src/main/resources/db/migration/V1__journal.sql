-- The journal: every canonical event the hub acknowledged, de-duplicated on its deterministic id.
-- Times are epoch milliseconds (BIGINT) so the same DDL and the same queries run on H2 and PostgreSQL.
CREATE TABLE hub_event (
    id           VARCHAR(32)  NOT NULL PRIMARY KEY,
    esp          VARCHAR(64)  NOT NULL,
    type         VARCHAR(16)  NOT NULL,
    bounce_type  VARCHAR(4),
    recipient    VARCHAR(512),
    message_id   VARCHAR(1024),
    occurred_at  BIGINT       NOT NULL,
    received_at  BIGINT       NOT NULL,
    body         TEXT         NOT NULL
);
CREATE INDEX hub_event_message ON hub_event (message_id, occurred_at);
CREATE INDEX hub_event_recipient ON hub_event (recipient, occurred_at);
CREATE INDEX hub_event_occurred ON hub_event (occurred_at);
CREATE INDEX hub_event_received ON hub_event (received_at);

-- Single-use request tokens (Mailgun signs timestamp+token only): a token seen within the
-- vendor's tolerance window is refused. Written in the same transaction as the events.
CREATE TABLE hub_replay_token (
    vendor   VARCHAR(64)  NOT NULL,
    token    VARCHAR(256) NOT NULL,
    seen_at  BIGINT       NOT NULL,
    PRIMARY KEY (vendor, token)
);
CREATE INDEX hub_replay_token_seen ON hub_replay_token (seen_at);

-- The outbox: one row per (destination, event) chosen by the fan-out rules, written in the
-- same transaction as the event, so an acknowledged event is always queued for its destinations.
CREATE TABLE hub_delivery (
    destination     VARCHAR(64)  NOT NULL,
    event_id        VARCHAR(32)  NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INT          NOT NULL,
    next_attempt_at BIGINT       NOT NULL,
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    last_error      VARCHAR(2000),
    PRIMARY KEY (destination, event_id)
);
CREATE INDEX hub_delivery_due ON hub_delivery (destination, status, next_attempt_at);
