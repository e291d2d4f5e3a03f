// tanh(x) via math::tanh_fast (float with FMA: u / (1 + u^2/4), u = 2 tanh(x/2) from one rational;
// double on AVX-512: u / (2 - u), u = 1 - e^-2|x| from the table-driven exponential; math::tanh
// elsewhere). tanh'(x) = 1 - tanh^2 x computed as 4 e / (1 + e)^2 with
// e = e^-2|x| (no cancellation for large |x|); the slope's 2^n is applied in two steps, the second
// after the product with dy, so dy * tanh'(x) is accurate where tanh'(x) alone is subnormal or 0
// (x = -49.9, dy = 8.5e6: 1.47e-36, found by the fuzzer); an infinite dy meets the slope rounded
// to T (inf * 0 = NaN where it underflows, as in every kernel). From y: (1 - y)(1 + y).
// Max error (float, tools/exhaustive 1-in-16): forward 2.45 ULP at 0.0625 (avx512 and avx2), backward
// 4.23 ULP at 1.380 (avx512; avx2 3.59).
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct tanh_kernel : unconstrained {
  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    return math::tanh_fast(x);
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    // e^-2|x| = m 2^n (AVX-512: n a multiple of 1/32 and scalef's floor; integer-valued elsewhere)
    B neg_a = x | B(T(-0.0));
    B n;
    B m = math::exp_mant(xsimd::max(B(-logistic_saturation<T>), neg_a + neg_a), n);
    B n_hi = xsimd::max(n, B(normal_scale_floor<T>));
    // e^-2|x| beside 1: below 2^n_hi it vanishes anyway, so 2^n_hi (normal) serves; one exact
    // power of two where ldexp would cost three off AVX-512
    B one_e = B(T(1)) + math::scale_normal(m, n_hi);
    return dy_times_scaled_slope(dy, math::divide(B(T(4)) * m, one_e * one_e), n);
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    return dy_times_product(dy, B(T(1)) - y, B(T(1)) + y);
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    return std::tanh(x);
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    // 1 / cosh^2 in the wide type: cosh(x)^2 overflows T from |x| = 44.4 (float) / 355 (double) where the
    // slope, and dy times it, need not be 0 (T's cosh^2 once made inf * 3.4e-43 a NaN at x = 49.6)
    auto slope = [](auto w) {
      const auto c = std::cosh(w);
      return 1 / (c * c);
    };
    return scalar_dy_times_slope(x, dy, slope, [](T v) { return std::fabs(v) > T(300); });
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>&) {
    return scalar_dy_times_product(dy, 1 - y, 1 + y);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
