#!/usr/bin/env sh
# GET /api/stats for 90 days, daily buckets, grouped by ESP, with N sends stored (StatsBench), on H2 and on
# PostgreSQL (127.0.0.1:5432, database test). Run from the project root: bench/run-stats.sh [sends=5000000] [runs=30]
set -e
SENDS=${1:-5000000}
RUNS=${2:-30}
mvn -q -B test-compile
mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
for db in h2 postgresql; do
  java -Xmx2g -Dhub.log.level.root=WARN -cp "$CP" com.emaileventhub.bench.StatsBench "$db" "$SENDS" "$RUNS"
done
