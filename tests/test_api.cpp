// The public API around the elementwise kernels: every error case of the
// contract (null pointers, partial overlap, invalid parameters, size
// overflow; nothing written before the throw; the message names the function
// and the argument), the run-time API (forward / backward /
// backward_from_output with params, NaN = default) against the named
// functions, the defaults of the named functions, ISA dispatch (incl. the
// SIMDACT_ISA and SIMDACT_NUM_THREADS environment variables, checked in child
// processes of this binary), threads, and the floating-point environment.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <regex>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include "test_elementwise_harness.hpp"

namespace simdact_test {
namespace {

// ---------------------------------------------------------------------------
// Child mode: when SIMDACT_TEST_REPORT_CHILD is set, print what the library
// chose at start-up and exit before any test runs (see Environment below).
// ---------------------------------------------------------------------------
[[maybe_unused]] const bool child_reported = [] {
  if (!std::getenv("SIMDACT_TEST_REPORT_CHILD")) return false;
  std::printf("isa=%s threads=%d\n", std::string(simdact::name(simdact::active_isa())).c_str(), simdact::num_threads());
  std::fflush(stdout);
  std::_Exit(0);
}();

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------
bool names_word(const std::string& message, const std::string& word) {
  return std::regex_search(message, std::regex("(^|[^A-Za-z0-9_])" + word + "([^A-Za-z0-9_]|$)"));
}

// f() must throw simdact::error whose message names `function` and `argument`.
template <class F>
void expect_error(F&& f, const std::string& function, const std::string& argument, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << what << ": no error thrown";
  } catch (const simdact::error& e) {
    const std::string m = e.what();
    EXPECT_TRUE(names_word(m, function)) << what << ": the message does not name " << function << ": " << m;
    EXPECT_TRUE(names_word(m, argument)) << what << ": the message does not name " << argument << ": " << m;
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": threw something other than simdact::error: " << e.what();
  }
}

std::string function_name(activation a, direction d) {
  std::string s = activation_name(a);
  if (d == direction::backward) s += "_backward";
  if (d == direction::backward_from_output) s += "_backward_from_output";
  return s;
}

struct arg_names {
  const char* in;
  const char* dy;
  const char* out;
};
arg_names names_of(direction d) {
  switch (d) {
    case direction::forward:
      return {"x", nullptr, "y"};
    case direction::backward:
      return {"x", "dy", "dx"};
    case direction::backward_from_output:
      return {"y", "dy", "dx"};
  }
  return {};
}

const char* param_name(activation a, int k) {
  switch (a) {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  case activation::name:                                       \
    return k == 0 ? #p0 : #p1;
#include <simdact/detail/for_each_activation.inc>
  }
  return "?";
}

int arity_of(activation a) {
  return visit(a, [](auto tag) { return decltype(tag)::arity; });
}

// ---------------------------------------------------------------------------
// Errors, for every (activation, direction, type).
// ---------------------------------------------------------------------------
struct api_case {
  activation act;
  direction dir;
  bool is_double;
};

std::vector<api_case> api_cases() {
  std::vector<api_case> out;
  for (const activation_direction& ad : all_activation_directions())
    for (bool dbl : {false, true}) out.push_back({ad.act, ad.dir, dbl});
  return out;
}

std::string api_case_name(const testing::TestParamInfo<api_case>& info) {
  return function_name(info.param.act, info.param.dir) + "_" + (info.param.is_double ? "double" : "float");
}

class Errors : public testing::TestWithParam<api_case> {
 protected:
  static constexpr std::size_t n = 8;

  template <class T>
  static T sentinel() {
    return T(1234.5);
  }

