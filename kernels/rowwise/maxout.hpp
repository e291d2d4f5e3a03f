// maxout: y_i = max_j x[i*k + j] over groups of k; a group holding NaN gives
// NaN (x86 max drops NaN, so NaN is tracked apart). Backward: dx is dy_i at
// the first position of the group's maximum (for a NaN group: its first NaN),
// 0 elsewhere; ties (+0 and -0 included) go to the first. Exact.
// NaN tests use xsimd::isnan: xsimd 8.1's batch != is ordered on AVX and
// AVX-512 (false for NaN).
#pragma once

#include "kernels/namespace.hpp"

#include <cstddef>
#include <limits>

#include <xsimd/xsimd.hpp>

#include "kernels/rowwise/lanes.hpp"
#include "kernels/rowwise/packed.hpp"

SIMDACT_KERNELS_BEGIN
namespace rowwise {

// The first position of group g's maximum (first NaN, if any): scalar, for
// the rare groups that hold NaN and for checking nothing else.
template <class T>
inline std::size_t scalar_first_max(const T* g, std::size_t k) {
  std::size_t best = 0;
  for (std::size_t j = 0; j < k; ++j) {
    if (g[j] != g[j]) return j;
    if (g[j] > g[best]) best = j;
  }
  return best;
}

// ---------------------------------------------------------------------------
// k < W: G groups per batch.
// ---------------------------------------------------------------------------
template <int LogP, class T, class A>
inline void maxout_packed(const T* x, T* y, std::size_t n, const packed_layout<T, A>& L) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  constexpr unsigned P = 1u << LogP;
  const B neg_inf(-std::numeric_limits<T>::infinity());
  auto kernel = [&](std::size_t, B raw) {
    const B v = xsimd::select(L.valid, L.to_segments(raw), neg_inf);
    B r = permute_fixed<gather_segment_heads<P, W>>(segment_max<LogP>(v));
    if (xsimd::any(xsimd::isnan(v))) {
      alignas(64) T xs[W];
      alignas(64) T ys[W];
      raw.store_aligned(xs);
      r.store_aligned(ys);
      for (std::size_t g = 0; g < L.G; ++g)
        for (std::size_t j = 0; j < L.c; ++j)
          if (xs[g * L.c + j] != xs[g * L.c + j]) ys[g] = std::numeric_limits<T>::quiet_NaN();
      r = B::load_aligned(ys);
    }
    return r;
  };
  packed_loop<T, A>((n + L.G - 1) / L.G, packed_output<T, A>{y, n, L.G}, kernel,
                    packed_input<T, A>{x, n * L.c, L.step});
}

template <int LogP, class T, class A>
inline void maxout_backward_packed(const T* x, const T* dy, T* dx, std::size_t n, const packed_layout<T, A>& L) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  constexpr unsigned P = 1u << LogP;
  const B neg_inf(-std::numeric_limits<T>::infinity());
  const B zero(T(0));
  const B pos = L.position();
  const B none = B(T(P));
  auto kernel = [&](std::size_t, B raw, B dyv) {
    const B v = xsimd::select(L.valid, L.to_segments(raw), neg_inf);
    const B m = segment_max<LogP>(v);
    const B first = segment_min<LogP>(xsimd::select(v == m, pos, none));
    const B spread_dy = permute_fixed<spread_lanes<P>>(dyv);
    B r = L.from_segments(xsimd::select(pos == first, spread_dy, zero));
    if (xsimd::any(xsimd::isnan(v))) {
      alignas(64) T xs[W];
      alignas(64) T ds[W];
      alignas(64) T rs[W];
      raw.store_aligned(xs);
      dyv.store_aligned(ds);
      r.store_aligned(rs);
      for (std::size_t g = 0; g < L.G; ++g) {
        const T* xg = xs + g * L.c;
        const std::size_t j = scalar_first_max(xg, L.c);
        if (xg[j] != xg[j])
          for (std::size_t t = 0; t < L.c; ++t) rs[g * L.c + t] = t == j ? ds[g] : T(0);
      }
      r = B::load_aligned(rs);
    }
    return r;
  };
  packed_loop<T, A>((n + L.G - 1) / L.G, packed_output<T, A>{dx, n * L.c, L.step}, kernel,
                    packed_input<T, A>{x, n * L.c, L.step}, packed_input<T, A>{dy, n, L.G});
}

// ---------------------------------------------------------------------------
// k >= W: one group at a time, a batch max across it (the last batch
// overlaps the one before), then across lanes.
// ---------------------------------------------------------------------------
template <class T, class A>
inline T group_max(const T* g, std::size_t k) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  B m0 = B::load_unaligned(g), m1 = B::load_unaligned(g + (k - W));
  auto bad = xsimd::isnan(m0) | xsimd::isnan(m1);
  std::size_t j = W;
  for (; j + 2 * W <= k; j += 2 * W) {
    const B a = B::load_unaligned(g + j), b = B::load_unaligned(g + j + W);
    m0 = xsimd::max(m0, a);
    m1 = xsimd::max(m1, b);
    bad = bad | xsimd::isnan(a) | xsimd::isnan(b);
  }
  if (j + W <= k) {
    const B a = B::load_unaligned(g + j);
    m0 = xsimd::max(m0, a);
    bad = bad | xsimd::isnan(a);
  }
  if (xsimd::any(bad)) return std::numeric_limits<T>::quiet_NaN();
  return reduce_max(xsimd::max(m0, m1));
}

template <class T, class A>
SIMDACT_ROWWISE_ENTRY void maxout_groups(const T* x, T* y, std::size_t n, std::size_t k) {
  constexpr std::size_t W = batch<T, A>::size;
  if (k >= W) {
    for (std::size_t i = 0; i < n; ++i) y[i] = group_max<T, A>(x + i * k, k);
    return;
  }
  const packed_layout<T, A> layout(k);
  with_log_p<W>(layout.log_p, [&](auto log_p) { maxout_packed<decltype(log_p)::value, T, A>(x, y, n, layout); });
}

template <class T, class A>
SIMDACT_ROWWISE_ENTRY void maxout_backward_groups(const T* x, const T* dy, T* dx, std::size_t n, std::size_t k) {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  if (k < W) {
    const packed_layout<T, A> layout(k);
    with_log_p<W>(layout.log_p,
                  [&](auto log_p) { maxout_backward_packed<decltype(log_p)::value, T, A>(x, dy, dx, n, layout); });
    return;
  }
  const B zero(T(0));
  for (std::size_t i = 0; i < n; ++i) {
    const T* g = x + i * k;
    T* d = dx + i * k;
    const T m = group_max<T, A>(g, k);
    const B vm(m);
    // First batch holding the maximum (or a NaN), then the lane within it.
    std::size_t p = k - W;
    for (std::size_t j = 0;; j += W) {
      const std::size_t at = j + W <= k ? j : k - W;
      const B v = B::load_unaligned(g + at);
      const auto hit = m == m ? v == vm : xsimd::isnan(v);
      if (xsimd::any(hit)) {
        p = at + first_true(hit);
        break;
      }
    }
    const T d_i = dy[i];
    for (std::size_t j = 0; j + W <= k; j += W) zero.store_unaligned(d + j);
    zero.store_unaligned(d + (k - W));
    d[p] = d_i;
  }
}

}  // namespace rowwise
SIMDACT_KERNELS_END
