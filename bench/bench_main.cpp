// simdact_bench: Google Benchmark's main plus one flag of ours,
//   --simdact_coverage=quick|standard|full   (default standard)
// which picks the cells registered (see bench_plan.cpp), and context lines
// (CPU model, ISAs, threads, peers, seed) that land in the JSON output.
#include <omp.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "bench_common.hpp"

namespace {

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    // x86: "model name : AMD EPYC ..."; many aarch64 kernels have no model name.
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

// Removes our flag from argv before Google Benchmark sees it.
bool take_coverage(int* argc, char** argv, simdact_bench::coverage* cover) {
  const char* prefix = "--simdact_coverage=";
  int kept = 1;
  bool ok = true;
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp(argv[i], prefix, std::strlen(prefix)) != 0) {
      argv[kept++] = argv[i];
      continue;
    }
    const std::string value = argv[i] + std::strlen(prefix);
    if (value == "quick") {
      *cover = simdact_bench::coverage::quick;
    } else if (value == "standard") {
      *cover = simdact_bench::coverage::standard;
    } else if (value == "full") {
      *cover = simdact_bench::coverage::full;
    } else {
      std::cerr << "simdact_bench: --simdact_coverage must be quick, standard or full, not '" << value << "'\n";
      ok = false;
    }
  }
  *argc = kept;
  argv[kept] = nullptr;
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace simdact_bench;
  plan p;
  if (!take_coverage(&argc, argv, &p.cover)) return 2;
  p.isas = simdact::available_isas();
  p.all_threads = omp_get_num_procs();
  set_plan(p);

  std::string isas;
  for (simdact::isa i : p.isas) isas += (isas.empty() ? "" : " ") + std::string(simdact::name(i));
  const char* coverage_names[] = {"quick", "standard", "full"};
  benchmark::AddCustomContext("cpu_model", cpu_model());
  benchmark::AddCustomContext("simdact_version", std::string(simdact::version()));
  benchmark::AddCustomContext("simdact_isas", isas);
  benchmark::AddCustomContext("simdact_best_isa", std::string(simdact::name(p.best_isa())));
  benchmark::AddCustomContext("all_threads", std::to_string(p.all_threads));
  benchmark::AddCustomContext("coverage", coverage_names[static_cast<int>(p.cover)]);
  benchmark::AddCustomContext("seed", std::to_string(seed));

  register_copy();
  register_elementwise();
#if defined(SIMDACT_BENCH_WITH_ROWWISE)
  register_rowwise();
#endif
#if defined(SIMDACT_BENCH_WITH_ONEDNN)
  register_onednn();
#endif
#if defined(SIMDACT_BENCH_WITH_XNNPACK)
  register_xnnpack();
#endif
#if defined(SIMDACT_BENCH_WITH_EIGEN)
  register_eigen();
#endif

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
