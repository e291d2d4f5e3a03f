// What the elementwise tests and tools/accuracy_report share: the registry-driven
// list of (activation, direction) cases, calls into the named public functions,
// the contract's error bounds applied to one element, the input sets (float
// bit-pattern strides, double log-uniform randoms, hard points) and a sweep
// runner that compares a whole input set against tests/reference.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <simdact/simdact.hpp>

#include "reference.hpp"
#include "test_scale.hpp"
#include "ulp.hpp"

namespace simdact_test {

using ref::real;
using simdact::activation;
using simdact::isa;

enum class direction { forward, backward, backward_from_output };

inline const char* direction_name(direction d) {
  switch (d) {
    case direction::forward:
      return "forward";
    case direction::backward:
      return "backward";
    case direction::backward_from_output:
      return "backward_from_output";
  }
  return "?";
}

// ---------------------------------------------------------------------------
// The registry, seen through a visitor: f(tag) with the activation's
// reference type, arity and from_output flag as compile-time constants.
// ---------------------------------------------------------------------------
template <activation A, int Arity, bool FromOutput>
struct activation_tag {
  using reference = ref::of<A>;
  static constexpr activation value = A;
  static constexpr int arity = Arity;
  static constexpr bool from_output = FromOutput;
};

template <class F>
decltype(auto) visit(activation a, F&& f) {
  switch (a) {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  case activation::name:                                       \
    return f(activation_tag<activation::name, arity, from_output != 0>{});
#include <simdact/detail/for_each_activation.inc>
  }
  std::abort();
}

struct activation_entry {
  activation act;
  const char* name;
  int arity;
  bool from_output;
};

inline const std::vector<activation_entry>& registry() {
  static const std::vector<activation_entry> list = {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) {activation::name, #name, arity, from_output != 0},
#include <simdact/detail/for_each_activation.inc>
  };
  return list;
}

struct activation_direction {
  activation act;
  direction dir;
};

// Every (activation, direction) the registry declares.
inline std::vector<activation_direction> all_activation_directions() {
  std::vector<activation_direction> out;
  for (const activation_entry& e : registry()) {
    out.push_back({e.act, direction::forward});
    out.push_back({e.act, direction::backward});
    if (e.from_output) out.push_back({e.act, direction::backward_from_output});
  }
  return out;
}

inline std::string activation_name(activation a) {
  for (const activation_entry& e : registry())
    if (e.act == a) return e.name;
  return "?";
}

// The ISAs a test is instantiated for on this architecture; a missing one is skipped.
inline std::vector<isa> isas_under_test() {
#if defined(__x86_64__) || defined(__i386__)
  return {isa::scalar, isa::sse2, isa::avx2, isa::avx512};
#elif defined(__aarch64__)
  return {isa::scalar, isa::neon};
#else
  return {isa::scalar};
#endif
}

inline const char* isa_name(isa i) {
  switch (i) {
    case isa::scalar:
      return "scalar";
    case isa::sse2:
      return "sse2";
    case isa::avx2:
      return "avx2";
    case isa::avx512:
      return "avx512";
    case isa::neon:
      return "neon";
  }
  return "?";
}

inline bool isa_available(isa i) {
  for (isa a : simdact::available_isas())
    if (a == i) return true;
  return false;
}

// The ISAs whose hard_sigmoid rounds slope * x + offset once (FMA, or std::fma).
inline bool isa_fuses(isa i) { return i != isa::sse2; }

template <class T>
const char* type_name() {
  return std::is_same<T, float>::value ? "float" : "double";
}

// The parameters as the library sees them: rounded to T.
template <class T>
ref::params params_as(const ref::params& p) {
  return {real(T(p.p0)), real(T(p.p1))};
}

template <activation A>
bool from_output_allows(const ref::params& p) {
  if constexpr (A == activation::leaky_relu) return p.p0 > 0;
  if constexpr (A == activation::elu) return p.p0 >= 0;
  return true;
}

inline bool direction_allows(activation a, direction d, const ref::params& p) {
  if (d != direction::backward_from_output) return true;
  return visit(a, [&](auto tag) { return from_output_allows<decltype(tag)::value>(p); });
}

inline std::vector<ref::params> variants_of(activation a) {
  return visit(a, [](auto tag) { return decltype(tag)::reference::variants(); });
}

inline std::string params_text(activation a, const ref::params& p) {
  const int arity = visit(a, [](auto tag) { return decltype(tag)::arity; });
  std::ostringstream s;
  s.precision(17);
  if (arity >= 1) s << "p0=" << double(p.p0);
  if (arity >= 2) s << " p1=" << double(p.p1);
  return s.str();
}

// ---------------------------------------------------------------------------
// Calls into the named public functions (NAME, NAME_backward,
// NAME_backward_from_output) with the registry's parameter slots.
// ---------------------------------------------------------------------------
#define SIMDACT_TEST_ARGS_0(p0, p1)
#define SIMDACT_TEST_ARGS_1(p0, p1) , p0
#define SIMDACT_TEST_ARGS_2(p0, p1) , p0, p1

template <class T>
void call_forward(activation a, const T* x, T* y, std::size_t n, T p0, T p1) {
  (void)p0, (void)p1;
  switch (a) {
#define SIMDACT_EACH(name, arity, P0, D0, P1, D1, from_output) \
  case activation::name:                                       \
    simdact::name(x, y, n SIMDACT_TEST_ARGS_##arity(p0, p1));  \
    return;
#include <simdact/detail/for_each_activation.inc>
  }
  std::abort();
}

template <class T>
void call_backward(activation a, const T* x, const T* dy, T* dx, std::size_t n, T p0, T p1) {
  (void)p0, (void)p1;
  switch (a) {
#define SIMDACT_EACH(name, arity, P0, D0, P1, D1, from_output)                \
  case activation::name:                                                      \
    simdact::name##_backward(x, dy, dx, n SIMDACT_TEST_ARGS_##arity(p0, p1)); \
    return;
#include <simdact/detail/for_each_activation.inc>
  }
  std::abort();
}

#define SIMDACT_TEST_FROM_OUTPUT_0(name, arity)
#define SIMDACT_TEST_FROM_OUTPUT_1(name, arity)                                           \
  case activation::name:                                                                  \
    simdact::name##_backward_from_output(y, dy, dx, n SIMDACT_TEST_ARGS_##arity(p0, p1)); \
    return;

template <class T>
void call_backward_from_output(activation a, const T* y, const T* dy, T* dx, std::size_t n, T p0, T p1) {
  (void)p0, (void)p1;
  switch (a) {
#define SIMDACT_EACH(name, arity, P0, D0, P1, D1, from_output) SIMDACT_TEST_FROM_OUTPUT_##from_output(name, arity)
#include <simdact/detail/for_each_activation.inc>
    default:
      break;
  }
  std::abort();  // no such function: the caller asked for a direction the registry lacks
}

// One call in direction d: `in` is x (forward, backward) or y (from output);
// dy is ignored by forward.
template <class T>
void call(activation a, direction d, const T* in, const T* dy, T* out, std::size_t n, const ref::params& p) {
  const T p0 = T(p.p0), p1 = T(p.p1);
  switch (d) {
    case direction::forward:
      return call_forward(a, in, out, n, p0, p1);
    case direction::backward:
      return call_backward(a, in, dy, out, n, p0, p1);
    case direction::backward_from_output:
      return call_backward_from_output(a, in, dy, out, n, p0, p1);
  }
}

// ---------------------------------------------------------------------------
// The contract's bounds on one element.
//   forward: <= 4 ulp where the exact result is normal; |err| <= smallest
//     normal where it is subnormal. Piecewise linear functions: correctly
//     rounded (0.5 ulp), hard_sigmoid without FMA: + 0.5 ulp(slope x).
//   backward (dx = dy f'): <= 8 ulp, or |err| <= 8 eps |dy| df_scale near a
//     zero of f' (df_scale = the sum of the magnitudes of f''s terms, see
//     reference.hpp; "near" = where they cancel by 2 bits or more, df_scale
//     >= 4 |f'|; elsewhere the 8 ulp bound alone), or |err| <= smallest
//     normal where the exact dx is subnormal. Piecewise linear: 0.5 ulp (one
//     product); near a kink that rounding may cross, either side's value.
// ---------------------------------------------------------------------------
struct verdict {
  bool ok = true;
  real exact = 0;
  real ulps = 0;            // |err| / ulp(exact)
  bool cancelling = false;  // near a zero of f': the absolute clause applies
  real abs_units = 0;       // |err| / (eps |dy| df_scale) where cancelling
  bool special = false;     // accepted by a clause other than the ULP bound
};

// What the reference says about one element, before seeing any output.
struct expectation {
  real exact = 0;
  real scale = 0;  // |dy| df_scale where f''s terms cancel (backward), else 0
  bool piecewise = false;
  bool forward = false;
  real unfused_extra = 0;    // hard_sigmoid forward without FMA: 0.5 ulp(slope x)
  bool ambiguous = false;    // near a kink: either one-sided derivative is fine
  real left = 0, right = 0;  // dy times those derivatives
  // An infinite dy where f' is within its cancellation bound (8 eps df_scale) of 0: the slope as T holds it
  // may be 0 or of either sign, so NaN and either infinity are all right (selu from y = -scale alpha).
  bool infinite_near_zero = false;
};

// dy times an exact derivative, as the backward contract defines it: an infinite dy meets the
// derivative as T holds it (inf * (a slope rounded to 0) is NaN, as IEEE multiplication of dy by
// the rounded derivative gives; README, "Activations"), a finite dy the exact one.
template <class T>
real times_dy(T dy, real derivative) {
  return real(dy) * (std::isinf(dy) ? real(T(derivative)) : derivative);
}
template <class T>
bool infinite_dy_near_zero(T dy, real derivative, real df_scale) {
  return std::isinf(dy) && std::fabs(derivative) <= 8 * eps_v<T> * df_scale;
}

template <class T>
expectation expect_of(activation a, direction d, const ref::params& p, T in, T dy) {
  return visit(a, [&](auto tag) {
    using R = typename decltype(tag)::reference;
    expectation e;
    const real x = in, g = dy;
    e.piecewise = R::piecewise_linear;
    e.forward = d == direction::forward;
    if (d == direction::forward) {
      e.exact = R::f(x, p);
      if (decltype(tag)::value == activation::hard_sigmoid) e.unfused_extra = 0.5L * ulp_of<T>(p.p0 * x);
    } else if (d == direction::backward) {
      e.exact = times_dy(dy, R::df(x, p));
      e.infinite_near_zero = infinite_dy_near_zero(dy, R::df(x, p), R::df_scale(x, p));
      e.scale = std::fabs(g) * R::df_scale(x, p);
      if (!(e.scale >= 4 * std::fabs(e.exact))) e.scale = 0;
      if (R::ambiguous_df(x, p, eps_v<T>)) {
        e.ambiguous = true;
        e.left = g * R::df_left(x, p);
        e.right = g * R::df_right(x, p);
      }
    } else {
      if constexpr (decltype(tag)::from_output) {
        e.exact = times_dy(dy, R::df_from_output(x, p));
        e.infinite_near_zero = infinite_dy_near_zero(dy, R::df_from_output(x, p), R::df_from_output_scale(x, p));
        e.scale = std::fabs(g) * R::df_from_output_scale(x, p);
        if (!(e.scale >= 4 * std::fabs(e.exact))) e.scale = 0;
      } else {
        std::abort();
      }
    }
    return e;
  });
}

// Correctly rounded (within the long double reference's own rounding).
template <class T>
bool correctly_rounded(T out, real exact) {
  return ulp_error<T>(out, exact) == 0 || std::fabs(real(out) - exact) <= 0.5L * ulp_of<T>(exact) * (1 + 0x1p-8L);
}

template <class T>
verdict assess(const expectation& e, T out, bool fused) {
  verdict v;
  v.exact = e.exact;
  v.ulps = ulp_error<T>(out, e.exact);
  const real err = std::fabs(real(out) - e.exact);
  if (e.piecewise) {
    v.ok = correctly_rounded(out, e.exact);
    if (!v.ok && !fused && err <= 0.5L * ulp_of<T>(e.exact) * (1 + 0x1p-8L) + e.unfused_extra) v.ok = v.special = true;
    if (!v.ok && e.ambiguous && (correctly_rounded(out, e.left) || correctly_rounded(out, e.right)))
      v.ok = v.special = true;
    return v;
  }
  if (e.infinite_near_zero && (std::isnan(out) || std::isinf(out))) {
    v.ok = v.special = true;
    return v;
  }
  const real bound_ulps = e.forward ? 4 : 8;
  v.ok = v.ulps <= bound_ulps;
  if (!v.ok && std::fabs(e.exact) < min_normal_v<T> && err <= min_normal_v<T>) v.ok = v.special = true;
  if (e.scale > 0 && std::fabs(e.exact) >= min_normal_v<T>) {
    // Near a zero of f' (its terms cancel by 2 bits or more): 8 eps |dy| df_scale.
    v.cancelling = true;
    v.abs_units = err / (eps_v<T> * e.scale);
    if (!v.ok && err <= 8 * eps_v<T> * e.scale) v.ok = true;
  }
  return v;
}

template <class T>
verdict judge(activation a, direction d, const ref::params& p, T in, T dy, T out, bool fused) {
  return assess(expect_of(a, d, p, in, dy), out, fused);
}

// ---------------------------------------------------------------------------
// Inputs.
// ---------------------------------------------------------------------------
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
// Uniform in [0, 1).
inline double unit_random(std::uint64_t& state) { return double(splitmix64(state) >> 11) * 0x1p-53; }

// dy for element i: 1 for every fourth, else +-2^u with u uniform in [-1, 1).
template <class T>
T dy_for(std::size_t i) {
  if (i % 4 == 0) return T(1);
  std::uint64_t s = 0x5eed0000 + i;
  const double u = unit_random(s);
  const double m = std::exp2(2 * u - 1);
  return T(i % 4 == 2 ? -m : m);
}

template <class T>
std::vector<T> dy_values(std::size_t n) {
  std::vector<T> dy(n);
  for (std::size_t i = 0; i < n; ++i) dy[i] = dy_for<T>(i);
  return dy;
}

// Every stride-th float bit pattern (NaNs and infinities included), both signs.
inline std::vector<float> float_stride_inputs(std::uint64_t stride) {
  std::vector<float> v;
  v.reserve((std::uint64_t(1) << 32) / stride + 1);
  for (std::uint64_t b = 0; b < (std::uint64_t(1) << 32); b += stride) {
    const std::uint32_t u = static_cast<std::uint32_t>(b);
    float f;
    std::memcpy(&f, &u, sizeof f);
    v.push_back(f);
  }
  return v;
}

// count doubles of random sign: a third log-uniform over every magnitude
// (2^-1074 .. 2^1024), a third log-uniform over 2^-12 .. 2^10, a third uniform
// in [-48, 48].
inline std::vector<double> double_random_inputs(std::size_t count, std::uint64_t seed) {
  std::vector<double> v(count);
  std::uint64_t s = seed;
  for (std::size_t i = 0; i < count; ++i) {
    const double sign = (splitmix64(s) & 1) ? -1.0 : 1.0;
    double m;
    switch (i % 3) {
      case 0:
        m = std::ldexp(1 + unit_random(s), int(unit_random(s) * 2098) - 1075);
        break;
      case 1:
        m = std::exp2(unit_random(s) * 22 - 12);
        break;
      default:
        m = 48 * unit_random(s);
        break;
    }
    v[i] = sign * m;
  }
  return v;
}

// Named hard points and their neighbours (+-1..3 ulp), both signs, the
// specials, and fine grids over the tails where results go subnormal.
template <class T>
std::vector<T> hard_points() {
  using lim = std::numeric_limits<T>;
  const long double named[] = {// the examples
                               87, 10, 9, 1e-30L, 1e-4L, 80,
                               // tiny, scale changes, polynomial/table switch points
                               1e-38L, 1e-30L, 1e-20L, 1e-15L, 1e-10L, 1e-8L, 1e-7L, 1e-6L, 1e-5L, 1e-3L, 0.01L, 0.1L,
                               0.125L, 0.25L, 0.3L, 0.5L, 0.625L, 0.75L, 1, 1.25L, 1.5L, 2, 2.5L, 3, 3.5L, 4, 5, 6, 7,
                               8, 12, 13, 14, 15, 16, 18, 20, 25, 26, 27, 28, 30, 37, 37.5L, 38, 39, 40, 50, 64,
                               // exp over/underflow in float and double
                               86, 87.3365447505531L, 88, 88.7228391116729L, 89, 100, 102, 103, 103.972077083992L, 104,
                               105, 150, 200, 500, 700, 708, 708.396418532264L, 709, 709.782712893384L, 710, 740, 744,
                               744.440071921381L, 745, 745.133219101941L, 746, 750, 1000,
                               // large
                               1e4L, 1e6L, 1e10L, 1e15L, 1e20L, 1e30L, 1e38L, 3e38L, 1e100L, 1e200L, 1e300L, 1.7e308L,
                               // zeros of the derivatives (swish, gelu, gelu_tanh)
                               1.2784645427610738L, 0.7517915241993700L, 0.7524614523L};
  std::vector<T> base;
  for (long double v : named)
    for (long double s : {1.0L, -1.0L}) base.push_back(T(s * v));
  // the last inputs whose selu rounds to max(), not inf (float(scale) x overflowed there)
  const T selu_overflow = T(static_cast<real>(lim::max()) / ref::detail::selu_scale);
  for (T v : {lim::min(), lim::denorm_min(), lim::max(), T(lim::min() * 4), T(lim::epsilon()), T(1) - lim::epsilon(),
              selu_overflow})
    for (T s : {T(1), T(-1)}) base.push_back(s * v);
  std::vector<T> out = {T(0), T(-0.0), lim::infinity(), -lim::infinity(), lim::quiet_NaN()};
  for (T v : base) {
    if (!std::isfinite(v)) continue;
    out.push_back(v);
    T up = v, down = v;
    for (int k = 0; k < 3; ++k) {
      up = std::nextafter(up, lim::infinity());
      down = std::nextafter(down, -lim::infinity());
      out.push_back(up);
      out.push_back(down);
    }
  }
  // The grids, every `thin`-th point under SIMDACT_TEST_SCALE (odd, so that
  // a thinned grid still meets both parities of i).
  const int thin = int(scaled_stride(1));
  for (int i = -960; i <= 960; i += thin) out.push_back(T(i / 8.0));  // [-120, 120] step 1/8
  if (std::is_same<T, double>::value) {
    for (int i = -3040; i <= -2400; i += thin) out.push_back(T(i / 4.0));   // [-760, -600]
    for (int i = -2560; i <= -1920; i += thin) out.push_back(T(i / 64.0));  // [-40, -30]
  }
  // around the derivative zeros, 1e-3 wide
  for (long double z : {1.2784645427610738L, 0.7517915241993700L, 0.7524614523L})
    for (int i = -64; i <= 64; i += thin) out.push_back(T(-z + i * 1.5625e-5L));
  return out;
}

// ---------------------------------------------------------------------------
// Sweeps.
// ---------------------------------------------------------------------------
template <class T>
struct failure {
  T in, dy, out;
  real exact, ulps;
};

template <class T>
struct sweep_result {
  std::size_t count = 0, failures = 0;
  real max_ulps = 0;  // over elements judged in ULPs (exact normal, not cancelling)
  T worst_in = 0, worst_dy = 0, worst_out = 0;
  real worst_exact = 0;
  real max_abs_units = 0;  // where cancelling: |err| / (eps |dy| df_scale)
  T worst_abs_in = 0;
  std::vector<failure<T>> first;  // the first few failures

  void merge(const sweep_result& o) {
    count += o.count;
    failures += o.failures;
    if (o.max_ulps > max_ulps) {
      max_ulps = o.max_ulps;
      worst_in = o.worst_in, worst_dy = o.worst_dy, worst_out = o.worst_out, worst_exact = o.worst_exact;
    }
    if (o.max_abs_units > max_abs_units) max_abs_units = o.max_abs_units, worst_abs_in = o.worst_abs_in;
    for (const failure<T>& f : o.first)
      if (first.size() < 12) first.push_back(f);
  }
};

// The inputs of direction d derived from x: x itself, or y = f(x) rounded
// to T from the reference (what a framework would have saved).
template <class T>
std::vector<T> direction_inputs(activation a, direction d, const ref::params& p, const std::vector<T>& x) {
  if (d != direction::backward_from_output) return x;
  std::vector<T> y(x.size());
  visit(a, [&](auto tag) {
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = T(decltype(tag)::reference::f(real(x[i]), p));
  });
  return y;
}

// Judges outs[k][i] against the reference for every i and every output set
// k (one per ISA: the reference is computed once), on all hardware threads.
template <class T>
std::vector<sweep_result<T>> judge_all(activation a, direction d, const ref::params& p, const std::vector<T>& in,
                                       const std::vector<T>& dy, const std::vector<const std::vector<T>*>& outs,
                                       const std::vector<bool>& fused) {
  const std::size_t n = in.size(), sets = outs.size();
  const unsigned workers = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  std::vector<std::vector<sweep_result<T>>> parts(workers, std::vector<sweep_result<T>>(sets));
  auto work = [&](unsigned w) {
    for (std::size_t i = n * w / workers; i < n * (w + 1) / workers; ++i) {
      const expectation e = expect_of(a, d, p, in[i], dy[i]);
      for (std::size_t k = 0; k < sets; ++k) {
        sweep_result<T>& r = parts[w][k];
        const T out = (*outs[k])[i];
        const verdict v = assess(e, out, fused[k]);
        ++r.count;
        const bool normal = std::fabs(v.exact) >= min_normal_v<T>;
        if (normal && !v.cancelling && !v.special && v.ulps > r.max_ulps) {
          r.max_ulps = v.ulps;
          r.worst_in = in[i], r.worst_dy = dy[i], r.worst_out = out, r.worst_exact = v.exact;
        }
        if (v.cancelling && v.abs_units > r.max_abs_units) r.max_abs_units = v.abs_units, r.worst_abs_in = in[i];
        if (!v.ok) {
          ++r.failures;
          if (r.first.size() < 12) r.first.push_back({in[i], dy[i], out, v.exact, v.ulps});
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (std::thread& t : threads) t.join();
  std::vector<sweep_result<T>> total(sets);
  for (const auto& part : parts)
    for (std::size_t k = 0; k < sets; ++k) total[k].merge(part[k]);
  return total;
}

// Runs the library on x (mapped to y for backward_from_output) on each ISA
// in turn and judges every element of every ISA's output.
template <class T>
std::vector<sweep_result<T>> run_sweeps(activation a, direction d, const ref::params& p, const std::vector<T>& x,
                                        const std::vector<isa>& targets) {
  const ref::params pt = params_as<T>(p);
  const std::vector<T> in = direction_inputs(a, d, pt, x);
  const std::vector<T> dy = dy_values<T>(in.size());
  std::vector<std::vector<T>> outs(targets.size(), std::vector<T>(in.size()));
  std::vector<const std::vector<T>*> views;
  std::vector<bool> fused;
  const isa saved = simdact::active_isa();
  for (std::size_t k = 0; k < targets.size(); ++k) {
    simdact::set_isa(targets[k]);
    call(a, d, in.data(), dy.data(), outs[k].data(), in.size(), pt);
    views.push_back(&outs[k]);
    fused.push_back(isa_fuses(targets[k]));
  }
  simdact::set_isa(saved);
  return judge_all(a, d, pt, in, dy, views, fused);
}

// The same for one ISA.
template <class T>
sweep_result<T> run_sweep(activation a, direction d, const ref::params& p, const std::vector<T>& x, isa target) {
  return run_sweeps(a, d, p, x, {target}).front();
}

inline std::string exact_text(real v) {
  std::ostringstream s;
  s.precision(21);
  s << v;
  return s.str();
}

template <class T>
std::string describe(const sweep_result<T>& r, direction d) {
  std::ostringstream s;
  s.precision(std::numeric_limits<T>::max_digits10);
  s << r.failures << " of " << r.count << " elements out of bounds; max " << double(r.max_ulps)
    << " ulp at in=" << r.worst_in;
  if (d != direction::forward) s << " dy=" << r.worst_dy;
  s << " (got " << r.worst_out << ", exact " << exact_text(r.worst_exact) << ")";
  if (r.max_abs_units > 0)
    s << "; near f' zeros max |err| = " << double(r.max_abs_units) << " eps|dy|scale at in=" << r.worst_abs_in;
  for (const failure<T>& f : r.first) {
    s << "\n  in=" << f.in;
    if (d != direction::forward) s << " dy=" << f.dy;
    s << " got=" << f.out << " exact=" << exact_text(f.exact) << " (" << double(f.ulps) << " ulp)";
  }
  return s.str();
}

}  // namespace simdact_test