  template <class T>
  void null_pointers() {
    const api_case& c = GetParam();
    const ref::params p = params_as<T>(variants_of(c.act).front());
    const arg_names names = names_of(c.dir);
    const std::string fn = function_name(c.act, c.dir);
    std::vector<T> in(n, T(0.5)), dy(n, T(1)), out(n, sentinel<T>());
    // Each pointer null in turn.
    expect_error([&] { call<T>(c.act, c.dir, nullptr, dy.data(), out.data(), n, p); }, fn, names.in,
                 fn + " with a null " + names.in);
    if (names.dy)
      expect_error([&] { call<T>(c.act, c.dir, in.data(), nullptr, out.data(), n, p); }, fn, names.dy,
                   fn + " with a null dy");
    expect_error([&] { call<T>(c.act, c.dir, in.data(), dy.data(), nullptr, n, p); }, fn, names.out,
                 fn + " with a null " + names.out);
    for (T v : out) EXPECT_TRUE(same_bits(v, sentinel<T>())) << "written before the throw";
    // n == 0: a no-op, whatever the pointers.
    EXPECT_NO_THROW(call<T>(c.act, c.dir, nullptr, nullptr, nullptr, 0, p));
    EXPECT_NO_THROW(call<T>(c.act, c.dir, in.data(), dy.data(), out.data(), 0, p));
    for (T v : out) EXPECT_TRUE(same_bits(v, sentinel<T>())) << "n == 0 wrote";
  }

  template <class T>
  void overlap() {
    const api_case& c = GetParam();
    const ref::params p = params_as<T>(variants_of(c.act).front());
    const arg_names names = names_of(c.dir);
    const std::string fn = function_name(c.act, c.dir);
    std::vector<T> buf(3 * n), other(n, T(1)), other_out(n, sentinel<T>());
    auto fill = [&] {
      for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = T(0.125) * T(i % 7);
    };
    const std::vector<std::ptrdiff_t> shifts = {1, -1, std::ptrdiff_t(n) - 1, 1 - std::ptrdiff_t(n), 3};
    for (std::ptrdiff_t k : shifts) {
      fill();
      const std::vector<T> before = buf;
      T* in = buf.data() + n;
      T* out = in + k;
      const std::string what = fn + ": output at input " + std::to_string(k) + " elements";
      expect_error([&] { call<T>(c.act, c.dir, in, other.data(), out, n, p); }, fn, names.out, what);
      EXPECT_TRUE(std::equal(buf.begin(), buf.end(), before.begin(), [](T a, T b) { return same_bits(a, b); }))
          << what << ": written before the throw";
      if (names.dy) {
        // The output partially over dy instead.
        expect_error([&] { call<T>(c.act, c.dir, other.data(), in, out, n, p); }, fn, names.out,
                     fn + ": output over dy shifted by " + std::to_string(k));
        EXPECT_TRUE(std::equal(buf.begin(), buf.end(), before.begin(), [](T a, T b) { return same_bits(a, b); }));
      }
    }
    // In place and overlapping inputs are fine.
    fill();
    T* x = buf.data() + n;
    EXPECT_NO_THROW(call<T>(c.act, c.dir, x, other.data(), x, n, p));
    if (names.dy) {
      fill();
      EXPECT_NO_THROW(call<T>(c.act, c.dir, other.data(), x, x, n, p));  // dx == dy
      fill();
      EXPECT_NO_THROW(call<T>(c.act, c.dir, x, x, x, n, p));  // dx == x == dy
      fill();
      EXPECT_NO_THROW(call<T>(c.act, c.dir, x, x + 1, other_out.data(), n, p));  // inputs may overlap
    }
  }

  template <class T>
  void size_overflow() {
    const api_case& c = GetParam();
    const ref::params p = params_as<T>(variants_of(c.act).front());
    const std::string fn = function_name(c.act, c.dir);
    std::vector<T> in(n, T(0.5)), dy(n, T(1)), out(n, sentinel<T>());
    for (std::size_t big :
         {std::numeric_limits<std::size_t>::max() / sizeof(T) + 1, std::numeric_limits<std::size_t>::max()}) {
      expect_error([&] { call<T>(c.act, c.dir, in.data(), dy.data(), out.data(), big, p); }, fn, "n",
                   fn + " with n = " + std::to_string(big));
    }
    for (T v : out) EXPECT_TRUE(same_bits(v, sentinel<T>())) << "written before the throw";
  }

