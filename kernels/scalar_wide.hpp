// The wider type the scalar baseline uses where a formula needs more than T's
// precision in an intermediate (gelu's erfc argument, gelu_tanh's polynomial).
#pragma once

#include "kernels/namespace.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

template <class T>
struct wide;
template <>
struct wide<float> {
  using type = double;
};
template <>
struct wide<double> {
  using type = long double;
};
template <class T>
using wide_t = typename wide<T>::type;

}  // namespace kernels
SIMDACT_KERNELS_END

SIMDACT_KERNELS_BEGIN
namespace kernels {

// The scalar baseline evaluates a formula template `formula<W>(x)` in double
// for float data (cheap, and exact enough everywhere), and for double data in
// double except where `needs_wide(x)` says the argument's rounding would be
// amplified (tails of exp-like terms), where it uses long double.
template <class T, class Formula, class NeedsWide>
inline T scalar_eval(T x, Formula formula, NeedsWide needs_wide) {
  if constexpr (sizeof(T) == sizeof(float)) {
    (void)needs_wide;
    return T(formula(double(x)));
  } else {
    return needs_wide(x) ? T(formula((long double)x)) : formula(x);
  }
}

}  // namespace kernels
SIMDACT_KERNELS_END
