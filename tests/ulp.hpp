// ULP distances between a computed T (float or double) and an exact value held
// in long double (64-bit significand on x86: 11 bits more than double, so
// rounding the exact value to long double moves it by at most 2^-11 ulp of
// double). An ULP here is the spacing of T in the binade of the exact value,
// and denorm_min for exact values below the smallest normal.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace simdact_test {

template <class T>
inline constexpr long double eps_v = std::numeric_limits<T>::epsilon();
template <class T>
inline constexpr long double min_normal_v = std::numeric_limits<T>::min();
template <class T>
inline constexpr long double max_finite_v = std::numeric_limits<T>::max();

// The bit pattern of a float or double, and back.
template <class T>
auto bits_of(T v) {
  using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  U u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}
template <class T, class U>
T from_bits(U u) {
  static_assert(sizeof(T) == sizeof(U), "same size");
  T v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

// Spacing of T around |exact| (T's spacing at its largest binade beyond max).
// Read from the exponent field of exact rounded to T (no libm calls: this is
// the sweeps' inner loop), one binade lower where that rounding went up to a
// power of two.
template <class T>
long double ulp_of(long double exact) {
  long double a = std::fabs(exact);
  if (!(a >= min_normal_v<T>)) return std::numeric_limits<T>::denorm_min();
  if (a > max_finite_v<T>) a = max_finite_v<T>;
  constexpr int mant = std::numeric_limits<T>::digits - 1;
  const T t = static_cast<T>(a);
  const auto u = bits_of(t);
  using U = decltype(u);
  int biased = int(u >> mant);
  if (static_cast<long double>(t) > a && (u & ((U(1) << mant) - 1)) == 0) --biased;
  const int k = biased - mant;  // the ulp's biased exponent, if it is normal
  return k >= 1 ? from_bits<T>(U(k) << mant) : from_bits<T>(U(1) << (k + mant - 1));
}

// True when exact is a non-zero value smaller in magnitude than T's smallest normal.
template <class T>
bool is_subnormal_range(long double exact) {
  return exact != 0 && std::fabs(exact) < min_normal_v<T>;
}

// |computed - exact| in ULPs of T at exact. NaN against NaN and equal
// infinities are 0; a NaN against a number, or an infinity against anything
// else, is +inf. An exact value beyond T's range is matched by the infinity of
// its sign (what rounding gives) at distance 0.
template <class T>
long double ulp_error(T computed, long double exact) {
  const bool c_nan = std::isnan(computed), e_nan = std::isnan(exact);
  if (c_nan || e_nan) return c_nan && e_nan ? 0.0L : std::numeric_limits<long double>::infinity();
  const long double c = computed;
  if (std::isinf(c) || std::isinf(exact)) {
    if (c == exact) return 0;
    // The exact value rounds to an infinity in T: computed inf of that sign is exact.
    if (std::isinf(c) && !std::isinf(exact) && std::isinf(static_cast<T>(exact)) &&
        std::signbit(c) == std::signbit(exact))
      return 0;
    return std::numeric_limits<long double>::infinity();
  }
  return std::fabs(c - exact) / ulp_of<T>(exact);
}

// Bit-exact comparison (NaN included).
template <class T>
bool same_bits(T a, T b) {
  return bits_of(a) == bits_of(b);
}

}  // namespace simdact_test