  // Non-finite parameters, hard_tanh's min_val > max_val, and the
  // from-output forms' alpha constraints.
  template <class T>
  void invalid_parameters() {
    const api_case& c = GetParam();
    const int arity = arity_of(c.act);
    const std::string fn = function_name(c.act, c.dir);
    const ref::params good = variants_of(c.act).front();
    std::vector<T> in(n, T(0.5)), dy(n, T(1)), out(n, sentinel<T>());
    auto expect_rejected = [&](const ref::params& bad, const std::string& argument, const std::string& what) {
      expect_error([&] { call<T>(c.act, c.dir, in.data(), dy.data(), out.data(), n, params_as<T>(bad)); }, fn, argument,
                   fn + " " + what);
      for (T v : out) EXPECT_TRUE(same_bits(v, sentinel<T>())) << fn << " " << what << ": written before the throw";
    };
    for (int k = 0; k < arity; ++k) {
      for (real bad : {ref::nan, ref::inf, -ref::inf}) {
        ref::params q = good;
        (k == 0 ? q.p0 : q.p1) = bad;
        expect_rejected(q, param_name(c.act, k), std::string(param_name(c.act, k)) + " = " + exact_text(bad));
      }
    }
    if (c.act == activation::hard_tanh) {
      expect_rejected({1, -1}, "min_val", "min_val > max_val");
      expect_rejected({0.5L, 0.25L}, "min_val", "min_val > max_val");
      EXPECT_NO_THROW(call<T>(c.act, c.dir, in.data(), dy.data(), out.data(), n, params_as<T>({0.5L, 0.5L})));
    }
    if (c.dir == direction::backward_from_output && c.act == activation::leaky_relu) {
      expect_rejected({0, 0}, "alpha", "alpha = 0");
      expect_rejected({-0.5L, 0}, "alpha", "alpha = -0.5");
    }
    if (c.dir == direction::backward_from_output && c.act == activation::elu) {
      expect_rejected({-1, 0}, "alpha", "alpha = -1");
      EXPECT_NO_THROW(call<T>(c.act, c.dir, in.data(), dy.data(), out.data(), n, params_as<T>({0, 0})));
    }
  }
};

#define SIMDACT_TEST_BOTH_TYPES(fixture, test, method) \
  TEST_P(fixture, test) {                              \
    if (GetParam().is_double)                          \
      method<double>();                                \
    else                                               \
      method<float>();                                 \
  }

SIMDACT_TEST_BOTH_TYPES(Errors, NullPointers, null_pointers)
SIMDACT_TEST_BOTH_TYPES(Errors, PartialOverlap, overlap)
SIMDACT_TEST_BOTH_TYPES(Errors, SizeOverflow, size_overflow)
SIMDACT_TEST_BOTH_TYPES(Errors, InvalidParameters, invalid_parameters)

INSTANTIATE_TEST_SUITE_P(Api, Errors, testing::ValuesIn(api_cases()), api_case_name);

TEST(ErrorsMisc, ErrorIsAnInvalidArgument) {
  static_assert(std::is_base_of<std::invalid_argument, simdact::error>::value,
                "contract: derived from invalid_argument");
  float x = 0;
  EXPECT_THROW(simdact::relu(&x, static_cast<float*>(nullptr), 1), std::invalid_argument);
}

TEST(ErrorsMisc, SwishDbetaOverlap) {
  std::vector<float> buf(64, 0.5f), dx(16, 1234.5f);
  const float* x = buf.data();
  const float* dy = buf.data() + 16;
  for (float* dbeta : {buf.data() + 3, buf.data() + 20, dx.data() + 5}) {
    const float saved = *dbeta;
    std::vector<float> dx_before = dx;
    expect_error([&] { simdact::swish_backward(x, dy, dx.data(), 16, 1.0f, dbeta); }, "swish_backward", "dbeta",
                 "dbeta inside an input or dx");
    EXPECT_EQ(*dbeta, saved);
    EXPECT_EQ(dx, dx_before) << "written before the throw";
  }
  float dbeta = 0;
  EXPECT_NO_THROW(simdact::swish_backward(x, dy, dx.data(), 16, 1.0f, &dbeta));
  std::vector<double> xd(16, 0.5), dyd(16, 1.0), dxd(16);
  double dbd = 0;
  EXPECT_NO_THROW(simdact::swish_backward(xd.data(), dyd.data(), dxd.data(), 16, 1.0, &dbd));
  expect_error([&] { simdact::swish_backward(xd.data(), dyd.data(), dxd.data(), 16, 1.0, dxd.data() + 15); },
               "swish_backward", "dbeta", "dbeta inside dx (double)");
}

TEST(ErrorsMisc, RuntimeApiRejectsMissingFromOutput) {
  std::vector<float> y(8, 0.5f), dy(8, 1.0f), dx(8, 1234.5f);
  for (const activation_entry& e : registry()) {
    EXPECT_EQ(simdact::has_backward_from_output(e.act), e.from_output) << e.name;
    if (e.from_output) continue;
    EXPECT_THROW(simdact::backward_from_output(e.act, y.data(), dy.data(), dx.data(), 8), simdact::error) << e.name;
    for (float v : dx) EXPECT_EQ(v, 1234.5f);
  }
}

// The contract's list of from-output forms.
TEST(ErrorsMisc, FromOutputFormsAreTheContractsList) {
  const std::vector<std::string> expected = {"sigmoid", "tanh", "relu",      "leaky_relu",
                                             "elu",     "selu", "hard_tanh", "hard_sigmoid"};
  for (const std::string& name : expected) {
    const auto a = simdact::parse_activation(name);
    ASSERT_TRUE(a.has_value()) << name;
    EXPECT_TRUE(simdact::has_backward_from_output(*a)) << name;
  }
}

TEST(ErrorsMisc, RuntimeApiErrors) {
  std::vector<double> x(8, 0.5), dx(8, 7.0);
  EXPECT_THROW(simdact::forward(activation::gelu, x.data(), static_cast<double*>(nullptr), 8), simdact::error);
  EXPECT_THROW(simdact::backward(activation::gelu, x.data(), nullptr, dx.data(), 8), simdact::error);
  EXPECT_THROW(simdact::forward(activation::gelu, x.data(), x.data() + 1, 7), simdact::error);
  EXPECT_THROW(simdact::forward(activation::hard_tanh, x.data(), dx.data(), 8, simdact::params{2.0, 1.0}),
               simdact::error);
  EXPECT_THROW(simdact::backward_from_output(activation::elu, x.data(), x.data(), dx.data(), 8, {-1.0, NAN}),
               simdact::error);
  for (double v : dx) EXPECT_EQ(v, 7.0);
  EXPECT_NO_THROW(simdact::forward(activation::gelu, static_cast<const double*>(nullptr), nullptr, 0));
}

// ---------------------------------------------------------------------------
// The run-time API and the named functions' defaults.
// ---------------------------------------------------------------------------
template <class T>
void call_with_defaults(activation a, direction d, const T* in, const T* dy, T* out, std::size_t n) {
  switch (d) {
    case direction::forward:
      switch (a) {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  case activation::name:                                       \
    return simdact::name(in, out, n);
#include <simdact/detail/for_each_activation.inc>
      }
      break;
    case direction::backward:
      switch (a) {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  case activation::name:                                       \
    return simdact::name##_backward(in, dy, out, n);
#include <simdact/detail/for_each_activation.inc>
      }
      break;
    case direction::backward_from_output:
      switch (a) {
#define SIMDACT_TEST_DEFAULT_FROM_OUTPUT_0(name)
#define SIMDACT_TEST_DEFAULT_FROM_OUTPUT_1(name) \
  case activation::name:                         \
    return simdact::name##_backward_from_output(in, dy, out, n);
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) SIMDACT_TEST_DEFAULT_FROM_OUTPUT_##from_output(name)
#include <simdact/detail/for_each_activation.inc>
        default:
          break;
      }
      break;
  }
  std::abort();
}

