#!/usr/bin/env bash
# Proves a plugin author needs only the installed SDK: install the SDK (headers and pkg-config file) into a scratch
# root, build sdk/examples/type-prefix with its own Makefile against it, then load and run it in the worker.
set -euo pipefail
build="$1" source="$2" eventhost="$3"
tmp="$(mktemp -d)"
trap 'kill "${worker:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT

meson install -C "$build" --destdir "$tmp/root" --tags devel --no-rebuild --quiet
pc="$(find "$tmp/root" -name eventhost-sdk.pc)"
[ -n "$pc" ] || { echo "eventhost-sdk.pc was not installed"; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$tmp/root"
case "$(pkg-config --cflags eventhost-sdk)" in
  *"$tmp/root"*) ;;
  *) echo "pkg-config does not point into the installed SDK: $(pkg-config --cflags eventhost-sdk)"; exit 1 ;;
esac

cp -r "$source/sdk/examples/type-prefix" "$tmp/example"   # outside the source tree: no repo headers nearby
make -s -C "$tmp/example" OUT="$tmp"

export EVENTHOST_PLUGIN_PATH="$tmp"
"$eventhost" plugins describe type-prefix | grep -q '^type-prefix 0.1.0 (filter)$'

cat > "$tmp/pipeline.toml" <<TOML
[[pipelines]]
name = "example"
source = { plugin = "ping", schedule = "* * * * * *", data = '{"n": 1}' }
filters = [{ plugin = "type-prefix", prefix = "dev.knative." }]
sink = { plugin = "log", format = "json" }
TOML
"$eventhost" validate "$tmp/pipeline.toml" >/dev/null
"$eventhost" run "$tmp/pipeline.toml" >"$tmp/out" 2>"$tmp/err" &
worker=$!
for _ in $(seq 100); do grep -q '"type":"dev.knative.sources.ping"' "$tmp/out" && break; sleep 0.1; done
kill -TERM "$worker"
wait "$worker"
grep -q '"type":"dev.knative.sources.ping"' "$tmp/out" || { echo "no event passed the example filter"; cat "$tmp/err"; exit 1; }
echo "example plugin built against the installed SDK, loaded and ran"
