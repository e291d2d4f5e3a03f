// Row-wise kernels (softmax family, maxout) as plain loops for the scalar
// baseline. Same contract as the vector ISAs (edge rows come from the shared
// kernels/rowwise/special.hpp); accuracy kept by summing floats in double and
// doubles with a compensated sum, and by taking e^(x - m) with x - m exact.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>

#include "kernels/rowwise/special.hpp"
#include "kernels/rowwise/types.hpp"
#include "src/table.hpp"

namespace simdact::detail {
namespace scalar_rows {

using rowwise::forward_kind;
using rowwise::forward_op;

// Running sum: a double accumulator for float; Neumaier's compensated sum for double.
template <class T>
struct running_sum {
  using acc = std::conditional_t<sizeof(T) == sizeof(float), double, T>;
  acc hi = 0;
  acc lo = 0;
  void add(acc v) {
    if constexpr (sizeof(T) == sizeof(float)) {
      hi += v;
    } else {
      const acc s = hi + v;
      lo += std::fabs(hi) >= std::fabs(v) ? (hi - s) + v : (v - s) + hi;
      hi = s;
    }
  }
  // a * b added without rounding the product first (Dekker's split for double).
  void add_product(T a, T b) {
    if constexpr (sizeof(T) == sizeof(float)) {
      hi += double(a) * double(b);
    } else {
      const T p = a * b;
      const T split = 134217729.0;  // 2^27 + 1
      const T ta = split * a, tb = split * b;
      const T ah = ta - (ta - a), al = a - ah, bh = tb - (tb - b), bl = b - bh;
      add(p);
      lo += ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    }
  }
  T value() const { return T(hi + lo); }
};

// e^(v - m), v <= m finite (v may be -inf or NaN), with v - m exact.
template <class T>
inline T exp_shifted(T v, T m) {
  if constexpr (sizeof(T) == sizeof(float)) {
    return T(std::exp(double(v) - double(m)));  // exact difference in double
  } else {
    const T t = v - m, bb = t - v;
    const T lo = t >= T(-1000) ? (v - (t - bb)) + (-m - bb) : T(0);  // not for t = -inf
    const T e = std::exp(t);
    return e + e * lo;
  }
}

template <class Op, class T>
inline T load(const T* x, std::size_t i) {
  return Op::negate ? -x[i] : x[i];
}

template <class Op, class T>
void forward_row(const T* x, T* y, std::size_t c) {
  T m = -std::numeric_limits<T>::infinity();
  for (std::size_t i = 0; i < c; ++i) m = std::fmax(m, load<Op>(x, i));
  if (!(std::fabs(m) <= std::numeric_limits<T>::max())) {
    rowwise::write_special_row<Op::negate, Op::log_output>(x, y, c,
                                                           rowwise::classify_row<Op::negate, Op::log_output>(x, c));
    return;
  }
  running_sum<T> s;
  bool nan = false;
  for (std::size_t i = 0; i < c; ++i) {
    const T v = load<Op>(x, i);
    nan |= v != v;
    const T e = exp_shifted(v, m);
    if (!Op::log_output) y[i] = e;
    s.add(e);
  }
  if (nan) {
    rowwise::write_special_row<Op::negate, Op::log_output>(x, y, c, row_summary<T>{row_class::has_nan, m, T(0)});
    return;
  }
  const T sum = s.value();
  if constexpr (Op::log_output) {
    const T shift = T(std::log(double(sum)));
    for (std::size_t i = 0; i < c; ++i) y[i] = (load<Op>(x, i) - m) - shift;
  } else {
    for (std::size_t i = 0; i < c; ++i) y[i] = y[i] / sum;
  }
}

template <class Op, class T>
void forward_rows(const T* x, T* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) forward_row<Op>(x + r * cols, y + r * cols, cols);
}

template <class Op, class T>
chunk_stats<T> forward_stats(const T* x, std::size_t n) {
  chunk_stats<T> st;
  const row_summary<T> rs = rowwise::classify_row<Op::negate, Op::log_output>(x, n);
  st.max = rs.max;
  st.nan = rs.kind == row_class::has_nan;
  if (rs.kind == row_class::pos_inf)
    for (std::size_t i = 0; i < n; ++i) st.pos_inf += load<Op>(x, i) == std::numeric_limits<T>::infinity();
  if (rs.kind != row_class::finite) return st;
  running_sum<T> s;
  for (std::size_t i = 0; i < n; ++i) s.add(exp_shifted(load<Op>(x, i), st.max));
  st.sum = s.value();
  return st;
}

template <class Op, class T>
void forward_finish(const T* x, T* y, std::size_t n, const row_summary<T>& row, bool /*stream*/) {
  if (row.kind != row_class::finite) {
    rowwise::write_special_row<Op::negate, Op::log_output>(x, y, n, row);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const T v = load<Op>(x, i);
    y[i] = Op::log_output ? (v - row.max) - row.scale : exp_shifted(v, row.max) * row.scale;
  }
}

// Backward: 0 softmax, 1 log_softmax, 2 softmin.
template <int K, class T>
inline T backward_value(T y, T dy, T s) {
  if constexpr (K == 0)
    return y * (dy - s);
  else if constexpr (K == 2)
    return y * (s - dy);
  else
    return dy - std::exp(y) * s;
}

template <int K, class T>
dot_partial<T> backward_dot(const T* y, const T* dy, std::size_t n) {
  running_sum<T> s;
  for (std::size_t i = 0; i < n; ++i) {
    if constexpr (K == 1)
      s.add(dy[i]);
    else
      s.add_product(dy[i], y[i]);
  }
  const T hi = s.value();
  dot_partial<T> p;
  p.hi = hi;
  p.lo = T((s.hi - hi) + s.lo);
  return p;
}

template <int K, class T>
void backward_finish(const T* y, const T* dy, T* dx, std::size_t n, T s, bool /*stream*/ = false) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = backward_value<K>(y[i], dy[i], s);
}

