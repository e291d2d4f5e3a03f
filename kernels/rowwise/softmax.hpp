// softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m), m = max_j x_j; softmin(x) =
// softmax(-x); log_softmax(x)_i = (x_i - m) - log(sum_j e^(x_j - m)); float and
// double, any x (edge rows: kernels/rowwise/special.hpp). Measured against long
// double (tests/test_rowwise.cpp, every ISA): softmax <= 5.1 ulp including the
// sum's rounding (<= 2 eps), log_softmax <= 1.9 ulp or eps * max(1, |y|).
//
// x - m is computed exactly (two_sum, the error folded back as e * (1 + lo)):
// e^t turns an argument error into a relative error of |t| * eps/2, which
// would be 32 ulp at t = -80. e^(x - m) below T's smallest normal is taken as 0.
#pragma once

#include "kernels/namespace.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>

#include <xsimd/xsimd.hpp>

#include "kernels/math/dd.hpp"
#include "kernels/math/math.hpp"
#include "kernels/rowwise/lanes.hpp"
#include "kernels/rowwise/packed.hpp"
#include "kernels/rowwise/special.hpp"
#include "kernels/rowwise/types.hpp"

SIMDACT_KERNELS_BEGIN
namespace rowwise {

using detail::chunk_stats;

template <class Op, class T, class A>
inline batch<T, A> load_signed(const T* p) {
  const batch<T, A> v = batch<T, A>::load_unaligned(p);
  if constexpr (Op::negate)
    return -v;
  else
    return v;
}

// e^t for t <= 0 (exp_nonpositive: no clamp at the top; the AVX2 float table),
// taken as 0 below exp_floor (results under T's smallest normal; also -inf) and
// NaN for NaN t (x86 max returns its second operand for NaN, NEON propagates
// it). e^t * (1 + lo) when a correction lo is given.
template <class T, class A>
inline batch<T, A> exp_or_zero(batch<T, A> t) {
  const batch<T, A> floor(exp_floor<T>);
  return xsimd::select(t < floor, batch<T, A>(T(0)), math::exp_nonpositive(xsimd::max(floor, t)));
}
template <class T, class A>
inline batch<T, A> exp_or_zero(batch<T, A> t, batch<T, A> lo) {
  const batch<T, A> floor(exp_floor<T>);
  const batch<T, A> e = math::exp_nonpositive(xsimd::max(floor, t));
  return xsimd::select(t < floor, batch<T, A>(T(0)), math::fma(e, lo, e));  // lo is NaN where t = -inf
}

// e^(v - m) for v <= m, m finite; v may be -inf (0) or NaN (NaN).
// Corrected (softmax): v - m = t + lo exactly, so the result carries only the
// exp's own error whatever |v - m|.
template <bool Corrected, class T, class A>
inline batch<T, A> exp_shifted(batch<T, A> v, batch<T, A> m) {
  if constexpr (Corrected) {
    batch<T, A> lo;
    const batch<T, A> t = math::two_sum(v, -m, lo);
    return exp_or_zero(t, lo);
  } else {
    return exp_or_zero(v - m);
  }
}

// hi + lo += sum of at(i) for i in [0, body) step W: lane sums over blocks of
// 16 batches, each block added with two_sum. The sum's error then stays near
// 8 additions' worth however long the row.
template <class B, class F>
inline void blocked_sum(std::size_t body, F&& at, B& hi, B& lo) {
  constexpr std::size_t W = B::size;
  constexpr std::size_t block = 16 * W;
  for (std::size_t b = 0; b < body; b += block) {
    const std::size_t end = std::min(body, b + block);
    B s0(0), s1(0);
    std::size_t i = b;
    for (; i + 2 * W <= end; i += 2 * W) {
      s0 += at(i);
      s1 += at(i + W);
    }
    if (i < end) s0 += at(i);
    B err;
    hi = math::two_sum(hi, s0 + s1, err);
    lo += err;
  }
}

template <class B>
inline typename B::value_type finish_blocked_sum(B hi, B lo, std::size_t n) {
  if (n <= 16 * B::size) return reduce_sum(hi + lo);  // one block: lo is 0 or the tail's error
  typename B::value_type err;
  const typename B::value_type s = reduce_sum_compensated(hi, lo, err);
  return s + err;
}

// ---------------------------------------------------------------------------
// Whole rows of c > 16 W elements: max; e = e^(x - m) (stored by softmax) and
// its sum; y = e / sum (log: (x - m) - log sum). The row stays in cache.
// ---------------------------------------------------------------------------
template <class Op, class T, class A>
inline void forward_long_enough_row(const T* x, T* y, std::size_t c) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  constexpr bool log_out = Op::log_output;
  const std::size_t body = c / W * W;
  const std::size_t tail = c - body;  // handled by one batch at c - W
  const T* xt = x + (c - W);

