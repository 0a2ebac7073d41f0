#!/usr/bin/env bash
# Runs every test: starts a real Kafka broker on loopback for the end-to-end suites, runs `meson test`, stops Kafka,
# and closes with one "N passed, N failed" line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "${1:-build}" && pwd)"
kafka_state="$(mktemp -d /tmp/eventhost-test-kafka.XXXXXX)"

stop_kafka() { "$here/kafka/kafka.sh" stop "$kafka_state" >/dev/null 2>&1 || true; }
trap stop_kafka EXIT

echo "starting Kafka (KRaft, loopback)..."
EVENTHOST_KAFKA_BOOTSTRAP="$("$here/kafka/kafka.sh" start "$kafka_state")"
export EVENTHOST_KAFKA_BOOTSTRAP
echo "Kafka at $EVENTHOST_KAFKA_BOOTSTRAP"

status=0
meson test -C "$build" --print-errorlogs --num-processes 2 || status=$?

python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {}
for line in open(sys.argv[1]):
    r = json.loads(line).get("result", "")
    counts[r] = counts.get(r, 0) + 1
passed = counts.get("OK", 0) + counts.get("EXPECTEDFAIL", 0)
skipped = counts.get("SKIP", 0)
failed = sum(n for r, n in counts.items() if r not in ("OK", "EXPECTEDFAIL", "SKIP"))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
