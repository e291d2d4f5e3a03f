// The softmax family's rows that are not "finite max, no NaN": classified and
// written by plain scalar code, the same in every ISA (they are rare, and
// their results are exact: NaN, 0, -inf, 1/count, -log(count)).
#pragma once

#include "kernels/namespace.hpp"

#include <cmath>
#include <cstddef>
#include <limits>

#include "kernels/rowwise/types.hpp"

SIMDACT_KERNELS_BEGIN
namespace rowwise {

using detail::row_class;
using detail::row_summary;

// The three forward operations: softmin(x) = softmax(-x).
enum class forward_kind { softmax, log_softmax, softmin };
template <forward_kind K>
struct forward_op {
  static constexpr bool negate = K == forward_kind::softmin;
  static constexpr bool log_output = K == forward_kind::log_softmax;
};

// The value at the +inf positions of a row holding `count` of them.
template <class T, bool Log>
inline T pos_inf_share(std::size_t count) {
  const double c = static_cast<double>(count);
  return Log ? T(0.0 - std::log(c)) : T(1.0 / c);
}

// Classifies a row (elements negated first when Negate); for pos_inf also
// returns the share of each +inf element in summary.scale.
template <bool Negate, bool Log, class T>
inline row_summary<T> classify_row(const T* x, std::size_t n) {
  row_summary<T> s;
  T m = -std::numeric_limits<T>::infinity();
  std::size_t pos_inf = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const T v = Negate ? -x[i] : x[i];
    if (v != v) {
      s.kind = row_class::has_nan;
      return s;
    }
    if (v > m) m = v;
    if (v == std::numeric_limits<T>::infinity()) ++pos_inf;
  }
  s.max = m;
  if (m == -std::numeric_limits<T>::infinity()) {
    s.kind = row_class::all_neg_inf;
  } else if (pos_inf > 0) {
    s.kind = row_class::pos_inf;
    s.scale = pos_inf_share<T, Log>(pos_inf);
  }
  return s;
}

// Writes a row of kind has_nan, all_neg_inf or pos_inf (elementwise, so y may be x).
template <bool Negate, bool Log, class T>
inline void write_special_row(const T* x, T* y, std::size_t n, const row_summary<T>& s) {
  const T inf = std::numeric_limits<T>::infinity();
  const T zero_mass = Log ? -inf : T(0);
  switch (s.kind) {
    case row_class::has_nan:
      for (std::size_t i = 0; i < n; ++i) y[i] = std::numeric_limits<T>::quiet_NaN();
      break;
    case row_class::all_neg_inf:
      for (std::size_t i = 0; i < n; ++i) y[i] = zero_mass;
      break;
    case row_class::pos_inf:
      for (std::size_t i = 0; i < n; ++i) y[i] = (Negate ? -x[i] : x[i]) == inf ? s.scale : zero_mass;
      break;
    case row_class::finite:
      break;
  }
}

// The kernels take e^t as 0 below this: e^t is then under T's smallest normal
// (ln FLT_MIN = -87.3365448, ln DBL_MIN = -708.39641853226411), and keeping
// exp's argument at or above it keeps its intermediates normal (x86 cores can
// take a microcode assist per subnormal: 9x slower softmax on 3-column rows,
// whose padding lanes are -inf, measured on an Intel Xeon). The nearest T at or
// above ln T_MIN (e^floor is T_MIN (1 + 38 / 124 ulp)): -87.33 flushed results
// up to 1.0007 FLT_MIN (a softmax of 1.18e-38 came out 0; found by the fuzzer).
template <class T>
inline constexpr T exp_floor = sizeof(T) == sizeof(float) ? T(-0x1.5d589ep+6f) : T(-0x1.6232bdd7abcd2p+9);

}  // namespace rowwise
SIMDACT_KERNELS_END
