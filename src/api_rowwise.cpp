// Row-wise entry points (softmax family, maxout): argument checks, then the
// current ISA's kernels, split across threads by rows or, for long rows, by
// fixed-size chunks whose partials are combined in chunk order (the same bits
// for any thread count).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <simdact/simdact.hpp>

#include "src/checks.hpp"
#include "src/dispatch.hpp"
#include "src/parallel.hpp"

namespace simdact {
namespace detail {
namespace {

// Rows up to this many elements are handled whole by one thread (three
// passes over a row that stays in cache); longer rows are cut into chunks of
// long_row_chunk elements (two passes: statistics, then output).
constexpr std::size_t long_row_cols = 16384;
constexpr std::size_t long_row_chunk = 4096;
// Below this many elements one thread does the whole call.
constexpr std::size_t min_parallel_elements = 1 << 14;
constexpr std::size_t min_parallel_chunks = 8;
// Outputs at least this large skip the caches (non-temporal stores), as the
// elementwise functions do (about half the 32 MiB L3).
constexpr std::size_t stream_min_bytes = std::size_t(16) << 20;

const char* forward_name(rowwise_op op) {
  switch (op) {
    case rowwise_op::softmax:
      return "softmax";
    case rowwise_op::log_softmax:
      return "log_softmax";
    case rowwise_op::softmin:
      return "softmin";
  }
  return "?";
}

const char* backward_name(rowwise_op op) {
  switch (op) {
    case rowwise_op::softmax:
      return "softmax_backward";
    case rowwise_op::log_softmax:
      return "log_softmax_backward";
    case rowwise_op::softmin:
      return "softmin_backward";
  }
  return "?";
}

template <class T>
const softmax_entry<T>& forward_entry(rowwise_op op) {
  const type_table<T>& t = current_table().of<T>();
  switch (op) {
    case rowwise_op::log_softmax:
      return t.log_softmax;
    case rowwise_op::softmin:
      return t.softmin;
    default:
      return t.softmax;
  }
}

template <class T>
const softmax_backward_entry<T>& backward_entry(rowwise_op op) {
  const type_table<T>& t = current_table().of<T>();
  switch (op) {
    case rowwise_op::log_softmax:
      return t.log_softmax_backward;
    case rowwise_op::softmin:
      return t.softmin_backward;
    default:
      return t.softmax_backward;
  }
}

std::size_t min_parallel_rows(std::size_t cols) {
  return std::max<std::size_t>(1, min_parallel_elements / std::max<std::size_t>(1, cols));
}

// Calls f(row, offset, length) for every chunk of every long row, chunk
// index c = row * per_row + j, split across threads.
template <class F>
void for_each_chunk(std::size_t rows, std::size_t cols, F&& f) {
  const std::size_t per_row = (cols + long_row_chunk - 1) / long_row_chunk;
  parallel_for(rows * per_row, 1, min_parallel_chunks, [&](std::size_t b, std::size_t e) {
    for (std::size_t c = b; c < e; ++c) {
      const std::size_t r = c / per_row, off = c % per_row * long_row_chunk;
      f(c, r, off, std::min(long_row_chunk, cols - off));
    }
  });
}

// One row's chunk statistics, in chunk order -> how to finish the row.
template <class T>
row_summary<T> combine(const chunk_stats<T>* st, std::size_t count, bool log_output) {
  row_summary<T> s;
  T m = -std::numeric_limits<T>::infinity();
  std::size_t pos_inf = 0;
  for (std::size_t j = 0; j < count; ++j) {
    if (st[j].nan) {
      s.kind = row_class::has_nan;
      return s;
    }
    m = std::max(m, st[j].max);
    pos_inf += st[j].pos_inf;
  }
  s.max = m;
  if (m == -std::numeric_limits<T>::infinity()) {
    s.kind = row_class::all_neg_inf;
    return s;
  }
  if (m == std::numeric_limits<T>::infinity()) {
    s.kind = row_class::pos_inf;
    s.scale = log_output ? T(0.0 - std::log(double(pos_inf))) : T(1.0 / double(pos_inf));
    return s;
  }
  long double sum = 0;  // the chunks rescaled to the row's max, in chunk order
  for (std::size_t j = 0; j < count; ++j)
    if (st[j].max != -std::numeric_limits<T>::infinity())
      sum += static_cast<long double>(st[j].sum) * std::exp(static_cast<long double>(st[j].max) - m);
  s.scale = log_output ? T(std::log(sum)) : T(1.0L / sum);
  return s;
}

template <class T>
void run_forward(rowwise_op op, const T* x, T* y, std::size_t rows, std::size_t cols) {
  const std::string fn = forward_name(op);
  const std::size_t n = checked_elements(fn, rows, cols);
  check_buffer(fn, "x", x, n);
  check_buffer(fn, "y", y, n);
  check_overlap(fn, "y", y, n, "x", x, n);
  if (n == 0) return;
  const softmax_entry<T>& e = forward_entry<T>(op);
  if (cols <= long_row_cols) {
    parallel_for(rows, 1, min_parallel_rows(cols),
                 [&](std::size_t b, std::size_t end) { e.rows(x + b * cols, y + b * cols, end - b, cols); });
    return;
  }
  const std::size_t per_row = (cols + long_row_chunk - 1) / long_row_chunk;
  std::vector<chunk_stats<T>> stats(rows * per_row);
  for_each_chunk(rows, cols, [&](std::size_t c, std::size_t r, std::size_t off, std::size_t len) {
    stats[c] = e.stats(x + r * cols + off, len);
  });
  std::vector<row_summary<T>> summary(rows);
  for (std::size_t r = 0; r < rows; ++r)
    summary[r] = combine(stats.data() + r * per_row, per_row, op == rowwise_op::log_softmax);
  const bool stream = n * sizeof(T) >= stream_min_bytes;
  for_each_chunk(rows, cols, [&](std::size_t, std::size_t r, std::size_t off, std::size_t len) {
    e.finish(x + r * cols + off, y + r * cols + off, len, summary[r], stream);
  });
}

template <class T>
void run_backward(rowwise_op op, const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols) {
  const std::string fn = backward_name(op);
  const std::size_t n = checked_elements(fn, rows, cols);
  check_buffer(fn, "y", y, n);
  check_buffer(fn, "dy", dy, n);
  check_buffer(fn, "dx", dx, n);
  check_overlap(fn, "dx", dx, n, "y", y, n);
  check_overlap(fn, "dx", dx, n, "dy", dy, n);
  if (n == 0) return;
  const softmax_backward_entry<T>& e = backward_entry<T>(op);
  if (cols <= long_row_cols) {
    parallel_for(rows, 1, min_parallel_rows(cols), [&](std::size_t b, std::size_t end) {
      e.rows(y + b * cols, dy + b * cols, dx + b * cols, end - b, cols);
    });
    return;
  }
  const std::size_t per_row = (cols + long_row_chunk - 1) / long_row_chunk;
  std::vector<dot_partial<T>> partials(rows * per_row);
  for_each_chunk(rows, cols, [&](std::size_t c, std::size_t r, std::size_t off, std::size_t len) {
    partials[c] = e.dot(y + r * cols + off, dy + r * cols + off, len);
  });
  std::vector<T> sums(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    long double s = 0;  // chunk partials in order; 64 bits hold hi + lo of double
    for (std::size_t j = 0; j < per_row; ++j) {
      const dot_partial<T>& p = partials[r * per_row + j];
      s += static_cast<long double>(p.hi) + static_cast<long double>(p.lo);
    }
    sums[r] = T(s);
  }
  const bool stream = n * sizeof(T) >= stream_min_bytes;
  for_each_chunk(rows, cols, [&](std::size_t, std::size_t r, std::size_t off, std::size_t len) {
    e.finish(y + r * cols + off, dy + r * cols + off, dx + r * cols + off, len, sums[r], stream);
  });
}

template <class T>
void run_maxout(const T* x, T* y, std::size_t n, std::size_t k) {
  const std::string fn = "maxout";
  if (k == 0) fail(fn.c_str(), "k", "is 0 (each group needs at least one element)");
  const std::size_t nk = checked_elements(fn, n, k, "n", "k");
  check_buffer(fn, "x", x, nk);
  check_buffer(fn, "y", y, n);
  check_overlap(fn, "y", y, n, "x", x, nk);
  if (n == 0) return;
  const auto kernel = current_table().of<T>().maxout;
  parallel_for(n, 1, min_parallel_rows(k), [&](std::size_t b, std::size_t e) { kernel(x + b * k, y + b, e - b, k); });
}

template <class T>
void run_maxout_backward(const T* x, const T* dy, T* dx, std::size_t n, std::size_t k) {
  const std::string fn = "maxout_backward";
  if (k == 0) fail(fn.c_str(), "k", "is 0 (each group needs at least one element)");
  const std::size_t nk = checked_elements(fn, n, k, "n", "k");
  check_buffer(fn, "x", x, nk);
  check_buffer(fn, "dy", dy, n);
  check_buffer(fn, "dx", dx, nk);
  check_overlap(fn, "dx", dx, nk, "x", x, nk);
  check_overlap(fn, "dx", dx, nk, "dy", dy, n);
  if (n == 0) return;
  const auto kernel = current_table().of<T>().maxout_backward;
  parallel_for(n, 1, min_parallel_rows(k),
               [&](std::size_t b, std::size_t e) { kernel(x + b * k, dy + b, dx + b * k, e - b, k); });
}

}  // namespace
}  // namespace detail

#define SIMDACT_ROWWISE_DEFINE_(T)                                                                   \
  void softmax(const T* x, T* y, std::size_t rows, std::size_t cols) {                               \
    detail::run_forward(rowwise_op::softmax, x, y, rows, cols);                                      \
  }                                                                                                  \
  void log_softmax(const T* x, T* y, std::size_t rows, std::size_t cols) {                           \
    detail::run_forward(rowwise_op::log_softmax, x, y, rows, cols);                                  \
  }                                                                                                  \
  void softmin(const T* x, T* y, std::size_t rows, std::size_t cols) {                               \
    detail::run_forward(rowwise_op::softmin, x, y, rows, cols);                                      \
  }                                                                                                  \
  void softmax_backward(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols) {        \
    detail::run_backward(rowwise_op::softmax, y, dy, dx, rows, cols);                                \
  }                                                                                                  \
  void log_softmax_backward(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols) {    \
    detail::run_backward(rowwise_op::log_softmax, y, dy, dx, rows, cols);                            \
  }                                                                                                  \
  void softmin_backward(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols) {        \
    detail::run_backward(rowwise_op::softmin, y, dy, dx, rows, cols);                                \
  }                                                                                                  \
  void forward(rowwise_op op, const T* x, T* y, std::size_t rows, std::size_t cols) {                \
    detail::run_forward(op, x, y, rows, cols);                                                       \
  }                                                                                                  \
  void backward(rowwise_op op, const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols) { \
    detail::run_backward(op, y, dy, dx, rows, cols);                                                 \
  }                                                                                                  \
  void maxout(const T* x, T* y, std::size_t n, std::size_t k) { detail::run_maxout(x, y, n, k); }    \
  void maxout_backward(const T* x, const T* dy, T* dx, std::size_t n, std::size_t k) {               \
    detail::run_maxout_backward(x, dy, dx, n, k);                                                    \
  }
SIMDACT_ROWWISE_DEFINE_(float)
SIMDACT_ROWWISE_DEFINE_(double)
#undef SIMDACT_ROWWISE_DEFINE_

std::string_view name(rowwise_op op) { return detail::forward_name(op); }

std::optional<rowwise_op> parse_rowwise_op(std::string_view s) {
  for (rowwise_op op : {rowwise_op::softmax, rowwise_op::log_softmax, rowwise_op::softmin})
    if (s == detail::forward_name(op)) return op;
  return std::nullopt;
}

}  // namespace simdact
