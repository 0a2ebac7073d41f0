#!/usr/bin/env bash
# Run a real single-node Apache Kafka broker (KRaft, broker+controller) on
# 127.0.0.1 for eventhost's tests.
#
#   kafka.sh start [STATE_DIR]      start (or reuse) a broker; prints host:port
#   kafka.sh stop [STATE_DIR]       stop it and remove STATE_DIR
#   kafka.sh bootstrap [STATE_DIR]  print host:port of the running broker
#   kafka.sh fetch                  only download the jars (warm the cache)
#
# STATE_DIR defaults to /tmp/eventhost-kafka. Jars come from Maven Central via
# the pom.xml next to this script and are cached (with Maven's local repo) in
# ${EVENTHOST_CACHE:-$HOME/.cache/eventhost}/kafka/; nothing goes into the repo.
#
# Environment knobs:
#   KAFKA_VERSION          broker version (default below; must be a 3.x KRaft)
#   EVENTHOST_CACHE        cache root (default $HOME/.cache/eventhost)
#   KAFKA_PORT             listen on this port instead of a free one (a test bringing Kafka up where a worker
#                          already looks for it)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker (default 90)
#   KAFKA_STOP_GRACE       seconds between SIGTERM and SIGKILL (default 30)
#   KAFKA_HEAP_OPTS        default "-Xms128m -Xmx512m"
#   KAFKA_JVM_OPTS         extra JVM options appended to the defaults
#   KAFKA_NO_CDS           set to 1 to neither use nor create the CDS archive
#   JAVA_HOME              java to use (default: java on PATH)
set -euo pipefail

readonly SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
readonly KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
readonly CACHE_ROOT="${EVENTHOST_CACHE:-$HOME/.cache/eventhost}/kafka"
readonly LIB_DIR="$CACHE_ROOT/$KAFKA_VERSION/libs"
readonly M2_REPO="$CACHE_ROOT/m2"
readonly DEFAULT_STATE_DIR=/tmp/eventhost-kafka
readonly START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
readonly STOP_GRACE="${KAFKA_STOP_GRACE:-30}"
readonly MARKER=.eventhost-kafka   # marks a dir as ours, so stop may rm -rf it

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    die "java not found (install a JDK >= 11, e.g. apt-get install -y openjdk-17-jre-headless)"
  fi
}

