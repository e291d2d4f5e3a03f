// The C ABI (include/simdact/simdact.h): thin wrappers over the C++ API.
//
// Every function runs inside guarded(), so no exception crosses the C
// boundary. Status codes come from *which* check failed, never from parsing a
// message: when the C++ call throws simdact::error, the wrapper re-runs the
// library's own buffer checks (src/checks.hpp) one kind of failure at a time
// (size, NULL, overlap); the first that fails names the status, and if none
// does, the C++ call rejected a parameter. A successful call pays nothing for
// this. Enum values are checked before the call (a C caller may pass any int).
#include <simdact/simdact.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <simdact/simdact.hpp>

#include "src/checks.hpp"

namespace {

namespace sd = simdact::detail;

// ---------------------------------------------------------------------------
// Messages and the exception barrier
// ---------------------------------------------------------------------------

// A fixed buffer, not a std::string: nothing to allocate when reporting
// out-of-memory, and no thread-exit destructor.
thread_local char last_message[512];

void set_message(const char* message) noexcept { std::snprintf(last_message, sizeof last_message, "%s", message); }

// A check that failed in this file: its message is already stored.
struct c_failure {
  simdact_status status;
};

[[noreturn]] void fail_with(simdact_status status, const std::string& message) {
  set_message(message.c_str());
  throw c_failure{status};
}

// Runs one of the library's checks; the simdact::error it throws becomes `status`.
template <class Check>
void require(simdact_status status, Check&& check) {
  try {
    check();
  } catch (const simdact::error& e) {
    set_message(e.what());
    throw c_failure{status};
  }
}

// A classification with nothing to check.
struct no_buffers {
  void operator()() const {}
};

// Runs body and turns every exception into a status. When body throws
// simdact::error, classify() re-runs the buffer checks: a failing one throws
// c_failure with its status and message; otherwise the error means
// `library_error` (a parameter, unless the caller says otherwise).
template <class Body, class Classify = no_buffers>
simdact_status guarded(Body&& body, Classify&& classify = {},
                       simdact_status library_error = SIMDACT_INVALID_PARAMETER) noexcept {
  try {
    try {
      body();
    } catch (const simdact::error& e) {
      set_message(e.what());
      classify();
      return library_error;
    }
    last_message[0] = '\0';
    return SIMDACT_OK;
  } catch (const c_failure& f) {
    return f.status;
  } catch (const std::bad_alloc&) {
    set_message("simdact: out of memory");
    return SIMDACT_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_message(e.what());
    return SIMDACT_INTERNAL_ERROR;
  } catch (...) {
    set_message("simdact: unknown exception");
    return SIMDACT_INTERNAL_ERROR;
  }
}

// ---------------------------------------------------------------------------
// Buffer checks, one kind of failure at a time
// ---------------------------------------------------------------------------

template <class T>
void require_buffer(const std::string& function, const char* argument, const T* p, std::size_t n) {
  // With a valid pointer, check_buffer can only object to the size.
  static const T valid_pointer{};
  require(SIMDACT_SIZE_OVERFLOW, [&] { sd::check_buffer(function, argument, &valid_pointer, n); });
  require(SIMDACT_NULL_POINTER, [&] { sd::check_buffer(function, argument, p, n); });
}

template <class T>
void require_disjoint(const std::string& function, const char* out_name, const T* out, std::size_t out_n,
                      const char* in_name, const T* in, std::size_t in_n, bool same_allowed = true) {
  require(SIMDACT_OVERLAP, [&] { sd::check_overlap(function, out_name, out, out_n, in_name, in, in_n, same_allowed); });
}

// y = f(x): both n elements, y == x allowed.
template <class T>
void check_unary(std::string_view function, const T* x, const T* y, std::size_t n) {
  if (n == 0) return;
  const std::string fn(function);
  require_buffer(fn, "x", x, n);
  require_buffer(fn, "y", y, n);
  require_disjoint(fn, "y", y, n, "x", x, n);
}

// dx = g(a, dy) with a = x or y: all n elements, dx == a or dx == dy allowed.
template <class T>
void check_binary(std::string_view function, const char* a_name, const T* a, const T* dy, const T* dx, std::size_t n) {
  if (n == 0) return;
  const std::string fn(function);
  require_buffer(fn, a_name, a, n);
  require_buffer(fn, "dy", dy, n);
  require_buffer(fn, "dx", dx, n);
  require_disjoint(fn, "dx", dx, n, a_name, a, n);
  require_disjoint(fn, "dx", dx, n, "dy", dy, n);
}

// A parameter-gradient output (one element, may be null): it must not touch
// any of the call's buffers.
template <class T>
void check_gradient(std::string_view function, const char* grad_name, const T* grad, const T* x, const T* dy,
                    const T* dx, std::size_t n) {
  if (grad == nullptr) return;
  const std::string fn(function);
  require_disjoint(fn, grad_name, grad, 1, "x", x, n, false);
  require_disjoint(fn, grad_name, grad, 1, "dy", dy, n, false);
  require_disjoint(fn, grad_name, grad, 1, "dx", dx, n, false);
}

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

// An enum argument from C, as the integer the caller passed. C lets any int
// through an enum parameter, while in C++ a value outside the enumerators'
// range is undefined (UBSan's -fsanitize=enum traps on it): so the bytes are
// read as the underlying integer, and only a checked value becomes an enum.
template <class E>
struct c_enum {
  explicit c_enum(const E& e) {
    std::underlying_type_t<E> v;
    std::memcpy(&v, &e, sizeof v);
    value = static_cast<long long>(v);
  }
  bool below(E count) const { return value >= 0 && value < static_cast<long long>(count); }
  long long value;
};
using c_activation = c_enum<simdact_activation>;
using c_isa = c_enum<simdact_isa>;
using c_rowwise_op = c_enum<simdact_rowwise_op>;

bool valid(c_activation a) { return a.below(SIMDACT_ACTIVATION_COUNT); }
bool valid(c_isa i) { return i.below(SIMDACT_ISA_COUNT); }
bool valid(c_rowwise_op op) { return op.below(SIMDACT_ROWWISE_OP_COUNT); }

simdact::activation require_activation(const char* function, c_activation a) {
  if (!valid(a))
    fail_with(SIMDACT_INVALID_PARAMETER,
              std::string(function) + ": activation = " + std::to_string(a.value) + " is not a simdact_activation");
  return static_cast<simdact::activation>(a.value);
}

simdact::rowwise_op require_rowwise_op(const char* function, c_rowwise_op op) {
  if (!valid(op))
    fail_with(SIMDACT_INVALID_PARAMETER,
              std::string(function) + ": op = " + std::to_string(op.value) + " is not a simdact_rowwise_op");
  return static_cast<simdact::rowwise_op>(op.value);
}

template <class T>
void require_non_null(const char* function, const char* argument, const T* p) {
  if (p == nullptr) fail_with(SIMDACT_NULL_POINTER, std::string(function) + ": " + argument + " is null");
}

#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output)                                              \
  static_assert(static_cast<int>(SIMDACT_ACTIVATION_##name) == static_cast<int>(simdact::activation::name), \
                "simdact_activation and simdact::activation disagree on " #name);
#include <simdact/detail/for_each_activation.inc>
static_assert(static_cast<std::size_t>(SIMDACT_ACTIVATION_COUNT) == simdact::activation_count);
static_assert(static_cast<int>(SIMDACT_ISA_SCALAR) == static_cast<int>(simdact::isa::scalar));
static_assert(static_cast<int>(SIMDACT_ISA_SSE2) == static_cast<int>(simdact::isa::sse2));
static_assert(static_cast<int>(SIMDACT_ISA_AVX2) == static_cast<int>(simdact::isa::avx2));
static_assert(static_cast<int>(SIMDACT_ISA_AVX512) == static_cast<int>(simdact::isa::avx512));
static_assert(static_cast<int>(SIMDACT_ISA_NEON) == static_cast<int>(simdact::isa::neon));
static_assert(static_cast<int>(SIMDACT_ISA_COUNT) == static_cast<int>(simdact::isa::neon) + 1);
static_assert(static_cast<int>(SIMDACT_ROWWISE_SOFTMAX) == static_cast<int>(simdact::rowwise_op::softmax));
static_assert(static_cast<int>(SIMDACT_ROWWISE_LOG_SOFTMAX) == static_cast<int>(simdact::rowwise_op::log_softmax));
static_assert(static_cast<int>(SIMDACT_ROWWISE_SOFTMIN) == static_cast<int>(simdact::rowwise_op::softmin));
static_assert(static_cast<int>(SIMDACT_ROWWISE_OP_COUNT) == static_cast<int>(simdact::rowwise_op::softmin) + 1);

// ---------------------------------------------------------------------------
// Run-time selected entry points
// ---------------------------------------------------------------------------

template <class T>
simdact_status run_forward(const char* c_name, c_activation a, const T* x, T* y, std::size_t n, double alpha,
                           double beta) {
  return guarded(
      [&] {
        simdact::forward(require_activation(c_name, a), x, y, n, simdact::params{alpha, beta});
      },
      [&] { check_unary(simdact::name(static_cast<simdact::activation>(a.value)), x, y, n); });
}

template <class T>
simdact_status run_backward(const char* c_name, c_activation a, const T* x, const T* dy, T* dx, std::size_t n,
                            double alpha, double beta) {
  return guarded(
      [&] {
        simdact::backward(require_activation(c_name, a), x, dy, dx, n, simdact::params{alpha, beta});
      },
      [&] {
        check_binary(std::string(simdact::name(static_cast<simdact::activation>(a.value))) + "_backward", "x", x, dy,
                     dx, n);
      });
}

template <class T>
simdact_status run_backward_from_output(const char* c_name, c_activation a, const T* y, const T* dy, T* dx,
                                        std::size_t n, double alpha, double beta) {
  return guarded(
      [&] {
        const simdact::activation act = require_activation(c_name, a);
        if (!simdact::has_backward_from_output(act))
          fail_with(SIMDACT_UNSUPPORTED, std::string(c_name) + ": activation " + std::string(simdact::name(act)) +
                                             " has no backward_from_output form");
        simdact::backward_from_output(act, y, dy, dx, n, simdact::params{alpha, beta});
      },
      [&] {
        check_binary(std::string(simdact::name(static_cast<simdact::activation>(a.value))) + "_backward_from_output",
                     "y", y, dy, dx, n);
      });
}

// ---------------------------------------------------------------------------
// Row-wise entry points
// ---------------------------------------------------------------------------

// A rows x cols matrix: the element count must fit, then as elementwise.
template <class T>
void check_rows_unary(std::string_view function, const T* x, const T* y, std::size_t rows, std::size_t cols) {
  const std::string fn(function);
  std::size_t n = 0;
  require(SIMDACT_SIZE_OVERFLOW, [&] { n = sd::checked_elements(fn, rows, cols); });
  check_unary(fn, x, y, n);
}

template <class T>
void check_rows_binary(std::string_view function, const T* y, const T* dy, const T* dx, std::size_t rows,
                       std::size_t cols) {
  const std::string fn(function);
  std::size_t n = 0;
  require(SIMDACT_SIZE_OVERFLOW, [&] { n = sd::checked_elements(fn, rows, cols); });
  check_binary(fn, "y", y, dy, dx, n);
}

template <class T>
simdact_status run_rowwise_forward(const char* c_name, c_rowwise_op op, const T* x, T* y, std::size_t rows,
                                   std::size_t cols) {
  return guarded(
      [&] { simdact::forward(require_rowwise_op(c_name, op), x, y, rows, cols); },
      [&] { check_rows_unary(simdact::name(static_cast<simdact::rowwise_op>(op.value)), x, y, rows, cols); });
}

template <class T>
simdact_status run_rowwise_backward(const char* c_name, c_rowwise_op op, const T* y, const T* dy, T* dx,
                                    std::size_t rows, std::size_t cols) {
  return guarded([&] { simdact::backward(require_rowwise_op(c_name, op), y, dy, dx, rows, cols); },
                 [&] {
                   check_rows_binary(
                       std::string(simdact::name(static_cast<simdact::rowwise_op>(op.value))) + "_backward", y, dy, dx,
                       rows, cols);
                 });
}

// x: n groups of k; y: n. k == 0 is a parameter error (of the C++ call).
template <class T>
void check_maxout(const T* x, const T* y, std::size_t n, std::size_t k) {
  const std::string fn("maxout");
  std::size_t nk = 0;
  require(SIMDACT_SIZE_OVERFLOW, [&] { nk = sd::checked_elements(fn, n, k, "n", "k"); });
  if (k == 0) return;
  require_buffer(fn, "x", x, nk);
  require_buffer(fn, "y", y, n);
  require_disjoint(fn, "y", y, n, "x", x, nk);
}

template <class T>
void check_maxout_backward(const T* x, const T* dy, const T* dx, std::size_t n, std::size_t k) {
  const std::string fn("maxout_backward");
  std::size_t nk = 0;
  require(SIMDACT_SIZE_OVERFLOW, [&] { nk = sd::checked_elements(fn, n, k, "n", "k"); });
  if (k == 0) return;
  require_buffer(fn, "x", x, nk);
  require_buffer(fn, "dy", dy, n);
  require_buffer(fn, "dx", dx, nk);
  require_disjoint(fn, "dx", dx, nk, "x", x, nk);
  require_disjoint(fn, "dx", dx, nk, "dy", dy, n);
}

}  // namespace

// ---------------------------------------------------------------------------
// The exported functions
// ---------------------------------------------------------------------------

const char* simdact_status_string(simdact_status status) {
  const c_enum<simdact_status> v(status);
  switch (v.value) {
    case SIMDACT_OK:
      return "success";
    case SIMDACT_NULL_POINTER:
      return "a pointer argument is NULL where data is required";
    case SIMDACT_OVERLAP:
      return "an output buffer partially overlaps an input buffer";
    case SIMDACT_INVALID_PARAMETER:
      return "a parameter is outside its valid domain, not finite, or not a valid enum value";
    case SIMDACT_SIZE_OVERFLOW:
      return "the element count overflows the address space";
    case SIMDACT_UNAVAILABLE_ISA:
      return "the instruction set is not compiled in or not supported by this CPU/OS";
    case SIMDACT_UNSUPPORTED:
      return "the operation does not exist for this activation";
    case SIMDACT_OUT_OF_MEMORY:
      return "out of memory";
    case SIMDACT_INTERNAL_ERROR:
      return "internal error in simdact";
  }
  return "unknown status";
}

const char* simdact_last_error_message(void) { return last_message; }

const char* simdact_version(void) { return SIMDACT_VERSION_STRING; }

// Per-activation functions, expanded from the registry through the same
// signature macros as their declarations in simdact.h.
#define SIMDACT_C_ARGS_0(p0, p1)
#define SIMDACT_C_ARGS_1(p0, p1) , p0
#define SIMDACT_C_ARGS_2(p0, p1) , p0, p1
// Backward without / with a parameter gradient (d<p0>, may be null).
#define SIMDACT_C_BACKWARD_0(name, arity, p0, p1)                                                \
  return guarded([&] { simdact::name##_backward(x, dy, dx, n SIMDACT_C_ARGS_##arity(p0, p1)); }, \
                 [&] { check_binary(#name "_backward", "x", x, dy, dx, n); });
#define SIMDACT_C_BACKWARD_1(name, arity, p0, p1)                                                       \
  return guarded([&] { simdact::name##_backward(x, dy, dx, n SIMDACT_C_ARGS_##arity(p0, p1), d##p0); }, \
                 [&] {                                                                                  \
                   check_binary(#name "_backward", "x", x, dy, dx, n);                                  \
                   check_gradient(#name "_backward", "d" #p0, d##p0, x, dy, dx, n);                     \
                 });
#define SIMDACT_C_DEFINE_FROM_OUTPUT_0(T, sfx, name, arity, p0, p1)
#define SIMDACT_C_DEFINE_FROM_OUTPUT_1(T, sfx, name, arity, p0, p1)                                            \
  SIMDACT_C_FROM_OUTPUT_SIGNATURE(T, sfx, name, arity, p0, p1) {                                               \
    return guarded([&] { simdact::name##_backward_from_output(y, dy, dx, n SIMDACT_C_ARGS_##arity(p0, p1)); }, \
                   [&] { check_binary(#name "_backward_from_output", "y", y, dy, dx, n); });                   \
  }
#define SIMDACT_C_DEFINE_FOR_TYPE_(T, sfx, name, arity, p0, p1, from_output)                               \
  SIMDACT_C_FORWARD_SIGNATURE(T, sfx, name, arity, p0, p1) {                                               \
    return guarded([&] { simdact::name(x, y, n SIMDACT_C_ARGS_##arity(p0, p1)); },                         \
                   [&] { check_unary(#name, x, y, n); });                                                  \
  }                                                                                                        \
  SIMDACT_C_BACKWARD_SIGNATURE(T, sfx, name, arity, p0,                                                    \
                               p1){SIMDACT_C_CAT(SIMDACT_C_BACKWARD_, SIMDACT_C_HAS_PARAM_GRADIENT(name))( \
      name, arity, p0, p1)} SIMDACT_C_DEFINE_FROM_OUTPUT_##from_output(T, sfx, name, arity, p0, p1)
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output)             \
  SIMDACT_C_DEFINE_FOR_TYPE_(float, f32, name, arity, p0, p1, from_output) \
  SIMDACT_C_DEFINE_FOR_TYPE_(double, f64, name, arity, p0, p1, from_output)
#include <simdact/detail/for_each_activation.inc>

#define SIMDACT_C_DEFINE_ROWWISE_(T, sfx, name)                                                                   \
  simdact_status simdact_##name##_##sfx(const T* x, T* y, size_t rows, size_t cols) {                             \
    return guarded([&] { simdact::name(x, y, rows, cols); }, [&] { check_rows_unary(#name, x, y, rows, cols); }); \
  }                                                                                                               \
  simdact_status simdact_##name##_backward_##sfx(const T* y, const T* dy, T* dx, size_t rows, size_t cols) {      \
    return guarded([&] { simdact::name##_backward(y, dy, dx, rows, cols); },                                      \
                   [&] { check_rows_binary(#name "_backward", y, dy, dx, rows, cols); });                         \
  }
#define SIMDACT_C_DEFINE_ROWWISE_FOR_TYPE_(T, sfx)                                                   \
  SIMDACT_C_DEFINE_ROWWISE_(T, sfx, softmax)                                                         \
  SIMDACT_C_DEFINE_ROWWISE_(T, sfx, log_softmax)                                                     \
  SIMDACT_C_DEFINE_ROWWISE_(T, sfx, softmin)                                                         \
  simdact_status simdact_maxout_##sfx(const T* x, T* y, size_t n, size_t k) {                        \
    return guarded([&] { simdact::maxout(x, y, n, k); }, [&] { check_maxout(x, y, n, k); });         \
  }                                                                                                  \
  simdact_status simdact_maxout_backward_##sfx(const T* x, const T* dy, T* dx, size_t n, size_t k) { \
    return guarded([&] { simdact::maxout_backward(x, dy, dx, n, k); },                               \
                   [&] { check_maxout_backward(x, dy, dx, n, k); });                                 \
  }
SIMDACT_C_DEFINE_ROWWISE_FOR_TYPE_(float, f32)
SIMDACT_C_DEFINE_ROWWISE_FOR_TYPE_(double, f64)

#define SIMDACT_C_DEFINE_ROWWISE_RUNTIME_(T, sfx)                                                                   \
  simdact_status simdact_rowwise_forward_##sfx(simdact_rowwise_op op, const T* x, T* y, size_t rows, size_t cols) { \
    return run_rowwise_forward("simdact_rowwise_forward_" #sfx, c_rowwise_op(op), x, y, rows, cols);                \
  }                                                                                                                 \
  simdact_status simdact_rowwise_backward_##sfx(simdact_rowwise_op op, const T* y, const T* dy, T* dx, size_t rows, \
                                                size_t cols) {                                                      \
    return run_rowwise_backward("simdact_rowwise_backward_" #sfx, c_rowwise_op(op), y, dy, dx, rows, cols);         \
  }
SIMDACT_C_DEFINE_ROWWISE_RUNTIME_(float, f32)
SIMDACT_C_DEFINE_ROWWISE_RUNTIME_(double, f64)

const char* simdact_rowwise_op_name(simdact_rowwise_op op) {
  // name(rowwise_op) views string literals.
  const c_rowwise_op v(op);
  return valid(v) ? simdact::name(static_cast<simdact::rowwise_op>(v.value)).data() : nullptr;
}

simdact_status simdact_parse_rowwise_op(const char* name, simdact_rowwise_op* out) {
  return guarded([&] {
    require_non_null("simdact_parse_rowwise_op", "name", name);
    require_non_null("simdact_parse_rowwise_op", "out", out);
    const auto parsed = simdact::parse_rowwise_op(name);
    if (!parsed)
      fail_with(SIMDACT_INVALID_PARAMETER,
                std::string("simdact_parse_rowwise_op: name \"") + name + "\" is not a row-wise operation");
    *out = static_cast<simdact_rowwise_op>(*parsed);
  });
}

// Run-time selected.
#define SIMDACT_C_DEFINE_RUNTIME_(T, sfx)                                                                          \
  simdact_status simdact_forward_##sfx(simdact_activation activation, const T* x, T* y, size_t n, double alpha,    \
                                       double beta) {                                                              \
    return run_forward("simdact_forward_" #sfx, c_activation(activation), x, y, n, alpha, beta);                   \
  }                                                                                                                \
  simdact_status simdact_backward_##sfx(simdact_activation activation, const T* x, const T* dy, T* dx, size_t n,   \
                                        double alpha, double beta) {                                               \
    return run_backward("simdact_backward_" #sfx, c_activation(activation), x, dy, dx, n, alpha, beta);            \
  }                                                                                                                \
  simdact_status simdact_backward_from_output_##sfx(simdact_activation activation, const T* y, const T* dy, T* dx, \
                                                    size_t n, double alpha, double beta) {                         \
    return run_backward_from_output("simdact_backward_from_output_" #sfx, c_activation(activation), y, dy, dx, n,  \
                                    alpha, beta);                                                                  \
  }
SIMDACT_C_DEFINE_RUNTIME_(float, f32)
SIMDACT_C_DEFINE_RUNTIME_(double, f64)

const char* simdact_activation_name(simdact_activation activation) {
  // name() views the registry's string literals, so .data() is NUL-terminated.
  const c_activation v(activation);
  return valid(v) ? simdact::name(static_cast<simdact::activation>(v.value)).data() : nullptr;
}

simdact_status simdact_parse_activation(const char* name, simdact_activation* out) {
  return guarded([&] {
    require_non_null("simdact_parse_activation", "name", name);
    require_non_null("simdact_parse_activation", "out", out);
    const auto parsed = simdact::parse_activation(name);
    if (!parsed)
      fail_with(SIMDACT_INVALID_PARAMETER,
                std::string("simdact_parse_activation: name \"") + name + "\" is not an activation");
    *out = static_cast<simdact_activation>(*parsed);
  });
}

int simdact_has_backward_from_output(simdact_activation activation) {
  const c_activation v(activation);
  return valid(v) && simdact::has_backward_from_output(static_cast<simdact::activation>(v.value));
}

simdact_isa simdact_active_isa(void) {
  try {
    return static_cast<simdact_isa>(simdact::active_isa());
  } catch (...) {  // not expected: choosing the table allocates nothing
    return SIMDACT_ISA_SCALAR;
  }
}

simdact_status simdact_available_isas(simdact_isa* out, size_t capacity, size_t* count) {
  return guarded([&] {
    require_non_null("simdact_available_isas", "count", count);
    if (capacity > 0) require_non_null("simdact_available_isas", "out", out);
    const std::vector<simdact::isa> isas = simdact::available_isas();
    for (std::size_t i = 0; i < isas.size() && i < capacity; ++i) out[i] = static_cast<simdact_isa>(isas[i]);
    *count = isas.size();
  });
}

simdact_status simdact_set_isa(simdact_isa isa) {
  return guarded(
      [&] {
        const c_isa v(isa);
        if (!valid(v))
          fail_with(SIMDACT_INVALID_PARAMETER,
                    "simdact_set_isa: isa = " + std::to_string(v.value) + " is not a simdact_isa");
        simdact::set_isa(static_cast<simdact::isa>(v.value));
      },
      no_buffers{}, SIMDACT_UNAVAILABLE_ISA);
}

const char* simdact_isa_name(simdact_isa isa) {
  // name(isa) returns views of string literals.
  const c_isa v(isa);
  return valid(v) ? simdact::name(static_cast<simdact::isa>(v.value)).data() : nullptr;
}

simdact_status simdact_parse_isa(const char* name, simdact_isa* out) {
  return guarded([&] {
    require_non_null("simdact_parse_isa", "name", name);
    require_non_null("simdact_parse_isa", "out", out);
    const auto parsed = simdact::parse_isa(name);
    if (!parsed)
      fail_with(SIMDACT_INVALID_PARAMETER, std::string("simdact_parse_isa: name \"") + name + "\" is not an ISA");
    *out = static_cast<simdact_isa>(*parsed);
  });
}

simdact_status simdact_set_num_threads(int threads) {
  return guarded([&] { simdact::set_num_threads(threads); });
}

int simdact_num_threads(void) {
  try {
    return simdact::num_threads();
  } catch (...) {  // not expected: it reads an atomic and OpenMP's setting
    return 1;
  }
}
