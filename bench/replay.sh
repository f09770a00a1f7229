#!/usr/bin/env bash
# Usage: bench/replay.sh [FRAMES=200000] [--rate FRAMES_PER_S] [--timeout SECONDS]
#   e.g. bench/replay.sh                     # 200,000 frames as fast as the app reads
#        bench/replay.sh 60000 --rate 1500   # CPU at the live firehose rate (~40 s)
# env: JAVA_OPTS      JVM options of the application child (default -Xmx512m)
#      BENCH_JAVA_OPTS JVM options of the benchmark itself (relay + frames in memory; default -Xmx3g)
#      SKIP_BUILD=1   reuse target/ as it is
# Builds the app (mvn package) and the test classes, writes bench/out/frames-N.bin once
# (deterministic synthetic corpus from the real fixtures), then runs ReplayBenchmark:
# nats-server + websocket relay on 127.0.0.1, the packaged app as a child process.
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
