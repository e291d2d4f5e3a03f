#include "src/dispatch.hpp"

#include <atomic>
#include <cstdlib>
#include <string>

#include "src/cpu_features.hpp"
#include "src/error.hpp"

namespace simdact::detail {
namespace {

// The table for `which` if it is compiled in and this CPU/OS runs it, else null.
// A table's getter is only called after the CPU check: building it runs code
// compiled with that ISA's flags.
const table* table_if_available(isa which) {
  switch (which) {
    case isa::scalar:
      return scalar_table();
#if defined(SIMDACT_HAVE_SSE2)
    case isa::sse2:
      return sse2_table();
#endif
#if defined(SIMDACT_HAVE_AVX2)
    case isa::avx2:
      return cpu_has_avx2_fma() ? avx2_table() : nullptr;
#endif
#if defined(SIMDACT_HAVE_AVX512)
    case isa::avx512:
      return cpu_has_avx512() ? avx512_table() : nullptr;
#endif
#if defined(SIMDACT_HAVE_NEON)
    case isa::neon:
      return neon_table();
#endif
    default:
      return nullptr;
  }
}

constexpr isa all_isas[] = {isa::scalar, isa::sse2, isa::avx2, isa::avx512, isa::neon};

// Best available ISA, at most `cap` in the order of all_isas (neon is only
// ever available alone, so the order works for both architectures).
const table* best_table(isa cap) {
  const table* best = scalar_table();
  for (isa candidate : all_isas) {
    if (static_cast<int>(candidate) > static_cast<int>(cap)) break;
    if (const table* t = table_if_available(candidate)) best = t;
  }
  return best;
}

const table* initial_table() {
  isa cap = isa::neon;
  if (const char* env = std::getenv("SIMDACT_ISA")) {
    // An unknown name is ignored (the library cannot throw at first use).
    if (auto parsed = parse_isa(env)) cap = *parsed;
  }
  return best_table(cap);
}

std::atomic<const table*> g_table{nullptr};

}  // namespace

const table& current_table() {
  const table* t = g_table.load(std::memory_order_acquire);
  if (t) return *t;
  static const table* const initial = initial_table();
  const table* expected = nullptr;
  g_table.compare_exchange_strong(expected, initial, std::memory_order_acq_rel);
  return *g_table.load(std::memory_order_acquire);
}

}  // namespace simdact::detail

namespace simdact {

isa active_isa() { return detail::current_table().id; }

std::vector<isa> available_isas() {
  std::vector<isa> out;
  for (isa candidate : detail::all_isas)
    if (detail::table_if_available(candidate)) out.push_back(candidate);
  return out;
}

void set_isa(isa which) {
  const detail::table* t = detail::table_if_available(which);
  if (!t) detail::fail("set_isa", "isa", std::string(name(which)) + " is not available on this CPU/build");
  detail::g_table.store(t, std::memory_order_release);
}

std::string_view name(isa which) {
  switch (which) {
    case isa::scalar:
      return "scalar";
    case isa::sse2:
      return "sse2";
    case isa::avx2:
      return "avx2";
    case isa::avx512:
      return "avx512";
    case isa::neon:
      return "neon";
  }
  return "unknown";
}

std::optional<isa> parse_isa(std::string_view s) {
  for (isa candidate : detail::all_isas)
    if (name(candidate) == s) return candidate;
  return std::nullopt;
}

std::string_view version() { return SIMDACT_VERSION_STRING; }

}  // namespace simdact
