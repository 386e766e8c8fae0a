#!/usr/bin/env bash
# What keeping the insight figures costs at intake (issue 9: under 10 %): bench/ab.sh with one jar, A its defaults
# (figures on) and B -Dhub.insight.enabled=false, alternating fresh hubs: Postmark single events and SendGrid batches
# of 100. The cost is 1 - A/B, i.e. 1 - 1 / (1 + "B against A"). BENCH_JAR=path measures another build.
# Usage: bench/figures-cost.sh [seconds=15] [rounds=2] [concurrency=32] [dbs="h2 pg"]
#        (needs PostgreSQL on 127.0.0.1:5432, database test, for pg)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${BENCH_JAR:-target/email-event-hub.jar}
[ -f "$JAR" ] || mvn -q -B package -DskipTests
BENCH_OPTS_B="-Dhub.insight.enabled=false" exec bench/ab.sh "$JAR" "$JAR" "${1:-15}" "${2:-2}" "${3:-32}" "${4:-h2 pg}"
