// The elementwise entry points: argument checks, then the current ISA's
// kernel over the range, split across threads. The public overloads are
// expanded from the registry.
#include <cmath>
#include <string>
#include <vector>

#include <simdact/simdact.hpp>

#include "kernels/all.hpp"
#include "src/checks.hpp"
#include "src/cpu_features.hpp"
#include "src/dispatch.hpp"
#include "src/parallel.hpp"
#include "src/registry.hpp"

namespace simdact {
namespace detail {

namespace {

// Below this many elements one thread is faster than waking a team
// (measured with bench/: see README, "Threads").
constexpr std::size_t min_parallel_elements = 1 << 15;

template <class T>
constexpr std::size_t cache_line_elements = 64 / sizeof(T);

// Large calls store their output with non-temporal stores, which skip the
// read-for-ownership and do not evict the inputs, but send every output line
// to DRAM. That pays once the bytes streamed (inputs + output) no longer fit
// in about half the last-level cache (other cores and the caller's data
// share it). Measured on a Zen 4 (32 MiB L3, 1 thread, relu): forward ordinary
// stores are faster up to 2M floats (16 MiB streamed; 0.124 against 0.145
// ns/element) and non-temporal ones from 2.6M (0.144 against 0.157), backward
// (three streams) non-temporal from 1.3M floats (0.146 against 0.19); the
// old rule (output >= 16 MiB) streamed only from 4M floats either way.
std::size_t stream_min_bytes() {
  static const std::size_t bytes = last_level_cache_bytes() / 2;
  return bytes;
}

// Every last-level cache we stream past is at least this big: calls below a
// quarter of it never read stream_min_bytes' static (one cache line fewer
// touched per small call; see run_forward).
constexpr std::size_t smallest_llc_bytes = std::size_t{1} << 20;

// inputs: 1 for forward, 2 for backward.
template <class T>
bool stream_output(std::size_t n, std::size_t inputs) {
  const std::size_t streamed = n * sizeof(T) * (inputs + 1);
  return streamed >= smallest_llc_bytes / 2 && streamed >= stream_min_bytes();
}

std::string function_name(activation a, direction d) {
  std::string s = info(a).name;
  if (d == direction::backward) s += "_backward";
  if (d == direction::backward_from_output) s += "_backward_from_output";
  return s;
}

// arity and Kernel: the activation's parameter count and kernel where the
// entry point knows them (the named functions generated from the registry);
// -1 and void where it does not (the run-time entry points). Known ones check
// without reading the registry's line (arity 0: nothing to check); it is read
// only to word an error. A small call's time is its cache footprint: in a
// 32 KiB L1 whose sets the caller's input and output already fill (4096
// floats in, 4096 out, same alignment), each extra line read costs a miss on
// the data later (measured: 4 extra lines, relu 4096 floats 140 -> 176 ns on
// Zen 4).
template <int arity = -1, class Kernel = void, class T>
void check_params(activation a, direction d, const kparams<T>& p) {
  if constexpr (arity == 0) {
    return;
  } else {
    if constexpr (arity > 0) {
      const bool finite = std::isfinite(p.p0) && (arity < 2 || std::isfinite(p.p1));
      if (finite && Kernel::check(d, double(p.p0), double(p.p1)) == nullptr) return;
    }
    const activation_info& i = info(a);
    const T values[2] = {p.p0, p.p1};
    for (int k = 0; k < i.arity; ++k)
      if (!std::isfinite(values[k]))
        fail(function_name(a, d).c_str(), i.param_names[k], "is not finite (" + std::to_string(values[k]) + ")");
    if (const char* bad = i.check(d, double(p.p0), double(p.p1)))
      fail(function_name(a, d).c_str(), "parameter", std::string("is invalid: ") + bad);
  }
}

template <int arity = -1, class Kernel = void, class T>
void run_forward(activation a, const T* x, T* y, std::size_t n, kparams<T> p) {
  check_params<arity, Kernel>(a, direction::forward, p);
  const auto fn = [a] { return function_name(a, direction::forward); };
  check_buffer(fn, "x", x, n);
  check_buffer(fn, "y", y, n);
  check_overlap(fn, "y", y, n, "x", x, n);
  if (n == 0) return;
  const unary_fn<T> kernel = current_table().of<T>().act[static_cast<std::size_t>(a)].forward;
  const bool stream = stream_output<T>(n, 1);
  parallel_for(n, cache_line_elements<T>, min_parallel_elements,
               [&](std::size_t b, std::size_t e) { kernel(x + b, y + b, e - b, p, stream); });
}

// A named *_backward_from_output exists only where the form does (arity >= 0).
template <int arity = -1, class Kernel = void, class T>
void run_backward(activation a, direction d, const T* x, const T* dy, T* dx, std::size_t n, kparams<T> p) {
  if (arity < 0 && d == direction::backward_from_output && !info(a).has_backward_from_output)
    fail("backward_from_output", "activation", std::string(info(a).name) + " has no backward_from_output form");
  check_params<arity, Kernel>(a, d, p);
  const auto fn = [a, d] { return function_name(a, d); };
  const char* x_name = d == direction::backward ? "x" : "y";
  check_buffer(fn, x_name, x, n);
  check_buffer(fn, "dy", dy, n);
  check_buffer(fn, "dx", dx, n);
  check_overlap(fn, "dx", dx, n, x_name, x, n);
  check_overlap(fn, "dx", dx, n, "dy", dy, n);
  if (n == 0) return;
  const auto& entry = current_table().of<T>().act[static_cast<std::size_t>(a)];
  const binary_fn<T> kernel = d == direction::backward ? entry.backward : entry.backward_from_output;
  const bool stream = stream_output<T>(n, 2);
  parallel_for(n, cache_line_elements<T>, min_parallel_elements,
               [&](std::size_t b, std::size_t e) { kernel(x + b, dy + b, dx + b, e - b, p, stream); });
}

// Backward that also sums the parameter gradient: fixed chunks of
// reduce_chunk elements, one partial each, added in chunk order.
template <class T>
void run_backward_param_grad(activation a, const T* x, const T* dy, T* dx, std::size_t n, kparams<T> p, T* grad,
                             const char* grad_name) {
  check_params(a, direction::backward, p);
  const auto fn = [a] { return function_name(a, direction::backward); };
  check_buffer(fn, "x", x, n);
  check_buffer(fn, "dy", dy, n);
  check_buffer(fn, "dx", dx, n);
  check_overlap(fn, "dx", dx, n, "x", x, n);
  check_overlap(fn, "dx", dx, n, "dy", dy, n);
  check_overlap(fn, grad_name, grad, 1, "x", x, n, false);
  check_overlap(fn, grad_name, grad, 1, "dy", dy, n, false);
  check_overlap(fn, grad_name, grad, 1, "dx", dx, n, false);
  const param_grad_fn<T> kernel = current_table().of<T>().act[static_cast<std::size_t>(a)].backward_param_grad;
  std::vector<double> partials((n + reduce_chunk - 1) / reduce_chunk);
  parallel_for(n, reduce_chunk, min_parallel_elements, [&](std::size_t b, std::size_t e) {
    for (std::size_t c = b; c < e; c += reduce_chunk) {
      const std::size_t len = std::min(reduce_chunk, e - c);
      partials[c / reduce_chunk] = kernel(x + c, dy + c, dx + c, len, p);
    }
  });
  double sum = 0;
  for (double partial : partials) sum += partial;
  *grad = T(sum);
}

template <class T>
kparams<T> from_runtime(activation a, const params& rp) {
  const activation_info& i = info(a);
  const double p0 = std::isnan(rp.alpha) ? i.defaults[0] : rp.alpha;
  const double p1 = std::isnan(rp.beta) ? i.defaults[1] : rp.beta;
  return kparams<T>{i.arity >= 1 ? T(p0) : T(0), i.arity >= 2 ? T(p1) : T(0)};
}

}  // namespace
}  // namespace detail

#define SIMDACT_SIGNATURE_0(T, p0, p1)
#define SIMDACT_SIGNATURE_1(T, p0, p1) , T p0
#define SIMDACT_SIGNATURE_2(T, p0, p1) , T p0, T p1
#define SIMDACT_KPARAMS_0(T, p0, p1) \
  detail::kparams<T> {}
#define SIMDACT_KPARAMS_1(T, p0, p1) \
  detail::kparams<T> { p0, T(0) }
#define SIMDACT_KPARAMS_2(T, p0, p1) \
  detail::kparams<T> { p0, p1 }
#define SIMDACT_FROM_OUTPUT_0(T, name, arity, p0, p1)
#define SIMDACT_FROM_OUTPUT_1(T, name, arity, p0, p1)                                                                 \
  void name##_backward_from_output(const T* y, const T* dy, T* dx,                                                    \
                                   std::size_t n SIMDACT_SIGNATURE_##arity(T, p0, p1)) {                              \
    detail::run_backward<arity, kernels::name##_kernel>(activation::name, detail::direction::backward_from_output, y, \
                                                        dy, dx, n, SIMDACT_KPARAMS_##arity(T, p0, p1));               \
  }
