// An element's result does not depend on n, its position, the buffers'
// alignment, in-place use or the thread count: every call below must give the
// same bits as one single-threaded call over the whole input, and must write
// nothing outside [out, out + n). Sizes 0..70 (past two batches of the widest
// ISA, 2 * 16 floats) and around 128 and 256, offsets of 0..3 elements on each
// buffer, 100003 elements (past the 32768-element thread threshold; 40009
// under a small SIMDACT_TEST_SCALE) on 1, 2, 3 threads, in place (y == x;
// dx == dy, dx == x).
#include <gtest/gtest.h>

#include "isa_fixture.hpp"
#include "test_elementwise_harness.hpp"

namespace simdact_test {
namespace {

struct layout_case {
  activation act;
  direction dir;
  isa target;
  bool is_double;
};

std::vector<layout_case> layout_cases() {
  std::vector<layout_case> out;
  for (const activation_direction& ad : all_activation_directions())
    for (bool dbl : {false, true})
      for (isa i : isas_under_test()) out.push_back({ad.act, ad.dir, i, dbl});
  return out;
}

std::string layout_case_name(const testing::TestParamInfo<layout_case>& info) {
  const layout_case& c = info.param;
  return activation_name(c.act) + "_" + direction_name(c.dir) + "_" + (c.is_double ? "double" : "float") + "_" +
         isa_name(c.target);
}

// Past the 32768-element thread threshold; SIMDACT_TEST_SCALE shortens it,
// never below 40009 (still past it).
const std::size_t large_n = scaled_count(100003, 40009);
constexpr std::size_t input_period = 4099;
constexpr std::size_t guard = 8;

// A mix of ordinary values, hard points and specials, so that NaN, inf and
// tails sit in every lane position at some size.
template <class T>
std::vector<T> mixed_inputs(std::size_t n) {
  const std::vector<T> hard = hard_points<T>();
  std::vector<T> x(n);
  std::uint64_t s = 0x1a7;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 3 == 0)
      x[i] = hard[(i / 3 * 7919) % hard.size()];
    else
      x[i] = T((unit_random(s) - 0.5) * 24);
  }
  return x;
}

// A buffer with `guard` sentinel elements before and after room for n
// elements at an offset of 0..3.
template <class T>
struct guarded {
  std::vector<T> storage;
  std::size_t offset;
  guarded(std::size_t n, std::size_t off) : storage(n + 2 * guard + 4, sentinel()), offset(guard + off) {}
  static T sentinel() { return T(-7.25e-3); }
  T* data() { return storage.data() + offset; }
  bool guards_intact(std::size_t n) const {
    for (std::size_t i = 0; i < storage.size(); ++i)
      if ((i < offset || i >= offset + n) && !same_bits(storage[i], sentinel())) return false;
    return true;
  }
};

class Layout : public isa_fixture<layout_case> {
 protected:
  void SetUp() override {
    isa_fixture::SetUp();
    if (IsSkipped()) return;
    simdact::set_num_threads(1);
  }

  template <class T>
  struct data {
    std::vector<T> in, dy, expected;
  };

  // Inputs and the reference output: one single-threaded call over all of them.
  template <class T>
  data<T> prepare() {
    const layout_case& c = GetParam();
    data<T> d;
    p = params_as<T>(variants_of(c.act).front());
    // The inputs repeat with a prime period: backward_from_output's inputs
    // come from the (slow, under an emulator) long double reference.
    const std::vector<T> period = direction_inputs(c.act, c.dir, p, mixed_inputs<T>(input_period));
    d.in.resize(large_n);
    for (std::size_t i = 0; i < large_n; ++i) d.in[i] = period[i % input_period];
    d.dy = dy_values<T>(large_n);
    d.expected.assign(large_n, T(0));
    call(c.act, c.dir, d.in.data(), d.dy.data(), d.expected.data(), large_n, p);
    return d;
  }

  // out[0..n) == expected[first..first + n), bit for bit.
  template <class T>
  ::testing::AssertionResult same_as_expected(const T* out, const data<T>& d, std::size_t first, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      if (!same_bits(out[i], d.expected[first + i]))
        return ::testing::AssertionFailure() << "element " << i << " (input " << d.in[first + i] << "): " << out[i]
                                             << " instead of " << d.expected[first + i];
    return ::testing::AssertionSuccess();
  }

