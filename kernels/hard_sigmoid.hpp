// hard_sigmoid(x) = clamp(slope * x + offset, 0, 1) (fused where the ISA has
// FMA: one rounding); derivative slope where 0 < slope*x + offset < 1, else 0.
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"
#include "kernels/relu.hpp"  // raise_below, lower_above

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct hard_sigmoid_kernel : unconstrained {
  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>& p) {
    using B = batch<T, A>;
    B v = math::fma(B(p.p0), x, B(p.p1));
    return raise_below(lower_above(v, B(T(1))), B(T(0)));
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
    using B = batch<T, A>;
    B v = math::fma(B(p.p0), x, B(p.p1));
    return dy * nan_where_nan(x, slope_inside(v, p));
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>& p) {
    return dy * nan_where_nan(y, slope_inside(y, p));
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>& p) {
    T v = std::fma(p.p0, x, p.p1);
    return v < 0 ? T(0) : (v > 1 ? T(1) : v);
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>& p) {
    T v = std::fma(p.p0, x, p.p1);
    return dy * scalar_nan_where_nan(x, (v > 0 && v < 1) ? p.p0 : T(0));
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>& p) {
    return dy * scalar_nan_where_nan(y, (y > 0 && y < 1) ? p.p0 : T(0));
  }

 private:
  template <class T, class A>
  static batch<T, A> slope_inside(batch<T, A> v, const kparams<T>& p) {
    using B = batch<T, A>;
    return xsimd::select((v > B(T(0))) && (v < B(T(1))), B(p.p0), B(T(0)));
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
