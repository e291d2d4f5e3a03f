// gelu_tanh(x) = x/2 (1 + tanh u), u = sqrt(2/pi) (x + 0.044715 x^3), computed
// as x sigmoid(2u): no 1 + tanh u cancellation below -6. v = 2u is carried as
// v_hi + v_lo (error-free products), x sigmoid(v) scaled once (accurate near -10).
// gelu_tanh'(x) = s (1 + x v' s_neg), v' = 2 sqrt(2/pi) (1 + 3 * 0.044715 x^2).
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"
#include "kernels/math/dd.hpp"
#include "kernels/math/logistic.hpp"
#include "kernels/scalar_wide.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct gelu_tanh_kernel : unconstrained {
  static constexpr long double two_sqrt_2_over_pi = 1.59576912160573071175978423971260541L;
  static constexpr long double cubic = 0.044715L;

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    using B = batch<T, A>;
    B v_lo;
    B v = two_u(x, v_lo);
    math::logistic<B> l(v);
    B f = l.times(math::fma(x, l.sigmoid_neg() * v_lo, x));  // x (1 + s_neg v_lo): one rounding
    const B sat(logistic_saturation<T>);
    return xsimd::select(v < -sat, B(T(0)), xsimd::select(v > sat, x, f));
  }

  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    B v_lo;
    B v = two_u(x, v_lo);
    math::logistic<B> l(v);
    B sn = l.sigmoid_neg();
    B dv = B(T(two_sqrt_2_over_pi)) * math::fma(B(T(3 * cubic)), x * x, B(T(1)));
    B d = l.times((B(T(1)) + sn * v_lo) * math::fma_accurate(x * dv, sn, B(T(1))));
    auto saturated = xsimd::abs(v) > B(logistic_saturation<T>);
    d = xsimd::select(saturated, xsimd::select(v > B(T(0)), B(T(1)), B(T(0))), d);
    return dy * d;
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    auto formula = [](auto w) {
      using W = decltype(w);
      W v = W(two_sqrt_2_over_pi) * (w + W(cubic) * w * w * w);
      if (std::fabs(v) > W(logistic_saturation<T>)) return v > 0 ? w : W(0);
      return w / (W(1) + std::exp(-v));
    };
    return scalar_eval(x, formula, [](T v) { return v < T(-1); });
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    auto formula = [](auto w) {
      using W = decltype(w);
      W v = W(two_sqrt_2_over_pi) * (w + W(cubic) * w * w * w);
      if (std::fabs(v) > W(logistic_saturation<T>)) return v > 0 ? W(1) : W(0);
      W dv = W(two_sqrt_2_over_pi) * (W(1) + W(3 * cubic) * w * w);
      W s = W(1) / (W(1) + std::exp(-v));
      W sn = W(1) / (W(1) + std::exp(v));
      return s * (W(1) + w * dv * sn);
    };
    return dy * scalar_eval(x, formula, [](T v) { return v < T(-1); });
  }

 private:
  // v = 2 sqrt(2/pi) x (1 + 0.044715 x^2) as hi + lo.
  template <class T, class A>
  static batch<T, A> two_u(batch<T, A> x, batch<T, A>& v_lo) {
    using B = batch<T, A>;
    constexpr math::split_constant<T> k(two_sqrt_2_over_pi);
    constexpr math::split_constant<T> c(cubic);
    B sq_lo, m_lo, t_lo, q_lo;
    B sq = math::two_prod(x, x, sq_lo);
    B m = math::two_prod(B(c.hi), sq, m_lo);
    m_lo = m_lo + (B(c.hi) * sq_lo + B(c.lo) * sq);
    B t = math::two_sum(B(T(1)), m, t_lo);
    t_lo = t_lo + m_lo;
    B q = math::two_prod(x, t, q_lo);
    q_lo = math::fma(x, t_lo, q_lo);
    B v = math::two_prod(B(k.hi), q, v_lo);
    v_lo = v_lo + (B(k.hi) * q_lo + B(k.lo) * q);
    // Past saturation the correction is irrelevant (and may be inf or NaN).
    v_lo = xsimd::select(xsimd::abs(v) < B(logistic_saturation<T>), v_lo, B(T(0)));
    return v;
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
