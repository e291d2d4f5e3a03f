// swish(x) = x * sigmoid(beta x), beta learnable (beta = 1: SiLU).
// v = beta x is kept as v_hi + v_lo (exp would amplify its rounding by |v|),
// and x * sigmoid(v) is scaled once, so it stays accurate near -88 (float).
// d/dx = s (1 + v s_neg), d/dbeta = x^2 s s_neg, with s = sigmoid(v),
// s_neg = sigmoid(-v). Limits: swish(-inf) = 0 for beta > 0, not -inf * 0;
// beta = 0 is x / 2 exactly (derivative 1/2, d/dbeta = x^2 / 4). Forward and d/dx come from
// e^v = m 2^floor(n) (exp_mant) with one division and one final scaling (forward_split); dy d/dx scales
// after the product with dy (dy_times_derivative).
// Max error (tools/exhaustive 1-in-32, avx512, beta = 1): forward 3.29 ULP at -2.005, backward 4.94.
#pragma once

#include "kernels/common.hpp"
#include "kernels/math/eft.hpp"
#include "kernels/scalar_wide.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct swish_kernel : unconstrained {
  static constexpr bool has_param_gradient = true;

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>& p) {
    using B = batch<T, A>;
    if (p.p0 == T(0)) return x * B(T(0.5));
    return p.p0 == T(1) ? forward_split<true>(x, p) : forward_split<false>(x, p);
  }

  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
    if (p.p0 != T(0)) return dy_times_derivative(x, dy, p);
    batch<T, A> ignored;
    return backward_param_grad(x, dy, p, ignored);
  }

  // Beyond |v| > dbeta_saturation, dy x^2 sigma(v) sigma(-v) rounds to 0 for every finite dy and x
  // (|dy| x^2 < 2^384 / 2^3072, e^-370 < 2^-533, e^-2880 < 2^-4154); logistic_saturation is not enough here
  // (beta = 0.5, x = 410, dy = 3e38: 7.6e-44 at |v| = 205).
  template <class T>
  static constexpr T dbeta_saturation = sizeof(T) == sizeof(float) ? T(370) : T(2880);

  // dy x^2 slope 2^k (slope in [2^-4, 2^3], k <= 0 integer-valued) without an intermediate overflow or
  // underflow (dy x first overflowed at x = -33.2, dy = 1.9e36, where dy d/dbeta is 1.3e32): dy and x as
  // [0, 4) 2^e (math::split_exponent), the product of the rest below 2^9, the power of two applied once.
  template <class B>
  static B dy_x2_scaled(B dy, B x, B slope, B k) {
    B ed, ex;
    B ds = math::split_exponent(dy, ed);
    B xs = math::split_exponent(x, ex);
    return math::ldexp(((ds * xs) * xs) * slope, ed + (ex + ex) + k);
  }

  // dx, and in dbeta the per-element dy * d swish / d beta = dy x^2 sigma(v) sigma(-v)
  // = dy x^2 e^-|v| / (1 + e^-|v|)^2 (beta = 0: dy x^2 / 4); an infinite dy meets d/dbeta as T holds it.
  template <class T, class A>
  static batch<T, A> backward_param_grad(batch<T, A> x, batch<T, A> dy, const kparams<T>& p, batch<T, A>& dbeta) {
    using B = batch<T, A>;
    auto infinite_dy = xsimd::isinf(dy);
    B dy_or_one = xsimd::select(infinite_dy, B(T(1)), dy);
    B g;
    if (p.p0 == T(0)) {
      g = dy_x2_scaled(dy_or_one, x, B(T(0.25)), B(T(0)));
    } else {
      B v_lo;
      B v = math::two_prod(B(p.p0), x, v_lo);
      B a = xsimd::abs(v);
      auto saturated = a > B(dbeta_saturation<T>);
      v_lo = xsimd::select(saturated, B(T(0)), v_lo);  // may be inf or NaN there
      // e^-|v| = m^2 2^2k from e^(-|v|/2) = m 2^k: |v| reaches dbeta_saturation, beyond exp_mant's range
      B k;
      B m = math::exp_mant(xsimd::max(a * B(T(-0.5)), B(-dbeta_saturation<T> / 2)), k);
      k = xsimd::floor(k);
      B mm = m * m;
      B e = math::scale_normal(mm, xsimd::max(k + k, B(negligible_expo<T>)));
      B d = B(T(1)) + e;
      // sigma(v) sigma(-v) at v + v_lo: times 1 + (sigma(-v) - sigma(v)) v_lo, sigma(-v) - sigma(v) = -+(1 - e)/d
      // (1 - e)/d taken as 1 - 2e (no division): off by 2e^2/d, which times |v_lo| <= 2^-24 |v| (double
      // 2^-53 |v|) stays below 0.23 2^-24 (2^-53): an eighth of an ulp of the term
      B tanh_half = math::fma(B(T(-2)), e, B(T(1)));
      B correction = B(T(1)) + xsimd::select(v < B(T(0)), tanh_half, -tanh_half) * v_lo;
      g = dy_x2_scaled(dy_or_one, x, math::divide(mm * correction, d * d), k + k);
      g = xsimd::select(saturated, B(T(0)), g);
    }
    dbeta = xsimd::select(infinite_dy, dy * g, g + B(T(0)) * dy);  // + 0 dy: NaN dy stays NaN (x = inf)
    if (p.p0 == T(0)) return dy * nan_where_nan(x, B(T(0.5)));
    return dy_times_derivative(x, dy, p);  // the same bits as backward
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
      using W = wide_t<T>;  // dy x^2 / 4 in the wide type: dy x or x^2 alone may overflow T where it does not
      dbeta = std::isinf(dy) ? dy * T(W(x) * W(x) * W(0.25)) : T(W(dy) * W(x) * W(x) * W(0.25));
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
      if (std::fabs(v) > W(dbeta_saturation<T>)) return W(0);
      W s = W(1) / (W(1) + std::exp(-v));
      W sn = W(1) / (W(1) + std::exp(v));
      return w * w * s * sn;
    };
    // dy first where dy is finite: x^2 alone may overflow where dy x^2 does not (as the vector path)
    auto beta_term = [beta, dy](auto w) {
      using W = decltype(w);
      W v = W(beta) * w;
      if (std::fabs(v) > W(dbeta_saturation<T>)) return W(dy) * W(0);
      W s = W(1) / (W(1) + std::exp(-v));
      W sn = W(1) / (W(1) + std::exp(v));
      return (((W(dy) * w) * s) * sn) * w;
    };
    auto wide_tail = [beta](T v) { return std::fabs(beta * v) > T(2); };
    // double: also wide where dy x x may overflow on the way (|x| > 2^16 or |dy| > 2^960)
    auto dbeta_wide = [beta, dy](T v) {
      return std::fabs(beta * v) > T(2) || std::fabs(v) > T(0x1p16) || std::fabs(dy) > T(0x1p960);
    };
    dbeta = std::isinf(dy) ? dy * scalar_eval(x, beta_derivative, wide_tail) : scalar_eval(x, beta_term, dbeta_wide);
    return scalar_dy_times_slope(x, dy, derivative, wide_tail);
  }

 private:
  // Where v > cap, sigmoid(v) and swish'(v) round to 1; m / (1 + e^cap) stays normal, (1 + e^40)^2
  // finite.
  template <class T>
  static constexpr T forward_cap = sizeof(T) == sizeof(float) ? T(80) : T(700);
  template <class T>
  static constexpr T backward_cap = sizeof(T) == sizeof(float) ? T(40) : T(45);
  // 2^n below this is 0 next to 1 in T (and 2^this normal): 1 + m 2^max(n, this) is 1 + e^v rounded.
  template <class T>
  static constexpr T negligible_expo = sizeof(T) == sizeof(float) ? T(-60) : T(-120);

  // Below this, x sigmoid(x) (beta = 1) rounds to 0 in T (110 e^-110 < 2^-150, 760 e^-760 < 2^-1075): the
  // exponent stays inside scale_wide's range, cheaper than ldexp off AVX-512. Any other beta: -saturation.
  template <class T>
  static constexpr T silu_floor = sizeof(T) == sizeof(float) ? T(-112) : T(-760);

  // v = beta x as v + v_lo (beta = 1: exact), clamped to [floor, cap] (v_lo 0 beyond).
  template <bool beta_is_one, class T, class A>
  static batch<T, A> clamped_v(batch<T, A> x, const kparams<T>& p, T floor, T cap, batch<T, A>& v_lo) {
    using B = batch<T, A>;
    B v = x;
    if constexpr (beta_is_one)
      v_lo = B(T(0));
    else
      v = beta_times(x, p, v_lo);
    return math::clamp(v, B(floor), B(cap));
  }

  // 1 + e^v for e^v = m 2^floor(n)
  template <class B>
  static B one_plus_exp(B m, B n) {
    using T = typename B::value_type;
    return B(T(1)) + math::scale_normal(m, xsimd::max(n, B(negligible_expo<T>)));
  }

  // swish(x) = x e^v / (1 + e^v) = 2^floor(n) x (m / (1 + e^v)), e^v = m 2^floor(n) (exp_mant: on AVX-512
  // table-driven, v_lo folded into m): one scaling at the end (ldexp: vscalef, or exact powers of two) keeps
  // x sigmoid(v) accurate where e^v is subnormal. Below -saturation the result is 0 (also for x = -inf),
  // above the cap sigmoid rounds to 1.
  template <bool beta_is_one, class T, class A>
  static batch<T, A> forward_split(batch<T, A> x, const kparams<T>& p) {
    using B = batch<T, A>;
    const T floor = beta_is_one ? silu_floor<T> : -logistic_saturation<T>;
    B v_lo, n;
    B v = clamped_v<beta_is_one>(x, p, floor, forward_cap<T>, v_lo);
    B m = beta_is_one ? math::exp_mant(v, n) : math::exp_mant(v, v_lo, n);  // beta = 1: v_lo = 0
    B y = x * math::divide(m, one_plus_exp(m, n));                          // x m first could overflow
    // beta = 1: |y| <= 112 m, 2^floor(n) >= 2^-162 (float) / 2^-1097: scale_wide's range
    B f = beta_is_one ? math::scale_wide(y, n) : math::ldexp(y, n);
    return xsimd::select(v == B(floor), B(T(0)), f);
  }

  // dy swish'(v), swish'(v) = sigmoid(v) (1 + v sigmoid(-v)) = e^v (d + v) / d^2, d = 1 + e^v = 1 + m 2^n:
  // the quotient (|.| <= 2^9) scaled by 2^n in two steps, the part below normal_scale_floor after the product
  // with dy, so that dy swish' stays accurate where swish' alone is subnormal (v below about -87 / -708).
  // Below -saturation (-200 / -1500) dy swish' rounds to 0 for every finite dy, beta = 1 included.
  template <bool beta_is_one, class T, class A>
  static batch<T, A> dy_times_derivative(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
    using B = batch<T, A>;
    B v_lo, n;
    B v = clamped_v<beta_is_one>(x, p, -logistic_saturation<T>, backward_cap<T>, v_lo);
    B m = beta_is_one ? math::exp_mant(v, n) : math::exp_mant(v, v_lo, n);  // beta = 1: v_lo = 0
    B d = one_plus_exp(m, n);
    B num = m * ((d + v) + v_lo);
    return dy_times_scaled_slope(dy, math::divide(num, d * d), n);
  }
  template <class T, class A>
  static batch<T, A> dy_times_derivative(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
    return p.p0 == T(1) ? dy_times_derivative<true>(x, dy, p) : dy_times_derivative<false>(x, dy, p);
  }

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
