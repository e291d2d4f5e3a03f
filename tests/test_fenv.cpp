// The floating-point environment: no entry point changes the caller's FP
// control state (rounding mode, FTZ/DAZ, exception masks in MXCSR and the x87
// control word); exception flags may legitimately be raised and are ignored.
// With the caller's FTZ/DAZ on, elementwise results stay within the accuracy
// contract wherever the input is normal and the exact result is at least
// smallest-normal / eps (below that, flushed intermediates may legitimately
// take the result away). Directed
// rounding modes are measured and printed, not asserted (the contract is for
// round-to-nearest).
#include <cfenv>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_elementwise_harness.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define SIMDACT_TEST_HAVE_MXCSR 1
#else
#define SIMDACT_TEST_HAVE_MXCSR 0
#endif

namespace {

using namespace simdact_test;

// The control part of the FP state: everything but the sticky exception flags.
struct control_state {
  int rounding = 0;
  unsigned mxcsr = 0;        // without bits 0-5 (the flags)
  unsigned x87_control = 0;  // masks, precision and rounding of the x87 unit
  bool operator==(const control_state& o) const {
    return rounding == o.rounding && mxcsr == o.mxcsr && x87_control == o.x87_control;
  }
};

control_state current_control() {
  control_state s;
  s.rounding = std::fegetround();
#if SIMDACT_TEST_HAVE_MXCSR
  s.mxcsr = _mm_getcsr() & ~0x3Fu;
  std::fenv_t env;
  std::fegetenv(&env);
  s.x87_control = env.__control_word;
#endif
  return s;
}

std::string text(const control_state& s) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "rounding=%d mxcsr=%#x x87cw=%#x", s.rounding, s.mxcsr, s.x87_control);
  return buf;
}

constexpr unsigned kFtz = 0x8000, kDaz = 0x0040;

// Sets MXCSR's control bits (keeps the flags) and, for the rounding mode, both units.
void set_state(int rounding, bool ftz_daz) {
  std::fesetround(rounding);
#if SIMDACT_TEST_HAVE_MXCSR
  unsigned csr = _mm_getcsr();
  csr = ftz_daz ? (csr | kFtz | kDaz) : (csr & ~(kFtz | kDaz));
  _mm_setcsr(csr);
#else
  (void)ftz_daz;
#endif
}

// Restores round-to-nearest without FTZ/DAZ at the end of each test.
class FenvTest : public ::testing::Test {
 protected:
  void SetUp() override { std::fegetenv(&env_); }
  void TearDown() override { std::fesetenv(&env_); }

 private:
  std::fenv_t env_;
};

template <class T>
std::vector<T> inputs() {
  std::vector<T> x = hard_points<T>();
  const std::vector<double> r = double_random_inputs(3000, 0xfe);
  for (double v : r) x.push_back(T(v));
  return x;
}

// Every elementwise function in every direction, on every ISA; then the
// softmax family and maxout forward and backward.
template <class T>
void call_everything(const std::function<void(const std::string&)>& after_each) {
  const std::vector<T> x = inputs<T>();
  const std::vector<T> dy = dy_values<T>(x.size());
  std::vector<T> out(x.size());
  const isa saved = simdact::active_isa();
  for (isa i : simdact::available_isas()) {
    simdact::set_isa(i);
    for (const activation_direction& ad : all_activation_directions()) {
      const ref::params p = params_as<T>(variants_of(ad.act).front());
      call(ad.act, ad.dir, x.data(), dy.data(), out.data(), x.size(), p);
      after_each(std::string(isa_name(i)) + " " + activation_name(ad.act) + " " + direction_name(ad.dir));
    }
    const std::size_t cols = 37, rows = x.size() / cols;
    std::vector<T> y(rows * cols), dx(rows * cols);
    for (simdact::rowwise_op op :
         {simdact::rowwise_op::softmax, simdact::rowwise_op::log_softmax, simdact::rowwise_op::softmin}) {
      simdact::forward(op, x.data(), y.data(), rows, cols);
      after_each(std::string(isa_name(i)) + " " + std::string(simdact::name(op)));
      simdact::backward(op, y.data(), dy.data(), dx.data(), rows, cols);
      after_each(std::string(isa_name(i)) + " " + std::string(simdact::name(op)) + "_backward");
    }
    simdact::maxout(x.data(), y.data(), rows, cols);
    after_each(std::string(isa_name(i)) + " maxout");
    simdact::maxout_backward(x.data(), dy.data(), dx.data(), rows, cols);
    after_each(std::string(isa_name(i)) + " maxout_backward");
  }
  simdact::set_isa(saved);
}

template <class T>
void control_state_is_preserved(int rounding, bool ftz_daz) {
  set_state(rounding, ftz_daz);
  const control_state before = current_control();
  std::size_t changed = 0;
  call_everything<T>([&](const std::string& what) {
    const control_state now = current_control();
    if (!(now == before)) {
      ++changed;
      ADD_FAILURE() << what << " changed the FP control state: " << text(before) << " -> " << text(now);
      set_state(rounding, ftz_daz);
    }
  });
  EXPECT_EQ(changed, 0u);
}

