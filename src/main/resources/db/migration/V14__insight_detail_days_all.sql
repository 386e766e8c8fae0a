-- Links and bounce reasons per UTC day under their ESP alone (grain 3; tagset and recipient_domain hold ''), for the
-- pages that filter by neither: 90 days of the dashboard's links read one row per ESP, URL and day instead of one per
-- tag set too. Written beside grains 1 and 2 (store/InsightDetailRollups) and removed with the daily rows.
INSERT INTO insight_link_rollup (grain, period, esp, tagset, url_key, url, clicks, clicked, machine_clicks)
SELECT 3, period, esp, '', url_key, MIN(url), SUM(clicks), SUM(clicked), SUM(machine_clicks)
FROM insight_link_rollup
WHERE grain = 2
GROUP BY period, esp, url_key;

INSERT INTO insight_bounce_rollup (grain, period, esp, recipient_domain, reason_key, bounce_type, reason, sends)
SELECT 3, period, esp, '', reason_key, bounce_type, MIN(reason), SUM(sends)
FROM insight_bounce_rollup
WHERE grain = 2
GROUP BY period, esp, reason_key, bounce_type;
