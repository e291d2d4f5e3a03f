// The table in use: chosen once (best ISA, capped by SIMDACT_ISA), swapped
// whole by set_isa, so each call reads one ISA's table from start to end.
#pragma once

#include "src/table.hpp"

namespace simdact::detail {

const table& current_table();

}  // namespace simdact::detail
