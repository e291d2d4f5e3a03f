// The exponential family: exp, exp_split, mul_exp, expm1 and the variants the kernels need (exp_nonpositive,
// exp_scaled, expm1_negative, expm1_times_where, exp2_neg_product). One reduction for all: x = n ln2 + r,
// |r| <= ln2/2 (Cody-Waite, ln2 in two parts, the first with trailing zeros so n ln2_hi is exact even
// without FMA), then e^r = 1 + r + r^2 Q(r) with Q from tools/sollya/exp.sollya; on AVX-512 a 32 / 16-entry
// register table of 2^(j/N) (tools/sollya/exp_lut.sollya), on AVX2 an 8-entry one for float
// (tools/sollya/exp_lut8.sollya); base 2 where the exponent is a product (tools/sollya/exp2.sollya).
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

// Masked AVX-512 steps that spare the kernels a select: k ? b * c : a, k ? a * b : a, and
// k ? a * 2^floor(n) : a.
template <class T, class A>
inline xsimd::batch<T, A> mul_where(xsimd::batch_bool<T, A> k, xsimd::batch<T, A> a, xsimd::batch<T, A> b,
                                    xsimd::batch<T, A> c) {
  if constexpr (std::is_same<T, float>::value)
    return _mm512_mask_mul_ps(a, k, b, c);
  else
    return _mm512_mask_mul_pd(a, k, b, c);
}
template <class T, class A>
inline xsimd::batch<T, A> mul_where(xsimd::batch_bool<T, A> k, xsimd::batch<T, A> a, xsimd::batch<T, A> b) {
  return mul_where(k, a, a, b);
}
template <class T, class A>
inline xsimd::batch<T, A> scalef_where(xsimd::batch_bool<T, A> k, xsimd::batch<T, A> a, xsimd::batch<T, A> n) {
  if constexpr (std::is_same<T, float>::value)
    return _mm512_mask_scalef_ps(a, k, a, n);
  else
    return _mm512_mask_scalef_pd(a, k, a, n);
}
// min(|x|, c) for c >= 0 in one vrangeps (AVX512DQ). NaN x gives c, not NaN: callers carry NaN elsewhere.
template <class T, class A>
inline xsimd::batch<T, A> abs_min(xsimd::batch<T, A> x, xsimd::batch<T, A> c) {
  constexpr int absolute_min_clear_sign = 0x0A;
  if constexpr (std::is_same<T, float>::value)
    return _mm512_range_ps(x, c, absolute_min_clear_sign);
  else
    return _mm512_range_pd(x, c, absolute_min_clear_sign);
}

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

#if defined(__AVX2__)
// The AVX2 float exponential: an eight-entry table of 2^(j/8) in one register (_mm256_permutevar8x32),
// scaled by adding floor(n) to the entry's exponent field, leaves |t| <= ln2/16 and a degree-4 e^t (the
// AVX-512 table's counterpart where a register holds 8 floats). Double keeps the table-free path.
// Measured (Zen 4, 1 thread, 4096 floats, against the table-free kernels): elu 0.76x, sigmoid 0.83x time.
struct exp_lut8_consts {
  static constexpr float magic = 0x1.8p20f;  // x log2e + magic rounds x log2e to a multiple of 1/8
  static constexpr float ln2_hi = 0x1.62e43p-1f;
  static constexpr float ln2_lo = -0x1.05c61p-29f;
  // tools/sollya/exp_lut8.sollya: e^t = 1 + t P(t), P deg 3, |t| <= ln2/16 + 2^-16: P vs (e^t - 1)/t 2^-27.5
  static constexpr float p[] = {0x1p0f, 0x1p-1f, 0x1.555c2cp-3f, 0x1.5558d8p-5f};
  static constexpr float table[] = {0x1p0f,        0x1.172b84p0f, 0x1.306fep0f,  0x1.4bfdaep0f,
                                    0x1.6a09e6p0f, 0x1.8ace54p0f, 0x1.ae89fap0f, 0x1.d5818ep0f};
  static constexpr float table_rlo[] = {0.0f,
                                        -0x1.9c0c22p-27f,
                                        0x1.125002p-25f,
                                        -0x1.0a355p-25f,
                                        0x1.26055cp-26f,
                                        0x1.67a1cap-28f,
                                        -0x1.f9c304p-27f,
                                        -0x1.a5217cp-28f};
};

