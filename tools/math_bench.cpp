// Throughput of kernels/math on one ISA (the one this unit is compiled for,
// like tools/math_ulp.cpp), 1 thread, 4096 elements (in L1), against xsimd's
// own functions (the previous placeholders) and plain std:: loops.
// Google Benchmark: math_bench --benchmark_filter=float  (items/s = elements/s;
// min_ns_elem = the fastest single pass over the 4096 elements, which a
// loaded machine disturbs far less than the mean)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "kernels/math/math.hpp"

#ifndef MATH_BENCH_ARCH
#define MATH_BENCH_ARCH xsimd::default_arch
#endif

namespace {

namespace km = simdact::math;
using arch = MATH_BENCH_ARCH;
constexpr std::size_t n = 4096;

template <class T>
struct buffers {
  std::vector<T, xsimd::aligned_allocator<T>> x, y;
  explicit buffers(double lo, double hi) : x(n), y(n) {
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> u(lo, hi);
    for (auto& v : x) v = static_cast<T>(u(rng));
  }
};

template <class T, class F>
void run_simd(benchmark::State& state, F f, double lo, double hi) {
  using B = xsimd::batch<T, arch>;
  buffers<T> b(lo, hi);
  double best = 1e30;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < n; i += B::size) f(B::load_aligned(&b.x[i])).store_aligned(&b.y[i]);
    benchmark::DoNotOptimize(b.y.data());
    benchmark::ClobberMemory();
    best = std::min(best, std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count());
  }
  state.SetItemsProcessed(static_cast<long>(state.iterations() * n));
  state.counters["min_ns_elem"] = best / n;
}

template <class T, class F>
void run_scalar(benchmark::State& state, F f, double lo, double hi) {
  buffers<T> b(lo, hi);
  double best = 1e30;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < n; ++i) b.y[i] = f(b.x[i]);
    benchmark::DoNotOptimize(b.y.data());
    benchmark::ClobberMemory();
    best = std::min(best, std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count());
  }
  state.SetItemsProcessed(static_cast<long>(state.iterations() * n));
  state.counters["min_ns_elem"] = best / n;
}

#define SIMD_BENCH(name, T, lo, hi, expr)        \
  void name##_##T(benchmark::State& s) {         \
    run_simd<T>(                                 \
        s, [](auto x) { return expr; }, lo, hi); \
  }                                              \
  BENCHMARK(name##_##T)
#define SCALAR_BENCH(name, T, lo, hi, expr)   \
  void name##_##T(benchmark::State& s) {      \
    run_scalar<T>(                            \
        s, [](T x) { return expr; }, lo, hi); \
  }                                           \
  BENCHMARK(name##_##T)

#define ALL_FOR(T)                                      \
  SIMD_BENCH(exp, T, -80, 80, km::exp(x));              \
  SIMD_BENCH(xsimd_exp, T, -80, 80, xsimd::exp(x));     \
  SCALAR_BENCH(std_exp, T, -80, 80, std::exp(x));       \
  SIMD_BENCH(mul_exp, T, -80, 80, km::mul_exp(x, x));   \
  SIMD_BENCH(expm1, T, -10, 10, km::expm1(x));          \
  SIMD_BENCH(xsimd_expm1, T, -10, 10, xsimd::expm1(x)); \
  SIMD_BENCH(tanh, T, -10, 10, km::tanh(x));            \
  SIMD_BENCH(xsimd_tanh, T, -10, 10, xsimd::tanh(x));   \
  SCALAR_BENCH(std_tanh, T, -10, 10, std::tanh(x));     \
  SIMD_BENCH(tanh_shrink, T, -10, 10, km::tanh_shrink(x))

ALL_FOR(float);
ALL_FOR(double);

}  // namespace

BENCHMARK_MAIN();
