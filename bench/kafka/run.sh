#!/usr/bin/env bash
# Kafka benchmarks against one real broker (tests/kafka/kafka.sh), run by hand, not in CI:
#   1. ingress: wrk POSTs binary-mode events (six attributes, 1 KiB JSON) to a Kafka-backed broker (acks=all) whose
#      trigger discards; events/s and p99;
#   2. dispatch: a topic pre-filled with kcat, a trigger (unordered, max_in_flight 100) POSTing to a Beast server
#      answering 202; events/s from the first to the last delivery (worker metrics, polled every 50 ms);
#   3. relay: Kafka -> attributes filter -> Kafka in the worker against raw-relay.c (librdkafka consume and
#      produce with acks=all) on copies of the same records; the ratio;
#   4. worker VmRSS idle and VmHWM under load (/proc/PID/status).
#
#   bench/kafka/run.sh [BUILD_DIR] [EVENTS] [DURATION]     e.g. bench/kafka/run.sh build 100000 15s
#   BEAST=path/to/beast-202-server (default BUILD_DIR/bench/http/beast-202-server), CONNECTIONS=50
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
EVENTS=${2:-100000}
DURATION=${3:-15s}
CONNECTIONS=${CONNECTIONS:-50}
BEAST=${BEAST:-$BUILD/bench/http/beast-202-server}
KAFKA_DIR=/tmp/eh-bench-kafka
RUN=$(date +%s)
export EVENTHOST_PLUGIN_PATH="$BUILD/plugins"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  tests/kafka/kafka.sh stop "$KAFKA_DIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT

gcc -O2 -Wall -o "$KAFKA_DIR.raw-relay" bench/kafka/raw_relay.c -lrdkafka
RAW="$KAFKA_DIR.raw-relay"
export KAFKA_BOOTSTRAP=$(tests/kafka/kafka.sh start "$KAFKA_DIR")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no server at $1" >&2; exit 1; }
mem() { awk '/^(VmRSS|VmHWM)/ {printf "%s=%dMiB ", substr($1, 1, 5), $2/1024}' "/proc/$1/status"; }
metric() {  # PORT NAME: the sum of a metric over all pipelines
  curl -s "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 ~ "^"n"({|$)" {s += $2} END {printf "%d", s}'
}
now() { date +%s.%N; }
start_worker() {  # CONFIG: starts the worker on a free port, sets WORKER_PID and WORKER_PORT
  WORKER_PORT=$(free_port)
  EVENTHOST_LISTEN="127.0.0.1:$WORKER_PORT" "$BUILD/host/eventhost" run "$1" &
  WORKER_PID=$!
  pids+=("$WORKER_PID")
  wait_up "http://127.0.0.1:$WORKER_PORT/readyz"
}
stop_worker() { kill "$WORKER_PID"; wait "$WORKER_PID" || true; }
wait_delivered() {  # COUNT: seconds from the first to the COUNT-th delivered event (50 ms resolution)
  local first="" n
  for _ in $(seq 2400); do
    n=$(metric "$WORKER_PORT" eventhost_pipeline_delivered_total)
    [[ -z "$first" && "$n" -gt 0 ]] && first=$(now)
    [[ "$n" -ge "$1" ]] && { python3 -c "print(f'{$(now) - $first:.3f}')"; return; }
    sleep 0.05
  done
  echo "only $n of $1 delivered" >&2; exit 1
}
prefill() {  # TOPIC: EVENTS binary-mode records, six attributes, 1 KiB JSON
  "$RAW" create "$KAFKA_BOOTSTRAP" "$1" 10
  awk -v n="$EVENTS" 'NR == 1 {for (i = 0; i < n; i++) print}' bench/kafka/event.json | kcat -P -b "$KAFKA_BOOTSTRAP" -t "$1" \
    -H ce_specversion=1.0 -H ce_id=bench-event -H ce_source=/bench/kcat -H ce_type=com.example.order.created \
    -H ce_time=2026-01-01T00:00:00Z -H content-type=application/json
}

echo "machine: nproc=$(nproc) cpu=$(lscpu | sed -n 's/^Model name: *//p') load=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD)  date: $(date -u +%FT%TZ)  events=$EVENTS duration=$DURATION"

# 1. ingress
export BUS_TOPIC="bench-ingress-$RUN"
start_worker bench/kafka/ingress.toml
sleep 2
echo "worker idle: $(mem "$WORKER_PID")"
# warm-up (idempotent producer id, topic creation, connections), not measured
wrk -t1 -c"$CONNECTIONS" -d3s -s bench/kafka/ingress.lua "http://127.0.0.1:$WORKER_PORT/default/default" >/dev/null
ingress=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/kafka/ingress.lua \
  "http://127.0.0.1:$WORKER_PORT/default/default" | grep '^RESULT')
echo "ingress connections=$CONNECTIONS ${ingress#RESULT } worker: $(mem "$WORKER_PID")"
stop_worker

# 2. dispatch
export BUS_TOPIC="bench-dispatch-$RUN"
prefill "$BUS_TOPIC"
sub_port=$(free_port)
"$BEAST" "$sub_port" >/dev/null &
pids+=($!)
wait_up "http://127.0.0.1:$sub_port/"
export SUBSCRIBER_URL="http://127.0.0.1:$sub_port/"
start_worker bench/kafka/dispatch.toml
seconds=$(wait_delivered "$EVENTS")
echo "dispatch events=$EVENTS seconds=$seconds events_per_s=$(python3 -c "print(round($EVENTS/$seconds))") worker: $(mem "$WORKER_PID")"
stop_worker

# 3. relay: each side reads its own copy of the records and writes to its own topic
export IN_TOPIC="bench-relay-in-$RUN" OUT_TOPIC="bench-relay-out-$RUN" GROUP="bench-relay-$RUN"
prefill "$IN_TOPIC"
"$RAW" create "$KAFKA_BOOTSTRAP" "$OUT_TOPIC" 10
"$RAW" create "$KAFKA_BOOTSTRAP" "$OUT_TOPIC-raw" 10
raw=$("$RAW" "$KAFKA_BOOTSTRAP" "$IN_TOPIC" "$OUT_TOPIC-raw" "raw-$GROUP" "$EVENTS")
raw_s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$raw")
echo "raw-relay ${raw#RESULT } events_per_s=$(python3 -c "print(round($EVENTS/$raw_s))")"
start_worker bench/kafka/relay.toml
seconds=$(wait_delivered "$EVENTS")
echo "relay events=$EVENTS seconds=$seconds events_per_s=$(python3 -c "print(round($EVENTS/$seconds))") worker: $(mem "$WORKER_PID")"
stop_worker
echo "ratio relay/raw-relay = $(python3 -c "print(f'{$raw_s/$seconds:.2f}')")"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
