/* simdact C interface: usable from C99, C++ and any FFI (ctypes, cffi, Rust,
 * Go, Julia...). Every function returns a simdact_status and never lets a C++
 * exception escape; on failure nothing has been written to the outputs and
 * simdact_last_error_message() explains what was wrong.
 *
 * Naming: simdact_<activation>[_backward|_backward_from_output]_<f32|f64>.
 * The per-activation functions and the simdact_activation enum are generated
 * from the registry (activations.def), in the same order as the C++ enum.
 *
 * Conventions are those of the C++ API (simdact.hpp): contiguous buffers,
 * n == 0 is a no-op (pointers may then be NULL), in place allowed (y == x,
 * dx == dy or dx == x), any other overlap is an error. Buffers are checked
 * (NULL, size, overlap) before parameters. */
#ifndef SIMDACT_SIMDACT_H
#define SIMDACT_SIMDACT_H

#include <stddef.h>

#include <simdact/export.hpp>
#include <simdact/version.hpp>

#ifdef __cplusplus
extern "C" {
#endif

/* Values are fixed: they are part of the ABI. */
typedef enum simdact_status {
  SIMDACT_OK = 0,
  SIMDACT_NULL_POINTER = 1,      /* a NULL buffer with a non-zero size, or a NULL out-parameter */
  SIMDACT_OVERLAP = 2,           /* an output partially overlaps an input */
  SIMDACT_INVALID_PARAMETER = 3, /* a parameter out of its domain, non-finite, or an unknown enum value */
  SIMDACT_SIZE_OVERFLOW = 4,     /* n (or rows * cols, n * k) does not fit the address space */
  SIMDACT_UNAVAILABLE_ISA = 5,   /* simdact_set_isa: not compiled in or not supported by this CPU/OS */
  SIMDACT_UNSUPPORTED = 6,       /* the operation does not exist for this activation */
  SIMDACT_OUT_OF_MEMORY = 7,
  SIMDACT_INTERNAL_ERROR = 8 /* a bug: please report it with simdact_last_error_message() */
} simdact_status;

/* A static string explaining a status ("unknown status" for other values). */
SIMDACT_API const char* simdact_status_string(simdact_status status);

/* The message of this thread's most recent failed call (it names the function
 * and the argument), or "" when this thread's most recent call succeeded.
 * Valid until this thread's next simdact call. */
SIMDACT_API const char* simdact_last_error_message(void);

/* The library's version, "MAJOR.MINOR.PATCH" (the headers' is SIMDACT_VERSION_STRING). */
SIMDACT_API const char* simdact_version(void);

/* --------------------------------------------------------------------------
 * Elementwise activations, one function per activation, direction and type:
 *   simdact_NAME_f32(const float* x, float* y, size_t n, params...)
 *   simdact_NAME_backward_f32(const float* x, const float* dy, float* dx, size_t n, params...)
 *   simdact_NAME_backward_from_output_f32(const float* y, const float* dy, float* dx, size_t n, params...)
 * and the same with _f64 / double. Parameters keep their C++ names and come in
 * registry order (leaky_relu alpha; elu alpha; swish beta; hard_tanh min_val,
 * max_val; hard_sigmoid slope, offset); C has no default arguments, so pass
 * them all (the defaults are in simdact.hpp / README).
 * An activation with a learnable parameter (swish) takes one more argument in
 * backward, a pointer that receives the parameter's gradient,
 * sum_i dy[i] * df/dbeta(x[i]); it may be NULL.
 * -------------------------------------------------------------------------- */

/* SIMDACT_C_HAS_PARAM_GRADIENT(name) is 1 for an activation whose backward
 * takes the gradient pointer, else 0 (a preprocessor probe: the activation
 * defines SIMDACT_C_PARAM_GRADIENT_<name> as "~, 1"). */
#define SIMDACT_C_PARAM_GRADIENT_swish ~, 1
#define SIMDACT_C_PICK_SECOND_(a, b, ...) b
#define SIMDACT_C_PROBE_(...) SIMDACT_C_PICK_SECOND_(__VA_ARGS__, 0, ~)
#define SIMDACT_C_HAS_PARAM_GRADIENT(name) SIMDACT_C_PROBE_(SIMDACT_C_PARAM_GRADIENT_##name)

/* Building blocks shared with src/c_api.cpp, which defines the functions
 * through the same macros so declaration and definition cannot drift apart. */
#define SIMDACT_C_CAT_(a, b) a##b
#define SIMDACT_C_CAT(a, b) SIMDACT_C_CAT_(a, b)
#define SIMDACT_C_PARAMS_0(T, p0, p1)
#define SIMDACT_C_PARAMS_1(T, p0, p1) , T p0
#define SIMDACT_C_PARAMS_2(T, p0, p1) , T p0, T p1
#define SIMDACT_C_GRAD_PARAM_0(T, p0)
#define SIMDACT_C_GRAD_PARAM_1(T, p0) , T* d##p0
#define SIMDACT_C_FORWARD_SIGNATURE(T, sfx, name, arity, p0, p1) \
  simdact_status simdact_##name##_##sfx(const T* x, T* y, size_t n SIMDACT_C_PARAMS_##arity(T, p0, p1))
#define SIMDACT_C_BACKWARD_SIGNATURE(T, sfx, name, arity, p0, p1) \
  simdact_status simdact_##name##_backward_##sfx(                 \
      const T* x, const T* dy, T* dx,                             \
      size_t n SIMDACT_C_PARAMS_##arity(T, p0, p1)                \
          SIMDACT_C_CAT(SIMDACT_C_GRAD_PARAM_, SIMDACT_C_HAS_PARAM_GRADIENT(name))(T, p0))
