// sigmoid(x) = 1 / (1 + e^-x), float/double, all x; e^-x overflowing below
// -88.7 (float) gives 0 where the exact result is subnormal.
// sigmoid'(x) = e^-|x| / (1 + e^-|x|)^2 (no 1 - s cancellation); from y: y (1 - y).
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct sigmoid_kernel : unconstrained {
  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    using B = batch<T, A>;
    return math::divide(B(T(1)), B(T(1)) + math::exp(-x));
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    B e = math::exp(-xsimd::abs(x));
    B one_e = B(T(1)) + e;
    return dy * math::divide(e, one_e * one_e);
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    return dy * (y * (B(T(1)) - y));
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    return T(1) / (T(1) + std::exp(-x));
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    T e = std::exp(-std::fabs(x));
    return dy * (e / ((1 + e) * (1 + e)));
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>&) {
    return dy * (y * (1 - y));
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
