// gelu_tanh(x) = x/2 (1 + tanh u) = x sigmoid(v), v = 2u = 2 sqrt(2/pi) (x + 0.044715 x^3), from e^-v(|x|)
// alone: x < 0: x e^-v / (1 + e^-v), x >= 0: x / (1 + e^-v) (one exp, one division). e^-v = 2^-y, y = v log2e =
// |x| p with p carried as p + p_lo (exp amplifies y's absolute error), |x| p exact inside the fused reduction
// (math::exp2_neg_product: the AVX-512 register table, elsewhere a degree-6 polynomial). AVX-512 replaces the
// selects by masked steps. gelu_tanh'(x) = s(v) (1 + x v' s(-v)). Domain: all x (NaN, +-inf; underflow to -0
// near -10.5 / -21.9). Measured (tools/exhaustive, float, STRIDE=16): forward avx512 2.71 ULP, avx2 3.10;
// backward avx512 6.28, avx2 5.88.
#pragma once

#include "kernels/namespace.hpp"

#include "kernels/common.hpp"
#include "kernels/math/dd.hpp"
#include "kernels/math/eft.hpp"
#include "kernels/math/exp.hpp"
#include "kernels/math/scale.hpp"
#include "kernels/scalar_wide.hpp"

SIMDACT_KERNELS_BEGIN
namespace kernels {

struct gelu_tanh_kernel : unconstrained {
  static constexpr long double two_sqrt_2_over_pi = 1.59576912160573071175978423971260541L;
  static constexpr long double cubic = 0.044715L;

