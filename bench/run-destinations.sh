#!/usr/bin/env sh
# Destinations benchmark, in one run: Salesforce API calls per 1,000 events and the analytics drain rate
# against local fakes (DestinationsBench), then the archive drain rate on H2 and on PostgreSQL
# and the RabbitMQ stream's drain rate (DrainBench; needs PostgreSQL on 127.0.0.1:5432, database test, and
# RabbitMQ on 127.0.0.1:5672, guest/guest).
# Run from the project root. Options: -Dcrm.events=10000 -Dcrm.recipients=200 -Danalytics.events=100000
set -e
mvn -q -B test-compile
mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
java -Xmx1g -Dhub.log.level.root=WARN "$@" -cp "$CP" bench/DestinationsBench.java
for db in h2 postgresql; do
  java -Xmx1g -Dhub.log.level.root=WARN -cp "$CP" com.emaileventhub.bench.DrainBench "$db" 50000 500 archive
done
java -Xmx1g -Dhub.log.level.root=WARN -cp "$CP" com.emaileventhub.bench.DrainBench postgresql 20000 500 rabbitmq
