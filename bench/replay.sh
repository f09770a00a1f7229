#!/usr/bin/env bash
# Usage: bench/replay.sh [FRAMES=200000] [--source relay|jetstream] [--plain] [--rate FRAMES_PER_S] [--warmup SECONDS]
#                        [--limit N] [--timeout SECONDS]
#   e.g. bench/replay.sh 1000000                                # backlog: a million frames as fast as the app reads
#        bench/replay.sh 1000000 --rate 1500 --limit 270000     # live rate: 60 s warm-up, then 2 min steady state
#        bench/replay.sh 200000 --source jetstream              # 200,000 Jetstream events (compress=true)
#        bench/replay.sh 200000 --source jetstream --plain      # the same events as text JSON
# env: JAVA_OPTS       added after the launcher's JVM defaults (bin/nats-firehose-ingest), e.g. JAVA_OPTS=-Xmx256m
#      BENCH_JAVA_OPTS JVM options of the benchmark itself (relay + frames in memory; default -Xmx4g)
#      SKIP_BUILD=1    reuse target/ as it is
# Builds the app (mvn package, and its class-data archive) and the test classes, writes bench/out/frames-N.bin once
# (deterministic synthetic corpus from the real fixtures, in the live mix), then runs ReplayBenchmark: nats-server and
# a websocket relay (BulkRelay) on 127.0.0.1, the packaged app through its launcher as a child process. It reports
# the app's CPU apart from the relay's and nats-server's, and with --rate the warm-up and the steady state apart.
# With --source jetstream: bench/out/jetstream-posts-N-zstd.bin (or -json.bin with --plain) from JetstreamCorpus,
# what a wantedCollections=app.bsky.feed.post connection gets, served as Jetstream sends it (FIREHOSE_SOURCE=jetstream).
set -euo pipefail
cd "$(dirname "$0")/.."

FRAMES=200000
if [[ $# -gt 0 && "$1" != --* ]]; then
  FRAMES="$1"
  shift
fi
SOURCE=relay
ENCODING=zstd
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --source) SOURCE="$2"; shift 2 ;;
    --plain) ENCODING=json; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx4g}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -DskipTests package
  APP_HOME=target bin/nats-firehose-ingest --cds-train
  mvn -q -B test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
fi
# target/classes: the Jetstream corpus and replay compress and inflate with the bundled dictionary
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"

mkdir -p bench/out
case "$SOURCE" in
  relay)
    FRAMES_FILE="bench/out/frames-${FRAMES}.bin"
    if [[ ! -s "$FRAMES_FILE" ]]; then
      java $BENCH_JAVA_OPTS -cp "$CP" dev.firehose.ingest.testsupport.FrameCorpus "$FRAMES_FILE" "$FRAMES" 1 42
    fi
    INPUT=(--frames-file "$FRAMES_FILE")
    ;;
  jetstream)
    EVENTS_FILE="bench/out/jetstream-posts-${FRAMES}-${ENCODING}.bin"
    if [[ ! -s "$EVENTS_FILE" ]]; then
      ZSTD_FLAG=()
      [[ "$ENCODING" == zstd ]] && ZSTD_FLAG=(--zstd)
      java $BENCH_JAVA_OPTS -cp "$CP" dev.firehose.ingest.testsupport.JetstreamCorpus "$EVENTS_FILE" "$FRAMES" \
          posts 42 "${ZSTD_FLAG[@]}"
    fi
    INPUT=(--source jetstream --events-file "$EVENTS_FILE")
    ;;
  *) echo "unknown --source $SOURCE (relay or jetstream)" >&2; exit 2 ;;
esac

exec java $BENCH_JAVA_OPTS -cp "$CP" dev.firehose.ingest.bench.ReplayBenchmark "${INPUT[@]}" "${ARGS[@]+"${ARGS[@]}"}"
