// Shared approximations used by the activation kernels. Every function is a
// template on the batch type B = xsimd::batch<T, Arch> (T = float or double),
// so each per-ISA translation unit gets its own instantiation (no ODR clash).
// All are branch-free (selects; the only table is AVX-512 exp's 2^(j/N), held in
// registers) and use math::fma.
//
//   exp.hpp   exp, exp_split, exp_mant, mul_exp, expm1 (and the shared reduction)
//   tanh.hpp  tanh, tanh_shrink
//   erfc.hpp  erfc_split (also for an argument carried as z + z_lo), erfc
//   normal_tail.hpp  Phi(-a) = e^(-a^2/2) P(s) / (a + 4) for gelu
//   scale.hpp ldexp and the 2^n helpers;  poly.hpp Horner's rule;
//   eft.hpp   exact-product helpers beyond dd.hpp (FMA or two_prod on SSE2)
// Coefficients: tools/sollya/*.sollya. Accuracy: tools/math_ulp.cpp.
#pragma once

#include "kernels/math/erfc.hpp"
#include "kernels/math/exp.hpp"
#include "kernels/math/scale.hpp"
#include "kernels/math/tanh.hpp"
