// Shared approximations used by the activation kernels. Every function is a
// template on the batch type B = xsimd::batch<T, Arch> (T = float or double),
// so each per-ISA translation unit gets its own instantiation (no ODR clash).
// All are branch-free (selects; tables are held in registers: exp's 2^(j/N) on
// AVX-512 and AVX2 float, gelu's segment coefficients) and use math::fma.
//
//   exp.hpp   exp, exp_split, exp_mant, mul_exp, expm1 (and the shared reduction)
//   tanh.hpp  tanh, tanh_shrink
//   normal_tail.hpp  Phi(-a) = e^(-a^2/2) R(a) for gelu (register-table polynomials on AVX-512/AVX2
//             float, P(s)/(a + 4) elsewhere)
//   scale.hpp ldexp, scale_down and the 2^n helpers;  poly.hpp Horner's rule;
//   eft.hpp   exact-product helpers beyond dd.hpp (FMA or two_prod on SSE2)
// Coefficients: tools/sollya/*.sollya. Accuracy: tools/math_ulp.cpp.
#pragma once

#include "kernels/math/exp.hpp"
#include "kernels/math/scale.hpp"
#include "kernels/math/tanh.hpp"
