// Independent references for every activation in include/simdact/activations.def,
// written from the mathematical definitions in shared/design/api.md (never from
// the library's kernels or scalar baseline).
//
// Everything is evaluated in long double (64-bit significand on x86-64). A float
// or double input is exact in long double; where a function amplifies the
// rounding of an intermediate (exp(-v) turns an absolute error e of v into a
// relative error e; erfc(z) amplifies by 2z^2), that intermediate is carried as
// an unevaluated sum hi + lo of two long doubles (Dekker products), so the
// result is good to a few long double ulps = about 2^-60 relative, 1/100 of a
// double ulp. tests/test_elementwise_reference.cpp checks this claim against
// MPFR at 256 bits for float and double inputs, tails included.
//
// For each activation A, ref::of<activation::A> provides
//   f(x, p)                     the exact f(x) (limits at +-inf, NaN -> NaN)
//   df(x, p)                    f'(x), PyTorch's subgradient at kinks
//   df_scale(x, p)              the sum of the magnitudes of f''s terms (>= |f'|;
//                               |f'| itself where nothing cancels): where it is
//                               >= 4 |f'| (near a zero of f'), an absolute error
//                               of 8 eps |dy| df_scale is accepted
//   df_from_output(y, p)        f'(x) written in y = f(x)   [from_output = 1 only]
//   df_from_output_scale(y, p)  the same magnitude, in y
//   piecewise_linear            exact up to the one rounding of its arithmetic
//   variants()                  parameter sets to test; the first is the default
//   kinks(p)                    where f is not differentiable (gradient checks)
//   ambiguous_df(x, p, eps)     true where rounding of an intermediate may put
//                               x on either side of a kink (then either one-sided
//                               derivative is accepted: df_left / df_right)
// A registry entry without its ref::of specialisation does not compile.
#pragma once

#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include <simdact/simdact.hpp>

