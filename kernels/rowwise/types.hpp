// Plain data passed between the row-wise API (src/api_rowwise.cpp) and the
// per-ISA row-wise kernels: what the chunks of a long row say about it.
// No functions here, so it is safe to share between ISA units.
#pragma once

#include <cstddef>

namespace simdact::detail {

// How a softmax row must be finished, decided from its maximum m:
//   finite       m is finite and the row holds no NaN: e^(x - m) / sum
//   has_nan      NaN anywhere in the row: every output is NaN
//   all_neg_inf  every element is -inf: softmax 0, log_softmax -inf
//   pos_inf      m = +inf: the count c of +inf elements share the mass,
//                softmax 1/c there and 0 elsewhere (log: -log c and -inf)
enum class row_class : unsigned char { finite, has_nan, all_neg_inf, pos_inf };

// Statistics of one chunk of a long row (softmin: of the negated chunk).
template <class T>
struct chunk_stats {
  T max = 0;                // NaN-free maximum; -inf for an all -inf chunk
  T sum = 0;                // sum of e^(x - max) when max is finite
  std::size_t pos_inf = 0;  // number of +inf elements (counted when max = +inf)
  bool nan = false;         // the chunk holds a NaN
};

// A whole row, from its chunks (combined in chunk order).
template <class T>
struct row_summary {
  row_class kind = row_class::finite;
  T max = 0;
  // finite: softmax 1/sum, log_softmax log(sum); pos_inf: the value at the
  // +inf positions (1/count, or -log(count)).
  T scale = 0;
};

// Compensated partial of a backward row sum (sum dy*y, or sum dy): hi + lo.
template <class T>
struct dot_partial {
  T hi = 0;
  T lo = 0;
};

}  // namespace simdact::detail
