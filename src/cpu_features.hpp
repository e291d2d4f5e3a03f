// What this CPU and OS can run: CPUID for the instructions, XGETBV for whether
// the OS saves the wider registers (xsimd 8.1 checks CPUID only).
#pragma once

#include <cstddef>

namespace simdact::detail {

bool cpu_has_avx2_fma();
bool cpu_has_avx512();  // F, BW, DQ, VL with opmask/ZMM state enabled

// The largest data or unified cache that CPUID (else sysfs) reports, in bytes; 32 MiB when unknown.
std::size_t last_level_cache_bytes();

}  // namespace simdact::detail
