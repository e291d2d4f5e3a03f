// Backward of the softmax family from the forward output y, per row:
//   softmax:     dx = y * (dy - s),  s = sum_j dy_j y_j
//   softmin:     dx = y * (s - dy)   (softmin(x) = softmax(-x): the chain rule's -1)
//   log_softmax: dx = dy - e^y * s,  s = sum_j dy_j
// s is a compensated sum (Ogita-Rump-Oishi Dot2) for rows of W elements or
// more. Measured: dx within 3.4 units of max(ulp, eps * max|dy|) (the second
// where dy - s cancels), every ISA, rows of 1 to 10^6 elements.
#pragma once

#include "kernels/namespace.hpp"

#include <cstddef>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "kernels/math/dd.hpp"
#include "kernels/math/math.hpp"
#include "kernels/rowwise/lanes.hpp"
#include "kernels/rowwise/packed.hpp"
#include "kernels/rowwise/softmax.hpp"
#include "kernels/rowwise/types.hpp"

SIMDACT_KERNELS_BEGIN
namespace rowwise {

using detail::dot_partial;

enum class backward_kind { softmax, log_softmax, softmin };

// hi + lo += dy * y (or dy alone for log_softmax), without rounding error
// beyond lo's own.
template <backward_kind K, class T, class A>
inline void dot_step(batch<T, A> y, batch<T, A> dy, batch<T, A>& hi, batch<T, A>& lo) {
  batch<T, A> e;
  if constexpr (K == backward_kind::log_softmax) {
    (void)y;
    hi = math::two_sum(hi, dy, e);
    lo += e;
  } else {
    batch<T, A> pe;
    const batch<T, A> p = math::two_prod(dy, y, pe);
    hi = math::two_sum(hi, p, e);
    lo += pe + e;
  }
}

template <backward_kind K, class T, class A>
inline batch<T, A> backward_value(batch<T, A> y, batch<T, A> dy, batch<T, A> s) {
  if constexpr (K == backward_kind::softmax)
    return y * (dy - s);
  else if constexpr (K == backward_kind::softmin)
    return y * (s - dy);
  else
    return math::fma(-exp_or_zero(y), s, dy);
}

// Sum of a pair of compensated accumulators over n elements. Up to 16 W
// elements a plain butterfly over the lanes' hi + lo adds only log2(W)
// roundings; beyond, the butterfly is compensated too.
template <class T, class A>
inline T finish_sum(batch<T, A> hi0, batch<T, A> lo0, batch<T, A> hi1, batch<T, A> lo1, std::size_t n) {
  batch<T, A> e;
  const batch<T, A> hi = math::two_sum(hi0, hi1, e);
  if (n <= 16 * batch<T, A>::size) return reduce_sum(hi + (lo0 + lo1 + e));
  T err;
  const T s = reduce_sum_compensated(hi, lo0 + lo1 + e, err);
  return s + err;
}

// Rows of c >= W elements.
template <backward_kind K, class T, class A>
inline void backward_long_enough_row(const T* y, const T* dy, T* dx, std::size_t c) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  const std::size_t body = c / W * W;
  const std::size_t tail = c - body;
  const B zero(T(0));
  // The last batch (at c - W) is read before any store: dx may be y or dy.
  const B yt = tail ? B::load_unaligned(y + (c - W)) : zero;
  const B dyt = tail ? B::load_unaligned(dy + (c - W)) : zero;
  B hi0 = zero, lo0 = zero, hi1 = zero, lo1 = zero;
  std::size_t i = 0;
  for (; i + 2 * W <= body; i += 2 * W) {
    dot_step<K>(B::load_unaligned(y + i), B::load_unaligned(dy + i), hi0, lo0);
    dot_step<K>(B::load_unaligned(y + i + W), B::load_unaligned(dy + i + W), hi1, lo1);
  }
  if (i < body) dot_step<K>(B::load_unaligned(y + i), B::load_unaligned(dy + i), hi0, lo0);
  if (tail) {
    const auto fresh = lanes_from<T, A>(W - tail);
    dot_step<K>(xsimd::select(fresh, yt, zero), xsimd::select(fresh, dyt, zero), hi1, lo1);
  }
  const B s(finish_sum(hi0, lo0, hi1, lo1, c));
  for (i = 0; i < body; i += W)
    backward_value<K>(B::load_unaligned(y + i), B::load_unaligned(dy + i), s).store_unaligned(dx + i);
  if (tail) backward_value<K>(yt, dyt, s).store_unaligned(dx + (c - W));
}

template <backward_kind K, int LogP, class T, class A>
inline void backward_packed_rows(const T* y, const T* dy, T* dx, std::size_t rows, const packed_layout<T, A>& L) {
  using B = batch<T, A>;
  const std::size_t n = rows * L.c;
  const B zero(T(0));
  auto kernel = [&](std::size_t, B yv, B dyv) {
    yv = xsimd::select(L.valid, L.to_segments(yv), zero);
    dyv = xsimd::select(L.valid, L.to_segments(dyv), zero);
    const B s = segment_sum<LogP>(K == backward_kind::log_softmax ? dyv : dyv * yv);
    return L.from_segments(backward_value<K>(yv, dyv, s));
  };
  packed_loop<T, A>((rows + L.G - 1) / L.G, packed_output<T, A>{dx, n, L.step}, kernel,
                    packed_input<T, A>{y, n, L.step}, packed_input<T, A>{dy, n, L.step});
}

template <backward_kind K, class T, class A>
SIMDACT_ROWWISE_ENTRY void backward_rows(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols) {
  constexpr std::size_t W = batch<T, A>::size;
  if (cols >= W) {
    for (std::size_t r = 0; r < rows; ++r)
      backward_long_enough_row<K, T, A>(y + r * cols, dy + r * cols, dx + r * cols, cols);
    return;
  }
  const packed_layout<T, A> layout(cols);
  with_log_p<W>(layout.log_p,
                [&](auto log_p) { backward_packed_rows<K, decltype(log_p)::value, T, A>(y, dy, dx, rows, layout); });
}

// One chunk of a long row: its compensated partial sum.
template <backward_kind K, class T, class A>
SIMDACT_ROWWISE_ENTRY dot_partial<T> backward_chunk_dot(const T* y, const T* dy, std::size_t n) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  const B zero(T(0));
  B hi0 = zero, lo0 = zero, hi1 = zero, lo1 = zero;
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    dot_step<K>(B::load_unaligned(y + i), B::load_unaligned(dy + i), hi0, lo0);
    dot_step<K>(B::load_unaligned(y + i + W), B::load_unaligned(dy + i + W), hi1, lo1);
  }
  for (; i + W <= n; i += W) dot_step<K>(B::load_unaligned(y + i), B::load_unaligned(dy + i), hi0, lo0);
  if (i < n) {
    alignas(64) T yb[W] = {};
    alignas(64) T dyb[W] = {};
    std::memcpy(yb, y + i, (n - i) * sizeof(T));
    std::memcpy(dyb, dy + i, (n - i) * sizeof(T));
    dot_step<K>(B::load_aligned(yb), B::load_aligned(dyb), hi1, lo1);
  }
  batch<T, A> e;
  const batch<T, A> hi = math::two_sum(hi0, hi1, e);
  dot_partial<T> p;
  p.hi = reduce_sum_compensated(hi, lo0 + lo1 + e, p.lo);
  return p;
}

}  // namespace rowwise
SIMDACT_KERNELS_END
