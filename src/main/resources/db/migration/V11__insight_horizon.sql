-- The quarter-hour rows (grains 1 and 3) older than fine_cut (epoch ms) may have been removed by insight maintenance
-- (store/InsightMaintenance records each cut it applies; the largest is kept). A query reads quarter-hour rows only
-- from the later of fine_cut and now - hub.insight.fine-retention, so raising that setting never reads rows that an
-- earlier, shorter setting already removed.
CREATE TABLE insight_horizon (
    id        SMALLINT NOT NULL PRIMARY KEY,
    fine_cut  BIGINT   NOT NULL
);
INSERT INTO insight_horizon (id, fine_cut) VALUES (1, 0);