template <int K, class T>
void backward_rows(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t o = r * cols;
    const dot_partial<T> p = backward_dot<K>(y + o, dy + o, cols);
    backward_finish<K>(y + o, dy + o, dx + o, cols, p.hi + p.lo);
  }
}

template <class T>
void maxout(const T* x, T* y, std::size_t n, std::size_t k) {
  for (std::size_t i = 0; i < n; ++i) {
    const T* g = x + i * k;
    T m = g[0];
    for (std::size_t j = 1; j < k && m == m; ++j)
      if (g[j] > m || g[j] != g[j]) m = g[j];
    y[i] = m == m ? m : std::numeric_limits<T>::quiet_NaN();
  }
}

template <class T>
void maxout_backward(const T* x, const T* dy, T* dx, std::size_t n, std::size_t k) {
  for (std::size_t i = 0; i < n; ++i) {
    const T* g = x + i * k;
    std::size_t best = 0;
    for (std::size_t j = 0; j < k; ++j) {
      if (g[j] != g[j]) {
        best = j;
        break;
      }
      if (g[j] > g[best]) best = j;
    }
    const T d = dy[i];
    for (std::size_t j = 0; j < k; ++j) dx[i * k + j] = j == best ? d : T(0);
  }
}

template <forward_kind K, class T>
void forward_slot(softmax_entry<T>& e) {
  using Op = forward_op<K>;
  e.rows = &forward_rows<Op, T>;
  e.stats = &forward_stats<Op, T>;
  e.finish = &forward_finish<Op, T>;
}

template <int K, class T>
void backward_slot(softmax_backward_entry<T>& e) {
  e.rows = &backward_rows<K, T>;
  e.dot = &backward_dot<K, T>;
  e.finish = &backward_finish<K, T>;
}

}  // namespace scalar_rows

template <class T>
void scalar_rowwise(type_table<T>& t) {
  scalar_rows::forward_slot<scalar_rows::forward_kind::softmax>(t.softmax);
  scalar_rows::forward_slot<scalar_rows::forward_kind::log_softmax>(t.log_softmax);
  scalar_rows::forward_slot<scalar_rows::forward_kind::softmin>(t.softmin);
  scalar_rows::backward_slot<0>(t.softmax_backward);
  scalar_rows::backward_slot<1>(t.log_softmax_backward);
  scalar_rows::backward_slot<2>(t.softmin_backward);
  t.maxout = &scalar_rows::maxout<T>;
  t.maxout_backward = &scalar_rows::maxout_backward<T>;
}

}  // namespace simdact::detail
