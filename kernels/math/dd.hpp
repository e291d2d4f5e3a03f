// Error-free transformations for "double-T" arithmetic, used where a kernel's
// argument must be known to better than one rounding (exp amplifies an
// absolute argument error e into a relative result error e).
#pragma once

#include "kernels/namespace.hpp"

#include <type_traits>

#include <xsimd/xsimd.hpp>

SIMDACT_KERNELS_BEGIN
namespace math {

// True where the arch has a fused multiply-add (xsimd::fma is then exact).
template <class Arch>
inline constexpr bool has_fma_v =
#if defined(__x86_64__) || defined(__i386__)
    std::is_base_of<xsimd::fma3<xsimd::avx2>, Arch>::value || std::is_base_of<xsimd::avx512f, Arch>::value;
#elif defined(__aarch64__)
    true;
#else
    false;
#endif

// The four fused multiply-adds: a b + c, a b - c, c - a b, -(a b) - c. One rounding where the arch
// has FMA (has_fma_v), two elsewhere. AVX-512 calls the intrinsics: xsimd 8.1 maps fma for avx512 onto the generic
// a * b + c (the per-ISA units build with -ffp-contract=off) and negates by subtracting from zero, an
// operation the compiler cannot fold.
enum class fused { madd, msub, nmadd, nmsub };

template <fused K, class T, class A>
inline xsimd::batch<T, A> fused_op(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c) {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    if constexpr (std::is_same<T, float>::value) {
      if constexpr (K == fused::madd) return _mm512_fmadd_ps(a, b, c);
      if constexpr (K == fused::msub) return _mm512_fmsub_ps(a, b, c);
      if constexpr (K == fused::nmadd) return _mm512_fnmadd_ps(a, b, c);
      if constexpr (K == fused::nmsub) return _mm512_fnmsub_ps(a, b, c);
    } else {
      if constexpr (K == fused::madd) return _mm512_fmadd_pd(a, b, c);
      if constexpr (K == fused::msub) return _mm512_fmsub_pd(a, b, c);
      if constexpr (K == fused::nmadd) return _mm512_fnmadd_pd(a, b, c);
      if constexpr (K == fused::nmsub) return _mm512_fnmsub_pd(a, b, c);
    }
  } else
#endif
  {
    // xsimd 8.1 fuses fnma/fnms on x86 FMA3 but not on NEON (generic -a b + c): there the negated
    // operand goes through the fused fma/fms.
    constexpr bool native_negated =
#if defined(__x86_64__) || defined(__i386__)
        true;
#else
        false;
#endif
    if constexpr (K == fused::madd) return xsimd::fma(a, b, c);
    if constexpr (K == fused::msub) return xsimd::fms(a, b, c);
    if constexpr (K == fused::nmadd) return native_negated ? xsimd::fnma(a, b, c) : xsimd::fma(-a, b, c);
    if constexpr (K == fused::nmsub) return native_negated ? xsimd::fnms(a, b, c) : xsimd::fms(-a, b, c);
  }
}

// a * b + c
template <class T, class A>
inline xsimd::batch<T, A> fma(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c) {
  return fused_op<fused::madd>(a, b, c);
}
// a * b - c
template <class T, class A>
inline xsimd::batch<T, A> fms(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c) {
  return fused_op<fused::msub>(a, b, c);
}
// c - a * b
template <class T, class A>
inline xsimd::batch<T, A> fnmadd(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c) {
  return fused_op<fused::nmadd>(a, b, c);
}
// -(a * b) - c
template <class T, class A>
inline xsimd::batch<T, A> fnmsub(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c) {
  return fused_op<fused::nmsub>(a, b, c);
}

// hi + lo = a * b exactly (barring over/underflow).
template <class T, class A>
inline xsimd::batch<T, A> two_prod(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A>& lo) {
  using B = xsimd::batch<T, A>;
  B hi = a * b;
  if constexpr (has_fma_v<A>) {
    lo = math::fms(a, b, hi);
  } else {
    // Veltkamp split + Dekker product.
    const B split(std::is_same<T, float>::value ? T(4097) : T(134217729));
    B ta = split * a, tb = split * b;
    B ah = ta - (ta - a), al = a - ah;
    B bh = tb - (tb - b), bl = b - bh;
    lo = ((ah * bh - hi) + ah * bl + al * bh) + al * bl;
    // The split overflows for |a| or |b| near the top of the range (NaN
    // here); the product is then far outside any kernel's sensitive range.
    lo = xsimd::select(xsimd::isnan(lo), B(T(0)), lo);
  }
  return hi;
}

// hi + lo = a + b exactly.
template <class B>
inline B two_sum(B a, B b, B& lo) {
  B s = a + b;
  B bb = s - a;
  lo = (a - (s - bb)) + (b - bb);
  return s;
}

// a * b + c with (nearly) one rounding on every arch: the fused instruction
// where there is one, an error-free product and sum elsewhere (sse2). For
// the few places where a cancelling a * b + c decides a kernel's accuracy.
template <class T, class A>
inline xsimd::batch<T, A> fma_accurate(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c) {
  if constexpr (has_fma_v<A>) {
    return math::fma(a, b, c);
  } else {
    xsimd::batch<T, A> p_lo, s_lo;
    xsimd::batch<T, A> p = two_prod(a, b, p_lo);
    xsimd::batch<T, A> s = two_sum(p, c, s_lo);
    return s + (s_lo + p_lo);
  }
}

}  // namespace math
SIMDACT_KERNELS_END

SIMDACT_KERNELS_BEGIN
namespace math {

// A constant as hi + lo in T, from its long double value (enough for the
// few extra bits the kernels need beyond T).
template <class T>
struct split_constant {
  T hi;
  T lo;
  constexpr explicit split_constant(long double v) : hi(T(v)), lo(T(v - static_cast<long double>(T(v)))) {}
};

}  // namespace math
SIMDACT_KERNELS_END
