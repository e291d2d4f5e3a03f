// The reference that peers' softmax and log_softmax are checked against before
// they are timed (see compare_with_simdact for the elementwise peers).
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "bench_common.hpp"

namespace simdact_bench {

std::string compare_with_softmax(const cell& c, bool log, const float* got) {
  const float* x = input<float>(c.input);
  const std::size_t rows = std::max<std::size_t>(1, std::min(c.rows, 4096 / c.cols));
  const std::size_t checked_cols = std::min<std::size_t>(c.cols, 4096);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * c.cols;
    const double max = *std::max_element(xr, xr + c.cols);
    double sum = 0;
    for (std::size_t j = 0; j < c.cols; ++j) sum += std::exp(xr[j] - max);
    for (std::size_t j = 0; j < checked_cols; ++j) {
      const double want = log ? xr[j] - max - std::log(sum) : std::exp(xr[j] - max) / sum;
      const double g = got[r * c.cols + j];
      if (!(std::fabs(g - want) <= 1e-3 * std::fabs(want) + 1e-5)) {
        std::ostringstream out;
        out << c.impl << " " << c.op << " differs from the reference at row " << r << ", column " << j << ": " << g
            << " against " << want;
        return out.str();
      }
    }
  }
  return {};
}

}  // namespace simdact_bench
