// Every kernel and approximation lives in an inline namespace named after the
// ISA its translation unit is compiled for (-DSIMDACT_KERNEL_NS=isa_avx2, ...).
// Why: an inline function compiled in two units with different ISA flags is
// one weak symbol, and the linker may keep the AVX-512 copy for the SSE2 path.
// With a distinct namespace per ISA, no two units ever share a symbol.
#pragma once

#ifndef SIMDACT_KERNEL_NS
#define SIMDACT_KERNEL_NS baseline
#endif

#define SIMDACT_KERNELS_BEGIN \
  namespace simdact {         \
  inline namespace SIMDACT_KERNEL_NS {
#define SIMDACT_KERNELS_END \
  }                         \
  }

// A function that inlines everything it calls (xsimd's math included): GCC otherwise keeps some batch helpers
// and kernel bodies out of line, passing vectors through memory.
#if defined(__GNUC__)
#define SIMDACT_FLATTEN __attribute__((flatten))
#else
#define SIMDACT_FLATTEN
#endif