  template <class T>
  void sizes_and_offsets() {
    const layout_case& c = GetParam();
    const data<T> d = prepare<T>();
    std::vector<std::size_t> sizes;
    for (std::size_t n = 0; n <= 70; ++n) sizes.push_back(n);
    for (std::size_t n : {127, 128, 129, 255, 256, 257, 1000}) sizes.push_back(n);
    for (std::size_t n : sizes) {
      for (std::size_t in_off = 0; in_off < 4; ++in_off) {
        for (std::size_t out_off = 0; out_off < 4; ++out_off) {
          // Inputs start at element `first` of the data, so values move across lanes too.
          const std::size_t first = (n * 5 + in_off * 3 + out_off) % 97;
          guarded<T> in(n, in_off), dy(n, (in_off + 1) % 4), out(n, out_off);
          std::copy_n(d.in.begin() + first, n, in.data());
          std::copy_n(d.dy.begin() + first, n, dy.data());
          call(c.act, c.dir, static_cast<const T*>(in.data()), static_cast<const T*>(dy.data()), out.data(), n, p);
          ASSERT_TRUE(same_as_expected(out.data(), d, first, n))
              << "n=" << n << " input offset " << in_off << " output offset " << out_off;
          ASSERT_TRUE(out.guards_intact(n)) << "wrote outside the output: n=" << n << " offset " << out_off;
          ASSERT_TRUE(in.guards_intact(n) && dy.guards_intact(n));
        }
      }
    }
  }

  template <class T>
  void in_place() {
    const layout_case& c = GetParam();
    const data<T> d = prepare<T>();
    for (std::size_t n : {1, 5, 17, 33, 70, 4099, int(large_n)}) {
      // forward: y == x; backward: dx == x, then dx == dy
      std::vector<T> in(d.in.begin(), d.in.begin() + n), dy(d.dy.begin(), d.dy.begin() + n);
      call(c.act, c.dir, static_cast<const T*>(in.data()), static_cast<const T*>(dy.data()), in.data(), n, p);
      ASSERT_TRUE(same_as_expected(in.data(), d, 0, n)) << "in place on the input, n=" << n;
      if (c.dir != direction::forward) {
        std::vector<T> in2(d.in.begin(), d.in.begin() + n);
        call(c.act, c.dir, static_cast<const T*>(in2.data()), static_cast<const T*>(dy.data()), dy.data(), n, p);
        ASSERT_TRUE(same_as_expected(dy.data(), d, 0, n)) << "in place on dy, n=" << n;
      }
    }
  }

  template <class T>
  void threads_and_large_offsets() {
    const layout_case& c = GetParam();
    const data<T> d = prepare<T>();
    for (int threads : {1, 2, 3}) {
      simdact::set_num_threads(threads);
      for (std::size_t off : {0, 1, 3}) {
        guarded<T> in(large_n, off), dy(large_n, 3 - off), out(large_n, (off + 2) % 4);
        std::copy(d.in.begin(), d.in.end(), in.data());
        std::copy(d.dy.begin(), d.dy.end(), dy.data());
        call(c.act, c.dir, static_cast<const T*>(in.data()), static_cast<const T*>(dy.data()), out.data(), large_n, p);
        ASSERT_TRUE(same_as_expected(out.data(), d, 0, large_n)) << threads << " threads, offset " << off;
        ASSERT_TRUE(out.guards_intact(large_n)) << threads << " threads wrote outside the output";
      }
    }
    // n == 0 writes nothing.
    guarded<T> out(4, 0);
    call(c.act, c.dir, d.in.data(), d.dy.data(), out.data(), 0, p);
    EXPECT_TRUE(out.guards_intact(0));
  }

  ref::params p;
};

TEST_P(Layout, SizesAndOffsets) {
  if (GetParam().is_double)
    sizes_and_offsets<double>();
  else
    sizes_and_offsets<float>();
}

TEST_P(Layout, InPlace) {
  if (GetParam().is_double)
    in_place<double>();
  else
    in_place<float>();
}

TEST_P(Layout, ThreadsAndLargeOffsets) {
  if (GetParam().is_double)
    threads_and_large_offsets<double>();
  else
    threads_and_large_offsets<float>();
}

INSTANTIATE_TEST_SUITE_P(Elementwise, Layout, testing::ValuesIn(layout_cases()), layout_case_name);

}  // namespace
}  // namespace simdact_test
