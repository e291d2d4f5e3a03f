// The copy roofline: reading n elements and writing n elements is the least
// any forward activation must do. Two copies of the same bytes, in the widest
// vectors simdact runs: ordinary stores (what every peer uses) and non-temporal
// stores (which skip the read-for-ownership of the destination line, but also
// bypass the cache, so they only pay off for buffers larger than it).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <omp.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define SIMDACT_BENCH_X86 1
#endif

#include "bench_common.hpp"

namespace simdact_bench {
namespace {

using copy_fn = void (*)(const float* src, float* dst, std::size_t n);

#if !SIMDACT_BENCH_X86
void copy_plain(const float* src, float* dst, std::size_t n) { std::copy(src, src + n, dst); }
#else
// Each copy handles the head up to a 64-byte boundary of dst and the tail one
// float at a time, so the vector stores are aligned (stream stores need it).
#define SIMDACT_BENCH_COPY(fn_name, target_attr, vec, width, load, store)                          \
  __attribute__((target(target_attr))) void fn_name(const float* src, float* dst, std::size_t n) { \
    std::size_t i = 0;                                                                             \
    while (i < n && (reinterpret_cast<std::uintptr_t>(dst + i) & 63) != 0) {                       \
      dst[i] = src[i];                                                                             \
      ++i;                                                                                         \
    }                                                                                              \
    for (; i + 4 * width <= n; i += 4 * width) {                                                   \
      vec a = load(src + i), b = load(src + i + width);                                            \
      vec c = load(src + i + 2 * width), d = load(src + i + 3 * width);                            \
      store(dst + i, a);                                                                           \
      store(dst + i + width, b);                                                                   \
      store(dst + i + 2 * width, c);                                                               \
      store(dst + i + 3 * width, d);                                                               \
    }                                                                                              \
    for (; i < n; ++i) dst[i] = src[i];                                                            \
    _mm_sfence();                                                                                  \
  }
SIMDACT_BENCH_COPY(copy_avx512_store, "avx512f", __m512, 16, _mm512_loadu_ps, _mm512_store_ps)
SIMDACT_BENCH_COPY(copy_avx512_stream, "avx512f", __m512, 16, _mm512_loadu_ps, _mm512_stream_ps)
SIMDACT_BENCH_COPY(copy_avx2_store, "avx2", __m256, 8, _mm256_loadu_ps, _mm256_store_ps)
SIMDACT_BENCH_COPY(copy_avx2_stream, "avx2", __m256, 8, _mm256_loadu_ps, _mm256_stream_ps)
SIMDACT_BENCH_COPY(copy_sse2_store, "sse2", __m128, 4, _mm_loadu_ps, _mm_store_ps)
SIMDACT_BENCH_COPY(copy_sse2_stream, "sse2", __m128, 4, _mm_loadu_ps, _mm_stream_ps)
#undef SIMDACT_BENCH_COPY
#endif

// The widest copy this CPU runs, as simdact's own dispatch sees it (its
// check includes the OS's register-state support).
copy_fn pick(bool stream) {
#if SIMDACT_BENCH_X86
  switch (current_plan().best_isa()) {
    case simdact::isa::avx512:
      return stream ? copy_avx512_stream : copy_avx512_store;
    case simdact::isa::avx2:
      return stream ? copy_avx2_stream : copy_avx2_store;
    default:
      return stream ? copy_sse2_stream : copy_sse2_store;
  }
#else
  return stream ? nullptr : copy_plain;
#endif
}

// Split like simdact's driver: contiguous pieces in whole cache lines, and
// one thread below 32K elements, where waking threads costs more than it saves.
void parallel_copy(copy_fn copy, const float* src, float* dst, std::size_t n, int threads) {
  constexpr std::size_t line = 16;  // floats per 64-byte line
  if (threads <= 1 || n < (std::size_t{1} << 15)) {
    copy(src, dst, n);
    return;
  }
  const std::size_t lines = (n + line - 1) / line;
#pragma omp parallel num_threads(threads)
  {
    const auto team = static_cast<std::size_t>(omp_get_num_threads());
    const auto id = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t begin = std::min(n, lines * id / team * line);
    const std::size_t end = std::min(n, lines * (id + 1) / team * line);
    if (begin < end) copy(src + begin, dst + begin, end - begin);
  }
}

template <class T>
void register_type() {
  const plan& p = current_plan();
  for (bool stream : {false, true}) {
    copy_fn copy = pick(stream);
    if (!copy) continue;
    for (std::size_t n : plan::sizes)
      for (int threads : p.thread_counts()) {
        cell c;
        c.op = "copy";
        c.type = type_name<T>();
        c.impl = stream ? "copy.nt" : "copy.store";
        c.cols = n;
        c.threads = threads;
        add(c, [c, copy](benchmark::State& state) {
          // The same bytes as an activation over n elements of T.
          const auto* src = reinterpret_cast<const float*>(input<T>(dist::uniform));
          auto* dst = reinterpret_cast<float*>(output<T>());
          const std::size_t floats = c.elements() * sizeof(T) / sizeof(float);
          for (auto _ : state) {
            parallel_copy(copy, src, dst, floats, c.threads);
            benchmark::ClobberMemory();
          }
          set_throughput(state, c, 2, sizeof(T));
        });
      }
  }
}

}  // namespace

void register_copy() {
  register_type<float>();
  register_type<double>();
}

}  // namespace simdact_bench
