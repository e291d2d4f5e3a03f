// Cell names and the plan: which of the full matrix a run measures. The full
// matrix (every activation x type x direction x ISA x size x thread count x
// input distribution, every peer) takes hours on a small machine; the standard
// run keeps what the report needs and fits in a few minutes on 2 cores.
#include <string>
#include <utility>

#include "bench_common.hpp"

namespace simdact_bench {
namespace {

plan g_plan;

constexpr std::size_t l1_size = plan::sizes[0];
constexpr std::size_t l2_size = plan::sizes[1];

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// What the standard run covers; see the README's "Benchmarks" section.
bool standard_wants(const plan& p, const cell& c) {
  const bool simdact = starts_with(c.impl, "simdact.");
  const bool best = c.impl == simdact_impl(p.best_isa());
  const bool scalar = c.impl == simdact_impl(simdact::isa::scalar);
  const bool copy = starts_with(c.impl, "copy.");
  const bool peer = !simdact && !copy;
  const bool f32 = c.type == "f32";
  const bool one_thread = c.threads == 1;
  const std::size_t n = c.elements();

  if (c.input == dist::normal) {
    // Does speed depend on the data? Forward, float, L2-sized, one thread.
    return !c.shaped && f32 && c.direction == dir::forward && one_thread && n == l2_size && (best || scalar || peer);
  }
  if (copy) return one_thread || n > l1_size;
  if (c.shaped) {  // softmax family and maxout, float: best ISA, scalar and peers
    if (!f32) return false;
    return one_thread ? (best || scalar || peer) : (best || peer) && c.direction == dir::forward;
  }
  if (simdact) {
    // Every ISA at the L2 size; the best one and scalar at the L1 and DRAM
    // sizes, but no double scalar at the DRAM size: those cells alone would
    // take minutes, and a compute-bound loop runs as fast there as at L2.
    if (one_thread) return n == l2_size || best || (scalar && (n == l1_size || f32));
    return best && f32 && c.direction != dir::backward_from_output && n > l1_size;
  }
  // Peers: float everywhere (oneDNN and XNNPACK have no double), Eigen's
  // double in cache only; with all threads, forward and the larger sizes.
  if (one_thread) return f32 || n <= l2_size;
  return f32 && c.direction == dir::forward && n > l1_size;
}

bool quick_wants(const plan& p, const cell& c) {
  const bool simdact = starts_with(c.impl, "simdact.");
  const bool chosen = !simdact || c.impl == simdact_impl(p.best_isa()) || c.impl == simdact_impl(simdact::isa::scalar);
  if (c.shaped) return chosen && c.threads == 1 && c.type == "f32" && c.rows == 4096;
  return chosen && c.type == "f32" && c.direction == dir::forward && c.threads == 1 && c.input == dist::uniform &&
         c.elements() <= l2_size;
}

}  // namespace

const char* dir_name(dir d) {
  switch (d) {
    case dir::forward:
      return "fwd";
    case dir::backward:
      return "bwd";
    case dir::backward_from_output:
      return "bwd_y";
  }
  return "?";
}

template <>
const char* type_name<float>() {
  return "f32";
}
template <>
const char* type_name<double>() {
  return "f64";
}

std::string simdact_impl(simdact::isa i) { return "simdact." + std::string(simdact::name(i)); }

std::string cell::name() const {
  std::string size =
      shaped ? "shape:" + std::to_string(rows) + "x" + std::to_string(cols) : "n:" + std::to_string(cols);
  return op + "/" + type + "/" + dir_name(direction) + "/" + impl + "/" + size + "/t:" + std::to_string(threads) + "/" +
         (input == dist::uniform ? "uniform" : "normal");
}

std::vector<int> plan::thread_counts() const {
  if (all_threads <= 1) return {1};
  return {1, all_threads};
}

bool plan::wanted(const cell& c) const {
  switch (cover) {
    case coverage::quick:
      return quick_wants(*this, c);
    case coverage::standard:
      return standard_wants(*this, c);
    case coverage::full:
      return true;
  }
  return false;
}

const plan& current_plan() { return g_plan; }
void set_plan(const plan& p) { g_plan = p; }

void add(const cell& c, std::function<void(benchmark::State&)> body) {
  if (!g_plan.wanted(c)) return;
  benchmark::RegisterBenchmark(c.name().c_str(), [body = std::move(body)](benchmark::State& state) {
    body(state);
  })->UseRealTime();
}

void set_throughput(benchmark::State& state, const cell& c, std::size_t streams, std::size_t element_size) {
  const auto n = static_cast<int64_t>(c.elements());
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<int64_t>(streams * element_size));
}

}  // namespace simdact_bench
