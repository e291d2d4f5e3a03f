// leaky_relu(x) = x > 0 ? x : alpha * x; derivative 1 or alpha (alpha at 0).
// One rounding (alpha * x). From the output needs alpha > 0 (sign of y = sign of x).
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"
#include "kernels/relu.hpp"  // raise_below

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct leaky_relu_kernel {
  static const char* check(direction d, double alpha, double) {
    return d == direction::backward_from_output && !(alpha > 0) ? "alpha (must be > 0 to invert from the output)"
                                                                : nullptr;
  }

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>& p) {
    using B = batch<T, A>;
    // For 0 < alpha <= 1 (the usual case, first: the loop is unswitched on
    // it), alpha * x >= x exactly where x <= 0 and the two agree bitwise
    // where equal, so the larger of them is the select below.
    const bool shrinks = p.p0 > T(0) && p.p0 <= T(1);
    if (shrinks) return raise_below(x, B(p.p0) * x);
    if (p.p0 == T(0)) return raise_below(x, B(T(0)));  // 0 * -inf would be NaN; the limit is 0
    return xsimd::select(x > B(T(0)), x, B(p.p0) * x);
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
    return dy * nan_where_nan(x, xsimd::select(x > batch<T, A>(T(0)), batch<T, A>(T(1)), batch<T, A>(p.p0)));
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>& p) {
    return backward(y, dy, p);
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>& p) {
    if (p.p0 == 0) return x < 0 ? T(0) : x;
    return x > 0 ? x : p.p0 * x;
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>& p) {
    return dy * scalar_nan_where_nan(x, x > 0 ? T(1) : p.p0);
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>& p) {
    return scalar_backward(y, dy, p);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
