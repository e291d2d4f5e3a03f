#include "src/registry.hpp"

#include "kernels/all.hpp"

namespace simdact {
namespace detail {
namespace {

constexpr activation_info infos[] = {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  {#name, arity, {#p0, #p1}, {d0, d1}, from_output != 0, &kernels::name##_kernel::check},
#include <simdact/detail/for_each_activation.inc>
};
static_assert(sizeof(infos) / sizeof(infos[0]) == activation_count);

}  // namespace

const activation_info& info(activation a) { return infos[static_cast<std::size_t>(a)]; }

}  // namespace detail

std::string_view name(activation a) { return detail::info(a).name; }

std::optional<activation> parse_activation(std::string_view s) {
  for (std::size_t i = 0; i < activation_count; ++i)
    if (s == detail::infos[i].name) return static_cast<activation>(i);
  return std::nullopt;
}

bool has_backward_from_output(activation a) { return detail::info(a).has_backward_from_output; }

}  // namespace simdact
