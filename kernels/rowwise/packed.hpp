// Rows (or maxout groups) shorter than a batch, several per batch: a row of c
// elements occupies a segment of P = next power of two >= c lanes, G = W / P
// rows per batch. A batch loads the G*c contiguous elements of G rows (one
// plain load), spreads them to their segments (a lane permutation, only when
// c is not a power of two), reduces each segment with a butterfly, and packs
// the results back. Every lane of a row does the same operations whatever the
// row's slot, so a row's result does not depend on where it sits.
#pragma once

#include "kernels/namespace.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>

#include "kernels/rowwise/lanes.hpp"

SIMDACT_KERNELS_BEGIN
namespace rowwise {

// Where G rows of c elements sit in a batch of W lanes (c < W).
template <class T, class A>
struct packed_layout {
  static constexpr std::size_t W = batch<T, A>::size;

  explicit packed_layout(std::size_t cols)
      : c(cols),
        P(std::size_t{1} << ceil_log2(cols)),
        G(W / P),
        step(G * cols),
        log_p(ceil_log2(cols)),
        permuted(P != cols && G > 1),
        spread(spread_index(cols).data),
        pack(pack_index(cols).data),
        valid(position() < batch<T, A>(T(cols))) {}

  std::size_t c;     // elements per row
  std::size_t P;     // lanes per row
  std::size_t G;     // rows per batch
  std::size_t step;  // elements per batch (G * c)
  int log_p;
  bool permuted;  // spread/pack needed (c is not a power of two, G > 1)
  lane_permutation<T, A> spread;
  lane_permutation<T, A> pack;
  xsimd::batch_bool<T, A> valid;  // the segment lanes that hold an element

  // Lane index within its segment, as T.
  batch<T, A> position() const {
    alignas(64) T v[W];
    for (std::size_t i = 0; i < W; ++i) v[i] = T(i % P);
    return batch<T, A>::load_aligned(v);
  }

  // Contiguous elements of G rows -> their segments (padding lanes repeat the
  // row's last element; callers mask them with `valid`).
  batch<T, A> to_segments(batch<T, A> v) const { return permuted ? spread(v) : v; }
  // Segments -> contiguous elements.
  batch<T, A> from_segments(batch<T, A> v) const { return permuted ? pack(v) : v; }

  static int ceil_log2(std::size_t c) {
    int l = 0;
    while ((std::size_t{1} << l) < c) ++l;
    return l;
  }

 private:
  struct index_array {
    unsigned data[W];
  };
  static index_array spread_index(std::size_t c) {
    const std::size_t p = std::size_t{1} << ceil_log2(c);
    index_array a{};
    for (std::size_t l = 0; l < W; ++l) a.data[l] = static_cast<unsigned>((l / p) * c + std::min(l % p, c - 1));
    return a;
  }
  static index_array pack_index(std::size_t c) {
    const std::size_t p = std::size_t{1} << ceil_log2(c);
    const std::size_t g = W / p;
    index_array a{};
    for (std::size_t i = 0; i < W; ++i) a.data[i] = i < g * c ? static_cast<unsigned>((i / c) * p + i % c) : 0u;
    return a;
  }
};

// One input of a packed loop: batch k covers elements [k*step, k*step + step)
// of [0, len). A batch whose W lanes stay inside [0, len) is one plain load;
// the last ones go through a zero-padded copy.
template <class T, class A>
struct packed_input {
  static constexpr std::size_t W = batch<T, A>::size;
  const T* p;
  std::size_t len;
  std::size_t step;

  batch<T, A> fetch(std::size_t k) const {
    const std::size_t b = k * step;
    if (b + W <= len) return batch<T, A>::load_unaligned(p + b);
    alignas(64) T buf[W] = {};
    std::memcpy(buf, p + b, std::min(step, len - b) * sizeof(T));
    return batch<T, A>::load_aligned(buf);
  }
};

// The output of a packed loop. A batch whose W lanes fit in [0, len) is one
// plain store: its lanes past `step` spill into the next batch's elements,
// which the loop has already loaded (so the output may alias an input of the
// same step, step >= W/2) and rewrites after.
template <class T, class A>
struct packed_output {
  static constexpr std::size_t W = batch<T, A>::size;
  T* p;
  std::size_t len;
  std::size_t step;

  void put(std::size_t k, batch<T, A> v) const {
    const std::size_t b = k * step;
    if (b + W <= len) {
      v.store_unaligned(p + b);
      return;
    }
    alignas(64) T buf[W];
    v.store_aligned(buf);
    std::memcpy(p + b, buf, std::min(step, len - b) * sizeof(T));
  }
};

// Runs fn(k, inputs...) -> batch for k in [0, count), loading batch k + 1
// before storing batch k.
template <class T, class A, class Fn>
inline void packed_loop(std::size_t count, const packed_output<T, A>& out, Fn fn, const packed_input<T, A>& in0) {
  if (count == 0) return;
  batch<T, A> a = in0.fetch(0);
  for (std::size_t k = 0; k < count; ++k) {
    const batch<T, A> next_a = k + 1 < count ? in0.fetch(k + 1) : a;
    out.put(k, fn(k, a));
    a = next_a;
  }
}
template <class T, class A, class Fn>
inline void packed_loop(std::size_t count, const packed_output<T, A>& out, Fn fn, const packed_input<T, A>& in0,
                        const packed_input<T, A>& in1) {
  if (count == 0) return;
  batch<T, A> a = in0.fetch(0), b = in1.fetch(0);
  for (std::size_t k = 0; k < count; ++k) {
    const bool more = k + 1 < count;
    const batch<T, A> next_a = more ? in0.fetch(k + 1) : a;
    const batch<T, A> next_b = more ? in1.fetch(k + 1) : b;
    out.put(k, fn(k, a, b));
    a = next_a;
    b = next_b;
  }
}

// Calls f(std::integral_constant<int, L>) for the run-time L in [0, log2 W].
template <std::size_t W, class F>
inline void with_log_p(int log_p, F&& f) {
  switch (log_p) {
    case 0:
      return f(std::integral_constant<int, 0>{});
    case 1:
      if constexpr (W >= 2) return f(std::integral_constant<int, 1>{});
      break;
    case 2:
      if constexpr (W >= 4) return f(std::integral_constant<int, 2>{});
      break;
    case 3:
      if constexpr (W >= 8) return f(std::integral_constant<int, 3>{});
      break;
    case 4:
      if constexpr (W >= 16) return f(std::integral_constant<int, 4>{});
      break;
    default:
      break;
  }
}

}  // namespace rowwise
SIMDACT_KERNELS_END
