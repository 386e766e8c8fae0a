# Shared by the bench scripts (sourced, bash, from the project root): the packaged jar, start and stop it on a fresh
# database, one LoadGen run. Call prepare first; start_hub expects PORT.

HUB_PID=""

# prepare WORKDIR: builds the jar unless BENCH_JAR names one, empties WORKDIR; sets WORK, JAR_ABS and PUB (the
# SendGrid public key whose private half LoadGen signs with)
prepare() {
  WORK=$1
  local jar=${BENCH_JAR:-target/email-event-hub.jar}
  [ -f "$jar" ] || mvn -q -B package -DskipTests
  JAR_ABS=$(realpath "$jar")
  rm -rf "$WORK" && mkdir -p "$WORK"
  PUB=$(java bench/LoadGen.java keygen "$WORK")
}

# start_hub URL USER LABEL [JVM options]: starts the jar in $WORK, waits until ready, sets HUB_PID and START_MS
start_hub() {
  ( cd "$WORK" && HUB_HTTP_PORT=$PORT HUB_DB_URL="$1" HUB_DB_USERNAME="$2" HUB_DB_POOL_SIZE=16 \
      HUB_ESP_POSTMARK_USERNAME=bench HUB_ESP_POSTMARK_PASSWORD=bench HUB_ESP_SENDGRID_PUBLIC_KEY="$PUB" \
      exec "${BENCH_JAVA:-java}" ${4:-} -Xms1g -Xmx1g -jar "$JAR_ABS" > "hub-$3.log" 2>&1 ) &
  HUB_PID=$!
  local t0 t1
  t0=$(date +%s%N)
  for _ in $(seq 1 1200); do
    if curl -sf "http://127.0.0.1:$PORT/observe/health/ready" >/dev/null 2>&1; then
      t1=$(date +%s%N)
      START_MS=$(( (t1 - t0) / 1000000 ))
      return 0
    fi
    sleep 0.05
  done
  echo "hub did not start, see $WORK/hub-$3.log" >&2; exit 1
}

# start_hub_on DB LABEL: starts the jar on a fresh PostgreSQL schema (DB=pg) or the H2 file in $WORK (h2), and stops
# it and drops the schemas when the script exits
start_hub_on() {
  local url user
  if [ "$1" = pg ]; then url=$(pg_schema "$2"); user=postgres; else url="jdbc:h2:file:./data-h2/hub"; user=sa; fi
  trap 'stop_hub; drop_pg_schemas' EXIT
  start_hub "$url" "$user" "$2"
}

stop_hub() { kill "$HUB_PID" 2>/dev/null || true; wait "$HUB_PID" 2>/dev/null || true; }

# intake_and_backlog: "EVENTS | dest=N dest=N ..." from the hub's metrics: events accepted so far, backlog per destination
intake_and_backlog() {
  local m
  m=$(curl -s "http://127.0.0.1:$PORT/observe/metrics" || true)
  echo "$(echo "$m" | awk '/^hub_events_total/ {s += $2} END {printf "%d", s}') | $(echo "$m" \
    | sed -nE 's/^hub_delivery_backlog\{destination="([^"]+)".*\} ([0-9.E+]+)$/\1=\2/p' | tr '\n' ' ')"
}

# pace: "LAG s | PACED s" from the hub's metrics: how far behind intake the furthest journal-fed destination stands
# (hub_journal_lag_seconds) and how long group commits have waited for it so far (hub_intake_paced_seconds_total)
pace() {
  curl -s "http://127.0.0.1:$PORT/observe/metrics" | awk '/^hub_journal_lag_seconds / {l = $2}
    /^hub_intake_paced_seconds_total / {p = $2} END {printf "%.1f | %.1f", l, p}'
}

# backlog_total: the events waiting for any destination, summed over the hub's hub_delivery_backlog gauges
backlog_total() {
  curl -s "http://127.0.0.1:$PORT/observe/metrics" | awk '/^hub_delivery_backlog\{/ {s += $2} END {printf "%d", s}'
}

# wait_drained [MAX seconds=900]: waits until no destination has a backlog (intake idle); prints the seconds it took,
# or -1 when MAX passed first
wait_drained() {
  local max=${1:-900} t0
  t0=$(date +%s)
  while [ "$(backlog_total)" != 0 ]; do
    if [ $(( $(date +%s) - t0 )) -ge "$max" ]; then
      echo -1
      return 0
    fi
    sleep 1
  done
  echo $(( $(date +%s) - t0 ))
}

# load MODE SECONDS CONCURRENCY [LoadGen options]: one closed-loop (or --rate) run, its JSON result on stdout
load() {
  local mode=$1 seconds=$2 conc=$3; shift 3
  java bench/LoadGen.java run --url "http://127.0.0.1:$PORT" --mode "$mode" --concurrency "$conc" \
    --seconds "$seconds" --key "$WORK/sendgrid.key" "$@"
}

# PostgreSQL schemas made by pg_schema, dropped by drop_pg_schemas (call it from an EXIT trap)
PG_SCHEMA="bench_$(date +%s%N | tail -c 9)"
PG_SCHEMAS=()
pg_schema() {   # $1 = suffix; prints the JDBC URL of a new schema
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA ${PG_SCHEMA}_$1" >/dev/null
  echo "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=${PG_SCHEMA}_$1"
}
drop_pg_schemas() {
  for s in $(psql -h 127.0.0.1 -U postgres -d test -Atc "SELECT nspname FROM pg_namespace WHERE nspname LIKE '${PG_SCHEMA}_%'"); do
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1
  done
}

# warm_up MODE CONCURRENCY [LoadGen options]: drives the hub until its JIT compilers are idle (the C1 and C2 threads
# used under 5 % of a core over the last 10 s), at most BENCH_WARMUP_MAX seconds (240); prints the seconds it took.
# On these two cores a hub under full load kept C2 busy for about two minutes (C2 starved by the request threads),
# and a run measured after a fixed 5 s warm-up took 1,100-1,300 Postmark singles/s where the settled hub takes ~3,400
# (docs/benchmarks.md); every intake figure is therefore measured on a settled hub.
warm_up() {
  local mode=$1 conc=$2; shift 2
  local max=${BENCH_WARMUP_MAX:-240} pid t0 last now
  java bench/LoadGen.java run --url "http://127.0.0.1:$PORT" --mode "$mode" --concurrency "$conc" \
    --seconds "$max" --warmup 0 --key "$WORK/sendgrid.key" "$@" > /dev/null &
  pid=$!
  t0=$(date +%s)
  last=$(jit_ticks)
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    now=$(jit_ticks)
    if [ $(( $(date +%s) - t0 )) -ge 30 ] && [ $(( (now - last) * 100 / (10 * $(getconf CLK_TCK)) )) -lt 5 ]; then
      break
    fi
    last=$now
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo $(( $(date +%s) - t0 ))
}

# cpu_ticks PID...: utime + stime of those processes so far, in clock ticks
cpu_ticks() {
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# thread_ticks PID: one line per thread of that process, "ticks tid name" (Linux keeps 15 characters of a name)
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    echo "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0) $(basename "$t") $(cat "$t/comm" 2>/dev/null)"
  done
}

# CPU ticks the hub's JIT compiler threads ("C1 CompilerThre…", "C2 CompilerThre…") have used so far
jit_ticks() {
  thread_ticks "$HUB_PID" | awk '($3 == "C1" || $3 == "C2") && $4 ~ /^Compiler/ {s += $1} END {print s + 0}'
}
