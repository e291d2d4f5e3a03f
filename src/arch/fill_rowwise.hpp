// Row-wise kernels (softmax family, maxout) for one ISA. (Filled in by the
// softmax/maxout work; until then the table slots stay null.)
#pragma once

#include "src/table.hpp"

SIMDACT_KERNELS_BEGIN
namespace fill {

template <class T, class A>
void rowwise(detail::type_table<T>&) {}

}  // namespace fill
SIMDACT_KERNELS_END
