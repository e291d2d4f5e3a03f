// simdact's elementwise activations, expanded from the registry: every
// activation x type x direction x ISA x size x thread count x distribution,
// with the activation's default parameters. The `scalar` ISA is the plain
// std:: baseline the speedups are measured against.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "bench_common.hpp"

namespace simdact_bench {
namespace {

template <class T>
struct entry_points {
  void (*forward)(const T*, T*, std::size_t);
  void (*backward)(const T*, const T*, T*, std::size_t);
  void (*backward_from_output)(const T*, const T*, T*, std::size_t);  // null where the API has none
};

struct activation_entry {
  const char* name;
  entry_points<float> f32;
  entry_points<double> f64;
};

// Calls with no trailing arguments take the registry's default parameters.
#define SIMDACT_BENCH_FROM_OUTPUT_0(T, name) nullptr
#define SIMDACT_BENCH_FROM_OUTPUT_1(T, name) \
  [](const T* y, const T* dy, T* dx, std::size_t n) { simdact::name##_backward_from_output(y, dy, dx, n); }
#define SIMDACT_BENCH_ENTRY_POINTS(T, name, from_output)                                               \
  entry_points<T> {                                                                                    \
    [](const T* x, T* y, std::size_t n) { simdact::name(x, y, n); },                                   \
        [](const T* x, const T* dy, T* dx, std::size_t n) { simdact::name##_backward(x, dy, dx, n); }, \
        SIMDACT_BENCH_FROM_OUTPUT_##from_output(T, name)                                               \
  }
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  {#name, SIMDACT_BENCH_ENTRY_POINTS(float, name, from_output), SIMDACT_BENCH_ENTRY_POINTS(double, name, from_output)},
const activation_entry activations[] = {
#include <simdact/detail/for_each_activation.inc>
};
#undef SIMDACT_BENCH_ENTRY_POINTS
#undef SIMDACT_BENCH_FROM_OUTPUT_0
#undef SIMDACT_BENCH_FROM_OUTPUT_1

template <class T>
void run(benchmark::State& state, const cell& c, simdact::isa isa, const entry_points<T>& f) {
  const std::size_t n = c.elements();
  const T* x = input<T>(c.input);
  const T* dy = gradient<T>();
  T* out = output<T>();
  if (c.direction == dir::backward_from_output) {
    // The saved output y = f(x), computed outside the timed loop.
    simdact::set_isa(current_plan().best_isa());
    use_threads(current_plan().all_threads);
    f.forward(x, scratch<T>(), n);
  }
  simdact::set_isa(isa);
  use_threads(c.threads);
  for (auto _ : state) {
    switch (c.direction) {
      case dir::forward:
        f.forward(x, out, n);
        break;
      case dir::backward:
        f.backward(x, dy, out, n);
        break;
      case dir::backward_from_output:
        f.backward_from_output(scratch<T>(), dy, out, n);
        break;
    }
    benchmark::ClobberMemory();
  }
  set_throughput(state, c, c.direction == dir::forward ? 2 : 3, sizeof(T));
}

template <class T>
void register_type(const activation_entry& a, const entry_points<T>& f) {
  const plan& p = current_plan();
  for (dir d : {dir::forward, dir::backward, dir::backward_from_output}) {
    if (d == dir::backward_from_output && !f.backward_from_output) continue;
    for (simdact::isa isa : p.isas)
      for (std::size_t n : plan::sizes)
        for (int threads : p.thread_counts())
          for (dist input : {dist::uniform, dist::normal}) {
            cell c;
            c.op = a.name;
            c.type = type_name<T>();
            c.direction = d;
            c.impl = simdact_impl(isa);
            c.cols = n;
            c.threads = threads;
            c.input = input;
            add(c, [c, isa, f](benchmark::State& state) { run<T>(state, c, isa, f); });
          }
  }
}

}  // namespace

template <class T>
std::string compare_with_simdact(const cell& c, const T* got) {
  const entry_points<T>* f = nullptr;
  for (const activation_entry& a : activations)
    if (c.op == a.name) {
      if constexpr (std::is_same_v<T, float>)
        f = &a.f32;
      else
        f = &a.f64;
    }
  if (!f) return "no simdact activation named " + c.op;
  const std::size_t m = std::min<std::size_t>(c.elements(), 4096);
  std::vector<T> want(m);
  const T* x = input<T>(c.input);
  const simdact::isa saved = simdact::active_isa();
  simdact::set_isa(current_plan().best_isa());
  switch (c.direction) {
    case dir::forward:
      f->forward(x, want.data(), m);
      break;
    case dir::backward:
      f->backward(x, gradient<T>(), want.data(), m);
      break;
    case dir::backward_from_output:  // the peer's own saved output is in scratch()
      if (!f->backward_from_output) return "simdact has no " + c.op + "_backward_from_output";
      f->backward_from_output(scratch<T>(), gradient<T>(), want.data(), m);
      break;
  }
  simdact::set_isa(saved);
  for (std::size_t i = 0; i < m; ++i) {
    const double w = want[i], g = got[i];
    const bool same_nan = std::isnan(w) && std::isnan(g);
    if (!same_nan && !(std::fabs(g - w) <= 1e-3 * std::fabs(w) + 1e-5)) {
      std::ostringstream out;
      out << c.impl << " differs from simdact: x = " << x[i] << ": " << g << " against " << w;
      return out.str();
    }
  }
  return {};
}
template std::string compare_with_simdact<float>(const cell&, const float*);
template std::string compare_with_simdact<double>(const cell&, const double*);

activation_params default_params(const std::string& activation) {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  if (activation == #name) return {d0, d1};
#include <simdact/detail/for_each_activation.inc>
  return {};
}

void register_elementwise() {
  for (const activation_entry& a : activations) {
    register_type<float>(a, a.f32);
    register_type<double>(a, a.f64);
  }
}

}  // namespace simdact_bench