#define SIMDACT_C_FROM_OUTPUT_SIGNATURE(T, sfx, name, arity, p0, p1)                         \
  simdact_status simdact_##name##_backward_from_output_##sfx(const T* y, const T* dy, T* dx, \
                                                             size_t n SIMDACT_C_PARAMS_##arity(T, p0, p1))

#define SIMDACT_C_DECLARE_FROM_OUTPUT_0(T, sfx, name, arity, p0, p1)
#define SIMDACT_C_DECLARE_FROM_OUTPUT_1(T, sfx, name, arity, p0, p1) \
  SIMDACT_API SIMDACT_C_FROM_OUTPUT_SIGNATURE(T, sfx, name, arity, p0, p1);
#define SIMDACT_C_DECLARE_FOR_TYPE_(T, sfx, name, arity, p0, p1, from_output) \
  SIMDACT_API SIMDACT_C_FORWARD_SIGNATURE(T, sfx, name, arity, p0, p1);       \
  SIMDACT_API SIMDACT_C_BACKWARD_SIGNATURE(T, sfx, name, arity, p0, p1);      \
  SIMDACT_C_DECLARE_FROM_OUTPUT_##from_output(T, sfx, name, arity, p0, p1)
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output)              \
  SIMDACT_C_DECLARE_FOR_TYPE_(float, f32, name, arity, p0, p1, from_output) \
  SIMDACT_C_DECLARE_FOR_TYPE_(double, f64, name, arity, p0, p1, from_output)
#include <simdact/detail/for_each_activation.inc>
#undef SIMDACT_C_DECLARE_FOR_TYPE_
#undef SIMDACT_C_DECLARE_FROM_OUTPUT_0
#undef SIMDACT_C_DECLARE_FROM_OUTPUT_1

/* --------------------------------------------------------------------------
 * Row-wise over the last axis of a row-major rows x cols matrix, and maxout
 * (x holds n groups of k adjacent values; y[i] = max of group i; backward
 * sends dy[i] to the group's first maximum, 0 elsewhere in dx[n*k]).
 * -------------------------------------------------------------------------- */
#define SIMDACT_C_DECLARE_ROWWISE_(T, sfx)                                                                             \
  SIMDACT_API simdact_status simdact_softmax_##sfx(const T* x, T* y, size_t rows, size_t cols);                        \
  SIMDACT_API simdact_status simdact_log_softmax_##sfx(const T* x, T* y, size_t rows, size_t cols);                    \
  SIMDACT_API simdact_status simdact_softmin_##sfx(const T* x, T* y, size_t rows, size_t cols);                        \
  SIMDACT_API simdact_status simdact_softmax_backward_##sfx(const T* y, const T* dy, T* dx, size_t rows, size_t cols); \
  SIMDACT_API simdact_status simdact_log_softmax_backward_##sfx(const T* y, const T* dy, T* dx, size_t rows,           \
                                                                size_t cols);                                          \
  SIMDACT_API simdact_status simdact_softmin_backward_##sfx(const T* y, const T* dy, T* dx, size_t rows, size_t cols); \
  SIMDACT_API simdact_status simdact_maxout_##sfx(const T* x, T* y, size_t n, size_t k);                               \
  SIMDACT_API simdact_status simdact_maxout_backward_##sfx(const T* x, const T* dy, T* dx, size_t n, size_t k);
SIMDACT_C_DECLARE_ROWWISE_(float, f32)
SIMDACT_C_DECLARE_ROWWISE_(double, f64)
#undef SIMDACT_C_DECLARE_ROWWISE_

/* The softmax family selected at run time (same checks and results as the
 * functions above). */
typedef enum simdact_rowwise_op {
  SIMDACT_ROWWISE_SOFTMAX = 0,
  SIMDACT_ROWWISE_LOG_SOFTMAX = 1,
  SIMDACT_ROWWISE_SOFTMIN = 2,
  SIMDACT_ROWWISE_OP_COUNT /* the number of values, not an operation */
} simdact_rowwise_op;

