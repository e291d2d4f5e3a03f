#!/usr/bin/env bash
# The benchmark report in one command: installs the Debian packages it needs
# (the peers' too), builds a Release tree in build-bench/, runs simdact_bench
# and prints the report; the files land in build-bench/report/.
#
#   scripts/bench.sh            the standard run (about 5 minutes on 2 cores)
#   scripts/bench.sh --quick    float forward in cache only (under a minute after the build)
#   scripts/bench.sh --full     the whole matrix (estimated half an hour or more on 2 cores)
#   scripts/bench.sh [...] -- --benchmark_filter=gelu   extra simdact_bench flags
#   scripts/bench.sh --quick --isa avx2   simdact and oneDNN both capped at avx2
#                                         (report in build-bench/report-avx2/)
#
# Environment: BUILD_DIR (default build-bench), SIMDACT_BENCH_ROWWISE=ON|OFF
# (default: ON when the row-wise entry points link), REPETITIONS (3),
# MIN_TIME (0.02 s per repetition).
set -euo pipefail
cd "$(dirname "$0")/.."

coverage=standard
extra=()
extra_isa=()
isa_cap=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) coverage=quick ;;
    --full) coverage=full ;;
    --standard) coverage=standard ;;
    --isa) shift; isa_cap=${1:?--isa needs a name}; extra_isa=("--simdact_isa=$isa_cap") ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0" | cut -c3-; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

build=${BUILD_DIR:-build-bench}
report="$build/report${isa_cap:+-$isa_cap}"
repetitions=${REPETITIONS:-3}
min_time=${MIN_TIME:-0.02}
started=$(date +%s)

# Packages: the build's are required; a peer that cannot be installed is
# skipped (CMake leaves it out).
bash scripts/deps.sh build-essential cmake libxsimd-dev libbenchmark-dev
bash scripts/deps.sh libdnnl-dev libxnnpack-dev libpthreadpool-dev libcpuinfo-dev libeigen3-dev python3-matplotlib ||
  echo "bench.sh: some peer packages could not be installed; benchmarking without them" >&2

# Debian's python3 is the one that sees python3-matplotlib.
python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3

configure() {
  mkdir -p "$build"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSIMDACT_BUILD_TESTS=OFF -DSIMDACT_BUILD_BENCH=ON \
    -DSIMDACT_INSTALL=OFF -DSIMDACT_BENCH_ROWWISE="$1" >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log" >&2; exit 1; }
}
build_targets() {
  cmake --build "$build" -j"$(nproc)" --target simdact_bench simdact_gallery >"$build/build.log" 2>&1
}

echo "bench.sh: building $build/ (Release)" >&2
rowwise=${SIMDACT_BENCH_ROWWISE:-ON}
configure "$rowwise"
if ! build_targets; then
  if [ "$rowwise" = ON ] && [ -z "${SIMDACT_BENCH_ROWWISE:-}" ] && grep -q "undefined reference to .*simdact::\(softmax\|log_softmax\|softmin\|maxout\)" "$build/build.log"; then
    echo "bench.sh: the row-wise entry points (softmax family, maxout) do not link yet; benchmarking without them" >&2
    rowwise=OFF
    configure OFF
    build_targets || { tail -50 "$build/build.log" >&2; exit 1; }
  else
    tail -50 "$build/build.log" >&2
    exit 1
  fi
fi
built=$(date +%s)

mkdir -p "$report"
bench="$build/bench/simdact_bench"
cells=$("$bench" --simdact_coverage="$coverage" "${extra_isa[@]}" --benchmark_list_tests "${extra[@]}" | wc -l)
echo "bench.sh: running $cells benchmark cells ($coverage coverage, $repetitions x ${min_time}s each); log: $report/console.txt" >&2
"$bench" --simdact_coverage="$coverage" "${extra_isa[@]}" \
  --benchmark_repetitions="$repetitions" --benchmark_min_time="$min_time" --benchmark_min_warmup_time=0.005 \
  --benchmark_display_aggregates_only=true \
  --benchmark_out="$report/bench.json" --benchmark_out_format=json "${extra[@]}" >"$report/console.txt" 2>&1 ||
  { tail -20 "$report/console.txt" >&2; exit 1; }
"$build/bench/simdact_gallery" >"$report/gallery.csv"
ran=$(date +%s)

"$python" scripts/report.py "$report/bench.json" --out "$report" --gallery "$report/gallery.csv" \
  --settings "$repetitions repetitions of at least ${min_time} s after a 0.005 s warm-up; row-wise: $rowwise"
finished=$(date +%s)
echo "bench.sh: build $((built - started)) s, benchmarks $((ran - built)) s, report $((finished - ran)) s" >&2
