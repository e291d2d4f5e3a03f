// SIMDACT_TEST_SCALE: the fraction in (0, 1] of each heavy sweep the tests
// run (default 1). Emulated runs (scripts/aarch64.sh, qemu) set e.g. 0.05:
// every sweep still runs, over fewer points. Counts, floors and strides scale
// through these helpers, so a scaled run checks the same things, less densely.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace simdact_test {

inline double test_scale() {
  static const double scale = [] {
    const char* env = std::getenv("SIMDACT_TEST_SCALE");
    if (!env || !*env) return 1.0;
    char* end = nullptr;
    const double s = std::strtod(env, &end);
    // Out of (0, 1] or not a number: the full sweep.
    return (end != env && s > 0 && s <= 1) ? s : 1.0;
  }();
  return scale;
}

// n scaled, at least `minimum` (a sweep never shrinks to nothing).
inline std::size_t scaled_count(std::size_t n, std::size_t minimum = 1) {
  const double scaled = std::ceil(double(n) * test_scale());
  const std::size_t m = scaled < double(minimum) ? minimum : std::size_t(scaled);
  return m < n ? m : n;
}

// A bit-pattern stride divided by the scale, kept odd: an odd stride walks
// through every residue of the low mantissa bits, an even one would not.
inline std::uint64_t scaled_stride(std::uint64_t stride) {
  const std::uint64_t s = std::uint64_t(std::llround(double(stride) / test_scale()));
  return s | 1;
}

}  // namespace simdact_test
