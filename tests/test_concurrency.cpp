// Concurrency: the library is called from many std::threads at once, while
// other threads change the thread count or the ISA, and from inside the
// caller's own OpenMP parallel region. Results are compared bit for bit with
// outputs computed beforehand on a quiet library (elementwise results do not
// depend on the thread count; each call must use one ISA throughout).
//
// Under ThreadSanitizer (scripts/sanitize.sh) set SIMDACT_NUM_THREADS=1: the
// thread-count changer then only stores 1, so no OpenMP team is ever started
// (libgomp is not instrumented and would give false reports), and the OpenMP
// region test is filtered out there.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <omp.h>

#include "test_elementwise_harness.hpp"

namespace {

using namespace simdact_test;

// Sizes around the loop driver's vector widths and its parallel threshold (2^15).
const std::size_t kSizes[] = {0, 1, 3, 7, 15, 16, 17, 33, 64, 127, 1000, 4099, 40000, 70001};

// Largest OpenMP thread count the tests may ask for: SIMDACT_NUM_THREADS when set (TSan runs use 1).
int max_threads_allowed() {
  if (const char* env = std::getenv("SIMDACT_NUM_THREADS")) {
    const int v = std::atoi(env);
    if (v >= 1) return v;
  }
  return 4;
}

template <class T>
std::vector<T> mixed_inputs(std::size_t n, std::uint64_t seed) {
  std::vector<T> x(n);
  std::uint64_t s = seed;
  for (std::size_t i = 0; i < n; ++i) x[i] = T(40 * unit_random(s) - 20);
  if (n > 3) {
    x[0] = std::numeric_limits<T>::quiet_NaN();
    x[1] = std::numeric_limits<T>::infinity();
    x[2] = -std::numeric_limits<T>::infinity();
    x[n / 2] = std::numeric_limits<T>::denorm_min();
  }
  return x;
}

// One job: an (activation, direction) on a size, with its inputs and the expected output.
template <class T>
struct job {
  activation act;
  direction dir;
  std::vector<T> in, dy, expected;
};

template <class T>
ref::params default_params(activation a) {
  return params_as<T>(variants_of(a).front());
}

template <class T>
job<T> make_job(activation a, direction d, std::size_t n, std::uint64_t seed) {
  job<T> j{a, d, mixed_inputs<T>(n, seed), dy_values<T>(n), std::vector<T>(n)};
  const ref::params p = default_params<T>(a);
  if (d == direction::backward_from_output) {
    std::vector<T> y(n);
    call(a, direction::forward, j.in.data(), j.dy.data(), y.data(), n, p);
    j.in = y;
  }
  call(a, d, j.in.data(), j.dy.data(), j.expected.data(), n, p);
  return j;
}

template <class T>
bool run_and_compare(const job<T>& j) {
  std::vector<T> out(j.in.size(), T(-7));
  call(j.act, j.dir, j.in.data(), j.dy.data(), out.data(), out.size(), default_params<T>(j.act));
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!same_bits(out[i], j.expected[i])) return false;
  return true;
}

template <class T>
std::vector<job<T>> all_jobs() {
  std::vector<job<T>> jobs;
  std::uint64_t seed = 1;
  for (const activation_direction& ad : all_activation_directions())
    for (std::size_t n : kSizes) jobs.push_back(make_job<T>(ad.act, ad.dir, n, ++seed));
  return jobs;
}

class ThreadCountRestorer {
 public:
  ThreadCountRestorer() : saved_(simdact::num_threads()) {}
  ~ThreadCountRestorer() { simdact::set_num_threads(saved_); }

 private:
  int saved_;
};

class IsaRestorer {
 public:
  IsaRestorer() : saved_(simdact::active_isa()) {}
  ~IsaRestorer() { simdact::set_isa(saved_); }

 private:
  isa saved_;
};

