#!/usr/bin/env bash
# Usage: bench/classlist.sh
# Rewrites bin/nats-firehose-ingest.classlist, the classes the launcher's --cds-train puts in the class-data archive:
# what the service loads in a short replay (bench/replay.sh 20000: relay and NATS on 127.0.0.1, start-up to /ready,
# posts published, cursor stored, /metrics read), in the default JSON log format. Run it again after a dependency
# or JDK upgrade: names that no longer exist are skipped by --cds-train, but new classes are not in the archive.
set -euo pipefail
cd "$(dirname "$0")/.."
LIST=bin/nats-firehose-ingest.classlist
DUMP="$PWD/target/classlist.dump"
rm -f "$DUMP"
LOG_FORMAT=json JAVA_OPTS="-XX:DumpLoadedClassList=$DUMP" bench/replay.sh 20000
{
  echo "# The classes (and lambda forms) nats-firehose-ingest loads in a replay, for bin/nats-firehose-ingest --cds-train."
  echo "# Written by bench/classlist.sh with $(java -version 2>&1 | head -1); do not edit by hand."
  grep -v '^#' "$DUMP"
} > "$LIST"
echo "wrote $LIST ($(grep -vc '^#' "$LIST") lines)"
