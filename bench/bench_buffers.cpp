// The benchmark buffers: filled once per process with a fixed seed, shared by
// every cell (a cell reads a prefix), so that all implementations see the same
// bytes and no cell pays for filling 2^24 random values.
#include <omp.h>

#include <cstdlib>
#include <memory>
#include <new>
#include <random>

#include "bench_common.hpp"

namespace simdact_bench {
namespace {

struct free_deleter {
  void operator()(void* p) const { std::free(p); }
};

// 2 MiB aligned (lets the kernel back it with huge pages), touched once so
// that page faults do not land in the first measured iteration.
template <class T>
std::unique_ptr<T[], free_deleter> allocate() {
  constexpr std::size_t alignment = std::size_t{2} << 20;
  void* p = std::aligned_alloc(alignment, max_elements * sizeof(T));
  if (!p) throw std::bad_alloc();
  T* t = static_cast<T*>(p);
  for (std::size_t i = 0; i < max_elements; ++i) t[i] = T(0);
  return std::unique_ptr<T[], free_deleter>(t);
}

// Values are drawn in double and rounded, so float and double cells see the
// same numbers.
template <class T, class Distribution>
std::unique_ptr<T[], free_deleter> random_buffer(unsigned stream, Distribution d) {
  auto buffer = allocate<T>();
  std::mt19937_64 engine(seed + stream);
  for (std::size_t i = 0; i < max_elements; ++i) buffer[i] = static_cast<T>(d(engine));
  return buffer;
}

}  // namespace

template <class T>
const T* input(dist d) {
  static const auto uniform = random_buffer<T>(0, std::uniform_real_distribution<double>(-10.0, 10.0));
  if (d == dist::uniform) return uniform.get();
  static const auto normal = random_buffer<T>(1, std::normal_distribution<double>(0.0, 1.0));
  return normal.get();
}

template <class T>
const T* gradient() {
  static const auto dy = random_buffer<T>(2, std::uniform_real_distribution<double>(-1.0, 1.0));
  return dy.get();
}

template <class T>
T* output() {
  static const auto y = allocate<T>();
  return y.get();
}

template <class T>
T* scratch() {
  static const auto s = allocate<T>();
  return s.get();
}

template const float* input<float>(dist);
template const double* input<double>(dist);
template const float* gradient<float>();
template const double* gradient<double>();
template float* output<float>();
template double* output<double>();
template float* scratch<float>();
template double* scratch<double>();

void use_threads(int threads) {
  simdact::set_num_threads(threads);
  omp_set_num_threads(threads);
}

}  // namespace simdact_bench
