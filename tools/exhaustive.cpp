// Every one of the 2^32 float inputs through one unary activation, forward
// and/or backward (dy = 1), on one ISA, judged against tests/reference.hpp with
// the test harness's contract bounds. Prints the largest ULP error where the
// exact result is normal (and the input where it occurs), the largest
// absolute error near zeros of f' in eps*|dy|*df_scale units, and the number of
// elements outside the contract. Not part of CI (minutes per function).
//   exhaustive --function sigmoid [--direction forward|backward|both] [--isa avx512]
//              [--threads N] [--param0 v] [--param1 v] [--stride CHUNKS]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_elementwise_harness.hpp"

namespace {

using namespace simdact_test;

struct options {
  activation act = activation::sigmoid;
  std::vector<direction> dirs = {direction::forward, direction::backward};
  isa target = simdact::active_isa();
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  ref::params p;
  bool have_p0 = false, have_p1 = false;
  std::uint64_t stride = 1;  // every stride-th chunk of 2^16 patterns (a quick look; 1 = all)
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "exhaustive: %s\nusage: exhaustive --function NAME [--direction forward|backward|both] "
               "[--isa NAME] [--threads N] [--param0 V] [--param1 V] [--stride CHUNKS]\n",
               why);
  std::exit(2);
}

options parse(int argc, char** argv) {
  options o;
  bool have_function = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + a).c_str());
    const std::string v = argv[++i];
    if (a == "--function") {
      const auto f = simdact::parse_activation(v);
      if (!f) usage(("unknown function " + v).c_str());
      o.act = *f, have_function = true;
    } else if (a == "--isa") {
      const auto t = simdact::parse_isa(v);
      if (!t || !isa_available(*t)) usage(("ISA not available: " + v).c_str());
      o.target = *t;
    } else if (a == "--direction") {
      if (v == "forward")
        o.dirs = {direction::forward};
      else if (v == "backward")
        o.dirs = {direction::backward};
      else if (v == "both")
        o.dirs = {direction::forward, direction::backward};
      else
        usage("direction must be forward, backward or both");
    } else if (a == "--threads") {
      o.threads = unsigned(std::max(1, std::atoi(v.c_str())));
    } else if (a == "--stride") {
      o.stride = std::max(1ull, std::strtoull(v.c_str(), nullptr, 10));
    } else if (a == "--param0") {
      o.p.p0 = std::strtold(v.c_str(), nullptr), o.have_p0 = true;
    } else if (a == "--param1") {
      o.p.p1 = std::strtold(v.c_str(), nullptr), o.have_p1 = true;
    } else {
      usage(("unknown option " + a).c_str());
    }
  }
  if (!have_function) usage("--function is required");
  const ref::params def = variants_of(o.act).front();
  if (!o.have_p0) o.p.p0 = def.p0;
  if (!o.have_p1) o.p.p1 = def.p1;
  return o;
}

// Returns the number of elements outside the contract.
std::size_t run(const options& o, direction d) {
  const ref::params p = params_as<float>(o.p);
  const bool fused = isa_fuses(o.target);
  constexpr std::uint64_t total = std::uint64_t(1) << 32, chunk = 1 << 16;
  std::atomic<std::uint64_t> next{0};
  std::mutex m;
  sweep_result<float> all;
  const auto start = std::chrono::steady_clock::now();
  auto work = [&] {
    std::vector<float> x(chunk), dy(chunk, 1.0f), out(chunk);
    sweep_result<float> mine;
    for (std::uint64_t base; (base = next.fetch_add(chunk * o.stride)) < total;) {
      for (std::uint64_t i = 0; i < chunk; ++i) x[i] = from_bits<float>(std::uint32_t(base + i));
      call(o.act, d, x.data(), dy.data(), out.data(), chunk, p);
      for (std::uint64_t i = 0; i < chunk; ++i) {
        const verdict v = assess(expect_of(o.act, d, p, x[i], dy[i]), out[i], fused);
        ++mine.count;
        if (std::fabs(v.exact) >= min_normal_v<float> && !v.cancelling && !v.special && v.ulps > mine.max_ulps)
          mine.max_ulps = v.ulps, mine.worst_in = x[i], mine.worst_dy = dy[i], mine.worst_out = out[i],
          mine.worst_exact = v.exact;
        if (v.cancelling && v.abs_units > mine.max_abs_units)
          mine.max_abs_units = v.abs_units, mine.worst_abs_in = x[i];
        if (!v.ok) {
          ++mine.failures;
          if (mine.first.size() < 12) mine.first.push_back({x[i], dy[i], out[i], v.exact, v.ulps});
        }
      }
    }
    std::lock_guard<std::mutex> lock(m);
    all.merge(mine);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < o.threads; ++t) pool.emplace_back(work);
  for (std::thread& t : pool) t.join();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s %s float isa=%s %s: %s [%.0f s, %u threads]\n", activation_name(o.act).c_str(), direction_name(d),
              isa_name(o.target), params_text(o.act, p).c_str(), describe(all, d).c_str(), secs, o.threads);
  return all.failures;
}

}  // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  simdact::set_isa(o.target);
  simdact::set_num_threads(1);  // parallel over chunks here, one library thread per caller
  std::size_t failures = 0;
  for (direction d : o.dirs) failures += run(o, d);
  return failures ? 1 : 0;
}
