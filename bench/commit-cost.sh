#!/usr/bin/env bash
# What the journal's commits cost at a fixed rate: a hub on a fresh H2 file (or PostgreSQL schema) with the given JVM
# options, warmed up until its JIT is idle, then RATE Postmark singles per second for SECONDS. Prints the latency, the
# journal's commits per second and requests per commit (hub_journal_commits_total), and the hub's CPU per request.
# Usage: bench/commit-cost.sh "JVM options" [rate=1500] [seconds=20] [label] [db=h2|pg]
#        BENCH_JAR=path measures another build; BENCH_URL_SUFFIX=";PAGE_SIZE=2048" is appended to the H2 URL.
set -euo pipefail
cd "$(dirname "$0")/.."
OPTS=$1; RATE=${2:-1500}; SECS=${3:-20}; LABEL=${4:-run}; DB=${5:-h2}
PORT=${BENCH_PORT:-18095}
source bench/hub.sh
prepare target/bench-commit-cost
trap 'stop_hub; drop_pg_schemas' EXIT
if [ "$DB" = pg ]; then URL=$(pg_schema commits); USER=postgres; else URL="jdbc:h2:file:./data/hub;WRITE_DELAY=0${BENCH_URL_SUFFIX:-}"; USER=sa; fi
start_hub "$URL" "$USER" "$LABEL" "$OPTS"
warm_up postmark 32 > /dev/null
metric() { curl -s "http://127.0.0.1:$PORT/observe/metrics" | awk -v k="$1" '$1 == k {printf "%d", $2}'; }
c0=$(metric hub_journal_commits_total); r0=$(metric hub_journal_committed_requests_total); h0=$(cpu_ticks "$HUB_PID"); t0=$(date +%s%N)
res=$(load postmark "$SECS" 32 --warmup 0 --rate "$RATE")
c1=$(metric hub_journal_commits_total); r1=$(metric hub_journal_committed_requests_total); h1=$(cpu_ticks "$HUB_PID"); t1=$(date +%s%N)
python3 - "$res" "$c0" "$c1" "$r0" "$r1" "$h0" "$h1" "$t0" "$t1" "$LABEL" "$(getconf CLK_TCK)" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); c0, c1, r0, r1, h0, h1, t0, t1 = map(int, sys.argv[2:10]); tick = int(sys.argv[11])
wall = (t1 - t0) / 1e9; n = max(1, r["ok"]); commits = max(1, c1 - c0)
print(f"{sys.argv[10]}: {r['requests_per_s']} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms; "
      f"journal commits {c1 - c0} ({(c1 - c0) / wall:.0f}/s, {(r1 - r0) / commits:.1f} requests each); "
      f"hub CPU {(h1 - h0) / tick:.1f} s = {1000 * (h1 - h0) / tick / n:.3f} ms per request")
PY
