// simdact_bench: Google Benchmark's main plus two flags of ours,
//   --simdact_coverage=quick|standard|full   (default standard)
// which picks the cells registered (see bench_plan.cpp), and
//   --simdact_isa=sse2|avx2|...              (default: every ISA the CPU has)
// which caps simdact's ISAs and oneDNN's (ONEDNN_MAX_CPU_ISA) alike and leaves
// out the peers that cannot be capped at run time (XNNPACK, Eigen), and context
// lines (CPU model, ISAs, threads, peers, seed) that land in the JSON output.
#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

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

// Removes our flags from argv before Google Benchmark sees them.
bool take_flags(int* argc, char** argv, simdact_bench::coverage* cover, std::string* isa_cap) {
  const char* prefix = "--simdact_coverage=";
  const char* isa_prefix = "--simdact_isa=";
  int kept = 1;
  bool ok = true;
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp(argv[i], isa_prefix, std::strlen(isa_prefix)) == 0) {
      *isa_cap = argv[i] + std::strlen(isa_prefix);
      continue;
    }
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

// Keeps the ISAs up to the named one (in simdact's order, scalar first) and
// caps oneDNN there too; its variable is read when its first primitive is made.
bool cap_isas(const std::string& name, std::vector<simdact::isa>* isas) {
  std::vector<simdact::isa> kept;
  for (simdact::isa i : *isas) {
    kept.push_back(i);
    if (name == simdact::name(i)) {
      *isas = kept;
      const char* onednn = name == "avx512" ? "AVX512_CORE" : name == "avx2" ? "AVX2" : "SSE41";
      setenv("ONEDNN_MAX_CPU_ISA", onednn, 1);
      return true;
    }
  }
  std::cerr << "simdact_bench: --simdact_isa=" << name << " is not among this CPU's ISAs\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace simdact_bench;
  plan p;
  std::string isa_cap;
  if (!take_flags(&argc, argv, &p.cover, &isa_cap)) return 2;
  p.isas = simdact::available_isas();
  if (!isa_cap.empty() && !cap_isas(isa_cap, &p.isas)) return 2;
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
  if (!isa_cap.empty()) benchmark::AddCustomContext("isa_cap", isa_cap);

  register_copy();
  register_elementwise();
#if defined(SIMDACT_BENCH_WITH_ROWWISE)
  register_rowwise();
#endif
#if defined(SIMDACT_BENCH_WITH_ONEDNN)
  register_onednn();
#endif
#if defined(SIMDACT_BENCH_WITH_XNNPACK)
  if (isa_cap.empty()) register_xnnpack();
#endif
#if defined(SIMDACT_BENCH_WITH_EIGEN)
  if (isa_cap.empty()) register_eigen();
#endif

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
