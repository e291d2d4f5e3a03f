// The exponential family: exp, exp_split, mul_exp, expm1. One reduction for
// all: x = n ln2 + r, |r| <= ln2/2 (Cody-Waite, ln2 in two parts, the first
// with trailing zeros so n ln2_hi is exact even without FMA), then
// e^r = 1 + r + r^2 Q(r) with Q from tools/sollya/exp.sollya.
#pragma once

#include "kernels/namespace.hpp"

#include <cstddef>
#include <limits>
#include <type_traits>

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
  static constexpr float exp_cap = 88.0f;       // e^88 < 2^127
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
  static constexpr double exp_cap = 709.0;       // e^709 < 2^1023
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

#if defined(__AVX512F__)
// The AVX-512 exponential: a table of 2^(j/N) in registers (vpermt2ps/pd) leaves a reduced argument
// 32 (float) / 16 (double) times smaller than ln2/2, so the polynomial is degree 3 / 7 instead of 6 / 11.
template <class T>
struct exp_lut_consts;

template <>
struct exp_lut_consts<float> {
  static constexpr float magic = 0x1.8p18f;  // x log2e + magic rounds x log2e to a multiple of 1/32
  static constexpr float ln2_hi = 0x1.62e43p-1f;
  static constexpr float ln2_lo = -0x1.05c61p-29f;
  // tools/sollya/exp_lut.sollya: e^t = 1 + t P(t), P deg 2, |t| <= ln2/64: P vs (e^t - 1)/t 2^-26.1
  static constexpr float p[] = {0x1p0f, 0x1.00007cp-1f, 0x1.55559cp-3f};
  static constexpr float table[] = {
      0x1p0f,        0x1.059b0ep0f, 0x1.0b5586p0f, 0x1.11301ep0f, 0x1.172b84p0f, 0x1.1d4874p0f, 0x1.2387a6p0f,
      0x1.29e9ep0f,  0x1.306fep0f,  0x1.371a74p0f, 0x1.3dea64p0f, 0x1.44e086p0f, 0x1.4bfdaep0f, 0x1.5342b6p0f,
      0x1.5ab07ep0f, 0x1.6247ecp0f, 0x1.6a09e6p0f, 0x1.71f75ep0f, 0x1.7a1148p0f, 0x1.82589ap0f, 0x1.8ace54p0f,
      0x1.93737cp0f, 0x1.9c4918p0f, 0x1.a5503cp0f, 0x1.ae89fap0f, 0x1.b7f77p0f,  0x1.c199bep0f, 0x1.cb720ep0f,
      0x1.d5818ep0f, 0x1.dfc974p0f, 0x1.ea4afap0f, 0x1.f50766p0f};
  static constexpr float table_rlo[] = {0.0f,
                                        -0x1.947414p-25f,
                                        0x1.8d96d4p-25f,
                                        -0x1.dda2fcp-25f,
                                        -0x1.9c0c22p-27f,
                                        -0x1.a2fbb2p-25f,
                                        0x1.964904p-25f,
                                        -0x1.2b0dbcp-25f,
                                        0x1.125002p-25f,
                                        -0x1.cde8cep-26f,
                                        0x1.370be4p-25f,
                                        0x1.336de2p-30f,
                                        -0x1.0a355p-25f,
                                        -0x1.c541b4p-26f,
                                        -0x1.00d8acp-27f,
                                        -0x1.6cb284p-25f,
                                        0x1.26055cp-26f,
                                        0x1.8b2bb8p-26f,
                                        -0x1.05cb44p-25f,
                                        -0x1.1c2142p-26f,
                                        0x1.67a1cap-28f,
                                        -0x1.348e56p-25f,
                                        0x1.a3b5e4p-28f,
                                        -0x1.0b7ec8p-25f,
                                        -0x1.f9c304p-27f,
                                        -0x1.e4c886p-26f,
                                        -0x1.6961b4p-28f,
                                        -0x1.b5151ep-28f,
                                        -0x1.a5217cp-28f,
                                        -0x1.ab7132p-26f,
                                        0x1.61428ep-28f,
                                        -0x1.2ad5f8p-27f};
};

