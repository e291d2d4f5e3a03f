// Peer: oneDNN 2.6 (Debian libdnnl-dev), float only (its CPU engine has no
// double eltwise). Eltwise forward and backward (from x, and from y through
// the *_use_dst_for_bwd algorithms), softmax and logsoftmax (softmax_v2) with
// their backward. Threads: Debian builds oneDNN with OpenMP, so the thread
// count is omp_set_num_threads (use_threads). Primitives are created outside
// the timed loop.
#include <oneapi/dnnl/dnnl_version.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench_common.hpp"

namespace simdact_bench {
namespace {

using dnnl::algorithm;

// simdact's activation -> the oneDNN algorithm with the same function and
// parameters. Not in 2.6: hard_sigmoid (3.0), selu, tanh_shrink.
struct eltwise_op {
  algorithm forward;
  algorithm from_output;  // algorithm::undef: none
  float alpha;
  float beta;
};

std::vector<std::pair<std::string, eltwise_op>> eltwise_ops() {
  const auto p = [](const char* name) { return default_params(name); };
  const auto f = [](double v) { return static_cast<float>(v); };
  return {
      {"relu", {algorithm::eltwise_relu, algorithm::eltwise_relu_use_dst_for_bwd, 0.f, 0.f}},
      {"leaky_relu", {algorithm::eltwise_relu, algorithm::eltwise_relu_use_dst_for_bwd, f(p("leaky_relu").p0), 0.f}},
      {"elu", {algorithm::eltwise_elu, algorithm::eltwise_elu_use_dst_for_bwd, f(p("elu").p0), 0.f}},
      {"tanh", {algorithm::eltwise_tanh, algorithm::eltwise_tanh_use_dst_for_bwd, 0.f, 0.f}},
      {"sigmoid", {algorithm::eltwise_logistic, algorithm::eltwise_logistic_use_dst_for_bwd, 0.f, 0.f}},
      {"gelu", {algorithm::eltwise_gelu_erf, algorithm::undef, 0.f, 0.f}},
      {"gelu_tanh", {algorithm::eltwise_gelu_tanh, algorithm::undef, 0.f, 0.f}},
      {"swish", {algorithm::eltwise_swish, algorithm::undef, f(p("swish").p0), 0.f}},
      // clip_v2, unlike clip, has hard_tanh's zero gradient at both bounds.
      {"hard_tanh",
       {algorithm::eltwise_clip_v2, algorithm::eltwise_clip_v2_use_dst_for_bwd, f(p("hard_tanh").p0),
        f(p("hard_tanh").p1)}},
  };
}

struct context {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
};
context& ctx() {
  static context c;
  return c;
}

dnnl::memory wrap(const dnnl::memory::desc& md, const float* p) {
  return dnnl::memory(md, ctx().engine, const_cast<float*>(p));
}

void run_eltwise(benchmark::State& state, const cell& c, const eltwise_op& op) {
  using namespace dnnl;
  const std::size_t n = c.elements();
  const memory::desc md({static_cast<memory::dim>(n)}, memory::data_type::f32, memory::format_tag::a);
  const float* x = input<float>(c.input);
  float* out = output<float>();
  use_threads(c.threads);
  const eltwise_forward::primitive_desc fwd_pd(
      eltwise_forward::desc(prop_kind::forward_training, op.forward, md, op.alpha, op.beta), ctx().engine);
  stream& s = ctx().stream;
  if (c.direction == dir::forward) {
    eltwise_forward fwd(fwd_pd);
    const std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(md, x)}, {DNNL_ARG_DST, wrap(md, out)}};
    fwd.execute(s, args);  // warm-up, and the check
    s.wait();
    if (const std::string e = compare_with_simdact(c, out); !e.empty()) return state.SkipWithError(e.c_str());
    for (auto _ : state) {
      fwd.execute(s, args);
      s.wait();
    }
    set_throughput(state, c, 2, sizeof(float));
    return;
  }
  const bool from_y = c.direction == dir::backward_from_output;
  const float* data = x;
  if (from_y) {  // the saved output, by oneDNN's own forward
    eltwise_forward(fwd_pd).execute(s, {{DNNL_ARG_SRC, wrap(md, x)}, {DNNL_ARG_DST, wrap(md, scratch<float>())}});
    s.wait();
    data = scratch<float>();
  }
  const eltwise_backward::primitive_desc bwd_pd(
      eltwise_backward::desc(from_y ? op.from_output : op.forward, md, md, op.alpha, op.beta), ctx().engine, fwd_pd);
  eltwise_backward bwd(bwd_pd);
  const std::unordered_map<int, memory> args{{from_y ? DNNL_ARG_DST : DNNL_ARG_SRC, wrap(md, data)},
                                             {DNNL_ARG_DIFF_DST, wrap(md, gradient<float>())},
                                             {DNNL_ARG_DIFF_SRC, wrap(md, out)}};
  bwd.execute(s, args);
  s.wait();
  if (const std::string e = compare_with_simdact(c, out); !e.empty()) return state.SkipWithError(e.c_str());
  for (auto _ : state) {
    bwd.execute(s, args);
    s.wait();
  }
  set_throughput(state, c, 3, sizeof(float));
}

