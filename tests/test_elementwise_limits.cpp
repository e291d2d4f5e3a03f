// Non-finite data, for every activation, parameter variant, direction, type
// and ISA:
//   - NaN gives NaN at whatever position it sits (vector body or tail), and
//     leaves its neighbours alone;
//   - f(+-inf) is the mathematical limit and f'(+-inf) its limit (finite),
//     from tests/reference.hpp;
//   - backward is dx = dy * f'(x) with IEEE products: NaN dy gives NaN, an
//     infinite dy gives +-inf where f'(x) != 0 and NaN where f'(x) == 0.
#include <gtest/gtest.h>

#include "isa_fixture.hpp"
#include "test_elementwise_harness.hpp"

namespace simdact_test {
namespace {

struct limits_case {
  activation act;
  direction dir;
  isa target;
  bool is_double;
};

std::vector<limits_case> limits_cases() {
  std::vector<limits_case> out;
  for (const activation_direction& ad : all_activation_directions())
    for (bool dbl : {false, true})
      for (isa i : isas_under_test()) out.push_back({ad.act, ad.dir, i, dbl});
  return out;
}

std::string limits_case_name(const testing::TestParamInfo<limits_case>& info) {
  const limits_case& c = info.param;
  return activation_name(c.act) + "_" + direction_name(c.dir) + "_" + (c.is_double ? "double" : "float") + "_" +
         isa_name(c.target);
}

class Limits : public isa_fixture<limits_case> {
 protected:
  // Every parameter variant this direction accepts.
  std::vector<ref::params> variants() const {
    std::vector<ref::params> out;
    for (const ref::params& p : variants_of(GetParam().act))
      if (direction_allows(GetParam().act, GetParam().dir, p)) out.push_back(p);
    return out;
  }

  template <class T>
  void nan_everywhere() {
    const limits_case& c = GetParam();
    const T nan = std::numeric_limits<T>::quiet_NaN();
    for (const ref::params& p0 : variants()) {
      const ref::params p = params_as<T>(p0);
      for (std::size_t n : {1, 7, 37, 70}) {
        // Ordinary values (in the output's range for backward_from_output).
        std::vector<T> base(n), dy = dy_values<T>(n), plain(n);
        for (std::size_t i = 0; i < n; ++i) base[i] = T(0.375) - T(i % 5) * T(0.125);
        call(c.act, c.dir, base.data(), dy.data(), plain.data(), n, p);
        for (std::size_t at = 0; at < n; ++at) {
          for (int which = 0; which < (c.dir == direction::forward ? 1 : 2); ++which) {
            std::vector<T> in = base, g = dy, out(n);
            (which == 0 ? in : g)[at] = nan;
            call(c.act, c.dir, in.data(), g.data(), out.data(), n, p);
            ASSERT_TRUE(std::isnan(out[at])) << (which == 0 ? "NaN input" : "NaN dy") << " at " << at << " of " << n
                                             << " gave " << out[at] << " (" << params_text(c.act, p) << ")";
            for (std::size_t i = 0; i < n; ++i) {
              if (i == at) continue;
              ASSERT_TRUE(same_bits(out[i], plain[i])) << "a NaN at " << at << " changed element " << i;
            }
          }
        }
      }
    }
  }

  template <class T>
  void infinities_and_special_dy() {
    const limits_case& c = GetParam();
    using lim = std::numeric_limits<T>;
    const T inf = lim::infinity();
    std::vector<T> xs = {inf, -inf, lim::quiet_NaN(), lim::max(), -lim::max(), lim::min(), -lim::min(), T(0), T(-0.0)};
    // Where f' is far from underflow, for infinite dy.
    const std::vector<T> ordinary = {T(-2), T(-0.75), T(-0.3125), T(0.3125), T(0.75), T(2)};
    // Infinite dy only where f'(x) is clearly non-zero or exactly zero: where
    // f' underflows in T, inf * f' may fairly be inf or NaN.
    std::vector<T> finite_dys = {T(1), T(-2.5)}, all_dys = finite_dys;
    if (c.dir != direction::forward) {
      finite_dys.push_back(T(0));
      all_dys.insert(all_dys.end(), {T(0), inf, -inf, lim::quiet_NaN()});
    }
    for (const ref::params& p0 : variants()) {
      const ref::params p = params_as<T>(p0);
      std::vector<T> in, dy;
      for (T x : xs)
        for (T g : finite_dys) in.push_back(x), dy.push_back(g);
      for (T x : ordinary)
        for (T g : all_dys) in.push_back(x), dy.push_back(g);
      if (c.dir == direction::backward_from_output) {
        // y = f(x) for x = +-inf and the ordinary points: the saved outputs.
        for (T& y : in) y = T(visit(c.act, [&](auto tag) { return decltype(tag)::reference::f(real(y), p); }));
      }
      std::vector<T> out(in.size());
      call(c.act, c.dir, in.data(), dy.data(), out.data(), in.size(), p);
      for (std::size_t i = 0; i < in.size(); ++i) {
        const verdict v = judge(c.act, c.dir, p, in[i], dy[i], out[i], isa_fuses(c.target));
        EXPECT_TRUE(v.ok) << activation_name(c.act) << " " << direction_name(c.dir) << " " << params_text(c.act, p)
                          << ": in=" << in[i] << " dy=" << dy[i] << " gave " << out[i] << ", expected "
                          << exact_text(v.exact);
      }
    }
  }
};

TEST_P(Limits, NanGivesNanAtEveryPosition) {
  if (GetParam().is_double)
    nan_everywhere<double>();
  else
    nan_everywhere<float>();
}

TEST_P(Limits, InfinitiesAndSpecialDy) {
  if (GetParam().is_double)
    infinities_and_special_dy<double>();
  else
    infinities_and_special_dy<float>();
}

INSTANTIATE_TEST_SUITE_P(Elementwise, Limits, testing::ValuesIn(limits_cases()), limits_case_name);

}  // namespace
}  // namespace simdact_test
