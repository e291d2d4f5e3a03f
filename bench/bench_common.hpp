// Shared by every benchmark file: the description of one benchmark cell (its
// name is what scripts/report.py parses), the plan that says which cells a run
// covers, the input buffers, and the registration entry points.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <simdact/simdact.hpp>

namespace simdact_bench {

// ---------------------------------------------------------------------------
// Cells. A cell's name is
//   op/type/dir/impl/size/t:THREADS/dist
// e.g. "gelu/f32/fwd/simdact.avx512/n:4096/t:1/uniform" or
// "softmax/f32/fwd/onednn/shape:4096x1024/t:2/uniform". scripts/report.py
// splits it on '/'; Google Benchmark may append "/real_time".
// ---------------------------------------------------------------------------
enum class dist { uniform, normal };  // uniform in [-10, 10], normal(0, 1)
enum class dir { forward, backward, backward_from_output };

struct cell {
  std::string op;    // activation name, "softmax", "maxout_k4", "copy"
  std::string type;  // "f32" or "f64"
  dir direction = dir::forward;
  std::string impl;  // "simdact.<isa>", "onednn", "xnnpack", "eigen", "copy.store", "copy.nt"
  // Elementwise cells have rows = 1 and cols = the element count ("n:COLS");
  // shaped cells (softmax family: rows x cols; maxout: groups x k) are named
  // "shape:ROWSxCOLS".
  std::size_t rows = 1;
  std::size_t cols = 0;
  bool shaped = false;
  int threads = 1;
  dist input = dist::uniform;

  std::size_t elements() const { return rows * cols; }
  std::string name() const;
};

const char* dir_name(dir d);  // "fwd", "bwd", "bwd_y"
template <class T>
const char* type_name();                   // "f32", "f64"
std::string simdact_impl(simdact::isa i);  // "simdact.avx512"

// ---------------------------------------------------------------------------
// The plan: which cells this run registers.
// ---------------------------------------------------------------------------
enum class coverage { quick, standard, full };

struct plan {
  coverage cover = coverage::standard;
  std::vector<simdact::isa> isas;  // available_isas(), scalar first, best last
  int all_threads = 1;             // every core: omp_get_num_procs()

  simdact::isa best_isa() const { return isas.back(); }
  bool wanted(const cell& c) const;

  // The elementwise sizes (L1-, L2- and DRAM-sized buffers) and thread counts
  // that every elementwise family enumerates; wanted() then filters.
  static constexpr std::size_t sizes[] = {std::size_t{1} << 12, std::size_t{1} << 18, std::size_t{1} << 24};
  std::vector<int> thread_counts() const;
};

const plan& current_plan();
void set_plan(const plan& p);

// Registers `body` under c.name() with the run settings every cell shares
// (wall-clock time, since OpenMP threads do the work).
void add(const cell& c, std::function<void(benchmark::State&)> body);

// Items and bytes per iteration: elements, and bytes_per_element * elements.
void set_throughput(benchmark::State& state, const cell& c, std::size_t streams, std::size_t element_size);

// The row-wise shapes (rows x cols, about 10^7 elements each) and maxout's
// group sizes (over 2^22 input elements).
struct shape {
  std::size_t rows;
  std::size_t cols;
};
inline constexpr shape softmax_shapes[] = {{1, 10000000}, {4096, 1024}, {1000000, 8}};
inline constexpr const char* softmax_family[] = {"softmax", "log_softmax", "softmin"};
inline constexpr std::size_t maxout_ks[] = {2, 4, 16};
inline constexpr std::size_t maxout_input_elements = std::size_t{1} << 22;

// An activation's default parameters from the registry (p0 = alpha, p1 =
// beta; 0 where it has fewer), so peers run exactly what simdact runs.
struct activation_params {
  double p0 = 0;
  double p1 = 0;
};
activation_params default_params(const std::string& activation);

// ---------------------------------------------------------------------------
// Buffers: one set per element type, large enough for the biggest cell
// (2^24 elements), 64-byte aligned, filled once with a fixed seed and reused:
// a cell reads a prefix of them. Inputs are never written.
// ---------------------------------------------------------------------------
inline constexpr std::size_t max_elements = std::size_t{1} << 24;
inline constexpr unsigned seed = 20240611u;

template <class T>
const T* input(dist d);  // x: the distribution named, max_elements values
template <class T>
const T* gradient();  // dy: uniform in [-1, 1]
template <class T>
T* output();  // y or dx
template <class T>
T* scratch();  // a second writable buffer (y = f(x) for backward-from-output)

// Sets the OpenMP thread count that oneDNN and the copy roofline use, and
// simdact's; `threads` = 1 or the plan's all_threads.
void use_threads(int threads);

// ---------------------------------------------------------------------------
// Peers are checked before they are timed, so that a table never compares
// different functions: the first 4096 outputs of a peer's cell against
// simdact's (best ISA) for the same cell and buffers, or for softmax against
// a double-precision reference. Agreement: |got - want| <= 1e-3 |want| + 1e-5
// (loose enough for the peers' known tail inaccuracies). Returns "" or what
// differs, for state.SkipWithError.
// ---------------------------------------------------------------------------
template <class T>
std::string compare_with_simdact(const cell& c, const T* got);
std::string compare_with_softmax(const cell& c, bool log, const float* got);

// ---------------------------------------------------------------------------
// Registration, one function per family. Peers are compiled in only when
// CMake found them.
// ---------------------------------------------------------------------------
void register_elementwise();
void register_copy();
void register_rowwise();
void register_onednn();
void register_xnnpack();
void register_eigen();

}  // namespace simdact_bench
