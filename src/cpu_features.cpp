#include "src/cpu_features.hpp"

#include <cstddef>
#include <fstream>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace simdact::detail {

#if defined(__x86_64__) || defined(__i386__)
namespace {

struct x86_features {
  bool avx2_fma = false;
  bool avx512 = false;
};

unsigned long long xgetbv0() {
  unsigned eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}

x86_features detect() {
  x86_features f;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool fma = c & (1u << 12);
  const bool osxsave = c & (1u << 27);
  const bool avx = c & (1u << 28);
  if (!osxsave || !avx) return f;
  const unsigned long long xcr0 = xgetbv0();
  const bool ymm_state = (xcr0 & 0x6) == 0x6;    // XMM + YMM
  const bool zmm_state = (xcr0 & 0xe6) == 0xe6;  // + opmask, ZMM_Hi256, Hi16_ZMM
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(7, 0, a, b, c, d);
  const bool avx2 = b & (1u << 5);
  const bool avx512f = b & (1u << 16), avx512dq = b & (1u << 17);
  const bool avx512bw = b & (1u << 30), avx512vl = b & (1u << 31);
  f.avx2_fma = ymm_state && avx2 && fma;
  f.avx512 = f.avx2_fma && zmm_state && avx512f && avx512dq && avx512bw && avx512vl;
  return f;
}

const x86_features& features() {
  static const x86_features f = detect();
  return f;
}

}  // namespace

bool cpu_has_avx2_fma() { return features().avx2_fma; }
bool cpu_has_avx512() { return features().avx512; }

namespace {

// The largest cache that CPUID's deterministic cache parameters describe
// (leaf 4 on Intel, 0x8000001D on AMD: the same layout), or 0. Not
// sysconf(_SC_LEVEL3_CACHE_SIZE): glibc reads AMD's legacy leaf 0x80000006,
// which a VM of this project's machine kind reports as 320 MiB for a 32 MiB L3.
std::size_t cpuid_last_level_cache() {
  unsigned a, b, c, d;
  unsigned leaf = 0;
  if (unsigned(__get_cpuid_max(0x80000000, nullptr)) >= 0x8000001Du) {
    __cpuid(0x80000001, a, b, c, d);
    if (c & (1u << 22)) leaf = 0x8000001D;  // topology extensions
  }
  if (!leaf && __get_cpuid_max(0, nullptr) >= 4) leaf = 4;
  if (!leaf) return 0;
  std::size_t largest = 0;
  for (unsigned index = 0; index < 16; ++index) {
    __cpuid_count(leaf, index, a, b, c, d);
    const unsigned type = a & 31;
    if (type == 0) break;
    if (type == 2) continue;  // instruction cache
    const std::size_t ways = ((b >> 22) & 1023) + 1, partitions = ((b >> 12) & 1023) + 1;
    const std::size_t line = (b & 4095) + 1, sets = std::size_t(c) + 1;
    const std::size_t bytes = ways * partitions * line * sets;
    if (bytes > largest) largest = bytes;
  }
  return largest;
}

}  // namespace
#else
bool cpu_has_avx2_fma() { return false; }
bool cpu_has_avx512() { return false; }
namespace {
std::size_t cpuid_last_level_cache() { return 0; }
}  // namespace
#endif

namespace {

// The largest cache Linux lists for cpu0 (sysfs), or 0.
std::size_t sysfs_last_level_cache() {
  std::size_t largest = 0;
  for (int index = 0; index < 8; ++index) {
    std::ifstream in("/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/size");
    std::size_t value = 0;
    std::string unit;
    if (!(in >> value)) break;
    in >> unit;
    if (unit == "K") value <<= 10;
    if (unit == "M") value <<= 20;
    if (value > largest) largest = value;
  }
  return largest;
}

std::size_t detect_last_level_cache() {
  if (std::size_t bytes = cpuid_last_level_cache()) return bytes;
  if (std::size_t bytes = sysfs_last_level_cache()) return bytes;
  return std::size_t(32) << 20;  // unknown: this project's reference machine
}

}  // namespace

std::size_t last_level_cache_bytes() {
  static const std::size_t bytes = detect_last_level_cache();
  return bytes;
}

}  // namespace simdact::detail
