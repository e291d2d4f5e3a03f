// The types shared by kernels, dispatch tables and the API. Plain data only
// (no functions), so they are safe to share between ISA units.
#pragma once

#include <type_traits>

namespace simdact::detail {

// The activation's parameters in registry order (p0 = alpha, p1 = beta).
template <class T>
struct kparams {
  T p0 = 0;
  T p1 = 0;
};

enum class direction { forward, backward, backward_from_output };

// True for a kernel with a learnable parameter whose gradient it computes
// (it declares `static constexpr bool has_param_gradient = true`).
template <class Op, class = void>
struct has_param_gradient : std::false_type {};
template <class Op>
struct has_param_gradient<Op, std::void_t<decltype(Op::has_param_gradient)>> : std::true_type {};

}  // namespace simdact::detail
