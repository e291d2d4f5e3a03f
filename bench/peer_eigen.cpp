// Peer: Eigen 3.4 (Debian libeigen3-dev) array expressions, forward only, float
// and double. Eigen's elementwise expressions run on one thread; for N threads
// the range is split across OpenMP threads into contiguous pieces, as a user
// would (and as simdact does), and below 32K elements it stays on one thread.
#include <omp.h>

#include <algorithm>
#include <string>

#include "bench_common.hpp"
#include "peer_eigen.hpp"

namespace simdact_bench {
namespace {

template <class T>
void run(benchmark::State& state, const cell& c, eigen_forward_fn<T> f, activation_params params) {
  const std::size_t n = c.elements();
  const T* x = input<T>(c.input);
  T* y = output<T>();
  const int threads = n < (std::size_t{1} << 15) ? 1 : c.threads;
  use_threads(c.threads);
  const auto apply = [&] {
    if (threads == 1) {
      f(x, y, n, params.p0, params.p1);
      return;
    }
    constexpr std::size_t line = 64 / sizeof(T);
    const std::size_t lines = (n + line - 1) / line;
#pragma omp parallel num_threads(threads)
    {
      const auto team = static_cast<std::size_t>(omp_get_num_threads());
      const auto id = static_cast<std::size_t>(omp_get_thread_num());
      const std::size_t begin = std::min(n, lines * id / team * line);
      const std::size_t end = std::min(n, lines * (id + 1) / team * line);
      if (begin < end) f(x + begin, y + begin, end - begin, params.p0, params.p1);
    }
  };
  apply();  // warm-up, and the check
  if (const std::string e = compare_with_simdact(c, y); !e.empty()) return state.SkipWithError(e.c_str());
  for (auto _ : state) {
    apply();
    benchmark::ClobberMemory();
  }
  set_throughput(state, c, 2, sizeof(T));
}

template <class T>
void register_type(const std::string& name, eigen_forward_fn<T> f) {
  if (!f) return;
  const plan& p = current_plan();
  for (std::size_t n : plan::sizes)
    for (int threads : p.thread_counts())
      for (dist input : {dist::uniform, dist::normal}) {
        cell c;
        c.op = name;
        c.type = type_name<T>();
        c.impl = "eigen";
        c.cols = n;
        c.threads = threads;
        c.input = input;
        const activation_params params = default_params(name);
        add(c, [c, f, params](benchmark::State& state) { run<T>(state, c, f, params); });
      }
}

}  // namespace

void register_eigen() {
  benchmark::AddCustomContext("peer_eigen", eigen_version());
  for (std::size_t i = 0; i < simdact::activation_count; ++i) {
    const std::string name(simdact::name(static_cast<simdact::activation>(i)));
    register_type<float>(name, eigen_forward_f32(name.c_str()));
    register_type<double>(name, eigen_forward_f64(name.c_str()));
  }
}

}  // namespace simdact_bench