#define SIMDACT_DEFINE_FOR_TYPE(T, name, arity, p0, p1, from_output)                                                   \
  void name(const T* x, T* y, std::size_t n SIMDACT_SIGNATURE_##arity(T, p0, p1)) {                                    \
    detail::run_forward<arity, kernels::name##_kernel>(activation::name, x, y, n, SIMDACT_KPARAMS_##arity(T, p0, p1)); \
  }                                                                                                                    \
  void name##_backward(const T* x, const T* dy, T* dx, std::size_t n SIMDACT_SIGNATURE_##arity(T, p0, p1)) {           \
    detail::run_backward<arity, kernels::name##_kernel>(activation::name, detail::direction::backward, x, dy, dx, n,   \
                                                        SIMDACT_KPARAMS_##arity(T, p0, p1));                           \
  }                                                                                                                    \
  SIMDACT_FROM_OUTPUT_##from_output(T, name, arity, p0, p1)
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output)     \
  SIMDACT_DEFINE_FOR_TYPE(float, name, arity, p0, p1, from_output) \
  SIMDACT_DEFINE_FOR_TYPE(double, name, arity, p0, p1, from_output)
#include <simdact/detail/for_each_activation.inc>

void swish_backward(const float* x, const float* dy, float* dx, std::size_t n, float beta, float* dbeta) {
  if (!dbeta) return swish_backward(x, dy, dx, n, beta);
  detail::run_backward_param_grad(activation::swish, x, dy, dx, n, detail::kparams<float>{beta, 0.f}, dbeta, "dbeta");
}
void swish_backward(const double* x, const double* dy, double* dx, std::size_t n, double beta, double* dbeta) {
  if (!dbeta) return swish_backward(x, dy, dx, n, beta);
  detail::run_backward_param_grad(activation::swish, x, dy, dx, n, detail::kparams<double>{beta, 0.}, dbeta, "dbeta");
}

void forward(activation a, const float* x, float* y, std::size_t n, params p) {
  detail::run_forward(a, x, y, n, detail::from_runtime<float>(a, p));
}
void forward(activation a, const double* x, double* y, std::size_t n, params p) {
  detail::run_forward(a, x, y, n, detail::from_runtime<double>(a, p));
}
void backward(activation a, const float* x, const float* dy, float* dx, std::size_t n, params p) {
  detail::run_backward(a, detail::direction::backward, x, dy, dx, n, detail::from_runtime<float>(a, p));
}
void backward(activation a, const double* x, const double* dy, double* dx, std::size_t n, params p) {
  detail::run_backward(a, detail::direction::backward, x, dy, dx, n, detail::from_runtime<double>(a, p));
}
void backward_from_output(activation a, const float* y, const float* dy, float* dx, std::size_t n, params p) {
  detail::run_backward(a, detail::direction::backward_from_output, y, dy, dx, n, detail::from_runtime<float>(a, p));
}
void backward_from_output(activation a, const double* y, const double* dy, double* dx, std::size_t n, params p) {
  detail::run_backward(a, detail::direction::backward_from_output, y, dy, dx, n, detail::from_runtime<double>(a, p));
}

}  // namespace simdact