template <class T>
void call_runtime(activation a, direction d, const T* in, const T* dy, T* out, std::size_t n, simdact::params p) {
  switch (d) {
    case direction::forward:
      return simdact::forward(a, in, out, n, p);
    case direction::backward:
      return simdact::backward(a, in, dy, out, n, p);
    case direction::backward_from_output:
      return simdact::backward_from_output(a, in, dy, out, n, p);
  }
}

class RuntimeApi : public testing::TestWithParam<api_case> {
 protected:
  template <class T>
  void matches_named() {
    const api_case& c = GetParam();
    const std::size_t n = 1000;
    std::vector<T> x(n), dy = dy_values<T>(n);
    const std::vector<T> hard = hard_points<T>();
    std::uint64_t s = 99;
    for (std::size_t i = 0; i < n; ++i) x[i] = i % 4 == 0 ? hard[i * 13 % hard.size()] : T((unit_random(s) - 0.5) * 16);
    auto same = [&](const std::vector<T>& a, const std::vector<T>& b) {
      for (std::size_t i = 0; i < n; ++i)
        if (!same_bits(a[i], b[i])) return ::testing::AssertionFailure() << "element " << i << " (x=" << x[i] << ")";
      return ::testing::AssertionSuccess();
    };
    const int arity = arity_of(c.act);
    const std::vector<ref::params> variants = variants_of(c.act);
    // Defaults: NaN params == the named function's default arguments == the contract's defaults.
    std::vector<T> named(n), runtime(n), explicit_defaults(n);
    call_with_defaults<T>(c.act, c.dir, x.data(), dy.data(), named.data(), n);
    call_runtime<T>(c.act, c.dir, x.data(), dy.data(), runtime.data(), n, {});
    call<T>(c.act, c.dir, x.data(), dy.data(), explicit_defaults.data(), n, params_as<T>(variants.front()));
    EXPECT_TRUE(same(runtime, named)) << "params{} vs the named function's defaults";
    EXPECT_TRUE(same(explicit_defaults, named))
        << "the default arguments are not the contract's " << params_text(c.act, variants.front());
    // Each variant: alpha -> first parameter, beta -> second (ONNX / oneDNN mapping).
    for (const ref::params& v : variants) {
      if (!direction_allows(c.act, c.dir, v)) continue;
      call<T>(c.act, c.dir, x.data(), dy.data(), named.data(), n, params_as<T>(v));
      simdact::params rp;
      if (arity >= 1) rp.alpha = double(T(v.p0));
      if (arity >= 2) rp.beta = double(T(v.p1));
      if (arity == 0) rp = simdact::params{0.3, -0.7};  // ignored
      call_runtime<T>(c.act, c.dir, x.data(), dy.data(), runtime.data(), n, rp);
      EXPECT_TRUE(same(runtime, named)) << params_text(c.act, v);
      if (arity == 2) {
        // One of the two left at its default.
        ref::params half = variants.front();
        half.p1 = v.p1;
        if (!(half.p0 > half.p1) || c.act != activation::hard_tanh) {
          call<T>(c.act, c.dir, x.data(), dy.data(), named.data(), n, params_as<T>(half));
          call_runtime<T>(c.act, c.dir, x.data(), dy.data(), runtime.data(), n, {NAN, double(T(v.p1))});
          EXPECT_TRUE(same(runtime, named)) << "alpha = NaN (default), beta = " << double(v.p1);
        }
      }
    }
  }
};

