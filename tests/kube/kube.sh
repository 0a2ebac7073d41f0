#!/usr/bin/env bash
# Run a real kube-apiserver (with its etcd) on 127.0.0.1 for eventhost's tests.
#
#   kube.sh build               build kube-apiserver and etcd into the cache (once)
#   kube.sh bin                 print the directory holding both binaries (builds nothing)
#   kube.sh start [STATE_DIR]   start (or reuse) etcd + kube-apiserver; prints KEY=VALUE lines:
#                                 KUBE_API_URL, KUBECONFIG, KUBE_TOKEN, KUBE_CA, KUBE_STATE_DIR
#   kube.sh env [STATE_DIR]     print the same lines for the running servers
#   kube.sh stop [STATE_DIR]    stop them and remove STATE_DIR
#
# Binaries are built from the Go module proxy by the module in apiserver-build/
# (k8s.io/kubernetes cannot be "go install"ed: its go.mod replaces the staging
# modules with local paths) into
# ${EVENTHOST_CACHE:-$HOME/.cache/eventhost}/kube/<KUBE_VERSION>/bin/. The Go
# build and module caches used for that are removed afterwards; only the two
# binaries stay. Nothing goes into the repo.
#
# Certificates (CA, serving cert for 127.0.0.1, service-account key pair) are
# generated with openssl into STATE_DIR; the admin user "eventhost-admin"
# (group system:masters) authenticates with a static bearer token.
#
# Environment knobs:
#   EVENTHOST_CACHE        cache root (default $HOME/.cache/eventhost)
#   KUBE_BUILD_JOBS        go build -p (default 2)
#   KUBE_START_TIMEOUT     seconds to wait for /readyz (default 120)
set -euo pipefail

readonly SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
readonly BUILD_MODULE="$SCRIPT_DIR/apiserver-build"
# Must match the versions in apiserver-build/go.mod.
readonly KUBE_VERSION=v1.37.2
readonly ETCD_VERSION=v3.7.0
readonly CACHE_ROOT="${EVENTHOST_CACHE:-$HOME/.cache/eventhost}/kube"
readonly BIN_DIR="$CACHE_ROOT/$KUBE_VERSION-etcd-$ETCD_VERSION/bin"
readonly DEFAULT_STATE_DIR=/tmp/eventhost-kube
readonly START_TIMEOUT="${KUBE_START_TIMEOUT:-120}"
readonly MARKER=.eventhost-kube   # marks a dir as ours, so stop may rm -rf it
readonly ADMIN_USER=eventhost-admin

