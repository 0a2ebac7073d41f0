#!/usr/bin/env bash
# eventhost side by side with its peers, on one machine, in one run, against one real Kafka broker
# (tests/kafka/kafka.sh) and one HTTP subscriber (subscriber.cpp), with the same events: binary-mode CloudEvents,
# six attributes, 1 KiB of JSON data (bench/kafka/event.json; k8s-event.json, an eventrouter record, for the fanout).
# Run by hand, not in CI. Scenarios and systems:
#
#   ingress    HTTP POST -> Kafka (acks=all), answered once the record is in Kafka
#              raw: subscriber.cpp (a bare Beast server answering 202) and kafka-tool produce (bare librdkafka)
#              eventhost: eventhost/ingress.toml; redpanda: redpanda/ingress.yaml
#   dispatch   Kafka -> HTTP subscriber, ordered (one event in flight per partition) and unordered (100 in flight)
#              raw: kafka-tool consume (bare librdkafka) and the subscriber's own maximum
#              eventhost: eventhost/dispatch.toml; redpanda: redpanda/dispatch.yaml
#   fanout     Kafka -> filter -> Kafka, each record to the topic of its Kubernetes namespace
#              raw: bench/kafka/raw_relay.c (consume and produce, one output topic)
#              eventhost: eventhost/fanout.toml; redpanda: redpanda/fanout.yaml;
#              kafka-connect: MirrorMaker 2's MirrorSourceConnector with a Filter predicate (copies to one topic)
#
# Each system is measured twice: as fast as it goes (EVENTS events; a backlog pre-filled in Kafka, or the load
# generator sending back to back over CONNECTIONS connections), and at a fixed offered load (RATE events/s for
# LATENCY_EVENTS events) for the latency: from the moment the event was written (ce-time) or due, to the moment it
# reached the subscriber or the output topic. CPU seconds per million events are the process's utime + stime
# (/proc/PID/stat) from the first to the last event, peak memory its VmHWM.
#
#   bench/peers/run.sh [BUILD_DIR] [EVENTS]          e.g. bench/peers/run.sh build 100000
#   RATE=1000 LATENCY_EVENTS=10000 CONNECTIONS=50 SCENARIOS="ingress dispatch fanout"
#   SYSTEMS="raw eventhost redpanda kafka-connect"  OUT=bench/peers/results.tsv
#
# Peers are built or fetched once into ~/.cache/eventhost/peers: Redpanda Connect from the Go module proxy
# (redpanda/, only the components used here), Kafka Connect's jars from Maven Central (kafka-connect/pom.xml).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
EVENTS=${2:-100000}
RATE=${RATE:-1000}
LATENCY_EVENTS=${LATENCY_EVENTS:-10000}
CONNECTIONS=${CONNECTIONS:-50}
SCENARIOS=${SCENARIOS:-ingress dispatch fanout}
SYSTEMS=${SYSTEMS:-raw eventhost redpanda kafka-connect}
OUT=${OUT:-bench/peers/results.tsv}
PEERS=bench/peers
CACHE=${EVENTHOST_CACHE:-$HOME/.cache/eventhost}/peers
RPC_VERSION=v4.49.1
KAFKA_CONNECT_VERSION=3.9.1
RPC="$CACHE/redpanda-connect-$RPC_VERSION"
CONNECT_LIBS="$CACHE/kafka-connect-$KAFKA_CONNECT_VERSION"
WORK=$(mktemp -d /tmp/eh-peers.XXXXXX)
KAFKA_DIR="$WORK/kafka"
RUN=$(date +%s)
ORDER_BODY=bench/kafka/event.json
K8S_BODY=$PEERS/k8s-event.json
export EVENTHOST_PLUGIN_PATH="$BUILD/plugins"

pids=()
cleanup() {
  local status=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  tests/kafka/kafka.sh stop "$KAFKA_DIR" >/dev/null 2>&1 || true
  if ((status == 0)); then rm -rf "$WORK"; else log "failed; the systems' logs are in $WORK"; fi
}
trap cleanup EXIT
has() { [[ " $SYSTEMS " == *" $1 "* ]]; }
log() { printf '%s\n' "$*" >&2; }

