// libFuzzer target: the input bytes choose a function (a registry entry and
// direction, the softmax family or maxout), the type, the ISA, the size
// (0..300 elements; rows up to 7 x 2332 columns), a misalignment, in-place
// or not (y == x, dx == x or dx == dy), the parameters, swish's dbeta, and the
// data (NaN, +-inf, subnormal, huge, zero, moderate randoms, raw bit patterns).
// Outputs are checked against tests/reference.hpp (elementwise, with the test
// harness's contract bounds) and tests/rowwise_reference.hpp (same bounds as
// tests/test_rowwise.cpp); guard elements around every output detect writes
// out of range, and a simdact::error must leave the output untouched.
// Any violation aborts (a crash the fuzzer records).
// The byte layout is that of the inputs in fuzz/regressions/: choices added
// later are read after the data (0 once the input runs out = the old case).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include <simdact/simdact.hpp>

#include "rowwise_reference.hpp"
#include "test_elementwise_harness.hpp"

namespace {

using namespace simdact_test;

// Reads the input front to back; 0 once it runs out.
class byte_reader {
 public:
  byte_reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool exhausted() const { return pos_ >= size_; }
  std::uint16_t u16() { return std::uint16_t(u8() | (u8() << 8)); }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t(u8()) << (8 * i);
    return v;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_, pos_ = 0;
};

[[noreturn]] void fail(const char* what, std::size_t i = 0, double got = 0, double want = 0) {
  std::fprintf(stderr, "fuzz_activations: %s (element %zu: got %.17g, want %.17g)\n", what, i, got, want);
  std::abort();
}

template <class T>
T value_from(byte_reader& r) {
  using lim = std::numeric_limits<T>;
  const std::uint8_t kind = r.u8() % 10;
  const T sign = (r.u8() & 1) ? T(-1) : T(1);
  switch (kind) {
    case 0:
      return lim::quiet_NaN();
    case 1:
      return sign * lim::infinity();
    case 2:  // subnormal
      return sign * lim::denorm_min() * T(1 + r.u16());
    case 3:  // huge
      return sign * lim::max() / T(1 + r.u8());
    case 4:
      return sign * T(0);
    case 5:  // raw bit pattern
    {
      using U = decltype(bits_of(T()));
      return from_bits<T>(U(r.u64()));
    }
    case 6:  // wide log-uniform
      return sign * T(std::ldexp(1.0 + r.u16() / 65536.0, int(r.u8() % 200) - 100));
    default:  // moderate
      return sign * T(r.u16() / 65536.0 * 100 - 50) * (kind == 9 ? T(0.01) : T(1));
  }
}

constexpr std::size_t kGuard = 16;
// A signalling-NaN pattern no kernel produces.
template <class T>
T guard_value() {
  using U = decltype(bits_of(T()));
  return from_bits<T>(sizeof(T) == 4 ? U(0x7fa5a5a5u) : U(0x7ff5a5a5a5a5a5a5ull));
}

// A buffer of n elements at an element offset, with guard elements on both sides.
template <class T>
struct guarded {
  std::vector<T> storage;
  std::size_t offset;
  std::size_t n;
  guarded(std::size_t n_, std::size_t off) : storage(n_ + off + 2 * kGuard, guard_value<T>()), offset(off), n(n_) {}
  T* data() { return storage.data() + kGuard + offset; }
  void check_guards() const {
    for (std::size_t i = 0; i < storage.size(); ++i) {
      const bool inside = i >= kGuard + offset && i < kGuard + offset + n;
      if (!inside && !same_bits(storage[i], guard_value<T>())) fail("write outside the output buffer", i);
    }
  }
};

// swish's dbeta = sum dy[i] d swish(x[i]) / d beta against a long double sum
// of the reference terms, with tests/test_elementwise_params.cpp's bound:
// 64 eps sum |terms| + half an ulp of the sum. NaN or inf terms: the same class.
template <class T>
void check_dbeta(const std::vector<T>& x, const std::vector<T>& g, const ref::params& p, T dbeta) {
  real sum = 0, sum_abs = 0;
  bool term_overflows = false;  // a finite term beyond T's range: T holds it as an infinity
  for (std::size_t i = 0; i < x.size(); ++i) {
    const real t = times_dy(g[i], ref::of<simdact::activation::swish>::dbeta(real(x[i]), p));
    sum += t;
    sum_abs += std::fabs(t);
    term_overflows |= std::isfinite(t) && std::fabs(t) > real(std::numeric_limits<T>::max());
  }
  if (std::isnan(sum)) {
    if (!std::isnan(dbeta)) fail("swish dbeta: want NaN", 0, dbeta, double(sum));
    return;
  }
  if (std::isinf(sum)) {
    // with a term that overflowed T, inf + (-inf) = NaN in T is also right
    if (!(dbeta == T(sum) || (term_overflows && std::isnan(dbeta))))
      fail("swish dbeta: want the infinity", 0, dbeta, double(sum));
    return;
  }
  // Terms near T's range: a T accumulation may overflow on the way; no bound.
  if (sum_abs > real(std::numeric_limits<T>::max()) / 4) return;
  // as the elementwise bound: a sum below T's normal range may be off by up to the smallest normal
  // (a subnormal term keeps only its leading bits)
  const real tol = std::max(64 * eps_v<T> * sum_abs + 0.5L * ulp_of<T>(sum),
                            std::fabs(sum) < min_normal_v<T> ? real(min_normal_v<T>) : real(0));
  if (!(std::fabs(real(dbeta) - sum) <= tol)) {
    std::fprintf(stderr, "swish dbeta %s beta=%.17g n=%zu:", type_name<T>(), double(p.p0), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) std::fprintf(stderr, " (%.9g, %.9g)", double(x[i]), double(g[i]));
    std::fprintf(stderr, "\n");
    fail("swish dbeta outside the bound", 0, dbeta, double(sum));
  }
}

template <class T>
void elementwise_case(byte_reader& r) {
  const std::vector<activation_entry>& reg = registry();
  const activation_entry& e = reg[r.u8() % reg.size()];
  direction d = direction(r.u8() % 3);
  if (d == direction::backward_from_output && !e.from_output) d = direction::backward;
  const std::size_t n = r.u16() % 301, off = r.u8() % 16;
  const bool in_place = r.u8() & 1;
  // Parameters: a tested variant (accuracy judged) or arbitrary values (only NaN rules and safety).
  const std::uint8_t pk = r.u8();
  const std::vector<ref::params> variants = variants_of(e.act);
  ref::params p = variants[pk % variants.size()];
  const bool judged = pk < 200;
  if (!judged) p = {real(value_from<T>(r)), real(value_from<T>(r))};
  p = params_as<T>(p);
  const bool valid_params = judged && direction_allows(e.act, d, p);

  guarded<T> in(n, off), dy(n, (off + 5) % 16), out(n, (off + 3) % 16);
  for (std::size_t i = 0; i < n; ++i) in.data()[i] = value_from<T>(r);
  for (std::size_t i = 0; i < n; ++i) dy.data()[i] = (r.u8() & 7) ? T(dy_for<T>(i)) : value_from<T>(r);
  // Read after the data: bit 0, backward in place on dy (dx == dy) instead of
  // on x; bit 1, swish_backward also computes dbeta.
  const std::uint8_t options = r.u8();
  const bool on_dy = in_place && d != direction::forward && (options & 1);
  const bool want_dbeta = e.act == simdact::activation::swish && d == direction::backward && (options & 2);
  const std::vector<T> x(in.data(), in.data() + n), g(dy.data(), dy.data() + n);
  if (in_place) std::memcpy(out.data(), on_dy ? dy.data() : in.data(), n * sizeof(T));
  const std::vector<T> before(out.data(), out.data() + n);
  const T* src = in_place && !on_dy ? out.data() : in.data();
  const T* grad = on_dy ? out.data() : dy.data();
  const T dbeta_unset = guard_value<T>();
  T dbeta = dbeta_unset;
  bool threw = false;
  try {
    if (want_dbeta)
      simdact::swish_backward(src, grad, out.data(), n, T(p.p0), &dbeta);
    else
      call(e.act, d, src, grad, out.data(), n, p);
  } catch (const simdact::error&) {
    threw = true;
  }
  in.check_guards(), dy.check_guards(), out.check_guards();
  if (n && std::memcmp(in.data(), x.data(), n * sizeof(T)) != 0) fail("input modified");
  if (n && std::memcmp(dy.data(), g.data(), n * sizeof(T)) != 0) fail("dy modified");
  if (threw) {
    if (valid_params) fail("simdact::error for valid parameters");
    if (n && std::memcmp(out.data(), before.data(), n * sizeof(T)) != 0) fail("output written before an error");
    if (!same_bits(dbeta, dbeta_unset)) fail("dbeta written before an error");
    return;
  }
  if (want_dbeta) check_dbeta(x, g, p, dbeta);
  const bool fused = isa_fuses(simdact::active_isa());
  for (std::size_t i = 0; i < n; ++i) {
    const T o = out.data()[i];
    if (std::isnan(x[i]) && !std::isnan(o)) fail("NaN in, not NaN out", i, o, x[i]);
    if (d != direction::forward && std::isnan(g[i]) && !std::isnan(o)) fail("NaN dy, not NaN dx", i, o);
    if (!valid_params) continue;
    const verdict v = judge(e.act, d, p, x[i], g[i], o, fused);
    if (!v.ok) {
      std::fprintf(stderr, "%s %s %s %s n=%zu p0=%.17g p1=%.17g in=%.17g dy=%.17g: %.3Lg ulp\n", e.name,
                   direction_name(d), type_name<T>(), isa_name(simdact::active_isa()), n, double(p.p0), double(p.p1),
                   double(x[i]), double(g[i]), v.ulps);
      fail("outside the accuracy contract", i, o, double(v.exact));
    }
  }
}

template <class T>
void rowwise_case(byte_reader& r, std::uint8_t which) {
  // Mostly short rows; a quarter of the widths reach 2332 columns (several
  // 16-batch blocks of the blocked sums at every ISA).
  const std::uint8_t width = r.u8();
  const std::size_t rows = r.u8() % 8, cols = 1 + (width < 192 ? width % 40 : std::size_t(width - 192) * 37);
  const std::size_t n = rows * cols, off = r.u8() % 16;
  const std::uint8_t options = r.u8();  // bit 0: forward in place (y == x); bit 1: backward dx == dy
  guarded<T> in(n, off), dy(n, (off + 7) % 16), out(n, (off + 1) % 16);
  // Past the input's end (long rows): moderate values from a fixed sequence,
  // not the NaN that zero bytes would give.
  std::uint32_t lcg = 12345;
  for (std::size_t i = 0; i < n; ++i) {
    lcg = lcg * 1664525u + 1013904223u;
    in.data()[i] = r.exhausted() ? T(int(lcg >> 16) % 2001 - 1000) / T(64) : value_from<T>(r);
  }
  for (std::size_t i = 0; i < n; ++i) dy.data()[i] = T(dy_for<T>(i));
  const T* x = in.data();
  if (which % 4 == 3) {  // maxout over groups of cols: exact
    guarded<T> y(rows, off);
    simdact::maxout(x, y.data(), rows, cols);
    y.check_guards();
    // +0 and -0 tie: the value must be the maximum (bits may be either zero).
    for (std::size_t i = 0; i < rows; ++i) {
      const T want = x[i * cols + rowwise_ref::first_max(x + i * cols, cols)];
      if (!(std::isnan(want) ? std::isnan(y.data()[i]) : want == y.data()[i])) fail("maxout", i, y.data()[i], want);
    }
    simdact::maxout_backward(x, dy.data(), out.data(), rows, cols);
    out.check_guards();
    // dy reaches exactly one position, the first maximum (among tied zeros, any of them).
    for (std::size_t i = 0; i < rows; ++i) {
      const T* gx = x + i * cols;
      const std::size_t m = rowwise_ref::first_max(gx, cols);
      std::size_t hits = 0;
      for (std::size_t j = 0; j < cols; ++j) {
        const T got = out.data()[i * cols + j];
        if (got == T(0)) continue;
        ++hits;
        const bool right_place = j == m || (gx[m] == T(0) && gx[j] == T(0) && j > m);
        if (!right_place || !same_bits(got, dy.data()[i])) fail("maxout_backward", i * cols + j, got, dy.data()[i]);
      }
      if (hits != 1) fail("maxout_backward: dy not routed exactly once", i);
    }
    return;
  }
  const rowwise_ref::kind k = rowwise_ref::kind(which % 4);
  const simdact::rowwise_op op = simdact::rowwise_op(which % 4);
  if (options & 1) {
    std::memcpy(out.data(), x, n * sizeof(T));
    simdact::forward(op, out.data(), out.data(), rows, cols);
  } else {
    simdact::forward(op, x, out.data(), rows, cols);
  }
  out.check_guards();
  const long double eps = rowwise_ref::eps<T>(), tiny = std::numeric_limits<T>::min();
  for (std::size_t row = 0; row < rows; ++row) {
    const std::vector<long double> want = rowwise_ref::forward_row(k, x + row * cols, cols);
    for (std::size_t j = 0; j < cols; ++j) {
      const T got = out.data()[row * cols + j];
      const long double w = want[j];
      if (std::isnan(w) || std::isinf(T(w))) {
        if (std::isnan(w) ? !std::isnan(got) : got != T(w)) fail("softmax family special", j, got, double(w));
        continue;
      }
      const long double err = std::fabs((long double)got - w), ulp = rowwise_ref::ulp_of<T>(w);
      const long double bound =
          k == rowwise_ref::kind::log_softmax
              ? std::max(4 * ulp, 4 * eps * std::max<long double>(1, std::fabs(w)))
              : 4 * ulp + (long double)cols * eps * std::fabs(w) + (std::fabs(w) < tiny ? tiny : 0);
      if (!(err <= bound)) fail("softmax family forward accuracy", row * cols + j, got, double(w));
    }
  }
  // Backward from the library's own y (finite rows only: the reference sums in long double).
  const std::vector<T> y(out.data(), out.data() + n);
  guarded<T> dx(n, (off + 2) % 16);
  if (options & 2) {
    std::memcpy(dx.data(), dy.data(), n * sizeof(T));
    simdact::backward(op, y.data(), dx.data(), dx.data(), rows, cols);
  } else {
    simdact::backward(op, y.data(), dy.data(), dx.data(), rows, cols);
  }
  dx.check_guards();
  for (std::size_t row = 0; row < rows; ++row) {
    bool finite = true;
    long double max_dy = 0;
    for (std::size_t j = 0; j < cols; ++j) {
      finite &= std::isfinite(y[row * cols + j]);
      max_dy = std::max(max_dy, std::fabs((long double)dy.data()[row * cols + j]));
    }
    if (!finite) continue;
    const std::vector<long double> want =
        rowwise_ref::backward_row(k, y.data() + row * cols, dy.data() + row * cols, cols);
    for (std::size_t j = 0; j < cols; ++j) {
      const T got = dx.data()[row * cols + j];
      const long double err = std::fabs((long double)got - want[j]);
      const long double unit = std::max(rowwise_ref::ulp_of<T>(want[j]), eps * max_dy);
      if (!(err <= 8 * unit)) fail("softmax family backward accuracy", row * cols + j, got, double(want[j]));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  byte_reader r(data, size);
  const std::uint8_t what = r.u8();
  const bool is_double = r.u8() & 1;
  static const std::vector<simdact::isa> isas = simdact::available_isas();
  simdact::set_isa(isas[r.u8() % isas.size()]);
  if (what < 224) {
    is_double ? elementwise_case<double>(r) : elementwise_case<float>(r);
  } else {
    is_double ? rowwise_case<double>(r, what) : rowwise_case<float>(r, what);
  }
  return 0;
}
