#!/usr/bin/env bash
# Two builds of the hub, A and B, measured alternately on fresh hubs (so that a change in the machine's load hits both
# alike): Postmark single events and SendGrid batches of 100 at CONC connections, each for SECONDS after a warm-up (until
# the hub's JIT compilers are idle, bench/hub.sh), on
# each database, ROUNDS times. Prints the runs and, per database and load, the medians and B's change against A.
# Usage: bench/ab.sh JAR_A JAR_B [seconds=15] [rounds=2] [concurrency=32] [dbs="h2 pg"]
#        (needs PostgreSQL on 127.0.0.1:5432, database test, for pg). BENCH_OPTS_A / BENCH_OPTS_B: JVM options of each
#        build's hubs (one jar twice with a setting on and off: bench/figures-cost.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR_A=$(realpath "$1")
JAR_B=$(realpath "$2")
SECONDS_RUN=${3:-15}
ROUNDS=${4:-2}
CONC=${5:-32}
DBS=${6:-h2 pg}
PORT=${BENCH_PORT:-18083}
source bench/hub.sh
BENCH_JAR=$JAR_A prepare target/bench-ab
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
trap 'stop_hub; drop_pg_schemas' EXIT

n=0
for round in $(seq 1 "$ROUNDS"); do
  for db in $DBS; do
    for build in A B; do
      if [ "$build" = A ]; then JAR_ABS=$JAR_A; opts=${BENCH_OPTS_A:-}; else JAR_ABS=$JAR_B; opts=${BENCH_OPTS_B:-}; fi
      for mode in postmark sendgrid; do
        n=$((n + 1))
        if [ "$db" = pg ]; then url=$(pg_schema "r$n"); user=postgres; else url="jdbc:h2:file:./data-$n/hub"; user=sa; fi
        start_hub "$url" "$user" "$db-$build-$mode-$round" "$opts"
        batch=()
        [ "$mode" = sendgrid ] && batch=(--batch 100)
        warm_up "$mode" "$CONC" "${batch[@]}" > /dev/null   # until the JIT is idle (bench/hub.sh)
        r=$(load "$mode" "$SECONDS_RUN" "$CONC" --warmup 3 "${batch[@]}")
        stop_hub
        echo "{\"db\":\"$db\",\"build\":\"$build\",\"mode\":\"$mode\",\"round\":$round,\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"result\":$r}" | tee -a "$RESULTS"
      done
    done
  done
done

python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print()
print("| database | run | A, events/s (runs) | B, events/s (runs) | B against A |")
print("|---|---|---|---|---|")
for db in dict.fromkeys(r["db"] for r in rows):
    for mode in ("postmark", "sendgrid"):
        runs = {b: [r["result"]["events_per_s"] for r in rows if r["db"] == db and r["mode"] == mode and r["build"] == b]
                for b in ("A", "B")}
        a, b = statistics.median(runs["A"]), statistics.median(runs["B"])
        label = "Postmark singles" if mode == "postmark" else "SendGrid x100"
        print(f"| {db} | {label} | {a:,.0f} ({', '.join(f'{v:,}' for v in runs['A'])}) "
              f"| {b:,.0f} ({', '.join(f'{v:,}' for v in runs['B'])}) | {b / a - 1:+.1%} |")
PY
