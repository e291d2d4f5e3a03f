// Accuracy of every registry activation, forward / backward / backward from
// the output, float and double, on every ISA, with default parameters:
//   float:  every 1021st bit pattern (4.2 million inputs: all binades, both
//           signs, NaNs and infinities) plus the hard points;
//   double: 3 * 2^17 random inputs (log-uniform over all magnitudes, over
//           2^-12..2^10, uniform in [-48, 48]) plus the hard points;
// against tests/reference.hpp, with the bounds in test_elementwise_harness.hpp.
// SIMDACT_TEST_SCALE (tests/test_scale.hpp) thins both sweeps.
// Each case is its own test, so ctest -j runs them in parallel.
#include <gtest/gtest.h>

#include "isa_fixture.hpp"
#include "test_elementwise_harness.hpp"

namespace simdact_test {
namespace {

struct accuracy_case {
  activation act;
  direction dir;
  isa target;
  bool is_double;
};

std::vector<accuracy_case> all_cases() {
  std::vector<accuracy_case> out;
  for (const activation_direction& ad : all_activation_directions())
    for (bool dbl : {false, true})
      for (isa i : isas_under_test()) out.push_back({ad.act, ad.dir, i, dbl});
  return out;
}

std::string case_name(const testing::TestParamInfo<accuracy_case>& info) {
  const accuracy_case& c = info.param;
  return activation_name(c.act) + "_" + direction_name(c.dir) + "_" + (c.is_double ? "double" : "float") + "_" +
         isa_name(c.target);
}

template <class T>
std::vector<T> sweep_inputs();

template <>
std::vector<float> sweep_inputs<float>() {
  std::vector<float> x = float_stride_inputs(scaled_stride(1021));
  const std::vector<float> hard = hard_points<float>();
  x.insert(x.end(), hard.begin(), hard.end());
  return x;
}

template <>
std::vector<double> sweep_inputs<double>() {
  std::vector<double> x = double_random_inputs(scaled_count(3 << 17), 0xacc0);
  const std::vector<double> hard = hard_points<double>();
  x.insert(x.end(), hard.begin(), hard.end());
  return x;
}

class Accuracy : public isa_fixture<accuracy_case> {
 protected:
  template <class T>
  void run() {
    const accuracy_case& c = GetParam();
    const ref::params defaults = variants_of(c.act).front();
    const sweep_result<T> r = run_sweep<T>(c.act, c.dir, defaults, sweep_inputs<T>(), c.target);
    EXPECT_EQ(r.failures, 0u) << activation_name(c.act) << " " << direction_name(c.dir) << " " << type_name<T>() << " "
                              << isa_name(c.target) << ": " << describe(r, c.dir);
    EXPECT_GT(r.count, scaled_count(std::size_t(1) << 18));
    RecordProperty("max_ulp", std::to_string(double(r.max_ulps)));
  }
};

TEST_P(Accuracy, DefaultParameters) {
  if (GetParam().is_double)
    run<double>();
  else
    run<float>();
}

INSTANTIATE_TEST_SUITE_P(Elementwise, Accuracy, testing::ValuesIn(all_cases()), case_name);

}  // namespace
}  // namespace simdact_test
