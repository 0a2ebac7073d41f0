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
#   PHASES="ingress dispatch relay" (default all three), ROUNDS=1: relay rounds (each starts one run later in the list
#   of raw relay, this build and the COMPARE builds), GAP=2: idle seconds before each relay run
#   COMPARE="LABEL=DIR[:CONFIG] ...": in each relay round, also run the worker and plugins of these builds (before/after
#   in one run, e.g. older commits' builds), with CONFIG instead of bench/kafka/relay.toml if given; CPU is
#   user+system seconds of the worker, or of raw-relay's process
#   PERF_DIR=DIR: record each worker relay with `perf record -g` into DIR/relay-LABEL-ROUND.perf, each raw relay into
#   DIR/raw-ROUND.perf (its CPU seconds then include perf's own)
#   THREADS=1: after each worker relay, the CPU seconds of each of its threads (eh-worker, eh-kafka-source, rdk:...)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
EVENTS=${2:-100000}
DURATION=${3:-15s}
CONNECTIONS=${CONNECTIONS:-50}
BEAST=${BEAST:-$BUILD/bench/http/beast-202-server}
KAFKA_DIR=/tmp/eh-bench-kafka
PHASES=${PHASES:-ingress dispatch relay}
ROUNDS=${ROUNDS:-1}
GAP=${GAP:-2}
COMPARE=${COMPARE:-}
RUN=$(date +%s)

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
metric_f() { curl -s "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 ~ "^"n"({|$)" {s += $2} END {printf "%f", s}'; }
now() { date +%s.%N; }
start_worker() {  # CONFIG [BUILD_DIR]: starts the worker on a free port, sets WORKER_PID and WORKER_PORT
  local build=${2:-$BUILD}
  WORKER_PORT=$(free_port)
  EVENTHOST_LISTEN="127.0.0.1:$WORKER_PORT" EVENTHOST_PLUGIN_PATH="$build/plugins" "$build/host/eventhost" run "$1" &
  WORKER_PID=$!
  pids+=("$WORKER_PID")
  wait_up "http://127.0.0.1:$WORKER_PORT/readyz"
}
stop_worker() { kill "$WORKER_PID"; wait "$WORKER_PID" || true; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
minor_faults() { awk '{print $10}' "/proc/$1/stat"; }  # pages first touched: memory the allocator got from the kernel
broker_cpu() { cpu "$(<"$KAFKA_DIR/broker.pid")"; }
since() { python3 -c "print(f'{$2 - $1:.2f}')"; }  # BEFORE AFTER
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {printf "%d", s}'; }
phase() { [[ " $PHASES " == *" $1 "* ]]; }
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

if phase ingress; then
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
fi

if phase dispatch; then
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
fi

relay_worker() {  # LABEL ROUND BUILD_DIR [CONFIG]: one worker relay of the input in its own group; its seconds into TIMES
  export OUT_TOPIC="bench-relay-out-$RUN-$1-$2" GROUP="bench-relay-$RUN-$1-$2"
  "$RAW" create "$KAFKA_BOOTSTRAP" "$OUT_TOPIC" 10
  sleep "$GAP"
  start_worker "${4:-bench/kafka/relay.toml}" "$3"
  local seconds perf_pid="" broker_before switches_before faults_before
  broker_before=$(broker_cpu)
  faults_before=$(minor_faults "$WORKER_PID")
  switches_before=$(ctx_switches "$WORKER_PID")
  if [[ -n "${PERF_DIR:-}" ]]; then
    perf record -q --call-graph dwarf,16384 -F 999 -p "$WORKER_PID" -o "$PERF_DIR/relay-$1-$2.perf" 2>/dev/null &
    perf_pid=$!
  fi
  seconds=$(wait_delivered "$EVENTS")
  if [[ -n "$perf_pid" ]]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
  TIMES+=("$1 $2 $seconds")
  echo "relay[$1] round=$2 events=$EVENTS seconds=$seconds events_per_s=$(python3 -c "print(round($EVENTS/$seconds))")" \
    "cpu_s=$(cpu "$WORKER_PID") context_switches=$(( $(ctx_switches "$WORKER_PID") - switches_before ))" \
    "minor_faults=$(( $(minor_faults "$WORKER_PID") - faults_before )) fetch_wakeups=$(metric "$WORKER_PORT" eventhost_plugin_fetch_wakeups_total)" \
    "broker_cpu_s=$(since "$broker_before" "$(broker_cpu)") worker: $(mem "$WORKER_PID")"
  if [[ -n "${THREADS:-}" ]]; then
    echo "  threads: $(for t in /proc/"$WORKER_PID"/task/*; do awk '{printf "%s=%.2f ", $2, ($14 + $15) / 100}' "$t/stat"; done)"
    echo "  mean sink attempt: $(python3 -c "print(f'{1000 * $(metric_f "$WORKER_PORT" eventhost_delivery_latency_seconds_sum) / max(1, $(metric "$WORKER_PORT" eventhost_delivery_latency_seconds_count)):.1f} ms')")"
  fi
  stop_worker
}

relay_raw() {  # ROUND: one raw relay of the input in its own group; its seconds into TIMES
  local out="bench-relay-raw-$RUN-$1" broker_before raw raw_s raw_perf=()
  "$RAW" create "$KAFKA_BOOTSTRAP" "$out" 10
  sleep "$GAP"
  broker_before=$(broker_cpu)
  [[ -n "${PERF_DIR:-}" ]] && raw_perf=(perf record -q --call-graph dwarf,16384 -F 999 -o "$PERF_DIR/raw-$1.perf" --)
  { time "${raw_perf[@]}" "$RAW" "$KAFKA_BOOTSTRAP" "$IN_TOPIC" "$out" "raw-$RUN-$1" "$EVENTS" >"$KAFKA_DIR.raw-out"; } \
    2>"$KAFKA_DIR.raw-time"
  raw=$(<"$KAFKA_DIR.raw-out")
  raw_s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$raw")
  TIMES+=("raw $1 $raw_s")
  echo "raw-relay round=$1 ${raw#RESULT } events_per_s=$(python3 -c "print(round($EVENTS/$raw_s))")" \
    "cpu_s=$(python3 -c "print(f'{$(tail -1 "$KAFKA_DIR.raw-time"):.2f}')") broker_cpu_s=$(since "$broker_before" "$(broker_cpu)")"
}

# 3. relay: each side reads the same input topic in its own group and writes to its own topic. Round N starts at the
# Nth of (raw relay, this build, each COMPARE build) and goes round the list, each run after GAP idle seconds, so that
# over as many rounds as there are runs per round each one meets the machine (and the broker) in every position; the
# ratios to the raw relay are per round, summarised by their median.
if phase relay; then
  TIMEFORMAT='%3U+%3S'
  export IN_TOPIC="bench-relay-in-$RUN"
  prefill "$IN_TOPIC"
  TIMES=()
  runs=(raw "build=$BUILD" $COMPARE)
  for round in $(seq "$ROUNDS"); do
    for i in $(seq 0 $(( ${#runs[@]} - 1 ))); do
      run=${runs[$(( (round - 1 + i) % ${#runs[@]} ))]}
      if [[ $run == raw ]]; then relay_raw "$round"; continue; fi
      spec=${run#*=}
      relay_worker "${run%%=*}" "$round" "${spec%%:*}" "$([[ $spec == *:* ]] && echo "${spec#*:}")"
    done
  done
  printf '%s\n' "${TIMES[@]}" | python3 -c '
import statistics, sys
times = {}
for line in sys.stdin:
    label, round_, seconds = line.split()
    times.setdefault(label, {})[round_] = float(seconds)
def summary(name, ratios):
    ordered = sorted(ratios)
    return (f"{name} median={statistics.median(ordered):.2f} min={ordered[0]:.2f} max={ordered[-1]:.2f}"
            f" rounds={len(ordered)}: " + " ".join(f"{x:.2f}" for x in ratios))
raw = times.pop("raw")
for label, by_round in times.items():
    print(f"relay[{label}] " + summary("ratio_to_raw", [raw[r] / s for r, s in by_round.items()]))
    if label != "build":
        print(f"relay[{label}] " + summary("ratio_to_build", [times["build"][r] / s for r, s in by_round.items()]))'
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
