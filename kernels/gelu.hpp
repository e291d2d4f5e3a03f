// gelu(x) = x Phi(x) = z (x <= 0) or x - z (x > 0), z = x Phi(-|x|) rounded once; gelu'(x) = Phi(x) + x phi(x)
// = 2^n s or 1 - 2^n s, s = e^(-a^2/2) (R(a) - a/sqrt(2 pi)) / 2^n, the 2^n applied after the product with dy
// (kernels/math/normal_tail.hpp: Phi(-a) = e^(-a^2/2) R(a), R from register-table polynomials on AVX-512 / AVX2
// float, P(s)/(a + 4) elsewhere; no 1 + erf cancellation; a^2 splits exactly into the exp's reduction).
// Domain: all x (NaN, +-inf: 0 below -a_max, x above; gradual underflow to -0 near -14.5 / -38.7); dy gelu'(x)
// stays accurate down to -b_max (-19.74 / -54.0), where the slope alone underflows but the product need not.
// Measured: tools/exhaustive float (1 in 16, dy = 1) forward 3.07 ULP avx512 / 2.98 avx2 / 3.26 sse2, backward
// 3.11 / 3.24 / 5.30; tools/accuracy_report (dy in [0.5, 2]) float backward <= 5.02 (sse2), double
// forward <= 2.91, backward <= 4.99 ULP; the backward maxima lie in [-1.3, -0.5], where Phi + x phi cancels.
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"
#include "kernels/math/dd.hpp"
#include "kernels/math/normal_tail.hpp"
#include "kernels/math/scale.hpp"
#include "kernels/scalar_wide.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct gelu_kernel : unconstrained {
  static constexpr long double minus_inv_sqrt2 = -0.70710678118654752440084436210484903928L;
  static constexpr long double inv_sqrt_2pi = 0.39894228040143267793994605993438186848L;
  // Below -saturation, x Phi(x) and x phi(x) round to 0 in T for any x
  // (float: 20 Phi(-20) ~ 1e-88; double: 40 Phi(-40) ~ 1e-350); above it Phi
  // rounds to 1 and x phi(x) to 0.
  template <class T>
  static constexpr T saturation = sizeof(T) == sizeof(float) ? T(20) : T(40);

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    using B = batch<T, A>;
    using C = math::normal_tail_consts<T>;
    B a = xsimd::min(B(C::a_max), xsimd::abs(x));  // NaN kept (x86 min returns its second operand)
    math::normal_tail<B> tail(a);
    // z = x Phi(-a) with x clamped to +-a_max (copysign(a, x)), rounded once (also into the subnormals);
    // x <= 0: gelu = z (-inf: -a_max, z = -0; -0: -0); x > 0: x (1 - Phi(-x)) = x - z (z <= x/2: no
    // cancellation; above a_max z is nothing next to x)
    B z = math::scale_wide(tail.times_tail(a | (x & B(T(-0.0)))), tail.n);
    return xsimd::select(x <= B(T(0)), z, x - z);
  }

  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    using C = math::normal_tail_consts<T>;
    B a = xsimd::min(B(C::b_max), xsimd::abs(x));
    math::normal_tail<B> tail(a, true);
    // Phi(x) + x phi(x) = 2^n s for x < 0, 1 - 2^n s for x >= 0, s = e^(-a^2/2) (R - a/sqrt(2 pi)) / 2^n
    B s = tail.times_exp(math::fma(a, B(T(-inv_sqrt_2pi)), tail.ratio()));
    auto negative = x < B(T(0));
    // x < 0: 2^n applied in two steps, the second after the product with dy, so that dy gelu'(x) is accurate
    // where the slope alone is subnormal or 0. Below -b_max (-inf included) the slope at -b_max makes dy gelu'
    // round to (signed) 0 for every finite dy. x >= 0: 2^n_hi s < 2^-95 is nothing next to 1.
    B n_hi = xsimd::max(tail.n, B(normal_scale_floor<T>));
    B p = math::scale_normal(s, n_hi);
    B slope_hi = xsimd::select(negative, p, B(T(1)) - p);
    B n_lo = xsimd::select(negative, tail.n - n_hi, B(T(0)));
    return math::times_slope(dy, slope_hi, n_lo);
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    auto formula = [](auto w) {
      using W = decltype(w);
      if (std::fabs(w) > W(saturation<T>)) return w > 0 ? w : W(0);
      return W(0.5) * w * std::erfc(w * W(minus_inv_sqrt2));
    };
    return scalar_eval(x, formula, [](T v) { return v < T(-1); });
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    // the product with dy in the wide type: dy gelu'(x) stays representable down to -b_max where the slope
    // alone underflows in T; an infinite dy meets the slope rounded to T, as in the vector kernels
    auto formula = [dy](auto w) {
      using W = decltype(w);
      if (std::fabs(w) > W(math::normal_tail_consts<T>::b_max)) return w > 0 ? W(dy) : W(dy) * W(0);
      W cdf = W(0.5) * std::erfc(w * W(minus_inv_sqrt2));
      W slope = cdf + w * std::exp(W(-0.5) * w * w) * W(inv_sqrt_2pi);
      return std::isinf(dy) ? W(dy * T(slope)) : W(dy) * slope;
    };
    return scalar_eval(x, formula, [](T v) { return v < T(-1); });
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
