#!/usr/bin/env bash
# Usage: bench/replay.sh [FRAMES=200000] [--rate FRAMES_PER_S] [--warmup SECONDS] [--limit N] [--timeout SECONDS]
#   e.g. bench/replay.sh 1000000                                # backlog: a million frames as fast as the app reads
#        bench/replay.sh 1000000 --rate 1500 --limit 270000     # live rate: 60 s warm-up, then 2 min steady state
# env: JAVA_OPTS       added after the launcher's JVM defaults (bin/nats-firehose-ingest), e.g. JAVA_OPTS=-Xmx256m
#      BENCH_JAVA_OPTS JVM options of the benchmark itself (relay + frames in memory; default -Xmx4g)
#      SKIP_BUILD=1    reuse target/ as it is
# Builds the app (mvn package, and its class-data archive) and the test classes, writes bench/out/frames-N.bin once
# (deterministic synthetic corpus from the real fixtures, in the live mix), then runs ReplayBenchmark: nats-server and
# a websocket relay (BulkRelay) on 127.0.0.1, the packaged app through its launcher as a child process. It reports
# the app's CPU apart from the relay's and nats-server's, and with --rate the warm-up and the steady state apart.
set -euo pipefail
cd "$(dirname "$0")/.."

FRAMES=200000
if [[ $# -gt 0 && "$1" != --* ]]; then
  FRAMES="$1"
  shift
fi
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx4g}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -DskipTests package
  APP_HOME=target bin/nats-firehose-ingest --cds-train
  mvn -q -B test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
fi
CP="target/test-classes:$(cat target/test-classpath.txt)"

mkdir -p bench/out
FRAMES_FILE="bench/out/frames-${FRAMES}.bin"
if [[ ! -s "$FRAMES_FILE" ]]; then
  java $BENCH_JAVA_OPTS -cp "$CP" dev.firehose.ingest.testsupport.FrameCorpus "$FRAMES_FILE" "$FRAMES" 1 42
fi

exec java $BENCH_JAVA_OPTS -cp "$CP" dev.firehose.ingest.bench.ReplayBenchmark \
  --frames-file "$FRAMES_FILE" "$@"