SIMDACT_TEST_BOTH_TYPES(RuntimeApi, SameBitsAsNamedFunctions, matches_named)

INSTANTIATE_TEST_SUITE_P(Api, RuntimeApi, testing::ValuesIn(api_cases()), api_case_name);

// ---------------------------------------------------------------------------
// Names.
// ---------------------------------------------------------------------------
TEST(Names, ActivationsRoundTrip) {
  EXPECT_EQ(simdact::activation_count, registry().size());
  std::size_t index = 0;
  for (const activation_entry& e : registry()) {
    EXPECT_EQ(static_cast<std::size_t>(e.act), index++) << "enum order differs from the registry";
    EXPECT_EQ(simdact::name(e.act), e.name);
    const auto parsed = simdact::parse_activation(e.name);
    ASSERT_TRUE(parsed.has_value()) << e.name;
    EXPECT_EQ(*parsed, e.act);
  }
  EXPECT_EQ(simdact::name(activation::gelu_tanh), "gelu_tanh");
  for (const char* bad : {"", "Relu", "relu ", "softmax", "gelu_tanh2"})
    EXPECT_FALSE(simdact::parse_activation(bad).has_value()) << '"' << bad << '"';
}

TEST(Names, IsasRoundTrip) {
  const std::pair<isa, const char*> all[] = {
      {isa::scalar, "scalar"}, {isa::sse2, "sse2"}, {isa::avx2, "avx2"}, {isa::avx512, "avx512"}, {isa::neon, "neon"}};
  for (const auto& [i, text] : all) {
    EXPECT_EQ(simdact::name(i), text);
    const auto parsed = simdact::parse_isa(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, i);
  }
  for (const char* bad : {"", "AVX2", "avx", "sse4", "avx512f"})
    EXPECT_FALSE(simdact::parse_isa(bad).has_value()) << '"' << bad << '"';
}