// Every entry point from several threads at once, sizes staggered so that
// different functions and sizes overlap, while another thread keeps changing
// set_num_threads.
template <class T>
void every_entry_point_concurrently() {
  ThreadCountRestorer restore;
  const std::vector<job<T>> jobs = all_jobs<T>();
  const int limit = max_threads_allowed();
  std::atomic<bool> done{false};
  std::thread changer([&] {
    int k = 0;
    while (!done.load()) {
      const int options[] = {1, 2, 0, 3};
      int t = options[k++ % 4];
      if (t > limit || (t == 0 && limit < 4)) t = 1;
      simdact::set_num_threads(t);
      std::this_thread::yield();
    }
  });
  const unsigned callers = 6;
  std::vector<std::size_t> mismatches(callers, 0);
  std::vector<std::thread> threads;
  for (unsigned c = 0; c < callers; ++c)
    threads.emplace_back([&, c] {
      for (std::size_t r = 0; r < jobs.size(); ++r) {
        const job<T>& j = jobs[(r * 7 + c * jobs.size() / callers) % jobs.size()];
        if (!run_and_compare(j)) ++mismatches[c];
      }
    });
  for (std::thread& t : threads) t.join();
  done = true;
  changer.join();
  for (unsigned c = 0; c < callers; ++c) EXPECT_EQ(mismatches[c], 0u) << "caller " << c;
}

TEST(Concurrency, EveryEntryPointWhileThreadCountChangesFloat) { every_entry_point_concurrently<float>(); }
TEST(Concurrency, EveryEntryPointWhileThreadCountChangesDouble) { every_entry_point_concurrently<double>(); }

// set_isa from one thread while others compute: every call's whole output
// equals one ISA's output, never a mix of two.
template <class T>
void set_isa_while_computing() {
  IsaRestorer restore;
  const std::vector<isa> isas = simdact::available_isas();
  ASSERT_FALSE(isas.empty());
  const std::size_t n = 40000;  // above the parallel threshold
  struct per_function {
    activation act;
    direction dir;
    std::vector<T> in, dy;
    std::vector<std::vector<T>> by_isa;
  };
  std::vector<per_function> cases;
  std::uint64_t seed = 99;
  for (const activation_direction& ad : all_activation_directions()) {
    per_function f{ad.act, ad.dir, {}, dy_values<T>(n), {}};
    // The from-output direction takes y; any values in range do for the comparison.
    f.in = mixed_inputs<T>(n, ++seed);
    if (ad.dir == direction::backward_from_output)
      for (T& v : f.in) v = std::isfinite(v) ? T(std::fabs(v) / 20) : v;
    for (isa i : isas) {
      simdact::set_isa(i);
      std::vector<T> out(n);
      call(f.act, f.dir, f.in.data(), f.dy.data(), out.data(), n, default_params<T>(f.act));
      f.by_isa.push_back(std::move(out));
    }
    cases.push_back(std::move(f));
  }
  // The check can only see a mix where ISAs differ: make sure some do.
  std::size_t differing = 0;
  for (const per_function& f : cases)
    for (const std::vector<T>& other : f.by_isa)
      if (std::memcmp(other.data(), f.by_isa.front().data(), n * sizeof(T)) != 0) {
        ++differing;
        break;
      }
  if (isas.size() > 1) {
    EXPECT_GT(differing, 0u) << "every ISA gave the same bits: a mix would go unseen";
  }
  std::atomic<bool> done{false};
  std::thread switcher([&] {
    std::size_t k = 0;
    while (!done.load()) {
      simdact::set_isa(isas[k++ % isas.size()]);
      std::this_thread::yield();
    }
  });
  const unsigned callers = 4;
  std::vector<std::size_t> mixes(callers, 0), calls(callers, 0);
  std::vector<std::thread> threads;
  for (unsigned c = 0; c < callers; ++c)
    threads.emplace_back([&, c] {
      std::vector<T> out(n);
      for (int round = 0; round < 3; ++round)
        for (std::size_t r = 0; r < cases.size(); ++r) {
          const per_function& f = cases[(r + c * 5) % cases.size()];
          call(f.act, f.dir, f.in.data(), f.dy.data(), out.data(), n, default_params<T>(f.act));
          ++calls[c];
          bool matches_one = false;
          for (const std::vector<T>& expected : f.by_isa) {
            bool same = true;
            for (std::size_t i = 0; i < n && same; ++i) same = same_bits(out[i], expected[i]);
            if (same) {
              matches_one = true;
              break;
            }
          }
          if (!matches_one) ++mixes[c];
        }
    });
  for (std::thread& t : threads) t.join();
  done = true;
  switcher.join();
  for (unsigned c = 0; c < callers; ++c) {
    EXPECT_GT(calls[c], 0u);
    EXPECT_EQ(mixes[c], 0u) << "caller " << c << ": outputs that match no single ISA";
  }
}

