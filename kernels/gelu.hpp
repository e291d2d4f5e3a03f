// gelu(x) = x Phi(x) = x/2 erfc(-x/sqrt2) (erfc: no 1 + erf cancellation below
// -5). The argument z = -x/sqrt2 is carried as z_hi + z_lo (erfc amplifies its
// rounding by ~2z^2) and x/2 erfc(z) is scaled once (accurate near -13).
// gelu'(x) = Phi(x) + x phi(x), phi(x) = e^(-x^2/2)/sqrt(2 pi), x^2 split exactly.
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"
#include "kernels/math/dd.hpp"
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
    B k;
    B half_erfc = half_erfc_split(x, k);
    B f = math::ldexp(x * half_erfc, k);
    const B sat(saturation<T>);
    return xsimd::select(x < -sat, B(T(0)), xsimd::select(x > sat, x, f));
  }

  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    B k;
    B phi_cdf = math::ldexp(half_erfc_split(x, k), k);
    B sq_lo;
    B sq = math::two_prod(x, x, sq_lo);  // x^2 = sq + sq_lo exactly
    B kp;
    B mp = math::exp_split(B(T(-0.5)) * sq, kp);
    B x_pdf = math::ldexp(x * mp * (B(T(1)) - B(T(0.5)) * sq_lo) * B(T(inv_sqrt_2pi)), kp);
    B d = phi_cdf + x_pdf;
    const B sat(saturation<T>);
    return dy * xsimd::select(x < -sat, B(T(0)), xsimd::select(x > sat, B(T(1)), d));
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
    auto formula = [](auto w) {
      using W = decltype(w);
      if (std::fabs(w) > W(saturation<T>)) return w > 0 ? W(1) : W(0);
      W cdf = W(0.5) * std::erfc(w * W(minus_inv_sqrt2));
      return cdf + w * std::exp(W(-0.5) * w * w) * W(inv_sqrt_2pi);
    };
    return dy * scalar_eval(x, formula, [](T v) { return v < T(-1); });
  }

 private:
  // Phi(x) = mant * 2^expo, from erfc of the argument carried as z + z_lo.
  template <class T, class A>
  static batch<T, A> half_erfc_split(batch<T, A> x, batch<T, A>& expo) {
    using B = batch<T, A>;
    constexpr math::split_constant<T> c(minus_inv_sqrt2);
    B z_lo;
    B z = math::two_prod(x, B(c.hi), z_lo);
    z_lo = math::fma(x, B(c.lo), z_lo);
    z_lo = xsimd::select(xsimd::abs(x) < B(saturation<T>), z_lo, B(T(0)));
    return B(T(0.5)) * math::erfc_split(z, z_lo, expo);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
