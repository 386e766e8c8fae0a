#!/usr/bin/env bash
# The intake benchmark of docs/benchmarks.md, in one run on this machine:
#   1. the ceiling: a trivial platform-http route answering 200 (bench/ping.camel.yaml)
#   2. SendGrid batches of 100 signed events, on H2 and on PostgreSQL
#   3. Postmark single events, on H2 and on PostgreSQL
# each at a fixed concurrency (peak), then again open-loop at half the measured peak rate (p99 there) twice: at once,
# while the destinations still drain what the warm-up and the peak left them, and once they have drained it (the
# steady state of a hub at half its peak; the time that drain took is a row too, and each half run gives the backlog
# it leaves behind: near 0 when the destinations keep up), and the time from `java -jar` to a ready health check for
# each database. Every rate is also given as a ratio to the trivial route measured in the same run, so runs on busier
# or quieter machines compare.
# It measures intake's capacity: the hubs run with hub.journal.max-lag = PT0S (never paced), since its warm-ups and
# peaks leave the destinations minutes behind and a paced hub would answer them at the destinations' pace instead
# (set BENCH_MAX_LAG to measure that); the rate a hub holds for minutes with every destination within the bound is
# bench/sustained.sh's (docs/benchmarks.md, "Intake paced to the destinations").
# Usage: [BENCH_JAR=path] [BENCH_JAVA=java binary for the hub] bench/run.sh [seconds=15] [concurrency=32]     (needs PostgreSQL on 127.0.0.1:5432, database test)
set -euo pipefail
cd "$(dirname "$0")/.."
export HUB_JOURNAL_MAX_LAG=${BENCH_MAX_LAG:-PT0S}
SECONDS_RUN=${1:-15}
CONC=${2:-32}
PORT=${BENCH_PORT:-18080}
source bench/hub.sh
prepare target/bench
cp -r routes "$WORK/routes" && cp bench/ping.camel.yaml "$WORK/routes/"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

start_ready() {   # as start_hub, and records the time to ready
  start_hub "$@"
  echo "{\"label\":\"start to ready, $3\",\"phase\":\"start\",\"result\":{\"startup_ms\":$START_MS}}" | tee -a "$RESULTS"
}

measure() {   # $1 label, $2 mode, extra args...
  local label=$1 mode=$2; shift 2
  local peak half warm
  warm=$(warm_up "$mode" "$CONC" "$@")
  echo "{\"label\":\"$label\",\"phase\":\"warm-up\",\"result\":{\"seconds\":$warm}}" | tee -a "$RESULTS"
  peak=$(load "$mode" "$SECONDS_RUN" "$CONC" --warmup 3 "$@")
  echo "{\"label\":\"$label\",\"phase\":\"peak\",\"result\":$peak}" | tee -a "$RESULTS"
  half=$(echo "$peak" | sed -E 's/.*"requests_per_s":([0-9]+).*/\1/')
  half=$((half / 2))
  if [ "$half" -gt 0 ]; then
    r=$(load "$mode" "$SECONDS_RUN" "$CONC" --warmup 3 --rate "$half" "$@")
    echo "{\"label\":\"$label\",\"phase\":\"half\",\"backlog\":$(backlog_total),\"result\":$r}" | tee -a "$RESULTS"
    if [ "$mode" != ping ]; then
      echo "{\"label\":\"$label\",\"phase\":\"drain\",\"result\":{\"seconds\":$(wait_drained "${BENCH_DRAIN_MAX:-900}")}}" | tee -a "$RESULTS"
      r=$(load "$mode" "$SECONDS_RUN" "$CONC" --warmup 3 --rate "$half" "$@")
      echo "{\"label\":\"$label\",\"phase\":\"half, drained\",\"backlog\":$(backlog_total),\"result\":$r}" | tee -a "$RESULTS"
    fi
  fi
}

trap drop_pg_schemas EXIT

# the PostgreSQL settings that move the batches' figures most (docs/operations.md, "PostgreSQL's checkpoints and buffers")
PG_SETTINGS=$(psql -h 127.0.0.1 -U postgres -d test -Atc "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'max_wal_size', 'synchronous_commit')")
echo "{\"label\":\"PostgreSQL: $PG_SETTINGS\",\"phase\":\"settings\",\"result\":{}}" | tee -a "$RESULTS"

# Batches and singles each get a fresh hub and database: the destinations' backlog from the batch phase drains for
# minutes and would otherwise slow the singles measured after it (measured: Postmark singles on H2 at 435-643 req/s
# right after the batches, 713-814 on a fresh hub; bench/sustained.sh is the run with a backlog).
start_ready "jdbc:h2:file:./data-h2/hub;WRITE_DELAY=0" sa h2
measure "ceiling (trivial route)" ping
measure "sendgrid x100, H2" sendgrid --batch 100
stop_hub
start_ready "jdbc:h2:file:./data-h2-singles/hub;WRITE_DELAY=0" sa "h2, singles"
measure "postmark single, H2" postmark
stop_hub

start_ready "$(pg_schema batches)" postgres pg
measure "sendgrid x100, PostgreSQL" sendgrid --batch 100
stop_hub
start_ready "$(pg_schema singles)" postgres "pg, singles"
measure "postmark single, PostgreSQL" postmark
stop_hub

# start-up with the Class Data Sharing archive the build trains next to the jar (docs/operations.md, "Faster start")
JSA="${JAR_ABS%.jar}.jsa"
if [ -f "$JSA" ]; then
  start_ready "jdbc:h2:file:./data-cds/hub;WRITE_DELAY=0" sa "h2, CDS archive" "-XX:SharedArchiveFile=$JSA"
  stop_hub
fi

echo
python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
ceiling = next(r["result"]["requests_per_s"] for r in rows if r["label"].startswith("ceiling") and r["phase"] == "peak")
print("| run | phase | req/s | events/s | events/s ÷ trivial req/s | p50 ms | p99 ms | failed | backlog after |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    x = r["result"]
    if r["phase"] == "warm-up":
        print(f"| {r['label']} | warm-up until the JIT is idle | {x['seconds']} s | | | | | | |")
        continue
    if r["phase"] == "settings":
        print(f"| {r['label']} | | | | | | | | |")
        continue
    if r["phase"] == "drain":
        took = "not drained in BENCH_DRAIN_MAX" if x["seconds"] < 0 else f"{x['seconds']} s"
        print(f"| {r['label']} | destinations drain what the warm-up and peak left | {took} | | | | | | |")
        continue
    if r["phase"] == "start":
        print(f"| {r['label']} | | | | | {x['startup_ms']} ms | | | |")
        continue
    # singles: requests/s; batches: events/s (each event costs what a single request's event costs to store)
    ratio = max(x["requests_per_s"], x["events_per_s"]) / ceiling if ceiling else 0
    print(f"| {r['label']} | {r['phase']} | {x['requests_per_s']:,} | {x['events_per_s']:,} | {ratio:.1%} "
          f"| {x['p50_ms']} | {x['p99_ms']} | {x['failed']} | {r.get('backlog', '')} |")
PY
