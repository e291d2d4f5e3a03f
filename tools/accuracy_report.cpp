// Measures every registry activation, float and double, forward / backward /
// backward_from_output, on every ISA this CPU runs, over the same inputs as
// tests/test_elementwise_accuracy.cpp (default parameters), and prints a
// markdown table of the maximum ULP error and where it occurs.
//
//   accuracy_report [--quick] [--only NAME] [--params]
//     --quick   every 16381st float bit pattern and 3 * 2^14 doubles
//               (instead of every 1021st and 3 * 2^17)
//     --only    one activation
//     --params  also every non-default parameter variant of tests/reference.hpp
//
// A cell reads "maxULP @ x" (the input where it occurs; for backward the
// largest error among elements where the exact dx is normal and the ULP bound
// is the binding one). "nz E" adds the largest |err| / (eps |dy| df_scale)
// near zeros of f' (bound 8), and "FAIL n" the number of elements outside
// the contract's bounds (see tests/test_elementwise_harness.hpp).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "test_elementwise_harness.hpp"

namespace {

using namespace simdact_test;

template <class T>
std::vector<T> inputs(bool quick) {
  std::vector<T> x;
  if constexpr (std::is_same<T, float>::value)
    x = float_stride_inputs(quick ? 16381 : 1021);
  else
    x = double_random_inputs(quick ? 3 << 14 : 3 << 17, quick ? 0x9a7a : 0xacc0);
  const std::vector<T> hard = hard_points<T>();
  x.insert(x.end(), hard.begin(), hard.end());
  return x;
}

template <class T>
std::string cell(const sweep_result<T>& r) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.3g @ %.9g", double(r.max_ulps), double(r.worst_in));
  std::string s = buf;
  if (r.max_abs_units > 0) {
    std::snprintf(buf, sizeof buf, "; nz %.2g", double(r.max_abs_units));
    s += buf;
  }
  if (r.failures) s += "; **FAIL " + std::to_string(r.failures) + "**";
  return s;
}

template <class T>
void report(activation a, const std::vector<isa>& isas, bool quick, bool all_params, std::vector<std::string>& notes) {
  const std::vector<T> x = inputs<T>(quick);
  std::vector<ref::params> variants = variants_of(a);
  if (!all_params) variants.resize(1);
  for (const ref::params& p : variants) {
    for (direction d : {direction::forward, direction::backward, direction::backward_from_output}) {
      const bool exists =
          d != direction::backward_from_output || visit(a, [](auto tag) { return decltype(tag)::from_output; });
      if (!exists || !direction_allows(a, d, p)) continue;
      const std::vector<sweep_result<T>> results = run_sweeps<T>(a, d, p, x, isas);
      std::string name = activation_name(a);
      if (all_params) name += " (" + params_text(a, params_as<T>(p)) + ")";
      std::printf("| %s | %s | %s |", name.c_str(), type_name<T>(), direction_name(d));
      for (std::size_t k = 0; k < isas.size(); ++k) {
        std::printf(" %s |", cell(results[k]).c_str());
        if (results[k].failures)
          notes.push_back(name + " " + type_name<T>() + " " + direction_name(d) + " " + isa_name(isas[k]) + ": " +
                          describe(results[k], d));
      }
      std::printf("\n");
      std::fflush(stdout);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, all_params = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
    } else if (!std::strcmp(argv[i], "--params")) {
      all_params = true;
    } else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--only NAME] [--params]\n", argv[0]);
      return 2;
    }
  }
  const std::vector<isa> isas = simdact::available_isas();
  std::printf("simdact %s, %s sweeps, %d threads\n\n", std::string(simdact::version()).c_str(),
              quick ? "quick" : "full", simdact::num_threads());
  std::printf("| function | type | direction |");
  for (isa i : isas) std::printf(" %s |", isa_name(i));
  std::printf("\n|---|---|---|");
  for (std::size_t k = 0; k < isas.size(); ++k) std::printf("---|");
  std::printf("\n");
  std::vector<std::string> notes;
  for (const activation_entry& e : registry()) {
    if (!only.empty() && only != e.name) continue;
    report<float>(e.act, isas, quick, all_params, notes);
    report<double>(e.act, isas, quick, all_params, notes);
  }
  if (!notes.empty()) {
    std::printf("\n## Out of bounds\n\n```\n");
    for (const std::string& n : notes) std::printf("%s\n\n", n.c_str());
    std::printf("```\n");
  }
  return notes.empty() ? 0 : 1;
}