# ---------------------------------------------------------------- fetch ----
fetch() {
  [[ -f "$LIB_DIR/.complete" ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install -y maven)"
  mkdir -p "$CACHE_ROOT"
  exec 8>"$CACHE_ROOT/.fetch.lock"
  flock 8
  if [[ -f "$LIB_DIR/.complete" ]]; then exec 8>&-; return 0; fi
  log "fetching Kafka $KAFKA_VERSION jars into $LIB_DIR"
  local tmp="$LIB_DIR.tmp.$$" mvnlog="$CACHE_ROOT/mvn-$KAFKA_VERSION.log"
  rm -rf "$tmp" "$LIB_DIR" "$CACHE_ROOT/$KAFKA_VERSION"/broker-*.jsa
  mkdir -p "$tmp"
  if ! mvn -q -B -Dstyle.color=never \
        -f "$SCRIPT_DIR/pom.xml" \
        -Dmaven.repo.local="$M2_REPO" \
        -Dkafka.version="$KAFKA_VERSION" \
        dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" \
        >"$mvnlog" 2>&1; then
    tail -n 40 "$mvnlog" >&2
    rm -rf "$tmp"
    die "maven could not fetch Kafka $KAFKA_VERSION (full log: $mvnlog)"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"; }
  touch "$tmp/.complete"
  mv -T "$tmp" "$LIB_DIR"
  exec 8>&-
}

# -------------------------------------------------------------- helpers ----
state_dir() {
  local d="${1:-$DEFAULT_STATE_DIR}"
  [[ "$d" == /* ]] || d="$PWD/$d"
  d="${d%/}"
  [[ -n "$d" ]] || die "refusing to use / as the state dir"
  echo "$d"
}

# pid of the broker recorded in $1, if that process is alive and is our broker.
running_pid() {
  local dir="$1" pid
  [[ -f "$dir/broker.pid" ]] || return 1
  pid="$(<"$dir/broker.pid")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # guard against pid reuse: the command line must be our kafka.Kafka
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $dir/server.properties" || return 1
  echo "$pid"
}

port_in_use() {
  local p="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null
  fi
}

# a free TCP port on 127.0.0.1, below the usual ephemeral range; $1 = port to avoid
free_port() {
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    [[ "$p" == "${1:-}" ]] && continue
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free loopback port found"
}

# random Kafka cluster id: 16 random bytes, url-safe base64 without padding
cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* && ${#id} -eq 22 ]] && { echo "$id"; return; }
  done
}

ensure_kcat() {
  command -v kcat >/dev/null 2>&1 && return 0
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing kcat (apt-get)"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q kcat ||
      { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q kcat; }; } >/dev/null 2>&1 || true
  fi
  command -v kcat >/dev/null 2>&1 || log "kcat not available: readiness falls back to port + log check"
}

# is the broker at $1 answering metadata requests (and listing itself)?
broker_ready() {
  local addr="$1" dir="$2"
  # cheap check first: is the listener open at all?
  (exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}") 2>/dev/null || return 1
  if command -v kcat >/dev/null 2>&1; then
    kcat -b "$addr" -L -m 3 2>/dev/null | grep -q "broker 1 at"
  else
    grep -q "Kafka Server started" "$dir/server.log" 2>/dev/null
  fi
}

# ---------------------------------------------------------------- start ----
start() {
  local dir; dir="$(state_dir "${1:-}")"
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  flock 9
  if running_pid "$dir" >/dev/null; then
    cat "$dir/bootstrap"
    echo
    return 0
  fi
  # not running: anything left in the dir is stale
  find "$dir" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
  touch "$dir/$MARKER"

  fetch
  ensure_kcat
  local java; java="$(java_bin)"
  # explicit, sorted class path: stable across runs, as the CDS archive needs
  local cp; cp="$(find "$LIB_DIR" -maxdepth 1 -name '*.jar' | LC_ALL=C sort | paste -sd:)"

  # AppCDS: the first broker of a (Kafka version, JDK) dumps the classes it
  # loaded when it exits (kafka.sh stop); later starts map that archive, which
  # takes ~1.5 s off the start. A stale/mismatched archive is ignored by the JVM.
  local jdk_key cds=()
  jdk_key="$(readlink -f "$java" | cksum | cut -d' ' -f1)-$(stat -Lc %Y "$java")"
  local jsa="$CACHE_ROOT/$KAFKA_VERSION/broker-$jdk_key.jsa"
  local fmt_cds=()
  if [[ -n "${KAFKA_NO_CDS:-}" ]]; then
    :
  elif [[ -s "$jsa" ]]; then
    cds=(-XX:SharedArchiveFile="$jsa")
    fmt_cds=("${cds[@]}")
  else
    cds=(-XX:ArchiveClassesAtExit="$dir/broker.jsa")
    printf '%s' "$jsa" >"$dir/jsa-target"
  fi

  local port cport id addr
  port="${KAFKA_PORT:-$(free_port)}"
  cport="$(free_port "$port")"
  addr="127.0.0.1:$port"

  cat >"$dir/server.properties" <<EOF
# generated by tests/kafka/kafka.sh
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
auto.create.topics.enable=true
delete.topic.enable=true
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.retention.check.interval.ms=60000
EOF

  cat >"$dir/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$dir/server.log
log4j.appender.file.Append=true
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
EOF

  # shellcheck disable=SC2206
  local jvm=(${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}
             -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
             -Djava.awt.headless=true
             -Dlog4j.configuration="file:$dir/log4j.properties"
             -Dkafka.logs.dir="$dir"
             ${KAFKA_JVM_OPTS:-})

  id="$(cluster_id)"
  if ! "$java" "${jvm[@]}" "${fmt_cds[@]}" -cp "$cp" kafka.tools.StorageTool format \
        -t "$id" -c "$dir/server.properties" --ignore-formatted \
        >"$dir/format.log" 2>&1; then
    cat "$dir/format.log" >&2
    die "formatting $dir/data failed"
  fi

  # Detached (own session, no inherited stdout/lock) so that $(kafka.sh start)
  # returns and the broker outlives the calling shell. The inner shell writes
  # its pid and then execs java, so broker.pid is the JVM's pid.
  setsid bash -c 'echo $$ >"$1/broker.pid"; shift; exec "$@"' _ "$dir" \
    "$java" "${jvm[@]}" "${cds[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties" \
    </dev/null >"$dir/broker.out" 2>&1 9>&- &
  local launcher=$!

  local deadline=$((SECONDS + START_TIMEOUT)) pid=""
  while :; do
    if [[ -z "$pid" && -s "$dir/broker.pid" ]]; then pid="$(<"$dir/broker.pid")"; fi
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      log "broker exited during startup; tail of logs:"
      tail -n 30 "$dir/broker.out" "$dir/server.log" >&2 2>/dev/null || true
      die "Kafka $KAFKA_VERSION failed to start (state dir: $dir)"
    fi
    if broker_ready "$addr" "$dir"; then break; fi
    if ((SECONDS >= deadline)); then
      log "broker not ready after ${START_TIMEOUT}s; tail of logs:"
      tail -n 30 "$dir/broker.out" "$dir/server.log" >&2 2>/dev/null || true
      [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
      kill -KILL "$launcher" 2>/dev/null || true
      die "Kafka $KAFKA_VERSION did not become ready at $addr (state dir: $dir)"
    fi
    sleep 0.3
  done
  printf '%s' "$addr" >"$dir/bootstrap"
  echo "$addr"
}

# ----------------------------------------------------------------- stop ----
stop() {
  local dir pid; dir="$(state_dir "${1:-}")"
  [[ -d "$dir" ]] || return 0
  if pid="$(running_pid "$dir")"; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_GRACE))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "broker $pid still alive after ${STOP_GRACE}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
  fi
  # keep the class archive the first broker dumped at exit (see start)
  if [[ -s "$dir/broker.jsa" && -s "$dir/jsa-target" ]]; then
    local target; target="$(<"$dir/jsa-target")"
    [[ -e "$target" ]] || mv -f "$dir/broker.jsa" "$target" 2>/dev/null || true
  fi
  if [[ -f "$dir/$MARKER" ]]; then
    rm -rf -- "$dir"
  else
    log "not removing $dir: it was not created by kafka.sh"
  fi
}

bootstrap() {
  local dir; dir="$(state_dir "${1:-}")"
  running_pid "$dir" >/dev/null && [[ -s "$dir/bootstrap" ]] ||
    die "no Kafka broker running for state dir $dir"
  cat "$dir/bootstrap"
  echo
}

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start) start "$@" ;;
  stop) stop "$@" ;;
  bootstrap) bootstrap "$@" ;;
  fetch) fetch ;;
  *) usage ;;
esac
