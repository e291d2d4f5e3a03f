// The backward of sigmoid, elu and selu in the far negative tail, on every ISA: dx = dy * f'(x) where
// f'(x) ~ e^x alone is subnormal or rounds to 0 in T (x below -87 / -708) but the product with a large dy
// is representable; the kernels once scaled e^x into the subnormals first (sigmoid at x = -100, dy = 1e38:
// 1.7% off; at -120: 0 for 7.7e-15). References in long double from the definitions:
// sigmoid'(x) = e^-|x| / (1 + e^-|x|)^2, elu'(x) = alpha e^x, selu'(x) = scale alpha e^x (x <= 0).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include <simdact/simdact.hpp>

#include "isa_fixture.hpp"
#include "test_elementwise_harness.hpp"

namespace simdact_test {
namespace {

using ld = long double;
static_assert(std::numeric_limits<ld>::digits >= 64, "the reference needs an extended long double");

constexpr ld selu_scale = 1.0507009873554804934193349852946L;
constexpr ld selu_alpha = 1.6732632423543772848170429916717L;

class ExpSlopeTail : public isa_fixture<isa> {
 protected:
  // x on a grid of 1/8 from -80 (-700) down to -200 (-1500), dy near the top of T's range.
  template <class T>
  void large_dy_in_the_tail() {
    using lim = std::numeric_limits<T>;
    const bool is_float = sizeof(T) == sizeof(float);
    std::vector<T> x, dy;
    for (T v = is_float ? T(-80) : T(-700); v >= (is_float ? T(-200) : T(-1500)); v -= T(0.875)) {
      x.push_back(v);
      dy.push_back(x.size() % 2 ? lim::max() / 4 : -lim::max() / 3);
    }
    std::vector<T> sig(x.size()), elu(x.size()), selu(x.size());
    simdact::sigmoid_backward(x.data(), dy.data(), sig.data(), x.size());
    simdact::elu_backward(x.data(), dy.data(), elu.data(), x.size());
    simdact::selu_backward(x.data(), dy.data(), selu.data(), x.size());
    int representable = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const ld e = std::exp(ld(x[i]));  // x <= 0: e^-|x| = e^x
      const ld want_sig = ld(dy[i]) * (e / ((1 + e) * (1 + e)));
      const ld want_elu = ld(dy[i]) * e;
      const ld want_selu = ld(dy[i]) * (selu_scale * selu_alpha * e);
      EXPECT_LE(ulp_error<T>(sig[i], want_sig), 8)
          << type_name<T>() << " sigmoid x=" << x[i] << " dy=" << dy[i] << " gave " << sig[i] << ", exact " << want_sig;
      EXPECT_LE(ulp_error<T>(elu[i], want_elu), 8)
          << type_name<T>() << " elu x=" << x[i] << " dy=" << dy[i] << " gave " << elu[i] << ", exact " << want_elu;
      EXPECT_LE(ulp_error<T>(selu[i], want_selu), 8)
          << type_name<T>() << " selu x=" << x[i] << " dy=" << dy[i] << " gave " << selu[i] << ", exact " << want_selu;
      if (std::fabs(want_elu) >= ld(lim::min()) && std::exp(ld(x[i])) < ld(lim::min())) ++representable;
    }
    EXPECT_GT(representable, int(x.size()) / 4);  // the points do test the gap
  }
};

TEST_P(ExpSlopeTail, LargeDyFloat) { large_dy_in_the_tail<float>(); }
TEST_P(ExpSlopeTail, LargeDyDouble) { large_dy_in_the_tail<double>(); }

INSTANTIATE_TEST_SUITE_P(Isa, ExpSlopeTail, testing::ValuesIn(isas_under_test()),
                         [](const testing::TestParamInfo<isa>& info) { return std::string(isa_name(info.param)); });

}  // namespace
}  // namespace simdact_test
