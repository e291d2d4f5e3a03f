// What every activation kernel shares: its parameter pack and small helpers.
//
// A kernel is a struct `NAME_kernel` (kernels/NAME.hpp) with
//   check(direction, p0, p1)        -> nullptr, or the name of a bad parameter
//   forward(x, p)                   y = f(x)            on xsimd batches
//   backward(x, dy, p)              dx = dy * f'(x)     on xsimd batches
//   backward_from_output(y, dy, p)  the same from y = f(x), where it exists
//   scalar_forward / scalar_backward / scalar_backward_from_output:
//                                   the plain std:: loop bodies (the baseline)
// and knows nothing of pointers, threads or ISAs.
#pragma once

#include "kernels/namespace.hpp"

#include <cmath>
#include <limits>

#include <xsimd/xsimd.hpp>

#include "kernels/math/math.hpp"
#include "kernels/params.hpp"
#include "kernels/scalar_wide.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

using simdact::detail::direction;
using simdact::detail::kparams;

template <class T, class A>
using batch = xsimd::batch<T, A>;

// Beyond |v| > logistic_saturation<T>, sigmoid(v) is exactly 0 or 1 in T
// and so is g * sigmoid(v) for every finite g (e^-200 * FLT_MAX and
// e^-1500 * DBL_MAX round to 0): kernels select the limit there instead of
// scaling by exponents far outside T's range.
template <class T>
inline constexpr T logistic_saturation = sizeof(T) == sizeof(float) ? T(200) : T(1500);

// A power-of-two exponent that keeps any factor in [2^-4, 2^4] normal when
// scaled by it: kernels scale a small slope by max(n, this) first and by the
// rest after multiplying by dy, so dy * slope loses no bits to subnormals.
template <class T>
inline constexpr T normal_scale_floor = sizeof(T) == sizeof(float) ? T(-100) : T(-1000);

// dy * slope * 2^n for a slope factor in [2^-4, 2^9]: 2^n in one step where every lane's n is at least
// normal_scale_floor (the usual case), else in two, the part below the floor after the product with dy
// (math::times_slope), so that dy f'(x) stays accurate where f'(x) alone is subnormal. The same bits either way.
template <class B>
inline B dy_times_scaled_slope(B dy, B slope, B n) {
  using T = typename B::value_type;
  const B floor(normal_scale_floor<T>);
  if (xsimd::all(n >= floor)) return dy * math::scale_normal(slope, n);
  B n_hi = xsimd::max(n, floor);
  return math::times_slope(dy, math::scale_normal(slope, n_hi), n - n_hi);
}

// e^x = m 2^n for x <= 0 (exp_mant of x clamped to [-saturation, 0], NaN kept; m = 1, n = 0 for x >= 0), for
// slopes that go through dy_times_scaled_slope: below -saturation dy e^x rounds to 0 for every finite dy.
template <class B>
inline B exp_nonpositive_split(B x, B& n) {
  using T = typename B::value_type;
  return math::exp_mant(math::clamp(x, B(-logistic_saturation<T>), B(T(0))), n);
}

// dy * slope(x) in the scalar baselines: the product in the wide type (double for float; long double for
// double where needs_wide(x), by default |x| > 700), since slope alone may be subnormal where the product is
// not; an infinite dy meets the slope rounded to T, as in the kernels.
template <class T, class Slope, class NeedsWide>
inline T scalar_dy_times_slope(T x, T dy, Slope slope, NeedsWide needs_wide) {
  auto dy_slope = [slope, dy](auto w) { return decltype(w)(dy) * slope(w); };
  return std::isinf(dy) ? dy * scalar_eval(x, slope, needs_wide) : scalar_eval(x, dy_slope, needs_wide);
}
template <class T, class Slope>
inline T scalar_dy_times_slope(T x, T dy, Slope slope) {
  return scalar_dy_times_slope(x, dy, slope, [](T v) { return std::fabs(v) > T(700); });
}

// dy * a * b for the from-output slopes (y (1 - y), (1 - y)(1 + y)): dy (a b), two roundings, so that a
// subnormal dy loses nothing before the second factor (dy a first rounded dy y (1 - y) by 8.6 ulp for dy =
// 2e-41, y = 43); (dy a) b where a b overflows (|y| > 1e19 / 1e154) and dy may bring the product back.
template <class B>
inline B dy_times_product(B dy, B a, B b) {
  B ab = a * b;
  return xsimd::select(xsimd::isinf(ab), (dy * a) * b, dy * ab);
}
template <class T>
inline T scalar_dy_times_product(T dy, T a, T b) {
  T ab = a * b;
  return std::isinf(ab) ? (dy * a) * b : dy * ab;
}

// d, except NaN where x is NaN: the derivative of a piecewise function at NaN.
template <class B>
inline B nan_where_nan(B x, B d) {
  return xsimd::select(xsimd::isnan(x), x, d);
}

template <class T>
inline T scalar_nan_where_nan(T x, T d) {
  return x != x ? x : d;
}

// Base of a kernel that accepts any finite parameter values (the API rejects
// non-finite ones); a kernel with constraints defines its own check().
struct unconstrained {
  static const char* check(direction, double, double) { return nullptr; }
};

}  // namespace kernels
SIMDACT_KERNELS_END
