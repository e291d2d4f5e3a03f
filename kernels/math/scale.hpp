// Multiplication by powers of two for the exponential family: y * 2^n with
// integer-valued n held in a floating-point batch, built by shifting n into
// the exponent field (no integer conversion, so double works on SSE2/AVX2,
// which have no 64-bit float<->int conversion). AVX-512 has it in one
// instruction (vscalef: y * 2^floor(n), one rounding, any n).
#pragma once

#include "kernels/namespace.hpp"

#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "kernels/math/dd.hpp"

SIMDACT_KERNELS_BEGIN
namespace math {

template <class T>
struct fp_bits;
template <>
struct fp_bits<float> {
  using integer = std::int32_t;
  static constexpr int mantissa = 23;
  static constexpr int bias = 127;
  static constexpr float shifter = 0x1.8p23f;  // adding it rounds |v| < 2^22 to an integer
};
template <>
struct fp_bits<double> {
  using integer = std::int64_t;
  static constexpr int mantissa = 52;
  static constexpr int bias = 1023;
  static constexpr double shifter = 0x1.8p52;
};

template <class A>
inline constexpr bool has_scalef_v =
#if defined(__AVX512F__)
    std::is_base_of<xsimd::avx512f, A>::value;
#else
    false;
#endif

// min(max(x, lo), hi), NaN kept: x86 min/max return their second operand when
// one is NaN, NEON's propagate NaN.
template <class B>
inline B clamp(B x, B lo, B hi) {
  return xsimd::min(hi, xsimd::max(lo, x));
}

// round(v) for |v| < 2^22 (float) / 2^51 (double), ties to even.
template <class B>
inline B round_int(B v) {
  using T = typename B::value_type;
  const B s(fp_bits<T>::shifter);
  return (v + s) - s;
}

// 2^n for integer-valued n with a normal result: -bias < n <= bias.
// n + shifter + bias holds n + bias in its low mantissa bits; shifting them
// up by the mantissa width drops the shifter's bits and fills the exponent.
template <class B>
inline B pow2(B n) {
  using T = typename B::value_type;
  using I = xsimd::batch<typename fp_bits<T>::integer, typename B::arch_type>;
  B t = n + B(fp_bits<T>::shifter + fp_bits<T>::bias);
  return xsimd::bitwise_cast<B>(xsimd::bitwise_cast<I>(t) << fp_bits<T>::mantissa);
}

#if defined(__AVX512F__)
template <class T, class A>
inline xsimd::batch<T, A> scalef(xsimd::batch<T, A> y, xsimd::batch<T, A> n) {
  if constexpr (std::is_same<T, float>::value)
    return _mm512_scalef_ps(y, n);
  else
    return _mm512_scalef_pd(y, n);
}
#endif

// y * 2^n for integer-valued n with 2^n normal (-bias < n <= bias): one
// exact power of two, one rounding.
template <class B>
inline B scale_normal(B y, B n) {
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) return scalef(y, n);
#endif
  return y * pow2(n);
}

// y * 2^n for integer-valued n in [4 - 2 bias, 2 bias - 2] where y 2^(n/2) is
// normal (e^x = e^r 2^n for every x that does not saturate): two exact powers
// of two 2^(n/2) 2^(n - n/2), the second product the only rounding, also into
// the subnormals.
template <class B>
inline B scale_wide(B y, B n) {
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) return scalef(y, n);
#endif
  using T = typename B::value_type;
  B n1 = round_int(n * B(T(0.5)));
  return (y * pow2(n1)) * pow2(n - n1);
}

// ldexp(y, k) = y * 2^k for any y and any integer-valued k, one rounding even into the subnormals or
// to inf: vscalef, or three exact powers of two (k clamped to +-3 (bias - 1), where every finite y
// saturates). Domain: y anything, k finite. Measured: correctly rounded (0 of 2M random y, k wrong).
// The in-range part k3 = clamp(k, 1 - bias, bias) goes last: the earlier
// products then round only where the result is 0 or inf anyway.
template <class B>
inline B ldexp(B y, B k) {
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) return scalef(y, k);
#endif
  using T = typename B::value_type;
  constexpr T b = T(fp_bits<T>::bias);
  B kc = clamp(k, B(3 * (1 - b)), B(3 * (b - 1)));
  B k3 = clamp(kc, B(1 - b), B(b));
  B rest = kc - k3;  // in [2 - 2 bias, 2 bias - 3]: two normal halves
  B k1 = round_int(rest * B(T(0.5)));
  return ((y * pow2(k1)) * pow2(rest - k1)) * pow2(k3);
}

// y * 2^k for integer-valued k in [2 (1 - bias), 0] (a slope's 2^n applied after the product with dy), any y,
// one rounding: vscalef, or y 2^k1 2^k2 with k2 = max(k, 1 - bias), k1 = k - k2 (two normal powers): y 2^k1
// rounds only when k1 < 0 and y 2^k1 is subnormal, where y 2^k < 2^(2 - 2 bias) rounds to 0 anyway.
template <class B>
inline B scale_down(B y, B k) {
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) return scalef(y, k);
#endif
  using T = typename B::value_type;
  B k2 = xsimd::max(k, B(T(1 - fp_bits<T>::bias)));
  return (y * pow2(k - k2)) * pow2(k2);
}

// x = result * 2^e exactly, e integer-valued in [1 - bias, bias - 1]: result in [1, 2) for normal x (in [2, 4)
// at the top binade), x 2^(bias - 1) in [0, 1) for zero and subnormal x; inf and NaN stay inf and NaN. For
// products whose factors may each overflow or underflow where the whole does not (the power of two goes
// back once, by ldexp).
template <class B>
inline B split_exponent(B x, B& e) {
  using T = typename B::value_type;
  using I = xsimd::batch<typename fp_bits<T>::integer, typename B::arch_type>;
  constexpr int m = fp_bits<T>::mantissa, bias = fp_bits<T>::bias;
  I field = (xsimd::bitwise_cast<I>(x) >> m) & I(2 * bias + 1);  // the biased exponent
  field = xsimd::min(xsimd::max(field, I(1)), I(2 * bias - 1));
  const T two_m = fp_bits<T>::shifter / T(1.5);  // 2^m: a small integer ored into its mantissa is added
  e = xsimd::bitwise_cast<B>(field | xsimd::bitwise_cast<I>(B(two_m))) - B(two_m + T(bias));
  return x * xsimd::bitwise_cast<B>((I(2 * bias) - field) << m);  // 2^-e, normal
}

// dy * slope_hi * 2^n_lo for n_lo <= 0 (a slope's power of two beyond normal_scale_floor): applied after the
// product with dy, so that dy f'(x) stays accurate where f'(x) alone is subnormal or 0; an infinite dy meets
// the slope as T holds it (inf * 0 = NaN where that underflows, as in every kernel).
// Where no lane has a part below the floor (the usual case) that is dy * slope_hi, the same bits, without the
// second scaling and the select.
template <class B>
inline B times_slope(B dy, B slope_hi, B n_lo) {
  using T = typename B::value_type;
  if (xsimd::all(n_lo == B(T(0)))) return dy * slope_hi;
  return xsimd::select(xsimd::isinf(dy), dy * scale_down(slope_hi, n_lo), scale_down(dy * slope_hi, n_lo));
}

}  // namespace math
SIMDACT_KERNELS_END
