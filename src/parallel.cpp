#include "src/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>

#include <omp.h>

#include <simdact/simdact.hpp>

#include "src/error.hpp"

namespace simdact {
namespace detail {
namespace {

int initial_threads() {
  if (const char* env = std::getenv("SIMDACT_NUM_THREADS")) {
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && v >= 0 && v <= 1 << 16) return static_cast<int>(v);
  }
  return 0;
}

std::atomic<int>& thread_setting() {
  static std::atomic<int> setting{initial_threads()};
  return setting;
}

}  // namespace

void parallel_for_raw(std::size_t n, std::size_t align, std::size_t min_parallel, range_body body, void* context) {
  int threads = thread_setting().load(std::memory_order_relaxed);
  if (n < min_parallel || threads == 1) {
    body(context, 0, n);
    return;
  }
  if (threads == 0) threads = omp_get_max_threads();
  if (threads <= 1 || omp_in_parallel()) {
    body(context, 0, n);
    return;
  }
  // No more threads than pieces of at least min_parallel / 2 elements each.
  const std::size_t max_useful = std::max<std::size_t>(1, n / std::max<std::size_t>(1, min_parallel / 2));
  threads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threads), max_useful));
  const std::size_t blocks = (n + align - 1) / align;
#pragma omp parallel num_threads(threads)
  {
    const std::size_t team = static_cast<std::size_t>(omp_get_num_threads());
    const std::size_t id = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t begin = std::min(n, blocks * id / team * align);
    const std::size_t end = std::min(n, blocks * (id + 1) / team * align);
    if (begin < end) body(context, begin, end);
  }
}

}  // namespace detail

void set_num_threads(int threads) {
  if (threads < 0) detail::fail("set_num_threads", "threads", "is negative (" + std::to_string(threads) + ")");
  detail::thread_setting().store(threads, std::memory_order_relaxed);
}

int num_threads() {
  int threads = detail::thread_setting().load(std::memory_order_relaxed);
  return threads == 0 ? omp_get_max_threads() : threads;
}

}  // namespace simdact
