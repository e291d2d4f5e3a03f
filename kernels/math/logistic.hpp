// The logistic function sigma(v) = 1 / (1 + e^-v), in the pieces the kernels
// need: sigma(v) times a factor, accurate where sigma(v) alone would be
// subnormal (swish near -88, gelu_tanh below -10), and sigma(-v) = 1 - sigma(v)
// without cancellation.
#pragma once

#include "kernels/namespace.hpp"

#include <xsimd/xsimd.hpp>

#include "kernels/math/eft.hpp"
#include "kernels/math/math.hpp"

SIMDACT_KERNELS_BEGIN
namespace math {

template <class B>
struct logistic {
  B denom;  // 1 + e^-|v|
  B r;      // 1 / (1 + e^-|v|)
  B er;     // e^-|v| / (1 + e^-|v|)
  B mant;   // e^-|v| = mant * 2^expo where v < 0, else mant = 1, expo = 0
  B expo;
  typename B::batch_bool_type negative;

  explicit logistic(B v) : negative(v < B(0)) {
    B k;
    B m = exp_split(-xsimd::abs(v), k);
    B e = ldexp(m, k);
    denom = B(1) + e;
    r = divide(B(1), denom);
    er = e * r;
    mant = xsimd::select(negative, m, B(1));
    expo = xsimd::select(negative, k, B(0));
  }
  // sigma(v)
  B sigmoid() const { return xsimd::select(negative, er, r); }
  // sigma(-v) = 1 - sigma(v)
  B sigmoid_neg() const { return xsimd::select(negative, r, er); }
  // g * sigma(v), one scaling at the end; divides rather than multiplying by
  // r (one rounding fewer: gelu_tanh near -1.4 went from 4.1 to under 4 ULP)
  B times(B g) const { return ldexp(divide(g * mant, denom), expo); }
  // sigma(v) * sigma(-v) = e^-|v| / (1 + e^-|v|)^2
  B slope() const { return er * r; }
};

}  // namespace math
SIMDACT_KERNELS_END