  // Below -x_max gelu_tanh rounds to 0 (v < -142 / -1025); above x_max sigma(v) is 1.
  template <class T>
  static constexpr T x_max = sizeof(T) == sizeof(float) ? T(12) : T(24);
  // Below -slope_x_max dy gelu_tanh'(x) rounds to 0 for every finite dy (|slope| < 2^-305 / 2^-2312; at
  // -x_max it is 2^-197 / 2^-1467, which a large dy brings back: x = -12.004, dy = 1.1e38 gives -5.3e-22).
  template <class T>
  static constexpr T slope_x_max = sizeof(T) == sizeof(float) ? T(14) : T(28);
  // e^-v below 2^floor is 0 next to 1 + x v' (|x v'| < 2^13) in T; 2^floor is normal
  template <class T>
  static constexpr T floor_expo = sizeof(T) == sizeof(float) ? T(-100) : T(-600);

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    using B = batch<T, A>;
#if defined(__AVX512F__)
    if constexpr (math::has_scalef_v<A>) {
      // as below, with masked steps for the selects and no floor on n (vscalef saturates)
      B a = math::abs_min(x, B(x_max<T>));  // NaN gives x_max: NaN reaches the result through num
      B n, sq;
      B m = exp_minus_v(a, n, sq);
      auto negative = x < B(T(0));
      B den = B(T(1)) + math::scalef(m, n);
      B num = math::mul_where(negative, xsimd::max(B(-x_max<T>), x), m);
      return math::scalef_where(negative, math::divide(num, den), n);
    }
#endif
    B a = xsimd::min(B(x_max<T>), xsimd::abs(x));  // NaN kept (x86 min returns its second operand)
    B n, sq;
    B m = exp_minus_v(a, n, sq);  // e^-v(|x|) = m 2^n, n in [-206, 0] (float) / [-1479, 0] (double)
    auto negative = x < B(T(0));
    // x < 0: x e^-v / (1 + e^-v) = x (m 2^(n + k)) / (2^k (1 + e^-v)): one power of two 2^(n + k) that
    // stays normal, and the division's one rounding also where the result is subnormal.
    // x >= 0: x / (1 + e^-v). -inf: -x_max (result -0).
    constexpr T k = sizeof(T) == sizeof(float) ? T(81) : T(460);
    B mp = m * math::pow2_plus(n, k);  // exact
    B e = mp * B(std::ldexp(T(1), -int(k)));
    B s = xsimd::select(negative, B(std::ldexp(T(1), int(k))), B(T(1)));
    B num = xsimd::max(B(-x_max<T>), x) * xsimd::select(negative, mp, B(T(1)));
    return math::divide(num, math::fma(e, s, s));  // s (1 + e) rounded once
  }

  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    constexpr math::split_constant<T> k(two_sqrt_2_over_pi);
    B a = xsimd::min(B(slope_x_max<T>), xsimd::abs(x));
    B n, sq;
    B m = exp_minus_v(a, n, sq);  // n in [-315, 0] (float) / [-2324, 0] (double)
    auto negative = x < B(T(0));
    B e = math::scale_normal(m, xsimd::max(n, B(floor_expo<T>)));
    B den = B(T(1)) + e;
    B den_lo = (B(T(1)) - den) + e;  // 1 + e = den + den_lo exactly (e <= 1 where it matters: x < 0)
    B rd = math::divide(B(T(1)), den);
    B xc = xsimd::copysign(a, x);
    // v'(x) = A + 3B x^2 = dv + dv_lo (Fast2Sum exact for |x| < 2.7, where 1 + x v' s(-v) cancels)
    constexpr math::split_constant<T> b3(3 * cubic * two_sqrt_2_over_pi);
    B w = B(b3.hi) * sq;
    B dv = B(k.hi) + w;
    B dv_lo = ((B(k.hi) - dv) + w) + math::fma(B(b3.hi), sq, -w) + math::fma(B(b3.lo), sq, B(k.lo));
    // 1 + x v' s(-v): x < 0: s(-v) = 1/(1 + e), the sum 1 + e + x v' (it cancels near -1.28) with x v' exact
    // in the fused operation; x >= 0: s(-v) = e/(1 + e), no cancellation
    B g_neg = (math::fma_exact_product(xc, dv, den) + math::fma(xc, dv_lo, den_lo)) * rd;
    B g_pos = math::fma(xc * dv, e * rd, B(T(1)));
    // s(v) = e/(1 + e) = m rd 2^n (x < 0), 1/(1 + e) (x >= 0)
    B d = xsimd::select(negative, m * g_neg, g_pos) * rd;
    // d in [2^5, 2^13) wherever n is below the floor (x < -8 / -20, where |x v'| > 2^6): its 2^n after the
    // product with dy (x = -10.37, dy = 1.1e38: the slope alone is subnormal, dy d 2^n is 0.05)
    return dy_times_scaled_slope(dy, d, xsimd::select(negative, n, B(T(0))));
  }

  template <class T>
  static T scalar_forward(T x, const kparams<T>&) {
    auto formula = [](auto w) {
      using W = decltype(w);
      W v = W(two_sqrt_2_over_pi) * (w + W(cubic) * w * w * w);
      if (std::fabs(v) > W(logistic_saturation<T>)) return v > 0 ? w : W(0);
      return w / (W(1) + std::exp(-v));
    };
    return scalar_eval(x, formula, [](T v) { return v < T(-1); });
  }
  template <class T>
  static T scalar_backward(T x, T dy, const kparams<T>&) {
    auto formula = [](auto w) {
      using W = decltype(w);
      W v = W(two_sqrt_2_over_pi) * (w + W(cubic) * w * w * w);
      if (std::fabs(v) > W(logistic_saturation<T>)) return v > 0 ? W(1) : W(0);
      W dv = W(two_sqrt_2_over_pi) * (W(1) + W(3 * cubic) * w * w);
      W s = W(1) / (W(1) + std::exp(-v));
      W sn = W(1) / (W(1) + std::exp(v));
      return s * (W(1) + w * dv * sn);
    };
    return scalar_dy_times_slope(x, dy, formula, [](T v) { return v < T(-1); });
  }

 private:
  // 2^-y(a) = e^-v(a), y = v log2e = a p, p = A' + B' a^2 (A' = 2 sqrt(2/pi) log2e, B' = 0.044715 A').
  static constexpr long double log2e = 1.44269504088896340735992468100189214L;
  static constexpr long double a2 = two_sqrt_2_over_pi * log2e;
  static constexpr long double b2 = a2 * cubic;
  // p = (c + B'_hi a^2) - offset rounds B'_hi a^2 to the grid of [offset, 2 offset), where p < offset
  // (float: a <= 14, p <= 22.5 < 32; double: a <= 28, p <= 83.1 < 128); A'_hi on that grid too, so
  // p - A'_hi (the rounded B'_hi a^2) is exact.
  template <class T>
  struct poly_consts {
    static constexpr long double offset = sizeof(T) == sizeof(float) ? 32.0L : 128.0L;
    static constexpr long double grid = sizeof(T) == sizeof(float) ? 0x1p-18L : 0x1p-45L;
    static constexpr long double a_hi = static_cast<long double>(static_cast<long long>(a2 / grid + 0.5L)) * grid;
    static constexpr T c = T(offset + a_hi);
    static constexpr T off = T(offset);
    static constexpr T ahi = T(a_hi);
    static constexpr T alo = T(a2 - a_hi);
    static constexpr math::split_constant<T> b{b2};
  };

  // e^-v(a) = m 2^floor(n) for 0 <= a <= slope_x_max (NaN: NaN), v(a) = 2 sqrt(2/pi) a (1 + 0.044715 a^2): see
  // math::exp2_neg_product for m and n. exp amplifies v's absolute error into the result's relative one
  // (v ~ 100 where float results underflow), so p carries twice T's precision as p + p_lo: a^2 exact as
  // sq + sq_lo, B'_hi sq + A'_hi rounded once onto a grid where the sum is exact, and the rounding
  // residue recovered by one more fused operation (error below 2^-43 relative to p, float).
  template <class B>
  static B exp_minus_v(B a, B& n, B& sq) {
    using T = typename B::value_type;
    using P = poly_consts<T>;
    B sq_lo;
    sq = a * a;
    if constexpr (math::has_fma_v<typename B::arch_type>)
      sq_lo = math::fms(a, a, sq);
    else
      math::two_prod(a, a, sq_lo);
    B p = math::fma(B(P::b.hi), sq, B(P::c)) - B(P::off);  // A'_hi + B'_hi sq on the grid (exact difference)
    B u = p - B(P::ahi);                                   // B'_hi sq rounded to the grid, exact
    B res;                                                 // B'_hi sq - u
    if constexpr (math::has_fma_v<typename B::arch_type>) {
      res = math::fms(B(P::b.hi), sq, u);
    } else {
      B bs_lo;
      B bs = math::two_prod(B(P::b.hi), sq, bs_lo);
      res = (bs - u) + bs_lo;  // the grid rounded the rounded product here: bs - u exact
    }
    B p_lo = res + math::fma(B(P::b.hi), sq_lo, math::fma(B(P::b.lo), sq, B(P::alo)));
    return math::exp2_neg_product(a, p, p_lo, n);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
