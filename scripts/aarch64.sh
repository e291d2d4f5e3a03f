#!/usr/bin/env bash
# Cross-builds simdact and its tests for aarch64 (NEON) with Debian's cross
# toolchain (toolchains/aarch64-linux-gnu.cmake), then runs them under
# qemu-aarch64:
#   1. dispatch: the C API test must see `neon` active by default and the
#      scalar baseline with SIMDACT_ISA=scalar;
#   2. the whole ctest suite (CMAKE_CROSSCOMPILING_EMULATOR = qemu-aarch64;
#      each test program runs as a few gtest shards, tests/CMakeLists.txt).
# Installs what it needs (apt). Exits non-zero on any failure. Prints the wall
# time of each step and, at the end, the slowest tests.
# Usage: scripts/aarch64.sh [extra ctest arguments, e.g. -R c_api]
# Env: BUILD_DIR (default build-aarch64), JOBS (default nproc),
#      SIMDACT_TEST_SCALE (default 0.01: the fraction of each accuracy sweep
#      the tests run; under qemu the long double reference, IEEE binary128 in
#      software on aarch64, costs about 0.1-0.5 ms a point), BUILD_TYPE (Release).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build-aarch64}
jobs=${JOBS:-$(nproc)}
sysroot=/usr/aarch64-linux-gnu
export SIMDACT_TEST_SCALE=${SIMDACT_TEST_SCALE:-0.01}

times=()
last=$SECONDS
step() {
  local now=$SECONDS
  [ -n "${current:-}" ] && times+=("$(printf '%5d s  %s' $((now - last)) "$current")")
  current="$*"
  last=$now
  [ -n "$current" ] && printf '== %s (at %d s)\n' "$current" "$now"
  return 0
}
summary() {
  step ""
  echo "== wall time by step (total $SECONDS s)"
  printf '%s\n' "${times[@]}"
}
trap summary EXIT

step "installing the cross toolchain, qemu, GoogleTest sources"
bash "$root/scripts/deps.sh" cmake g++-aarch64-linux-gnu libc6-dev-arm64-cross libgomp1-arm64-cross \
  qemu-user googletest libxsimd-dev

# Libraries the tests link beyond the C/C++/OpenMP runtimes come from
# Debian's arm64 multiarch packages (MPFR for test_elementwise_reference).
if grep -qi mpfr "$root/tests/CMakeLists.txt"; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "enabling the arm64 architecture for the tests' libmpfr-dev:arm64"
    [ "$(id -u)" -eq 0 ] && dpkg --add-architecture arm64 || sudo dpkg --add-architecture arm64
  fi
  bash "$root/scripts/deps.sh" libmpfr-dev:arm64 libgmp-dev:arm64
fi

step "configuring $build"
cmake -S "$root" -B "$build" \
  -DCMAKE_TOOLCHAIN_FILE="$root/toolchains/aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DSIMDACT_BUILD_TESTS=ON \
  -DSIMDACT_BUILD_BENCH=OFF \
  -DSIMDACT_GTEST_SOURCE_DIR=/usr/src/googletest >"$build.configure.log" 2>&1 ||
  { tail -n 30 "$build.configure.log"; exit 1; }

step "building (-j $jobs)"
cmake --build "$build" -j "$jobs" >"$build/build.log" 2>&1 || { tail -n 60 "$build/build.log"; exit 1; }
grep -E 'warning:' "$build/build.log" | sort -u | head -n 20 || true

step "dispatch under qemu"
c_test=$build/tests/c/test_c_api
aarch64-linux-gnu-readelf -h "$c_test" | grep -q AArch64 || { echo "$c_test is not an aarch64 program"; exit 1; }
# the same command as CMAKE_CROSSCOMPILING_EMULATOR in the toolchain file
run_c() { qemu-aarch64 -L "$sysroot" -E LD_LIBRARY_PATH=/lib "$c_test" | grep -E 'active ISA' || true; }
dispatch_ok=1
default_isa=$(SIMDACT_EXPECT_ISA=neon run_c)
capped_isa=$(SIMDACT_ISA=scalar SIMDACT_EXPECT_ISA=scalar run_c)
printf 'default: %s\nSIMDACT_ISA=scalar: %s\n' "$default_isa" "$capped_isa"
grep -q 'active ISA: neon' <<<"$default_isa" || dispatch_ok=0
grep -q 'active ISA: scalar' <<<"$capped_isa" || dispatch_ok=0
[ $dispatch_ok -eq 1 ] || echo "dispatch: expected neon by default and scalar with SIMDACT_ISA=scalar"

step "ctest under qemu (-j $jobs, SIMDACT_TEST_SCALE=$SIMDACT_TEST_SCALE)"
status=0
ctest --test-dir "$build" -j "$jobs" --output-on-failure --timeout 1500 "$@" >"$build/ctest.log" 2>&1 || status=$?
grep -E '^\[  FAILED  \] [A-Z].*\(|tests passed|tests failed' "$build/ctest.log" | sort -u | head -n 60 || true
# The accuracy tests' one-line verdicts ("... N of M elements out of bounds; max ...").
grep -E ' of [0-9]+ elements out of bounds' "$build/ctest.log" | cut -c1-300 | sort -u | head -n 40 || true
echo "slowest tests:"
grep -E 'Test +#' "$build/ctest.log" | sort -t'#' -k2 -n | awk '{print $(NF-1), $4}' | sort -rn | head -n 8
[ $dispatch_ok -eq 1 ] || status=1
exit $status
