#!/usr/bin/env bash
# Usage: check_exports.sh path/to/libsimdact.so
# Passes when the shared library's dynamic symbol table defines only the
# simdact API: the C functions (simdact_*) and the C++ API in namespace
# simdact with simdact::error's typeinfo and vtable; nothing from xsimd,
# OpenMP, the standard library, or simdact's internal namespaces.
set -euo pipefail
lib=${1:?usage: check_exports.sh libsimdact.so}
# NM: the target's nm when cross-compiling (ctest sets it from CMAKE_NM).
symbols=$("${NM:-nm}" -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' | "${CXXFILT:-c++filt}")
bad=$(printf '%s\n' "$symbols" | grep -Ev '^simdact_[a-z0-9_]+$|^simdact::|^(typeinfo|typeinfo name|vtable) for simdact::' || true)
internal=$(printf '%s\n' "$symbols" | grep -E '^(.* for )?simdact::(detail|internal|isa_|kernels)' || true)
status=0
if [ -n "$bad$internal" ]; then
  echo "FAIL: $lib exports symbols outside the simdact API:"
  printf '%s\n' "$bad" "$internal" | sed '/^$/d; s/^/  /'
  status=1
fi
# Something must be exported, or the check above proves nothing.
for expected in 'simdact_gelu_f32' 'simdact_status_string' 'simdact::gelu(float const*, float*, unsigned long)' \
    'typeinfo for simdact::error'; do
  if ! printf '%s\n' "$symbols" | grep -Fxq "$expected"; then
    echo "FAIL: $lib does not export $expected"
    status=1
  fi
done
c_count=$(printf '%s\n' "$symbols" | grep -c '^simdact_' || true)
cpp_count=$(printf '%s\n' "$symbols" | grep -c 'simdact::' || true)
[ $status -eq 0 ] && echo "PASS: $lib exports $c_count C and $cpp_count C++ simdact symbols, nothing else"
exit $status
