// swish's backward in the far negative tail, on every ISA: dx = dy * swish'(x) where swish'(x) alone is
// subnormal or rounds to 0 in T but the product with a large dy is representable (v = beta x in (-200, -87)
// float, (-1500, -708) double); the kernels once scaled the slope into the subnormals before the product (the
// fuzzer's crash-0202edf1: beta = -3, x = 33.58, dy = -4.7e17, 1620 ulp). An infinite dy meets the slope
// rounded to T (NaN where it underflows). References in long double from the definition
// swish'(x) = s (1 + v (1 - s)), s = 1 / (1 + e^-v), with v = beta x exact (few-bit x and beta).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include <simdact/simdact.hpp>

#include "isa_fixture.hpp"
#include "test_elementwise_harness.hpp"
#include "test_scale.hpp"

namespace simdact_test {
namespace {

using ld = long double;
static_assert(std::numeric_limits<ld>::digits >= 64, "the reference needs an extended long double");

// swish'(x) for v = beta x <= -40, from e^v directly: s = e^v / (1 + e^v), 1 - s = 1 / (1 + e^v).
ld swish_slope_negative(ld v) {
  const ld e = std::exp(v);
  return e / (1 + e) * (1 + v / (1 + e));
}

class SwishTail : public isa_fixture<isa> {
 protected:
  // x on a grid of 1/16 (v = beta x exact in T and in long double) over the tail where swish' is
  // subnormal or 0 in T but dy swish' need not be, with dy near the top of T's range.
  template <class T>
  void large_dy_in_the_tail(T beta) {
    using lim = std::numeric_limits<T>;
    const bool is_float = sizeof(T) == sizeof(float);
    const T v_hi = is_float ? T(-86) : T(-707), v_lo = is_float ? T(-201) : T(-1501);
    std::vector<T> x, dy;
    for (T v = v_hi; v >= v_lo; v -= T(0.75)) {
      x.push_back(std::ldexp(std::nearbyint(std::ldexp(v / beta, 4)), -4));
      dy.push_back(x.size() % 2 ? lim::max() / 4 : -lim::max() / 3);
    }
    x.push_back(T(33.576965332)), dy.push_back(T(-4.665227836653568e17));  // the fuzzer's point
    std::vector<T> dx(x.size());
    simdact::swish_backward(x.data(), dy.data(), dx.data(), x.size(), beta);
    int representable = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const ld v = ld(beta) * ld(x[i]);
      // below -saturation (-200 / -1500) the kernels give dy * 0 (the exact product rounds to 0 there)
      if (v < (is_float ? -200 : -1500)) continue;
      const ld exact = ld(dy[i]) * swish_slope_negative(v);
      // <= 8 ulp (the contract), also where the exact product is subnormal (in subnormal ulps)
      EXPECT_LE(ulp_error<T>(dx[i], exact), 8) << type_name<T>() << " beta=" << beta << " x=" << x[i] << " dy=" << dy[i]
                                               << " gave " << dx[i] << ", exact " << exact;
      if (std::fabs(exact) >= ld(lim::min())) ++representable;
    }
    EXPECT_GT(representable, int(x.size()) / 2);  // the points do test the gap
  }

  template <class T>
  void infinite_dy_meets_the_rounded_slope() {
    const T inf = std::numeric_limits<T>::infinity();
    const bool is_float = sizeof(T) == sizeof(float);
    // swish' rounds to 0 in T (NaN) / is a normal number (+-inf)
    const std::vector<T> x = {is_float ? T(-150) : T(-1200), T(-5), T(-5)};
    const std::vector<T> dy = {inf, inf, -inf};
    std::vector<T> dx(x.size());
    simdact::swish_backward(x.data(), dy.data(), dx.data(), x.size(), T(1));
    EXPECT_TRUE(std::isnan(dx[0])) << dx[0];
    EXPECT_EQ(dx[1], -inf);  // swish'(-5) < 0
    EXPECT_EQ(dx[2], inf);
  }
};

// dbeta for one element at a time (the sum is then that element's dy d/dbeta) against dy x^2 s (1 - s) in long
// double, s = 1 / (1 + e^-v) with v = beta x: dy x alone overflowed once (float x = -33.2, dy = 1.9e36,
// beta = 0.5: inf for 1.3e32; found by the fuzzer), and beyond |v| = 200 the term was taken as 0 where it is
// not (beta = 0.5, x = 410, dy = 3e38: 7.6e-44).
template <class T>
void dbeta_with_extreme_dy(T beta) {
  using lim = std::numeric_limits<T>;
  const bool is_float = sizeof(T) == sizeof(float);
  std::vector<T> xs;
  for (T v = T(-1000); v <= T(1000); v += T(0.375 / test_scale())) xs.push_back(v);  // qemu: a coarser grid
  for (int e = -40; e <= (is_float ? 120 : 1000); e += 3)
    xs.insert(xs.end(), {std::ldexp(T(1.375), e), -std::ldexp(T(1.625), e)});
  for (T dy : {lim::max() / 3, -lim::max() * T(0.7), T(0x1p100), T(1), -lim::min() * 3, lim::denorm_min() * 7}) {
    for (T x : xs) {
      T dx, dbeta;
      simdact::swish_backward(&x, &dy, &dx, 1, beta, &dbeta);
      const ld v = ld(beta) * ld(x);  // exact: few-bit beta and x
      const ld s = 1 / (1 + std::exp(-v));
      const ld want = ld(dy) * ld(x) * ld(x) * (v < 0 ? s / (1 + std::exp(v)) : s * (1 / (1 + std::exp(v))));
      if (std::fabs(want) > ld(lim::max())) {
        EXPECT_TRUE(std::isinf(dbeta) && (dbeta > 0) == (want > 0))
            << type_name<T>() << " beta=" << beta << " x=" << x << " dy=" << dy << ": " << dbeta;
        continue;
      }
      const bool ok = ulp_error<T>(dbeta, want) <= 8 ||
                      (std::fabs(want) < ld(lim::min()) && std::fabs(ld(dbeta) - want) <= ld(lim::min()));
      EXPECT_TRUE(ok) << type_name<T>() << " beta=" << beta << " x=" << x << " dy=" << dy << " gave " << dbeta
                      << ", exact " << double(want);
    }
  }
}

TEST_P(SwishTail, DbetaExtremeFloat) {
  for (float beta : {1.0f, 0.5f, -3.0f, 0.0f, 1.75f, 10.0f, 0x1p-20f}) dbeta_with_extreme_dy(beta);
}
TEST_P(SwishTail, DbetaExtremeDouble) {
  for (double beta : {1.0, 0.5, -3.0, 0.0, 1.75, 10.0, 0x1p-20}) dbeta_with_extreme_dy(beta);
}

TEST_P(SwishTail, LargeDyFloat) {
  for (float beta : {1.0f, -3.0f, 0.5f, 2.0f}) large_dy_in_the_tail<float>(beta);
}
TEST_P(SwishTail, LargeDyDouble) {
  for (double beta : {1.0, -3.0, 0.5, 2.0}) large_dy_in_the_tail<double>(beta);
}
TEST_P(SwishTail, InfiniteDyFloat) { infinite_dy_meets_the_rounded_slope<float>(); }
TEST_P(SwishTail, InfiniteDyDouble) { infinite_dy_meets_the_rounded_slope<double>(); }

INSTANTIATE_TEST_SUITE_P(Isa, SwishTail, testing::ValuesIn(isas_under_test()),
                         [](const testing::TestParamInfo<isa>& info) { return std::string(isa_name(info.param)); });

}  // namespace
}  // namespace simdact_test
