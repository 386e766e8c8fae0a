-- Clicked links and bounce reasons summed per period of the send time, so that /api/stats/links and
-- /api/stats/bounce-reasons read whole days and quarter hours from here and only the ragged edges of a range (and
-- what is older than the quarter-hour rows) from the per-send rows. grain 1: quarter hours, 2: UTC days, as in
-- insight_rollup; kept and removed with it (store/InsightMaintenance). A send's rows move with it when an earlier
-- event moves its time or a new tag joins its tag set (store/InsightStore). '' stands for "none" in the key columns.
CREATE TABLE insight_link_rollup (
    grain           SMALLINT     NOT NULL,
    period          BIGINT       NOT NULL,
    esp             VARCHAR(64)  NOT NULL,
    tagset          VARCHAR(32)  NOT NULL,
    url_key         VARCHAR(32)  NOT NULL,
    url             TEXT         NOT NULL,
    clicks          BIGINT       NOT NULL,
    clicked         BIGINT       NOT NULL,
    machine_clicks  BIGINT       NOT NULL,
    PRIMARY KEY (grain, period, esp, tagset, url_key)
);

CREATE TABLE insight_bounce_rollup (
    grain             SMALLINT      NOT NULL,
    period            BIGINT        NOT NULL,
    esp               VARCHAR(64)   NOT NULL,
    recipient_domain  VARCHAR(512)  NOT NULL,
    reason_key        VARCHAR(32)   NOT NULL,
    bounce_type       VARCHAR(4)    NOT NULL,
    reason            TEXT,
    sends             BIGINT        NOT NULL,
    PRIMARY KEY (grain, period, esp, recipient_domain, reason_key, bounce_type)
);

-- The figures already kept, summed once (sent_at is positive: integer division is the floor).
INSERT INTO insight_link_rollup (grain, period, esp, tagset, url_key, url, clicks, clicked, machine_clicks)
SELECT g.grain, s.sent_at / g.width * g.width, d.esp, s.tagset, d.url_key, MIN(d.url), SUM(d.clicks),
       SUM(CASE WHEN d.clicks > 0 THEN 1 ELSE 0 END), SUM(d.machine_clicks)
FROM insight_send_link d
JOIN insight_send s ON s.esp = d.esp AND s.send_key = d.send_key AND s.recipient = d.recipient
CROSS JOIN (SELECT CAST(1 AS SMALLINT) AS grain, CAST(900000 AS BIGINT) AS width
            UNION ALL SELECT CAST(2 AS SMALLINT), CAST(86400000 AS BIGINT)) g
GROUP BY g.grain, s.sent_at / g.width * g.width, d.esp, s.tagset, d.url_key;

INSERT INTO insight_bounce_rollup (grain, period, esp, recipient_domain, reason_key, bounce_type, reason, sends)
SELECT g.grain, s.sent_at / g.width * g.width, d.esp, COALESCE(s.recipient_domain, ''), d.reason_key, d.bounce_type,
       MIN(d.reason), COUNT(*)
FROM insight_send_bounce d
JOIN insight_send s ON s.esp = d.esp AND s.send_key = d.send_key AND s.recipient = d.recipient
CROSS JOIN (SELECT CAST(1 AS SMALLINT) AS grain, CAST(900000 AS BIGINT) AS width
            UNION ALL SELECT CAST(2 AS SMALLINT), CAST(86400000 AS BIGINT)) g
GROUP BY g.grain, s.sent_at / g.width * g.width, d.esp, COALESCE(s.recipient_domain, ''), d.reason_key, d.bounce_type;
