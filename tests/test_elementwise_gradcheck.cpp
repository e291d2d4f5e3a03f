// A sanity check of backward that does not use tests/reference.hpp: dx from
// NAME_backward (dy = 1) and NAME_backward_from_output (y = the library's own
// forward) against a central difference of the library's forward,
//   (f(x + h) - f(x - h)) / 2h,  x = k/64 in [-8, 8], h = 2^-10 (float) / 2^-20 (double),
// away from kinks. Loose: |dx - fd| <= tol (1 + |fd|), tol = 4e-3 (float) or
// 1e-6 (double), which covers the forward's 4 ulp over 2h and the O(h^2)
// truncation. swish's dbeta likewise against a difference in beta.
#include <gtest/gtest.h>

#include "isa_fixture.hpp"
#include "test_elementwise_harness.hpp"

namespace simdact_test {
namespace {

struct grad_case {
  activation act;
  isa target;
  bool is_double;
};

std::vector<grad_case> grad_cases() {
  std::vector<grad_case> out;
  for (const activation_entry& e : registry())
    for (bool dbl : {false, true})
      for (isa i : isas_under_test()) out.push_back({e.act, i, dbl});
  return out;
}

std::string grad_case_name(const testing::TestParamInfo<grad_case>& info) {
  const grad_case& c = info.param;
  return activation_name(c.act) + "_" + (c.is_double ? "double" : "float") + "_" + isa_name(c.target);
}

template <class T>
constexpr T step() {
  return std::is_same<T, float>::value ? T(0x1p-10) : T(0x1p-20);
}
template <class T>
constexpr real tolerance() {
  return std::is_same<T, float>::value ? 4e-3L : 1e-6L;
}

class GradCheck : public isa_fixture<grad_case> {
 protected:
  template <class T>
  void run() {
    const grad_case& c = GetParam();
    const bool has_from_output = visit(c.act, [](auto tag) { return decltype(tag)::from_output; });
    const T h = step<T>();
    for (const ref::params& p0 : variants_of(c.act)) {
      const ref::params p = params_as<T>(p0);
      const std::vector<real> kinks = visit(c.act, [&](auto tag) { return decltype(tag)::reference::kinks(p); });
      std::vector<T> x;
      for (int k = -512; k <= 512; ++k) {
        const T v = T(k) / 64;
        bool near_kink = false;
        for (real kink : kinks) near_kink |= std::fabs(real(v) - kink) <= 4 * real(h);
        if (!near_kink) x.push_back(v);
      }
      const std::size_t n = x.size();
      std::vector<T> xp(n), xm(n), fp(n), fm(n), y(n), ones(n, T(1)), dx(n), dx_out(n);
      for (std::size_t i = 0; i < n; ++i) xp[i] = x[i] + h, xm[i] = x[i] - h;
      call(c.act, direction::forward, xp.data(), ones.data(), fp.data(), n, p);
      call(c.act, direction::forward, xm.data(), ones.data(), fm.data(), n, p);
      call(c.act, direction::forward, x.data(), ones.data(), y.data(), n, p);
      call(c.act, direction::backward, x.data(), ones.data(), dx.data(), n, p);
      const bool check_output = has_from_output && direction_allows(c.act, direction::backward_from_output, p);
      if (check_output) call(c.act, direction::backward_from_output, y.data(), ones.data(), dx_out.data(), n, p);
      for (std::size_t i = 0; i < n; ++i) {
        const real fd = (real(fp[i]) - real(fm[i])) / (2 * real(h));
        const real tol = tolerance<T>() * (1 + std::fabs(fd));
        EXPECT_LE(std::fabs(real(dx[i]) - fd), tol)
            << activation_name(c.act) << " " << params_text(c.act, p) << " x=" << x[i] << ": backward " << dx[i]
            << ", difference quotient " << exact_text(fd);
        if (check_output) {
          EXPECT_LE(std::fabs(real(dx_out[i]) - fd), tol)
              << activation_name(c.act) << " " << params_text(c.act, p) << " x=" << x[i] << " y=" << y[i]
              << ": backward_from_output " << dx_out[i] << ", difference quotient " << exact_text(fd);
        }
      }
      if (c.act == activation::swish) check_dbeta<T>(x, T(p.p0));
    }
  }

  // dbeta for one element (n = 1, dy = 1) against (swish(x; b + h) - swish(x; b - h)) / 2h.
  template <class T>
  void check_dbeta(const std::vector<T>& x, T beta) {
    const T h = step<T>();
    for (std::size_t i = 0; i < x.size(); i += 7) {
      T fp, fm, dx, dbeta = 0;
      const T one = 1;
      simdact::swish(&x[i], &fp, 1, T(beta + h));
      simdact::swish(&x[i], &fm, 1, T(beta - h));
      simdact::swish_backward(&x[i], &one, &dx, 1, beta, &dbeta);
      const real fd = (real(fp) - real(fm)) / (real(T(beta + h)) - real(T(beta - h)));
      EXPECT_LE(std::fabs(real(dbeta) - fd), tolerance<T>() * (1 + std::fabs(fd)) * (1 + std::fabs(real(x[i]))))
          << "swish dbeta at x=" << x[i] << " beta=" << beta << ": " << dbeta << ", difference quotient "
          << exact_text(fd);
    }
  }
};

TEST_P(GradCheck, BackwardMatchesDifferenceQuotient) {
  if (GetParam().is_double)
    run<double>();
  else
    run<float>();
}

INSTANTIATE_TEST_SUITE_P(Elementwise, GradCheck, testing::ValuesIn(grad_cases()), grad_case_name);

}  // namespace
}  // namespace simdact_test
