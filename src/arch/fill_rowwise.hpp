// Row-wise kernels (softmax family, maxout) for one ISA: fills the row-wise
// slots of a dispatch table with this ISA's instantiations.
#pragma once

#include "kernels/rowwise/maxout.hpp"
#include "kernels/rowwise/softmax.hpp"
#include "kernels/rowwise/softmax_backward.hpp"
#include "src/arch/elementwise_loops.hpp"
#include "src/table.hpp"

SIMDACT_KERNELS_BEGIN
namespace fill {

// The output pass over one chunk of a long row: elementwise given the row's
// summary, so it runs on the elementwise driver (padded tails, streaming).
template <class Op, class T, class A>
SIMDACT_ROWWISE_ENTRY void softmax_finish(const T* x, T* y, std::size_t n, const detail::row_summary<T>& row,
                                          bool stream) {
  if (row.kind != detail::row_class::finite) {
    rowwise::write_special_row<Op::negate, Op::log_output>(x, y, n, row);
    return;
  }
  const xsimd::batch<T, A> m(row.max), scale(row.scale);
  loops::drive<T, A>(
      y, n, stream, [&](xsimd::batch<T, A> v) { return rowwise::finish_value<Op>(v, m, scale); }, x);
}

template <rowwise::backward_kind K, class T, class A>
SIMDACT_ROWWISE_ENTRY void softmax_backward_finish(const T* y, const T* dy, T* dx, std::size_t n, T sum, bool stream) {
  const xsimd::batch<T, A> s(sum);
  loops::drive<T, A>(
      dx, n, stream, [&](xsimd::batch<T, A> a, xsimd::batch<T, A> b) { return rowwise::backward_value<K>(a, b, s); }, y,
      dy);
}

template <rowwise::forward_kind K, class T, class A>
void softmax_slot(detail::softmax_entry<T>& e) {
  using Op = rowwise::forward_op<K>;
  e.rows = &rowwise::forward_rows<Op, T, A>;
  e.stats = &rowwise::forward_chunk_stats<Op, T, A>;
  e.finish = &softmax_finish<Op, T, A>;
}

template <rowwise::backward_kind K, class T, class A>
void softmax_backward_slot(detail::softmax_backward_entry<T>& e) {
  e.rows = &rowwise::backward_rows<K, T, A>;
  e.dot = &rowwise::backward_chunk_dot<K, T, A>;
  e.finish = &softmax_backward_finish<K, T, A>;
}

template <class T, class A>
void rowwise(detail::type_table<T>& t) {
  softmax_slot<rowwise::forward_kind::softmax, T, A>(t.softmax);
  softmax_slot<rowwise::forward_kind::log_softmax, T, A>(t.log_softmax);
  softmax_slot<rowwise::forward_kind::softmin, T, A>(t.softmin);
  softmax_backward_slot<rowwise::backward_kind::softmax, T, A>(t.softmax_backward);
  softmax_backward_slot<rowwise::backward_kind::log_softmax, T, A>(t.log_softmax_backward);
  softmax_backward_slot<rowwise::backward_kind::softmin, T, A>(t.softmin_backward);
  t.maxout = &rowwise::maxout_groups<T, A>;
  t.maxout_backward = &rowwise::maxout_backward_groups<T, A>;
}

}  // namespace fill
SIMDACT_KERNELS_END
