// tanh_shrink(x) = x - tanh x via math::tanh_shrink_fast (float with FMA: (S + x T^2) / (1 + T^2),
// T = tanh(x/2), S = x - 2T from one rational; math::tanh_shrink elsewhere; both free of cancellation
// near 0, where it is x^3/3); tanh_shrink'(x) = tanh^2 x, all x.
// Max error (float, tools/exhaustive, avx512 and avx2): forward 3.71 ULP at 0.361 (every float), backward
// 5.28 ULP at 0.0625 (1-in-16).
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"
#include "kernels/scalar_wide.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

// Taylor coefficients of (x - tanh x) / x^3 for the scalar baseline, from
// tanh' = 1 - tanh^2: with tanh x = sum a_k x^(2k+1),
// (2k+1) a_k = [k = 0] - sum_{i+j=k-1} a_i a_j.
struct tanh_shrink_series {
  static constexpr int terms = 12;
  long double c[terms] = {};
  constexpr tanh_shrink_series() {
    long double a[terms + 1] = {1.0L};
    for (int k = 1; k <= terms; ++k) {
      long double conv = 0;
      for (int i = 0; i <= k - 1; ++i) conv += a[i] * a[k - 1 - i];
      a[k] = -conv / (2 * k + 1);
      c[k - 1] = -a[k];
    }
  }
};

struct tanh_shrink_kernel : unconstrained {
  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    return math::tanh_shrink_fast(x);
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    // the rational tanh (2.4 ULP) where it is the fast path; math::tanh (1 ULP) keeps double's
    // dy tanh^2 within the backward bound
    batch<T, A> t;
    if constexpr (math::tanh_rational_v<batch<T, A>>)
      t = math::tanh_fast(x);
    else
      t = math::tanh(x);
    // t^2 alone underflows for |x| < 1e-19 / 1e-154 where dy t^2 need not: there (dy t) t (|t| <= 1, so dy t
    // never overflows), except for an infinite dy, which meets t^2 as T holds it (NaN where it rounds to 0).
    // A lane's bits do not depend on its neighbours: the branch only skips a select that would keep dy t^2.
    using B = batch<T, A>;
    B tt = t * t;
    auto normal = tt >= B(std::numeric_limits<T>::min());
    if (xsimd::all(normal)) return dy * tt;
    return xsimd::select(normal || xsimd::isinf(dy), dy * tt, (dy * t) * t);
  }

  // Baseline: the Taylor series of x - tanh x near 0 (where the subtraction
  // cancels), x - tanh x in a wider type elsewhere.
  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    auto formula = [](auto w) {
      using W = decltype(w);
      if (std::fabs(w) < W(0.125)) {
        // x^3 * sum_k c_k x^(2k); 12 terms: the ratio is (2x/pi)^2 < 0.0064.
        W s = w * w, poly = 0;
        constexpr tanh_shrink_series series;
        for (int k = series.terms - 1; k >= 0; --k) poly = poly * s + W(series.c[k]);
        return w * s * poly;
      }
      return w - std::tanh(w);
    };
    return scalar_eval(x, formula, [](T v) { return std::fabs(v) < T(1.5); });
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    T t = std::tanh(x);
    return std::isinf(dy) ? dy * (t * t) : (dy * t) * t;
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
