#!/usr/bin/env bash
# Conductor load benchmark: simulated guests publish heartbeats through the local RabbitMQ to a
# real conductor process writing to the local PostgreSQL (database coffer_bench). Prints sustained
# heartbeats persisted per second with lag p50/p99, the drain rate of a backlog in batch mode and
# with one message per transaction, their ratio, and verifies every instance holds its last report.
#
#   bench/conductor.sh [--guests 5000] [--rate 10000] [--seconds 20] [--backlog 50000]
#                      [--batch-size 200] [--consumers 2] [--sealed 0]
#
# Runs on a fresh clone after the README's commands: it builds what it needs from this checkout
# (nothing is taken from, or installed into, the local Maven repository). COFFER_BENCH_DB and
# COFFER_BENCH_VHOST choose the database (coffer_bench) and RabbitMQ virtual host (/).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DB=${COFFER_BENCH_DB:-coffer_bench}
VHOST=${COFFER_BENCH_VHOST:-/}
"$ROOT/deploy/local/coffer" deps "$DB" >/dev/null
cd "$ROOT"
jar=conductor-service/target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] ||
  [ -n "$(find conductor-service/src bus/src common-model/src persistence/src -newer "$jar" -type f | head -1)" ]; then
  mvn -B -q package -DskipTests -Dspotless.check.skip=true -pl conductor-service -am
fi
# the benchmark's classes and their classpath, resolved in this reactor
cp_file=system-tests/target/bench.classpath
mvn -B -q -pl system-tests -am test-compile dependency:build-classpath \
  -Dspotless.check.skip=true -Dmdep.includeScope=test -Dmdep.outputFile="$ROOT/$cp_file"
exec java -cp "system-tests/target/test-classes:$(cat "$cp_file")" \
  -Dcoffer.test.jdbc-url="jdbc:postgresql://127.0.0.1:5432/$DB" \
  -Dcoffer.test.rabbit-vhost="$VHOST" \
  io.coffer.system.ConductorBench "$@"
