-- Engaged leads (docs/leads.md), kept by the leads destination. Human clicks per distinct (send, url) and human
-- opens per send, with their time; per recipient the time of the last reset (complaint or unsubscribe) and of
-- the last engaged-lead signal; and the signals themselves, which the lead-crm and lead-notify destinations
-- deliver (their outbox rows name lead_signal ids).
CREATE TABLE lead_click (
    recipient   VARCHAR(512)  NOT NULL,
    esp         VARCHAR(64)   NOT NULL,
    send_key    VARCHAR(1024) NOT NULL,
    url_key     VARCHAR(32)   NOT NULL,
    url         TEXT          NOT NULL,
    clicked_at  BIGINT        NOT NULL,
    PRIMARY KEY (recipient, esp, send_key, url_key)
);
CREATE TABLE lead_open (
    recipient   VARCHAR(512)  NOT NULL,
    esp         VARCHAR(64)   NOT NULL,
    send_key    VARCHAR(1024) NOT NULL,
    opened_at   BIGINT        NOT NULL,
    PRIMARY KEY (recipient, esp, send_key)
);
CREATE TABLE lead_state (
    recipient    VARCHAR(512) NOT NULL PRIMARY KEY,
    reset_at     BIGINT       NOT NULL,
    signaled_at  BIGINT       NOT NULL
);
CREATE TABLE lead_signal (
    id          VARCHAR(32)  NOT NULL PRIMARY KEY,
    recipient   VARCHAR(512) NOT NULL,
    score       INT          NOT NULL,
    clicks      INT          NOT NULL,
    opens       INT          NOT NULL,
    links       TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL
);
CREATE INDEX lead_signal_created ON lead_signal (created_at, id);

-- GET /api/recipients/inactive walks the sends recipient by recipient from its cursor.
CREATE INDEX insight_send_recipient ON insight_send (recipient, sent_at);
