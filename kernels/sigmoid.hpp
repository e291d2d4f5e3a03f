// sigmoid(x) = E / (F + E), E = F e^min(x, 30 / 40) (math::exp_scaled: F = 1 with vscalef, else the
// power of two that keeps F e^x one normal scaling): one division, which also rounds the gradual underflow
// below -87.3 once; all x. sigmoid'(x) = e^-|x| / (1 + e^-|x|)^2 (no 1 - s cancellation); from y: y (1 - y).
// Max error (tools/exhaustive STRIDE=16): avx512 forward 2.88 ULP at -2.752, backward 4.23 ULP at 2.760;
// avx2 forward 2.28 ULP at -2.014, backward 3.59 ULP at 2.761. dy sigmoid' stays accurate where sigmoid' alone
// is subnormal (e^-|x| = m 2^n, scaled after the product with dy).
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct sigmoid_kernel : unconstrained {
  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    using B = batch<T, A>;
    B e = math::exp_scaled(x);  // e^x F
    return math::divide(e, B(math::exp_scaled_factor<T, A>) + e);
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    B n;
    B m = exp_nonpositive_split(x | B(T(-0.0)), n);  // e^-|x| = m 2^n: the sign bit set in one operation
    B n_hi = xsimd::max(n, B(normal_scale_floor<T>));
    B one_e = B(T(1)) + math::scale_normal(m, n_hi);  // below 2^n_hi e^-|x| vanishes next to 1
    return dy_times_scaled_slope(dy, math::divide(m, one_e * one_e), n);
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    return dy_times_product(dy, y, B(T(1)) - y);
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    return T(1) / (T(1) + std::exp(-x));
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    return scalar_dy_times_slope(x, dy, [](auto w) {
      auto e = std::exp(-std::fabs(w));
      return e / ((1 + e) * (1 + e));
    });
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>&) {
    return scalar_dy_times_product(dy, y, 1 - y);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