template <class A>
inline constexpr bool has_lut8_v = std::is_base_of<xsimd::avx2, A>::value && !has_scalef_v<A>;

// table[j] for the low three bits j of v's representation, the table held in a register.
template <class A>
inline xsimd::batch<float, A> exp_lut8_lookup(xsimd::batch<float, A> v, xsimd::batch<float, A> table) {
  return _mm256_permutevar8x32_ps(table, _mm256_castps_si256(v));
}

// l_j 2^(floor(n) + k) for v = x log2e + magic (its representation holds 8 n in the low bits, j = 8 n mod 8):
// v << 20 puts floor(n) in the exponent field and j just below it, which the entries, lowered by j << 20,
// cancel. The exponent field must stay in [1, 254]: floor(n) + k in [-126, 127].
template <class A>
inline xsimd::batch<float, A> exp_lut8_scale(xsimd::batch<float, A> v, int k) {
  const __m256i j_bits = _mm256_setr_epi32(0, 1 << 20, 2 << 20, 3 << 20, 4 << 20, 5 << 20, 6 << 20, 7 << 20);
  const __m256i entries = _mm256_sub_epi32(
      _mm256_add_epi32(_mm256_castps_si256(_mm256_loadu_ps(exp_lut8_consts::table)), _mm256_set1_epi32(k << 23)),
      j_bits);
  const __m256i vi = _mm256_castps_si256(v);
  return _mm256_castsi256_ps(_mm256_add_epi32(_mm256_permutevar8x32_epi32(entries, vi), _mm256_slli_epi32(vi, 20)));
}

// e^z 2^k, one rounding, for finite z with floor(z log2e) + k in [-126, 127] (NaN: NaN, carried by t).
template <class A>
inline xsimd::batch<float, A> exp_lut8_times_pow2(xsimd::batch<float, A> z, int k) {
  using B = xsimd::batch<float, A>;
  using L = exp_lut8_consts;
  B v = math::fma(z, B(exp_consts<float>::log2e), B(L::magic));
  B n = v - B(L::magic);
  B t = math::fma(n, B(-L::ln2_hi), z);
  t = math::fma(n, B(-L::ln2_lo), t);
  B s = exp_lut8_scale(v, k);
  return math::fma(s * t, horner(t, L::p), s);
}
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

// Base 2, for exponents that arrive as a product: 2^f = 1 + f Q(f), Q from tools/sollya/exp2.sollya, on
// |f| <= 1/2 (no table) or |f| <= 1/64 (float) / 1/32 (double) next to the AVX-512 table 2^(j/N).
template <class T>
struct exp2_consts;

template <>
struct exp2_consts<float> {
  // float Q deg 5 vs (2^f - 1)/f: max relative error 2^-26.1 on |f| <= 1/2 + 2^-10
  static constexpr float q[] = {0x1.62e43p-1f,  0x1.ebfbdep-3f,  0x1.c6af9cp-5f,
                                0x1.3b2c56p-7f, 0x1.5ef62ap-10f, 0x1.427c86p-13f};
  // with the 32-entry AVX-512 table: float Q deg 2, 2^-26.0 on |f| <= 1/64 + 2^-20
  static constexpr float q_lut[] = {0x1.62e43p-1f, 0x1.ebfcccp-3f, 0x1.c69b14p-5f};
};

