// gelu's backward in the far negative tail, on every ISA: dx = dy * gelu'(x) where gelu'(x) alone is
// subnormal or rounds to 0 in T but the product with a large dy is representable (float x in (-19.74, -14.5),
// double x in (-54.0, -38.7)); the kernels once returned 0 there. An infinite dy meets the slope rounded to T
// (NaN where it underflows). References in long double, written here from the definition
// gelu'(x) = Phi(x) + x phi(x) = erfc(a / sqrt 2) / 2 - a e^(-a^2/2) / sqrt(2 pi), a = -x > 0.
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

// e^(-a^2/2) for a float or double a: a = hi + lo with hi holding 26 bits, so that hi^2, hi lo and lo^2 are
// exact in long double and only the small part -hi lo - lo^2/2 rounds (by 2^-64 of at most 2^-14).
ld exp_minus_half_square(ld a) {
  const ld hi = std::ldexp(std::nearbyint(std::ldexp(a, 20)), -20);  // a < 64: 26 bits at most
  const ld lo = a - hi;
  return std::exp(-hi * hi / 2) * std::exp(-hi * lo - lo * lo / 2);
}

// gelu'(x) for x < 0. erfc's argument rounds by 2^-64, which moves erfc by 2^-64 a^2 relative: at a = 54,
// 2^-52.5 of Phi(-a), itself 1/a^2 of the slope.
ld gelu_slope_negative(ld x) {
  const ld a = -x;
  const ld inv_sqrt2 = 0.70710678118654752440084436210484903928L;
  const ld inv_sqrt_2pi = 0.39894228040143267793994605993438186848L;
  return std::erfc(a * inv_sqrt2) / 2 - a * exp_minus_half_square(a) * inv_sqrt_2pi;
}

template <class T>
struct tail_case {
  T x;
  T dy;
};

template <class T>
std::vector<tail_case<T>> tail_cases() {
  using lim = std::numeric_limits<T>;
  const bool is_float = sizeof(T) == sizeof(float);
  std::vector<tail_case<T>> out;
  if (is_float) {
    out = {{T(-16), T(1e30)},    {T(-19), T(1e30)},     {T(-19.5), lim::max()},  {T(-14.6), T(1e20)},
           {T(-17.3), T(-3e35)}, {T(-14.5), T(1e8)},    {T(-19.7), -lim::max()}, {T(-19.73), lim::max()},
           {T(-20), lim::max()}, {T(-1e30), lim::max()}};
    for (int i = 0; i <= 6 * 64; ++i) out.push_back({T(-14 - i / 64.0), T(lim::max() / 2)});
  } else {
    out = {{T(-40), T(1e300)},     {T(-52), T(1e300)},     {T(-53.5), lim::max()},  {T(-38.8), T(1e200)},
           {T(-45.3), T(-3e305)},  {T(-38.7), T(1e20)},    {T(-53.9), -lim::max()}, {T(-53.99), lim::max()},
           {T(-54.5), lim::max()}, {T(-1e300), lim::max()}};
    for (int i = 0; i <= 16 * 32; ++i) out.push_back({T(-38 - i / 32.0), T(lim::max() / 2)});
  }
  return out;
}

class GeluTail : public isa_fixture<isa> {
 protected:
  template <class T>
  void large_dy_in_the_tail() {
    const std::vector<tail_case<T>> cases = tail_cases<T>();
    std::vector<T> x, dy;
    for (const auto& c : cases) x.push_back(c.x), dy.push_back(c.dy);
    std::vector<T> dx(x.size());
    simdact::gelu_backward(x.data(), dy.data(), dx.data(), x.size());
    int representable = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const ld exact = ld(dy[i]) * gelu_slope_negative(ld(x[i]));
      // <= 8 ulp (the contract) also where the exact product is subnormal (in subnormal ulps)
      EXPECT_LE(ulp_error<T>(dx[i], exact), 8)
          << type_name<T>() << " x=" << x[i] << " dy=" << dy[i] << " gave " << dx[i] << ", exact " << exact;
      if (std::fabs(exact) >= ld(std::numeric_limits<T>::min())) ++representable;
    }
    EXPECT_GT(representable, int(x.size()) / 2);  // the points do test the gap
  }

  template <class T>
  void infinite_dy_meets_the_rounded_slope() {
    const T inf = std::numeric_limits<T>::infinity();
    const bool is_float = sizeof(T) == sizeof(float);
    // the slope rounds to 0 in T (NaN) / is a normal negative number (-inf)
    const std::vector<T> x = {is_float ? T(-19) : T(-52), is_float ? T(-14.6) : T(-38.8), T(-5), T(-5)};
    const std::vector<T> dy = {inf, -inf, inf, -inf};
    std::vector<T> dx(x.size());
    simdact::gelu_backward(x.data(), dy.data(), dx.data(), x.size());
    EXPECT_TRUE(std::isnan(dx[0])) << dx[0];
    EXPECT_TRUE(std::isnan(dx[1])) << dx[1];
    EXPECT_EQ(dx[2], -inf);
    EXPECT_EQ(dx[3], inf);
  }
};

TEST_P(GeluTail, LargeDyFloat) { large_dy_in_the_tail<float>(); }
TEST_P(GeluTail, LargeDyDouble) { large_dy_in_the_tail<double>(); }
TEST_P(GeluTail, InfiniteDyFloat) { infinite_dy_meets_the_rounded_slope<float>(); }
TEST_P(GeluTail, InfiniteDyDouble) { infinite_dy_meets_the_rounded_slope<double>(); }

INSTANTIATE_TEST_SUITE_P(Isa, GeluTail, testing::ValuesIn(isas_under_test()),
                         [](const testing::TestParamInfo<isa>& info) { return std::string(isa_name(info.param)); });

}  // namespace
}  // namespace simdact_test
