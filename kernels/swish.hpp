// swish(x) = x * sigmoid(beta x), beta learnable (beta = 1: SiLU).
// v = beta x is kept as v_hi + v_lo (exp would amplify its rounding by |v|),
// and x * sigmoid(v) is scaled once, so it stays accurate near -88 (float).
// d/dx = s (1 + v s_neg), d/dbeta = x^2 s s_neg, with s = sigmoid(v),
// s_neg = sigmoid(-v). Limits: swish(-inf) = 0 for beta > 0, not -inf * 0;
// beta = 0 is x / 2 exactly (derivative 1/2, d/dbeta = x^2 / 4). AVX-512 computes forward and d/dx
// from the table-driven e^v = m 2^floor(n) with one division (forward_lut, derivative_lut).
// Max error (tools/exhaustive 1-in-32, avx512, beta = 1): forward 3.29 ULP at -2.005, backward 4.94.
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
#if defined(__AVX512F__)
    if constexpr (math::has_scalef_v<A>) return p.p0 == T(1) ? forward_lut<true>(x, p) : forward_lut<false>(x, p);
#endif
    B v_lo;
    B v = beta_times(x, p, v_lo);
    math::logistic<B> l(v);
    B f = l.times(math::fma(x, l.sigmoid_neg() * v_lo, x));  // x (1 + s_neg v_lo): one rounding
    const B sat(logistic_saturation<T>);
    return xsimd::select(v < -sat, B(T(0)), xsimd::select(v > sat, x, f));
  }

  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
#if defined(__AVX512F__)
    if constexpr (math::has_scalef_v<A>) {
      if (p.p0 != T(0)) return dy * derivative_lut(x, p);
    }
#endif
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
#if defined(__AVX512F__)
    if constexpr (math::has_scalef_v<A>) return dy * derivative_lut(x, p);  // the same bits as backward
#endif
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
#if defined(__AVX512F__)
  // Where v > cap, sigmoid(v) and swish'(v) round to 1; m / (1 + e^cap) stays normal, (1 + e^40)^2
  // finite.
  template <class T>
  static constexpr T forward_cap = sizeof(T) == sizeof(float) ? T(80) : T(700);
  template <class T>
  static constexpr T backward_cap = sizeof(T) == sizeof(float) ? T(40) : T(45);

  // v = beta x as v + v_lo (beta = 1: exact), clamped to [-saturation, cap] (v_lo 0 beyond).
  template <bool beta_is_one, class T, class A>
  static batch<T, A> clamped_v(batch<T, A> x, const kparams<T>& p, T cap, batch<T, A>& v_lo) {
    using B = batch<T, A>;
    B v = x;
    if constexpr (beta_is_one)
      v_lo = B(T(0));
    else
      v = beta_times(x, p, v_lo);
    return math::clamp(v, B(-logistic_saturation<T>), B(cap));
  }

  // swish(x) = x e^v / (1 + e^v) = 2^floor(n) x (m / (1 + e^v)), e^v = m 2^floor(n) (table-driven,
  // v_lo folded into m): one scaling at the end keeps x sigmoid(v) accurate where e^v is subnormal.
  // Below -saturation the result is 0 (also for x = -inf), above the cap sigmoid rounds to 1.
  template <bool beta_is_one, class T, class A>
  static batch<T, A> forward_lut(batch<T, A> x, const kparams<T>& p) {
    using B = batch<T, A>;
    B v_lo, n;
    B v = clamped_v<beta_is_one>(x, p, forward_cap<T>, v_lo);
    B m = math::exp_mant(v, v_lo, n);
    B f = math::scalef(x * math::divide(m, B(T(1)) + math::scalef(m, n)), n);  // x m first could overflow
    return xsimd::select(v == B(-logistic_saturation<T>), B(T(0)), f);
  }

  // swish'(v) = sigmoid(v) (1 + v sigmoid(-v)) = e^v (d + v) / d^2, d = 1 + e^v, scaled as forward.
  template <bool beta_is_one, class T, class A>
  static batch<T, A> derivative_lut(batch<T, A> x, const kparams<T>& p) {
    using B = batch<T, A>;
    B v_lo, n;
    B v = clamped_v<beta_is_one>(x, p, backward_cap<T>, v_lo);
    B m = math::exp_mant(v, v_lo, n);
    B d = B(T(1)) + math::scalef(m, n);
    B num = m * ((d + v) + v_lo);
    return math::scalef(math::divide(num, d * d), n);
  }
  template <class T, class A>
  static batch<T, A> derivative_lut(batch<T, A> x, const kparams<T>& p) {
    return p.p0 == T(1) ? derivative_lut<true>(x, p) : derivative_lut<false>(x, p);
  }
#endif

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
