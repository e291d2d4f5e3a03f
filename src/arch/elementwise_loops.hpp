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

// Batches per main-loop iteration. 4 measured no better than 2 (Zen 4, 4096
// floats, 1 thread: sigmoid, tanh, elu, gelu within +-4% on avx512, sigmoid
// and swish 10% slower on avx2, where 16 registers spill; relu 9% slower on
// avx512), so 2 it is.
constexpr std::size_t unroll = 2;

// out[i] = f(in_0[i], in_1[i], ...) over [0, n), f taking and returning batches.
//
// Every element goes through the same copy of the code (unroll slot, single
// batch, tail) for a given range length and thread count whatever the
// buffers' addresses: a kernel whose NaN results depend on the operand order
// the compiler picked in each copy (x86 returns the first NaN operand) still
// gives the same bits for every alignment. Only the streaming path, where
// non-temporal stores need it, starts at the first batch-aligned output.
//
// exact_cover = false (pure elementwise f): a tail shorter than a batch is the
// last whole batch of the range, computed before anything is written (so in
// place works) and stored after the loop over lanes the loop also wrote (the
// same values); likewise the streaming head. exact_cover = true (f
// accumulates, so every element must be seen once): head and tail go through
// zero-padded buffers instead.
// Flattened (everything the kernel calls inlined): swish backward 25% faster on AVX2, elu backward 39% on
// SSE2, no kernel more than 7% slower (4K floats and doubles, avx512/avx2/sse2).
template <class T, class A, bool exact_cover = false, class F, class... In>
SIMDACT_FLATTEN void drive(T* out, std::size_t n, bool stream, const F& kernel, const In*... in) {
  // A local copy of the kernel (and of what it captures by value, the
  // parameters): no store through `out` can alias it, so its broadcasts stay
  // in registers across the loop instead of being reloaded after each store.
  F f = kernel;
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

  if (n < W) {
    if (n) partial(0, n);
    return;
  }
  const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(out);
  stream = stream && address % sizeof(T) == 0;
  // Elements before the first batch-aligned output address, when streaming.
  const std::size_t head = stream ? (sizeof(B) - address % sizeof(B)) % sizeof(B) / sizeof(T) : 0;

  B first, last;
  std::size_t i = head;
  if constexpr (exact_cover) {
    if (head) partial(0, head);
  } else {
    if (head) first = full(0);
    if (n % W != 0 || head) last = full(n - W);
  }
  if (stream) {
    for (; i + unroll * W <= n; i += unroll * W) {
      B r[unroll];
      for (std::size_t u = 0; u < unroll; ++u) r[u] = full(i + u * W);
      for (std::size_t u = 0; u < unroll; ++u) store_stream(r[u], out + i + u * W);
    }
    for (; i + W <= n; i += W) store_stream(full(i), out + i);
  } else {
    for (; i + unroll * W <= n; i += unroll * W) {
      B r[unroll];
      for (std::size_t u = 0; u < unroll; ++u) r[u] = full(i + u * W);
      for (std::size_t u = 0; u < unroll; ++u) r[u].store_unaligned(out + i + u * W);
    }
    for (; i + W <= n; i += W) full(i).store_unaligned(out + i);
  }
  if constexpr (exact_cover) {
    if (i < n) partial(i, n - i);
  } else {
    if (head) first.store_unaligned(out);
    if (i < n) last.store_unaligned(out + n - W);
  }
  if (stream) stream_fence();
}

// The kernels capture the parameters by value (see drive).
template <class Op, class T, class A>
void forward(const T* x, T* y, std::size_t n, const kparams<T>& params, bool stream) {
  drive<T, A>(
      y, n, stream, [p = params](xsimd::batch<T, A> v) { return Op::forward(v, p); }, x);
}

// A kernel whose backward needs a slower formula for some parameter values declares
// `static bool general_backward(const kparams<T>&)` and `backward_general`: the choice is made once per
// call, not per batch (a branch in the batch body cost elu's usual path 12-17%).
template <class Op, class T, class = void>
struct has_general_backward : std::false_type {};
template <class Op, class T>
struct has_general_backward<Op, T, std::void_t<decltype(Op::general_backward(std::declval<const kparams<T>&>()))>>
    : std::true_type {};

template <class Op, class T, class A>
void backward(const T* x, const T* dy, T* dx, std::size_t n, const kparams<T>& params, bool stream) {
  using B = xsimd::batch<T, A>;
  if constexpr (has_general_backward<Op, T>::value) {
    if (Op::general_backward(params)) {
      drive<T, A>(
          dx, n, stream, [p = params](B a, B b) { return Op::backward_general(a, b, p); }, x, dy);
      return;
    }
  }
  drive<T, A>(
      dx, n, stream, [p = params](B a, B b) { return Op::backward(a, b, p); }, x, dy);
}

template <class Op, class T, class A>
void backward_from_output(const T* y, const T* dy, T* dx, std::size_t n, const kparams<T>& params, bool stream) {
  drive<T, A>(
      dx, n, stream,
      [p = params](xsimd::batch<T, A> a, xsimd::batch<T, A> b) { return Op::backward_from_output(a, b, p); }, y, dy);
}

// dx = backward, returning sum dy * d f / d p0 over the range (lane sums in
// order, then across lanes: fixed for a given ISA and range). The padding
// has dy = 0, so it contributes nothing.
// Flattened: GCC kept swish's parameter-gradient body out of line on AVX2 (a call per batch, vectors through
// memory), 1.6x slower.
template <class Op, class T, class A>
SIMDACT_FLATTEN double backward_param_grad(const T* x, const T* dy, T* dx, std::size_t n, const kparams<T>& params) {
  using B = xsimd::batch<T, A>;
  const kparams<T> p = params;
  B acc(T(0));
  drive<T, A, true>(
      dx, n, false,
      [&acc, p](B a, B b) {
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
