// hard_tanh(x) = clamp(x, min_val, max_val); derivative 1 strictly inside, 0
// at and beyond both bounds (PyTorch). Exact; NaN passes through (x86 min/max
// with x second, or the selects: see kernels/relu.hpp).
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"
#include "kernels/relu.hpp"  // raise_below, lower_above

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct hard_tanh_kernel {
  static const char* check(direction, double lo, double hi) {
    return lo > hi ? "min_val (greater than max_val)" : nullptr;
  }

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>& p) {
    using B = batch<T, A>;
    // = x < lo ? lo : (x > hi ? hi : x) as lo <= hi (check() rejects the rest).
    return raise_below(lower_above(x, B(p.p1)), B(p.p0));
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
    using B = batch<T, A>;
    auto inside = (x > B(p.p0)) && (x < B(p.p1));
    return dy * nan_where_nan(x, xsimd::select(inside, B(T(1)), B(T(0))));
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>& p) {
    return backward(y, dy, p);  // y is strictly inside exactly where x is
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>& p) {
    return x < p.p0 ? p.p0 : (x > p.p1 ? p.p1 : x);
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>& p) {
    return dy * scalar_nan_where_nan(x, (x > p.p0 && x < p.p1) ? T(1) : T(0));
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>& p) {
    return scalar_backward(y, dy, p);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
