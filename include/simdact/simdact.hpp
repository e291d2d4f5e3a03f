// simdact: SIMD activation functions for neural networks, forward and backward,
// over contiguous float and double buffers. See README.md and docs in
// ../shared/design/api.md (the contract this header implements).
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <simdact/export.hpp>
#include <simdact/version.hpp>

namespace simdact {

// Thrown for every invalid argument, before anything is written. The message
// names the function and the offending argument.
class SIMDACT_API error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
  ~error() override;
};

// ---------------------------------------------------------------------------
// Elementwise activations, generated from activations.def:
//   NAME(x, y, n, params...)                      y[i] = f(x[i])
//   NAME_backward(x, dy, dx, n, params...)        dx[i] = dy[i] * f'(x[i])
//   NAME_backward_from_output(y, dy, dx, n, ...)  the same from y = f(x)
// In place is allowed (y == x; dx == dy or dx == x).
// ---------------------------------------------------------------------------
#define SIMDACT_PARAMS_0(T, p0, d0, p1, d1)
#define SIMDACT_PARAMS_1(T, p0, d0, p1, d1) , T p0 = T(d0)
#define SIMDACT_PARAMS_2(T, p0, d0, p1, d1) , T p0 = T(d0), T p1 = T(d1)
#define SIMDACT_DECLARE_FOR_TYPE_(T, name, arity, p0, d0, p1, d1, from_output)                      \
  SIMDACT_API void name(const T* x, T* y, std::size_t n SIMDACT_PARAMS_##arity(T, p0, d0, p1, d1)); \
  SIMDACT_API void name##_backward(const T* x, const T* dy, T* dx,                                  \
                                   std::size_t n SIMDACT_PARAMS_##arity(T, p0, d0, p1, d1));        \
  SIMDACT_DECLARE_FROM_OUTPUT_##from_output(T, name, arity, p0, d0, p1, d1)
#define SIMDACT_DECLARE_FROM_OUTPUT_0(T, name, arity, p0, d0, p1, d1)
#define SIMDACT_DECLARE_FROM_OUTPUT_1(T, name, arity, p0, d0, p1, d1)          \
  SIMDACT_API void name##_backward_from_output(const T* y, const T* dy, T* dx, \
                                               std::size_t n SIMDACT_PARAMS_##arity(T, p0, d0, p1, d1));
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output)               \
  SIMDACT_DECLARE_FOR_TYPE_(float, name, arity, p0, d0, p1, d1, from_output) \
  SIMDACT_DECLARE_FOR_TYPE_(double, name, arity, p0, d0, p1, d1, from_output)
#include <simdact/detail/for_each_activation.inc>
#undef SIMDACT_DECLARE_FOR_TYPE_
#undef SIMDACT_DECLARE_FROM_OUTPUT_0
#undef SIMDACT_DECLARE_FROM_OUTPUT_1
#undef SIMDACT_PARAMS_0
#undef SIMDACT_PARAMS_1
#undef SIMDACT_PARAMS_2

// Swish with the gradient of its learnable beta: when dbeta is non-null it
// receives sum_i dy[i] * d swish(x[i]) / d beta, the same bits for any thread
// count. (The 5-argument form above is this one with dbeta = nullptr.)
SIMDACT_API void swish_backward(const float* x, const float* dy, float* dx, std::size_t n, float beta, float* dbeta);
SIMDACT_API void swish_backward(const double* x, const double* dy, double* dx, std::size_t n, double beta,
                                double* dbeta);

// ---------------------------------------------------------------------------
// Row-wise over the last axis of a row-major rows x cols matrix.
// ---------------------------------------------------------------------------
SIMDACT_API void softmax(const float* x, float* y, std::size_t rows, std::size_t cols);
SIMDACT_API void softmax(const double* x, double* y, std::size_t rows, std::size_t cols);
SIMDACT_API void log_softmax(const float* x, float* y, std::size_t rows, std::size_t cols);
SIMDACT_API void log_softmax(const double* x, double* y, std::size_t rows, std::size_t cols);
SIMDACT_API void softmin(const float* x, float* y, std::size_t rows, std::size_t cols);
SIMDACT_API void softmin(const double* x, double* y, std::size_t rows, std::size_t cols);
SIMDACT_API void softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols);
SIMDACT_API void softmax_backward(const double* y, const double* dy, double* dx, std::size_t rows, std::size_t cols);
SIMDACT_API void log_softmax_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols);
SIMDACT_API void log_softmax_backward(const double* y, const double* dy, double* dx, std::size_t rows,
                                      std::size_t cols);