template <>
struct exp_lut_consts<double> {
  static constexpr double magic = 0x1.8p48;  // multiples of 1/16
  static constexpr double ln2_hi = 0x1.62e42fefa39efp-1;
  static constexpr double ln2_lo = 0x1.abc9e3b39803fp-56;
  // tools/sollya/exp_lut.sollya: e^t = 1 + t P(t), P deg 6, |t| <= ln2/32: P vs (e^t - 1)/t 2^-59.7
  static constexpr double p[] = {0x1p0,
                                 0x1.0000000000003p-1,
                                 0x1.5555555555553p-3,
                                 0x1.55555554a08e1p-5,
                                 0x1.1111111122d01p-7,
                                 0x1.6c1828b60b49p-10,
                                 0x1.a01aaed32485cp-13};
  static constexpr double table[] = {0x1p0,
                                     0x1.0b5586cf9890fp0,
                                     0x1.172b83c7d517bp0,
                                     0x1.2387a6e756238p0,
                                     0x1.306fe0a31b715p0,
                                     0x1.3dea64c123422p0,
                                     0x1.4bfdad5362a27p0,
                                     0x1.5ab07dd485429p0,
                                     0x1.6a09e667f3bcdp0,
                                     0x1.7a11473eb0187p0,
                                     0x1.8ace5422aa0dbp0,
                                     0x1.9c49182a3f09p0,
                                     0x1.ae89f995ad3adp0,
                                     0x1.c199bdd85529cp0,
                                     0x1.d5818dcfba487p0,
                                     0x1.ea4afa2a490dap0};
  static constexpr double table_rlo[] = {0.0,
                                         0x1.79aa65d837b6dp-54,
                                         -0x1.01b15eaa59348p-55,
                                         0x1.68efde3a8a894p-54,
                                         0x1.34d754db0abb6p-55,
                                         0x1.59f48a72a4c6dp-55,
                                         0x1.690cebb7aafbp-56,
                                         0x1.063e1e21c5409p-54,
                                         -0x1.3b3efbf5e2228p-54,
                                         -0x1.b32dcb94da51dp-56,
                                         0x1.db72fc1f0eab4p-55,
                                         0x1.1affc2b91ce27p-56,
                                         0x1.c1a7792cb3387p-55,
                                         0x1.36eae30af0cb3p-56,
                                         0x1.4a385a63d07a7p-56,
                                         -0x1.ff7128fd391fp-55};
};

// table[j mod N] for the low bits j of v's representation (vpermt2 reads only those).
template <class T, class A, std::size_t N>
inline xsimd::batch<T, A> exp_lut_lookup(xsimd::batch<T, A> v, const T (&table)[N]) {
  if constexpr (std::is_same<T, float>::value) {
    const __m512 lo = _mm512_loadu_ps(table), hi = _mm512_loadu_ps(table + 16);
    return _mm512_permutex2var_ps(lo, _mm512_castps_si512(v), hi);
  } else {
    const __m512d lo = _mm512_loadu_pd(table), hi = _mm512_loadu_pd(table + 8);
    return _mm512_permutex2var_pd(lo, _mm512_castpd_si512(v), hi);
  }
}

// K x = n ln2 + K t, n a multiple of 1/N, |K t| <= ln2/(2N); v holds j = N n mod N in its low bits.
// K = 2 folds a doubling of the argument into the (exactly halved or doubled) constants.
template <int K = 1, class B>
inline B exp_lut_reduce(B x, B& n, B& v) {
  using T = typename B::value_type;
  using C = exp_lut_consts<T>;
  const B magic(C::magic);
  v = math::fma(x, B(T(K) * exp_consts<T>::log2e), magic);
  n = v - magic;
  B t = math::fma(n, B(-C::ln2_hi / T(K)), x);
  return math::fma(n, B(-C::ln2_lo / T(K)), t);
}

// The coefficients of K P(K t), so that e^(K t) - 1 = t (K P(K t)) (K a power of two: exact).
template <class T, int K>
struct exp_lut_scaled_p {
  static constexpr std::size_t size = sizeof(exp_lut_consts<T>::p) / sizeof(T);
  T c[size] = {};
  constexpr exp_lut_scaled_p() {
    T f = T(K);
    for (std::size_t i = 0; i < size; ++i, f *= T(K)) c[i] = exp_lut_consts<T>::p[i] * f;
  }
};
#endif

// e^x = mant * 2^floor(n) for finite |x| <= split_bound (or NaN): mant in [0.7, 2.1], n a multiple of
// 1/32 (float) / 1/16 (double) on AVX-512 (table-driven), integer-valued elsewhere (exp_reduce).
// Error of mant: as exp (below), which is this scaled once.
template <class B>
inline B exp_mant(B x, B& n) {
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) {
    using C = exp_lut_consts<typename B::value_type>;
    B v;
    B t = exp_lut_reduce(x, n, v);
    B l = exp_lut_lookup(v, C::table);
    B q = horner(t, C::p);
    return math::fma(l * t, q, l);  // l (1 + t P(t))
  }
#endif
  return exp_reduced(exp_reduce(x, n));
}

