// The per-ISA driver for elementwise kernels: walks one contiguous range in
// whole batches and runs the head/tail through the same vector code via small
// zero-padded buffers, so an element's result never depends on where it sits.
// Large outputs use non-temporal stores (no read-for-ownership of lines that
// will not be read back soon); src/api_elementwise.cpp decides when.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include <xsimd/xsimd.hpp>

#include "kernels/common.hpp"

SIMDACT_KERNELS_BEGIN
namespace loops {

using simdact::detail::kparams;

// Non-temporal store of a full batch to p, which must be aligned to the batch size.
template <class T, class A>
inline void store_stream(xsimd::batch<T, A> v, T* p) {
#if defined(__x86_64__) || defined(__i386__)
  constexpr bool is_float = std::is_same<T, float>::value;
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    if constexpr (is_float)
      _mm512_stream_ps(p, v);
    else
      _mm512_stream_pd(p, v);
    return;
  }
#endif
#if defined(__AVX__)
  if constexpr (std::is_base_of<xsimd::avx, A>::value) {
    if constexpr (is_float)
      _mm256_stream_ps(p, v);
    else
      _mm256_stream_pd(p, v);
    return;
  }
#endif
  if constexpr (std::is_base_of<xsimd::sse2, A>::value) {
    if constexpr (is_float)
      _mm_stream_ps(p, v);
    else
      _mm_stream_pd(p, v);
    return;
  }
#endif
  v.store_aligned(p);
}

inline void stream_fence() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_sfence();
#endif
}

// f(load(buf[0]), load(buf[1]), ...)
template <class B, class F, class Buffers, std::size_t... K>
inline B apply_aligned(F& f, Buffers& buf, std::index_sequence<K...>) {
  return f(B::load_aligned(buf[K])...);
}

// out[i] = f(in_0[i], in_1[i], ...) over [0, n), f taking and returning batches.
template <class T, class A, class F, class... In>
void drive(T* out, std::size_t n, bool stream, F&& f, const In*... in) {
  using B = xsimd::batch<T, A>;
  constexpr std::size_t W = B::size;
  constexpr std::size_t inputs = sizeof...(In);
  const T* sources[inputs] = {in...};

  // A partial batch through zero-padded buffers.
  auto partial = [&](std::size_t i, std::size_t count) {
    alignas(64) T buf[inputs][W] = {};
    for (std::size_t k = 0; k < inputs; ++k) std::memcpy(buf[k], sources[k] + i, count * sizeof(T));
    B r = apply_aligned<B>(f, buf, std::make_index_sequence<inputs>{});
    r.store_aligned(buf[0]);
    std::memcpy(out + i, buf[0], count * sizeof(T));
  };
  auto full = [&](std::size_t i) { return f(B::load_unaligned(in + i)...); };

  std::size_t i = 0;
  stream = stream && reinterpret_cast<std::uintptr_t>(out) % sizeof(T) == 0;
  if (stream) {
    const std::size_t misalign = reinterpret_cast<std::uintptr_t>(out) % sizeof(B);
    const std::size_t head = misalign ? std::min(n, (sizeof(B) - misalign) / sizeof(T)) : 0;
    if (head) partial(0, head);
    i = head;
    for (; i + W <= n; i += W) store_stream(full(i), out + i);
  } else {
    for (; i + 2 * W <= n; i += 2 * W) {
      B r0 = full(i);
      B r1 = full(i + W);
      r0.store_unaligned(out + i);
      r1.store_unaligned(out + i + W);
    }
    for (; i + W <= n; i += W) full(i).store_unaligned(out + i);
  }
  if (i < n) partial(i, n - i);
  if (stream) stream_fence();
}

template <class Op, class T, class A>
void forward(const T* x, T* y, std::size_t n, const kparams<T>& p, bool stream) {
  drive<T, A>(
      y, n, stream, [&](xsimd::batch<T, A> v) { return Op::forward(v, p); }, x);
}

template <class Op, class T, class A>
void backward(const T* x, const T* dy, T* dx, std::size_t n, const kparams<T>& p, bool stream) {
  drive<T, A>(
      dx, n, stream, [&](xsimd::batch<T, A> a, xsimd::batch<T, A> b) { return Op::backward(a, b, p); }, x, dy);
}

template <class Op, class T, class A>
void backward_from_output(const T* y, const T* dy, T* dx, std::size_t n, const kparams<T>& p, bool stream) {
  drive<T, A>(
      dx, n, stream, [&](xsimd::batch<T, A> a, xsimd::batch<T, A> b) { return Op::backward_from_output(a, b, p); }, y,
      dy);
}

// dx = backward, returning sum dy * d f / d p0 over the range (lane sums in
// order, then across lanes: fixed for a given ISA and range). The padding
// has dy = 0, so it contributes nothing.
template <class Op, class T, class A>
double backward_param_grad(const T* x, const T* dy, T* dx, std::size_t n, const kparams<T>& p) {
  using B = xsimd::batch<T, A>;
  B acc(T(0));
  drive<T, A>(
      dx, n, false,
      [&](B a, B b) {
        B g;
        B r = Op::backward_param_grad(a, b, p, g);
        acc += g;
        return r;
      },
      x, dy);
  alignas(64) T lanes[B::size];
  acc.store_aligned(lanes);
  double sum = 0;
  for (std::size_t l = 0; l < B::size; ++l) sum += double(lanes[l]);
  return sum;
}

}  // namespace loops
SIMDACT_KERNELS_END
