// Long double references for the row-wise tests (softmax family, maxout),
// written from the definitions, independent of the library's code, and the
// ULP measure used to compare against them.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

namespace rowwise_ref {

using ld = long double;

enum class kind { softmax, log_softmax, softmin };

inline const char* name(kind k) {
  return k == kind::softmax ? "softmax" : k == kind::log_softmax ? "log_softmax" : "softmin";
}

// Spacing of T at |v| (denorm_min below the normal range).
template <class T>
ld ulp_of(ld v) {
  const ld a = std::fabs(v);
  if (!(a >= ld(std::numeric_limits<T>::min()))) return ld(std::numeric_limits<T>::denorm_min());
  const int e = std::ilogb(std::fmin(a, ld(std::numeric_limits<T>::max())));
  return std::ldexp(1.0L, e - (std::numeric_limits<T>::digits - 1));
}

template <class T>
ld eps() {
  return ld(std::numeric_limits<T>::epsilon());
}

// One row of softmax / log_softmax / softmin in long double. Edge rows as
// documented: NaN anywhere -> NaN; all -inf -> 0 (log: -inf); a +inf max ->
// the +inf elements share the mass equally (1/count, log -log count), the
// rest 0 (log -inf).
template <class T>
std::vector<ld> forward_row(kind k, const T* x, std::size_t n) {
  std::vector<ld> v(n), y(n);
  const ld inf = std::numeric_limits<ld>::infinity();
  for (std::size_t i = 0; i < n; ++i) v[i] = k == kind::softmin ? -ld(x[i]) : ld(x[i]);
  bool nan = false;
  ld m = -inf;
  std::size_t pos_inf = 0;
  for (ld a : v) {
    nan |= std::isnan(a);
    if (a > m) m = a;
    pos_inf += a == inf;
  }
  const bool log_out = k == kind::log_softmax;
  if (nan) {
    for (ld& o : y) o = std::numeric_limits<ld>::quiet_NaN();
  } else if (m == -inf) {
    for (ld& o : y) o = log_out ? -inf : 0.0L;
  } else if (m == inf) {
    for (std::size_t i = 0; i < n; ++i)
      y[i] = v[i] == inf ? (log_out ? -std::log(ld(pos_inf)) : 1.0L / ld(pos_inf)) : (log_out ? -inf : 0.0L);
  } else {
    ld s = 0;
    for (ld a : v) s += std::exp(a - m);
    const ld ls = std::log(s);
    for (std::size_t i = 0; i < n; ++i) y[i] = log_out ? (v[i] - m) - ls : std::exp(v[i] - m) / s;
  }
  return y;
}

// One row of the backward from the output y (as T values) and dy.
template <class T>
std::vector<ld> backward_row(kind k, const T* y, const T* dy, std::size_t n) {
  std::vector<ld> dx(n);
  ld s = 0;
  for (std::size_t i = 0; i < n; ++i) s += k == kind::log_softmax ? ld(dy[i]) : ld(dy[i]) * ld(y[i]);
  for (std::size_t i = 0; i < n; ++i) {
    const ld yi = y[i], di = dy[i];
    if (k == kind::softmax)
      dx[i] = yi * (di - s);
    else if (k == kind::softmin)
      dx[i] = -(yi * (di - s));
    else
      dx[i] = di - std::exp(yi) * s;
  }
  return dx;
}

// The first position of a group's maximum; the first NaN in a group with NaN.
template <class T>
std::size_t first_max(const T* g, std::size_t k) {
  std::size_t best = 0;
  for (std::size_t j = 0; j < k; ++j) {
    if (std::isnan(g[j])) return j;
    if (g[j] > g[best]) best = j;
  }
  return best;
}

template <class T>
auto bits(T v) {
  using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  U u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

}  // namespace rowwise_ref
