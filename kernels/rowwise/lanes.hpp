// Lane movement for the row-wise kernels: fixed and run-time permutations of
// one batch, butterfly reductions over aligned segments of P = 2^LogP lanes
// (every lane of a segment ends with the segment's result), and masks.
// xsimd 8.1 has no general shuffle for every ISA (its AVX zip_lo is in-lane),
// so x86 uses the permute instructions directly; other ISAs go through memory.
#pragma once

#include "kernels/namespace.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "kernels/math/dd.hpp"

// The row-wise entry points inline everything they call (kernels/namespace.hpp).
#define SIMDACT_ROWWISE_ENTRY SIMDACT_FLATTEN

SIMDACT_KERNELS_BEGIN
namespace rowwise {

template <class T, class A>
using batch = xsimd::batch<T, A>;

template <class A>
inline constexpr bool is_avx512_v = std::is_base_of<xsimd::avx512f, A>::value;
template <class A>
inline constexpr bool is_avx2_v = std::is_base_of<xsimd::avx2, A>::value;
template <class A>
inline constexpr bool is_sse2_v = std::is_base_of<xsimd::sse2, A>::value && !std::is_base_of<xsimd::avx, A>::value;

// Lane i takes lane src[i] of v; src is known at compile time (Gen::get(i)).
template <class Gen, class T, class A>
inline batch<T, A> permute_fixed(batch<T, A> v) {
  constexpr std::size_t W = batch<T, A>::size;
#if defined(__AVX512F__)
  if constexpr (is_avx512_v<A>) {
    if constexpr (std::is_same<T, float>::value) {
      alignas(64) static constexpr std::int32_t idx[16] = {
          Gen::get(0), Gen::get(1), Gen::get(2),  Gen::get(3),  Gen::get(4),  Gen::get(5),  Gen::get(6),  Gen::get(7),
          Gen::get(8), Gen::get(9), Gen::get(10), Gen::get(11), Gen::get(12), Gen::get(13), Gen::get(14), Gen::get(15)};
      return _mm512_permutexvar_ps(_mm512_load_si512(idx), v);
    } else {
      alignas(64) static constexpr std::int64_t idx[8] = {Gen::get(0), Gen::get(1), Gen::get(2), Gen::get(3),
                                                          Gen::get(4), Gen::get(5), Gen::get(6), Gen::get(7)};
      return _mm512_permutexvar_pd(_mm512_load_si512(idx), v);
    }
  }
#endif
#if defined(__AVX2__)
  if constexpr (is_avx2_v<A>) {
    if constexpr (std::is_same<T, float>::value) {
      alignas(32) static constexpr std::int32_t idx[8] = {Gen::get(0), Gen::get(1), Gen::get(2), Gen::get(3),
                                                          Gen::get(4), Gen::get(5), Gen::get(6), Gen::get(7)};
      return _mm256_permutevar8x32_ps(v, _mm256_load_si256(reinterpret_cast<const __m256i*>(idx)));
    } else {
      return _mm256_permute4x64_pd(v, Gen::get(0) | Gen::get(1) << 2 | Gen::get(2) << 4 | Gen::get(3) << 6);
    }
  }
#endif
#if defined(__SSE2__)
  if constexpr (is_sse2_v<A>) {
    if constexpr (std::is_same<T, float>::value)
      return _mm_shuffle_ps(v, v, Gen::get(0) | Gen::get(1) << 2 | Gen::get(2) << 4 | Gen::get(3) << 6);
    else
      return _mm_shuffle_pd(v, v, Gen::get(0) | Gen::get(1) << 1);
  }
#endif
  alignas(64) T in[W];
  alignas(64) T out[W];
  v.store_aligned(in);
  for (std::size_t i = 0; i < W; ++i) out[i] = in[Gen::get(static_cast<unsigned>(i))];
  return batch<T, A>::load_aligned(out);
}

// Lane i takes lane i ^ S.
template <unsigned S>
struct xor_lanes {
  static constexpr unsigned get(unsigned i) { return i ^ S; }
};
// Lane i takes lane i / P (one value per segment spread over the segment).
template <unsigned P>
struct spread_lanes {
  static constexpr unsigned get(unsigned i) { return i / P; }
};
// Lane i takes lane i * P (the first lane of each segment, packed to the front);
// lanes past the segment count repeat lane 0.
template <unsigned P, unsigned W>
struct gather_segment_heads {
  static constexpr unsigned get(unsigned i) { return i < W / P ? i * P : 0; }
};

// A permutation chosen at run time: lane i takes lane src[i].
template <class T, class A>
class lane_permutation {
 public:
  static constexpr std::size_t W = batch<T, A>::size;

  explicit lane_permutation(const unsigned* src) {
#if defined(__AVX512F__)
    if constexpr (is_avx512_v<A>) {
      alignas(64) std::int32_t w[16];
      for (std::size_t i = 0; i < W; ++i) {
        if constexpr (std::is_same<T, float>::value) {
          w[i] = static_cast<std::int32_t>(src[i]);
        } else {
          w[2 * i] = static_cast<std::int32_t>(src[i]);
          w[2 * i + 1] = 0;
        }
      }
      native_ = _mm512_load_si512(w);
      return;
    }
#elif defined(__AVX2__)  // native_ is __m256i only in a unit without AVX-512 (see below)
    if constexpr (is_avx2_v<A>) {
      alignas(32) std::int32_t w[8];
      for (std::size_t i = 0; i < W; ++i) {
        if constexpr (std::is_same<T, float>::value) {
          w[i] = static_cast<std::int32_t>(src[i]);
        } else {  // a double is two 32-bit halves
          w[2 * i] = static_cast<std::int32_t>(2 * src[i]);
          w[2 * i + 1] = static_cast<std::int32_t>(2 * src[i] + 1);
        }
      }
      native_ = _mm256_load_si256(reinterpret_cast<const __m256i*>(w));
      return;
    }
#endif
    for (std::size_t i = 0; i < W; ++i) src_[i] = src[i];
  }

