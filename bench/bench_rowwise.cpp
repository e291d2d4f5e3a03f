// simdact's row-wise functions: softmax, log_softmax and softmin (forward and
// backward from the output) over rows x cols = 1 x 10^7, 4096 x 1024 and
// 10^6 x 8, and maxout with k = 2, 4, 16 over 2^22 input elements. Built only
// with SIMDACT_BENCH_ROWWISE=ON.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bench_common.hpp"

namespace simdact_bench {
namespace {

template <class T>
struct softmax_entry {
  void (*forward)(const T*, T*, std::size_t, std::size_t);
  void (*backward)(const T*, const T*, T*, std::size_t, std::size_t);
};

template <class T>
softmax_entry<T> softmax_entry_for(const std::string& op) {
  using fwd = void (*)(const T*, T*, std::size_t, std::size_t);
  using bwd = void (*)(const T*, const T*, T*, std::size_t, std::size_t);
  if (op == "softmax") return {static_cast<fwd>(simdact::softmax), static_cast<bwd>(simdact::softmax_backward)};
  if (op == "log_softmax")
    return {static_cast<fwd>(simdact::log_softmax), static_cast<bwd>(simdact::log_softmax_backward)};
  return {static_cast<fwd>(simdact::softmin), static_cast<bwd>(simdact::softmin_backward)};
}

template <class T>
void run_softmax(benchmark::State& state, const cell& c, simdact::isa isa, softmax_entry<T> f) {
  const T* x = input<T>(c.input);
  T* out = output<T>();
  if (c.direction == dir::backward) {  // the saved output, outside the timed loop
    simdact::set_isa(current_plan().best_isa());
    use_threads(current_plan().all_threads);
    f.forward(x, scratch<T>(), c.rows, c.cols);
  }
  simdact::set_isa(isa);
  use_threads(c.threads);
  for (auto _ : state) {
    if (c.direction == dir::forward)
      f.forward(x, out, c.rows, c.cols);
    else
      f.backward(scratch<T>(), gradient<T>(), out, c.rows, c.cols);
    benchmark::ClobberMemory();
  }
  set_throughput(state, c, c.direction == dir::forward ? 2 : 3, sizeof(T));
}

// Items are input elements (groups * k); bytes count every stream once.
template <class T>
void run_maxout(benchmark::State& state, const cell& c, simdact::isa isa) {
  const std::size_t groups = c.rows, k = c.cols;
  simdact::set_isa(isa);
  use_threads(c.threads);
  const T* x = input<T>(c.input);
  for (auto _ : state) {
    if (c.direction == dir::forward)
      simdact::maxout(x, output<T>(), groups, k);
    else
      simdact::maxout_backward(x, gradient<T>(), output<T>(), groups, k);
    benchmark::ClobberMemory();
  }
  const auto in = static_cast<int64_t>(groups * k), out = static_cast<int64_t>(groups);
  const int64_t bytes = c.direction == dir::forward ? in + out : 2 * in + out;
  state.SetItemsProcessed(state.iterations() * in);
  state.SetBytesProcessed(state.iterations() * bytes * static_cast<int64_t>(sizeof(T)));
}

template <class T>
void register_type() {
  const plan& p = current_plan();
  for (simdact::isa isa : p.isas)
    for (int threads : p.thread_counts())
      for (dir d : {dir::forward, dir::backward}) {
        cell c;
        c.type = type_name<T>();
        c.direction = d;
        c.impl = simdact_impl(isa);
        c.shaped = true;
        c.threads = threads;
        for (const char* op : softmax_family)
          for (const shape& sh : softmax_shapes) {
            c.op = op;
            c.rows = sh.rows;
            c.cols = sh.cols;
            const softmax_entry<T> f = softmax_entry_for<T>(op);
            add(c, [c, isa, f](benchmark::State& state) { run_softmax<T>(state, c, isa, f); });
          }
        for (std::size_t k : maxout_ks) {
          c.op = "maxout_k" + std::to_string(k);
          c.rows = maxout_input_elements / k;
          c.cols = k;
          add(c, [c, isa](benchmark::State& state) { run_maxout<T>(state, c, isa); });
        }
      }
}

}  // namespace

void register_rowwise() {
  register_type<float>();
  register_type<double>();
}

}  // namespace simdact_bench
