// gelu_tanh(x) = x/2 (1 + tanh u) = x sigmoid(v), v = 2u = 2 sqrt(2/pi) (x + 0.044715 x^3), from e^-v(|x|)
// alone: x < 0: x e^-v / (1 + e^-v), x >= 0: x / (1 + e^-v) (one exp, one division; v(|x|) = |x| p with p
// carried as p + p_lo and |x| p exact inside the reduction's fused step, as exp amplifies v's error by |v|).
// gelu_tanh'(x) = s(v) (1 + x v' s(-v)). Domain: all x (NaN, +-inf; underflow to -0 near -10.5 / -21.9).
// Measured (dense sweeps vs long double, tests' bounds): forward <= 3.4 ULP, backward <= 6.7 ULP (float and
// double, every ISA; backward maxima near -0.33 and -1.2, the latter where 1 + x v' s(-v) nears 0 at -1.28).
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

  // Below -x_max gelu_tanh rounds to 0 (v < -142 / -1025) and its slope too; above x_max sigma(v) is 1.
  template <class T>
  static constexpr T x_max = sizeof(T) == sizeof(float) ? T(12) : T(24);
  // e^-v below 2^floor is 0 next to 1 + x v' (|x v'| < 2^12) in T; 2^floor is normal
  template <class T>
  static constexpr T floor_expo = sizeof(T) == sizeof(float) ? T(-100) : T(-600);

  template <class T, class A>
  static batch<T, A> forward(batch<T, A> x, const kparams<T>&) {
    using B = batch<T, A>;
    B a = xsimd::min(B(x_max<T>), xsimd::abs(x));  // NaN kept (x86 min returns its second operand)
    B n, sq;
    B m = exp_minus_v(a, n, sq);  // e^-v(|x|) = m 2^n
    auto negative = x < B(T(0));
    B den = B(T(1)) + math::scale_normal(m, xsimd::max(n, B(floor_expo<T>)));
    // x < 0: x e^v / (1 + e^v) = x m / den * 2^n; x >= 0: x / den. -inf: -x_max (result -0)
    B num = xsimd::max(B(-x_max<T>), x) * xsimd::select(negative, m, B(T(1)));
    return math::scale_wide(math::divide(num, den), xsimd::select(negative, n, B(T(0))));
  }

  template <class T, class A>
  static batch<T, A> backward(batch<T, A> x, batch<T, A> dy, const kparams<T>&) {
    using B = batch<T, A>;
    constexpr math::split_constant<T> k(two_sqrt_2_over_pi);
    B a = xsimd::min(B(x_max<T>), xsimd::abs(x));
    B n, sq;
    B m = exp_minus_v(a, n, sq);
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
    return dy * math::scale_wide(d, xsimd::select(negative, n, B(T(0))));
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
    return dy * scalar_eval(x, formula, [](T v) { return v < T(-1); });
  }

 private:
  // e^-v(a) = m 2^n for 0 <= a <= x_max (NaN: NaN), v(a) = 2 sqrt(2/pi) a (1 + 0.044715 a^2) = a p, m in [0.7, 1.42].
  // exp amplifies v's absolute error into the result's relative one (v ~ 100 where float results underflow),
  // so p = A + B a^2 is carried as p + p_lo (a^2, B a^2 exact products, the sum exact) and the reduction
  // r = -a (p + p_lo) - n ln2 keeps a p exact inside one fused operation.
  template <class B>
  static B exp_minus_v(B a, B& n, B& sq) {
    using T = typename B::value_type;
    using E = math::exp_consts<T>;
    constexpr math::split_constant<T> ca(two_sqrt_2_over_pi);
    constexpr math::split_constant<T> cb(two_sqrt_2_over_pi * cubic);
    B sq_lo;
    sq = math::two_prod(a, a, sq_lo);
    B u_lo;
    B u = math::two_prod(B(cb.hi), sq, u_lo);  // B a^2 = u + u_lo + (cb.hi sq_lo + cb.lo sq)
    B p = B(ca.hi) + u;
    B p_lo = (xsimd::max(B(ca.hi), u) - p) + xsimd::min(B(ca.hi), u);  // Fast2Sum: both >= 0
    p_lo = p_lo + (u_lo + math::fma(B(cb.hi), sq_lo, math::fma(B(cb.lo), sq, B(ca.lo))));
    const B shifter(math::fp_bits<T>::shifter);
    n = math::fma(a * p, B(-E::log2e), shifter) - shifter;
    B r_hi;  // -a p - n ln2_hi (n ln2_hi is exact), one rounding: |r_hi| < 0.35
    if constexpr (math::has_fma_v<typename B::arch_type>) {
      r_hi = math::fma(-a, p, n * B(-E::ln2_hi));
    } else {
      B ap_lo;
      B ap = math::two_prod(a, p, ap_lo);
      r_hi = (n * B(-E::ln2_hi) - ap) - ap_lo;  // the first difference is exact (Sterbenz)
    }
    B r = r_hi + math::fma(-a, p_lo, n * B(-E::ln2_lo));
    return math::exp_reduced(r);
  }
};

}  // namespace kernels
SIMDACT_KERNELS_END
