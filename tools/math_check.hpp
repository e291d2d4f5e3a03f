// Accuracy sweeps for kernels/math (shared by tools/math_ulp.cpp and
// tests/test_math.cpp): each approximation, instantiated for one xsimd arch,
// against long double references (libm's expl/expm1l/tanhl, a series
// for x - tanh x near 0), error in ULPs of T at the reference value.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "kernels/math/math.hpp"

namespace mathcheck {

namespace km = simdact::math;

enum class fn { exp, exp_split, exp_nonpositive, expm1, tanh, tanh_shrink };
inline const char* name(fn f) {
  switch (f) {
    case fn::exp:
      return "exp";
    case fn::exp_split:
      return "exp_split";
    case fn::exp_nonpositive:
      return "exp_nonpos";
    case fn::expm1:
      return "expm1";
    case fn::tanh:
      return "tanh";
    case fn::tanh_shrink:
      return "tanh_shrink";
  }
  return "?";
}
inline const fn all_fns[] = {fn::exp, fn::exp_split, fn::exp_nonpositive, fn::expm1, fn::tanh, fn::tanh_shrink};

// x - tanh x for |x| < 1/4 from the series sum_{n>=1} -a_n x^(2n+1), where
// tanh x = sum a_n x^(2n+1): a_0 = 1, (2n + 1) a_n = -sum_{i+j=n-1} a_i a_j
// (from tanh' = 1 - tanh^2). Terms fall by (2x/pi)^2 < 1/39.
inline long double tanh_shrink_series(long double x) {
  constexpr int terms = 24;
  long double a[terms];
  a[0] = 1;
  for (int n = 1; n < terms; ++n) {
    long double s = 0;
    for (int i = 0; i < n; ++i) s += a[i] * a[n - 1 - i];
    a[n] = -s / (2 * n + 1);
  }
  long double x2 = x * x, sum = 0;
  for (int n = terms - 1; n >= 1; --n) sum = sum * x2 - a[n];
  return sum * x2 * x;
}

inline long double reference(fn f, long double x) {
  switch (f) {
    case fn::exp:
    case fn::exp_split:
      return std::exp(x);
    case fn::exp_nonpositive:  // evaluated at -|x| (its domain)
      return std::exp(-std::fabs(x));
    case fn::expm1:
      return std::expm1(x);
    case fn::tanh:
      return std::tanh(x);
    case fn::tanh_shrink:
      return std::fabs(x) < 0.25L ? tanh_shrink_series(x) : x - std::tanh(x);
  }
  return 0;
}

// |got - ref| in units of the last place of T at ref (subnormal spacing below
// the normal range). 0 where both are the same infinity / both NaN; where ref
// is beyond T's range, inf is exact and the largest finite value is compared
// against ref as usual.
template <class T>
inline double ulp_error(T got, long double ref) {
  using L = std::numeric_limits<T>;
  if (std::isnan(ref) || std::isnan(got)) return std::isnan(ref) && std::isnan(got) ? 0.0 : HUGE_VAL;
  if (std::isinf(got)) {
    // correct iff ref rounds to inf: |ref| >= max + half an ulp of max
    long double edge = static_cast<long double>(L::max()) + std::ldexp(0.5L, L::max_exponent - L::digits);
    return (std::fabs(ref) >= edge && std::signbit(ref) == std::signbit(got)) ? 0.0 : HUGE_VAL;
  }
  int e = std::fabs(ref) > 0 ? std::ilogb(ref) : L::min_exponent - 1;
  e = std::max(e, L::min_exponent - 1);
  long double ulp = std::ldexp(1.0L, e - (L::digits - 1));
  return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / ulp);
}

// Evaluate f on xs with the arch's batches (the tail padded).
template <class T, class A>
std::vector<T> evaluate(fn f, const std::vector<T>& xs) {
  using B = xsimd::batch<T, A>;
  constexpr std::size_t W = B::size;
  std::vector<T> in(xs), out(xs.size() + W);
  in.resize((xs.size() + W - 1) / W * W, T(0));
  for (std::size_t i = 0; i < in.size(); i += W) {
    B x = B::load_unaligned(&in[i]);
    B y, k;
    switch (f) {
      case fn::exp:
        y = km::exp(x);
        break;
      case fn::exp_split:
        y = km::ldexp(km::exp_split(x, k), k);
        break;
      case fn::exp_nonpositive:
        y = km::exp_nonpositive(x | B(T(-0.0)));
        break;
      case fn::expm1:
        y = km::expm1(x);
        break;
      case fn::tanh:
        y = km::tanh(x);
        break;
      case fn::tanh_shrink:
        y = km::tanh_shrink(x);
        break;
    }
    y.store_unaligned(&out[i]);
  }
  out.resize(xs.size());
  return out;
}

