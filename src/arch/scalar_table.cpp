// The `scalar` ISA: plain C++ loops over each kernel's std:: formula, built
// with the baseline flags. It is the benchmarks' baseline, not a test oracle.
#include <cstddef>

#include "kernels/all.hpp"
#include "src/arch/scalar_rowwise.hpp"
#include "src/table.hpp"

namespace simdact::detail {
namespace {

template <class Op, class T>
void scalar_forward(const T* x, T* y, std::size_t n, const kparams<T>& p, bool) {
  for (std::size_t i = 0; i < n; ++i) y[i] = Op::scalar_forward(x[i], p);
}
template <class Op, class T>
void scalar_backward(const T* x, const T* dy, T* dx, std::size_t n, const kparams<T>& p, bool) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = Op::scalar_backward(x[i], dy[i], p);
}
template <class Op, class T>
void scalar_backward_from_output(const T* y, const T* dy, T* dx, std::size_t n, const kparams<T>& p, bool) {
  for (std::size_t i = 0; i < n; ++i) dx[i] = Op::scalar_backward_from_output(y[i], dy[i], p);
}
template <class Op, class T>
double scalar_backward_param_grad(const T* x, const T* dy, T* dx, std::size_t n, const kparams<T>& p) {
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    T g;
    dx[i] = Op::scalar_backward_param_grad(x[i], dy[i], p, g);
    sum += double(g);
  }
  return sum;
}

template <class Op, bool from_output, class T>
void entry(activation_entry<T>& e) {
  e.forward = &scalar_forward<Op, T>;
  e.backward = &scalar_backward<Op, T>;
  if constexpr (from_output) e.backward_from_output = &scalar_backward_from_output<Op, T>;
  if constexpr (detail::has_param_gradient<Op>::value) e.backward_param_grad = &scalar_backward_param_grad<Op, T>;
}

template <class T>
void fill(type_table<T>& t) {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  entry<kernels::name##_kernel, from_output, T>(t.act[static_cast<std::size_t>(activation::name)]);
#include <simdact/detail/for_each_activation.inc>
  scalar_rowwise(t);
}

}  // namespace

const table* scalar_table() {
  static const table t = [] {
    table built;
    built.id = isa::scalar;
    fill(built.f32);
    fill(built.f64);
    return built;
  }();
  return &t;
}

}  // namespace simdact::detail
