// A dense float sweep where the activations do their work: every 31st bit
// pattern with magnitude in [2^-6, 4] (4.3 million inputs: 8 binades, 270000
// points each, both signs) and every 1984th below 2^-6 (1 million), for
// forward and backward of every activation, on every ISA, against
// tests/reference.hpp with the bounds in test_elementwise_harness.hpp (4 ulp
// forward, 8 ulp backward). The stride-1021 sweep of
// test_elementwise_accuracy sees about 8000 points per binade and can step
// over a narrow bad region (gelu_tanh near -1.38 once was). SIMDACT_TEST_SCALE
// thins it (stride / scale).
#include <gtest/gtest.h>

#include "test_elementwise_harness.hpp"

namespace simdact_test {
namespace {

struct dense_case {
  activation act;
  direction dir;
};

std::vector<dense_case> dense_cases() {
  std::vector<dense_case> out;
  for (const activation_entry& e : registry())
    for (direction d : {direction::forward, direction::backward}) out.push_back({e.act, d});
  return out;
}

std::string dense_case_name(const testing::TestParamInfo<dense_case>& info) {
  return activation_name(info.param.act) + "_" + direction_name(info.param.dir);
}

std::uint32_t bits_of(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

float float_of(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

// Every stride-th positive pattern in [2^-6, 4] and every 64 stride-th below,
// each with both signs.
std::vector<float> dense_inputs(std::uint64_t stride) {
  const std::uint32_t small = bits_of(0x1p-6f), top = bits_of(4.0f);
  std::vector<float> x;
  x.reserve(2 * ((top - small) / stride + small / (64 * stride) + 2));
  auto add = [&](std::uint32_t u) {
    x.push_back(float_of(u));
    x.push_back(-float_of(u));
  };
  for (std::uint64_t b = 0; b < small; b += 64 * stride) add(std::uint32_t(b));
  for (std::uint64_t b = small; b <= top; b += stride) add(std::uint32_t(b));
  add(top);
  return x;
}

// The ISAs of isas_under_test() this machine has.
std::vector<isa> present_isas() {
  std::vector<isa> out;
  for (isa i : isas_under_test())
    if (isa_available(i)) out.push_back(i);
  return out;
}

class Dense : public testing::TestWithParam<dense_case> {
 protected:
  void TearDown() override { simdact::set_isa(simdact::available_isas().back()); }
};

// One test per (activation, direction): the reference is computed once and
// judged against every ISA's output.
TEST_P(Dense, FloatMinusFourToFour) {
  const dense_case& c = GetParam();
  const ref::params defaults = variants_of(c.act).front();
  const std::vector<float> x = dense_inputs(scaled_stride(31));
  const std::vector<isa> targets = present_isas();
  const std::vector<sweep_result<float>> results = run_sweeps<float>(c.act, c.dir, defaults, x, targets);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const sweep_result<float>& r = results[k];
    EXPECT_EQ(r.failures, 0u) << activation_name(c.act) << " " << direction_name(c.dir) << " float "
                              << isa_name(targets[k]) << ": " << describe(r, c.dir);
    EXPECT_EQ(r.count, x.size());
    RecordProperty(std::string("max_ulp_") + isa_name(targets[k]), std::to_string(double(r.max_ulps)));
  }
}

INSTANTIATE_TEST_SUITE_P(Elementwise, Dense, testing::ValuesIn(dense_cases()), dense_case_name);

}  // namespace
}  // namespace simdact_test