TEST_F(FenvTest, DefaultControlStatePreservedFloat) { control_state_is_preserved<float>(FE_TONEAREST, false); }
TEST_F(FenvTest, DefaultControlStatePreservedDouble) { control_state_is_preserved<double>(FE_TONEAREST, false); }
// A non-default caller state must come back as it was (not reset to the default).
TEST_F(FenvTest, FtzDazUpwardStatePreservedFloat) { control_state_is_preserved<float>(FE_UPWARD, true); }
TEST_F(FenvTest, FtzDazTowardZeroStatePreservedDouble) { control_state_is_preserved<double>(FE_TOWARDZERO, true); }

// Judges every element whose input is normal (or zero) and whose exact result
// is at least smallest-normal / eps; returns the number outside the contract
// and the largest ULP error.
// The library runs under (rounding, ftz_daz); inputs and references are
// computed in the default state.
template <class T>
sweep_result<T> sweep_normal_only(activation a, direction d, isa target, int rounding, bool ftz_daz) {
  const ref::params p = params_as<T>(variants_of(a).front());
  std::vector<T> x;
  for (T v : inputs<T>())
    if (v == 0 || (std::isfinite(v) && std::fabs(v) >= std::numeric_limits<T>::min())) x.push_back(v);
  const std::vector<T> in = direction_inputs(a, d, p, x);
  const std::vector<T> dy = dy_values<T>(in.size());
  std::vector<T> out(in.size());
  const isa saved = simdact::active_isa();
  simdact::set_isa(target);
  std::fenv_t env;
  std::fegetenv(&env);
  set_state(rounding, ftz_daz);
  call(a, d, in.data(), dy.data(), out.data(), in.size(), p);
  set_state(FE_TONEAREST, false);
  simdact::set_isa(saved);
  sweep_result<T> r;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != 0 && !(std::fabs(in[i]) >= std::numeric_limits<T>::min())) continue;  // y went subnormal
    const expectation e = expect_of(a, d, p, in[i], dy[i]);
    // Under FTZ an intermediate below the normal range is flushed, so a result
    // just above it can lose everything (sigmoid'(87.34) * dy): judge results
    // with a margin of 1/eps above the smallest normal (float: > 1.6e-31).
    if (!(std::fabs(e.exact) >= min_normal_v<T> / eps_v<T>)) continue;
    const verdict v = assess(e, out[i], isa_fuses(target));
    ++r.count;
    if (!v.cancelling && !v.special && v.ulps > r.max_ulps)
      r.max_ulps = v.ulps, r.worst_in = in[i], r.worst_out = out[i], r.worst_exact = v.exact;
    if (!v.ok) {
      ++r.failures;
      if (r.first.size() < 12) r.first.push_back({in[i], dy[i], out[i], v.exact, v.ulps});
    }
  }
  std::fesetenv(&env);
  return r;
}

template <class T>
void within_contract_under_ftz_daz() {
  for (isa i : simdact::available_isas())
    for (const activation_direction& ad : all_activation_directions()) {
      const sweep_result<T> r = sweep_normal_only<T>(ad.act, ad.dir, i, FE_TONEAREST, true);
      EXPECT_EQ(r.failures, 0u) << isa_name(i) << " " << activation_name(ad.act) << " " << direction_name(ad.dir) << " "
                                << type_name<T>() << " with FTZ/DAZ: " << describe(r, ad.dir);
    }
}

TEST_F(FenvTest, FtzDazWithinContractFloat) { within_contract_under_ftz_daz<float>(); }
TEST_F(FenvTest, FtzDazWithinContractDouble) { within_contract_under_ftz_daz<double>(); }

// Directed rounding: measured only. Prints the largest ULP error (normal
// inputs and results) per function and ISA; asserts only that nothing crashes
// and the state comes back.
template <class T>
void measure_directed_rounding(int rounding, const char* label) {
  for (isa i : simdact::available_isas()) {
    if (i == isa::scalar) continue;
    for (const activation_direction& ad : all_activation_directions()) {
      const sweep_result<T> r = sweep_normal_only<T>(ad.act, ad.dir, i, rounding, false);
      std::printf("[measure] %s %s %s %s %s: max %.3g ulp, %zu of %zu beyond the round-to-nearest bound\n", label,
                  isa_name(i), type_name<T>(), activation_name(ad.act).c_str(), direction_name(ad.dir),
                  double(r.max_ulps), r.failures, r.count);
    }
  }
  EXPECT_EQ(std::fegetround(), FE_TONEAREST);  // sweep_normal_only restored it
}

TEST_F(FenvTest, MeasureUpwardFloat) { measure_directed_rounding<float>(FE_UPWARD, "upward"); }
TEST_F(FenvTest, MeasureTowardZeroDouble) { measure_directed_rounding<double>(FE_TOWARDZERO, "toward-zero"); }

}  // namespace