template <>
struct exp2_consts<double> {
  // double Q deg 10: 2^-54.3 on |f| <= 1/2 + 2^-10
  static constexpr double q[] = {0x1.62e42fefa39efp-1,  0x1.ebfbdff82c598p-3,  0x1.c6b08d704a1aap-5,
                                 0x1.3b2ab6fba1e94p-7,  0x1.5d87fe7880e07p-10, 0x1.4309130957aebp-13,
                                 0x1.ffcbfcfdcad83p-17, 0x1.62bfd49509d5p-20,  0x1.b523e4f961bc8p-24,
                                 0x1.e6063ee8d76ap-28,  0x1.eb4cc687d5833p-32};
  // with the 16-entry AVX-512 table: double Q deg 6, 2^-54.7 on |f| <= 1/32 + 2^-40
  static constexpr double q_lut[] = {0x1.62e42fefa39efp-1, 0x1.ebfbdff82c594p-3, 0x1.c6b08d7050badp-5,
                                     0x1.3b2ab6fb03675p-7, 0x1.5d87f7c9c604p-10, 0x1.430a4de03e216p-13,
                                     0x1.03b813beaf4fcp-16};
};

// 2^-(a (p + p_lo)) = mant * 2^floor(n) for a p >= 0 below 2^16 (float) / 2^46 (double) and a small
// correction |a p_lo| <= 2^-8 (NaN: NaN): the product a p enters exactly (one fused operation, or an
// error-free product without FMA), so a caller that carries p to twice T's precision gets 2^-y to within
// the polynomial's error however large y is. n: a multiple of 1/32 (float) / 1/16 (double) on AVX-512,
// where mant = l_j 2^f in [1, 2.03) from exp_lut_consts' tables (the entry and its rounding error);
// integer-valued elsewhere, mant = 2^f in [0.7, 1.42]. Scale with scale_mant / scale_normal / scalef (all
// use floor(n)). Error of mant: one rounding plus 2^-26 relative.
template <class B>
inline B exp2_neg_product(B a, B p, B p_lo, B& n) {
  using T = typename B::value_type;
  using Q = exp2_consts<T>;
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) {
    using C = exp_lut_consts<T>;
    B w = fnmadd(a, p, B(C::magic));  // -a p rounded to a multiple of 1/N, j in its low bits
    n = w - B(C::magic);
    B f = fnmsub(a, p, n);  // -a p - n, |f| <= 1/(2N): exact but for one rounding
    f = fnmadd(a, p_lo, f);
    B l = exp_lut_lookup(w, C::table);
    // l (1 + l_lo/l + f Q(f)): the table's rounding (half an ULP of mant) enters too
    return math::fma(l, math::fma(f, horner(f, Q::q_lut), exp_lut_lookup(w, C::table_rlo)), l);
  }
#endif
  const B shifter(fp_bits<T>::shifter);
  n = fnmadd(a, p, shifter) - shifter;  // two roundings without FMA: |f| <= 1/2 + ulp
  B f;
  if constexpr (has_fma_v<typename B::arch_type>) {
    f = fnmsub(a, p, n);
  } else {
    B ap_lo;
    B ap = math::two_prod(a, p, ap_lo);
    f = ((-n) - ap) - ap_lo;  // -n - ap is exact (Sterbenz: n = -ap rounded)
  }
  f = fnmadd(a, p_lo, f);
  return math::fma(f, horner(f, Q::q), B(T(1)));
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

// 2^(n + k) for integer-valued n and a constant integer k with a normal result (-bias < n + k <= bias):
// scale.hpp's pow2 with k folded into its one addition (n + k + bias lands in the low mantissa bits of
// n + (shifter + bias + k), which the shift moves into the exponent field).
template <class B>
inline B pow2_plus(B n, typename B::value_type k) {
  using T = typename B::value_type;
  using I = xsimd::batch<typename fp_bits<T>::integer, typename B::arch_type>;
  B t = n + B(fp_bits<T>::shifter + T(fp_bits<T>::bias) + k);
  return xsimd::bitwise_cast<B>(xsimd::bitwise_cast<I>(t) << fp_bits<T>::mantissa);
}

