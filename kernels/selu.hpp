// selu(x) = scale * (x > 0 ? x : alpha * expm1(x)), with scale * alpha rounded once (and expm1 as in
// elu); selu'(x) = x > 0 ? scale : scale * alpha * e^x. From y: y > 0 ? scale : y + scale * alpha.
// scale * v is computed as v + (scale - 1) v (fused where the arch has FMA): scale rounded to float is above
// the exact scale, and float(scale) * x overflowed to inf at x = 3.2386e38 where selu(x) rounds to FLT_MAX.
// Max error (tools/exhaustive STRIDE=16): avx512 forward 1.64 ULP at -0.813, backward 2.38 ULP at -0.566;
// avx2 forward 1.64 ULP at -0.816, backward 1.72 ULP at -7.504.
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct selu_kernel : unconstrained {
  static constexpr long double alpha = 1.6732632423543772848170429916717L;
  static constexpr long double scale = 1.0507009873554804934193349852946L;

  // scale * v: v plus a product 20 times smaller, fused where the arch has FMA (one rounding; otherwise
  // about 0.53 ULP), no early overflow
  template <class T, class A>
  static batch<T, A> times_scale(batch<T, A> v) {
    return math::fma(v, batch<T, A>(T(scale - 1)), v);
  }
  template <class T>
  static T scalar_times_scale(T v) {
    return v + T(scale - 1) * v;
  }

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    using B = batch<T, A>;
    return math::expm1_times_where(x < B(T(0)), x, B(T(scale * alpha)), times_scale(x));  // +-0, NaN: scale x
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    B n;
    B m = exp_nonpositive_split(x, n);
    return xsimd::select(x > B(T(0)), times_scale(dy), dy_times_scaled_slope(dy, B(T(scale * alpha)) * m, n));
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    return xsimd::select(y > B(T(0)), times_scale(dy), dy * (y + B(T(scale * alpha))));
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    return x > 0 ? scalar_times_scale(x) : T(scale * alpha) * std::expm1(x);
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    if (x > 0) return scalar_times_scale(dy);
    return scalar_dy_times_slope(x, dy, [](auto w) { return decltype(w)(T(scale * alpha)) * std::exp(w); });
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>&) {
    return y > 0 ? scalar_times_scale(dy) : dy * (y + T(scale * alpha));
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
