// Non-default parameters (every variant in reference.hpp after the default:
// leaky_relu / elu alpha incl. 0 and negative, swish beta incl. 0 and
// negative, hard_tanh bounds incl. min == max, hard_sigmoid slope / offset
// incl. PyTorch's 1/6 and a negative slope), on a smaller sweep than the
// default parameters get: every 16381st float bit pattern (262k) or 3 * 2^14
// random doubles (both thinned by SIMDACT_TEST_SCALE), plus the hard points.
// Then swish's dbeta: against a long double sum of the reference d swish /
// d beta, and the same bits for 1, 2 and 3 threads.
#include <gtest/gtest.h>

#include "isa_fixture.hpp"
#include "test_elementwise_harness.hpp"

namespace simdact_test {
namespace {

struct params_case {
  activation act;
  direction dir;
  isa target;
  bool is_double;
};

std::vector<params_case> param_cases() {
  std::vector<params_case> out;
  for (const activation_direction& ad : all_activation_directions()) {
    if (variants_of(ad.act).size() < 2) continue;  // no parameters
    for (bool dbl : {false, true})
      for (isa i : isas_under_test()) out.push_back({ad.act, ad.dir, i, dbl});
  }
  return out;
}

std::string params_case_name(const testing::TestParamInfo<params_case>& info) {
  const params_case& c = info.param;
  return activation_name(c.act) + "_" + direction_name(c.dir) + "_" + (c.is_double ? "double" : "float") + "_" +
         isa_name(c.target);
}

template <class T>
std::vector<T> small_sweep_inputs() {
  std::vector<T> x;
  if constexpr (std::is_same<T, float>::value) {
    x = float_stride_inputs(scaled_stride(16381));
  } else {
    x = double_random_inputs(scaled_count(3 << 14), 0x9a7a);
  }
  const std::vector<T> hard = hard_points<T>();
  x.insert(x.end(), hard.begin(), hard.end());
  return x;
}

class NonDefaultParams : public isa_fixture<params_case> {
 protected:
  template <class T>
  void run() {
    const params_case& c = GetParam();
    const std::vector<T> x = small_sweep_inputs<T>();
    const std::vector<ref::params> variants = variants_of(c.act);
    int tested = 0;
    for (std::size_t v = 1; v < variants.size(); ++v) {
      if (!direction_allows(c.act, c.dir, variants[v])) continue;  // an error case (test_api)
      const sweep_result<T> r = run_sweep<T>(c.act, c.dir, variants[v], x, c.target);
      EXPECT_EQ(r.failures, 0u) << activation_name(c.act) << " " << params_text(c.act, variants[v]) << " "
                                << direction_name(c.dir) << " " << type_name<T>() << " " << isa_name(c.target) << ": "
                                << describe(r, c.dir);
      ++tested;
    }
    EXPECT_GT(tested, 0);
  }
};

TEST_P(NonDefaultParams, Sweep) {
  if (GetParam().is_double)
    run<double>();
  else
    run<float>();
}

INSTANTIATE_TEST_SUITE_P(Elementwise, NonDefaultParams, testing::ValuesIn(param_cases()), params_case_name);

// ---------------------------------------------------------------------------
// swish_backward's dbeta = sum_i dy[i] d swish(x[i]) / d beta.
// ---------------------------------------------------------------------------
struct dbeta_case {
  isa target;
  bool is_double;
};

std::vector<dbeta_case> dbeta_cases() {
  std::vector<dbeta_case> out;
  for (bool dbl : {false, true})
    for (isa i : isas_under_test()) out.push_back({i, dbl});
  return out;
}

std::string dbeta_case_name(const testing::TestParamInfo<dbeta_case>& info) {
  return std::string(info.param.is_double ? "double" : "float") + "_" + isa_name(info.param.target);
}

// Finite inputs where swish and its beta gradient are interesting: mostly
// [-20, 20], some tails and tiny values.
template <class T>
std::vector<T> dbeta_inputs(std::size_t n, std::uint64_t seed) {
  std::vector<T> x(n);
  std::uint64_t s = seed;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = unit_random(s);
    switch (i % 5) {
      case 0:
        x[i] = T(std::ldexp(u - 0.5, -int(unit_random(s) * 60)));
        break;
      case 1:
        x[i] = T((u - 0.5) * 400);
        break;
      default:
        x[i] = T((u - 0.5) * 40);
        break;
    }
  }
  return x;
}

class SwishDbeta : public isa_fixture<dbeta_case> {
 protected:
  // The library's dbeta against sum dy * d/dbeta in long double: each term may
  // be off by 8 ulp, and the sum by what a T accumulation of a few hundred
  // terms per lane loses: 64 eps sum |terms| (random signs: far looser than
  // needed in practice, far tighter than a wrong formula).
  template <class T>
  void check_against_reference(std::size_t n, T beta) {
    const std::vector<T> x = dbeta_inputs<T>(n, 0xdb + n);
    const std::vector<T> dy = dy_values<T>(n);
    std::vector<T> dx(n), dx_plain(n);
    T dbeta = T(-12345);
    simdact::swish_backward(x.data(), dy.data(), dx.data(), n, beta, &dbeta);
    simdact::swish_backward(x.data(), dy.data(), dx_plain.data(), n, beta);
    const ref::params p{real(beta), 0};
    real sum = 0, sum_abs = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const real t = real(dy[i]) * ref::of<activation::swish>::dbeta(real(x[i]), p);
      sum += t;
      sum_abs += std::fabs(t);
      ASSERT_TRUE(same_bits(dx[i], dx_plain[i])) << "dx differs with dbeta requested at i=" << i;
    }
    const real tol = 64 * eps_v<T> * sum_abs + 0.5L * ulp_of<T>(sum);
    EXPECT_LE(std::fabs(real(dbeta) - sum), tol)
        << "n=" << n << " beta=" << beta << " dbeta=" << dbeta << " reference=" << exact_text(sum)
        << " sum|terms|=" << exact_text(sum_abs);
  }

