// erfc over the real line. For a = |z|: erfc a = e^(-a^2) P(t) / (a + k),
// t = (a - k)/(a + k) in [-1, 1), one minimax polynomial for all a
// (tools/sollya/erfc.sollya); a^2 = hi + lo split exactly (two_prod), both
// parts in the exp reduction, so the tail loses no ~a^2 ULPs. z < 0: 2 - erfc a.
#pragma once

#include "kernels/namespace.hpp"

#include <limits>
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
struct erfc_consts;

template <>
struct erfc_consts<float> {
  static constexpr float k = 3.0f;
  static constexpr float split_max = 14.0f;  // erfc 14 < 2^-287: 0 after any scaling
  static constexpr float value_max = 10.5f;  // erfc 10.5 < 2^-163: rounds to 0
  // tools/sollya/erfc.sollya: float k=3 z<=14 deg 10, max relative error 2^-26.96
  static constexpr float p[] = {0x1.12f21ep0f,    -0x1.c44c48p-1f,  0x1.2e325ap-1f,  -0x1.3deaeep-2f,
                                0x1.e99c62p-4f,   -0x1.b7a048p-6f,  -0x1.46855p-10f, 0x1.8f0e34p-9f,
                                -0x1.e9f43cp-12f, -0x1.1987b8p-12f, 0x1.bd966ep-16f};
  // P'/P deg 3, max absolute error 2^-9
  static constexpr float dlog_p[] = {-0x1.a5fdcep-1f, 0x1.b618cep-2f, -0x1.55fadcp-5f, -0x1.969f48p-4f};
};

template <>
struct erfc_consts<double> {
  static constexpr double k = 4.0;
  static constexpr double split_max = 40.0;  // erfc 40 < 2^-2312
  static constexpr double value_max = 27.5;  // erfc 27.5 < 2^-1096
  // tools/sollya/erfc.sollya: double k=4 z<=40 deg 22, max relative error 2^-54.08
  static constexpr double p[] = {
      0x1.18932bf08e154p0,    -0x1.f3fe31ecb49bfp-1,  0x1.8be202d26c72fp-1,   -0x1.14eacb1ad0338p-1,
      0x1.52cac2370fad6p-2,   -0x1.645fd8a4bccccp-3,  0x1.38dbd2c8ebd1p-4,    -0x1.b00c052bab7d8p-6,
      0x1.908f47268fbf5p-8,   -0x1.269b53814bd1bp-12, -0x1.dd2847fb24508p-12, 0x1.72cdb651959bcp-13,
      -0x1.e7e24d7f08ca5p-19, -0x1.3c702e82cadf1p-16, 0x1.3b01ff9817f13p-18,  0x1.7e719ebd20f0cp-20,
      -0x1.c5fb71d7a4231p-21, -0x1.465f4372be1e8p-24, 0x1.0a2684aff00afp-23,  0x1.0ff2961d05573p-30,
      -0x1.0f3501e1b3fd2p-26, 0x1.96abe16d5e346p-33,  0x1.5c32681491c47p-30};
  // P'/P deg 3, max absolute error 2^-7
  static constexpr double dlog_p[] = {-0x1.cabcf8a4796ffp-1, 0x1.4a82c8979378cp-1, -0x1.03cc0e492c3d7p-2,
                                      -0x1.f1d0b6d9a42d7p-6};
};

// erfc(a + a_lo) = mant * 2^expo for 0 <= a <= a_max, |a_lo| <= ulp(a)
// (a_lo = 0 unless with_lo); mant in about [2^-6, 1.5]. Two roundings reach
// the result in full (P(t) and the final fma): a + k, 1/(a + k), t, P(t) rd,
// a^2 and e^r are carried exactly or corrected to first order, a_lo with them.
template <bool with_lo, class B>
inline B erfc_abs_split(B a, B a_lo, B& expo) {
  using T = typename B::value_type;
  using C = erfc_consts<T>;
  B d_lo;
  B d = two_sum(a, B(C::k), d_lo);  // a + k = d + d_lo
  B rd = divide(B(T(1)), d);        // correctly rounded (reciprocal_residual relies on it)
  if constexpr (with_lo) d_lo = d_lo + a_lo;
  B eps = math::fma(-rd, d_lo, reciprocal_residual(rd, d));  // 1/(a + a_lo + k) = rd (1 + eps)
  // t + t_lo = (a - k)/(a + k) = q (1 + eps) - 1 with q = 2 a rd = q + q_lo:
  // t = q - 1 (Fast2Sum: exact residual for q < 1, exact itself for q >= 1)
  B q_lo;
  B q = two_prod(a + a, rd, q_lo);
  B t = q - B(T(1));
  B t_lo = ((B(T(-1)) - t) + q) + math::fma(q, eps, q_lo);
  if constexpr (with_lo) t_lo = math::fma(a_lo + a_lo, rd, t_lo);  // t = 2 (a + a_lo) rd (1 + eps) - 1
  // P(t) = p + p_lo: the last Horner step c0 + t acc exact (two_prod, two_sum)
  B p, p_lo;
  if constexpr (std::is_same<T, double>::value) {
    B acc2 = horner_from<2>(t, C::p);
    B w1_lo;
    B w1 = two_prod(acc2, t, w1_lo);
    B s_lo;
    B s = two_sum(B(C::p[1]), w1, s_lo);
    s_lo = s_lo + w1_lo;
    B w_lo;
    B w = two_prod(s, t, w_lo);
    p = two_sum(B(C::p[0]), w, p_lo);
    p_lo = p_lo + math::fma(s_lo, t, w_lo);
  } else {
    B acc = horner_from<1>(t, C::p);
    B w_lo;
    B w = two_prod(acc, t, w_lo);
    p = two_sum(B(C::p[0]), w, p_lo);
    p_lo = p_lo + w_lo;
  }
  B x_lo;
  B x = two_prod(p, rd, x_lo);  // P(t) rd = x + x_lo
  x_lo = math::fma(p_lo, rd, x_lo);
  // P(t + t_lo) = P(t) (1 + t_lo P'(t)/P(t)): t's rounding, magnified by
  // P'/P (up to 1.8) and otherwise the largest error left near a = 0
  x_lo = math::fma(x, horner(t, C::dlog_p) * t_lo, x_lo);
  B sq_lo;
  B sq = two_prod(a, a, sq_lo);  // a^2 = sq + sq_lo
  B r_lo;
  B r = exp_reduce(-sq, expo, r_lo);  // -sq = expo ln2 + r + r_lo
  r = r + (r_lo - sq_lo);
  if constexpr (with_lo) r = math::fma(-(a + a), a_lo, r);  // -(a + a_lo)^2 = -a^2 - 2 a a_lo
  // e^r = e + e_lo: 1 + (r + r^2 Q(r)) with the sum kept exact (Fast2Sum)
  B v = math::fma(r * r, horner(r, exp_consts<T>::q), r);
  B e = B(T(1)) + v;
  B e_lo = (B(T(1)) - e) + v;
  // (e + e_lo) (x + x_lo) (1 + eps), first order
  return fma_exact_product(e, x, math::fma(e_lo, x, e * math::fma(x, eps, x_lo)));
}

