// The Eigen expressions, behind plain function pointers: peer_eigen_kernels.cpp
// is compiled with the build machine's full ISA, and nothing but these
// functions crosses from it into the rest of the benchmark.
#pragma once

#include <cstddef>

namespace simdact_bench {

template <class T>
using eigen_forward_fn = void (*)(const T* x, T* y, std::size_t n, double p0, double p1);

// The Eigen array expression a user would write for `activation`, or null.
eigen_forward_fn<float> eigen_forward_f32(const char* activation);
eigen_forward_fn<double> eigen_forward_f64(const char* activation);

// "3.4.0, AVX512" : the version and the widest instruction set it was compiled for.
const char* eigen_version();

}  // namespace simdact_bench