// exp_scaled(x) = e^x * F, F = exp_scaled_factor<T, A>, for x clamped to [exp_lo, 30] (float) /
// [exp_lo, 40] (double), NaN kept: for callers that divide it by F + itself (sigmoid; above the cap e^x
// is far beyond 1/eps). Off AVX-512, F = 2^25 / 2^60 keeps the scaling one normal power of two,
// 2^(n + 25) with n + 25 in [-125, 69] (double: 2^(n + 60), [-1016, 118]) instead of scale_wide's two,
// and the caller's division rounds once even where e^x is subnormal; on AVX-512, F = 1 (vscalef).
// Max error: as exp.
template <class T, class A>
inline constexpr T exp_scaled_factor = has_scalef_v<A>              ? T(1)
                                       : sizeof(T) == sizeof(float) ? T(0x1p25)
                                                                    : T(0x1p60);

template <class B>
inline B exp_scaled(B x) {
  using T = typename B::value_type;
  using C = exp_consts<T>;
  constexpr T hi = sizeof(T) == sizeof(float) ? T(30) : T(40);
  B z = clamp(x, B(C::exp_lo), B(hi));
#if defined(__AVX2__)
  if constexpr (std::is_same<T, float>::value && has_lut8_v<typename B::arch_type>)
    return exp_lut8_times_pow2(z, 25);  // floor(n) + 25 in [-125, 69]
#endif
  B n;
  B m = exp_mant(z, n);
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) return scalef(m, n);
#endif
  return m * pow2_plus(n, sizeof(T) == sizeof(float) ? T(25) : T(60));
}

// exp_nonpositive(x) = e^x for x <= 0 or NaN, gradual underflow, exp(-inf) = 0; above 0 unspecified (a
// caller selects something else there): exp without the clamp at the top, and off AVX-512 with one power
// of two 2^(n + k) (n + k normal for n >= -150 / -1077) and a final exact 2^-k (rounding only into the
// subnormals) instead of scale_wide's halves; AVX2 float: the eight-entry table (exp_lut8_times_pow2).
// Max error: as exp.
template <class B>
inline B exp_nonpositive(B x) {
  using T = typename B::value_type;
  using C = exp_consts<T>;
  constexpr int k = sizeof(T) == sizeof(float) ? 25 : 60;
  const B z = xsimd::max(B(C::exp_lo), x);  // NaN kept (x86 max returns its second operand)
#if defined(__AVX2__)
  if constexpr (std::is_same<T, float>::value && has_lut8_v<typename B::arch_type>)
    return exp_lut8_times_pow2(z, k) * B(T(1) / T(1ull << k));  // floor(n) + 25 in [-126, 25]
#endif
  B n;
  B m = exp_mant(z, n);
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) return scalef(m, n);
#endif
  return (m * pow2_plus(n, T(k))) * B(T(1) / T(1ull << k));
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

#if defined(__AVX512F__)
// table[j mod N] from a table held in two registers (lo: entries 0 to N/2 - 1).
template <class T, class A>
inline xsimd::batch<T, A> exp_lut_lookup(xsimd::batch<T, A> v, xsimd::batch<T, A> lo, xsimd::batch<T, A> hi) {
  if constexpr (std::is_same<T, float>::value)
    return _mm512_permutex2var_ps(lo, _mm512_castps_si512(v), hi);
  else
    return _mm512_permutex2var_pd(lo, _mm512_castpd_si512(v), hi);
}
#endif

// expm1(x) for x < 0 or NaN (elsewhere unspecified): math::expm1 without the clamp at the top and the
// select that keeps -0 and tiny x (for x < 0 the formula gives x + x^2 Q(x), rounded, near 0). Max error:
// as expm1.
template <class B>
inline B expm1_negative(B x) {
  using T = typename B::value_type;
  using C = exp_consts<T>;
  B n, r_lo;
  B r_hi = exp_reduce(xsimd::max(B(C::expm1_lo), x), n, r_lo);  // NaN kept
  B r = r_hi + r_lo;
  B tail = math::fma(r * r, horner(r, C::q), r_lo);
  B h = pow2_plus(n, T(-1));
  B y = math::fma(h, tail, math::fma(h, r_hi, h - B(T(0.5))));
  return y + y;
}

