-- Insight: the figures per send, kept by the insight destination (docs/insight.md), so that /api/stats never
-- reads the journal. Times are epoch milliseconds like the journal. All rows here are written in one
-- transaction per delivery batch, together with insight_applied, so a batch delivered twice changes nothing.

-- One row per send (esp, send_key, recipient): its time (earliest occurred_at), outcome flags (bits, see
-- store/InsightCounts), event counts, the tag set (union of its events' tags) and its delivery time.
CREATE TABLE insight_send (
    esp               VARCHAR(64)   NOT NULL,
    send_key          VARCHAR(1024) NOT NULL,
    recipient         VARCHAR(512)  NOT NULL,
    sent_at           BIGINT        NOT NULL,
    recipient_domain  VARCHAR(512),
    tagset            VARCHAR(32)   NOT NULL,
    flags             INT           NOT NULL,
    events            INT           NOT NULL,
    opens             INT           NOT NULL,
    clicks            INT           NOT NULL,
    machine_opens     INT           NOT NULL,
    machine_clicks    INT           NOT NULL,
    delivered_at      BIGINT,
    last_event_at     BIGINT        NOT NULL,
    PRIMARY KEY (esp, send_key, recipient)
);
CREATE INDEX insight_send_key ON insight_send (send_key);
CREATE INDEX insight_send_time ON insight_send (sent_at);

-- Events that belong to no send (no message_id or no recipient): counted by their own time and fields.
CREATE TABLE insight_orphan (
    event_id          VARCHAR(32)   NOT NULL PRIMARY KEY,
    occurred_at       BIGINT        NOT NULL,
    esp               VARCHAR(64)   NOT NULL,
    recipient_domain  VARCHAR(512),
    tagset            VARCHAR(32)   NOT NULL,
    type              VARCHAR(16)   NOT NULL,
    machine           BOOLEAN       NOT NULL
);
CREATE INDEX insight_orphan_time ON insight_orphan (occurred_at);

-- A tag set's key (hash of its sorted tags; '' for none) and its tags as a JSON array.
CREATE TABLE insight_tagset (
    tagset  VARCHAR(32) NOT NULL PRIMARY KEY,
    tags    TEXT        NOT NULL
);

-- Events already counted: a redelivered event (the outbox is at-least-once, replays) is skipped.
CREATE TABLE insight_applied (
    event_id    VARCHAR(32) NOT NULL PRIMARY KEY,
    applied_at  BIGINT      NOT NULL
);
CREATE INDEX insight_applied_at ON insight_applied (applied_at);

-- Sums of the sends (and orphan events) per period and dimensions. grain 1: quarter hours by recipient
-- domain, 2: UTC days by recipient domain, 3: quarter hours by mailbox provider, 4: UTC days by mailbox
-- provider (recipient_domain ''). '' stands for "none" in the text columns.
CREATE TABLE insight_rollup (
    grain             SMALLINT      NOT NULL,
    period            BIGINT        NOT NULL,
    esp               VARCHAR(64)   NOT NULL,
    recipient_domain  VARCHAR(512)  NOT NULL,
    mailbox_provider  VARCHAR(16)   NOT NULL,
    tagset            VARCHAR(32)   NOT NULL,
    sent              BIGINT        NOT NULL,
    delivered         BIGINT        NOT NULL,
    hard_bounced      BIGINT        NOT NULL,
    soft_bounced      BIGINT        NOT NULL,
    deferred          BIGINT        NOT NULL,
    rejected          BIGINT        NOT NULL,
    complained        BIGINT        NOT NULL,
    unsubscribed      BIGINT        NOT NULL,
    opened            BIGINT        NOT NULL,
    clicked           BIGINT        NOT NULL,
    opens             BIGINT        NOT NULL,
    clicks            BIGINT        NOT NULL,
    machine_opens     BIGINT        NOT NULL,
    machine_clicks    BIGINT        NOT NULL,
    events            BIGINT        NOT NULL,
    PRIMARY KEY (grain, period, esp, recipient_domain, mailbox_provider, tagset)
);

-- Clicked links per send (url without query string and fragment; url_key its hash).
CREATE TABLE insight_send_link (
    esp             VARCHAR(64)   NOT NULL,
    send_key        VARCHAR(1024) NOT NULL,
    recipient       VARCHAR(512)  NOT NULL,
    url_key         VARCHAR(32)   NOT NULL,
    url             TEXT          NOT NULL,
    clicks          INT           NOT NULL,
    machine_clicks  INT           NOT NULL,
    PRIMARY KEY (esp, send_key, recipient, url_key)
);

-- Bounce reasons per send (reason trimmed; reason_key its hash, '' for none; bounce_type '' when unclassified).
CREATE TABLE insight_send_bounce (
    esp          VARCHAR(64)   NOT NULL,
    send_key     VARCHAR(1024) NOT NULL,
    recipient    VARCHAR(512)  NOT NULL,
    reason_key   VARCHAR(32)   NOT NULL,
    bounce_type  VARCHAR(4)    NOT NULL,
    reason       TEXT,
    PRIMARY KEY (esp, send_key, recipient, reason_key, bounce_type)
);
