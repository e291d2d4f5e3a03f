// Polynomial evaluation on batches: Horner's rule with fused multiply-adds,
// coefficients lowest degree first (as tools/sollya/*.sollya prints them).
// The loop has a compile-time trip count; the compiler unrolls it fully.
#pragma once

#include "kernels/namespace.hpp"

#include <cstddef>

#include "kernels/math/dd.hpp"

SIMDACT_KERNELS_BEGIN
namespace math {

// c[0] + c[1] x + ... + c[N-1] x^(N-1)
template <class B, class T, std::size_t N>
inline B horner(B x, const T (&c)[N]) {
  B acc(c[N - 1]);
  for (std::size_t i = N - 1; i-- > 0;) acc = math::fma(acc, x, B(c[i]));
  return acc;
}

// c[F] + c[F+1] x + ... + c[N-1] x^(N-1-F): the polynomial without its first
// F terms, divided by x^F (for callers that finish the last steps exactly).
template <std::size_t F, class B, class T, std::size_t N>
inline B horner_from(B x, const T (&c)[N]) {
  static_assert(F < N, "nothing left to evaluate");
  B acc(c[N - 1]);
  for (std::size_t i = N - 1; i-- > F;) acc = math::fma(acc, x, B(c[i]));
  return acc;
}

}  // namespace math
SIMDACT_KERNELS_END
