// What this CPU and OS can run: CPUID for the instructions, XGETBV for whether
// the OS saves the wider registers (xsimd 8.1 checks CPUID only).
#pragma once

namespace simdact::detail {

bool cpu_has_avx2_fma();
bool cpu_has_avx512();  // F, BW, DQ, VL with opmask/ZMM state enabled

}  // namespace simdact::detail