TEST(Names, Version) {
  const std::string v(simdact::version());
  EXPECT_TRUE(std::regex_match(v, std::regex("[0-9]+\\.[0-9]+\\.[0-9]+.*"))) << v;
}

// ---------------------------------------------------------------------------
// Dispatch and threads.
// ---------------------------------------------------------------------------
// What this CPU runs, asked independently of the library.
std::vector<isa> expected_isas() {
  std::vector<isa> out = {isa::scalar};
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  out.push_back(isa::sse2);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) out.push_back(isa::avx2);
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl"))
    out.push_back(isa::avx512);
#elif defined(__aarch64__)
  out.push_back(isa::neon);
#endif
  return out;
}

// The best ISA of `available` no later than `cap` in the enum's order.
isa best_up_to(const std::vector<isa>& available, isa cap) {
  isa best = isa::scalar;
  for (isa i : available)
    if (static_cast<int>(i) <= static_cast<int>(cap) && static_cast<int>(i) > static_cast<int>(best)) best = i;
  return best;
}

class Dispatch : public testing::Test {
 protected:
  void TearDown() override {
    simdact::set_isa(best_up_to(simdact::available_isas(), isa::neon));
    simdact::set_num_threads(0);
  }
};

TEST_F(Dispatch, AvailableIsasAreThisCpus) {
  std::vector<isa> got = simdact::available_isas();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected_isas());
}

TEST_F(Dispatch, DefaultIsTheBestAvailable) {
  // Unless SIMDACT_ISA was set for this run (then Environment checks the cap).
  if (std::getenv("SIMDACT_ISA")) GTEST_SKIP() << "SIMDACT_ISA is set for this run";
  EXPECT_EQ(simdact::active_isa(), best_up_to(expected_isas(), isa::neon));
}

TEST_F(Dispatch, SetIsaRoundTrips) {
  for (isa i : simdact::available_isas()) {
    simdact::set_isa(i);
    EXPECT_EQ(simdact::active_isa(), i);
    float x[3] = {-1, 0.5f, 2}, y[3];
    simdact::relu(x, y, 3);
    EXPECT_EQ(y[2], 2.0f) << isa_name(i);
  }
}

TEST_F(Dispatch, SetIsaOfAnUnavailableIsaThrows) {
  const std::vector<isa> available = simdact::available_isas();
  int tried = 0;
  for (isa i : {isa::scalar, isa::sse2, isa::avx2, isa::avx512, isa::neon}) {
    if (std::find(available.begin(), available.end(), i) != available.end()) continue;
    const isa before = simdact::active_isa();
    expect_error([&] { simdact::set_isa(i); }, "set_isa", std::string(simdact::name(i)), "set_isa(unavailable)");
    EXPECT_EQ(simdact::active_isa(), before);
    ++tried;
  }
  EXPECT_GT(tried, 0) << "every ISA is available: neon and x86 never both are";
}

TEST_F(Dispatch, NumThreads) {
  for (int t : {1, 2, 3, 7}) {
    simdact::set_num_threads(t);
    EXPECT_EQ(simdact::num_threads(), t);
  }
  simdact::set_num_threads(0);
  EXPECT_GE(simdact::num_threads(), 1);
  simdact::set_num_threads(2);
  expect_error([] { simdact::set_num_threads(-1); }, "set_num_threads", "threads", "set_num_threads(-1)");
  EXPECT_EQ(simdact::num_threads(), 2);
}