SIMDACT_API void softmin_backward(const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols);
SIMDACT_API void softmin_backward(const double* y, const double* dy, double* dx, std::size_t rows, std::size_t cols);

// The softmax family selected at run time (same checks and results as the
// named functions above).
enum class rowwise_op { softmax, log_softmax, softmin };
SIMDACT_API std::string_view name(rowwise_op);                             // "log_softmax"
SIMDACT_API std::optional<rowwise_op> parse_rowwise_op(std::string_view);  // inverse of name()
SIMDACT_API void forward(rowwise_op, const float* x, float* y, std::size_t rows, std::size_t cols);
SIMDACT_API void forward(rowwise_op, const double* x, double* y, std::size_t rows, std::size_t cols);
SIMDACT_API void backward(rowwise_op, const float* y, const float* dy, float* dx, std::size_t rows, std::size_t cols);
SIMDACT_API void backward(rowwise_op, const double* y, const double* dy, double* dx, std::size_t rows,
                          std::size_t cols);

// Maxout: x holds n groups of k adjacent values; y[i] = max_j x[i*k + j].
SIMDACT_API void maxout(const float* x, float* y, std::size_t n, std::size_t k);
SIMDACT_API void maxout(const double* x, double* y, std::size_t n, std::size_t k);
// dx has n*k elements; dy[i] goes to the first maximum of group i, 0 elsewhere.
SIMDACT_API void maxout_backward(const float* x, const float* dy, float* dx, std::size_t n, std::size_t k);
SIMDACT_API void maxout_backward(const double* x, const double* dy, double* dx, std::size_t n, std::size_t k);

// ---------------------------------------------------------------------------
// Selected at run time, for engines that read the activation from a model.
// ---------------------------------------------------------------------------
enum class activation {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) name,
#include <simdact/detail/for_each_activation.inc>
};

// Number of entries in `activation`.
inline constexpr std::size_t activation_count = 0
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) +1
#include <simdact/detail/for_each_activation.inc>
    ;

SIMDACT_API std::string_view name(activation);
SIMDACT_API std::optional<activation> parse_activation(std::string_view);

// alpha / beta map onto each function's parameters (ONNX / oneDNN naming):
// leaky_relu, elu, swish: alpha; hard_sigmoid: alpha = slope, beta = offset;
// hard_tanh: alpha = min_val, beta = max_val. NaN = that function's default.
struct params {
  double alpha = NAN;
  double beta = NAN;
};

SIMDACT_API void forward(activation, const float* x, float* y, std::size_t n, params = {});
SIMDACT_API void forward(activation, const double* x, double* y, std::size_t n, params = {});
SIMDACT_API void backward(activation, const float* x, const float* dy, float* dx, std::size_t n, params = {});
SIMDACT_API void backward(activation, const double* x, const double* dy, double* dx, std::size_t n, params = {});
// From the forward output y; throws simdact::error for an activation that has
// no _backward_from_output form.
SIMDACT_API void backward_from_output(activation, const float* y, const float* dy, float* dx, std::size_t n,
                                      params = {});
SIMDACT_API void backward_from_output(activation, const double* y, const double* dy, double* dx, std::size_t n,
                                      params = {});
SIMDACT_API bool has_backward_from_output(activation);

// ---------------------------------------------------------------------------
// Instruction sets and threads.
// ---------------------------------------------------------------------------
enum class isa { scalar, sse2, avx2, avx512, neon };  // scalar = plain C++ baseline loops

SIMDACT_API isa active_isa();
SIMDACT_API std::vector<isa> available_isas();  // compiled in AND supported by this CPU/OS
SIMDACT_API void set_isa(isa);                  // process-wide; throws simdact::error if unavailable
SIMDACT_API std::string_view name(isa);         // "avx512"
SIMDACT_API std::optional<isa> parse_isa(std::string_view);
SIMDACT_API void set_num_threads(int);  // 0 = OpenMP's default; negative throws
SIMDACT_API int num_threads();
SIMDACT_API std::string_view version();

}  // namespace simdact
