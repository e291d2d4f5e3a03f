// Fills a dispatch table with one ISA's instantiation of every kernel in the
// registry. Included only by the per-ISA units generated from isa_table.cpp.in.
#pragma once

#include <type_traits>

#include "kernels/all.hpp"  // generated from the registry: every kernels/<name>.hpp
#include "src/arch/elementwise_loops.hpp"
#include "src/arch/fill_rowwise.hpp"
#include "src/table.hpp"

SIMDACT_KERNELS_BEGIN
namespace fill {

template <class Op, bool from_output, class T, class A>
void entry(detail::activation_entry<T>& e) {
  e.forward = &loops::forward<Op, T, A>;
  e.backward = &loops::backward<Op, T, A>;
  if constexpr (from_output) e.backward_from_output = &loops::backward_from_output<Op, T, A>;
  if constexpr (detail::has_param_gradient<Op>::value) e.backward_param_grad = &loops::backward_param_grad<Op, T, A>;
}

template <class T, class A>
void elementwise(detail::type_table<T>& t) {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  entry<kernels::name##_kernel, from_output, T, A>(t.act[static_cast<std::size_t>(activation::name)]);
#include <simdact/detail/for_each_activation.inc>
}

template <class A>
void table(detail::table& t) {
  elementwise<float, A>(t.f32);
  elementwise<double, A>(t.f64);
  rowwise<float, A>(t.f32);
  rowwise<double, A>(t.f64);
}

}  // namespace fill
SIMDACT_KERNELS_END
