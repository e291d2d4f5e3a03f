// Error-free helpers beyond dd.hpp for the approximations that must keep a
// product exact: on FMA archs they are one fused operation, on SSE2 (where
// math::fma rounds twice) they fall back to dd.hpp's two_prod. And a
// correctly rounded division (xsimd 8.1's float division on NEON64 is not).
#pragma once

#include "kernels/namespace.hpp"

#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "kernels/math/dd.hpp"

SIMDACT_KERNELS_BEGIN
namespace math {

// a / b, correctly rounded on every arch: xsimd 8.1 divides float batches on
// NEON64 by a reciprocal estimate and two Newton steps (an ulp or two off).
template <class B>
inline B divide(B a, B b) {
#if defined(__aarch64__)
  if constexpr (std::is_same<typename B::value_type, float>::value &&
                std::is_base_of<xsimd::neon64, typename B::arch_type>::value)
    return vdivq_f32(a, b);
#endif
  return a / b;
}

// a * b + c with the product exact: fused where the arch has FMA; otherwise
// (a b)_hi + ((a b)_lo + c), which rounds once more only in the small part.
template <class B>
inline B fma_exact_product(B a, B b, B c) {
  if constexpr (has_fma_v<typename B::arch_type>) {
    return math::fma(a, b, c);
  } else {
    B lo;
    B hi = two_prod(a, b, lo);
    return hi + (lo + c);
  }
}

// 1 - r d exactly, for r = 1/d rounded to nearest (the remainder of a
// correctly rounded reciprocal is representable).
template <class B>
inline B reciprocal_residual(B r, B d) {
  using T = typename B::value_type;
  if constexpr (has_fma_v<typename B::arch_type>) {
    return math::fma(-r, d, B(T(1)));
  } else {
    B p_lo;
    B p = two_prod(r, d, p_lo);
    return (B(T(1)) - p) - p_lo;
  }
}

}  // namespace math
SIMDACT_KERNELS_END
