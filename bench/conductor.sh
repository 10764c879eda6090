#!/usr/bin/env bash
# Conductor load benchmark: simulated guests publish heartbeats through the local RabbitMQ to a
# real conductor process writing to the local PostgreSQL (database coffer_bench). Prints sustained
# heartbeats persisted per second with lag p50/p99, the drain rate of a backlog in batch mode and
# with one message per transaction, their ratio, and verifies every instance holds its last report.
#
#   bench/conductor.sh [--guests 5000] [--rate 10000] [--seconds 20] [--backlog 50000]
#                      [--batch-size 200] [--consumers 2]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/deploy/local/coffer" deps coffer_bench >/dev/null
cd "$ROOT"
if [ ! -f conductor-service/target/quarkus-app/quarkus-run.jar ] ||
  [ -n "$(find conductor-service/src bus/src common-model/src -newer conductor-service/target/quarkus-app/quarkus-run.jar -type f | head -1)" ]; then
  mvn -B -q install -DskipTests
fi
mvn -B -q -pl system-tests test-compile exec:java \
  -Dexec.mainClass=io.coffer.system.ConductorBench -Dexec.classpathScope=test \
  -Dexec.args="$*" \
  -Dcoffer.test.jdbc-url=jdbc:postgresql://127.0.0.1:5432/coffer_bench \
  -Dcoffer.test.rabbit-vhost=/