# ---- tools and peers -------------------------------------------------------------------------------------------
mkdir -p "$CACHE/bin"
build_tool() {  # NAME SOURCE LIBS COMPILER...: compile SOURCE into the cache when it changed
  local bin="$CACHE/bin/$1" source=$2 libs=$3
  shift 3
  if [[ ! -x "$bin" || "$source" -nt "$bin" ]]; then "$@" -o "$bin" "$source" $libs; fi
  echo "$bin"
}
KAFKA_TOOL=$(build_tool kafka-tool $PEERS/kafka_tool.c -lrdkafka gcc -O2 -Wall)
RAW_RELAY=$(build_tool raw-relay bench/kafka/raw_relay.c -lrdkafka gcc -O2 -Wall)
SUBSCRIBER=$(build_tool peers-subscriber $PEERS/subscriber.cpp -pthread g++ -std=c++20 -O2 -Wall)
HTTP_LOAD=$(build_tool peers-http-load $PEERS/http_load.cpp -pthread g++ -std=c++20 -O2 -Wall)
if has redpanda && [[ ! -x "$RPC" ]]; then
  log "building Redpanda Connect $RPC_VERSION into $RPC (go build -p 1; minutes)"
  (cd $PEERS/redpanda && go build -p 1 -trimpath -ldflags="-s -w" -o "$RPC" .)
fi
if has kafka-connect && [[ ! -f "$CONNECT_LIBS/.complete" ]]; then
  log "fetching Kafka Connect $KAFKA_CONNECT_VERSION jars into $CONNECT_LIBS"
  rm -rf "$CONNECT_LIBS"
  mvn -q -B -f $PEERS/kafka-connect/pom.xml -Dmaven.repo.local="$CACHE/m2" -Dkafka.version=$KAFKA_CONNECT_VERSION \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$CONNECT_LIBS" >&2
  touch "$CONNECT_LIBS/.complete"
fi