  B m0 = load_signed<Op, T, A>(x), m1 = m0;
  std::size_t i = W;
  for (; i + 2 * W <= body; i += 2 * W) {
    m0 = xsimd::max(m0, load_signed<Op, T, A>(x + i));
    m1 = xsimd::max(m1, load_signed<Op, T, A>(x + i + W));
  }
  if (i < body) m0 = xsimd::max(m0, load_signed<Op, T, A>(x + i));
  if (tail) m1 = xsimd::max(m1, load_signed<Op, T, A>(xt));
  const T m = reduce_max(xsimd::max(m0, m1));
  if (!(std::fabs(m) <= std::numeric_limits<T>::max())) {  // +-inf, or NaN
    write_special_row<Op::negate, log_out>(x, y, c, classify_row<Op::negate, log_out>(x, c));
    return;
  }

  const B vm(m);
  const B xt_v = tail ? load_signed<Op, T, A>(xt) : B(T(0));  // before any store: y may be x
  B hi(T(0)), lo(T(0));
  blocked_sum(
      body,
      [&](std::size_t j) {
        const B e = exp_shifted<!log_out>(load_signed<Op, T, A>(x + j), vm);
        if constexpr (!log_out) e.store_unaligned(y + j);
        return e;
      },
      hi, lo);
  B et(T(0));
  if (tail) {
    et = exp_shifted<!log_out>(xt_v, vm);
    B err;
    hi = math::two_sum(hi, xsimd::select(lanes_from<T, A>(W - tail), et, B(T(0))), err);
    lo += err;
  }
  const T s = finish_blocked_sum(hi, lo, c);
  if (!(s == s)) {  // a NaN in the row
    write_special_row<Op::negate, log_out>(x, y, c, row_summary<T>{row_class::has_nan, m, T(0)});
    return;
  }

  if constexpr (log_out) {
    const B shift = B(T(std::log(double(s))));
    for (i = 0; i < body; i += W) ((load_signed<Op, T, A>(x + i) - vm) - shift).store_unaligned(y + i);
    if (tail) ((xt_v - vm) - shift).store_unaligned(y + (c - W));
  } else {
    const B vs(s);
    for (i = 0; i < body; i += W) (B::load_unaligned(y + i) / vs).store_unaligned(y + i);
    if (tail) (et / vs).store_unaligned(y + (c - W));
  }
}

