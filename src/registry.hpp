// What the API layer knows about each activation, expanded from the registry:
// its name, parameters and defaults, and its parameter check.
#pragma once

#include <cstddef>

#include <simdact/simdact.hpp>

#include "kernels/params.hpp"

namespace simdact::detail {

struct activation_info {
  const char* name;
  int arity;
  const char* param_names[2];
  double defaults[2];
  bool has_backward_from_output;
  // nullptr, or the offending parameter and why (see kernels/<name>.hpp)
  const char* (*check)(direction, double, double);
};

const activation_info& info(activation a);

}  // namespace simdact::detail
