// The normal distribution's lower tail for a >= 0, the core of gelu and its slope:
//   Phi(-a) = e^(-a^2/2) P(s) / (a + 4),  s = (a - 4)/(a + 4) = 1 - 8/(a + 4) in [-1, 1)  (no branches),
// a <= a_max (where a Phi(-a) underflows), tools/sollya/normal_tail.sollya (fit 2^-25.7 / 2^-54.7); measured:
// gelu.hpp's header.
// a^2 is split exactly (two_prod) and both parts enter the exp reduction: e^(-a^2/2) would otherwise
// lose ~a^2/2 ULPs (64 in float at a = 14).
#pragma once

#include "kernels/namespace.hpp"

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
  static constexpr float s0 = 1.0f;      // s = s0 - 2k/(a + k)
  static constexpr float a_max = 14.5f;  // 14.5 Phi(-14.5) < 2^-151: gelu rounds to 0 below -a_max
  // tools/sollya/normal_tail.sollya: float k=4 c=0 a<=14.5 deg 9, max relative error 2^-25.72
  static constexpr float p[] = {0x1.82b4bcp-1f,  -0x1.373e3ap-1f, 0x1.8c6d8cp-2f,  -0x1.7dffaep-3f, 0x1.eed91ap-5f,
                                -0x1.ed553ep-8f, -0x1.cd973p-9f,  0x1.9bb068p-10f, 0x1.91808cp-13f, -0x1.0743ep-13f};
  // F = 1 - (s0 - s) P'/P deg 2, max absolute error 0.023 (F up to 3.2)
  static constexpr float f[] = {0x1.d39f9cp0f, -0x1.28f61ep0f, 0x1.d1a68cp-3f};
};

template <>
struct normal_tail_consts<double> {
  static constexpr double k = 4.0;
  static constexpr double s0 = 1.0;
  static constexpr double a_max = 38.7;  // 38.7 Phi(-38.7) < 2^-1079
  // tools/sollya/normal_tail.sollya: double k=4 c=0 a<=38.7 deg 22, max relative error 2^-54.67
  static constexpr double p[] = {
      0x1.82b4bb8c94dcep-1,  -0x1.373e3a893c28ap-1,  0x1.8c6dbf2cfc2c4p-2,   -0x1.7dff2bff68437p-3,
      0x1.eec4cc3e4833p-5,   -0x1.ee2761044749dp-8,  -0x1.c81719ccc9p-9,     0x1.ab825fb275933p-10,
      0x1.17a4a79d3309bp-13, -0x1.e4a421dc595fp-13,  -0x1.0012ec2c936dcp-19, 0x1.26d0613bf061fp-15,
      0x1.7fefb1a8109f3p-21, -0x1.8d486545741cp-18,  -0x1.4fd3d0a21c308p-21, 0x1.1245fe33aea57p-20,
      0x1.1bff3a9096f7p-22,  -0x1.4fea752bb7854p-23, -0x1.4c84cd4e8680bp-24, 0x1.11bf14afbebe6p-26,
      0x1.f80450524abf8p-27, -0x1.443b8affa9efap-32, -0x1.479a8d26c12adp-30};
  // F deg 2, max absolute error 0.026
  static constexpr double f[] = {0x1.d3cce760cc47cp0, -0x1.223e7b955b894p0, 0x1.06ec230124239p-2};
};

// Phi(-a) = pr (1 + c) (1 + w) 2^n for 0 <= a <= a_max (NaN: NaN): e^(-a^2/2) = (1 + w) 2^n, w in [-0.3, 0.42],
// e^(a^2/2) Phi(-a) = pr (1 + c) (c: the first-order correction, ~2^-22), n integer-valued (>= -152 / -1081).
// The factors stay apart so that the caller's products round once: (1 + w) and (1 + c) enter through fmas.
template <class B>
struct normal_tail {
  B w;
  B n;
  B pr;
  B c;

  explicit normal_tail(B a) {
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

}  // namespace math
SIMDACT_KERNELS_END
