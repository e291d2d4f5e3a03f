#!/usr/bin/env bash
# The README's test command: installs what the build needs (Debian 12), builds
# the library and the GoogleTest suite in Release, and runs it with ctest.
#   scripts/test.sh            build in build-test/ and run every test
#   BUILD_DIR=... scripts/test.sh   use another build folder
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build-test}
"$root/scripts/deps.sh" g++ cmake make libxsimd-dev libgtest-dev libmpfr-dev libgmp-dev
jobs=$(nproc)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSIMDACT_BUILD_TESTS=ON -DSIMDACT_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$jobs"
cd "$build"
ctest --output-on-failure -j "$jobs" "$@"