// k ? c (e^x - 1) : other, for x < 0 or NaN where k is set (elsewhere unspecified), c any finite value.
// On AVX-512 (the table, AVX-512F/DQ masks): with s = 2^floor(n) l_hi (exact) and x = n ln2 + t,
// c (e^x - 1) = -c (1 - s) + s (t c P(t) + c l_lo/l_hi): 1 - s is exact where it cancels (s >= 1/2) and
// the fused last step rounds once; c enters the polynomial's coefficients and the table of l_lo/l_hi
// (both scaled once per call, outside a caller's loop), so no product rounds after the sum, and
// the masked steps replace the select. Float reduces with one ln2 (its error n 2^-29 stays below 2^-28
// relative to e^x - 1), double with two. Below -30 (float) / -40 (double): -c. Elsewhere c *
// expm1_negative(x), selected.
// Max error (tools/exhaustive, every float, elu alpha = 1 and selu): see kernels/elu.hpp, kernels/selu.hpp.
template <class B>
inline B expm1_times_where(typename B::batch_bool_type k, B x, B c, B other) {
#if defined(__AVX512F__)
  if constexpr (has_scalef_v<typename B::arch_type>) {
    using T = typename B::value_type;
    using C = exp_lut_consts<T>;
    constexpr std::size_t half = sizeof(C::table) / sizeof(T) / 2;
    B z = xsimd::max(B(exp_consts<T>::expm1_lo), x);
    B v = math::fma(z, B(exp_consts<T>::log2e), B(C::magic));
    B n = v - B(C::magic);
    B t = math::fma(n, B(-C::ln2_hi), z);
    if constexpr (std::is_same<T, double>::value) t = math::fma(n, B(-C::ln2_lo), t);
    B s = scalef(exp_lut_lookup(v, C::table), n);
    B lo_c = c * B::load_unaligned(C::table_rlo), hi_c = c * B::load_unaligned(C::table_rlo + half);
    constexpr std::size_t degree = sizeof(C::p) / sizeof(T) - 1;
    B q = c * B(C::p[degree]);
    for (std::size_t i = degree; i-- > 0;) q = math::fma(q, t, c * B(C::p[i]));
    B w = mul_where(k, other, s, math::fma(t, q, exp_lut_lookup(v, lo_c, hi_c)));  // k: s (t c P + c l_lo/l_hi)
    if constexpr (std::is_same<T, float>::value)
      return _mm512_mask3_fnmadd_ps(c, B(T(1)) - s, w, k);
    else
      return _mm512_mask3_fnmadd_pd(c, B(T(1)) - s, w, k);
  }
#endif
#if defined(__AVX2__)
  if constexpr (std::is_same<typename B::value_type, float>::value && has_lut8_v<typename B::arch_type>) {
    // as on AVX-512 with the eight-entry table: s = l_j 2^floor(n) exact, c (e^x - 1) = -c (1 - s) +
    // s (t c P(t) + c l_lo/l_hi)
    using L = exp_lut8_consts;
    B z = xsimd::max(B(exp_consts<float>::expm1_lo), x);
    B v = math::fma(z, B(exp_consts<float>::log2e), B(L::magic));
    B n = v - B(L::magic);
    B t = math::fma(n, B(-L::ln2_hi), z);
    B s = exp_lut8_scale(v, 0);  // floor(n) in [-44, 0]
    B q = c * B(L::p[3]);
    for (std::size_t i = 3; i-- > 0;) q = math::fma(q, t, c * B(L::p[i]));
    B w = s * math::fma(t, q, exp_lut8_lookup(v, c * B::load_unaligned(L::table_rlo)));  // c l_lo/l_hi
    return xsimd::select(k, fnmadd(c, B(1.0f) - s, w), other);
  }
#endif
  return xsimd::select(k, c * expm1_negative(x), other);
}

}  // namespace math
SIMDACT_KERNELS_END
