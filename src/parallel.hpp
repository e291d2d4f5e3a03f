// Splitting a range across threads. OpenMP appears only in parallel.cpp.
#pragma once

#include <cstddef>
#include <utility>

namespace simdact::detail {

using range_body = void (*)(void* context, std::size_t begin, std::size_t end);

// Calls body over [0, n) as contiguous pieces whose boundaries are multiples
// of `align` elements (whole cache lines). Runs on the caller's thread alone
// when n < min_parallel, when one thread is set, or when called from inside an
// active OpenMP parallel region (no nested teams, no oversubscription).
void parallel_for_raw(std::size_t n, std::size_t align, std::size_t min_parallel, range_body body, void* context);

template <class F>
void parallel_for(std::size_t n, std::size_t align, std::size_t min_parallel, F&& f) {
  // Below the threshold: no OpenMP query at all, and no call through a pointer.
  if (n < min_parallel) {
    f(std::size_t{0}, n);
    return;
  }
  parallel_for_raw(
      n, align, min_parallel,
      [](void* context, std::size_t begin, std::size_t end) { (*static_cast<F*>(context))(begin, end); },
      const_cast<void*>(static_cast<const void*>(&f)));
}

}  // namespace simdact::detail
