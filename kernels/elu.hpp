// elu(x) = x > 0 ? x : alpha * expm1(x), expm1 without e^x - 1 cancellation near 0: on AVX-512 and AVX2
// (float) the table-driven alpha (e^x - 1) of math::expm1_times_where (alpha folded into its constants; on
// AVX-512 masked steps for the select), elsewhere math::expm1_negative. elu'(x) = x > 0 ? 1 : alpha * e^x
// (alpha at 0). From y: y > 0 ? 1 : y + alpha, valid for alpha >= 0. All x (NaN, +-inf, -0 kept).
// Max error (tools/exhaustive STRIDE=16, alpha = 1): avx512 forward 1.87 ULP at -0.0137, backward 1.01;
// avx2 forward 1.77 ULP at -0.0547, backward 0.92.
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct elu_kernel {
  static const char* check(direction d, double alpha, double) {
    return d == direction::backward_from_output && alpha < 0 ? "alpha (must be >= 0 to invert from the output)"
                                                             : nullptr;
  }

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>& p) {
    using B = batch<T, A>;
    return math::expm1_times_where(x < B(T(0)), x, B(p.p0), x);  // +-0, NaN: x
  }
  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
    using B = batch<T, A>;
    B n;
    B m = exp_nonpositive_split(x, n);  // x > 0: 1, 2^0
    return dy_times_scaled_slope(dy, xsimd::select(x > B(T(0)), B(T(1)), B(p.p0) * m), n);
  }

  // alpha far from 1 (1e-30, 1e30; chosen once per call by the driver): alpha = alpha_m 2^e, alpha_m in
  // [0.5, 1), so that alpha's exponent joins e^x's 2^n after the product with dy (alpha e^x alone may be
  // subnormal, and a large alpha dy brings e^x back from beyond logistic_saturation, down to -x_floor);
  // an exponent below 2 (1 - bias) + normal_scale_floor gives 0 whatever dy and alpha_m.
  template <class T>
  static bool general_backward(const kparams<T>& p) {
    return !(std::fabs(p.p0) >= T(0x1p-4) && std::fabs(p.p0) <= T(0x1p4));
  }
  template <class T>
  static constexpr T x_floor = sizeof(T) == sizeof(float) ? T(290) : T(2170);  // e^x < 2^-406 / 2^-3123
  template <class T, class A>
  static batch<T, A> backward_general(batch<T, A> x, batch<T, A> dy, const kparams<T>& p) {
    using B = batch<T, A>;
    int e;
    const T alpha_m = std::frexp(p.p0, &e);
    B n;
    B m = math::exp_mant(math::clamp(x, B(-x_floor<T>), B(T(0))), n);
    const B lowest(T(2 * (1 - math::fp_bits<T>::bias)) + normal_scale_floor<T>);
    auto positive = x > B(T(0));
    return dy_times_scaled_slope(dy, xsimd::select(positive, B(T(1)), B(alpha_m) * m),
                                 xsimd::select(positive, B(T(0)), xsimd::max(n + B(T(e)), lowest)));
  }
  template <class T, class A>
  static batch<T, A> backward_from_output(batch<T, A> y, batch<T, A> dy, const kparams<T>& p) {
    using B = batch<T, A>;
    return dy * xsimd::select(y > B(T(0)), B(T(1)), y + B(p.p0));
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>& p) {
    return x > 0 ? x : p.p0 * std::expm1(x);
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>& p) {
    if (x > 0) return dy;
    // long double (double data) in the far tail and for alpha far from 1, where alpha e^x alone leaves double
    auto needs_wide = [a = std::fabs(p.p0)](T v) { return v < T(-600) || !(a >= T(0x1p-30) && a <= T(0x1p30)); };
    return scalar_dy_times_slope(
        x, dy, [a = p.p0](auto w) { return decltype(w)(a) * std::exp(w); }, needs_wide);
  }
  template <class T>
  static T scalar_backward_from_output(T y, T dy, const kparams<T>& p) {
    return dy * (y > 0 ? T(1) : y + p.p0);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
