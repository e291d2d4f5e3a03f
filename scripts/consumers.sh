#!/usr/bin/env bash
# Checks simdact as a dependency, for a shared and a static build:
#   1. builds it and installs it into a temporary prefix (cmake --install
#      --prefix, so the package must be relocatable), checks the layout and,
#      for the shared library, its exported symbols;
#   2. builds and runs tiny consumers in C++ and in C (tests/consumers/):
#      CMake find_package, pkg-config, add_subdirectory (a C-only CMake
#      project too for the shared library; for the static one, that project
#      must be refused with a clear message).
# Prints one line per check and a summary; exits non-zero on any failure.
# Usage: scripts/consumers.sh [shared|static]...   (default: both)
# Env: JOBS (parallel build jobs, default nproc), KEEP=1 keeps the work dir.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
consumers=$root/tests/consumers
jobs=${JOBS:-$(nproc)}
kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(shared static)
work=$(mktemp -d "${TMPDIR:-/tmp}/simdact-consumers.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "work dir: $work"; else trap 'rm -rf "$work"' EXIT; fi

bash "$root/scripts/deps.sh" cmake g++ pkg-config binutils

passed=0
failed=0
log=$work/log
# check NAME COMMAND...: runs COMMAND quietly; on failure prints its output.
check() {
  local name=$1
  shift
  if "$@" >"$log" 2>&1; then
    echo "  ok    $name"
    passed=$((passed + 1))
  else
    echo "  FAIL  $name"
    sed 's/^/        /' "$log" | tail -n 40
    failed=$((failed + 1))
  fi
}

configure_build() {  # SOURCE BUILD_DIR CMAKE_ARGS...
  local src=$1 dir=$2
  shift 2
  cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" && cmake --build "$dir" -j "$jobs"
}

installed_layout() {  # PREFIX LIBDIR SHARED
  local prefix=$1 libdir=$2 shared=$3 f
  for f in include/simdact/simdact.hpp include/simdact/simdact.h include/simdact/activations.def \
      include/simdact/export.hpp include/simdact/version.hpp include/simdact/detail/for_each_activation.inc \
      "$libdir/cmake/simdact/simdactConfig.cmake" "$libdir/cmake/simdact/simdactConfigVersion.cmake" \
      "$libdir/cmake/simdact/simdactTargets.cmake" "$libdir/pkgconfig/simdact.pc"; do
    [ -f "$prefix/$f" ] || { echo "missing $f"; return 1; }
  done
  if [ "$shared" = ON ]; then
    [ -L "$prefix/$libdir/libsimdact.so" ] && [ -L "$prefix/$libdir/libsimdact.so.0" ] || {
      echo "missing the libsimdact.so -> .so.0 -> .so.0.x.y chain"; ls -l "$prefix/$libdir"; return 1; }
  else
    [ -f "$prefix/$libdir/libsimdact.a" ] || { echo "missing libsimdact.a"; return 1; }
  fi
  # nothing private may be installed
  if find "$prefix" -path '*kernels*' -o -name '*.cpp' | grep -q .; then
    echo "private sources installed:"; find "$prefix" -path '*kernels*' -o -name '*.cpp'; return 1
  fi
}

pc_libs_private() {  # STATIC: Libs.private names the OpenMP runtime, else is empty
  local libs
  libs=$(pkg-config --static --libs simdact) || return 1
  echo "pkg-config --static --libs: $libs"
  if [ "$1" = ON ]; then [[ " $libs " == *" -lgomp "* || " $libs " == *" -fopenmp "* ]]
  else [[ " $libs " != *"gomp"* ]]; fi
}

run_both() {  # DIR: runs DIR/consumer_cpp (if present) and DIR/consumer_c
  local dir=$1
  [ ! -e "$dir/consumer_cpp" ] || "$dir/consumer_cpp" || return 1
  "$dir/consumer_c"
}

for kind in "${kinds[@]}"; do
  case $kind in
    shared) shared=ON ;;
    static) shared=OFF ;;
    *) echo "unknown kind $kind (shared|static)"; exit 2 ;;
  esac
  echo "== $kind"
  dir=$work/$kind
  prefix=$dir/prefix
  start=$SECONDS
  check "build and install ($kind) into a temporary prefix" bash -c "
    set -e
    cmake -S '$root' -B '$dir/build' -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=$shared \
      -DSIMDACT_BUILD_TESTS=OFF -DSIMDACT_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX=/nonexistent
    cmake --build '$dir/build' -j $jobs
    cmake --install '$dir/build' --prefix '$prefix'"
  libdir=$(cd "$prefix" && dirname "$(find . -name simdact.pc -path '*pkgconfig*' | head -n 1)" | sed 's|^\./||; s|/pkgconfig$||')
  check "installed layout" installed_layout "$prefix" "$libdir" $shared
  if [ $shared = ON ]; then
    check "installed libsimdact.so exports only the simdact API" \
      "$root/tests/c/check_exports.sh" "$prefix/$libdir/libsimdact.so"
  fi

  # CMake package
  check "find_package: configure and build (C++ and C)" \
    configure_build "$consumers/cmake" "$dir/cmake" -DCMAKE_PREFIX_PATH="$prefix"
  check "find_package: run" run_both "$dir/cmake"
  if [ $shared = ON ]; then
    check "find_package from a C-only project: build" \
      configure_build "$consumers/cmake-c" "$dir/cmake-c" -DCMAKE_PREFIX_PATH="$prefix"
    check "find_package from a C-only project: run" run_both "$dir/cmake-c"
  else
    check "find_package from a C-only project: refused, asks for CXX" bash -c "
      ! cmake -S '$consumers/cmake-c' -B '$dir/cmake-c' -DCMAKE_PREFIX_PATH='$prefix' >'$dir/c-only.log' 2>&1 &&
      grep -q 'enable CXX' '$dir/c-only.log' || { cat '$dir/c-only.log'; false; }"
  fi

  # pkg-config
  export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
  static_flag=()
  [ $shared = OFF ] && static_flag=(--static)
  check "pkg-config: Libs.private lists the OpenMP runtime only when static" pc_libs_private $([ $shared = OFF ] && echo ON || echo OFF)
  pc_libdir=$(pkg-config --variable=libdir simdact)
  check "pkg-config: build C++ ($(pkg-config "${static_flag[@]}" --cflags --libs simdact | xargs))" bash -c "
    c++ -std=c++17 -Wall -Wextra '$consumers/src/consumer.cpp' -o '$dir/pc_cpp' \
      \$(pkg-config ${static_flag[*]} --cflags --libs simdact) -Wl,-rpath,'$pc_libdir'"
  check "pkg-config: build C" bash -c "
    cc -std=c99 -Wall -Wextra -pedantic '$consumers/src/consumer.c' -o '$dir/pc_c' \
      \$(pkg-config ${static_flag[*]} --cflags --libs simdact) -lm -Wl,-rpath,'$pc_libdir'"
  check "pkg-config: run" bash -c "'$dir/pc_cpp' && '$dir/pc_c'"
  if [ $shared = OFF ]; then
    check "static consumers carry no libsimdact.so dependency" bash -c "
      ! ldd '$dir/pc_c' | grep -q simdact && ! ldd '$dir/cmake/consumer_cpp' | grep -q simdact"
  fi
  unset PKG_CONFIG_PATH

  # add_subdirectory
  check "add_subdirectory: configure and build (no simdact tests, parent flags kept)" \
    configure_build "$consumers/subdir" "$dir/subdir" -DSIMDACT_SOURCE_DIR="$root" -DBUILD_SHARED_LIBS=$shared
  check "add_subdirectory: run" run_both "$dir/subdir"
  echo "   ($kind: $((SECONDS - start)) s)"
done

echo "consumers: $passed passed, $failed failed"
[ $failed -eq 0 ]
