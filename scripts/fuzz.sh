#!/usr/bin/env bash
# Builds the libFuzzer target (clang, ASan+UBSan) in build-fuzz/ and
#   1. replays every file in fuzz/regressions/ (fails if any still crashes),
#   2. fuzzes for FUZZ_SECONDS (default 60) starting from fuzz/corpus/, adding
#      new coverage to the corpus; a crash is copied into fuzz/regressions/
#      (to be kept: the replay in step 1 then guards it) and the script fails.
#   FUZZ_SECONDS=0 scripts/fuzz.sh   only build and replay
#   FUZZ_JOBS=N                      parallel fuzzing workers (default 1)
#   FUZZ_BUILD_DIR=dir               build folder (default build-fuzz)
#   FUZZ_SEED=N                      libFuzzer's -seed (default 0: a new random seed each run)
#   FUZZ_RUNS=N                      stop after N inputs instead of FUZZ_SECONDS (CI: FUZZ_SEED=1
#                                    FUZZ_RUNS=150000, about a minute on 2 cores; even with a fixed
#                                    seed the inputs differ between machines, whose ISAs and thread
#                                    timing change the coverage the fuzzer follows)
# CI runs 150000 inputs from seed 1. A longer run, e.g. overnight on 4 workers:
#   FUZZ_SECONDS=28800 FUZZ_JOBS=4 scripts/fuzz.sh
# then keep what it added to fuzz/corpus/ (coverage) and fuzz/regressions/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
workers=${FUZZ_JOBS:-1}
"$root/scripts/deps.sh" clang libclang-rt-14-dev libomp-14-dev cmake make libxsimd-dev
CC=clang CXX=clang++ cmake -S "$root/fuzz" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"
fuzzer=$build/fuzz_activations
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

mkdir -p "$root/fuzz/corpus" "$root/fuzz/regressions"
shopt -s nullglob
regressions=("$root"/fuzz/regressions/*)
if ((${#regressions[@]})); then
  echo "== replaying ${#regressions[@]} regression input(s)"
  "$fuzzer" "${regressions[@]}"
fi
((seconds > 0)) || exit 0

echo "== fuzzing for ${FUZZ_RUNS:+$FUZZ_RUNS inputs, at most }${seconds} s"
artifacts=$build/artifacts
rm -rf "$artifacts" && mkdir -p "$artifacts"
status=0
limit=(-max_total_time="$seconds")
[ -n "${FUZZ_RUNS:-}" ] && limit+=(-runs="$FUZZ_RUNS")
"$fuzzer" "$root/fuzz/corpus" "${limit[@]}" -seed="${FUZZ_SEED:-0}" -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
  $( ((workers > 1)) && echo "-jobs=$workers -workers=$workers" ) -print_final_stats=1 -artifact_prefix="$artifacts/" || status=$?
found=("$artifacts"/*)
for f in "${found[@]}"; do cp "$f" "$root/fuzz/regressions/"; done
if ((status != 0 || ${#found[@]})); then
  echo "fuzz.sh: the fuzzer failed (status $status); inputs copied to fuzz/regressions/: ${found[*]##*/}"
  exit 1
fi
echo "fuzz.sh: no failure${FUZZ_RUNS:+ in $FUZZ_RUNS inputs}"
