// swish(x) = x * sigmoid(beta x), beta learnable (beta = 1: SiLU).
// v = beta x is kept as v_hi + v_lo (exp would amplify its rounding by |v|),
// and x * sigmoid(v) is scaled once, so it stays accurate near -88 (float).
// d/dx = s (1 + v s_neg), d/dbeta = x^2 s s_neg, with s = sigmoid(v),
// s_neg = sigmoid(-v). Limits: swish(-inf) = 0 for beta > 0, not -inf * 0;
// beta = 0 is x / 2 exactly (derivative 1/2, d/dbeta = x^2 / 4).
#pragma once

#include "kernels/common.hpp"
#include "kernels/math/logistic.hpp"
#include "kernels/scalar_wide.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct swish_kernel : unconstrained {
  static constexpr bool has_param_gradient = true;

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>& p) {
    using B = batch<T, A>;
    if (p.p0 == T(0)) return x * B(T(0.5));
    B v_lo;
    B v = beta_times(x, p, v_lo);
    math::logistic<B> l(v);
    B f = l.times(math::fma(x, l.sigmoid_neg() * v_lo, x));  // x (1 + s_neg v_lo): one rounding
    const B sat(logistic_saturation<T>);
    return xsimd::select(v < -sat, B(T(0)), xsimd::select(v > sat, x, f));
  }

  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
    batch<T, A> ignored;
    return backward_param_grad(x, dy, p, ignored);
  }

  // dx, and in dbeta the per-element dy * d swish / d beta.
  template <class T, class A>
  static batch<T, A> backward_param_grad(batch<T, A> x, batch<T, A> dy, const kparams<T>& p, batch<T, A>& dbeta) {
    using B = batch<T, A>;
    if (p.p0 == T(0)) {
      dbeta = dy * (x * x * B(T(0.25)));
      return dy * nan_where_nan(x, B(T(0.5)));
    }
    B v_lo;
    B v = beta_times(x, p, v_lo);
    math::logistic<B> l(v);
    B sn = l.sigmoid_neg();
    B s_corr = B(T(1)) + sn * v_lo;  // sigmoid(v_hi + v_lo) / sigmoid(v_hi)
    B d = l.times(s_corr * (B(T(1)) + v * sn));
    B g = l.times(s_corr * (x * x * sn));
    auto saturated = xsimd::abs(v) > B(logistic_saturation<T>);
    d = xsimd::select(saturated, xsimd::select(v > B(T(0)), B(T(1)), B(T(0))), d);
    g = xsimd::select(saturated, B(T(0)), g);
    dbeta = dy * g;
    return dy * d;
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>& p) {
    const T beta = p.p0;
    if (beta == 0) return x * T(0.5);
    auto formula = [beta](auto w) {
      using W = decltype(w);
      W v = W(beta) * w;
      if (std::fabs(v) > W(logistic_saturation<T>)) return v > 0 ? w : W(0);
      return w / (W(1) + std::exp(-v));
    };
    return scalar_eval(x, formula, [beta](T v) { return beta * v < T(-2); });
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>& p) {
    T ignored;
    return scalar_backward_param_grad(x, dy, p, ignored);
  }
  template <class T>
  static T scalar_backward_param_grad(T x, T dy, const kparams<T>& p, T& dbeta) {
    const T beta = p.p0;
    if (beta == 0) {
      dbeta = dy * (x * x * T(0.25));
      return dy * scalar_nan_where_nan(x, T(0.5));
    }
    auto derivative = [beta](auto w) {
      using W = decltype(w);
      W v = W(beta) * w;
      if (std::fabs(v) > W(logistic_saturation<T>)) return v > 0 ? W(1) : W(0);
      W s = W(1) / (W(1) + std::exp(-v));
      W sn = W(1) / (W(1) + std::exp(v));
      return s * (W(1) + v * sn);
    };
    auto beta_derivative = [beta](auto w) {
      using W = decltype(w);
      W v = W(beta) * w;
      if (std::fabs(v) > W(logistic_saturation<T>)) return W(0);
      W s = W(1) / (W(1) + std::exp(-v));
      W sn = W(1) / (W(1) + std::exp(v));
      return w * w * s * sn;
    };
    auto wide_tail = [beta](T v) { return std::fabs(beta * v) > T(2); };
    dbeta = dy * scalar_eval(x, beta_derivative, wide_tail);
    return dy * scalar_eval(x, derivative, wide_tail);
  }

 private:
  template <class T, class A>
  static batch<T, A> beta_times(batch<T, A> x, const kparams<T>& p, batch<T, A>& v_lo) {
    using B = batch<T, A>;
    B v = math::two_prod(B(p.p0), x, v_lo);
    // Past saturation the correction is irrelevant (and may be inf or NaN).
    v_lo = xsimd::select(xsimd::abs(v) < B(logistic_saturation<T>), v_lo, B(T(0)));
    return v;
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
