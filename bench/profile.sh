#!/usr/bin/env bash
# Where the CPU of one intake run goes. Runs the packaged jar under Java Flight Recorder, drives it with LoadGen, and
# prints: CPU seconds per process (hub, PostgreSQL, the load generator) per request; the hub's CPU samples per thread
# group (request threads, journal, each destination worker, GC, ...); and the hub's hottest frames, self and
# inclusive. The recording stays in target/bench-profile/hub.jfr for `jfr` (e.g. the Temurin JDK's `jfr view`).
# Usage: bench/profile.sh [mode=postmark] [db=pg|h2] [seconds=20] [concurrency=32] [rate=0 (closed loop)]
#        PROFILE_SLOW_MS=N lists the stalls (requests slower than N ms, with their times) on stderr;
#        PROFILE_METRICS=REGEX prints the hub's metrics matching it after the run;
#        BENCH_OPTS="-Dhub.x=y" adds JVM options to the hub (needs PostgreSQL on 127.0.0.1:5432 for db=pg);
#        BENCH_JAR=path profiles another build; BENCH_H2_SETTINGS=";KEY=VALUE" adds settings to the H2 URL; PROFILE_JFR=0 leaves Flight Recorder out (CPU per request only, for
#        comparing two builds: the recording costs CPU too). With pg_stat_statements loaded in PostgreSQL
#        (shared_preload_libraries), the database's statements of the measured run are listed, costliest first.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-postmark}
DB=${2:-pg}
SECONDS_RUN=${3:-20}
CONC=${4:-32}
RATE=${5:-0}
PORT=${BENCH_PORT:-18082}
source bench/hub.sh
prepare target/bench-profile
if [ "$DB" = pg ]; then URL=$(pg_schema profile); USER=postgres; else URL="jdbc:h2:file:./data-h2/hub;WRITE_DELAY=0${BENCH_H2_SETTINGS:-}"; USER=sa; fi
trap 'stop_hub; drop_pg_schemas' EXIT
JFR="$(realpath "$WORK")/hub.jfr"
# deep stacks: Camel's and Vert.x's frames would otherwise hide the hub's method that called them. The recording starts
# with the JVM: started later, its I/O events re-instrument JDK classes, and the JIT compiled the hub's hot code again
# during the measured run (C2 at a third of a core); only the measured run is dumped (JFR.dump begin=)
JFR_OPTS="-XX:FlightRecorderOptions=stackdepth=1024 -XX:StartFlightRecording=name=bench,settings=profile"
[ "${PROFILE_JFR:-1}" = 0 ] && JFR_OPTS=""
start_hub "$URL" "$USER" profile "$JFR_OPTS ${BENCH_OPTS:-}"
EXTRA=()
[ "$RATE" != 0 ] && EXTRA+=(--rate "$RATE")
[ "$MODE" = sendgrid ] && EXTRA+=(--batch 100)
# warm-up until the hub's JIT compilers are idle (bench/hub.sh), then the measured run
echo "warm-up: $(warm_up "$MODE" "$CONC" "${EXTRA[@]}") s"

pg_pids() { pgrep -x postgres || true; }
PSQL=(psql -h 127.0.0.1 -U postgres -d test -Atq)
STATEMENTS=0
if [ "$DB" = pg ] && "${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" \
    > /dev/null 2>&1; then
  STATEMENTS=1
fi
TICK=$(getconf CLK_TCK)
rm -f "$JFR"
thread_ticks "$HUB_PID" > "$WORK/threads-before.txt"
hub0=$(cpu_ticks "$HUB_PID"); pg0=$(cpu_ticks $(pg_pids)); t0=$(date +%s%N)
java bench/LoadGen.java run --url "http://127.0.0.1:$PORT" --mode "$MODE" --concurrency "$CONC" --seconds "$SECONDS_RUN" \
  --warmup 0 --key "$WORK/sendgrid.key" ${PROFILE_SLOW_MS:+--slow-ms "$PROFILE_SLOW_MS"} "${EXTRA[@]}" > "$WORK/load.json" &
LOAD_PID=$!
# the load generator's CPU is read just before it exits: poll its /proc entry
gen=0
while kill -0 "$LOAD_PID" 2>/dev/null; do
  g=$(cpu_ticks "$LOAD_PID")
  [ "$g" -gt 0 ] && gen=$g
  sleep 0.5
done
wait "$LOAD_PID"
thread_ticks "$HUB_PID" > "$WORK/threads-after.txt"
hub1=$(cpu_ticks "$HUB_PID"); pg1=$(cpu_ticks $(pg_pids)); t1=$(date +%s%N)
# PROFILE_METRICS=REGEX: the hub's metrics (/observe/metrics) whose lines match, as they stand after the run
[ -n "${PROFILE_METRICS:-}" ] && { curl -s "http://127.0.0.1:$PORT/observe/metrics" | grep -E "$PROFILE_METRICS" | grep -v '^#' || true; }
[ -n "$JFR_OPTS" ] && jcmd "$HUB_PID" JFR.dump name=bench filename="$JFR" begin="-$(( (t1 - t0) / 1000000000 + 1 ))s" > /dev/null
cat "$WORK/load.json"; echo
python3 - "$WORK/load.json" "$TICK" "$(( (t1 - t0) / 1000000 ))" "$((hub1 - hub0))" "$((pg1 - pg0))" "$gen" <<'PY'
import json, sys
load = json.load(open(sys.argv[1])); tick = int(sys.argv[2]); wall = int(sys.argv[3]) / 1000
hub, pg, gen = (int(x) / tick for x in sys.argv[4:7])
n = load["ok"] + load["failed"]
print(f"wall {wall:.1f} s, {n} requests ({load['ok']} ok), {load.get('events', n)} events")
print("| process | CPU s | cores | ms CPU per request |")
print("|---|---|---|---|")
for name, s in (("hub", hub), ("PostgreSQL", pg), ("load generator (incl. JVM start)", gen)):
    print(f"| {name} | {s:.1f} | {s / wall:.2f} | {1000 * s / max(n, 1):.3f} |")
PY
if [ "$STATEMENTS" = 1 ]; then
  echo
  echo "PostgreSQL statements of the measured run (pg_stat_statements; ms of execution, all databases)"
  "${PSQL[@]}" -F ' | ' -c "SELECT calls, round(total_exec_time::numeric), rows, round((1000 * total_exec_time / calls)::numeric),
      left(regexp_replace(query, '\s+', ' ', 'g'), 90) FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12" \
    | { echo "| calls | ms | rows | us per call | statement |"; echo "|---|---|---|---|---|"; sed 's/^/| /; s/$/ |/'; }
fi
if [ -n "$JFR_OPTS" ]; then
  JFR_TOOL=$(ls -d /usr/lib/jvm/temurin-*/bin/jfr 2>/dev/null | tail -1 || true)
  JFR_TOOL=${JFR_TOOL:-jfr}
  "$JFR_TOOL" print --json --stack-depth 1024 --events jdk.ExecutionSample "$JFR" > "$WORK/samples.json"
  python3 bench/jfr-samples.py "$WORK/samples.json"
fi
# CPU per thread of the hub over the measured run, native code, GC and the JIT compilers included (/proc; Linux
# keeps 15 characters of a thread's name, so all of Camel's threads are one group here, split in the samples above)
python3 bench/jfr-samples.py --threads "$WORK/threads-before.txt" "$WORK/threads-after.txt" "$TICK" "$(( (t1 - t0) / 1000000 ))"
