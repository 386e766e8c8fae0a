#!/usr/bin/env bash
# GET /api/recipients/inactive's query on PostgreSQL over 2,000,000 sends (400,000 recipients x 5 sends over
# 120 days, 30 % of recipients engaged, 5 % suppressed): the hub's own migrations in a scratch schema, the
# rows generated in SQL, then EXPLAIN ANALYZE of the first page and of a page from the middle (limit 101).
# Usage: bench/inactive-recipients.sh   (PostgreSQL on 127.0.0.1:5432, database test, user postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMA=bench_inactive_$$
PSQL=(psql -h 127.0.0.1 -U postgres -d test -q -v ON_ERROR_STOP=1)
trap '"${PSQL[@]}" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $SCHEMA CASCADE"' EXIT
"${PSQL[@]}" -c "CREATE SCHEMA $SCHEMA"
for f in V3__suppression.sql V6__insight.sql V10__leads.sql; do
  { echo "SET search_path TO $SCHEMA;"; cat "src/main/resources/db/migration/$f"; } | "${PSQL[@]}"
done
NOW=$(( $(date +%s) * 1000 ))
"${PSQL[@]}" <<SQL
SET search_path TO $SCHEMA;
INSERT INTO insight_send (esp, send_key, recipient, sent_at, recipient_domain, tagset, flags, events, opens, clicks,
                          machine_opens, machine_clicks, delivered_at, last_event_at)
SELECT 'sendgrid', 'm' || g, 'r' || lpad((g % 400000)::text, 6, '0') || '@example.com',
       $NOW - (g % 120) * 86400000::bigint, 'example.com', '', 8 | CASE WHEN (g % 400000) % 10 < 3 THEN 1024 ELSE 0 END,
       1, 0, 0, 0, 0, $NOW - (g % 120) * 86400000::bigint, $NOW
FROM generate_series(1, 2000000) g;
INSERT INTO hub_suppression (email, reason, esp, first_at, last_at, event_id, created_at)
SELECT 'r' || lpad(g::text, 6, '0') || '@example.com', 'hard_bounce', 'sendgrid', 0, 0, 'e' || g, 0
FROM generate_series(0, 399999, 20) g;
ANALYZE;
SQL
QUERY="SELECT s.recipient, SUM(CASE WHEN (s.flags & 8) <> 0 THEN 1 ELSE 0 END), MAX(s.delivered_at) FROM insight_send s
 WHERE s.sent_at >= $(( NOW - 90 * 86400000 )) AND s.recipient > '%s'
 AND NOT EXISTS (SELECT 1 FROM hub_suppression x WHERE x.email = s.recipient)
 GROUP BY s.recipient HAVING SUM(CASE WHEN (s.flags & 8) <> 0 THEN 1 ELSE 0 END) > 0
 AND SUM(CASE WHEN (s.flags & 3072) <> 0 THEN 1 ELSE 0 END) = 0 ORDER BY s.recipient LIMIT 101"
for cursor in "" "r200000@example.com"; do
  echo "--- page after '$cursor'"
  "${PSQL[@]}" -c "SET search_path TO $SCHEMA; EXPLAIN (ANALYZE, TIMING OFF) $(printf "$QUERY" "$cursor")" | grep -E "Execution Time|Planning Time"
  "${PSQL[@]}" -c "SET search_path TO $SCHEMA; EXPLAIN (ANALYZE, TIMING OFF) $(printf "$QUERY" "$cursor")" | grep -E "Execution Time"
done
