#!/usr/bin/env sh
# Destinations benchmark: Salesforce API calls per 1,000 events and analytics drain rate, against local fakes.
# Run from the project root. Options: -Dcrm.events=10000 -Dcrm.recipients=200 -Danalytics.events=100000
set -e
mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$@" \
  -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" bench/DestinationsBench.java
