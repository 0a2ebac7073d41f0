#!/usr/bin/env bash
# Runs every micro benchmark suite (each bench/<area>/ registers its Google Benchmark binaries with meson's
# benchmark()), one after the other, and prints their tables.
#
#   bench/run-micro.sh [BUILD_DIR] [Google Benchmark flags...]
#   bench/run-micro.sh build --benchmark_filter=Boundary --benchmark_min_time=2
#
# BUILD_DIR defaults to "build" (configured with -Dbenchmarks=enabled or auto and libbenchmark-dev installed).
set -euo pipefail
build=${1:-build}
shift || true
if [[ ! -d "$build" ]]; then
  echo "run-micro.sh: no build directory '$build' (meson setup $build first)" >&2
  exit 2
fi
args=()
if [[ $# -gt 0 ]]; then
  args=(--test-args "$*")
fi
exec meson test -C "$build" --benchmark --verbose --num-processes 1 "${args[@]}"