namespace simdact_test::ref {

using real = long double;
static_assert(std::numeric_limits<real>::digits >= 64, "the references need an extended long double");

// An activation's two parameters (p0 = alpha slot, p1 = beta slot), exactly
// as the library receives them (already rounded to T).
struct params {
  real p0 = 0;
  real p1 = 0;
};

inline constexpr real inf = std::numeric_limits<real>::infinity();
inline constexpr real nan = std::numeric_limits<real>::quiet_NaN();

namespace detail {

// hi + lo, unevaluated.
struct dd {
  real hi;
  real lo;
};

// Veltkamp split of the significand into two halves (2^32 + 1 for x87's 64
// bits, 2^57 + 1 for a 113-bit quad long double).
inline void split(real a, real& hi, real& lo) {
  constexpr real c = real(1ULL << ((std::numeric_limits<real>::digits + 1) / 2)) + 1;
  real t = c * a;
  hi = t - (t - a);
  lo = a - hi;
}

// a * b exactly as hi + lo (Dekker); lo = 0 where a * b is not finite.
inline dd mul(real a, real b) {
  const real p = a * b;
  if (!std::isfinite(p)) return {p, 0};
  real ah, al, bh, bl;
  split(a, ah, al);
  split(b, bh, bl);
  const real e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return {p, e};
}

// (a.hi + a.lo) * (b.hi + b.lo) to about 2^-126 relative.
inline dd mul(dd a, dd b) {
  dd p = mul(a.hi, b.hi);
  if (!std::isfinite(p.hi)) return {p.hi, 0};
  p.lo += a.hi * b.lo + a.lo * b.hi;
  return p;
}
inline dd mul(real a, dd b) { return mul(dd{a, 0}, b); }

// a + b exactly as hi + lo (Knuth).
inline dd add(real a, real b) {
  const real s = a + b;
  if (!std::isfinite(s)) return {s, 0};
  const real bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

// Constants as hi + lo (values from MPFR at 400 bits; hex so that they are
// exact as written).
inline constexpr dd inv_sqrt2{0xb.504f333f9de6484p-4L, 0xb.2fb1366ea957d3ep-69L};
inline constexpr dd two_sqrt_2_over_pi{0xc.c42299ea1b28468p-3L, 0xf.cb3c500bab8e2ffp-68L};
inline constexpr dd gelu_cubic{0xb.727136a400fba88p-8L, 0x9.aaa3ad18d25eddp-74L};  // 0.044715
inline constexpr real inv_sqrt_2pi = 0xc.c42299ea1b28468p-5L;
inline constexpr real two_over_sqrt_pi = 0x9.06eba8214db688dp-3L;
// SELU's constants as api.md gives them (32 significant digits).
inline constexpr real selu_alpha = 1.6732632423543772848170429916717L;
inline constexpr real selu_scale = 1.0507009873554804934193349852946L;
inline constexpr real selu_scale_alpha = 0xe.109663207818883p-3L;  // their product

// e^a; glibc's expl takes a slow error-reporting path when the result
// over- or underflows long double, so those are answered here.
inline real exp(real a) {
  if (a < -11500) return 0;
  if (a > 11400) return inf;
  return std::exp(a);
}

// sigma(v) and sigma(-v) for v = hi + lo, with 1 - sigma never formed.
struct logistic {
  real s;   // 1 / (1 + e^-v)
  real sn;  // 1 / (1 + e^v)
};
inline logistic logistic_of(dd v) {
  if (std::isnan(v.hi)) return {nan, nan};
  // e = e^-|v| = e^-|hi| * e^-+lo, with |lo| < 2^-63 |hi|: e^-lo = 1 - lo to 2^-126.
  const bool negative = v.hi < 0;
  const real e = exp(-std::fabs(v.hi)) * (negative ? 1 + v.lo : 1 - v.lo);
  const real r = 1 / (1 + e);
  return negative ? logistic{e * r, r} : logistic{r, e * r};
}

// erfc(hi + lo) = erfc(hi) - lo * 2/sqrt(pi) e^-hi^2 (+ O(lo^2 hi e^-hi^2)).
inline real erfc_of(dd z) {
  if (z.hi > 110) return 0;  // below long double's range (erfcl would take its slow path)
  const real e = std::erfc(z.hi);
  if (!std::isfinite(z.hi) || z.lo == 0) return e;
  return e - z.lo * two_over_sqrt_pi * exp(-z.hi * z.hi);
}

// e^(-x^2 / 2) with x^2 carried exactly.
inline real exp_minus_half_square(real x) {
  const dd sq = mul(x, x);
  if (!std::isfinite(sq.hi)) return 0;
  return exp(-sq.hi / 2) * (1 - sq.lo / 2);
}

// tanh's Taylor coefficients a_k (tanh x = sum a_k x^(2k+1)) from t' = 1 - t^2:
// (2k+1) a_k = -sum_{i+j=k-1} a_i a_j, a_0 = 1.
inline const std::vector<real>& tanh_taylor() {
  static const std::vector<real> a = [] {
    std::vector<real> c(40);
    c[0] = 1;
    for (std::size_t k = 1; k < c.size(); ++k) {
      real s = 0;
      for (std::size_t i = 0; i < k; ++i) s += c[i] * c[k - 1 - i];
      c[k] = -s / real(2 * k + 1);
    }
    return c;
  }();
  return a;
}

// x - tanh x: the series -sum_{k>=1} a_k x^(2k+1) for |x| < 1/2 (terms shrink
// by about (2x/pi)^2 < 0.11, so 40 terms reach far below 2^-64 and nothing
// cancels); x - tanhl(x) above, where at most 4 bits cancel.
inline real tanh_shrink(real x) {
  if (std::isnan(x) || std::isinf(x)) return x;
  if (std::fabs(x) >= 0.5L) return x - std::tanh(x);
  const std::vector<real>& a = tanh_taylor();
  const real x2 = x * x;
  real term = x * x2, sum = 0;
  for (std::size_t k = 1; k < a.size(); ++k) {
    sum -= a[k] * term;
    term *= x2;
    if (term == 0) break;
  }
  return sum;
}

// The derivative at NaN is NaN; at any other x, d.
inline real nan_or(real x, real d) { return std::isnan(x) ? x : d; }

}  // namespace detail

// Members every reference may take as they are.
template <class Self>
struct base {
  static constexpr bool piecewise_linear = false;
  static std::vector<params> variants() { return {params{}}; }
  static std::vector<real> kinks(const params&) { return {}; }
  static bool ambiguous_df(real, const params&, real) { return false; }
  static real df_left(real x, const params& p) { return Self::df(x, p); }
  static real df_right(real x, const params& p) { return Self::df(x, p); }
  // No cancelling terms: the magnitude is |f'| itself.
  static real df_scale(real x, const params& p) { return std::fabs(Self::df(x, p)); }
  static real df_from_output_scale(real y, const params& p) { return std::fabs(Self::df_from_output(y, p)); }
};

template <simdact::activation A>
struct of;  // one specialisation per registry entry, below

// sigmoid(x) = 1 / (1 + e^-x)
template <>
struct of<simdact::activation::sigmoid> : base<of<simdact::activation::sigmoid>> {
  static real f(real x, const params&) { return detail::logistic_of({x, 0}).s; }
  static real df(real x, const params&) {
    const real e = detail::exp(-std::fabs(x));
    return e / ((1 + e) * (1 + e));
  }
  static real df_from_output(real y, const params&) { return y * (1 - y); }
};

// hard_sigmoid(x) = clamp(slope x + offset, 0, 1)
template <>
struct of<simdact::activation::hard_sigmoid> : base<of<simdact::activation::hard_sigmoid>> {
  static constexpr bool piecewise_linear = true;
  static std::vector<params> variants() {
    return {{0.2L, 0.5L}, {1.0L / 6, 0.5L}, {-0.3L, 0.4L}, {2.5L, -0.25L}, {1e-3L, 0.5L}};
  }
  // slope x + offset to about 2^-64 relative to the result (not to its terms).
  static real inner(real x, const params& p) {
    const detail::dd prod = detail::mul(p.p0, x);
    const detail::dd s = detail::add(prod.hi, p.p1);
    return s.hi + (s.lo + prod.lo);
  }
  static real f(real x, const params& p) {
    const real v = inner(x, p);
    return v < 0 ? 0 : (v > 1 ? 1 : v);
  }
  static real df(real x, const params& p) {
    const real v = inner(x, p);
    return detail::nan_or(v, v > 0 && v < 1 ? p.p0 : 0);
  }
  static real df_from_output(real y, const params& p) { return detail::nan_or(y, y > 0 && y < 1 ? p.p0 : 0); }
  static std::vector<real> kinks(const params& p) { return {-p.p1 / p.p0, (1 - p.p1) / p.p0}; }
  // The library rounds slope x + offset (once with FMA, twice without) before
  // comparing it with 0 and 1: within a few roundings of a bound, both sides count.
  static bool ambiguous_df(real x, const params& p, real eps) {
    const real v = inner(x, p), slack = 4 * eps * (std::fabs(p.p0 * x) + std::fabs(p.p1) + 1);
    return std::fabs(v) <= slack || std::fabs(v - 1) <= slack;
  }
  static real df_left(real x, const params& p) { return detail::nan_or(x, p.p0); }
  static real df_right(real x, const params&) { return detail::nan_or(x, 0); }
};

// swish(x) = x sigmoid(beta x); also d swish / d beta = x^2 s(v) s(-v).
template <>
struct of<simdact::activation::swish> : base<of<simdact::activation::swish>> {
  static std::vector<params> variants() {
    return {{1.0L, 0}, {0.0L, 0}, {-1.0L, 0}, {0.5L, 0}, {1.702L, 0}, {10.0L, 0}, {-3.0L, 0}};
  }
  static real f(real x, const params& p) {
    const real beta = p.p0;
    if (std::isinf(x)) return beta > 0 ? (x > 0 ? x : 0) : beta < 0 ? (x > 0 ? 0 : x) : x;
    return x * detail::logistic_of(detail::mul(beta, x)).s;
  }
  static real df(real x, const params& p) {
    const real beta = p.p0;
    if (std::isinf(x)) return beta == 0 ? 0.5L : (beta * x > 0 ? 1 : 0);
    const detail::dd v = detail::mul(beta, x);
    const detail::logistic l = detail::logistic_of(v);
    return l.s * (1 + (v.hi + v.lo) * l.sn);
  }
  static real df_scale(real x, const params& p) {
    if (std::isinf(x) || std::isnan(x)) return std::fabs(df(x, p));
    const detail::dd v = detail::mul(p.p0, x);
    const detail::logistic l = detail::logistic_of(v);
    return l.s * (1 + std::fabs(v.hi) * l.sn);
  }
  static real dbeta(real x, const params& p) {
    if (std::isinf(x)) return p.p0 == 0 ? inf : 0;
    const detail::logistic l = detail::logistic_of(detail::mul(p.p0, x));
    return x * x * l.s * l.sn;
  }
};

// relu(x) = max(x, 0); relu'(0) = 0
template <>
struct of<simdact::activation::relu> : base<of<simdact::activation::relu>> {
  static constexpr bool piecewise_linear = true;
  static real f(real x, const params&) { return x < 0 ? 0 : x; }
  static real df(real x, const params&) { return detail::nan_or(x, x > 0 ? 1 : 0); }
  static real df_from_output(real y, const params& p) { return df(y, p); }
  static std::vector<real> kinks(const params&) { return {0}; }
};

// leaky_relu(x) = x > 0 ? x : alpha x; leaky_relu'(0) = alpha
template <>
struct of<simdact::activation::leaky_relu> : base<of<simdact::activation::leaky_relu>> {
  static constexpr bool piecewise_linear = true;
  static std::vector<params> variants() { return {{0.01L, 0}, {0.2L, 0}, {1.5L, 0}, {0.0L, 0}, {-0.5L, 0}}; }
  static real f(real x, const params& p) {
    if (x > 0 || std::isnan(x)) return x;
    return std::isinf(x) && p.p0 == 0 ? 0 : p.p0 * x;  // alpha = 0: the limit is 0
  }
  static real df(real x, const params& p) { return detail::nan_or(x, x > 0 ? 1 : p.p0); }
  static real df_from_output(real y, const params& p) { return df(y, p); }
  static std::vector<real> kinks(const params&) { return {0}; }
};

// elu(x) = x > 0 ? x : alpha (e^x - 1); elu'(0) = alpha
template <>
struct of<simdact::activation::elu> : base<of<simdact::activation::elu>> {
  static std::vector<params> variants() { return {{1.0L, 0}, {0.5L, 0}, {2.0L, 0}, {0.0L, 0}, {-1.0L, 0}}; }
  static real f(real x, const params& p) { return x > 0 ? x : p.p0 * std::expm1(x); }
  static real df(real x, const params& p) { return x > 0 ? 1 : p.p0 * detail::exp(x); }
  static real df_from_output(real y, const params& p) { return y > 0 ? 1 : y + p.p0; }
  // y + alpha cancels as x -> -inf (y -> -alpha): the terms are |y| and alpha.
  static real df_from_output_scale(real y, const params& p) {
    return y > 0 || std::isnan(y) ? std::fabs(df_from_output(y, p)) : std::fabs(y) + std::fabs(p.p0);
  }
  static std::vector<real> kinks(const params&) { return {0}; }
};

// selu(x) = scale (x > 0 ? x : alpha (e^x - 1))
template <>
struct of<simdact::activation::selu> : base<of<simdact::activation::selu>> {
  static real f(real x, const params&) {
    return x > 0 ? detail::selu_scale * x : detail::selu_scale_alpha * std::expm1(x);
  }
  static real df(real x, const params&) {
    return x > 0 ? detail::selu_scale : detail::selu_scale_alpha * detail::exp(x);
  }
  static real df_from_output(real y, const params&) {
    return y > 0 ? detail::selu_scale : y + detail::selu_scale_alpha;
  }
  static real df_from_output_scale(real y, const params& p) {
    return y > 0 || std::isnan(y) ? std::fabs(df_from_output(y, p)) : std::fabs(y) + detail::selu_scale_alpha;
  }
  static std::vector<real> kinks(const params&) { return {0}; }
};

// gelu(x) = x Phi(x) = x/2 erfc(-x / sqrt 2); gelu'(x) = Phi(x) + x phi(x)
template <>
struct of<simdact::activation::gelu> : base<of<simdact::activation::gelu>> {
  // Phi(x) = erfc(z)/2 with z = -x/sqrt2 carried as hi + lo (erfc amplifies
  // z's rounding by 2 z^2, up to 2^11 in double's range).
  static real cdf(real x) {
    if (std::isinf(x)) return x > 0 ? 1 : 0;
    detail::dd z = detail::mul(-x, detail::inv_sqrt2);
    return detail::erfc_of(z) / 2;
  }
  static real pdf_times_x(real x) {
    if (std::isinf(x)) return 0;
    return x * detail::exp_minus_half_square(x) * detail::inv_sqrt_2pi;
  }
  static real f(real x, const params&) {
    if (std::isinf(x)) return x > 0 ? x : 0;
    return x * cdf(x);
  }
  static real df(real x, const params&) { return cdf(x) + pdf_times_x(x); }
  static real df_scale(real x, const params&) { return cdf(x) + std::fabs(pdf_times_x(x)); }
};

// gelu_tanh(x) = x/2 (1 + tanh u) = x sigmoid(v), v = 2u = 2 sqrt(2/pi) (x + 0.044715 x^3)
// gelu_tanh'(x) = s(v) + x v'(x) s(v) s(-v), v' = 2 sqrt(2/pi) (1 + 3 * 0.044715 x^2)
template <>
struct of<simdact::activation::gelu_tanh> : base<of<simdact::activation::gelu_tanh>> {
  // v as hi + lo: exp(-v) amplifies v's rounding by |v| (up to 745 in double).
  static detail::dd v_of(real x) {
    using namespace detail;
    const dd sq = mul(x, x);
    const dd m = mul(gelu_cubic, sq);  // 0.044715 x^2
    dd t = add(1, m.hi);               // 1 + 0.044715 x^2
    t.lo += m.lo;
    const dd q = mul(dd{x, 0}, t);  // x (1 + 0.044715 x^2)
    return mul(two_sqrt_2_over_pi, q);
  }
  static real dv(real x) { return detail::two_sqrt_2_over_pi.hi * (1 + 3 * detail::gelu_cubic.hi * x * x); }
  static real f(real x, const params&) {
    if (std::isinf(x)) return x > 0 ? x : 0;
    return x * detail::logistic_of(v_of(x)).s;
  }
  static real df(real x, const params&) {
    if (std::isinf(x)) return x > 0 ? 1 : 0;
    const detail::logistic l = detail::logistic_of(v_of(x));
    if (l.s == 0) return 0;  // x v' overflows where s(v) underflowed: the product is 0
    return l.s * (1 + x * dv(x) * l.sn);
  }
  static real df_scale(real x, const params& p) {
    if (std::isinf(x) || std::isnan(x)) return std::fabs(df(x, p));
    const detail::logistic l = detail::logistic_of(v_of(x));
    if (l.s == 0) return 0;
    return l.s * (1 + std::fabs(x * dv(x)) * l.sn);
  }
};

// tanh(x); tanh'(x) = 1 - tanh^2 x = 4 e / (1 + e)^2, e = e^-2|x|
template <>
struct of<simdact::activation::tanh> : base<of<simdact::activation::tanh>> {
  static real f(real x, const params&) { return std::tanh(x); }
  static real df(real x, const params&) {
    const real e = detail::exp(-2 * std::fabs(x));
    return 4 * e / ((1 + e) * (1 + e));
  }
  static real df_from_output(real y, const params&) { return (1 - y) * (1 + y); }
};

// hard_tanh(x) = clamp(x, min_val, max_val); derivative 0 at and beyond both bounds
template <>
struct of<simdact::activation::hard_tanh> : base<of<simdact::activation::hard_tanh>> {
  static constexpr bool piecewise_linear = true;
  static std::vector<params> variants() {
    return {{-1.0L, 1.0L}, {0.0L, 6.0L}, {-2.0L, 3.0L}, {0.5L, 0.5L}, {-0.25L, -0.125L}};
  }
  static real f(real x, const params& p) { return x < p.p0 ? p.p0 : (x > p.p1 ? p.p1 : x); }
  static real df(real x, const params& p) { return detail::nan_or(x, x > p.p0 && x < p.p1 ? 1 : 0); }
  static real df_from_output(real y, const params& p) { return df(y, p); }
  static std::vector<real> kinks(const params& p) { return {p.p0, p.p1}; }
};

// tanh_shrink(x) = x - tanh x; tanh_shrink'(x) = tanh^2 x
template <>
struct of<simdact::activation::tanh_shrink> : base<of<simdact::activation::tanh_shrink>> {
  static real f(real x, const params&) { return detail::tanh_shrink(x); }
  static real df(real x, const params&) {
    const real t = std::tanh(x);
    return t * t;
  }
};

}  // namespace simdact_test::ref
