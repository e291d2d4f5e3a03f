// The dispatch table: plain function pointers filled by one translation unit
// per ISA (src/arch/), chosen once by src/dispatch.cpp. Each function handles
// one contiguous range; src/parallel.cpp splits the work across threads.
#pragma once

#include <cstddef>

#include <simdact/simdact.hpp>

#include "kernels/params.hpp"
#include "kernels/rowwise/types.hpp"

namespace simdact::detail {

// y[0..n) = f(x[0..n)); stream: use non-temporal stores (a hint)
template <class T>
using unary_fn = void (*)(const T* x, T* y, std::size_t n, const kparams<T>& p, bool stream);
// out[0..n) = g(a[0..n), b[0..n))  (backward: a = x or y, b = dy)
template <class T>
using binary_fn = void (*)(const T* a, const T* b, T* out, std::size_t n, const kparams<T>& p, bool stream);
// Backward that also returns sum dy * d f / d p0 over [0, n), n <= reduce_chunk.
template <class T>
using param_grad_fn = double (*)(const T* x, const T* dy, T* dx, std::size_t n, const kparams<T>& p);

// Reductions are summed in chunks of this many elements whatever the thread
// count, then the chunk partials in order: the same bits for 1 or 64 threads.
inline constexpr std::size_t reduce_chunk = 4096;

template <class T>
struct activation_entry {
  unary_fn<T> forward = nullptr;
  binary_fn<T> backward = nullptr;
  binary_fn<T> backward_from_output = nullptr;     // null where the activation has none
  param_grad_fn<T> backward_param_grad = nullptr;  // null where it has no learnable parameter
};

// Row-wise kernels (softmax family). `rows` handles whole rows [0, rows) of a
// rows x cols matrix; a row too long for one thread is cut into chunks
// handled by `stats`/`dot` (one partial per chunk, combined in chunk order by
// src/api_rowwise.cpp) and then `finish` (stream: non-temporal stores, a hint).
template <class T>
struct softmax_entry {
  void (*rows)(const T* x, T* y, std::size_t rows, std::size_t cols) = nullptr;
  chunk_stats<T> (*stats)(const T* x, std::size_t n) = nullptr;
  void (*finish)(const T* x, T* y, std::size_t n, const row_summary<T>& row, bool stream) = nullptr;
};
template <class T>
struct softmax_backward_entry {
  void (*rows)(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols) = nullptr;
  dot_partial<T> (*dot)(const T* y, const T* dy, std::size_t n) = nullptr;
  void (*finish)(const T* y, const T* dy, T* dx, std::size_t n, T sum, bool stream) = nullptr;
};

template <class T>
struct type_table {
  activation_entry<T> act[activation_count];
  softmax_entry<T> softmax;
  softmax_entry<T> log_softmax;
  softmax_entry<T> softmin;
  softmax_backward_entry<T> softmax_backward;
  softmax_backward_entry<T> log_softmax_backward;
  softmax_backward_entry<T> softmin_backward;
  // maxout over groups [0, n) of k
  void (*maxout)(const T* x, T* y, std::size_t n, std::size_t k) = nullptr;
  void (*maxout_backward)(const T* x, const T* dy, T* dx, std::size_t n, std::size_t k) = nullptr;
};

struct table {
  isa id = isa::scalar;
  type_table<float> f32;
  type_table<double> f64;

  template <class T>
  const type_table<T>& of() const {
    if constexpr (sizeof(T) == sizeof(float))
      return f32;
    else
      return f64;
  }
};

// One per ISA compiled in; each returns nullptr when not built for this target.
const table* scalar_table();
const table* sse2_table();
const table* avx2_table();
const table* avx512_table();
const table* neon_table();

}  // namespace simdact::detail