# ---- helpers ----------------------------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; log "no server at $1"; exit 1; }
wait_line() {  # FILE PATTERN SECONDS: until a line of FILE matches
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    ((SECONDS < deadline)) || { log "timed out waiting for '$2' in $1"; tail -5 "$1" >&2; return 1; }
    sleep 0.02
  done
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }     # LINE KEY
# utime + stime in clock ticks, and VmHWM; empty once the process is gone (raw-relay exits when it is done)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || true; }
hwm_mib() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || true; }
TICKS=$(getconf CLK_TCK)
cpu_per_million() {  # TICKS_BEFORE TICKS_AFTER EVENTS
  [[ -n "$1" && -n "$2" ]] && python3 -c "print(f'{($2 - $1) / $TICKS / $3 * 1e6:.1f}')" || true
}
record() {  # SCENARIO SYSTEM RESULT_LINE CPU_S_PER_M HWM_MIB: print and append a row to OUT
  local eps p50 p99 hop
  eps=$(field "$3" events_per_s) p50=$(field "$3" p50_ms) p99=$(field "$3" p99_ms) hop=$(field "$3" hop_p50_ms)
  printf '%-22s %-26s %10s ev/s  p50 %8s ms  p99 %8s ms  cpu %7s s/M  hwm %7s MiB%s\n' \
    "$1" "$2" "$eps" "${p50:--}" "${p99:--}" "${4:--}" "${5:--}" "${hop:+  (last hop p50 $hop ms)}"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$eps" "${p50:--}" "${p99:--}" "${4:--}" "${5:--}" >>"$OUT"
}
start() {  # LOGFILE CMD...: start a system in the background, set SYS_PID
  local logfile=$1
  shift
  "$@" >"$logfile" 2>&1 &
  SYS_PID=$!
  pids+=("$SYS_PID")
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
start_subscriber() {  # COUNT: sets SUB_PID, SUB_OUT, SUB_PORT, SUBSCRIBER_URL
  SUB_OUT="$WORK/subscriber.$RANDOM.out"
  "$SUBSCRIBER" 0 "$1" >"$SUB_OUT" &
  SUB_PID=$!
  pids+=("$SUB_PID")
  wait_line "$SUB_OUT" '^[0-9]' 10
  SUB_PORT=$(head -1 "$SUB_OUT")
  export SUBSCRIBER_URL="http://127.0.0.1:$SUB_PORT/"
}
new_topic() { "$RAW_RELAY" create "$KAFKA_BOOTSTRAP" "$1" "${2:-10}"; }
prefill() { "$KAFKA_TOOL" produce "$KAFKA_BOOTSTRAP" "$1" "$EVENTS" 0 "$2" >/dev/null; }  # TOPIC BODY

# Starts system SYSTEM for SCENARIO (env: IN_TOPIC, OUT_TOPIC, OUT_PREFIX, GROUP, ORDERING); sets SYS_PID and,
# for ingress, INGRESS_PORT. Waits until it is up.
start_system() {  # SCENARIO SYSTEM
  local logfile="$WORK/$1-$2-$RANDOM.log" port
  port=$(free_port)
  case "$2" in
    eventhost)
      EVENTHOST_LISTEN="127.0.0.1:$port" start "$logfile" "$BUILD/host/eventhost" run "$PEERS/eventhost/$1.toml"
      wait_http "http://127.0.0.1:$port/readyz"
      INGRESS_PORT=$port ;;
    redpanda)
      local checkpoint=1024 in_flight=100
      if [[ "${ORDERING:-}" == ordered ]]; then checkpoint=1 in_flight=10; fi
      PORT=$port CHECKPOINT_LIMIT=$checkpoint MAX_IN_FLIGHT=$in_flight start "$logfile" "$RPC" run "$PEERS/redpanda/$1.yaml"
      if [[ "$1" == ingress ]]; then wait_http "http://127.0.0.1:$port/"; INGRESS_PORT=$port; fi ;;
    kafka-connect)
      mkdir -p "$WORK/connect"
      local fill="s|@BOOTSTRAP@|$KAFKA_BOOTSTRAP|; s|@PORT@|$port|; s|@STATE@|$WORK/connect|; s|@IN_TOPIC@|$IN_TOPIC|"
      sed "$fill" $PEERS/kafka-connect/worker.properties >"$WORK/connect/worker.properties"
      sed "$fill" $PEERS/kafka-connect/mirror-source.properties >"$WORK/connect/mirror-source.properties"
      rm -f "$WORK/connect/offsets"
      start "$logfile" java -Xms128m -Xmx512m -Dlog4j.configuration="file:$PEERS/kafka-connect/log4j.properties" \
        -cp "$CONNECT_LIBS/*" org.apache.kafka.connect.cli.ConnectStandalone \
        "$WORK/connect/worker.properties" "$WORK/connect/mirror-source.properties" ;;
    raw) ;;
  esac
}