// Rows of W <= c <= 16 W elements, R at a time in lockstep: the per-row
// reductions are short dependency chains, so R independent rows keep the
// core busy. Each row gets exactly the operations it gets with R = 1.
template <class Op, std::size_t R, class T, class A>
inline void forward_short_rows(const T* x, T* y, std::size_t c) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  constexpr bool log_out = Op::log_output;
  const std::size_t body = c / W * W;
  const std::size_t tail = c - body;  // one batch at c - W
  B m0[R], m1[R];
  for (std::size_t r = 0; r < R; ++r) {
    m0[r] = load_signed<Op, T, A>(x + r * c);
    m1[r] = tail ? load_signed<Op, T, A>(x + r * c + (c - W)) : m0[r];
  }
  for (std::size_t i = W; i < body; i += W)
    for (std::size_t r = 0; r < R; ++r) m0[r] = xsimd::max(m0[r], load_signed<Op, T, A>(x + r * c + i));
  B vm[R];
  bool special = false;
  for (std::size_t r = 0; r < R; ++r) {
    const T m = reduce_max(xsimd::max(m0[r], m1[r]));
    special |= !(std::fabs(m) <= std::numeric_limits<T>::max());
    vm[r] = B(m);
  }
  if (special) {  // +-inf or NaN max somewhere: each row on its own
    if constexpr (R == 1) {
      write_special_row<Op::negate, log_out>(x, y, c, classify_row<Op::negate, log_out>(x, c));
    } else {
      for (std::size_t r = 0; r < R; ++r) forward_short_rows<Op, 1, T, A>(x + r * c, y + r * c, c);
    }
    return;
  }
  B xt[R], et[R], s0[R], s1[R];
  for (std::size_t r = 0; r < R; ++r) {
    xt[r] = tail ? load_signed<Op, T, A>(x + r * c + (c - W)) : B(T(0));  // before any store: y may be x
    s0[r] = s1[r] = et[r] = B(T(0));
  }
  std::size_t i = 0;
  for (; i + 2 * W <= body; i += 2 * W)
    for (std::size_t r = 0; r < R; ++r) {
      const B e0 = exp_shifted<!log_out>(load_signed<Op, T, A>(x + r * c + i), vm[r]);
      const B e1 = exp_shifted<!log_out>(load_signed<Op, T, A>(x + r * c + i + W), vm[r]);
      if constexpr (!log_out) {
        e0.store_unaligned(y + r * c + i);
        e1.store_unaligned(y + r * c + i + W);
      }
      s0[r] += e0;
      s1[r] += e1;
    }
  if (i < body)
    for (std::size_t r = 0; r < R; ++r) {
      const B e0 = exp_shifted<!log_out>(load_signed<Op, T, A>(x + r * c + i), vm[r]);
      if constexpr (!log_out) e0.store_unaligned(y + r * c + i);
      s0[r] += e0;
    }
  B vs[R];
  for (std::size_t r = 0; r < R; ++r) {
    if (tail) {
      et[r] = exp_shifted<!log_out>(xt[r], vm[r]);
      s1[r] += xsimd::select(lanes_from<T, A>(W - tail), et[r], B(T(0)));
    }
    const T s = reduce_sum(s0[r] + s1[r]);
    if (!(s == s)) {  // a NaN in the row
      write_special_row<Op::negate, log_out>(x + r * c, y + r * c, c, row_summary<T>{row_class::has_nan, T(0), T(0)});
      vs[r] = B(std::numeric_limits<T>::quiet_NaN());
      continue;
    }
    vs[r] = log_out ? B(T(std::log(double(s)))) : B(s);
  }
  for (std::size_t r = 0; r < R; ++r) {
    if (!(first_lane(vs[r]) == first_lane(vs[r]))) continue;  // NaN row, written
    T* yr = y + r * c;
    if constexpr (log_out) {
      for (i = 0; i < body; i += W) ((load_signed<Op, T, A>(x + r * c + i) - vm[r]) - vs[r]).store_unaligned(yr + i);
      if (tail) ((xt[r] - vm[r]) - vs[r]).store_unaligned(yr + (c - W));
    } else {
      for (i = 0; i < body; i += W) (B::load_unaligned(yr + i) / vs[r]).store_unaligned(yr + i);
      if (tail) (et[r] / vs[r]).store_unaligned(yr + (c - W));
    }
  }
}

// ---------------------------------------------------------------------------
// Rows of c < W elements, G per batch (kernels/rowwise/packed.hpp).
// ---------------------------------------------------------------------------
template <class Op, int LogP, class T, class A>
inline void forward_packed_rows(const T* x, T* y, std::size_t rows, const packed_layout<T, A>& L) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  constexpr bool log_out = Op::log_output;
  const std::size_t n = rows * L.c;
  const packed_input<T, A> in{x, n, L.step};
  const packed_output<T, A> out{y, n, L.step};
  const B neg_inf(-std::numeric_limits<T>::infinity());
  const B zero(T(0));
  auto kernel = [&](std::size_t, B raw) {
    B v = L.to_segments(Op::negate ? -raw : raw);
    v = xsimd::select(L.valid, v, neg_inf);
    const B m = segment_max<LogP>(v);
    B e = exp_shifted<!log_out>(v, m);
    e = xsimd::select(L.valid, e, zero);
    const B s = segment_sum<LogP>(e);
    B r = log_out ? (v - m) - xsimd::log(s) : e / s;
    r = L.from_segments(r);
    if (xsimd::any(xsimd::isnan(s))) {  // NaN or an infinite max in some row: redo those rows
      alignas(64) T xs[W];
      alignas(64) T ys[W];
      raw.store_aligned(xs);
      r.store_aligned(ys);
      for (std::size_t g = 0; g < L.G; ++g) {
        const row_summary<T> rs = classify_row<Op::negate, log_out>(xs + g * L.c, L.c);
        if (rs.kind != row_class::finite) write_special_row<Op::negate, log_out>(xs + g * L.c, ys + g * L.c, L.c, rs);
      }
      r = B::load_aligned(ys);
    }
    return r;
  };
  packed_loop<T, A>((rows + L.G - 1) / L.G, out, kernel, in);
}

