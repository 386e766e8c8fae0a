#!/usr/bin/env bash
# Bursts on the H2 default: does the file come back after a burst, and does the next burst grow it again? Runs BURSTS
# closed-loop bursts (32 connections) of SECS seconds each against one hub on one H2 file, each followed by IDLE
# seconds without load, and samples every 20 s: accepted events, the journal-following destinations' backlog and the
# file's size. Ends with each burst's LoadGen result.
# Usage: bench/burst.sh [bursts=2] [secs=120] [idle=180] [mode=sendgrid]
set -euo pipefail
cd "$(dirname "$0")/.."
BURSTS=${1:-2}
SECS=${2:-120}
IDLE=${3:-180}
MODE=${4:-sendgrid}
PORT=${BENCH_PORT:-18081}
source bench/hub.sh
prepare target/bench-burst
start_hub_on h2 burst
BATCH_ARGS=()
[ "$MODE" = sendgrid ] && BATCH_ARGS=(--batch 100)
sample() {   # $1 = phase
  echo "| $(( $(date +%s) - START )) | $1 | $(( $(stat -c %s "$WORK/data-h2/hub.mv.db") / 1048576 )) | $(intake_and_backlog) |"
}
echo "| t (s) | phase | file (MB) | accepted events | backlog per destination |"
echo "|---|---|---|---|---|"
START=$(date +%s)
for b in $(seq 1 "$BURSTS"); do
  java bench/LoadGen.java run --url "http://127.0.0.1:$PORT" --mode "$MODE" --concurrency 32 --seconds "$SECS" \
    --warmup 0 --key "$WORK/sendgrid.key" "${BATCH_ARGS[@]}" > "$WORK/burst-$b.json" &
  LOAD_PID=$!
  while kill -0 "$LOAD_PID" 2>/dev/null; do sleep 20; sample "burst $b"; done
  idle_end=$(( $(date +%s) + IDLE ))
  while [ "$(date +%s)" -lt "$idle_end" ]; do sleep 20; sample "idle $b"; done
done
echo
for b in $(seq 1 "$BURSTS"); do echo "burst $b: $(cat "$WORK/burst-$b.json")"; done
grep -c "SQLTransientConnectionException" "$WORK/hub-burst.log" | sed 's/^/log lines with SQLTransientConnectionException: /' || true
