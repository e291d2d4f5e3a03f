// Throwing simdact::error with a message that names the function and argument.
#pragma once

#include <string>

#include <simdact/simdact.hpp>

namespace simdact::detail {

// Throws simdact::error("simdact::<function>: <argument> <what>").
[[noreturn]] void fail(const char* function, const char* argument, const std::string& what);

}  // namespace simdact::detail