// e^(x + x_lo) = mant * 2^floor(n) for a small correction x_lo (|x_lo| <= 2^-8, the rounding error
// of a product that gave x): as exp_mant(x, n), x_lo added to the reduced argument.
template <class B>
inline B exp_mant(B x, B x_lo, B& n) {
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) {
    using C = exp_lut_consts<typename B::value_type>;
    B v;
    B t = exp_lut_reduce(x, n, v) + x_lo;
    B l = exp_lut_lookup(v, C::table);
    return math::fma(l * t, horner(t, C::p), l);
  }
#endif
  B r_lo;
  B r_hi = exp_reduce(x, n, r_lo);
  return exp_reduced(r_hi + (r_lo + x_lo));
}

// y * 2^floor(n) for the n of exp_mant (integer-valued off AVX-512): one rounding, also into the
// subnormals, for |floor(n)| up to 2 bias - 2 where y 2^(n/2) stays normal.
template <class B>
inline B scale_mant(B y, B n) {
  return scale_wide(y, n);
}

// exp(x) = e^r 2^n, e^r = 1 + r (1 + r Q(r)) (degree 6 / 11), 2^n in two exact halves; on AVX-512
// 2^floor(n) l_j (1 + t P(t)) (degree 3 / 7) with a 32 / 16-entry register table and vscalef.
// Whole range: overflow -> +inf, gradual underflow to subnormals and 0, exp(-inf) = 0, NaN -> NaN.
// Max error (tools/math_ulp): float 1.01 ULP at 70.08 (avx2 0.90, sse2 1.17), double 1.03 ULP at 320.9
// (avx2 0.88, sse2 1.16).
template <class B>
inline B exp(B x) {
  using C = exp_consts<typename B::value_type>;
  B n;
  B m = exp_mant(clamp(x, B(C::exp_lo), B(C::exp_hi)), n);
  return scale_mant(m, n);
}

// exp_capped(x) = e^min(x, cap), cap = 88 (float) / 709 (double): never inf (e^cap (1 + e^cap) is
// finite), for callers whose result saturates before e^x overflows. Gradual underflow, NaN -> NaN.
// Max error: as exp.
template <class B>
inline B exp_capped(B x) {
  using T = typename B::value_type;
  using C = exp_consts<T>;
  B n;
  B m = exp_mant(clamp(x, B(C::exp_lo), B(C::exp_cap)), n);
  return scale_mant(m, n);
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

#if defined(__AVX512F__)
// 1 - e^z = -expm1(z) for z in [-100, 0] (or NaN), AVX-512 only: with s = 2^floor(n) l_hi (exact),
// 1 - e^z = (1 - s) - s (t P(t) + l_lo / l_hi); 1 - s is exact where it cancels (s >= 1/2), and
// the table's lost bits l_lo enter below it (as a relative table, sparing a second vscalef). Near 0
// (n = 0) it is -t P(t), t = z: no cancellation. Also returns e^z = s + s (t P(t) + l_lo / l_hi) in e.
// Max error (AVX-512, through elu, tools/exhaustive 1-in-32; double: 2M random points in [-1, 0]):
// float 1.87 ULP at -0.0137, double 1.67 ULP at -0.0280.
// one_minus_exp_lut<2>(h, e) is 1 - e^2h (for tanh), the doubling folded into the constants.
template <int K = 1, class B>
inline B one_minus_exp_lut(B z, B& e) {
  using T = typename B::value_type;
  using C = exp_lut_consts<T>;
  static constexpr exp_lut_scaled_p<T, K> q;
  B n, v;
  B t = exp_lut_reduce<K>(z, n, v);
  B s = scalef(exp_lut_lookup(v, C::table), n);
  B w = s * math::fma(t, horner(t, q.c), exp_lut_lookup(v, C::table_rlo));  // s (t P(t) + l_lo / l_hi)
  e = s + w;
  return (B(T(1)) - s) - w;
}
#endif

// c * expm1(x) for x <= 0 or NaN (above 0: unspecified, maybe inf or NaN), for kernels that
// select something else there: on AVX-512 -c (1 - e^x) from the table (accurate near 0; -0 kept
// for c > 0), c * math::expm1(x) elsewhere. Max error: one_minus_exp_lut's (float 1.87 ULP) plus the
// product's rounding on AVX-512 (elu, c = 1: 1.87 ULP; selu: 2.13 ULP); as expm1 elsewhere.
template <class B>
inline B expm1_nonpositive_times(B x, B c) {
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) {
    B e;
    return -c * one_minus_exp_lut(xsimd::max(B(exp_consts<typename B::value_type>::expm1_lo), x), e);
  }
#endif
  return c * math::expm1(x);
}

}  // namespace math
SIMDACT_KERNELS_END