# Kafka -> (SYSTEM) -> READER: the backlog run then the fixed-rate run. READER is "subscriber" or "topic:<regex>".
kafka_to_reader() {  # SCENARIO LABEL SYSTEM BODY READER
  local scenario=$1 label=$2 system=$3 body=$4 reader=$5 out before after result slug
  slug=$(tr -c 'a-z0-9\n' '-' <<<"$system-${ORDERING:-}")
  for phase in backlog rate; do
    local count=$EVENTS
    if [[ $phase == rate ]]; then count=$LATENCY_EVENTS; fi
    export IN_TOPIC="$scenario-in-$slug-$phase-$RUN" GROUP="$scenario-$slug-$phase-$RUN"
    export OUT_TOPIC="$scenario-out-$slug-$phase-$RUN" OUT_PREFIX="$scenario-out-$slug-$phase-$RUN-"
    new_topic "$IN_TOPIC"
    if [[ $scenario == fanout ]]; then
      for n in 0 1 2 3 4 5 6 7 8 9; do new_topic "${OUT_PREFIX}ns-$n" 1; done
      if [[ $system == kafka-connect ]]; then new_topic "src.$IN_TOPIC"; fi
      if [[ $system == raw ]]; then new_topic "$OUT_TOPIC"; fi
    fi
    if [[ $phase == backlog ]]; then prefill "$IN_TOPIC" "$body"; fi
    out="$WORK/reader-$slug-$phase.out"
    # At a fixed rate, the warm-up: one record, or one per namespace for the fanout, so that every output topic
    # has had its first record (a producer's first record to a topic waits for the topic's metadata: 0.5-1 s here)
    # before the clock starts. Plus the measured producer's own warm-up record (kafka_tool.c), which is not aged.
    local warm=0 expected=$count
    if [[ $phase == rate ]]; then
      warm=1
      if [[ $scenario == fanout ]]; then warm=10; fi
      expected=$((count + warm + 1))
    fi
    if [[ $reader == subscriber ]]; then
      start_subscriber "$expected"
      out=$SUB_OUT
    else
      local topic=${reader#topic:}
      topic=${topic//@IN@/$IN_TOPIC}
      topic=${topic//@OUT@/$OUT_TOPIC}
      topic=${topic//@PREFIX@/$OUT_PREFIX}
      "$KAFKA_TOOL" consume "$KAFKA_BOOTSTRAP" "$topic" "reader-$GROUP" "$expected" "$warm" >"$out" &
      pids+=($!)
    fi
    if [[ $system == raw ]]; then
      start "$WORK/raw-relay-$phase.log" "$RAW_RELAY" "$KAFKA_BOOTSTRAP" "$IN_TOPIC" "$OUT_TOPIC" "raw-$GROUP" "$expected"
    else
      start_system "$scenario" "$system"
    fi
    local pid=$SYS_PID
    # At a fixed rate: the warm-up first; once the reader has it, the system is up (started, in its consumer
    # group, the JVM warm, its output topics known) and the measured records follow.
    if [[ $phase == rate ]]; then "$KAFKA_TOOL" produce "$KAFKA_BOOTSTRAP" "$IN_TOPIC" "$warm" 0 "$body" >/dev/null; fi
    wait_line "$out" '^FIRST' 180
    before=$(cpu_ticks "$pid")
    if [[ $phase == rate ]]; then
      "$KAFKA_TOOL" produce "$KAFKA_BOOTSTRAP" "$IN_TOPIC" "$count" "$RATE" "$body" >/dev/null &
      pids+=($!)
    fi
    wait_line "$out" '^RESULT' 600
    after=$(cpu_ticks "$pid")
    result=$(grep '^RESULT' "$out")
    if [[ $phase == backlog ]]; then  # the age of a record that waited in the backlog is no latency
      result=$(sed 's/ p50_ms=[^ ]*//; s/ p99_ms=[^ ]*//; s/ hop_p50_ms=[^ ]*//' <<<"$result")
      record "$scenario" "$label" "$result" "$(cpu_per_million "$before" "$after" "$count")" "$(hwm_mib "$pid")"
    else  # first to last includes the wait for the warm-up record: no rate
      result=$(sed 's/ events_per_s=[^ ]*//' <<<"$result")
      record "$scenario@${RATE}/s" "$label" "$result" "$(cpu_per_million "$before" "$after" "$count")" "$(hwm_mib "$pid")"
    fi
    stop "$pid"
    if [[ $reader == subscriber ]]; then stop "$SUB_PID"; fi
  done
}

# ---- run --------------------------------------------------------------------------------------------------------
export KAFKA_BOOTSTRAP=$(tests/kafka/kafka.sh start "$KAFKA_DIR")
echo "machine: nproc=$(nproc) cpu=$(lscpu | sed -n 's/^Model name: *//p') mem=$(free -g | awk '/^Mem/ {print $2}')G"
echo "commit: $(git rev-parse --short HEAD)  date: $(date -u +%FT%TZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "events=$EVENTS rate=$RATE latency_events=$LATENCY_EVENTS connections=$CONNECTIONS build=$BUILD"
echo "versions: kafka $(basename "$(ls "${EVENTHOST_CACHE:-$HOME/.cache/eventhost}"/kafka/*/libs/kafka_2.13-*.jar | head -1)" .jar)," \
  "librdkafka $(pkg-config --modversion rdkafka 2>/dev/null), redpanda-connect $RPC_VERSION," \
  "kafka-connect $KAFKA_CONNECT_VERSION, $(java -version 2>&1 | head -1), $(go version | cut -d' ' -f3)"
printf 'scenario\tsystem\tevents_per_s\tp50_ms\tp99_ms\tcpu_s_per_million\tpeak_rss_mib\n' >"$OUT"

if [[ " $SCENARIOS " == *" ingress "* ]]; then
  export OUT_TOPIC="ingress-out-$RUN"
  new_topic "$OUT_TOPIC"
  if has raw; then
    start_subscriber $((EVENTS + LATENCY_EVENTS))
    before=$(cpu_ticks "$SUB_PID")
    result=$("$HTTP_LOAD" "$SUB_PORT" / 0 "$EVENTS" "$CONNECTIONS" $ORDER_BODY | tail -1) || true
    after=$(cpu_ticks "$SUB_PID")
    record ingress "raw: Beast 202 (no Kafka)" "$result" "$(cpu_per_million "$before" "$after" "$EVENTS")" "$(hwm_mib "$SUB_PID")"
    result=$("$HTTP_LOAD" "$SUB_PORT" / "$RATE" "$LATENCY_EVENTS" "$CONNECTIONS" $ORDER_BODY | tail -1) || true
    record "ingress@${RATE}/s" "raw: Beast 202 (no Kafka)" "$result"
    stop "$SUB_PID"
    record ingress "raw: librdkafka produce" "$("$KAFKA_TOOL" produce "$KAFKA_BOOTSTRAP" "$OUT_TOPIC-raw" "$EVENTS" 0 $ORDER_BODY)"
  fi
  for system in eventhost redpanda; do
    has $system || continue
    start_system ingress $system
    pid=$SYS_PID
    "$HTTP_LOAD" "$INGRESS_PORT" /ingress 0 2000 "$CONNECTIONS" $ORDER_BODY >/dev/null  # warm-up, not counted
    before=$(cpu_ticks "$pid")
    result=$("$HTTP_LOAD" "$INGRESS_PORT" /ingress 0 "$EVENTS" "$CONNECTIONS" $ORDER_BODY | tail -1) || true
    after=$(cpu_ticks "$pid")
    record ingress "$system" "$result" "$(cpu_per_million "$before" "$after" "$EVENTS")" "$(hwm_mib "$pid")"
    before=$(cpu_ticks "$pid")
    result=$("$HTTP_LOAD" "$INGRESS_PORT" /ingress "$RATE" "$LATENCY_EVENTS" "$CONNECTIONS" $ORDER_BODY | tail -1) || true
    after=$(cpu_ticks "$pid")
    record "ingress@${RATE}/s" "$system" "$result" "$(cpu_per_million "$before" "$after" "$LATENCY_EVENTS")" "$(hwm_mib "$pid")"
    [[ $(field "$result" non2xx) == 0 && $(field "$result" errors) == 0 ]] || log "$system ingress: $result"
    stop "$pid"
  done
fi

if [[ " $SCENARIOS " == *" dispatch "* ]]; then
  if has raw; then
    export IN_TOPIC="dispatch-in-raw-$RUN"
    new_topic "$IN_TOPIC"
    prefill "$IN_TOPIC" $ORDER_BODY
    result=$("$KAFKA_TOOL" consume "$KAFKA_BOOTSTRAP" "$IN_TOPIC" "raw-$RUN" "$EVENTS" | tail -1)
    record dispatch "raw: librdkafka consume" "$(sed 's/ p50_ms=[^ ]*//; s/ p99_ms=[^ ]*//' <<<"$result")"
  fi
  for ordering in ordered unordered; do
    export ORDERING=$ordering
    for system in eventhost redpanda; do
      if has $system; then kafka_to_reader dispatch "$system ($ordering)" $system $ORDER_BODY subscriber; fi
    done
  done
fi

if [[ " $SCENARIOS " == *" fanout "* ]]; then
  unset ORDERING
  if has raw; then kafka_to_reader fanout "raw: librdkafka relay" raw "$K8S_BODY" "topic:@OUT@"; fi
  for system in eventhost redpanda; do
    if has $system; then kafka_to_reader fanout "$system" $system "$K8S_BODY" "topic:^@PREFIX@ns-.*"; fi
  done
  if has kafka-connect; then
    kafka_to_reader fanout "kafka-connect (MM2, copy)" kafka-connect "$K8S_BODY" "topic:src.@IN@"
  fi
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results: $OUT"