void run_softmax(benchmark::State& state, const cell& c, algorithm alg) {
  using namespace dnnl;
  const memory::desc md({static_cast<memory::dim>(c.rows), static_cast<memory::dim>(c.cols)}, memory::data_type::f32,
                        memory::format_tag::ab);
  const float* x = input<float>(c.input);
  float* out = output<float>();
  use_threads(c.threads);
  stream& s = ctx().stream;
  const softmax_v2_forward::primitive_desc fwd_pd(softmax_v2_forward::desc(prop_kind::forward_training, alg, md, md, 1),
                                                  ctx().engine);
  softmax_v2_forward fwd(fwd_pd);
  if (c.direction == dir::forward) {
    const std::unordered_map<int, memory> args{{DNNL_ARG_SRC, wrap(md, x)}, {DNNL_ARG_DST, wrap(md, out)}};
    fwd.execute(s, args);
    s.wait();
    const std::string e = compare_with_softmax(c, alg == algorithm::softmax_log, out);
    if (!e.empty()) return state.SkipWithError(e.c_str());
    for (auto _ : state) {
      fwd.execute(s, args);
      s.wait();
    }
    set_throughput(state, c, 2, sizeof(float));
    return;
  }
  fwd.execute(s, {{DNNL_ARG_SRC, wrap(md, x)}, {DNNL_ARG_DST, wrap(md, scratch<float>())}});
  s.wait();
  const softmax_v2_backward::primitive_desc bwd_pd(softmax_v2_backward::desc(alg, md, md, md, 1), ctx().engine, fwd_pd);
  softmax_v2_backward bwd(bwd_pd);
  const std::unordered_map<int, memory> args{{DNNL_ARG_DST, wrap(md, scratch<float>())},
                                             {DNNL_ARG_DIFF_DST, wrap(md, gradient<float>())},
                                             {DNNL_ARG_DIFF_SRC, wrap(md, out)}};
  bwd.execute(s, args);  // warm-up
  s.wait();
  for (auto _ : state) {
    bwd.execute(s, args);
    s.wait();
  }
  set_throughput(state, c, 3, sizeof(float));
}

// The ISA oneDNN runs with (ONEDNN_MAX_CPU_ISA caps it), named as that variable spells it.
std::string onednn_isa_name(dnnl_cpu_isa_t isa) {
  switch (isa) {
    case dnnl_cpu_isa_sse41:
      return "SSE41";
    case dnnl_cpu_isa_avx:
      return "AVX";
    case dnnl_cpu_isa_avx2:
      return "AVX2";
    case dnnl_cpu_isa_avx512_core:
      return "AVX512_CORE";
    case dnnl_cpu_isa_avx512_core_vnni:
      return "AVX512_CORE_VNNI";
    case dnnl_cpu_isa_avx512_core_bf16:
      return "AVX512_CORE_BF16";
    default:
      return "code " + std::to_string(static_cast<int>(isa));
  }
}

}  // namespace

void register_onednn() {
  const dnnl_version_t* v = dnnl_version();
  const bool omp = v->cpu_runtime == DNNL_RUNTIME_OMP;
  benchmark::AddCustomContext("peer_onednn", std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                                                 std::to_string(v->patch) + (omp ? " (OpenMP)" : " (not OpenMP)") +
                                                 ", ISA " + onednn_isa_name(dnnl_get_effective_cpu_isa()));
  const plan& p = current_plan();
  for (const auto& [name, op] : eltwise_ops())
    for (dir d : {dir::forward, dir::backward, dir::backward_from_output}) {
      if (d == dir::backward_from_output && op.from_output == algorithm::undef) continue;
      for (std::size_t n : plan::sizes)
        for (int threads : p.thread_counts())
          for (dist input : {dist::uniform, dist::normal}) {
            cell c;
            c.op = name;
            c.type = "f32";
            c.direction = d;
            c.impl = "onednn";
            c.cols = n;
            c.threads = threads;
            c.input = input;
            add(c, [c, op = op](benchmark::State& state) { run_eltwise(state, c, op); });
          }
    }
  const std::pair<const char*, algorithm> softmaxes[] = {{"softmax", algorithm::softmax_accurate},
                                                         {"log_softmax", algorithm::softmax_log}};
  for (const auto& [name, alg] : softmaxes)
    for (dir d : {dir::forward, dir::backward})
      for (const shape& sh : softmax_shapes)
        for (int threads : p.thread_counts()) {
          cell c;
          c.op = name;
          c.type = "f32";
          c.direction = d;
          c.impl = "onednn";
          c.rows = sh.rows;
          c.cols = sh.cols;
          c.shaped = true;
          c.threads = threads;
          add(c, [c, alg = alg](benchmark::State& state) { run_softmax(state, c, alg); });
        }
}

}  // namespace simdact_bench