// Rows [0, rows) of a rows x cols matrix, cols <= the long-row limit.
template <class Op, class T, class A>
SIMDACT_ROWWISE_ENTRY void forward_rows(const T* x, T* y, std::size_t rows, std::size_t cols) {
  constexpr std::size_t W = batch<T, A>::size;
  if (cols > 16 * W) {
    for (std::size_t r = 0; r < rows; ++r) forward_long_enough_row<Op, T, A>(x + r * cols, y + r * cols, cols);
    return;
  }
  if (cols >= W) {
    constexpr std::size_t R = 4;
    std::size_t r = 0;
    for (; r + R <= rows; r += R) forward_short_rows<Op, R, T, A>(x + r * cols, y + r * cols, cols);
    for (; r < rows; ++r) forward_short_rows<Op, 1, T, A>(x + r * cols, y + r * cols, cols);
    return;
  }
  const packed_layout<T, A> layout(cols);
  with_log_p<W>(layout.log_p,
                [&](auto log_p) { forward_packed_rows<Op, decltype(log_p)::value, T, A>(x, y, rows, layout); });
}

// ---------------------------------------------------------------------------
// One chunk of a long row (split across threads): statistics, then output.
// ---------------------------------------------------------------------------
template <class Op, class T, class A>
SIMDACT_ROWWISE_ENTRY chunk_stats<T> forward_chunk_stats(const T* x, std::size_t n) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  const std::size_t body = n / W * W;
  const B neg_inf(-std::numeric_limits<T>::infinity());
  alignas(64) T pad[W];
  const std::size_t tail = n - body;
  if (tail) {
    B(-std::numeric_limits<T>::infinity()).store_aligned(pad);
    for (std::size_t j = 0; j < tail; ++j) pad[j] = Op::negate ? -x[body + j] : x[body + j];
  }
  B m0 = neg_inf, m1 = neg_inf;
  std::size_t i = 0;
  for (; i + 2 * W <= body; i += 2 * W) {
    m0 = xsimd::max(m0, load_signed<Op, T, A>(x + i));
    m1 = xsimd::max(m1, load_signed<Op, T, A>(x + i + W));
  }
  if (i < body) m0 = xsimd::max(m0, load_signed<Op, T, A>(x + i));
  if (tail) m1 = xsimd::max(m1, B::load_aligned(pad));
  chunk_stats<T> st;
  st.max = reduce_max(xsimd::max(m0, m1));
  if (!(std::fabs(st.max) <= std::numeric_limits<T>::max())) {
    const row_summary<T> rs = classify_row<Op::negate, Op::log_output>(x, n);
    st.nan = rs.kind == row_class::has_nan;
    st.max = rs.max;
    if (rs.kind == row_class::pos_inf)
      for (std::size_t j = 0; j < n; ++j)
        st.pos_inf += (Op::negate ? -x[j] : x[j]) == std::numeric_limits<T>::infinity();
    return st;
  }
  const B vm(st.max);
  B hi(T(0)), lo(T(0));
  blocked_sum(
      body, [&](std::size_t j) { return exp_shifted<false>(load_signed<Op, T, A>(x + j), vm); }, hi, lo);
  if (tail) {
    B err;
    hi = math::two_sum(hi, exp_shifted<false>(B::load_aligned(pad), vm), err);
    lo += err;
  }
  st.sum = finish_blocked_sum(hi, lo, n);
  st.nan = !(st.sum == st.sum);
  return st;
}

// One batch of a long row's output, from the row's max and scale (1/sum, or
// log sum); v as loaded (softmin negates it here).
template <class Op, class T, class A>
inline batch<T, A> finish_value(batch<T, A> v, batch<T, A> m, batch<T, A> scale) {
  if constexpr (Op::negate) v = -v;
  if constexpr (Op::log_output)
    return (v - m) - scale;
  else
    return exp_shifted<true>(v, m) * scale;
}

}  // namespace rowwise
SIMDACT_KERNELS_END
