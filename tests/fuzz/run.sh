#!/bin/sh
# Builds the CloudEvents codec fuzzers with clang (libFuzzer + ASan + UBSan) and runs each for a bounded time.
# Exits non-zero when a target crashes, leaks, trips a sanitizer or breaks one of its round-trip checks.
#
#   tests/fuzz/run.sh [WORK_DIR]     (meson passes its build dir; default ~/.cache/eventhost/fuzz)
#
# Needs Debian clang-14 and libclang-rt-14-dev. FUZZ_SECONDS (default 20) bounds each target's run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-$HOME/.cache/eventhost/fuzz}
seconds=${FUZZ_SECONDS:-20}
cxx=${CXX_FUZZ:-clang++-14}
targets="json http_binary percent_decode"

if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "fuzz: $cxx not found; install the Debian packages clang-14 and libclang-rt-14-dev" >&2
  exit 1
fi
mkdir -p "$work"

build() {
  target=$1
  bin="$work/${target}_fuzzer"
  # Rebuilt when the target or any SDK header is newer than the binary.
  if [ -x "$bin" ] && [ -z "$(find "$here/${target}_fuzzer.cpp" "$here/ubsan_ignore.txt" "$root/sdk/include" -newer "$bin" -print -quit)" ]; then
    return 0
  fi
  echo "fuzz: building $target"
  "$cxx" -std=c++20 -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fsanitize-ignorelist="$here/ubsan_ignore.txt" \
    -I"$root/sdk/include" "$here/${target}_fuzzer.cpp" -o "$bin"
}

failed=""
for target in $targets; do
  build "$target"
  # New inputs go to a scratch corpus; the committed seeds stay untouched.
  found="$work/${target}_corpus"
  mkdir -p "$found"
  echo "fuzz: running $target for ${seconds}s"
  if ! (cd "$work" && "./${target}_fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=8192 \
         -print_final_stats=1 "$found" "$here/corpus/$target" > "$work/$target.log" 2>&1); then
    echo "fuzz: $target FAILED (log: $work/$target.log; reproducer: $work/crash-* or leak-*)" >&2
    tail -n 40 "$work/$target.log" >&2
    failed="$failed $target"
  else
    grep -E '^stat::number_of_executed_units|^Done' "$work/$target.log" | sed "s/^/fuzz: $target: /"
  fi
done

if [ -n "$failed" ]; then
  echo "fuzz: failed:$failed" >&2
  exit 1
fi
echo "fuzz: all targets ran clean"