// erfc_split for |z| and its part below the rounding: both signs share it.
template <bool with_lo, class B>
inline B erfc_split_impl(B z, B z_lo, B& expo) {
  using T = typename B::value_type;
  using C = erfc_consts<T>;
  constexpr T inf = std::numeric_limits<T>::infinity();
  B a = xsimd::min(B(C::split_max), xsimd::abs(z));
  B a_lo = z_lo;
  if constexpr (with_lo) {
    // a = |z|: a_lo = +-z_lo; 0 where clamped (and at infinities)
    a_lo = xsimd::select(xsimd::abs(z) < B(C::split_max), z_lo ^ xsimd::bitofsign(z), B(T(0)));
  }
  B k;
  B m = erfc_abs_split<with_lo>(a, a_lo, k);
  // erfc|z| < 2^-55 does not change 2 - erfc|z|: one normal scaling, and no
  // subnormal intermediate (a microcode assist on x86 without AVX-512)
  B two_minus = B(T(2)) - scale_normal(m, xsimd::max(k, B(T(-60))));
  auto nonnegative = z >= B(T(0));  // false for NaN: expo 0, mant NaN
  expo = xsimd::select(nonnegative, k, B(T(0)));
  m = xsimd::select(nonnegative, m, two_minus);
  return xsimd::select(z == B(inf), B(T(0)), m);
}

// erfc_split(z, expo): erfc z = mant * 2^expo; z >= 0: e^r P(t) / (z + k) (mant in about [2^-6, 1.5]),
// z < 0: expo = 0, mant = 2 - erfc|z| in [1, 2]; +inf: mant 0; -inf: 2; NaN: NaN (expo 0).
// Max error of ldexp(mant, expo): as erfc.
template <class B>
inline B erfc_split(B z, B& expo) {
  return erfc_split_impl<false>(z, B(typename B::value_type(0)), expo);
}

// erfc_split(z, z_lo, expo): erfc(z + z_lo) for an argument carried as z + z_lo, |z_lo| <= ulp(z)
// (a scaled input's rounding, which erfc magnifies by ~2 z^2): z_lo enters e^-z^2 exactly, the rest
// to first order. Max error: float 1.50 ULP at 0.550 (sse2 1.59), double 1.55 at 25.31 (sse2 1.94).
template <class B>
inline B erfc_split(B z, B z_lo, B& expo) {
  return erfc_split_impl<true>(z, z_lo, expo);
}

// erfc(z) over the real line: the underflow to 0 from z ~ 10.05 (float) / 26.55 (double) is gradual,
// erfc(-inf) = 2, erfc(+inf) = 0, NaN -> NaN.
// Max error (tools/math_ulp): float 1.34 ULP at 0.540 (sse2 1.50), double 1.57 ULP at 26.25 (sse2 1.68).
template <class B>
inline B erfc(B z) {
  using T = typename B::value_type;
  using C = erfc_consts<T>;
  auto negative = z < B(T(0));
  // z < -6: 2 - erfc|z| = 2 already; capping |z| there keeps e normal (a
  // subnormal product costs a microcode assist on x86 without AVX-512)
  B a = xsimd::min(xsimd::select(negative, B(T(6)), B(C::value_max)), xsimd::abs(z));
  B k;
  B e = scale_wide(erfc_abs_split<false>(a, B(T(0)), k), k);
  return xsimd::select(negative, B(T(2)) - e, e);
}

}  // namespace math
SIMDACT_KERNELS_END
