// Peer: XNNPACK 2022-02 (Debian libxnnpack-dev), float forward only (it has
// no backward operators). Operators it has for our activations: sigmoid, elu,
// leaky_relu, clamp (relu = clamp(0, +inf), hard_tanh = clamp(min, max)) and
// softmax; no tanh, gelu, swish, selu, hard_sigmoid or log_softmax in this
// version. Threads: a pthreadpool of N threads (none for 1 thread).
#include <xnnpack.h>

#include <pthreadpool.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bench_common.hpp"

namespace simdact_bench {
namespace {

// Creates an elementwise operator for contiguous data (channels = strides = 1,
// so XNNPACK treats the batch as one flat range) or returns null.
using create_fn = std::function<xnn_status(xnn_operator_t*)>;
using setup_fn = xnn_status (*)(xnn_operator_t, size_t, const float*, float*, pthreadpool_t);

struct unary_op {
  std::string name;
  create_fn create;
  setup_fn setup;
};

std::vector<unary_op> unary_ops() {
  const float inf = std::numeric_limits<float>::infinity();
  const auto leaky_alpha = static_cast<float>(default_params("leaky_relu").p0);
  const auto elu_alpha = static_cast<float>(default_params("elu").p0);
  const auto tanh_min = static_cast<float>(default_params("hard_tanh").p0);
  const auto tanh_max = static_cast<float>(default_params("hard_tanh").p1);
  return {
      {"sigmoid", [](xnn_operator_t* op) { return xnn_create_sigmoid_nc_f32(1, 1, 1, 0, op); },
       xnn_setup_sigmoid_nc_f32},
      {"elu", [=](xnn_operator_t* op) { return xnn_create_elu_nc_f32(1, 1, 1, elu_alpha, 0, op); },
       xnn_setup_elu_nc_f32},
      {"leaky_relu", [=](xnn_operator_t* op) { return xnn_create_leaky_relu_nc_f32(1, 1, 1, leaky_alpha, 0, op); },
       xnn_setup_leaky_relu_nc_f32},
      {"relu", [=](xnn_operator_t* op) { return xnn_create_clamp_nc_f32(1, 1, 1, 0.f, inf, 0, op); },
       xnn_setup_clamp_nc_f32},
      {"hard_tanh", [=](xnn_operator_t* op) { return xnn_create_clamp_nc_f32(1, 1, 1, tanh_min, tanh_max, 0, op); },
       xnn_setup_clamp_nc_f32},
  };
}

struct pool_deleter {
  void operator()(pthreadpool_t p) const { pthreadpool_destroy(p); }
};
using pool_ptr = std::unique_ptr<std::remove_pointer_t<pthreadpool_t>, pool_deleter>;
struct op_deleter {
  void operator()(xnn_operator_t op) const { xnn_delete_operator(op); }
};
using op_ptr = std::unique_ptr<std::remove_pointer_t<xnn_operator_t>, op_deleter>;

// The pool lives for one cell only, so its idle workers never compete with
// the OpenMP threads of the next one.
pool_ptr make_pool(int threads) {
  return pool_ptr(threads > 1 ? pthreadpool_create(static_cast<size_t>(threads)) : nullptr);
}

// `check` compares the first outputs with simdact's or a reference.
template <class Setup, class Check>
void run(benchmark::State& state, const cell& c, const create_fn& create, Setup setup, Check check) {
  pool_ptr pool = make_pool(c.threads);
  xnn_operator_t raw = nullptr;
  if (create(&raw) != xnn_status_success) {
    state.SkipWithError("XNNPACK: operator creation failed");
    return;
  }
  op_ptr op(raw);
  if (setup(op.get(), input<float>(c.input), output<float>(), pool.get()) != xnn_status_success) {
    state.SkipWithError("XNNPACK: operator setup failed");
    return;
  }
  if (xnn_run_operator(op.get(), pool.get()) != xnn_status_success) {  // warm-up, and the check
    state.SkipWithError("XNNPACK: run failed");
    return;
  }
  if (const std::string e = check(output<float>()); !e.empty()) return state.SkipWithError(e.c_str());
  for (auto _ : state) {
    if (xnn_run_operator(op.get(), pool.get()) != xnn_status_success) {
      state.SkipWithError("XNNPACK: run failed");
      break;
    }
  }
  set_throughput(state, c, 2, sizeof(float));
}

}  // namespace

void register_xnnpack() {
  if (xnn_initialize(nullptr) != xnn_status_success) {
    benchmark::AddCustomContext("peer_xnnpack", "unavailable (xnn_initialize failed)");
    return;
  }
  benchmark::AddCustomContext("peer_xnnpack", "2022-02 (Debian libxnnpack-dev)");
  const plan& p = current_plan();
  for (const unary_op& u : unary_ops())
    for (std::size_t n : plan::sizes)
      for (int threads : p.thread_counts())
        for (dist input : {dist::uniform, dist::normal}) {
          cell c;
          c.op = u.name;
          c.type = "f32";
          c.impl = "xnnpack";
          c.cols = n;
          c.threads = threads;
          c.input = input;
          add(c, [c, u](benchmark::State& state) {
            run(
                state, c, u.create,
                [&](xnn_operator_t op, const float* x, float* y, pthreadpool_t pool) {
                  return u.setup(op, c.elements(), x, y, pool);
                },
                [&](const float* y) { return compare_with_simdact(c, y); });
          });
        }
  for (const shape& sh : softmax_shapes)
    for (int threads : p.thread_counts()) {
      cell c;
      c.op = "softmax";
      c.type = "f32";
      c.impl = "xnnpack";
      c.rows = sh.rows;
      c.cols = sh.cols;
      c.shaped = true;
      c.threads = threads;
      add(c, [c](benchmark::State& state) {
        const auto channels = static_cast<size_t>(c.cols);
        run(
            state, c,
            [channels](xnn_operator_t* op) { return xnn_create_softmax_nc_f32(channels, channels, channels, 0, op); },
            [&](xnn_operator_t op, const float* x, float* y, pthreadpool_t pool) {
              return xnn_setup_softmax_nc_f32(op, c.rows, x, y, pool);
            },
            [&](const float* y) { return compare_with_softmax(c, false, y); });
      });
    }
}

}  // namespace simdact_bench
