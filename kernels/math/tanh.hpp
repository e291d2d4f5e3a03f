// tanh and tanh_shrink = x - tanh x. Accurate (math::tanh, tanh_shrink): a < 1: a - tanh a = a^3 (1/3 +
// a^2 S(a^2)) (tools/sollya/tanh.sollya), a >= 1: 1 - tanh a = 2 / (e^2a + 1). Fast (tanh_fast,
// tanh_shrink_fast; float with FMA): one rational for x - 2 tanh(x/2) and the doubling formulas.
#pragma once

#include "kernels/namespace.hpp"

#include <cstddef>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "kernels/math/dd.hpp"
#include "kernels/math/eft.hpp"
#include "kernels/math/exp.hpp"
#include "kernels/math/poly.hpp"
#include "kernels/math/scale.hpp"

SIMDACT_KERNELS_BEGIN
namespace math {

template <class T>
struct tanh_consts;

template <>
struct tanh_consts<float> {
  static constexpr float poly_max = 1.0f;    // the polynomial below, s above
  static constexpr float two_a_max = 88.0f;  // e^88 is finite; tanh rounds to 1 from 9
  static constexpr float two_a_lut_max = 20.0f;
  static constexpr split_constant<float> third{1.0L / 3};
  // tools/sollya/tanh.sollya: x - tanh x = x^3 (1/3 + x^2 s(x^2)), |x| <= 1, 2^-27.4
  static constexpr float s[] = {-0x1.1110fcp-3f, 0x1.ba1318p-5f,  -0x1.65b738p-6f, 0x1.1d4ea6p-7f,
                                -0x1.a5e014p-9f, 0x1.e8532cp-11f, -0x1.2fe16ep-13f};
};

template <>
struct tanh_consts<double> {
  static constexpr double poly_max = 1.0;
  static constexpr double two_a_max = 709.0;
  static constexpr double two_a_lut_max = 40.0;  // tanh rounds to 1 from 19.1
  static constexpr split_constant<double> third{1.0L / 3};
  // tools/sollya/tanh.sollya: |x| <= 1, 2^-55.9
  static constexpr double s[] = {-0x1.11111111110d7p-3,  0x1.ba1ba1ba15be2p-5,   -0x1.664f48811293ep-6,
                                 0x1.226e351fe5e2fp-7,   -0x1.d6d3c60594bep-9,   0x1.7da2c665f8c06p-10,
                                 -0x1.3551ef66ed7f7p-11, 0x1.f523d93432426p-13,  -0x1.94a2f51d5fb5dp-14,
                                 0x1.4228048bfbb5ap-15,  -0x1.ea98f249b3d7cp-17, 0x1.4f7031af028c5p-18,
                                 -0x1.739707ba07aacp-20, 0x1.1c49b2074e2dcp-22,  -0x1.b362b503a4d52p-26};
};

// 1 - tanh a = 2 / (e^2a + 1) for a >= 0 (NaN -> NaN, inf -> 0). With
// `exact_sum`, e^2a + 1 is carried as d + d_lo (Fast2Sum, e^2a >= 1) and the
// quotient corrected to first order: removes the rounding of e^2a + 1 (up to
// an ulp of s), for callers that add s to a small a - 1.
template <bool exact_sum, class B>
inline B one_minus_tanh(B a) {
  using T = typename B::value_type;
  const B one(T(1)), two(T(2));
  B n;
  B e = scale_normal(exp_mant(xsimd::min(B(tanh_consts<T>::two_a_max), a + a), n), n);
  B d = e + one;
  B s = divide(two, d);
  if constexpr (exact_sum) {
    B d_lo = one - (d - e);                        // e + 1 = d + d_lo exactly (e >= 1)
    s = math::fma(s, B(T(-0.5)) * (d_lo * s), s);  // 2 / (d + d_lo) = s (1 - d_lo s / 2)
  }
  return s;
}

// a - tanh a = a^3 (1/3 + a^2 S(a^2)) for 0 <= a < poly_max, with a^3 and
// 1/3 carried as hi + lo: nearly one rounding, at the end.
template <class B>
inline B tanh_shrink_poly(B a) {
  using T = typename B::value_type;
  using C = tanh_consts<T>;
  B a2_lo;
  B a2 = two_prod(a, a, a2_lo);
  B a3_lo;
  B a3 = two_prod(a, a2, a3_lo);
  a3_lo = math::fma(a, a2_lo, a3_lo);
  B tail = math::fma(a2, horner(a2, C::s), B(C::third.lo));  // a^2 S(a^2) + (1/3 - third.hi)
  return fma_exact_product(a3, B(C::third.hi), math::fma(a3, tail, a3_lo * B(C::third.hi)));
}

// tanh(x) = sign(x) (|x| < 1 ? a - a^3 (1/3 + a^2 S(a^2)) : 1 - 2 / (e^2a + 1)), a = |x|.
// Odd (bit for bit), +-1 at +-inf and from |x| ~ 9 on (e^2a clamped finite), NaN -> NaN.
// Max error (tools/math_ulp): float 0.98 ULP at -0.980 (sse2 1.15), double 0.96 ULP at 0.913 (sse2 1.19).
template <class B>
inline B tanh(B x) {
  using T = typename B::value_type;
  using C = tanh_consts<T>;
  B a = xsimd::abs(x);
  B a2 = a * a;
  B p = math::fma(a2, horner(a2, C::s), B(C::third.hi));
  B small = math::fma(-(a * a2), p, a);
  B y = xsimd::select(a < B(C::poly_max), small, B(T(1)) - one_minus_tanh<false>(a));
  return y | xsimd::bitofsign(x);
}

// The fast float path (archs with FMA) rests on one rational, S(x) = x - 2 tanh(x/2) = x^3 d(x^2) /
// (1 + x^2 q(x^2)) on |x| <= 9.5, and the doubling formulas in T = tanh(x/2) = (x - S) / 2:
//   tanh x = 2T / (1 + T^2),   x - tanh x = (S + x T^2) / (1 + T^2)   (both free of cancellation).
// S's error reaches tanh x damped by (1 - T^2) / (1 + T^2) and x - tanh x by 2 (1 - T^2) S /
// ((1 + T^2)^2 (x - tanh x)) <= 1/4, so a (2, 2) rational suffices (tools/sollya/tanh_rational.sollya).
template <class T>
struct tanh_rational_consts;

template <>
struct tanh_rational_consts<float> {
  static constexpr float clamp = 9.5f;  // tanh(9.5) rounds to 1, x - tanh x to x - 1; fitted to here
  // tools/sollya/tanh_rational_fit.py: S(x) = x^3 d(x^2) / (1 + x^2 q(x^2)), |x| <= 9.5; S's error
  // passed on (tools/sollya/tanh_rational.sollya): 2^-24.7 to tanh, 2^-24.6 to x - tanh x
  static constexpr float d[] = {0x1.555556p-4f, 0x1.fd7b78p-11f, 0x1.1fd8bcp-24f};
  static constexpr float q[] = {0x1.c95ccap-4f, 0x1.12bb58p-10f};
};

// True where the batch takes the rational path: float on archs with a fused multiply-add (the
// error analysis counts fused roundings; SSE2 and double keep the exponential paths).
template <class B>
inline constexpr bool tanh_rational_v = std::is_same<typename B::value_type, float>::value &&
                                        (has_fma_v<typename B::arch_type>);

// S(x) = x - 2 tanh(x / 2) for |x| <= clamp, t = x^2 (odd; +0 at x = -0 so that x - S keeps -0).
template <class B>
inline B tanh_rational_s(B xc, B t) {
  using T = typename B::value_type;
  using C = tanh_rational_consts<T>;
  B q = math::fma(horner(t, C::q), t, B(T(1)));
  return divide(math::fma(xc * t, horner(t, C::d), B(T(0))), q);
}

#if defined(__AVX512F__)
// y with x's sign, for y >= 0 (or NaN): one vpternlog, (x & sign mask) | y.
template <class T, class A>
inline xsimd::batch<T, A> copysign_nonnegative(xsimd::batch<T, A> y, xsimd::batch<T, A> x) {
  const __m512i m =
      _mm512_set1_epi64(std::is_same<T, float>::value ? 0x8000000080000000ll : (long long)0x8000000000000000ull);
  __m512i yi, xi;
  if constexpr (std::is_same<T, float>::value)
    yi = _mm512_castps_si512(y), xi = _mm512_castps_si512(x);
  else
    yi = _mm512_castpd_si512(y), xi = _mm512_castpd_si512(x);
  // truth table over (a, b, c) = (y, x, m), bit 4a + 2b + c: a | (b & c) = 0xf8
  __m512i r = _mm512_ternarylogic_epi64(yi, xi, m, 0xf8);
  if constexpr (std::is_same<T, float>::value)
    return _mm512_castsi512_ps(r);
  else
    return _mm512_castsi512_pd(r);
}
#endif

// tanh_fast(x), float with FMA: u = x - S(x) = 2 tanh(x/2) (S ~ x^3/12 near 0, so u is nearly exact
// there; S's error is damped where T -> 1), tanh x = u / (1 + u^2 / 4); x clamped to +-9.5 (+-1
// there, exactly), NaN kept, -0 kept. 14 operations (2 divisions) per vector. Double on AVX-512:
// u / (2 - u), u = 1 - e^-2|x| from the table-driven exponential; math::tanh elsewhere. For the
// activation (contract 4 ULP), not for callers that need math::tanh's 1 ULP. Max error: float (avx512,
// avx2) 2.45 ULP at 0.0625 (tools/exhaustive 1-in-16), double (AVX-512) 3.48 ULP at -8.49 (2M random
// points in each of [-1, 1], [8, 10], [-10, -8]).
template <class B>
inline B tanh_fast(B x) {
  using T = typename B::value_type;
  if constexpr (tanh_rational_v<B>) {
    using C = tanh_rational_consts<T>;
    B xc = clamp(x, B(-C::clamp), B(C::clamp));
    B u = xc - tanh_rational_s(xc, xc * xc);
    return divide(u, math::fma(u, u * B(0.25f), B(1.0f)));
  }
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) {
    using C = tanh_consts<T>;
    B neg_a = x | B(T(-0.0));  // -|x|
    B e;
    B u = one_minus_exp_lut<2>(xsimd::max(B(T(-0.5) * C::two_a_lut_max), neg_a), e);
    return copysign_nonnegative(divide(u, B(T(2)) - u), x);
  }
#endif
  return math::tanh(x);
}