  template <class T>
  void run_reference_sums() {
    for (T beta : {T(1), T(0), T(-1), T(0.5), T(1.702), T(10)}) {
      for (std::size_t n : {1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 70, 4095, 4096, 4097, 100003})
        check_against_reference<T>(n, beta);
    }
  }

  template <class T>
  void run_thread_invariance() {
    const std::size_t n = 100003;
    const std::vector<T> x = dbeta_inputs<T>(n, 7);
    const std::vector<T> dy = dy_values<T>(n);
    std::vector<T> dx1(n), dx(n);
    T dbeta1 = 0;
    simdact::set_num_threads(1);
    simdact::swish_backward(x.data(), dy.data(), dx1.data(), n, T(1.25), &dbeta1);
    for (int threads : {2, 3, 0}) {
      simdact::set_num_threads(threads);
      T dbeta = 0;
      simdact::swish_backward(x.data(), dy.data(), dx.data(), n, T(1.25), &dbeta);
      EXPECT_TRUE(same_bits(dbeta, dbeta1)) << threads << " threads: " << dbeta << " vs 1 thread: " << dbeta1;
      for (std::size_t i = 0; i < n; ++i) ASSERT_TRUE(same_bits(dx[i], dx1[i])) << threads << " threads, i=" << i;
    }
  }
};

TEST_P(SwishDbeta, MatchesReferenceSum) {
  if (GetParam().is_double)
    run_reference_sums<double>();
  else
    run_reference_sums<float>();
}

TEST_P(SwishDbeta, SameBitsForAnyThreadCount) {
  if (GetParam().is_double)
    run_thread_invariance<double>();
  else
    run_thread_invariance<float>();
}

TEST_P(SwishDbeta, EmptyInputGivesZero) {
  if (GetParam().is_double) {
    double dbeta = 7;
    simdact::swish_backward(static_cast<const double*>(nullptr), nullptr, nullptr, 0, 1.0, &dbeta);
    EXPECT_EQ(dbeta, 0.0);
  } else {
    float dbeta = 7;
    simdact::swish_backward(static_cast<const float*>(nullptr), nullptr, nullptr, 0, 1.0f, &dbeta);
    EXPECT_EQ(dbeta, 0.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(Elementwise, SwishDbeta, testing::ValuesIn(dbeta_cases()), dbeta_case_name);

}  // namespace
}  // namespace simdact_test
