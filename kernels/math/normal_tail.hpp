// The normal distribution's lower tail for a >= 0, the core of gelu and its slope, as
//   Phi(-a) = e^(-a^2/2) R(a), R(a) = e^(a^2/2) Phi(-a) (0.5 at 0, ~1/(a sqrt(2 pi)) far out), for 0 <= a <= b_max
// (a_max: where a Phi(-a) underflows; b_max: where dy * gelu'(-a) underflows for every finite dy).
//   Float on AVX-512 / AVX2: R piecewise, 32 degree-4 / 8 degree-7 polynomials whose coefficients come from
//   register tables (vpermt2ps / vpermps), the segment from the bits of a + 1, no division
//   (tools/sollya/normal_tail_lut.sollya: 2^-23.9 / 2^-24.8 relative); beyond a_max (backward only) one
//   polynomial; AVX-512 takes the table exponential. About 37 vector operations for gelu's forward on AVX-512.
//   Elsewhere (sse2, neon, double): R(a) = P(s)/(a + 4), s = 1 - 8/(a + 4) in [-1, 1), one polynomial, one
//   division, its rounding corrected to first order (tools/sollya/normal_tail.sollya: 2^-25.7 / 2^-54.9).
// Both: a^2 is split exactly and both parts enter the exp reduction: e^(-a^2/2) would otherwise lose ~a^2/2 ULPs
// (64 in float at a = 14). Measured: gelu.hpp's header.
#pragma once

#include "kernels/namespace.hpp"

#include <cstdint>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "kernels/math/dd.hpp"
#include "kernels/math/eft.hpp"
#include "kernels/math/exp.hpp"
#include "kernels/math/poly.hpp"

SIMDACT_KERNELS_BEGIN
namespace math {

template <class T>
struct normal_tail_consts;

template <>
struct normal_tail_consts<float> {
  static constexpr float k = 4.0f;
  static constexpr float s0 = 1.0f;       // s = s0 - 2k/(a + k)
  static constexpr float a_max = 14.5f;   // 14.5 Phi(-14.5) < 2^-151: gelu rounds to 0 below -a_max
  static constexpr float b_max = 19.75f;  // max() |gelu'(-19.74)| < 2^-150: dy gelu'(x) rounds to 0 below -b_max
  // tools/sollya/normal_tail.sollya: float k=4 c=0 a<=19.75 deg 10, max relative error 2^-25.70
  static constexpr float p[] = {0x1.82b4bcp-1f,  -0x1.373e3ap-1f,  0x1.8c6d9ep-2f,  -0x1.7dff58p-3f,
                                0x1.eecfb4p-5f,  -0x1.edf432p-8f,  -0x1.cb1192p-9f, 0x1.a78914p-10f,
                                0x1.74bcb2p-13f, -0x1.97f968p-13f, -0x1.1cf2a8p-15f};
  // F = 1 - (s0 - s) P'/P deg 2, max absolute error 0.024 (F up to 3.2)
  static constexpr float f[] = {0x1.d3c65p0f, -0x1.25c2d6p0f, 0x1.ed898p-3f};
};

template <>
struct normal_tail_consts<double> {
  static constexpr double k = 4.0;
  static constexpr double s0 = 1.0;
  static constexpr double a_max = 38.7;  // 38.7 Phi(-38.7) < 2^-1079
  static constexpr double b_max = 54.0;  // max() |gelu'(-54.0)| < 2^-1075
  // tools/sollya/normal_tail.sollya: double k=4 c=0 a<=54 deg 23, max relative error 2^-54.91
  static constexpr double p[] = {
      0x1.82b4bb8c94dcep-1,  -0x1.373e3a893c28ap-1,  0x1.8c6dbf2cfc29p-2,    -0x1.7dff2bff683dbp-3,
      0x1.eec4cc3e4ed5cp-5,  -0x1.ee2761046bdc4p-8,  -0x1.c81719d63fc9ap-9,  0x1.ab825fbc26cbbp-10,
      0x1.17a4ae5a73888p-13, -0x1.e4a4242ec729bp-13, -0x1.001e0dc4f35f4p-19, 0x1.26d0821a237abp-15,
      0x1.80a76e2712325p-21, -0x1.8d49266ed00c2p-18, -0x1.51bd5ce96332cp-21, 0x1.122b525b8208dp-20,
      0x1.22967ca1dae9cp-22, -0x1.4cc2978846d18p-23, -0x1.68eea71e7f24p-24,  0x1.d23d43b1ee574p-27,
      0x1.41b627c329e21p-26, 0x1.b30a328ff62a2p-30,  -0x1.386c0fc0ecb7ep-29, -0x1.4a4168dd689c9p-31};
  // F deg 2, max absolute error 0.027
  static constexpr double f[] = {0x1.d3c79068c4905p0, -0x1.216749b6aad0dp0, 0x1.0af1a2e8272b9p-2};
};

// The table-driven tail's segment count N for B (0: the generic formula): float on AVX-512 (32, vpermt2ps) and
// on AVX2 (8, vpermps).
template <class B>
constexpr int normal_tail_lut_size_of() {
  if (!std::is_same<typename B::value_type, float>::value) return 0;
#if defined(__AVX512F__)
  if (std::is_base_of<xsimd::avx512f, typename B::arch_type>::value) return 32;
#endif
#if defined(__AVX2__) && defined(__FMA__)
  if (std::is_base_of<xsimd::fma3<xsimd::avx2>, typename B::arch_type>::value) return 8;
#endif
  return 0;
}
template <class B>
inline constexpr int normal_tail_lut_size = normal_tail_lut_size_of<B>();

// Phi(-a) = pr (1 + c) (1 + w) 2^n for 0 <= a <= b_max (NaN: NaN): e^(-a^2/2) = (1 + w) 2^n, w in [-0.3, 0.42],
// e^(a^2/2) Phi(-a) = pr (1 + c) (c: the first-order correction, ~2^-22), n integer-valued (>= -282 / -2104).
// The factors stay apart so that the caller's products round once: (1 + w) and (1 + c) enter through fmas.
template <class B, int N = normal_tail_lut_size<B>>
struct normal_tail;

template <class B>
struct normal_tail<B, 0> {
  B w;
  B n;
  B pr;
  B c;

