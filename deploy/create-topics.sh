#!/usr/bin/env bash
# Creates Vigil's Kafka topics (rerunnable: existing topics are left as they are).
#   vigil.alerts  6 partitions, delete policy, 7 days retention   key = device address
#   vigil.assets  6 partitions, compacted (latest state per device)
#   vigil.flows   6 partitions, delete policy, 1 day retention
# Usage: deploy/create-topics.sh BOOTSTRAP [REPLICATION (default 1)] [CLIENT_PROPERTIES (TLS/SASL)]
# Uses kafka-topics.sh when it is on PATH, else a small Admin client run from the devkafka jars.
set -euo pipefail
if [ $# -lt 1 ]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
bootstrap="$1"
replication="${2:-1}"
client="${3:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if command -v kafka-topics.sh >/dev/null 2>&1; then
  extra=()
  [ -n "$client" ] && extra=(--command-config "$client")
  create() {
    kafka-topics.sh --bootstrap-server "$bootstrap" "${extra[@]}" --create --if-not-exists \
      --topic "$1" --partitions 6 --replication-factor "$replication" "${@:2}"
  }
  create vigil.alerts --config cleanup.policy=delete --config retention.ms=604800000
  create vigil.assets --config cleanup.policy=compact
  create vigil.flows --config cleanup.policy=delete --config retention.ms=86400000
  exit 0
fi

jar="$here/devkafka/target/vigil-devkafka-0.1.0-SNAPSHOT.jar"
if [ ! -f "$jar" ] || [ ! -d "$here/devkafka/target/lib" ]; then
  echo "create-topics: building the devkafka jars (./mvnw package -pl devkafka) ..." >&2
  (cd "$here" && ./mvnw -B -q -DskipTests package -pl devkafka -am) >&2
fi
exec java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$jar:$here/devkafka/target/lib/*" \
  io.vigil.devkafka.CreateTopics "$bootstrap" "$replication" ${client:+"$client"}