log() { printf 'kube.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

have_binaries() { [[ -x "$BIN_DIR/kube-apiserver" && -x "$BIN_DIR/etcd" ]]; }

# ---------------------------------------------------------------- build ----
build() {
  have_binaries && return 0
  command -v go >/dev/null 2>&1 || die "go not found (apt-get install -y golang-go, Go >= 1.26)"
  mkdir -p "$CACHE_ROOT"
  exec 8>"$CACHE_ROOT/.build.lock"
  flock 8
  if have_binaries; then exec 8>&-; return 0; fi
  local work="$CACHE_ROOT/gowork.$$" out="$BIN_DIR.tmp.$$" buildlog="$CACHE_ROOT/build-$KUBE_VERSION.log"
  rm -rf "$out"
  mkdir -p "$work" "$out"
  log "building kube-apiserver $KUBE_VERSION and etcd $ETCD_VERSION (cold: 20-30 min on 2 cores; log: $buildlog)"
  local started=$SECONDS
  # The module dir may be read-only (a CI checkout): build from a copy.
  cp -r "$BUILD_MODULE" "$work/src"
  if ! (cd "$work/src" &&
        env GOFLAGS=-mod=mod GOCACHE="$work/gocache" GOMODCACHE="$work/gomodcache" \
            GOTOOLCHAIN=local CGO_ENABLED=0 \
            go build -p "${KUBE_BUILD_JOBS:-2}" -trimpath -ldflags='-s -w' \
                     -o "$out/" ./kube-apiserver ./etcd) >"$buildlog" 2>&1; then
    tail -n 40 "$buildlog" >&2
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work" "$out"
    die "building kube-apiserver/etcd failed (full log: $buildlog)"
  fi
  log "built in $((SECONDS - started)) s"
  chmod -R u+w "$work"   # the module cache is read-only
  rm -rf "$work"
  mkdir -p "$(dirname "$BIN_DIR")"
  mv -T "$out" "$BIN_DIR"
  exec 8>&-
}

# -------------------------------------------------------------- helpers ----
state_dir() {
  local d="${1:-$DEFAULT_STATE_DIR}"
  [[ "$d" == /* ]] || d="$PWD/$d"
  echo "$d"
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

ready() {  # $1: state dir
  local dir="$1"
  [[ -f "$dir/env" ]] || return 1
  # shellcheck disable=SC1091
  (source "$dir/env" &&
   curl -fsS --max-time 5 --cacert "$KUBE_CA" -H "Authorization: Bearer $KUBE_TOKEN" "$KUBE_API_URL/readyz" >/dev/null 2>&1)
}

# ----------------------------------------------------------------- certs ----
make_certs() {  # $1: state dir
  local pki="$1/pki"
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt \
      -days 3650 -subj "/CN=eventhost-test-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout apiserver.key -out apiserver.csr \
      -subj "/CN=kube-apiserver"
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc" \
      "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature" >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile apiserver.ext -out apiserver.crt
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
  ) >"$1/openssl.log" 2>&1 || { cat "$1/openssl.log" >&2; die "openssl failed to make the test certificates"; }
}

write_kubeconfig() {  # $1: path, $2: server URL, $3: CA file, $4: token
  cat >"$1" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: eventhost-test
  cluster:
    server: $2
    certificate-authority: $3
users:
- name: $ADMIN_USER
  user:
    token: $4
contexts:
- name: eventhost-test
  context:
    cluster: eventhost-test
    user: $ADMIN_USER
current-context: eventhost-test
KUBECONFIG
}

# ----------------------------------------------------------------- start ----
start() {
  local dir; dir="$(state_dir "${1:-}")"
  if ready "$dir" && alive "$dir/apiserver.pid" && alive "$dir/etcd.pid"; then
    cat "$dir/env"
    return 0
  fi
  have_binaries || die "kube-apiserver/etcd are not built yet: run '$0 build' first"
  command -v openssl >/dev/null 2>&1 || die "openssl not found (apt-get install -y openssl)"
  command -v curl >/dev/null 2>&1 || die "curl not found (apt-get install -y curl)"
  if [[ -e "$dir" ]]; then
    [[ -f "$dir/$MARKER" ]] || die "$dir exists and is not a kube.sh state dir; refusing to touch it"
    stop "$dir" >/dev/null 2>&1 || true
  fi
  mkdir -p "$dir"
  touch "$dir/$MARKER"
  make_certs "$dir"

  local etcd_port peer_port api_port token limited_token
  etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
  token="$(openssl rand -hex 24)"; limited_token="$(openssl rand -hex 24)"
  # Static tokens: an admin, and a user with no rights (tests grant it what the docs say a source needs).
  printf '%s,%s,%s,"system:masters"\n%s,eventhost-limited,eventhost-limited\n' \
    "$token" "$ADMIN_USER" "$ADMIN_USER" "$limited_token" >"$dir/pki/tokens.csv"

  setsid "$BIN_DIR/etcd" --name eventhost --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "eventhost=http://127.0.0.1:$peer_port" \
    --listen-metrics-urls "" --log-level warn --unsafe-no-fsync \
    </dev/null >"$dir/etcd.log" 2>&1 &
  echo $! >"$dir/etcd.pid"

  setsid "$BIN_DIR/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$dir/pki/apiserver.crt" --tls-private-key-file "$dir/pki/apiserver.key" \
    --client-ca-file "$dir/pki/ca.crt" --token-auth-file "$dir/pki/tokens.csv" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/24 \
    --authorization-mode RBAC --endpoint-reconciler-type none \
    --enable-priority-and-fairness=false --profiling=false \
    --cert-dir "$dir/pki/generated" \
    </dev/null >"$dir/apiserver.log" 2>&1 &
  echo $! >"$dir/apiserver.pid"

  cat >"$dir/env" <<ENV
KUBE_API_URL=https://127.0.0.1:$api_port
KUBECONFIG=$dir/kubeconfig
KUBE_TOKEN=$token
KUBE_LIMITED_TOKEN=$limited_token
KUBE_CA=$dir/pki/ca.crt
KUBE_STATE_DIR=$dir
ENV
  write_kubeconfig "$dir/kubeconfig" "https://127.0.0.1:$api_port" "$dir/pki/ca.crt" "$token"

  local deadline=$((SECONDS + START_TIMEOUT))
  until ready "$dir"; do
    if ! alive "$dir/etcd.pid"; then tail -n 30 "$dir/etcd.log" >&2; die "etcd exited (log: $dir/etcd.log)"; fi
    if ! alive "$dir/apiserver.pid"; then
      tail -n 30 "$dir/apiserver.log" >&2; die "kube-apiserver exited (log: $dir/apiserver.log)"
    fi
    if ((SECONDS > deadline)); then
      tail -n 30 "$dir/apiserver.log" >&2; die "kube-apiserver not ready after ${START_TIMEOUT}s (log: $dir/apiserver.log)"
    fi
    sleep 0.5
  done
  cat "$dir/env"
}

# ------------------------------------------------------------------ stop ----
stop_pid() {  # $1: pid file
  alive "$1" || return 0
  local pid; pid="$(cat "$1")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  local dir; dir="$(state_dir "${1:-}")"
  [[ -e "$dir" ]] || return 0
  [[ -f "$dir/$MARKER" ]] || die "$dir is not a kube.sh state dir; refusing to touch it"
  stop_pid "$dir/apiserver.pid"
  stop_pid "$dir/etcd.pid"
  rm -rf "$dir"
}

env_of() {
  local dir; dir="$(state_dir "${1:-}")"
  ready "$dir" || die "no kube-apiserver is ready in $dir"
  cat "$dir/env"
}

case "${1:-}" in
  build) build ;;
  bin) have_binaries || die "not built: run '$0 build'"; echo "$BIN_DIR" ;;
  start) start "${2:-}" ;;
  env) env_of "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
