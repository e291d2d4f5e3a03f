// Backward (from x, and from the output y = f(x) where it exists) with extreme dy across each slope's whole
// range, for every activation, parameter variant, type and ISA (scalar baseline included):
//   - dy near the top of T's range (and near the bottom): dy * f'(x) within the contract where f'(x) alone is
//     subnormal or rounds to 0 (the class the fuzzer kept finding: tanh, swish, sigmoid, elu, selu);
//   - infinite dy: f'(x) as the type holds it (README, "Activations"), so +-inf wherever f'(x) rounds to a
//     non-zero value in T, even a subnormal one, and NaN where it rounds to 0. The scalar tanh baseline once
//     gave NaN at x = 49.6 (float: cosh(x)^2 overflowed, the slope 3.4e-43 became 0; found by CI's fuzzing).
// References: tests/reference.hpp in long double.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "isa_fixture.hpp"
#include "test_elementwise_harness.hpp"
#include "test_scale.hpp"

namespace simdact_test {
namespace {

struct extreme_dy_case {
  activation act;
  direction dir;  // backward, or backward_from_output (its input y = f(x) from the reference)
  isa target;
  bool is_double;
};

std::vector<extreme_dy_case> extreme_dy_cases() {
  std::vector<extreme_dy_case> out;
  for (const activation_direction& ad : all_activation_directions())
    if (ad.dir != direction::forward)
      for (bool dbl : {false, true})
        for (isa i : isas_under_test()) out.push_back({ad.act, ad.dir, i, dbl});
  return out;
}

std::string extreme_dy_case_name(const testing::TestParamInfo<extreme_dy_case>& info) {
  const extreme_dy_case& c = info.param;
  return activation_name(c.act) + "_" + direction_name(c.dir) + "_" + (c.is_double ? "double" : "float") + "_" +
         isa_name(c.target);
}

// x on both sides: a grid of 1/32 (float; double 1/8) up to where every slope of the registry has underflowed in T
// (|x| <= 256 for float, 2048 for double: e^-x, e^-x^2/2 and the rest), then every power of two (times 1, 1.25, 1.5,
// 1.75) up to T's largest finite value.
template <class T>
std::vector<T> tail_inputs() {
  const bool is_float = sizeof(T) == sizeof(float);
  // SIMDACT_TEST_SCALE (the qemu and sanitizer runs) widens the grid's step and skips binades
  const T reach = is_float ? T(256) : T(2048), step = T((is_float ? 1.0 / 32 : 1.0 / 8) / test_scale());
  const int binade_step = int(scaled_stride(1) / 8) + 1;  // 1 unscaled, 13 at scale 0.01
  std::vector<T> x;
  for (T v = 0; v <= reach; v += step) x.insert(x.end(), {v, -v});
  for (int e = std::numeric_limits<T>::min_exponent - 1; e < std::numeric_limits<T>::max_exponent; e += binade_step)
    for (T m : {T(1), T(1.25), T(1.5), T(1.75)}) {
      const T v = std::ldexp(m, e - 1);
      x.insert(x.end(), {v, -v});
    }
  return x;
}

class ExtremeDy : public isa_fixture<extreme_dy_case> {
 protected:
  // Every parameter variant, and each scaled by 1e-30 and 1e30 where the function accepts it (elu's alpha,
  // leaky_relu's slope, swish's beta far from 1: slope factors far from the [2^-4, 2^9] the kernels'
  // two-step scaling was written for).
  template <class T>
  std::vector<ref::params> parameters() const {
    std::vector<ref::params> out;
    for (const ref::params& v : variants_of(GetParam().act)) {
      out.push_back(params_as<T>(v));
      for (real k : {1e-30L, 1e30L}) {
        const ref::params scaled = params_as<T>(ref::params{v.p0 * k, v.p1 * k});
        T x = 1, y;
        try {
          call(GetParam().act, GetParam().dir, &x, &x, &y, 1, scaled);
        } catch (const simdact::error&) {
          continue;
        }
        out.push_back(scaled);
      }
    }
    return out;
  }

  template <class T>
  void sweep() {
    const extreme_dy_case& c = GetParam();
    using lim = std::numeric_limits<T>;
    const T inf = lim::infinity();
    const std::vector<T> x = tail_inputs<T>();
    for (const ref::params& p : parameters<T>()) {
      if (!direction_allows(c.act, c.dir, p)) continue;
      std::vector<T> in = x;
      if (c.dir == direction::backward_from_output)
        for (T& y : in) y = T(visit(c.act, [&](auto tag) { return decltype(tag)::reference::f(real(y), p); }));
      for (T g : {inf, -inf, lim::max() / 3, -lim::max() * T(0.7), T(0x1p100), -lim::min() * 3}) {
        const std::vector<T> dy(x.size(), g);
        std::vector<T> dx(x.size());
        call(c.act, c.dir, in.data(), dy.data(), dx.data(), in.size(), p);
        int failures = 0;
        for (std::size_t i = 0; i < in.size() && failures < 5; ++i) {
          const verdict v = judge(c.act, c.dir, p, in[i], g, dx[i], isa_fuses(c.target));
          if (v.ok) continue;
          ++failures;
          ADD_FAILURE() << activation_name(c.act) << " " << direction_name(c.dir) << " " << params_text(c.act, p)
                        << ": in=" << in[i] << " dy=" << g << " gave " << dx[i] << ", expected " << exact_text(v.exact);
        }
      }
    }
  }
};

TEST_P(ExtremeDy, AcrossTheSlopesRange) {
  if (GetParam().is_double)
    sweep<double>();
  else
    sweep<float>();
}

INSTANTIATE_TEST_SUITE_P(Elementwise, ExtremeDy, testing::ValuesIn(extreme_dy_cases()), extreme_dy_case_name);

}  // namespace
}  // namespace simdact_test