  // beyond_a_max: a may exceed a_max (the same formula serves up to b_max)
  explicit normal_tail(B a, bool /*beyond_a_max*/ = false) {
    using T = typename B::value_type;
    using C = normal_tail_consts<T>;
    B sq_lo;
    B sq = two_prod(a, a, sq_lo);  // a^2 = sq + sq_lo
    B h_lo;
    B h = exp_reduce(sq * B(T(-0.5)), n, h_lo);  // -sq/2 = n ln2 + h + h_lo
    h = h + math::fma(sq_lo, B(T(-0.5)), h_lo);
    w = math::fma(horner(h, exp_consts<T>::q) * h, h, h);  // e^h - 1 = h + h^2 Q(h)
    // 1/(a + k) = rd (1 + eps) to first order: the roundings of a + k and of 1/d would each move the result by
    // up to F ~ 3 times their size (a relative change eps of 1/(a + k) moves P(s)/(a + k) by eps F(s)).
    B d = a + B(C::k);
    B d_lo = a - (d - B(C::k));  // a + k = d + d_lo exactly (d - k is exact: k is an integer, d >= k)
    B rd = divide(B(T(1)), d);
    B eps = math::fma(-rd, d_lo, reciprocal_residual(rd, d));
    B s = math::fma(rd, B(T(-2) * C::k), B(C::s0));  // s0 - 8 rd, exact for a <= 12
    // the last Horner step as one rounding also without FMA (SSE2 lost ~1 ULP there)
    pr = fma_accurate(horner_from<1>(s, C::p), s, B(C::p[0])) * rd;
    c = eps * horner(s, C::f);
  }
  // e^(a^2/2) Phi(-a)
  B ratio() const { return math::fma(pr, c, pr); }
  // z e^(-a^2/2) / 2^n
  B times_exp(B z) const { return math::fma(z, w, z); }
  // z Phi(-a) / 2^n: one rounding after z pr, (1 + c)(1 + w) - 1 = w + c + c w
  B times_tail(B z) const {
    B zp = z * pr;
    return fma_accurate(zp, math::fma(c, w, w + c), zp);  // one rounding also without FMA
  }
};

#if defined(__AVX2__) && defined(__FMA__)
// The float tables of R (tools/sollya/normal_tail_lut.sollya): N segments from the bits of a + 1, rows by degree.
template <int N>
struct normal_tail_lut_consts;

template <>
struct normal_tail_lut_consts<32> {
  static constexpr int index_shift = 20;                    // bits(a + 1) >> 20: exponent's low 2 bits, 3 mantissa
  static constexpr std::uint32_t start_mask = 0xfff00000u;  // a + 1 rounded down to its segment's start
  // tools/sollya/normal_tail_lut.sollya: float 32 segments, degree 4, a <= 14.5: max relative error 2^-23.859375
  static constexpr float r[5][32] = {
      {0x1.0bdb2ep-2f, 0x1.d898dep-3f, 0x1.a57056p-3f, 0x1.7b5abep-3f, 0x1.5845dcp-3f, 0x1.3aaddep-3f, 0x1.217252p-3f,
       0x1.0bb968p-3f, 0x1.f1b89ap-4f, 0x1.b396f8p-4f, 0x1.82b4bcp-4f, 0x1.5b5accp-4f, 0x1.3b0fbcp-4f, 0x1.201faap-4f,
       0x1.095608p-4f, 0x1.eba5fep-5f, 0x1.c9e12p-5f,  0x1.926972p-5f, 0x1.66ccb8p-5f, 0x1.43a38ap-5f, 0x1.26b4dp-5f,
       0x1.0e7dcep-5f, 0x1.f3ddc2p-6f, 0x1.d087aep-6f, 0x1p-1f,        0x1.d0af2cp-2f, 0x1.a7f808p-2f, 0x1.84b706p-2f,
       0x1.66027ap-2f, 0x1.4b1de2p-2f, 0x1.337024p-2f, 0x1.1e7c2ep-2f},
      {-0x1.1951e6p-3f, -0x1.c492ap-4f,  -0x1.71c026p-4f, -0x1.3253d8p-4f, -0x1.00f97p-4f,  -0x1.b405a8p-5f,
       -0x1.75ab1ap-5f, -0x1.432a58p-5f, -0x1.19cd92p-5f, -0x1.b601ccp-6f, -0x1.5cf91ap-6f, -0x1.1be1fp-6f,
       -0x1.d613eep-7f, -0x1.8b19c8p-7f, -0x1.5067f4p-7f, -0x1.21ae5p-7f,  -0x1.f7d328p-8f, -0x1.86b724p-8f,
       -0x1.3780bp-8f,  -0x1.fbf172p-9f, -0x1.a5da8cp-9f, -0x1.63d048p-9f, -0x1.30125cp-9f, -0x1.06ce36p-9f,
       -0x1.988438p-2f, -0x1.5e6e8p-2f,  -0x1.2e8638p-2f, -0x1.06bfacp-2f, -0x1.cb056ap-3f, -0x1.9323f2p-3f,
       -0x1.63e0d4p-3f, -0x1.3bb002p-3f},
      {0x1.fc8c12p-5f,  0x1.7b538cp-5f,  0x1.202c9cp-5f,  0x1.bd394ap-6f,  0x1.5d0ae8p-6f,  0x1.159d2cp-6f,
       0x1.bf1c62p-7f,  0x1.6c2a2ap-7f,  0x1.2bb3f8p-7f,  0x1.a23c2ep-8f,  0x1.2db38ap-8f,  0x1.bf6ae2p-9f,
       0x1.53fa7ep-9f,  0x1.07e446p-9f,  0x1.a0b0c2p-10f, 0x1.4e8b62p-10f, 0x1.100d0ep-10f, 0x1.75d27ep-11f,
       0x1.0b45c4p-11f, 0x1.8aac46p-12f, 0x1.2b824cp-12f, 0x1.d10148p-13f, 0x1.6fbcdap-13f, 0x1.281c5p-13f,
       0x1.ffef68p-3f,  0x1.a4dd6ep-3f,  0x1.5c4ad2p-3f,  0x1.22295cp-3f,  0x1.e64facp-4f,  0x1.9a6522p-4f,
       0x1.5c09e6p-4f,  0x1.28e1c6p-4f},
      {-0x1.954c34p-6f,  -0x1.1b9746p-6f,  -0x1.95441cp-7f,  -0x1.27264ap-7f,  -0x1.b20128p-8f,  -0x1.4711b6p-8f,
       -0x1.f190e4p-9f,  -0x1.7db51ap-9f,  -0x1.27617ep-9f,  -0x1.762f8ep-10f, -0x1.eeb3acp-11f, -0x1.4fa29p-11f,
       -0x1.d746a6p-12f, -0x1.55e5d2p-12f, -0x1.f1e518p-13f, -0x1.776998p-13f, -0x1.199d0ep-13f, -0x1.59a5dp-14f,
       -0x1.be29ccp-15f, -0x1.2ac642p-15f, -0x1.a1319ap-16f, -0x1.2c2ec2p-16f, -0x1.b58018p-17f, -0x1.53d3d2p-17f,
       -0x1.0ec3aep-3f,  -0x1.ae7f72p-4f,  -0x1.57553p-4f,   -0x1.148824p-4f,  -0x1.bc8626p-5f,  -0x1.704418p-5f,
       -0x1.2d4de8p-5f,  -0x1.f44cf2p-6f},
      {0x1.ee40fp-8f,   0x1.492eacp-8f,  0x1.c2b5f6p-9f,  0x1.3c3c14p-9f,  0x1.ad2a62p-10f, 0x1.3b53b8p-10f,
       0x1.c5244ep-11f, 0x1.3cae88p-11f, 0x1.b876e4p-12f, 0x1.024cbp-12f,  0x1.42791p-13f,  0x1.907006p-14f,
       0x1.07fe6p-14f,  0x1.77d4f2p-15f, 0x1.e3fb92p-16f, 0x1.61b18cp-16f, 0x1.bed7bp-17f,  0x1.f6815ap-18f,
       0x1.2b9958p-18f, 0x1.6d8846p-19f, 0x1.e3d462p-20f, 0x1.4e38d4p-20f, 0x1.b6aadap-21f, 0x1.d3f48cp-21f,
       0x1.c26a26p-5f,  0x1.60a2a6p-5f,  0x1.0cfd2ep-5f,  0x1.a8ad86p-6f,  0x1.366f1ep-6f,  0x1.1fd862p-6f,
       0x1.c2e4dp-7f,   0x1.81bfb8p-7f},
  };
};

template <>
struct normal_tail_lut_consts<8> {
  static constexpr int index_shift = 22;  // exponent's low 2 bits, 1 mantissa bit
  static constexpr std::uint32_t start_mask = 0xffc00000u;
  // tools/sollya/normal_tail_lut.sollya: float 8 segments, degree 7, a <= 14.5: max relative error 2^-24.75
  static constexpr float r[8][8] = {
      {0x1.0bdb2ep-2f, 0x1.5845dcp-3f, 0x1.f1b89cp-4f, 0x1.3b0fbcp-4f, 0x1.c9e12p-5f, 0x1.26b4dp-5f, 0x1p-1f,
       0x1.66027ap-2f},
      {-0x1.19523cp-3f, -0x1.00f9a6p-4f, -0x1.19cebp-5f, -0x1.d61478p-7f, -0x1.f7d4b2p-8f, -0x1.a5dadcp-9f,
       -0x1.988452p-2f, -0x1.cb05b4p-3f},
      {0x1.fcc2d2p-5f, 0x1.5d26cp-6f, 0x1.2bfc74p-7f, 0x1.541f88p-9f, 0x1.104fbep-10f, 0x1.2b9c3ap-12f, 0x1.ffff8ap-3f,
       0x1.e66e22p-4f},
      {-0x1.9aa728p-6f, -0x1.b69f4p-8f, -0x1.2e01dap-9f, -0x1.ddac7ap-12f, -0x1.205ed8p-13f, -0x1.a661bp-16f,
       -0x1.10508ap-3f, -0x1.c069b4p-5f},
      {0x1.2c6654p-7f, 0x1.fdb2bcp-10f, 0x1.1c8c86p-11f, 0x1.42019cp-14f, 0x1.246ebp-16f, 0x1.26b34cp-19f,
       0x1.ff07cap-5f, 0x1.67e8d4p-6f},
      {-0x1.84be36p-9f, -0x1.05fabep-11f, -0x1.d79ac6p-14f, -0x1.8a8d4ap-17f, -0x1.05a51ep-19f, -0x1.8b6c6ep-23f,
       -0x1.ab2cc8p-6f, -0x1.a4a334p-8f},
      {0x1.89b4fep-11f, 0x1.99fc92p-14f, 0x1.23ca04p-16f, 0x1.785fe8p-20f, 0x1.585f0ap-23f, 0x1.c00cp-27f,
       0x1.2a3c8ep-7f, -0x1.62c9cp-14f},
      {-0x1.b9a28ap-14f, -0x1.50cd42p-17f, -0x1.77abbap-20f, -0x1.857b86p-24f, -0x1.ce4228p-28f, -0x1.27689ep-31f,
       -0x1.016388p-9f, 0x1.ea02cep-11f},
  };
};

// Beyond a_max (gelu's backward only, up to b_max) R enters the slope e^(-a^2/2) (R - a/sqrt(2 pi)) with weight
// ~1/a^2: one polynomial in a - 17 is enough.
struct normal_tail_far_consts {
  static constexpr float center = 17.0f;
  // far: R(17 + t) on [14.4, 19.8], degree 4, max relative error 2^-17.3671875
  static constexpr float far[] = {0x1.7f2b54p-6f, -0x1.661c3cp-10f, 0x1.4dce2ep-14f, -0x1.3f45f4p-18f, 0x1.1f210cp-22f};
};

// row[idx mod N]: the permute reads only the index's low log2(N) bits.
template <class A, int N>
inline xsimd::batch<float, A> normal_tail_row(xsimd::batch<float, A> u_bits, const float (&row)[N]) {
#if defined(__AVX512F__)
  if constexpr (N == 32) {
    __m512i idx = _mm512_srli_epi32(_mm512_castps_si512(u_bits), normal_tail_lut_consts<N>::index_shift);
    return _mm512_permutex2var_ps(_mm512_loadu_ps(row), idx, _mm512_loadu_ps(row + 16));
  } else
#endif
  {
    static_assert(N == 8, "AVX2 holds 8 floats in a register");
    __m256i idx = _mm256_srli_epi32(_mm256_castps_si256(u_bits), normal_tail_lut_consts<N>::index_shift);
    return _mm256_permutevar8x32_ps(_mm256_loadu_ps(row), idx);
  }
}

// The table-driven float tail (AVX-512, AVX2), the generic one's interface: Phi(-a) = R(a) e^(-a^2/2),
// e^(-a^2/2) = l (1 + e) 2^floor(n) (AVX-512: the table exponential with the table's rounding folded into e,
// so that a caller's product rounds once after z l; AVX2: l = e^r, e = 0, n integer-valued).
template <class B, int N>
struct normal_tail {
  B l;
  B e;
  B n;
  B r;

