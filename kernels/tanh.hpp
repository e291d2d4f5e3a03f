// tanh(x); tanh'(x) = 1 - tanh^2 x computed as 4 e / (1 + e)^2 with e = e^-2|x|
// (no cancellation for large |x|, scaled once so it stays accurate down to
// the smallest normal). From y: (1 - y)(1 + y).
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct tanh_kernel : unconstrained {
  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    return math::tanh(x);
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    B k;
    B m = math::exp_split(B(T(-2)) * xsimd::abs(x), k);
    B one_e = B(T(1)) + math::ldexp(m, k);
    return dy * math::ldexp(math::divide(B(T(4)) * m, one_e * one_e), k);
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    return dy * ((B(T(1)) - y) * (B(T(1)) + y));
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    return std::tanh(x);
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    T c = std::cosh(x);
    return dy / (c * c);
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>&) {
    return dy * ((1 - y) * (1 + y));
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
