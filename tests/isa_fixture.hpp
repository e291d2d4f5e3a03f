// The base of every per-ISA parameterised test: SetUp skips a case whose ISA
// this machine lacks and otherwise makes that ISA active; TearDown restores
// the best ISA and OpenMP's default thread count, so no case leaks its
// settings into the next one run in the same process.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include <simdact/simdact.hpp>

namespace simdact_test {

// The ISA a test parameter names: the parameter itself, or its `target`.
inline simdact::isa target_isa_of(simdact::isa i) { return i; }
template <class Case>
simdact::isa target_isa_of(const Case& c) {
  return c.target;
}

template <class Case>
class isa_fixture : public testing::TestWithParam<Case> {
 protected:
  // A derived SetUp calls this first and returns if IsSkipped().
  void SetUp() override {
    const simdact::isa target = target_isa_of(this->GetParam());
    const std::vector<simdact::isa> have = simdact::available_isas();
    if (std::find(have.begin(), have.end(), target) == have.end())
      GTEST_SKIP() << simdact::name(target) << " is not available here";
    simdact::set_isa(target);
  }
  void TearDown() override {
    simdact::set_isa(simdact::available_isas().back());
    simdact::set_num_threads(0);
  }
};

}  // namespace simdact_test