  batch<T, A> operator()(batch<T, A> v) const {
#if defined(__AVX512F__)
    if constexpr (is_avx512_v<A>) {
      if constexpr (std::is_same<T, float>::value)
        return _mm512_permutexvar_ps(native_, v);
      else
        return _mm512_permutexvar_pd(native_, v);
    }
#elif defined(__AVX2__)
    if constexpr (is_avx2_v<A>) {
      if constexpr (std::is_same<T, float>::value)
        return _mm256_permutevar8x32_ps(v, native_);
      else
        return _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(v), native_));
    }
#endif
    alignas(64) T in[W];
    alignas(64) T out[W];
    v.store_aligned(in);
    for (std::size_t i = 0; i < W; ++i) out[i] = in[src_[i]];
    return batch<T, A>::load_aligned(out);
  }

 private:
#if defined(__AVX512F__)
  __m512i native_;
#elif defined(__AVX2__)
  __m256i native_;
#endif
  unsigned src_[W > 0 ? W : 1] = {};
};

// Butterfly over segments of 2^LogP lanes: every lane ends with op over its segment.
template <int LogP, class Op, class B>
inline B segment_reduce(B v, Op op) {
  if constexpr (LogP > 0) {
    v = segment_reduce<LogP - 1>(v, op);
    return op(v, permute_fixed<xor_lanes<1u << (LogP - 1)>>(v));
  } else {
    return v;
  }
}

template <int LogP, class B>
inline B segment_max(B v) {
  return segment_reduce<LogP>(v, [](B a, B b) { return xsimd::max(a, b); });
}
template <int LogP, class B>
inline B segment_min(B v) {
  return segment_reduce<LogP>(v, [](B a, B b) { return xsimd::min(a, b); });
}
template <int LogP, class B>
inline B segment_sum(B v) {
  return segment_reduce<LogP>(v, [](B a, B b) { return a + b; });
}

template <class B>
inline typename B::value_type first_lane(B v) {
  alignas(64) typename B::value_type lanes[B::size];
  v.store_aligned(lanes);
  return lanes[0];
}

template <std::size_t W>
inline constexpr int log2_size = W <= 1 ? 0 : 1 + log2_size<W / 2>;

// Max, sum and compensated sum over all lanes (fixed order for a given ISA).
template <class B>
inline typename B::value_type reduce_max(B v) {
  return first_lane(segment_max<log2_size<B::size>>(v));
}
template <class B>
inline typename B::value_type reduce_sum(B v) {
  return first_lane(segment_sum<log2_size<B::size>>(v));
}
// hi + lo over all lanes with an error-free butterfly: the rounding errors of
// each step are collected in lo. Returns the sum; err receives its error term.
template <class B>
inline typename B::value_type reduce_sum_compensated(B hi, B lo, typename B::value_type& err) {
  constexpr int L = log2_size<B::size>;
  auto step = [&](auto s_tag) {
    constexpr unsigned S = decltype(s_tag)::value;
    B e;
    hi = math::two_sum(hi, permute_fixed<xor_lanes<S>>(hi), e);
    lo = lo + permute_fixed<xor_lanes<S>>(lo) + e;
  };
  if constexpr (L >= 1) step(std::integral_constant<unsigned, 1>{});
  if constexpr (L >= 2) step(std::integral_constant<unsigned, 2>{});
  if constexpr (L >= 3) step(std::integral_constant<unsigned, 4>{});
  if constexpr (L >= 4) step(std::integral_constant<unsigned, 8>{});
  static_assert(L <= 4, "at most 16 lanes");
  err = first_lane(lo);
  return first_lane(hi);
}

// The index of the first true lane of b (b must have one).
template <class T, class A>
inline std::size_t first_true(xsimd::batch_bool<T, A> b) {
#if defined(__AVX512F__)
  if constexpr (is_avx512_v<A>) {
    if constexpr (std::is_same<T, float>::value)
      return static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(static_cast<__mmask16>(b))));
    else
      return static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(static_cast<__mmask8>(b))));
  }
#endif
#if defined(__AVX2__)
  if constexpr (is_avx2_v<A>) {
    if constexpr (std::is_same<T, float>::value)
      return static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(_mm256_movemask_ps(b))));
    else
      return static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(_mm256_movemask_pd(b))));
  }
#endif
#if defined(__SSE2__)
  if constexpr (is_sse2_v<A>) {
    if constexpr (std::is_same<T, float>::value)
      return static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(_mm_movemask_ps(b))));
    else
      return static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(_mm_movemask_pd(b))));
  }
#endif
  constexpr std::size_t W = batch<T, A>::size;
  alignas(64) T v[W];
  xsimd::select(b, batch<T, A>(T(1)), batch<T, A>(T(0))).store_aligned(v);
  std::size_t i = 0;
  while (v[i] == T(0)) ++i;
  return i;
}

// 0, 1, ..., W-1 as T.
template <class T, class A>
inline batch<T, A> lane_iota() {
  constexpr std::size_t W = batch<T, A>::size;
  alignas(64) T v[W];
  for (std::size_t i = 0; i < W; ++i) v[i] = T(i);
  return batch<T, A>::load_aligned(v);
}

// True in lanes [first, W).
template <class T, class A>
inline xsimd::batch_bool<T, A> lanes_from(std::size_t first) {
  return lane_iota<T, A>() >= batch<T, A>(T(first));
}

}  // namespace rowwise
SIMDACT_KERNELS_END
