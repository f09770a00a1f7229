#!/usr/bin/env bash
# Usage: ./run.sh   — builds the service and runs it against NATS_URL (default: a local nats-server that this
# script starts on 127.0.0.1:4222 with JetStream if nothing listens there) and FIREHOSE_URL (default: the public relay),
# through bin/nats-firehose-ingest (the JVM settings the service is measured with; JAVA_OPTS adds or overrides).
set -euo pipefail
cd "$(dirname "$0")"

export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
export LOG_FORMAT="${LOG_FORMAT:-console}"

if [[ "$NATS_URL" == "nats://127.0.0.1:4222" ]] && ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
  command -v nats-server >/dev/null || { echo "nats-server not found: sudo apt-get install -y nats-server" >&2; exit 1; }
  mkdir -p target/nats-data
  nats-server -a 127.0.0.1 -p 4222 -js -sd target/nats-data > target/nats-server.log 2>&1 &
  NATS_PID=$!
  trap 'kill $NATS_PID 2>/dev/null || true' EXIT
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null && break; sleep 0.1; done
  echo "started nats-server (JetStream) on 127.0.0.1:4222, data in target/nats-data"
fi

if [[ ! -f target/nats-firehose-ingest.jar || -n "$(find src routes pom.xml bin -newer target/nats-firehose-ingest.jar -print -quit)" ]]; then
  mvn -q -B -DskipTests package
  rm -f target/app.jsa
fi
# A class-data archive for a faster start (once per build; the image makes its own).
if [[ ! -f target/app.jsa ]]; then
  APP_HOME=target bin/nats-firehose-ingest --cds-train || true
fi
# The launcher's JVM defaults are the measured ones (BENCHMARKS.md); JAVA_OPTS in the environment override them.
APP_HOME=target bin/nats-firehose-ingest