struct stats {
  double max_ulp = 0;
  long double at = 0;  // argument of the max
  std::size_t points = 0;
  std::size_t over = 0;  // points above the bound checked
};

template <class T, class A>
stats measure(fn f, const std::vector<T>& xs, double bound = HUGE_VAL) {
  std::vector<T> ys = evaluate<T, A>(f, xs);
  stats s;
  s.points = xs.size();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    double e = ulp_error<T>(ys[i], reference(f, xs[i]));
    if (e > bound) ++s.over;
    if (e > s.max_ulp || std::isnan(e)) {
      s.max_ulp = std::isnan(e) ? HUGE_VAL : e;
      s.at = xs[i];
    }
  }
  return s;
}

// The sweep points. float: every `step`-th bit pattern of the whole range
// (both signs, infinities and NaNs included) plus a dense uniform sample of
// [-lo, hi]; double: random bit patterns plus uniform samples of the
// interesting range and hard points (thresholds, reduction boundaries).
template <class T>
std::vector<T> sweep_points(fn f, std::size_t dense, std::uint32_t float_step, std::uint64_t seed) {
  std::vector<T> xs;
  std::mt19937_64 rng(seed);
  auto add_range = [&](double lo, double hi, std::size_t count) {
    std::uniform_real_distribution<double> u(lo, hi);
    for (std::size_t i = 0; i < count; ++i) xs.push_back(static_cast<T>(u(rng)));
  };
  if constexpr (std::is_same<T, float>::value) {
    for (std::uint64_t b = 0; b < (std::uint64_t(1) << 32); b += float_step) {
      std::uint32_t u = static_cast<std::uint32_t>(b);
      float v;
      std::memcpy(&v, &u, sizeof v);
      xs.push_back(v);
    }
  } else {
    for (std::size_t i = 0; i < dense; ++i) {
      std::uint64_t u = rng();
      double v;
      std::memcpy(&v, &u, sizeof v);
      xs.push_back(v);
    }
  }
  // the range where the function is neither saturated nor trivially x
  double lo = -120, hi = 100;  // float exp underflow / overflow
  const bool dbl = std::is_same<T, double>::value;
  switch (f) {
    case fn::exp:
    case fn::exp_split:
    case fn::exp_nonpositive:
      lo = dbl ? -750 : -105, hi = dbl ? 712 : 90;
      break;
    case fn::expm1:
      lo = dbl ? -40 : -20, hi = dbl ? 712 : 90;
      break;
    case fn::tanh:
    case fn::tanh_shrink:
      lo = dbl ? -20 : -10, hi = -lo;
      break;
  }
  add_range(lo, hi, dense);
  add_range(-1.5, 1.5, dense / 2);  // polynomial ranges and their edges
  add_range(-1e-3, 1e-3, dense / 8);
  // hard points: near multiples of ln2/2 (reduction boundaries), the
  // polynomial switch points, and the overflow / underflow edges
  const long double ln2 = 0.693147180559945309417232121458176568L;
  for (int j = -3000; j <= 3000; ++j) {
    T c = static_cast<T>(j * ln2 / 2);
    T v = c;
    for (int s = 0; s < 4; ++s) {
      xs.push_back(v);
      v = std::nextafter(v, T(1e30));
    }
  }
  for (T c : {T(0.55), T(1.0), T(0.5), T(2.0), T(88.72283935546875), T(709.782712893384), T(-87.33654), T(-103.97),
              T(-708.39641853226), T(-745.1332191019411), T(10.05), T(26.5), T(9.0), T(3.0), T(4.0)}) {
    T v = c, w = c;
    for (int s = 0; s < 64; ++s) {
      xs.push_back(v);
      xs.push_back(-v);
      v = std::nextafter(v, T(1e30));
      w = std::nextafter(w, T(-1e30));
      xs.push_back(w);
    }
  }
  return xs;
}

// Special values: exact expected results (NaN expected: any NaN).
template <class T>
struct special {
  T x;
  T expected;
};

