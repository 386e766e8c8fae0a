-- Alerts (docs/alerts.md): one row per alert from the time a group crosses its rule's warn threshold until it
-- is resolved (and kept afterwards for GET /api/alerts). At most one firing row per dedup_key: evaluation
-- runs under the lock row below, on every instance, so two instances never both open or notify an alert.
CREATE TABLE hub_alert (
    id            VARCHAR(32)   NOT NULL PRIMARY KEY,
    rule          VARCHAR(64)   NOT NULL,
    dedup_key     VARCHAR(1024) NOT NULL,
    group_json    TEXT          NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    severity      VARCHAR(16)   NOT NULL,
    alert_value   DOUBLE PRECISION NOT NULL,
    numerator     BIGINT,
    denominator   BIGINT,
    warn          DOUBLE PRECISION NOT NULL,
    critical      DOUBLE PRECISION NOT NULL,
    alert_window  VARCHAR(32),
    started_at    BIGINT        NOT NULL,
    evaluated_at  BIGINT        NOT NULL,
    notified_at   BIGINT        NOT NULL,
    below_since   BIGINT,
    resolved_at   BIGINT
);
CREATE INDEX hub_alert_status ON hub_alert (status, started_at);
CREATE INDEX hub_alert_key ON hub_alert (dedup_key, status);

-- What each alert told its channels (trigger, renotify, escalate, resolve): the alert object as it was then.
-- Each channel is a destination (alert-slack, alert-pagerduty, alert-webhook) whose outbox rows name these ids.
CREATE TABLE hub_alert_notification (
    id          VARCHAR(32)  NOT NULL PRIMARY KEY,
    alert_id    VARCHAR(32)  NOT NULL,
    action      VARCHAR(16)  NOT NULL,
    body        TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL
);

-- The row every evaluation locks (SELECT ... FOR UPDATE) for its transaction.
CREATE TABLE hub_alert_lock (
    name          VARCHAR(32) NOT NULL PRIMARY KEY,
    evaluated_at  BIGINT      NOT NULL
);
INSERT INTO hub_alert_lock (name, evaluated_at) VALUES ('alerts', 0);
