// Eigen 3.4 array expressions for each activation, written as a user would
// write them (no care for the accuracy traps simdact avoids: 1 + erf and
// 1 + tanh cancel in GELU's negative tail). p0 and p1 are the activation's
// parameters in registry order.
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include <cstdio>
#include <cstring>

#include "peer_eigen.hpp"

namespace simdact_bench {
namespace {

template <class T>
using in_array = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;
template <class T>
using out_array = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;

#define SIMDACT_EIGEN_OP(name, expression)                                       \
  template <class T>                                                             \
  void name(const T* x_ptr, T* y_ptr, std::size_t n, double p0_d, double p1_d) { \
    const in_array<T> x(x_ptr, static_cast<Eigen::Index>(n));                    \
    out_array<T> y(y_ptr, static_cast<Eigen::Index>(n));                         \
    const T p0 = static_cast<T>(p0_d), p1 = static_cast<T>(p1_d);                \
    (void)p0;                                                                    \
    (void)p1;                                                                    \
    y = (expression);                                                            \
  }

constexpr double selu_alpha = 1.6732632423543772848170429916717;
constexpr double selu_scale = 1.0507009873554804934193349852946;
constexpr double sqrt_half = 0.70710678118654752440084436210485;
constexpr double sqrt_2_over_pi = 0.79788456080286535587989211986876;

SIMDACT_EIGEN_OP(relu, x.max(T(0)))
SIMDACT_EIGEN_OP(leaky_relu, (x > T(0)).select(x, x* p0))
SIMDACT_EIGEN_OP(elu, (x > T(0)).select(x, x.expm1() * p0))
SIMDACT_EIGEN_OP(selu, T(selu_scale) * (x > T(0)).select(x, T(selu_alpha) * x.expm1()))
SIMDACT_EIGEN_OP(sigmoid, x.logistic())
SIMDACT_EIGEN_OP(hard_sigmoid, (p0 * x + p1).max(T(0)).min(T(1)))
SIMDACT_EIGEN_OP(swish, (x * p0).logistic() * x)
SIMDACT_EIGEN_OP(gelu, T(0.5) * x * (T(1) + (x * T(sqrt_half)).erf()))
SIMDACT_EIGEN_OP(gelu_tanh, T(0.5) * x * (T(1) + (T(sqrt_2_over_pi) * (x + T(0.044715) * x.cube())).tanh()))
SIMDACT_EIGEN_OP(tanh, x.tanh())
SIMDACT_EIGEN_OP(hard_tanh, x.max(p0).min(p1))
SIMDACT_EIGEN_OP(tanh_shrink, x - x.tanh())
#undef SIMDACT_EIGEN_OP

template <class T>
eigen_forward_fn<T> lookup(const char* activation) {
  struct entry {
    const char* name;
    eigen_forward_fn<T> fn;
  };
  static const entry entries[] = {
      {"relu", relu<T>},
      {"leaky_relu", leaky_relu<T>},
      {"elu", elu<T>},
      {"selu", selu<T>},
      {"sigmoid", sigmoid<T>},
      {"hard_sigmoid", hard_sigmoid<T>},
      {"swish", swish<T>},
      {"gelu", gelu<T>},
      {"gelu_tanh", gelu_tanh<T>},
      {"tanh", tanh<T>},
      {"hard_tanh", hard_tanh<T>},
      {"tanh_shrink", tanh_shrink<T>},
  };
  for (const entry& e : entries)
    if (std::strcmp(e.name, activation) == 0) return e.fn;
  return nullptr;
}

}  // namespace

#define SIMDACT_EIGEN_STR2(x) #x
#define SIMDACT_EIGEN_STR(x) SIMDACT_EIGEN_STR2(x)
const char* eigen_version() {
  static char v[160];
  std::snprintf(v, sizeof v, "%s (%s)",
                SIMDACT_EIGEN_STR(EIGEN_WORLD_VERSION) "." SIMDACT_EIGEN_STR(EIGEN_MAJOR_VERSION) "." SIMDACT_EIGEN_STR(
                    EIGEN_MINOR_VERSION),
                Eigen::SimdInstructionSetsInUse());
  return v;
}
#undef SIMDACT_EIGEN_STR
#undef SIMDACT_EIGEN_STR2

eigen_forward_fn<float> eigen_forward_f32(const char* activation) { return lookup<float>(activation); }
eigen_forward_fn<double> eigen_forward_f64(const char* activation) { return lookup<double>(activation); }

}  // namespace simdact_bench
