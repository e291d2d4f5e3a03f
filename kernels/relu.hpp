// relu(x) = max(x, 0); relu'(x) = x > 0 ? 1 : 0 (relu'(0) = 0, as PyTorch).
// Exact. NaN stays NaN (a select, not x86 max, which would return 0).
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct relu_kernel : unconstrained {
  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    return xsimd::select(x < batch<T, A>(T(0)), batch<T, A>(T(0)), x);
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    return dy * nan_where_nan(x, xsimd::select(x > batch<T, A>(T(0)), batch<T, A>(T(1)), batch<T, A>(T(0))));
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>& p) {
    return backward(y, dy, p);  // y > 0 exactly where x > 0
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    return x < 0 ? T(0) : x;
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    return dy * scalar_nan_where_nan(x, x > 0 ? T(1) : T(0));
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>& p) {
    return scalar_backward(y, dy, p);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