// The library never changes the caller's MXCSR: not its rounding mode, nor
// flush-to-zero / denormals-are-zero, whichever the caller chose.
#if defined(__x86_64__) || defined(__i386__)
TEST_F(Dispatch, LeavesTheFloatingPointEnvironmentAlone) {
  const unsigned saved = _mm_getcsr();
  const unsigned control_mask = ~0x3fu;  // all but the sticky exception flags
  for (unsigned csr : {0x1f80u, 0x1f80u | 0x8040u, 0x1f80u | 0x6000u, 0x1f80u | 0x2000u}) {
    for (isa i : simdact::available_isas()) {
      simdact::set_isa(i);
      for (int threads : {1, 2}) {
        simdact::set_num_threads(threads);
        std::vector<double> x(40000, -0.75), y(40000);
        std::vector<float> xf(40000, 3.5f), yf(40000);
        _mm_setcsr(csr);
        for (const activation_entry& e : registry()) {
          simdact::forward(e.act, x.data(), y.data(), x.size());
          simdact::backward(e.act, xf.data(), xf.data(), yf.data(), xf.size());
        }
        float dbeta;
        simdact::swish_backward(xf.data(), xf.data(), yf.data(), xf.size(), 1.0f, &dbeta);
        const unsigned after = _mm_getcsr();
        _mm_setcsr(saved);
        EXPECT_EQ(after & control_mask, csr & control_mask) << isa_name(i) << ", " << threads << " threads";
      }
    }
  }
}
#endif

// ---------------------------------------------------------------------------
// SIMDACT_ISA and SIMDACT_NUM_THREADS, read at start-up: run this binary
// again with them set (child mode above) and read what it chose.
// ---------------------------------------------------------------------------
std::string self_path() {
  char buf[4096];
  const ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (len <= 0) return "";
  return std::string(buf, std::size_t(len));
}

// The emulator a cross build runs its tests under (tests/CMakeLists.txt sets
// SIMDACT_TEST_EMULATOR from CMAKE_CROSSCOMPILING_EMULATOR): the child needs
// it too, as /proc/self/exe names the emulated program itself.
std::string emulator_prefix() {
  const char* e = std::getenv("SIMDACT_TEST_EMULATOR");
  return e && *e ? std::string(e) + " " : std::string();
}

// "isa=<name> threads=<n>" from a child with the given environment assignments.
std::string child_report(const std::string& assignments) {
  const std::string cmd = "env -u SIMDACT_ISA -u SIMDACT_NUM_THREADS SIMDACT_TEST_REPORT_CHILD=1 " + assignments + " " +
                          emulator_prefix() + "'" + self_path() + "' 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return "popen failed";
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  const int status = pclose(pipe);
  if (status != 0) out += " (exit status " + std::to_string(status) + ")";
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string report_text(isa i, int threads) {
  return "isa=" + std::string(simdact::name(i)) + " threads=" + std::to_string(threads);
}

TEST(Environment, SimdactIsaCapsTheInitialChoice) {
  ASSERT_FALSE(self_path().empty());
  const std::vector<isa> available = expected_isas();
  const std::string plain = child_report("");
  const int default_threads = std::atoi(plain.substr(plain.find("threads=") + 8).c_str());
  ASSERT_GE(default_threads, 1) << plain;
  EXPECT_EQ(plain, report_text(best_up_to(available, isa::neon), default_threads));
  for (isa cap : {isa::scalar, isa::sse2, isa::avx2, isa::avx512, isa::neon}) {
    const std::string got = child_report("SIMDACT_ISA=" + std::string(simdact::name(cap)));
    EXPECT_EQ(got, report_text(best_up_to(available, cap), default_threads)) << "SIMDACT_ISA=" << simdact::name(cap);
  }
  // An unknown name is ignored.
  EXPECT_EQ(child_report("SIMDACT_ISA=bogus"), plain);
}

TEST(Environment, SimdactNumThreadsSetsTheInitialCount) {
  ASSERT_FALSE(self_path().empty());
  const isa best = best_up_to(expected_isas(), isa::neon);
  for (int t : {1, 3, 5}) EXPECT_EQ(child_report("SIMDACT_NUM_THREADS=" + std::to_string(t)), report_text(best, t));
  const std::string plain = child_report("");
  EXPECT_EQ(child_report("SIMDACT_NUM_THREADS=0"), plain) << "0 = OpenMP's default";
  EXPECT_EQ(child_report("SIMDACT_NUM_THREADS=abc"), plain) << "an invalid value is ignored";
  EXPECT_EQ(child_report("SIMDACT_NUM_THREADS=2 SIMDACT_ISA=scalar"), report_text(isa::scalar, 2));
}

}  // namespace
}  // namespace simdact_test