  // beyond_a_max: a may exceed a_max (up to b_max), R from the far polynomial there
  explicit normal_tail(B a, bool beyond_a_max = false) {
    using T = typename B::value_type;
    using A = typename B::arch_type;
    using C = normal_tail_lut_consts<N>;
    using I = xsimd::batch<std::uint32_t, A>;
    // e^(-a^2/2): a (-a/2) = sq + sq_lo exactly (-a/2 is exact)
    B half = a * B(T(-0.5));
    B sq = a * half;
    B sq_lo;  // a half - sq as one fused instruction (math::fma(a, half, -sq) negates sq separately)
#if defined(__AVX512F__)
    if constexpr (N == 32)
      sq_lo = _mm512_fmsub_ps(a, half, sq);
    else
#endif
      sq_lo = _mm256_fmsub_ps(a, half, sq);
#if defined(__AVX512F__)
    if constexpr (N == 32) {
      using E = exp_lut_consts<T>;
      B v;
      B te = exp_lut_reduce(sq, n, v) + sq_lo;
      l = exp_lut_lookup(v, E::table);
      e = math::fma(te, horner(te, E::p), exp_lut_lookup(v, E::table_rlo));
    } else
#endif
    {
      l = exp_mant(sq, sq_lo, n);
      e = B(T(0));
    }
    // R: segment j from u = a + 1; t = a - (start - 1) is exact (start - 1 has at most 4 bits and is at most a,
    // or above a by u's rounding, 2^-20 at most)
    B u = a + B(T(1));
    B start = xsimd::bitwise_cast<B>(xsimd::bitwise_cast<I>(u) & I(C::start_mask));
    B t = a + (B(T(1)) - start);
    constexpr int deg = sizeof(C::r) / sizeof(C::r[0]) - 1;
    B acc = normal_tail_row<A>(u, C::r[deg]);
    for (int i = deg - 1; i >= 0; --i) acc = math::fma(acc, t, normal_tail_row<A>(u, C::r[i]));
    r = acc;
    if (beyond_a_max) {
      using F = normal_tail_far_consts;
      r = xsimd::select(a > B(normal_tail_consts<T>::a_max), horner(a - B(F::center), F::far), r);
    }
  }
  // e^(a^2/2) Phi(-a)
  B ratio() const { return r; }
  // z e^(-a^2/2) / 2^floor(n)
  B times_exp(B z) const {
    B zl = z * l;
    if constexpr (N == 8) return zl;
    return math::fma(zl, e, zl);
  }
  // z Phi(-a) / 2^floor(n)
  B times_tail(B z) const { return times_exp(z * r); }
};
#endif

}  // namespace math
SIMDACT_KERNELS_END