/* "log_softmax", or NULL for a value that is not an operation. */
SIMDACT_API const char* simdact_rowwise_op_name(simdact_rowwise_op op);
/* The inverse of simdact_rowwise_op_name; SIMDACT_INVALID_PARAMETER for an unknown name. */
SIMDACT_API simdact_status simdact_parse_rowwise_op(const char* name, simdact_rowwise_op* out);
#define SIMDACT_C_DECLARE_ROWWISE_RUNTIME_(T, sfx)                                                                 \
  SIMDACT_API simdact_status simdact_rowwise_forward_##sfx(simdact_rowwise_op op, const T* x, T* y, size_t rows,   \
                                                           size_t cols);                                           \
  SIMDACT_API simdact_status simdact_rowwise_backward_##sfx(simdact_rowwise_op op, const T* y, const T* dy, T* dx, \
                                                            size_t rows, size_t cols);
SIMDACT_C_DECLARE_ROWWISE_RUNTIME_(float, f32)
SIMDACT_C_DECLARE_ROWWISE_RUNTIME_(double, f64)
#undef SIMDACT_C_DECLARE_ROWWISE_RUNTIME_

/* --------------------------------------------------------------------------
 * Selected at run time, for engines that read the activation from a model.
 * -------------------------------------------------------------------------- */
typedef enum simdact_activation {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) SIMDACT_ACTIVATION_##name,
#include <simdact/detail/for_each_activation.inc>
  SIMDACT_ACTIVATION_COUNT /* the number of activations, not one of them */
} simdact_activation;

/* "gelu_tanh", or NULL for a value that is not an activation. */
SIMDACT_API const char* simdact_activation_name(simdact_activation activation);
/* The inverse of simdact_activation_name; SIMDACT_INVALID_PARAMETER for an unknown name. */
SIMDACT_API simdact_status simdact_parse_activation(const char* name, simdact_activation* out);
/* 1 when simdact_backward_from_output_* accepts the activation, else 0. */
SIMDACT_API int simdact_has_backward_from_output(simdact_activation activation);

/* alpha and beta map onto each activation's parameters (ONNX / oneDNN naming):
 * leaky_relu, elu, swish: alpha; hard_sigmoid: alpha = slope, beta = offset;
 * hard_tanh: alpha = min_val, beta = max_val; ignored by the others.
 * NAN (from <math.h>) selects that activation's default. */
#define SIMDACT_C_DECLARE_RUNTIME_(T, sfx)                                                                         \
  SIMDACT_API simdact_status simdact_forward_##sfx(simdact_activation activation, const T* x, T* y, size_t n,      \
                                                   double alpha, double beta);                                     \
  SIMDACT_API simdact_status simdact_backward_##sfx(simdact_activation activation, const T* x, const T* dy, T* dx, \
                                                    size_t n, double alpha, double beta);                          \
  /* SIMDACT_UNSUPPORTED for an activation without a backward_from_output form. */                                 \
  SIMDACT_API simdact_status simdact_backward_from_output_##sfx(                                                   \
      simdact_activation activation, const T* y, const T* dy, T* dx, size_t n, double alpha, double beta);
SIMDACT_C_DECLARE_RUNTIME_(float, f32)
SIMDACT_C_DECLARE_RUNTIME_(double, f64)
#undef SIMDACT_C_DECLARE_RUNTIME_

/* --------------------------------------------------------------------------
 * Instruction sets and threads (process-wide settings).
 * -------------------------------------------------------------------------- */
typedef enum simdact_isa {
  SIMDACT_ISA_SCALAR = 0, /* plain C++ baseline loops */
  SIMDACT_ISA_SSE2 = 1,
  SIMDACT_ISA_AVX2 = 2,   /* AVX2 + FMA */
  SIMDACT_ISA_AVX512 = 3, /* AVX-512 F/BW/DQ/VL */
  SIMDACT_ISA_NEON = 4,
  SIMDACT_ISA_COUNT /* the number of values, not an ISA */
} simdact_isa;

/* The ISA every call uses now. */
SIMDACT_API simdact_isa simdact_active_isa(void);
/* The ISAs compiled in and supported by this CPU/OS, in ascending order.
 * Writes at most `capacity` of them to `out` (which may be NULL when capacity
 * is 0) and the number available to *count (SIMDACT_ISA_COUNT always suffices). */
SIMDACT_API simdact_status simdact_available_isas(simdact_isa* out, size_t capacity, size_t* count);
/* SIMDACT_UNAVAILABLE_ISA when not compiled in or not supported here. */
SIMDACT_API simdact_status simdact_set_isa(simdact_isa isa);
/* "avx512", or NULL for a value that is not an ISA. */
SIMDACT_API const char* simdact_isa_name(simdact_isa isa);
/* The inverse of simdact_isa_name; SIMDACT_INVALID_PARAMETER for an unknown name. */
SIMDACT_API simdact_status simdact_parse_isa(const char* name, simdact_isa* out);

/* 0 = OpenMP's default; negative: SIMDACT_INVALID_PARAMETER. */
SIMDACT_API simdact_status simdact_set_num_threads(int threads);
/* The number of threads a large call uses. */
SIMDACT_API int simdact_num_threads(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SIMDACT_SIMDACT_H */
