// The exponential family: exp, exp_split, mul_exp, expm1. One reduction for
// all: x = n ln2 + r, |r| <= ln2/2 (Cody-Waite, ln2 in two parts, the first
// with trailing zeros so n ln2_hi is exact even without FMA), then
// e^r = 1 + r + r^2 Q(r) with Q from tools/sollya/exp.sollya.
#pragma once

#include "kernels/namespace.hpp"

#include <limits>

#include <xsimd/xsimd.hpp>

#include "kernels/math/dd.hpp"
#include "kernels/math/poly.hpp"
#include "kernels/math/scale.hpp"

SIMDACT_KERNELS_BEGIN
namespace math {

template <class T>
struct exp_consts;

template <>
struct exp_consts<float> {
  static constexpr float log2e = 0x1.715476p0f;
  static constexpr float ln2_hi = 0x1.62e4p-1f;  // 15 significant bits: n ln2_hi exact for |n| < 2^9
  static constexpr float ln2_lo = 0x1.7f7d1cp-20f;
  static constexpr float exp_lo = -104.0f;      // e^x < 2^-150 rounds to 0
  static constexpr float exp_hi = 89.0f;        // e^x > 2^128 is inf
  static constexpr float split_bound = 200.0f;  // 2^+-288: saturates any factor
  static constexpr float expm1_lo = -30.0f;     // expm1 x rounds to -1
  static constexpr float tiny = 0x1p-25f;       // expm1 x rounds to x
  // tools/sollya/exp.sollya: float Q deg 4, max relative error 2^-22.86 on |r| <= ln2/2 + 2^-10
  static constexpr float q[] = {0x1p-1f, 0x1.5554dcp-3f, 0x1.55556ap-5f, 0x1.120c8ep-7f, 0x1.6cad2ap-10f};
};

template <>
struct exp_consts<double> {
  static constexpr double log2e = 0x1.71547652b82fep0;
  static constexpr double ln2_hi = 0x1.62e42feep-1;  // 32 significant bits: n ln2_hi exact for |n| < 2^21
  static constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
  static constexpr double exp_lo = -746.0;
  static constexpr double exp_hi = 710.0;
  static constexpr double split_bound = 1500.0;  // 2^+-2164
  static constexpr double expm1_lo = -40.0;
  static constexpr double tiny = 0x1p-54;
  // tools/sollya/exp.sollya: double Q deg 9, max relative error 2^-52 on |r| <= ln2/2 + 2^-10
  static constexpr double q[] = {
      0x1.0000000000001p-1,  0x1.555555555554dp-3,  0x1.5555555553c8cp-5,  0x1.11111111144f2p-7,  0x1.6c16c178d08bp-10,
      0x1.a01a018c3cc4bp-13, 0x1.a019b819e6bc7p-16, 0x1.71de5980cf7f9p-19, 0x1.289297e85e764p-22, 0x1.aead6d9012dcp-26};
};

// x = n ln2 + r_hi + r_lo for finite |x| < 2^9 ln2 (float) / 2^21 ln2
// (double): n = round(x / ln2) (integer-valued), r_hi = x - n ln2_hi exact,
// r_lo = -n ln2_lo.
template <class B>
inline B exp_reduce(B x, B& n, B& r_lo) {
  using T = typename B::value_type;
  using C = exp_consts<T>;
  const B shifter(fp_bits<T>::shifter);
  n = math::fma(x, B(C::log2e), shifter) - shifter;
  r_lo = n * B(-C::ln2_lo);
  return math::fma(n, B(-C::ln2_hi), x);
}

// The same, r = r_hi + r_lo rounded (|r| <= ln2/2 + 2^-10).
template <class B>
inline B exp_reduce(B x, B& n) {
  using T = typename B::value_type;
  using C = exp_consts<T>;
  const B shifter(fp_bits<T>::shifter);
  n = math::fma(x, B(C::log2e), shifter) - shifter;
  B r = math::fma(n, B(-C::ln2_hi), x);
  return math::fma(n, B(-C::ln2_lo), r);
}

// e^r for |r| <= ln2/2 + 2^-10: 1 + r (1 + r Q(r)).
template <class B>
inline B exp_reduced(B r) {
  using T = typename B::value_type;
  B q = horner(r, exp_consts<T>::q);
  return math::fma(math::fma(q, r, B(T(1))), r, B(T(1)));
}

// exp(x) = e^r 2^n, e^r = 1 + r (1 + r Q(r)) (degree 6 / 11), 2^n in two exact halves (or vscalef).
// Whole range: overflow -> +inf, gradual underflow to subnormals and 0, exp(-inf) = 0, NaN -> NaN.
// Max error (tools/math_ulp): float 0.91 ULP at 16.29 (sse2 1.19), double 0.93 ULP at 471.7 (sse2 1.20).
template <class B>
inline B exp(B x) {
  using C = exp_consts<typename B::value_type>;
  B n;
  B r = exp_reduce(clamp(x, B(C::exp_lo), B(C::exp_hi)), n);
  return scale_wide(exp_reduced(r), n);
}

// exp_split(x, expo): e^x = mant * 2^expo, mant = e^r in [0.7, 1.42], expo = n integer-valued (a
// caller scales mant before 2^expo). |expo| <= 289 / 2164; +inf: mant inf, -inf: 0, NaN: NaN, expo 0.
// Max error of ldexp(mant, expo): as exp (same reduction and polynomial).
template <class B>
inline B exp_split(B x, B& expo) {
  using T = typename B::value_type;
  using C = exp_consts<T>;
  constexpr T inf = std::numeric_limits<T>::infinity();
  B n;
  B r = exp_reduce(clamp(x, B(-C::split_bound), B(C::split_bound)), n);
  expo = xsimd::select(x == x, n, B(T(0)));  // NaN: expo 0
  B mant = exp_reduced(r);
  // +-inf: e^x = inf / 0 (the clamp made them e^+-200)
  return xsimd::select(xsimd::abs(x) == B(inf), xsimd::max(x, B(T(0))), mant);
}

// mul_exp(a, x) = a * e^x = ldexp(a * mant, expo): accurate where e^x itself would underflow or
// overflow (two roundings: a * mant, the final scaling).
// Max error: float 1.61 ULP at x = 71.7 (sse2 1.86), double 1.62 at 4.43 (sse2 1.87); |x| <= 190 / 1400.
template <class B>
inline B mul_exp(B a, B x) {
  B k;
  B m = exp_split(x, k);
  return ldexp(a * m, k);
}

// expm1(x) = e^x - 1 = 2 (h (r_lo + r^2 Q(r)) + (h r_hi + h - 1/2)), h = 2^(n-1), x = n ln2 + r_hi + r_lo.
// Whole range: accurate near 0 (x itself below 2^-25 / 2^-54, -0 kept), -1 at -inf, inf, NaN.
// Max error: float 1.23 ULP at 16.64 (sse2 1.31), double 1.27 ULP at 0.347 (sse2 1.23).
template <class B>
inline B expm1(B x) {
  using T = typename B::value_type;
  using C = exp_consts<T>;
  // r_hi enters exactly, not through a rounded e^r - 1 that 2^n would magnify
  // where e^x - 1 cancels (n = +-1); h is normal up to the overflow threshold.
  B n, r_lo;
  B r_hi = exp_reduce(clamp(x, B(C::expm1_lo), B(C::exp_hi)), n, r_lo);
  B r = r_hi + r_lo;
  B tail = math::fma(r * r, horner(r, C::q), r_lo);
  B h = pow2(n - B(T(1)));
  B y = math::fma(h, tail, math::fma(h, r_hi, h - B(T(0.5))));
  return xsimd::select(xsimd::abs(x) < B(C::tiny), x, y + y);
}

}  // namespace math
SIMDACT_KERNELS_END
