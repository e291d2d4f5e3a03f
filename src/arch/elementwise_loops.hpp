// The per-ISA driver for elementwise kernels: walks one contiguous range in
// whole batches, and runs the tail through the same vector code via a small
// zero-padded buffer, so an element's result never depends on where it sits.
#pragma once

#include <cstddef>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "kernels/common.hpp"

SIMDACT_KERNELS_BEGIN
namespace loops {

using simdact::detail::kparams;

template <class Op, class T, class A>
void forward(const T* x, T* y, std::size_t n, const kparams<T>& p) {
  using B = xsimd::batch<T, A>;
  constexpr std::size_t W = B::size;
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    B a = B::load_unaligned(x + i);
    B b = B::load_unaligned(x + i + W);
    Op::forward(a, p).store_unaligned(y + i);
    Op::forward(b, p).store_unaligned(y + i + W);
  }
  for (; i + W <= n; i += W) Op::forward(B::load_unaligned(x + i), p).store_unaligned(y + i);
  if (i < n) {
    alignas(64) T buf[W] = {};
    std::memcpy(buf, x + i, (n - i) * sizeof(T));
    Op::forward(B::load_aligned(buf), p).store_aligned(buf);
    std::memcpy(y + i, buf, (n - i) * sizeof(T));
  }
}

// out = g(a, b) for g = Op::backward or Op::backward_from_output (Fn picks).
template <class Fn, class T, class A>
void binary(const T* a, const T* b, T* out, std::size_t n, const kparams<T>& p) {
  using B = xsimd::batch<T, A>;
  constexpr std::size_t W = B::size;
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    B a0 = B::load_unaligned(a + i), b0 = B::load_unaligned(b + i);
    B a1 = B::load_unaligned(a + i + W), b1 = B::load_unaligned(b + i + W);
    Fn::apply(a0, b0, p).store_unaligned(out + i);
    Fn::apply(a1, b1, p).store_unaligned(out + i + W);
  }
  for (; i + W <= n; i += W)
    Fn::apply(B::load_unaligned(a + i), B::load_unaligned(b + i), p).store_unaligned(out + i);
  if (i < n) {
    alignas(64) T abuf[W] = {};
    alignas(64) T bbuf[W] = {};
    std::memcpy(abuf, a + i, (n - i) * sizeof(T));
    std::memcpy(bbuf, b + i, (n - i) * sizeof(T));
    Fn::apply(B::load_aligned(abuf), B::load_aligned(bbuf), p).store_aligned(abuf);
    std::memcpy(out + i, abuf, (n - i) * sizeof(T));
  }
}

template <class Op>
struct backward_of {
  template <class B, class P>
  static B apply(B x, B dy, const P& p) {
    return Op::backward(x, dy, p);
  }
};
template <class Op>
struct backward_from_output_of {
  template <class B, class P>
  static B apply(B y, B dy, const P& p) {
    return Op::backward_from_output(y, dy, p);
  }
};

// dx = backward, returning sum dy * d f / d p0 over the range (in lane order,
// then across lanes: fixed for a given ISA and range).
template <class Op, class T, class A>
double backward_param_grad(const T* x, const T* dy, T* dx, std::size_t n, const kparams<T>& p) {
  using B = xsimd::batch<T, A>;
  constexpr std::size_t W = B::size;
  B acc(T(0));
  std::size_t i = 0;
  for (; i + W <= n; i += W) {
    B g;
    Op::backward_param_grad(B::load_unaligned(x + i), B::load_unaligned(dy + i), p, g).store_unaligned(dx + i);
    acc += g;
  }
  if (i < n) {
    alignas(64) T xbuf[W] = {};
    alignas(64) T dybuf[W] = {};  // dy = 0 in the padding: no contribution
    std::memcpy(xbuf, x + i, (n - i) * sizeof(T));
    std::memcpy(dybuf, dy + i, (n - i) * sizeof(T));
    B g;
    Op::backward_param_grad(B::load_aligned(xbuf), B::load_aligned(dybuf), p, g).store_aligned(xbuf);
    std::memcpy(dx + i, xbuf, (n - i) * sizeof(T));
    acc += g;
  }
  alignas(64) T lanes[W];
  acc.store_aligned(lanes);
  double sum = 0;
  for (std::size_t l = 0; l < W; ++l) sum += double(lanes[l]);
  return sum;
}

}  // namespace loops
SIMDACT_KERNELS_END
