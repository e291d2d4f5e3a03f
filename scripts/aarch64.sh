#!/usr/bin/env bash
# Cross-builds simdact and its tests for aarch64 (NEON) with Debian's cross
# toolchain, then runs them under qemu-aarch64:
#   1. dispatch: the C API test must see `neon` active by default and the
#      scalar baseline with SIMDACT_ISA=scalar;
#   2. the whole ctest suite (CMAKE_CROSSCOMPILING_EMULATOR = qemu-aarch64).
# Installs what it needs (apt). Exits non-zero on any failure.
# Usage: scripts/aarch64.sh [extra ctest arguments, e.g. -R c_api]
# Env: BUILD_DIR (default build-aarch64), JOBS (default nproc),
#      SIMDACT_TEST_SCALE (default 0.05: fraction of the accuracy sweeps the
#      tests run; qemu is 10-50x slower than the host), BUILD_TYPE (Release).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build-aarch64}
jobs=${JOBS:-$(nproc)}
sysroot=/usr/aarch64-linux-gnu
export SIMDACT_TEST_SCALE=${SIMDACT_TEST_SCALE:-0.05}

step() { printf '== %s (%d s)\n' "$*" "$SECONDS"; }

step "installing the cross toolchain, qemu, GoogleTest sources"
bash "$root/scripts/deps.sh" cmake g++-aarch64-linux-gnu libc6-dev-arm64-cross libgomp1-arm64-cross \
  qemu-user googletest libxsimd-dev

# Libraries the tests link beyond the C/C++/OpenMP runtimes come from
# Debian's arm64 multiarch packages.
if grep -qi mpfr "$root/tests/CMakeLists.txt"; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    step "enabling the arm64 architecture for the tests' libmpfr-dev:arm64"
    [ "$(id -u)" -eq 0 ] && dpkg --add-architecture arm64 || sudo dpkg --add-architecture arm64
  fi
  bash "$root/scripts/deps.sh" libmpfr-dev:arm64 libgmp-dev:arm64
fi

step "configuring $build"
cmake -S "$root" -B "$build" \
  -DCMAKE_TOOLCHAIN_FILE="$root/toolchains/aarch64-linux-gnu.cmake" \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
  -DSIMDACT_BUILD_BENCH=OFF \
  -DSIMDACT_GTEST_SOURCE_DIR=/usr/src/googletest >/dev/null

step "building"
cmake --build "$build" -j "$jobs" >"$build/build.log" 2>&1 || { tail -n 60 "$build/build.log"; exit 1; }
grep -E 'warning:' "$build/build.log" | sort -u | head -n 20 || true

step "dispatch under qemu"
c_test=$build/tests/c/test_c_api
aarch64-linux-gnu-readelf -h "$c_test" | grep -q AArch64 || { echo "$c_test is not an aarch64 program"; exit 1; }
# the same command as CMAKE_CROSSCOMPILING_EMULATOR in the toolchain file
run_c() { qemu-aarch64 -L "$sysroot" -E LD_LIBRARY_PATH=/lib "$c_test"; }
SIMDACT_EXPECT_ISA=neon run_c | grep -E 'active ISA|passed'
SIMDACT_ISA=scalar SIMDACT_EXPECT_ISA=scalar run_c | grep -E 'active ISA|passed'

step "ctest under qemu (SIMDACT_TEST_SCALE=$SIMDACT_TEST_SCALE)"
status=0
ctest --test-dir "$build" -j "$jobs" --output-on-failure --timeout 1500 "$@" >"$build/ctest.log" 2>&1 || status=$?
grep -E 'tests passed|tests failed|The following tests|Failed|\*\*\*' "$build/ctest.log" | head -n 40 || true
tail -n 3 "$build/ctest.log"
step "done"
exit $status