template <class T>
std::vector<special<T>> specials(fn f) {
  constexpr T inf = std::numeric_limits<T>::infinity();
  constexpr T nan = std::numeric_limits<T>::quiet_NaN();
  constexpr T den = std::numeric_limits<T>::denorm_min();
  switch (f) {
    case fn::exp:
    case fn::exp_split:
      return {{inf, inf}, {-inf, 0}, {nan, nan}, {0, 1}, {T(-0.0), 1}, {T(1e4), inf}, {T(-1e4), 0}, {den, 1}};
    case fn::exp_nonpositive:  // at -|x|
      return {{inf, 0}, {-inf, 0}, {nan, nan}, {0, 1}, {T(-0.0), 1}, {T(1e4), 0}, {T(-1e4), 0}, {den, 1}};
    case fn::expm1:
      return {{inf, inf}, {-inf, -1}, {nan, nan}, {0, 0}, {den, den}, {-den, -den}, {T(1e4), inf}, {T(-1e4), -1}};
    case fn::tanh:
      return {{inf, 1}, {-inf, -1}, {nan, nan}, {0, 0}, {den, den}, {-den, -den}, {T(1e30), 1}, {T(-1e30), -1}};
    case fn::tanh_shrink:
      return {{inf, inf}, {-inf, -inf}, {nan, nan}, {0, 0}, {T(1e30), T(1e30) - 1}, {T(-1e30), T(-1e30) + 1}};
  }
  return {};
}

// Names the failing special values ("" when all hold).
template <class T, class A>
std::string check_specials(fn f) {
  std::vector<special<T>> sp = specials<T>(f);
  std::vector<T> xs;
  for (auto& s : sp) xs.push_back(s.x);
  std::vector<T> ys = evaluate<T, A>(f, xs);
  std::string bad;
  for (std::size_t i = 0; i < sp.size(); ++i) {
    bool ok = std::isnan(sp[i].expected) ? std::isnan(ys[i]) : ys[i] == sp[i].expected;
    if (!ok) bad += std::string(name(f)) + "(" + std::to_string(sp[i].x) + ") = " + std::to_string(ys[i]) + "; ";
  }
  return bad;
}

// ldexp must round once: y 2^k rounded from the exact long double product.
// Returns the number of mismatches over random y (all bit patterns) and k.
template <class T, class A>
std::size_t check_ldexp(std::size_t count, std::uint64_t seed, T* bad_y = nullptr, T* bad_k = nullptr) {
  using B = xsimd::batch<T, A>;
  constexpr std::size_t W = B::size;
  using L = std::numeric_limits<T>;
  const int kmax = 2 * (L::max_exponent - L::min_exponent + L::digits) + 8;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> kd(-kmax, kmax);
  std::size_t mismatches = 0;
  alignas(64) T y[W], k[W], out[W];
  for (std::size_t n = 0; n < count; n += W) {
    for (std::size_t j = 0; j < W; ++j) {
      do {
        std::uint64_t u = rng();
        if constexpr (std::is_same<T, float>::value) {
          std::uint32_t v = static_cast<std::uint32_t>(u);
          std::memcpy(&y[j], &v, sizeof v);
        } else {
          std::memcpy(&y[j], &u, sizeof u);
        }
      } while (!std::isfinite(y[j]));
      k[j] = static_cast<T>(kd(rng));
    }
    km::ldexp(B::load_aligned(y), B::load_aligned(k)).store_aligned(out);
    for (std::size_t j = 0; j < W; ++j) {
      // the long double product is exact (wider exponent) and may be subnormal in T:
      // rounding it to T is the single correct rounding
      T expect = static_cast<T>(std::ldexp(static_cast<long double>(y[j]), static_cast<int>(k[j])));
      if (!(out[j] == expect) && !(expect == 0 && out[j] == 0)) {
        if (mismatches == 0 && bad_y) *bad_y = y[j], *bad_k = k[j];
        ++mismatches;
      }
    }
  }
  return mismatches;
}

// a e^x for factors that carry e^x out of the subnormals / overflow:
// max ULP error of mul_exp against the long double product.
template <class T, class A>
stats check_mul_exp(std::size_t count, std::uint64_t seed) {
  using B = xsimd::batch<T, A>;
  constexpr std::size_t W = B::size;
  const bool dbl = std::is_same<T, double>::value;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> xd(dbl ? -1400 : -190, dbl ? 1400 : 190);
  std::uniform_real_distribution<double> ed(dbl ? -1000 : -120, dbl ? 1000 : 120);
  stats s;
  alignas(64) T a[W], x[W], out[W];
  for (std::size_t n = 0; n < count; n += W) {
    for (std::size_t j = 0; j < W; ++j) {
      x[j] = static_cast<T>(xd(rng));
      a[j] = static_cast<T>(std::ldexp(1.0 + std::generate_canonical<double, 53>(rng), static_cast<int>(ed(rng))));
    }
    km::mul_exp(B::load_aligned(a), B::load_aligned(x)).store_aligned(out);
    for (std::size_t j = 0; j < W; ++j) {
      double e = ulp_error<T>(out[j], static_cast<long double>(a[j]) * std::exp(static_cast<long double>(x[j])));
      ++s.points;
      if (e > s.max_ulp) s.max_ulp = e, s.at = x[j];
    }
  }
  return s;
}

}  // namespace mathcheck
