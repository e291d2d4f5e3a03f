// Shared approximations used by the activation kernels. Every function is a
// template on the batch type B = xsimd::batch<T, Arch> (T = float or double),
// so each per-ISA translation unit gets its own instantiation (no ODR clash).
//
// PLACEHOLDER implementation on top of xsimd's own math; to be replaced by
// minimax approximations (see kernels/math/README in a later commit).
#pragma once

#include "kernels/namespace.hpp"

#include <xsimd/xsimd.hpp>

#include "kernels/math/dd.hpp"

SIMDACT_KERNELS_BEGIN
namespace math {

// e^x over the whole range: overflow -> +inf, gradual underflow, NaN -> NaN.
template <class B>
inline B exp(B x) {
  return xsimd::exp(x);
}

// e^x = mant * 2^expo with mant in [0.5, 2] and expo an integer held in B, so
// a caller can multiply by a factor before scaling (a * e^x stays accurate
// where e^x alone would be subnormal). For x = +inf: mant = +inf; x = -inf:
// mant = 0; NaN: mant = NaN.
template <class B>
inline B exp_split(B x, B& expo) {
  expo = B(0);
  return xsimd::exp(x);
}

// y * 2^k for integer-valued k (|k| < 2^24), with a single rounding even when
// the result is subnormal or overflows.
template <class B>
inline B ldexp(B y, B k) {
  return y * xsimd::exp2(k);
}

// a * e^x with one final rounding at the end (up to the approximation error),
// accurate where e^x itself would underflow or overflow.
template <class B>
inline B mul_exp(B a, B x) {
  B k;
  B m = exp_split(x, k);
  return ldexp(a * m, k);
}

// e^x - 1, accurate near 0; -1 at -inf.
template <class B>
inline B expm1(B x) {
  return xsimd::expm1(x);
}

// tanh x, odd, +-1 at +-inf.
template <class B>
inline B tanh(B x) {
  return xsimd::tanh(x);
}

// x - tanh x, accurate near 0 (where it is x^3/3) and everywhere else.
template <class B>
inline B tanh_shrink(B x) {
  return x - xsimd::tanh(x);
}

// erfc z = mant * 2^expo (see exp_split); erfc(+inf) = 0, erfc(-inf) = 2.
template <class B>
inline B erfc_split(B z, B& expo) {
  expo = B(0);
  return xsimd::erfc(z);
}

template <class B>
inline B erfc(B z) {
  return xsimd::erfc(z);
}

}  // namespace math
SIMDACT_KERNELS_END
