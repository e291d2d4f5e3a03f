#!/usr/bin/env bash
# Every float input (2^32) through every unary activation, forward and
# backward (dy = 1), on each ISA given, with tools/exhaustive; one line per
# run goes to stdout and to OUT (default exhaustive.txt). Not part of CI:
# about 10 s per function and direction on 16 cores, minutes on 2.
#   tools/exhaustive_all.sh BUILD_DIR [ISA...]      (default ISAs: the best one)
# Env: STRIDE (default 1 = every input; 16 = every 16th chunk of 2^16), OUT.
set -euo pipefail
build=${1:?usage: exhaustive_all.sh BUILD_DIR [ISA...]}
shift
exe=$build/tests/exhaustive
[ -x "$exe" ] || { echo "exhaustive_all.sh: $exe not built (configure with -DSIMDACT_BUILD_TESTS=ON)"; exit 2; }
isas=("$@")
out=${OUT:-exhaustive.txt}
stride=${STRIDE:-1}
functions=$(sed -n 's/^SIMDACT_ACTIVATION_[0-9](\([a-z_]*\),.*/\1/p' "$(dirname "$0")/../include/simdact/activations.def")
: >"$out"
status=0
for isa in "${isas[@]:-}"; do
  for f in $functions; do
    args=(--function "$f" --direction both --stride "$stride")
    [ -n "$isa" ] && args+=(--isa "$isa")
    "$exe" "${args[@]}" | tee -a "$out" || status=1
  done
done
exit $status
