#!/usr/bin/env sh
# Dashboard first screen: N sends over 90 days stored through the insight destination, then headless chromium
# loads /dashboard 5 times per range (7 and 90 days) and the time to every panel drawn is printed
# (DashboardBench; needs chromium and chromium-driver, and PostgreSQL on 127.0.0.1:5432 for postgresql).
# Run from the project root: bench/run-dashboard.sh [h2|postgresql] [sends=50000] [screenshot.png]
set -e
mvn -q -B test-compile
mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
java -Xmx2g -Dhub.log.level.root=WARN -cp "$CP" com.emaileventhub.bench.DashboardBench "${1:-h2}" "${2:-50000}" ${3:+"$3"}
