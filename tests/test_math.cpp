// kernels/math on the default arch of this unit (SSE2 on x86-64 without -m
// flags, NEON on aarch64): ULP sweeps against long double references and
// special values, through tools/math_check.hpp. The AVX2 / AVX-512
// instantiations are checked by the tools/math_ulp_<isa> executables (the same
// sweeps, compiled with each ISA's flags) and by the activation tests.
#include <gtest/gtest.h>

// The kernels are private headers: this test needs the project root on its
// include path (tests/CMakeLists.txt). Until then it builds and fails loudly.
#if !__has_include("kernels/math/math.hpp")
TEST(MathSetup, ProjectRootOnIncludePath) {
  FAIL() << "tests/CMakeLists.txt: target_include_directories(test_math PRIVATE ${PROJECT_SOURCE_DIR})";
}
#else

#include "test_scale.hpp"
#include "tools/math_check.hpp"

namespace {

using arch = xsimd::default_arch;
using mathcheck::fn;

// The documented bounds (kernels/math/*.hpp headers).
double bound(fn f) { return f == fn::tanh_shrink ? 2.5 : 1.5; }

template <class T>
void sweep(fn f) {
  // float: every 4093rd bit pattern (1M points over the whole line) + dense
  // samples; double: random bit patterns + dense samples + hard points (all
  // thinned by SIMDACT_TEST_SCALE)
  const std::uint32_t stride = std::uint32_t(simdact_test::scaled_stride(4093));
  std::vector<T> xs = mathcheck::sweep_points<T>(f, simdact_test::scaled_count(300000), stride, 2024);
  mathcheck::stats s = mathcheck::measure<T, arch>(f, xs, bound(f));
  EXPECT_LE(s.max_ulp, bound(f)) << mathcheck::name(f) << " worst at x = " << static_cast<double>(s.at) << " ("
                                 << s.over << " of " << s.points << " points over)";
  EXPECT_EQ((mathcheck::check_specials<T, arch>(f)), "");
}

class MathSweep : public ::testing::TestWithParam<fn> {};

TEST_P(MathSweep, FloatWithinBound) { sweep<float>(GetParam()); }
TEST_P(MathSweep, DoubleWithinBound) { sweep<double>(GetParam()); }

INSTANTIATE_TEST_SUITE_P(AllFunctions, MathSweep, ::testing::ValuesIn(mathcheck::all_fns),
                         [](const ::testing::TestParamInfo<fn>& info) {
                           return std::string(mathcheck::name(info.param));
                         });

TEST(MathLdexp, FloatRoundsOnce) {
  float y = 0, k = 0;
  EXPECT_EQ((mathcheck::check_ldexp<float, arch>(simdact_test::scaled_count(400000), 7, &y, &k)), 0u)
      << "first: y = " << y << ", k = " << k;
}
TEST(MathLdexp, DoubleRoundsOnce) {
  double y = 0, k = 0;
  EXPECT_EQ((mathcheck::check_ldexp<double, arch>(simdact_test::scaled_count(400000), 7, &y, &k)), 0u)
      << "first: y = " << y << ", k = " << k;
}

// Gradual underflow of ldexp: exact halfway cases round to even, once.
TEST(MathLdexp, SubnormalTiesToEven) {
  using B = xsimd::batch<float, arch>;
  const float min_sub = std::numeric_limits<float>::denorm_min();
  // 1.5 * 2^-149 (a tie) -> 2^-148; 1.25 * 2^-149 -> 2^-149; 3 * 2^-150 -> 2^-148
  float got = simdact::math::ldexp(B(1.5f), B(-149.0f)).get(0);
  EXPECT_EQ(got, 2 * min_sub);
  got = simdact::math::ldexp(B(1.25f), B(-149.0f)).get(0);
  EXPECT_EQ(got, min_sub);
  got = simdact::math::ldexp(B(0.75f), B(-149.0f)).get(0);
  EXPECT_EQ(got, min_sub);
  got = simdact::math::ldexp(B(0.5f), B(-149.0f)).get(0);  // tie between 0 and 2^-149 -> 0
  EXPECT_EQ(got, 0.0f);
  got = simdact::math::ldexp(B(std::numeric_limits<float>::max()), B(-300.0f)).get(0);
  EXPECT_EQ(got, 0.0f);
  got = simdact::math::ldexp(B(min_sub), B(276.0f)).get(0);  // 2^127
  EXPECT_EQ(got, 0x1p127f);
  got = simdact::math::ldexp(B(min_sub), B(278.0f)).get(0);
  EXPECT_EQ(got, std::numeric_limits<float>::infinity());
}

TEST(MathMulExp, FloatCarriesOutOfRange) {
  mathcheck::stats s = mathcheck::check_mul_exp<float, arch>(simdact_test::scaled_count(400000), 3);
  EXPECT_LE(s.max_ulp, 2.5) << "worst at x = " << static_cast<double>(s.at);
}
TEST(MathMulExp, DoubleCarriesOutOfRange) {
  mathcheck::stats s = mathcheck::check_mul_exp<double, arch>(simdact_test::scaled_count(400000), 3);
  EXPECT_LE(s.max_ulp, 2.5) << "worst at x = " << static_cast<double>(s.at);
}

// exp_split: documented special cases (mant = inf / 0 / NaN, expo finite).
template <class T>
void split_specials() {
  using B = xsimd::batch<T, arch>;
  constexpr T inf = std::numeric_limits<T>::infinity();
  B k;
  T m = simdact::math::exp_split(B(inf), k).get(0);
  EXPECT_EQ(m, inf);
  EXPECT_TRUE(std::isfinite(k.get(0)));
  m = simdact::math::exp_split(B(-inf), k).get(0);
  EXPECT_EQ(m, T(0));
  EXPECT_TRUE(std::isfinite(k.get(0)));
  m = simdact::math::exp_split(B(std::numeric_limits<T>::quiet_NaN()), k).get(0);
  EXPECT_TRUE(std::isnan(m));
  EXPECT_TRUE(std::isfinite(k.get(0)));
  // mant in about [0.5, 2], expo integer-valued
  for (T x : {T(-700), T(-100), T(-1), T(0.3), T(5), T(80)}) {
    m = simdact::math::exp_split(B(x), k).get(0);
    EXPECT_GE(m, T(0.5));
    EXPECT_LE(m, T(2));
    EXPECT_EQ(k.get(0), std::nearbyint(k.get(0)));
  }
}
TEST(MathSplit, FloatSpecials) { split_specials<float>(); }
TEST(MathSplit, DoubleSpecials) { split_specials<double>(); }

// Odd functions stay odd bit for bit, and tanh_shrink(x) ~ x^3/3 holds down
// to the smallest normals (no underflow or cancellation on the way).
TEST(MathOdd, TanhAndShrinkAreOdd) {
  using B = xsimd::batch<float, arch>;
  for (float x : {1e-30f, 1e-5f, 0.3f, 0.99f, 1.0f, 1.7f, 8.0f, 40.0f}) {
    EXPECT_EQ(simdact::math::tanh(B(-x)).get(0), -simdact::math::tanh(B(x)).get(0)) << x;
    EXPECT_EQ(simdact::math::tanh_shrink(B(-x)).get(0), -simdact::math::tanh_shrink(B(x)).get(0)) << x;
  }
  float x = 1e-12f;
  long double want = static_cast<long double>(x) * x * x / 3;
  EXPECT_LE(mathcheck::ulp_error<float>(simdact::math::tanh_shrink(B(x)).get(0), want), 1.0);
}

}  // namespace

#endif  // __has_include("kernels/math/math.hpp")
