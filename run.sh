#!/usr/bin/env bash
# Usage: ./run.sh   — builds the service and runs it against NATS_URL (default: a local nats-server that this
# script starts on 127.0.0.1:4222 with JetStream if nothing listens there) and FIREHOSE_URL (default: the public relay).
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

if [[ ! -f target/nats-firehose-ingest.jar || -n "$(find src routes pom.xml -newer target/nats-firehose-ingest.jar -print -quit)" ]]; then
  mvn -q -B -DskipTests package
fi
java ${JAVA_OPTS:-} -cp 'target/nats-firehose-ingest.jar:target/lib/*' dev.firehose.ingest.Application
