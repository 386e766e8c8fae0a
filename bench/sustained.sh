#!/usr/bin/env bash
# Does every default destination keep up with intake? Runs one load shape for a long time against the packaged
# jar and samples the delivery backlog (hub_delivery_backlog{destination}) every 15 s: a flat backlog means
# the destinations drain as fast as intake accepts; a growing one means they fall behind.
# Usage: bench/sustained.sh [seconds=300] [rate=0 (closed loop, the peak)] [mode=postmark] [db=pg|h2]
#        (needs PostgreSQL on 127.0.0.1:5432, database test, for db=pg)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-300}
RATE=${2:-0}
MODE=${3:-postmark}
DB=${4:-pg}
PORT=${BENCH_PORT:-18081}
WORK=target/bench-sustained
JAR=${BENCH_JAR:-target/email-event-hub.jar}
[ -f "$JAR" ] || mvn -q -B package -DskipTests
JAR_ABS=$(realpath "$JAR")
rm -rf "$WORK" && mkdir -p "$WORK"
PUB=$(java bench/LoadGen.java keygen "$WORK")
PG_SCHEMA="bench_$(date +%s%N | tail -c 9)"
if [ "$DB" = pg ]; then
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $PG_SCHEMA" >/dev/null
  URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$PG_SCHEMA"; USER=postgres
else
  URL="jdbc:h2:file:./data-h2/hub"; USER=sa
fi
( cd "$WORK" && HUB_HTTP_PORT=$PORT HUB_DB_URL="$URL" HUB_DB_USERNAME="$USER" HUB_DB_POOL_SIZE=16 \
    HUB_ESP_POSTMARK_USERNAME=bench HUB_ESP_POSTMARK_PASSWORD=bench HUB_ESP_SENDGRID_PUBLIC_KEY="$PUB" \
    exec java -Xms1g -Xmx1g -jar "$JAR_ABS" > hub.log 2>&1 ) &
HUB_PID=$!
trap 'kill $HUB_PID 2>/dev/null; wait $HUB_PID 2>/dev/null; [ "$DB" = pg ] && psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $PG_SCHEMA CASCADE" >/dev/null 2>&1' EXIT
for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$PORT/observe/health/ready" >/dev/null 2>&1 && break; sleep 0.05; done
RATE_ARGS=()
[ "$RATE" != 0 ] && RATE_ARGS=(--rate "$RATE")
BATCH_ARGS=()
[ "$MODE" = sendgrid ] && BATCH_ARGS=(--batch 100)
java bench/LoadGen.java run --url "http://127.0.0.1:$PORT" --mode "$MODE" --concurrency 32 --seconds "$SECONDS_RUN" \
  --warmup 0 --key "$WORK/sendgrid.key" "${RATE_ARGS[@]}" "${BATCH_ARGS[@]}" > "$WORK/load.json" &
LOAD_PID=$!
echo "| t (s) | accepted events | backlog per destination |"
echo "|---|---|---|"
start=$(date +%s)
while kill -0 "$LOAD_PID" 2>/dev/null; do
  sleep 15
  m=$(curl -s "http://127.0.0.1:$PORT/observe/metrics" || true)
  events=$(echo "$m" | awk '/^hub_events_total/ {s += $2} END {printf "%d", s}')
  backlog=$(echo "$m" | sed -nE 's/^hub_delivery_backlog\{destination="([^"]+)".*\} ([0-9.E+]+)$/\1=\2/p' | tr '\n' ' ')
  echo "| $(( $(date +%s) - start )) | $events | $backlog |"
done
echo
echo "load: $(cat "$WORK/load.json")"
