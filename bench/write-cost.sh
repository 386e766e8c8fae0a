#!/usr/bin/env bash
# What one event costs the database and the hub, independent of how busy the machine is: a fresh hub on PostgreSQL
# takes Postmark single events (or SendGrid batches of 100) at a fixed rate for SECONDS, waits until every destination
# has caught up (archive and figures hold every event), then prints per stored event: rows inserted, updated and deleted
# in the hub's schema (pg_stat_user_tables), per table, and the hub process's CPU time (user + system) over the run
# (on a busy machine and a short run that CPU time is mostly start-up compilation: compare the rows).
# Usage: bench/write-cost.sh [jar=target/email-event-hub.jar] [mode=postmark] [rate=200] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_JAR=${1:-target/email-event-hub.jar}
MODE=${2:-postmark}
RATE=${3:-200}
SECONDS_RUN=${4:-20}
PORT=${BENCH_PORT:-18084}
source bench/hub.sh
BENCH_JAR=$BENCH_JAR prepare target/bench-write-cost
trap 'stop_hub; drop_pg_schemas' EXIT
url=$(pg_schema wc)
schema=${url##*currentSchema=}
start_hub "$url" postgres write-cost
sql() { psql -h 127.0.0.1 -U postgres -d test -Atc "$1"; }
cpu() { awk '{print $14 + $15}' "/proc/$HUB_PID/stat"; }
sleep 3
sql "SELECT pg_stat_reset()" >/dev/null
cpu0=$(cpu)
batch=()
[ "$MODE" = sendgrid ] && batch=(--batch 100)
r=$(load "$MODE" "$SECONDS_RUN" 8 --warmup 0 --rate "$RATE" "${batch[@]}")
# caught up: every stored event archived and counted, twice in a row a second apart
for _ in $(seq 1 300); do
  left=$(sql "SELECT (SELECT COUNT(*) FROM $schema.hub_event e WHERE NOT EXISTS (SELECT 1 FROM $schema.hub_archive a WHERE a.id = e.id))
              + (SELECT COUNT(*) FROM $schema.hub_event e, $schema.hub_cursor c WHERE c.name = 'insight' AND (e.tx, e.seq) > (c.tx, c.seq))
              + (SELECT COUNT(*) FROM $schema.hub_delivery WHERE status = 'pending')")
  [ "$left" = 0 ] && break
  sleep 1
done
sleep 2
cpu1=$(cpu)
events=$(sql "SELECT COUNT(*) FROM $schema.hub_event")
tick=$(getconf CLK_TCK)
echo "$r"
echo "events stored: $events (left undelivered: $left); hub CPU: $(python3 -c "print(f'{($cpu1 - $cpu0) / $tick * 1000 / $events:.3f}')") ms per event"
sql "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables WHERE schemaname = '$schema'
     AND n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relname" | python3 -c "
import sys
events = $events
tot = [0, 0, 0]
print('| table | inserted / event | updated / event | deleted / event |')
print('|---|---|---|---|')
for line in sys.stdin:
    name, *v = line.strip().split('|')
    v = [int(x) for x in v]
    tot = [a + b for a, b in zip(tot, v)]
    print(f'| {name} | {v[0] / events:.2f} | {v[1] / events:.2f} | {v[2] / events:.2f} |')
print(f'| all | {tot[0] / events:.2f} | {tot[1] / events:.2f} | {tot[2] / events:.2f} |')
"
