// tanh(x) via math::tanh_fast (AVX-512: u / (2 - u), u = 1 - e^-2|x| from the table-driven
// exponential; math::tanh elsewhere). tanh'(x) = 1 - tanh^2 x computed as 4 e / (1 + e)^2 with
// e = e^-2|x| (no cancellation for large |x|); the slope's 2^n is applied in two steps, the second
// after the product with dy, so dy * tanh'(x) is accurate where tanh'(x) alone is subnormal or 0
// (x = -49.9, dy = 8.5e6: 1.47e-36, found by the fuzzer); an infinite dy meets the slope rounded
// to T (inf * 0 = NaN where it underflows, as in every kernel). From y: (1 - y)(1 + y).
// Max error (tools/exhaustive 1-in-32, avx512): forward 3.36 ULP at 2.003, backward 3.69 ULP at 2.504.
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
#if defined(__AVX512F__)
    if constexpr (math::has_scalef_v<A>) {
      // the same with the table-driven e^-2|x| = m 2^floor(n) and vscalef
      B neg_a = x | B(T(-0.0));
      B n;
      B m = math::exp_mant(xsimd::max(B(-logistic_saturation<T>), neg_a + neg_a), n);
      B one_e = B(T(1)) + math::scalef(m, n);
      B n_hi = xsimd::max(n, B(normal_scale_floor<T>));
      B slope_hi = math::scalef(math::divide(B(T(4)) * m, one_e * one_e), n_hi);
      B dx = math::scalef(dy * slope_hi, n - n_hi);
      return xsimd::select(xsimd::isinf(dy), dy * math::scalef(slope_hi, n - n_hi), dx);
    }
#endif
    B k;
    B m = math::exp_split(B(T(-2)) * xsimd::abs(x), k);
    B one_e = B(T(1)) + math::ldexp(m, k);
    B k_hi = xsimd::max(k, B(normal_scale_floor<T>));
    B slope_hi = math::ldexp(math::divide(B(T(4)) * m, one_e * one_e), k_hi);
    B dx = math::ldexp(dy * slope_hi, k - k_hi);
    return xsimd::select(xsimd::isinf(dy), dy * math::ldexp(slope_hi, k - k_hi), dx);
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    return (dy * (B(T(1)) - y)) * (B(T(1)) + y);  // dy first: 1 - y^2 alone overflows for |y| > 1e19
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    return std::tanh(x);
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    T c = std::cosh(x);
    if (std::isinf(dy)) return dy * (T(1) / (c * c));  // inf * (the slope rounded to T)
    return dy / c / c;  // c * c overflows from |x| = 44.4 (float) where dy / c^2 need not be 0
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>&) {
    return (dy * (1 - y)) * (1 + y);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
