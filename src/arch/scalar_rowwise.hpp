// Row-wise kernels (softmax family, maxout) as plain loops for the scalar
// baseline. (Filled in by the softmax/maxout work.)
#pragma once

#include "src/table.hpp"

namespace simdact::detail {

template <class T>
void scalar_rowwise(type_table<T>&) {}

}  // namespace simdact::detail