// tanh_shrink(x) = x - tanh x = sign(x) (|x| < 1 ? a^3 (1/3 + a^2 S(a^2)) : (a - 1) + 2 / (e^2a + 1)).
// Odd, x^3/3 near 0 without cancellation (a - 1 is exact for a in [1/2, 2]), +-inf, NaN -> NaN.
// Max error: float 1.59 ULP at -0.981 (sse2 2.06), double 1.60 ULP at -0.995 (sse2 2.13).
template <class B>
inline B tanh_shrink(B x) {
  using T = typename B::value_type;
  using C = tanh_consts<T>;
  B a = xsimd::abs(x);
  B y = xsimd::select(a < B(C::poly_max), tanh_shrink_poly(a), (a - B(T(1))) + one_minus_tanh<true>(a));
  return y | xsimd::bitofsign(x);
}

// tanh_shrink_fast(x), float with FMA: xc = x clamped to +-9.5, S = N/Q (the rational above), T = tanh(xc/2) =
// M/2Q, M = xc Q - N: x - tanh x = (S + xc T^2)/(1 + T^2) = (4NQ + xc M^2)/(4Q^2 + M^2), one division, every
// term with x's sign (no cancellation, no abs). M^2 = xc^2 + e (2xc + e), e = M - xc = xc (Q - 1) - N (Q - 1
// exact): xc^2 exact in the fma, and T consistent with the rounded Q that num and den use (a rounded M costs
// 4.2 ULP, e from xc t q(t) instead of Q - 1 4.4). Kept as 2Q, 2N (exact): 4Q^2 = (2Q)^2. Beyond the clamp
// r - (xc - x): x - 1, +-inf; -0 and NaN kept. 19 operations on AVX-512 (the clamp is one vrangeps), 20 on
// AVX2. math::tanh_shrink elsewhere.
// Max error: float (avx512, avx2) 3.71 ULP at +-0.361 (tools/exhaustive, every float).
template <class B>
inline B tanh_shrink_fast(B x) {
  if constexpr (tanh_rational_v<B>) {
    using T = typename B::value_type;
    using C = tanh_rational_consts<T>;
    static constexpr T q2[] = {C::q[0] * 2, C::q[1] * 2};
    static constexpr T d2[] = {C::d[0] * 2, C::d[1] * 2, C::d[2] * 2};
    B xc;
#if defined(__AVX512DQ__)
    if constexpr (std::is_base_of<xsimd::avx512dq, typename B::arch_type>::value)
      xc = _mm512_range_ps(x, B(C::clamp), 0x02);  // smaller magnitude, x's sign (NaN -> +-9.5; xc - x is NaN)
    else
#endif
      xc = clamp(x, B(-C::clamp), B(C::clamp));  // NaN kept
    B t = xc * xc;
    B q2x = math::fma(horner(t, q2), t, B(T(2)));  // 2Q >= 2
    B n2x = (xc * t) * horner(t, d2);              // 2N
    B e2 = math::fms(xc, q2x - B(T(2)), n2x);      // 2e
    B m2 = math::fma(xc, xc, e2 * math::fma(e2, B(T(0.25)), xc));
    B r = divide(math::fma(xc, m2, n2x * q2x), math::fma(q2x, q2x, m2));
    return r - (xc - x);
  }
  return math::tanh_shrink(x);
}

}  // namespace math
SIMDACT_KERNELS_END
