#!/usr/bin/env bash
# Builds and runs the tests under sanitizers (GCC by default; CXX=clang++ works too):
#   (a) every test under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#   (b) test_concurrency under ThreadSanitizer (build-tsan/), with std::thread
#       callers and SIMDACT_NUM_THREADS=1: libgomp is not TSan-instrumented, so
#       no OpenMP team may start there; the tests that open the caller's own
#       OpenMP region (ConcurrencyOpenMP.*) run in (a) only.
# Exits non-zero on any failure or sanitizer report.
#   SANITIZE_ONLY=asan|tsan   run one half
#   SANITIZE_JOBS=N           build/test parallelism (default: nproc)
#   ctest arguments may follow, e.g. scripts/sanitize.sh -R accuracy
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${SANITIZE_JOBS:-$(nproc)}
only=${SANITIZE_ONLY:-}
common=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIMDACT_BUILD_TESTS=ON -DSIMDACT_BUILD_BENCH=OFF -DSIMDACT_INSTALL=OFF)
# -fopenmp: test_concurrency uses OpenMP pragmas itself (see tests/CMakeLists.txt).
asan_flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -fopenmp"
tsan_flags="-fsanitize=thread -fno-omit-frame-pointer -fopenmp"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

if [[ -z $only || $only == asan ]]; then
  echo "== ASan+UBSan: build-asan"
  cmake -S "$root" -B "$root/build-asan" "${common[@]}" -DCMAKE_CXX_FLAGS="$asan_flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
  cmake --build "$root/build-asan" -j "$jobs"
  (cd "$root/build-asan" && ctest --output-on-failure -j "$jobs" --timeout 1800 "$@")
fi

if [[ -z $only || $only == tsan ]]; then
  echo "== TSan: build-tsan (test_concurrency, SIMDACT_NUM_THREADS=1)"
  cmake -S "$root" -B "$root/build-tsan" "${common[@]}" -DCMAKE_CXX_FLAGS="$tsan_flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
  cmake --build "$root/build-tsan" -j "$jobs" --target test_concurrency
  SIMDACT_NUM_THREADS=1 OMP_NUM_THREADS=1 "$root/build-tsan/tests/test_concurrency" \
    --gtest_filter='-ConcurrencyOpenMP.*'
fi
echo "sanitize.sh: all passed"
