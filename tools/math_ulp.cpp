// Prints the accuracy table of kernels/math for one ISA (the one this unit is
// compiled for: xsimd::default_arch, i.e. the -m flags, or -DMATH_ULP_ARCH=...)
// and exits 1 when a bound is exceeded or a special value is wrong, 77 (ctest's
// SKIP_RETURN_CODE) when this CPU lacks the ISA.
//   math_ulp [float_step] [dense]   defaults 1021 (4.2M float patterns), 2000000
// Bounds: 1.5 ULP exp/exp_nonpositive/expm1/tanh, 2.5 ULP tanh_shrink/mul_exp, ldexp exact.
#include <cstdio>
#include <cstdlib>

#include "tools/math_check.hpp"

#ifndef MATH_ULP_ARCH
#define MATH_ULP_ARCH xsimd::default_arch
#endif

namespace {

using arch = MATH_ULP_ARCH;

double bound(mathcheck::fn f) {
  using mathcheck::fn;
  return f == fn::tanh_shrink ? 2.5 : 1.5;
}

template <class T>
bool run(const char* type, std::uint32_t step, std::size_t dense) {
  bool ok = true;
  for (mathcheck::fn f : mathcheck::all_fns) {
    std::vector<T> xs = mathcheck::sweep_points<T>(f, dense, step, 12345);
    mathcheck::stats s = mathcheck::measure<T, arch>(f, xs, bound(f));
    std::string sp = mathcheck::check_specials<T, arch>(f);
    bool good = s.max_ulp <= bound(f) && sp.empty();
    ok = ok && good;
    std::printf("%-7s %-12s max %6.3f ULP at %-26.17Lg (%zu points)%s%s\n", type, mathcheck::name(f), s.max_ulp, s.at,
                s.points, good ? "" : "  FAIL ", sp.c_str());
  }
  T by = 0, bk = 0;
  std::size_t bad = mathcheck::check_ldexp<T, arch>(dense, 777, &by, &bk);
  std::printf("%-7s %-12s %zu of %zu not correctly rounded", type, "ldexp", bad, dense);
  if (bad) std::printf(" (first: y=%.9Lg k=%g)", static_cast<long double>(by), static_cast<double>(bk));
  std::printf("\n");
  mathcheck::stats m = mathcheck::check_mul_exp<T, arch>(dense, 99);
  std::printf("%-7s %-12s max %6.3f ULP at x=%-24.17Lg (%zu points)\n", type, "mul_exp", m.max_ulp, m.at, m.points);
  return ok && bad == 0 && m.max_ulp <= 2.5;
}

}  // namespace

int main(int argc, char** argv) {
  if (xsimd::available_architectures().best < arch::version()) {
    std::printf("arch %s: not supported by this CPU, skipped\n", arch::name());
    return 77;
  }
  std::uint32_t step = argc > 1 ? static_cast<std::uint32_t>(std::atoi(argv[1])) : 1021;
  std::size_t dense = argc > 2 ? static_cast<std::size_t>(std::atol(argv[2])) : 2000000;
  // SIMDACT_TEST_SCALE (tests/test_scale.hpp): the fraction of the sweep to run, e.g. 0.01 under qemu.
  if (const char* s = std::getenv("SIMDACT_TEST_SCALE")) {
    const double scale = std::atof(s);
    if (scale > 0 && scale < 1) {
      step = static_cast<std::uint32_t>(step / scale) | 1u;
      dense = static_cast<std::size_t>(dense * scale) + 1;
    }
  }
  std::printf("arch %s, float step %u, dense %zu\n", arch::name(), step, dense);
  bool ok = run<float>("float", step, dense);
  ok = run<double>("double", step, dense) && ok;
  std::printf(ok ? "all within bounds\n" : "FAILED\n");
  return ok ? 0 : 1;
}
