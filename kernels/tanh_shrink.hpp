// tanh_shrink(x) = x - tanh x (math::tanh_shrink: no cancellation near 0,
// where it is x^3/3); tanh_shrink'(x) = tanh^2 x.
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"
#include "kernels/scalar_wide.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct tanh_shrink_kernel : unconstrained {
  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    return math::tanh_shrink(x);
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    batch<T, A> t = math::tanh(x);
    return dy * (t * t);
  }

  // Baseline: the Taylor series x^3/3 - 2x^5/15 + 17x^7/315 - ... near 0 (where
  // x - tanh x cancels), x - tanh x in a wider type elsewhere.
  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    auto formula = [](auto w) {
      using W = decltype(w);
      if (std::fabs(w) < W(0.125)) {
        W s = w * w;
        W poly = W(1) / 3 +
                 s * (W(-2) / 15 +
                      s * (W(17) / 315 + s * (W(-62) / 2835 + s * (W(1382) / 155925 + s * (W(-21844) / 6081075)))));
        return w * s * poly;
      }
      return w - std::tanh(w);
    };
    return scalar_eval(x, formula, [](T v) { return std::fabs(v) < T(1.5); });
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    T t = std::tanh(x);
    return dy * (t * t);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