TEST(Concurrency, SetIsaWhileComputingFloat) { set_isa_while_computing<float>(); }
TEST(Concurrency, SetIsaWhileComputingDouble) { set_isa_while_computing<double>(); }

// Threads of this process (Linux), to see whether a call opened a nested team.
int os_threads() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return -1;
}

// Calls from inside the caller's own OpenMP parallel region, with nesting
// allowed: each call completes, gives the right bits, and starts no nested
// team (the process's thread count stays that of the outer team).
TEST(ConcurrencyOpenMP, CallsFromInsideCallersParallelRegion) {
#ifndef _OPENMP
  FAIL() << "test_concurrency was compiled without OpenMP: link it to OpenMP::OpenMP_CXX";
#endif
  ThreadCountRestorer restore;
  simdact::set_num_threads(4);
  const int saved_levels = omp_get_max_active_levels();
  omp_set_max_active_levels(4);  // nesting allowed: the library itself must decline it
  const std::size_t n = 100000;  // large enough that a top-level call would go parallel
  const job<float> fwd = make_job<float>(activation::gelu, direction::forward, n, 5);
  const job<double> bwd = make_job<double>(activation::swish, direction::backward, n, 6);

  auto body = [&] {
    const int outer = 2;
    std::atomic<int> wrong{0}, bad_level{0}, bad_team{0};
    int threads_after_warmup = -1, threads_max = 0;
#pragma omp parallel num_threads(outer)
    {
#pragma omp barrier
#pragma omp single
      threads_after_warmup = os_threads();
      for (int r = 0; r < 20; ++r) {
        if (!run_and_compare(fwd)) ++wrong;
        if (!run_and_compare(bwd)) ++wrong;
        if (omp_get_level() != 1 || omp_get_active_level() != 1) ++bad_level;
        if (omp_get_num_threads() != outer) ++bad_team;
#pragma omp critical
        threads_max = std::max(threads_max, os_threads());
      }
    }
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(bad_level.load(), 0);
    EXPECT_EQ(bad_team.load(), 0);
    EXPECT_EQ(threads_max, threads_after_warmup) << "a call inside the region started more threads";
    EXPECT_EQ(omp_get_level(), 0);
  };
  // A deadlock would hang ctest until its timeout; fail fast with a message instead.
  std::future<void> finished = std::async(std::launch::async, body);
  if (finished.wait_for(std::chrono::seconds(120)) != std::future_status::ready) {
    ADD_FAILURE() << "calls from inside an OpenMP region did not complete in 120 s";
    std::_Exit(1);
  }
  finished.get();
  omp_set_max_active_levels(saved_levels);
}

// A top-level call after all that still uses a team (the library's team,
// not the caller's) and gives the same bits.
TEST(ConcurrencyOpenMP, TopLevelCallStillCorrectAfterNestedUse) {
  ThreadCountRestorer restore;
  simdact::set_num_threads(2);
  const job<float> j = make_job<float>(activation::tanh, direction::forward, 100000, 9);
  simdact::set_num_threads(1);
  const job<float> serial = make_job<float>(activation::tanh, direction::forward, 100000, 9);
  EXPECT_EQ(0, std::memcmp(j.expected.data(), serial.expected.data(), j.expected.size() * sizeof(float)));
}

}  // namespace
