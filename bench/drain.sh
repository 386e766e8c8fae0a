#!/usr/bin/env bash
# What the destinations cost: a closed-loop load of SendGrid batches (32 connections, no warm-up) builds a backlog,
# then, intake idle, the time until every journal-fed destination's backlog (archive, insight, leads, suppression)
# reads 0, and the CPU the hub and PostgreSQL used meanwhile (/proc). Switch destinations off to measure one alone,
# e.g. HUB_INSIGHT_ENABLED=false HUB_LEADS_ENABLED=false HUB_SUPPRESSION_ENABLED=false bench/drain.sh 40 pg
# Usage: [BENCH_JAR=path] bench/drain.sh [load seconds=40] [db=pg|h2]   (needs PostgreSQL on 127.0.0.1:5432 for pg)
set -euo pipefail
cd "$(dirname "$0")/.."
LOAD_SECONDS=${1:-40}
DB=${2:-pg}
PORT=${BENCH_PORT:-18089}
source bench/hub.sh
prepare target/bench-drain
start_hub_on "$DB" drain
load sendgrid "$LOAD_SECONDS" 32 --warmup 0 --batch 100 > "$WORK/load.json"
echo "load: $(cat "$WORK/load.json")"
pg_pids() { pgrep -u postgres postgres | tr '\n' ' '; }
h0=$(cpu_ticks "$HUB_PID"); p0=$(cpu_ticks $(pg_pids)); t0=$(date +%s%N)
echo "backlog when the load ended: $(intake_and_backlog)"
while true; do
  left=$(intake_and_backlog | grep -oE '(archive|insight|leads|suppression)=[0-9.E+]+' | awk -F= '{s += $2} END {print s + 0}')
  [ "$left" = 0 ] && break
  sleep 0.5
done
t1=$(date +%s%N); h1=$(cpu_ticks "$HUB_PID"); p1=$(cpu_ticks $(pg_pids))
tck=$(getconf CLK_TCK)
echo "drained in $(( (t1 - t0) / 1000000 )) ms; CPU: hub $(( (h1 - h0) * 1000 / tck )) ms, PostgreSQL $(( (p1 - p0) * 1000 / tck )) ms"
