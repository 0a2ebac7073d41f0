#!/usr/bin/env bash
# HTTP ingress benchmark: wrk (keep-alive, loopback) POSTs binary-mode CloudEvents to a memory broker of the worker
# (1 thread, trigger discards), and, in the same run, to a minimal Boost.Beast server that answers 202.
# The servers run on CPU 0 and wrk on CPU 1 (taskset), so neither steals the other's core.
#
#   bench/http/run.sh [BUILD_DIR] [DURATION]      e.g. bench/http/run.sh build 10s
#   CONNECTIONS=50 (wrk connections for the maximum rate)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
DURATION=${2:-10s}
CONNECTIONS=${CONNECTIONS:-50}
ninja -C "$BUILD" -j1 host/eventhost bench/http/beast-202-server plugins/http/eh-http.so \
  plugins/attributes/eh-attributes.so plugins/log/eh-log.so >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_up() {  # URL
  for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done
  echo "server at $1 did not come up" >&2; exit 1
}

load() {  # NAME URL CONNECTIONS [DELAY_MS]
  local out
  out=$(WRK_DELAY_MS=${4:-0} taskset -c 1 wrk -t1 -c"$3" -d"$DURATION" --latency -s bench/http/binary.lua "$2" | grep '^RESULT')
  echo "$1 connections=$3 delay_ms=${4:-0} ${out#RESULT }"
}
rps_of() { sed -n 's/.* rps=\([0-9]*\).*/\1/p' <<<"$1"; }

port=$(free_port)
taskset -c 0 "$BUILD/bench/http/beast-202-server" "$port" >/dev/null &
pids+=($!)
wait_up "http://127.0.0.1:$port/"
beast=$(load beast-202 "http://127.0.0.1:$port/default/default" "$CONNECTIONS")
echo "$beast"

port=$(free_port)
EVENTHOST_LISTEN="127.0.0.1:$port" taskset -c 0 "$BUILD/host/eventhost" run bench/http/worker.toml &
pids+=($!)
wait_up "http://127.0.0.1:$port/readyz"
worker=$(load eventhost "http://127.0.0.1:$port/default/default" "$CONNECTIONS")
echo "$worker"

# Half the worker's maximum rate: connections that each wait 1 ms between requests (wrk holds no fixed rate).
half=$(( $(rps_of "$worker") / 2 ))
half_connections=$(( half / 1000 > 0 ? half / 1000 : 1 ))
load eventhost-half-load "http://127.0.0.1:$port/default/default" "$half_connections" 1
echo "ratio eventhost/beast-202 = $(python3 -c "print(f'{$(rps_of "$worker")/$(rps_of "$beast"):.2f}')")"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^eventhost_(ingress_requests_total|pipeline_filtered_total\{pipeline="trigger)'
