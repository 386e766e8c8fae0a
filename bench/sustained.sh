#!/usr/bin/env bash
# Does every default destination keep up with intake? Runs one load shape for a long time against the packaged
# jar and samples the delivery backlog (hub_delivery_backlog{destination}) every 15 s: a flat backlog means
# the destinations drain as fast as intake accepts; a growing one means they fall behind.
# Usage: bench/sustained.sh [seconds=300] [rate=0 (closed loop, the peak)] [mode=postmark] [db=pg|h2] [warm=cold|warm]
#        (needs PostgreSQL on 127.0.0.1:5432, database test, for db=pg)
# warm: first the closed-loop load until the JIT is idle (warm_up of bench/hub.sh, at most BENCH_WARMUP_MAX s), then
# until the destinations drained what it left (wait_drained), then the measured run: a settled hub, as bench/run.sh's.
# cold (default): the measured run starts on a hub just started, its first minutes the JIT's.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-300}
RATE=${2:-0}
MODE=${3:-postmark}
DB=${4:-pg}
WARM=${5:-cold}
PORT=${BENCH_PORT:-18081}
source bench/hub.sh
prepare target/bench-sustained
start_hub_on "$DB" sustained
RATE_ARGS=()
[ "$RATE" != 0 ] && RATE_ARGS=(--rate "$RATE")
BATCH_ARGS=()
[ "$MODE" = sendgrid ] && BATCH_ARGS=(--batch 100)
if [ "$WARM" = warm ]; then
  echo "warm-up until the JIT is idle: $(warm_up "$MODE" 32 "${BATCH_ARGS[@]}") s; destinations drained in $(wait_drained \
    "${BENCH_DRAIN_MAX:-900}") s; then the measured run"
  echo
fi
java bench/LoadGen.java run --url "http://127.0.0.1:$PORT" --mode "$MODE" --concurrency 32 --seconds "$SECONDS_RUN" \
  --warmup 0 --key "$WORK/sendgrid.key" "${RATE_ARGS[@]}" "${BATCH_ARGS[@]}" > "$WORK/load.json" &
LOAD_PID=$!
echo "| t (s) | accepted events | backlog per destination | lag (s) | paced so far (s) |"
echo "|---|---|---|---|---|"
start=$(date +%s)
while kill -0 "$LOAD_PID" 2>/dev/null; do
  sleep 15
  echo "| $(( $(date +%s) - start )) | $(intake_and_backlog) | $(pace) |"
done
echo
echo "load: $(cat "$WORK/load.json")"
