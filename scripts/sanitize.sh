#!/usr/bin/env bash
# Builds and runs the tests under sanitizers, through the CMake presets of the
# same names (CMakePresets.json), with clang by default:
#   (a) sanitize-address (build-sanitize-address/): every ctest test under
#       AddressSanitizer + UndefinedBehaviorSanitizer, the accuracy sweeps
#       thinned to SIMDACT_TEST_SCALE=0.1 (every sweep still runs: memory
#       errors do not need the full density).
#   (b) sanitize-thread (build-sanitize-thread/): the tests that run threads
#       (test_concurrency, and the thread-count invariance tests of
#       test_rowwise, test_elementwise_params, test_elementwise_layout) under
#       ThreadSanitizer, OpenMP teams included: clang links LLVM's libomp,
#       which loads its Archer tool (libarcher.so) to tell TSan about OpenMP's
#       barriers and locks; TSan ignores the uninstrumented runtime itself
#       (ignore_noninstrumented_modules=1), never the code it runs.
# Exits non-zero on any failure or sanitizer report.
#   CXX=g++ CC=gcc            GCC instead (slow: >35 min for ASan's per-ISA
#                             units; TSan then runs test_concurrency with one
#                             OpenMP thread: libgomp has no TSan support)
#   SANITIZE_ONLY=asan|tsan   run one half
#   SANITIZE_JOBS=N           build/test parallelism (default: nproc)
#   SIMDACT_TEST_SCALE=1      the full sweeps under ASan
#   ctest arguments may follow, e.g. scripts/sanitize.sh -R Rowwise
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${SANITIZE_JOBS:-$(nproc)}
only=${SANITIZE_ONLY:-}
deps=(cmake make libxsimd-dev libgtest-dev libmpfr-dev libgmp-dev)
[[ -z ${CXX:-} ]] && deps+=(clang libclang-rt-14-dev libomp-14-dev)
"$root/scripts/deps.sh" "${deps[@]}"
cxx=$(command -v "${CXX:-clang++}") || { echo "sanitize.sh: no ${CXX:-clang++} (apt-get install -y clang libclang-rt-14-dev libomp-14-dev)"; exit 2; }
cc=$(command -v "${CC:-clang}") || { echo "sanitize.sh: no ${CC:-clang}"; exit 2; }
is_clang=0
"$cxx" --version | grep -q clang && is_clang=1
cd "$root"
# The same settings as the presets' test environments (CMakePresets.json), but
# the caller's values win here.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1}
export SIMDACT_TEST_SCALE=${SIMDACT_TEST_SCALE:-0.1}
# The sanitize-thread preset's test filter: the tests that start threads.
tsan_tests='^(Concurrency|ConcurrencyOpenMP)\.|ThreadCountDoesNotChangeBits|SameBitsForAnyThreadCount|ThreadsAndLargeOffsets'

# configure PRESET: a build folder configured with another compiler is started afresh.
configure() {
  local dir=$root/build-$1
  if [[ -f $dir/CMakeCache.txt ]] && ! grep -qx "CMAKE_CXX_COMPILER:[A-Z]*=$cxx" "$dir/CMakeCache.txt"; then
    rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
  fi
  cmake --preset "$1" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_C_COMPILER="$cc" >/dev/null
}

if [[ -z $only || $only == asan ]]; then
  echo "== ASan+UBSan: build-sanitize-address, every test (SIMDACT_TEST_SCALE=$SIMDACT_TEST_SCALE)"
  configure sanitize-address
  cmake --build --preset sanitize-address -j "$jobs"
  ctest --test-dir build-sanitize-address --output-on-failure --no-tests=error --timeout 1800 -j "$jobs" "$@"
fi

if [[ -z $only || $only == tsan ]]; then
  configure sanitize-thread
  cmake --build --preset sanitize-thread -j "$jobs"
  tests=$root/build-sanitize-thread/tests
  if ((is_clang)); then
    echo "== TSan: build-sanitize-thread, the threaded tests with OpenMP teams (libomp + Archer)"
    # Without Archer every OpenMP barrier would look like a race, or worse,
    # suppressing them would hide real ones: make sure it is loaded.
    probe=$(ARCHER_OPTIONS=verbose=1 "$tests/test_concurrency" \
      --gtest_filter='ConcurrencyOpenMP.CallsFromInsideCallersParallelRegion' 2>&1) || true
    [[ $probe == *"Archer detected OpenMP application with TSan"* ]] ||
      { echo "sanitize.sh: libomp did not load libarcher.so (Debian: libomp-14-dev; OMP_TOOL_LIBRARIES=<path> names it)"; exit 1; }
    ctest --test-dir build-sanitize-thread --output-on-failure --no-tests=error --timeout 1800 -j "$jobs" \
      -R "$tsan_tests" "$@"
  else
    echo "== TSan: build-sanitize-thread, test_concurrency with one OpenMP thread (libgomp is not instrumented)"
    SIMDACT_NUM_THREADS=1 OMP_NUM_THREADS=1 "$tests/test_concurrency" --gtest_filter='-ConcurrencyOpenMP.*'
  fi
fi
echo "sanitize.sh: all passed"
