#!/usr/bin/env bash
# What keeping the insight figures costs at intake (issue 9: under 10 %). For each database, fresh hubs in turn with
# the figures on (the defaults) and off (-Dhub.insight.enabled=false), ROUNDS times each, alternating so that a change
# in the machine's load hits both alike: Postmark single events and SendGrid batches of 100 at CONC connections, each
# for SECONDS after a warm-up. Prints the runs and, per database and load, the medians and the cost
# (1 - on / off). BENCH_JAR=path measures another build (e.g. one from before a change).
# Usage: bench/figures-cost.sh [seconds=15] [rounds=2] [concurrency=32] [dbs="h2 pg"]
#        (needs PostgreSQL on 127.0.0.1:5432, database test, for pg)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-15}
ROUNDS=${2:-2}
CONC=${3:-32}
DBS=${4:-h2 pg}
PORT=${BENCH_PORT:-18082}
source bench/hub.sh
prepare target/bench-figures
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
trap 'stop_hub; drop_pg_schemas' EXIT

n=0
for round in $(seq 1 "$ROUNDS"); do
  for db in $DBS; do
    for figures in on off; do
      for mode in postmark sendgrid; do
        n=$((n + 1))
        opts=""
        [ "$figures" = off ] && opts="-Dhub.insight.enabled=false"
        if [ "$db" = pg ]; then url=$(pg_schema "r$n"); user=postgres; else url="jdbc:h2:file:./data-$n/hub"; user=sa; fi
        start_hub "$url" "$user" "$db-$figures-$mode-$round" "$opts"
        batch=()
        [ "$mode" = sendgrid ] && batch=(--batch 100)
        r=$(load "$mode" "$SECONDS_RUN" "$CONC" --warmup 5 "${batch[@]}")
        stop_hub
        echo "{\"db\":\"$db\",\"figures\":\"$figures\",\"mode\":\"$mode\",\"round\":$round,\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"result\":$r}" | tee -a "$RESULTS"
      done
    done
  done
done

python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print()
print("| database | run | figures on, events/s (runs) | figures off, events/s (runs) | cost |")
print("|---|---|---|---|---|")
for db in dict.fromkeys(r["db"] for r in rows):
    for mode in ("postmark", "sendgrid"):
        runs = {f: [r["result"]["events_per_s"] for r in rows if r["db"] == db and r["mode"] == mode and r["figures"] == f]
                for f in ("on", "off")}
        on, off = statistics.median(runs["on"]), statistics.median(runs["off"])
        label = "Postmark singles" if mode == "postmark" else "SendGrid x100"
        print(f"| {db} | {label} | {on:,.0f} ({', '.join(f'{v:,}' for v in runs['on'])}) "
              f"| {off:,.0f} ({', '.join(f'{v:,}' for v in runs['off'])}) | {1 - on / off:.1%} |")
PY
