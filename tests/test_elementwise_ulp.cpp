// tests/ulp.hpp, on which every accuracy verdict rests: ulp_of against the
// definition (ilogb / ldexp), ulp_error's special cases.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "ulp.hpp"

namespace simdact_test {
namespace {

template <class T>
long double ulp_by_definition(long double exact) {
  const long double a = std::fabs(exact);
  if (!(a >= std::numeric_limits<T>::min())) return std::numeric_limits<T>::denorm_min();
  const int e = std::ilogb(std::fmin(a, static_cast<long double>(std::numeric_limits<T>::max())));
  return std::ldexp(1.0L, e - (std::numeric_limits<T>::digits - 1));
}

template <class T>
void check_ulp_of() {
  using lim = std::numeric_limits<T>;
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> expo(lim::min_exponent - 3, lim::max_exponent + 2);
  std::uniform_real_distribution<long double> mant(1.0L, 2.0L);
  for (int i = 0; i < 200000; ++i) {
    const long double v = std::ldexp(mant(rng), expo(rng)) * (i % 2 ? -1 : 1);
    ASSERT_EQ(ulp_of<T>(v), ulp_by_definition<T>(v)) << double(v);
  }
  // Just below and at powers of two (where rounding to T goes up a binade).
  for (int e = lim::min_exponent - 1; e < lim::max_exponent; ++e) {
    const long double p = std::ldexp(1.0L, e);
    for (long double v : {p, std::nextafter(p, 0.0L), p * (1 - 0x1p-60L), p * (1 + 0x1p-60L)})
      ASSERT_EQ(ulp_of<T>(v), ulp_by_definition<T>(v)) << double(v);
  }
  EXPECT_EQ(ulp_of<T>(0), lim::denorm_min());
  EXPECT_EQ(ulp_of<T>(lim::min()), lim::denorm_min());
  EXPECT_EQ(ulp_of<T>(1), lim::epsilon());
  EXPECT_EQ(ulp_of<T>(std::numeric_limits<long double>::infinity()), ulp_of<T>(lim::max()));
}

TEST(Ulp, UlpOfMatchesTheDefinitionFloat) { check_ulp_of<float>(); }
TEST(Ulp, UlpOfMatchesTheDefinitionDouble) { check_ulp_of<double>(); }

TEST(Ulp, ErrorSpecialCases) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const long double linf = std::numeric_limits<long double>::infinity();
  EXPECT_EQ(ulp_error<float>(nan, std::nanl("")), 0);
  EXPECT_TRUE(std::isinf(ulp_error<float>(1.0f, std::nanl(""))));
  EXPECT_TRUE(std::isinf(ulp_error<float>(nan, 1.0L)));
  EXPECT_EQ(ulp_error<float>(inf, linf), 0);
  EXPECT_TRUE(std::isinf(ulp_error<float>(-inf, linf)));
  EXPECT_TRUE(std::isinf(ulp_error<float>(std::numeric_limits<float>::max(), linf)));
  EXPECT_EQ(ulp_error<float>(inf, 1e39L), 0) << "beyond max rounds to inf";
  EXPECT_TRUE(std::isinf(ulp_error<float>(inf, 3e38L)));
  EXPECT_EQ(ulp_error<float>(1.0f, 1.0L + 0x1p-24L), 0.5L);
  EXPECT_EQ(ulp_error<double>(1.0, 1.0L - 0x1p-54L), 0.5L);
  EXPECT_EQ(ulp_error<float>(std::numeric_limits<float>::denorm_min(), 0.0L), 1);
}

}  // namespace
}  // namespace simdact_test
