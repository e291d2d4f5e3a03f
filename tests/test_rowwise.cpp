// The softmax family (forward and backward) and maxout, on every available
// ISA, float and double: accuracy against long double references
// (rowwise_reference.hpp), edge rows, every size class, alignment, in place,
// thread-count independence, and every argument error.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <simdact/simdact.hpp>

#include "isa_fixture.hpp"
#include "rowwise_reference.hpp"
#include "test_scale.hpp"

namespace {

using rowwise_ref::kind;
using rowwise_ref::ld;

constexpr kind all_kinds[] = {kind::softmax, kind::log_softmax, kind::softmin};

template <class T>
const char* type_name() {
  return sizeof(T) == 4 ? "float" : "double";
}

template <class T>
void forward(kind k, const T* x, T* y, std::size_t rows, std::size_t cols) {
  switch (k) {
    case kind::softmax:
      return simdact::softmax(x, y, rows, cols);
    case kind::log_softmax:
      return simdact::log_softmax(x, y, rows, cols);
    case kind::softmin:
      return simdact::softmin(x, y, rows, cols);
  }
}

template <class T>
void backward(kind k, const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols) {
  switch (k) {
    case kind::softmax:
      return simdact::softmax_backward(y, dy, dx, rows, cols);
    case kind::log_softmax:
      return simdact::log_softmax_backward(y, dy, dx, rows, cols);
    case kind::softmin:
      return simdact::softmin_backward(y, dy, dx, rows, cols);
  }
}

template <class T>
std::vector<T> uniform(std::size_t n, double lo, double hi, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> d(lo, hi);
  std::vector<T> v(n);
  for (T& e : v) e = T(d(rng));
  return v;
}

// The largest errors seen, for the summary printed at the end of a test.
struct error_stats {
  ld ulp = 0;      // |computed - exact| / ulp(exact)
  ld sum_eps = 0;  // softmax rows: |sum - 1| / eps
  std::size_t checked = 0;
};

// Checks rows x cols of forward k on x against the reference; y receives the output.
template <class T>
void check_forward(kind k, const std::vector<T>& x, std::size_t rows, std::size_t cols, error_stats& st,
                   std::vector<T>& y) {
  y.assign(x.size(), T(-12345));
  forward(k, x.data(), y.data(), rows, cols);
  const ld eps = rowwise_ref::eps<T>();
  for (std::size_t r = 0; r < rows; ++r) {
    const std::vector<ld> ref = rowwise_ref::forward_row(k, x.data() + r * cols, cols);
    ld sum = 0;
    for (std::size_t j = 0; j < cols; ++j) {
      const T got = y[r * cols + j];
      const ld want = ref[j];
      ++st.checked;
      if (std::isnan(want) || std::isinf(T(want))) {  // NaN, or an infinity once rounded to T
        ASSERT_TRUE(std::isnan(want) ? std::isnan(got) : got == T(want))
            << rowwise_ref::name(k) << " row " << r << " col " << j << " of " << cols << ": got " << got << ", want "
            << double(want);
        continue;
      }
      const ld err = std::fabs(ld(got) - want);
      const ld ulp = rowwise_ref::ulp_of<T>(want);
      const bool subnormal = std::fabs(want) < ld(std::numeric_limits<T>::min());
      // log_softmax: in units of max(ulp, eps * max(1, |y|)).
      const ld unit = k == kind::log_softmax ? std::max(ulp, eps * std::max<ld>(1, std::fabs(want))) : ulp;
      if (!subnormal) st.ulp = std::max(st.ulp, err / unit);
      sum += got;
      // softmax: 4 ulp plus the sum's rounding (cols * eps relative); log:
      // 4 ulp or 4 eps * max(1, |y|) absolute. Results below T's smallest
      // normal may be flushed to 0 (kernels/math's exp may not underflow gradually).
      const ld bound = k == kind::log_softmax ? std::max(4 * ulp, 4 * eps * std::max<ld>(1, std::fabs(want)))
                                              : 4 * ulp + ld(cols) * eps * std::fabs(want) +
                                                    (subnormal ? ld(std::numeric_limits<T>::min()) : ld(0));
      ASSERT_LE(err, bound) << rowwise_ref::name(k) << " row " << r << " col " << j << " of " << cols << ": x "
                            << x[r * cols + j] << " got " << got << ", want " << double(want) << " ("
                            << double(err / ulp) << " ulp)";
    }
    if (k != kind::log_softmax && !std::isnan(ref[0])) {
      ld ref_sum = 0;
      for (ld v : ref) ref_sum += v;
      if (ref_sum > 0.5L) {  // not an all -inf row
        st.sum_eps = std::max(st.sum_eps, std::fabs(sum - 1) / eps);
        ASSERT_LE(std::fabs(sum - 1), ld(cols) * eps + eps)
            << rowwise_ref::name(k) << " row " << r << " sums to " << double(sum);
      }
    }
  }
}

template <class T>
void check_backward(kind k, const std::vector<T>& y, const std::vector<T>& dy, std::size_t rows, std::size_t cols,
                    error_stats& st) {
  std::vector<T> dx(y.size(), T(-12345));
  backward(k, y.data(), dy.data(), dx.data(), rows, cols);
  const ld eps = rowwise_ref::eps<T>();
  for (std::size_t r = 0; r < rows; ++r) {
    const std::vector<ld> ref = rowwise_ref::backward_row(k, y.data() + r * cols, dy.data() + r * cols, cols);
    ld max_dy = 0;
    for (std::size_t j = 0; j < cols; ++j) max_dy = std::max(max_dy, std::fabs(ld(dy[r * cols + j])));
    for (std::size_t j = 0; j < cols; ++j) {
      const T got = dx[r * cols + j];
      const ld want = ref[j];
      ++st.checked;
      const ld err = std::fabs(ld(got) - want);
      const ld ulp = rowwise_ref::ulp_of<T>(want);
      // 8 ulp, or 8 eps * max|dy| absolute where dy - sum cancels.
      const ld unit = std::max(ulp, eps * max_dy);
      st.ulp = std::max(st.ulp, err / unit);
      ASSERT_LE(err, 8 * unit) << rowwise_ref::name(k) << "_backward row " << r << " col " << j << " of " << cols
                               << ": got " << got << ", want " << double(want);
    }
  }
}

void report(const char* what, const char* type, simdact::isa isa, const error_stats& st) {
  // softmax: ulp; log_softmax: units of max(ulp, eps*max(1,|y|)); backward:
  // units of max(ulp, eps*max|dy|).
  std::printf("[accuracy] %-22s %-6s %-7s max %.3Lf units", what, type, std::string(simdact::name(isa)).c_str(),
              st.ulp);
  if (st.sum_eps > 0) std::printf(", row sum within %.2Lf eps", st.sum_eps);
  std::printf(" (%zu values)\n", st.checked);
}

// isa_fixture: the ISA active, OpenMP's default thread count.
class Rowwise : public simdact_test::isa_fixture<simdact::isa> {};

// ---------------------------------------------------------------------------
// Accuracy over every size class.
// ---------------------------------------------------------------------------
template <class T>
void forward_backward_accuracy(simdact::isa isa, const std::vector<std::size_t>& cols_list, std::size_t rows, double lo,
                               double hi, const char* label) {
  for (kind k : all_kinds) {
    error_stats fwd, bwd;
    for (std::size_t cols : cols_list) {
      SCOPED_TRACE(std::string(rowwise_ref::name(k)) + " cols " + std::to_string(cols));
      const auto x = uniform<T>(rows * cols, lo, hi, unsigned(cols * 7 + 1));
      std::vector<T> y;
      check_forward(k, x, rows, cols, fwd, y);
      if (::testing::Test::HasFatalFailure()) return;
      const auto dy = uniform<T>(rows * cols, -1, 1, unsigned(cols * 11 + 3));
      check_backward(k, y, dy, rows, cols, bwd);
      if (::testing::Test::HasFatalFailure()) return;
    }
    report((std::string(rowwise_ref::name(k)) + " " + label).c_str(), type_name<T>(), isa, fwd);
    report((std::string(rowwise_ref::name(k)) + "_bwd " + label).c_str(), type_name<T>(), isa, bwd);
  }
}

std::vector<std::size_t> small_cols() {
  std::vector<std::size_t> c;
  for (std::size_t i = 1; i <= 70; ++i) c.push_back(i);
  return c;
}

TEST_P(Rowwise, AccuracySmallColsFloat) {
  forward_backward_accuracy<float>(GetParam(), small_cols(), 21, -12, 12, "c<=70");
}
TEST_P(Rowwise, AccuracySmallColsDouble) {
  forward_backward_accuracy<double>(GetParam(), small_cols(), 21, -12, 12, "c<=70");
}

// |x - max| up to where e^(x - max) underflows: the argument must be exact.
TEST_P(Rowwise, AccuracyWideRangeFloat) {
  forward_backward_accuracy<float>(GetParam(), {3, 8, 16, 17, 40, 1000}, 9, -60, 60, "wide");
}
TEST_P(Rowwise, AccuracyWideRangeDouble) {
  forward_backward_accuracy<double>(GetParam(), {3, 8, 16, 17, 40, 1000}, 9, -400, 400, "wide");
}

// Whole rows up to the long-row limit, then rows cut into chunks.
TEST_P(Rowwise, AccuracyLongRowsFloat) {
  forward_backward_accuracy<float>(GetParam(), {127, 1000, 4096, 4097, 16384, 16385, 40000}, 2, -10, 10, "long");
}
TEST_P(Rowwise, AccuracyLongRowsDouble) {
  forward_backward_accuracy<double>(GetParam(), {127, 1000, 4096, 4097, 16384, 16385, 40000}, 2, -10, 10, "long");
}

// One 1-D softmax over a million elements (SIMDACT_TEST_SCALE shortens it,
// never below 70001: still past the long-row limit and the thread threshold).
TEST_P(Rowwise, AccuracyMillionElementRow) {
  const std::size_t cols = simdact_test::scaled_count(1000003, 70001) | 1;
  forward_backward_accuracy<float>(GetParam(), {cols}, 1, -8, 8, "1e6");
  forward_backward_accuracy<double>(GetParam(), {cols}, 1, -8, 8, "1e6");
}

// Attention-style masks: about half of each row -inf (never all of it).
template <class T>
void masked_rows_accuracy(simdact::isa isa) {
  for (kind k : all_kinds) {
    error_stats fwd, bwd;
    for (std::size_t cols : {2, 3, 7, 16, 33, 64, 1000, 20000}) {
      SCOPED_TRACE(std::string(rowwise_ref::name(k)) + " masked cols " + std::to_string(cols));
      const std::size_t rows = cols < 1000 ? 41 : 3;
      auto x = uniform<T>(rows * cols, -10, 10, unsigned(cols * 13));
      std::mt19937 rng{static_cast<unsigned>(cols)};
      const T masked = k == kind::softmin ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity();
      for (std::size_t i = 0; i < x.size(); ++i)
        if (i % cols != rng() % cols && rng() % 2) x[i] = masked;
      std::vector<T> y;
      check_forward(k, x, rows, cols, fwd, y);
      if (::testing::Test::HasFatalFailure()) return;
      const auto dy = uniform<T>(rows * cols, -1, 1, unsigned(cols * 17));
      check_backward(k, y, dy, rows, cols, bwd);
      if (::testing::Test::HasFatalFailure()) return;
    }
    report((std::string(rowwise_ref::name(k)) + " masked").c_str(), type_name<T>(), isa, fwd);
  }
}

TEST_P(Rowwise, AccuracyMaskedRows) {
  masked_rows_accuracy<float>(GetParam());
  if (HasFatalFailure()) return;
  masked_rows_accuracy<double>(GetParam());
}

// ---------------------------------------------------------------------------
// Edge rows.
// ---------------------------------------------------------------------------
template <class T>
void edge_rows(std::size_t cols) {
  const T inf = std::numeric_limits<T>::infinity();
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T big = std::numeric_limits<T>::max();
  // Each row: a pattern over cols elements; neighbours are normal rows.
  std::vector<std::vector<T>> patterns;
  auto base = [&](unsigned seed) { return uniform<T>(cols, -5, 5, seed); };
  patterns.push_back(base(1));
  patterns.push_back(std::vector<T>(cols, -inf));  // all -inf
  patterns.push_back(std::vector<T>(cols, inf));   // all +inf
  patterns.push_back(std::vector<T>(cols, big));   // all max-finite
  for (std::size_t at : {std::size_t{0}, cols / 2, cols - 1}) {
    auto r = base(unsigned(at + 2));
    r[at] = nan;
    patterns.push_back(r);  // one NaN
    r = base(unsigned(at + 3));
    r[at] = inf;
    patterns.push_back(r);  // one +inf
    r[(at + 1) % cols] = inf;
    patterns.push_back(r);  // two +inf (one when cols == 1)
    r = base(unsigned(at + 4));
    r[at] = -inf;
    patterns.push_back(r);  // one -inf
    r = std::vector<T>(cols, -inf);
    r[at] = T(3);
    patterns.push_back(r);  // -inf but one
    r = std::vector<T>(cols, -inf);
    r[at] = nan;
    patterns.push_back(r);  // -inf and a NaN
    r = std::vector<T>(cols, inf);
    r[at] = nan;
    patterns.push_back(r);  // +inf and a NaN
    r = base(unsigned(at + 5));
    r[at] = big;
    r[(at + 1) % cols] = -big;
    patterns.push_back(r);  // +-max finite: no overflow
  }
  patterns.push_back(base(99));
  std::vector<T> x;
  for (const auto& p : patterns) x.insert(x.end(), p.begin(), p.end());
  const std::size_t rows = patterns.size();
  for (kind k : all_kinds) {
    SCOPED_TRACE(std::string(rowwise_ref::name(k)) + " cols " + std::to_string(cols));
    error_stats st;
    std::vector<T> y;
    check_forward(k, x, rows, cols, st, y);
    if (::testing::Test::HasFatalFailure()) return;
    // The same rows one at a time, in place: identical bits.
    for (std::size_t r = 0; r < rows; ++r) {
      const std::vector<T>& all = y;
      std::vector<T> one(x.begin() + r * cols, x.begin() + (r + 1) * cols);
      forward(k, one.data(), one.data(), 1, cols);
      ASSERT_EQ(0, std::memcmp(one.data(), all.data() + r * cols, cols * sizeof(T))) << "row " << r;
    }
  }
}

TEST_P(Rowwise, EdgeRows) {
  for (std::size_t cols : {1, 2, 3, 5, 8, 15, 16, 17, 33, 100, 20000}) {
    edge_rows<float>(cols);
    if (HasFatalFailure()) return;
    edge_rows<double>(cols);
    if (HasFatalFailure()) return;
  }
}

// The documented values, spelled out.
TEST_P(Rowwise, EdgeValuesSpelledOut) {
  const float inf = std::numeric_limits<float>::infinity();
  for (std::size_t cols : {2, 4, 7, 40, 30000}) {
    std::vector<float> x(cols, 1.0f), y(cols);
    x.at(1) = inf;
    x.at(cols - 1) = inf;  // one +inf when cols == 2, else two
    const std::size_t count = cols > 2 ? 2 : 1;
    simdact::softmax(x.data(), y.data(), 1, cols);
    for (std::size_t j = 0; j < cols; ++j)
      EXPECT_EQ(y[j], x[j] == inf ? 1.0f / float(count) : 0.0f) << cols << " " << j;
    simdact::log_softmax(x.data(), y.data(), 1, cols);
    for (std::size_t j = 0; j < cols; ++j)
      EXPECT_EQ(y[j], x[j] == inf ? -std::log(float(count)) : -inf) << cols << " " << j;
    std::vector<float> neg(cols, -inf);
    simdact::softmax(neg.data(), y.data(), 1, cols);
    for (float v : y) EXPECT_EQ(v, 0.0f);
    simdact::log_softmax(neg.data(), y.data(), 1, cols);
    for (float v : y) EXPECT_EQ(v, -inf);
    simdact::softmin(neg.data(), y.data(), 1, cols);  // softmin(-inf...) = softmax(+inf...)
    for (float v : y) EXPECT_EQ(v, 1.0f / float(cols));
  }
  // cols == 1: 1 and 0 for any finite x.
  const double xs[] = {-1e300, -3.5, 0.0, 7.0, 1e300};
  double ys[5];
  simdact::softmax(xs, ys, 5, 1);
  for (double v : ys) EXPECT_EQ(v, 1.0);
  simdact::log_softmax(xs, ys, 5, 1);
  for (double v : ys) EXPECT_EQ(v, 0.0);
  simdact::softmin(xs, ys, 5, 1);
  for (double v : ys) EXPECT_EQ(v, 1.0);
}

// Results just above T's smallest normal are not flushed: e^t was taken as 0 below t = -87.33 (float) /
// -708.39, above ln FLT_MIN = -87.3365 / ln DBL_MIN = -708.3964, so softmax([0, -87.3362]) gave 0 for
// 1.1759e-38 (found by the fuzzer: 1.1785e-38 in a 2000-column row). Each t from just below ln T_MIN up
// past the old floor, in a row with 0 (the maximum) and, for cols > 2, -inf padding.
template <class T>
void near_smallest_normal() {
  const bool is_float = sizeof(T) == sizeof(float);
  const ld ln_min = std::log(ld(std::numeric_limits<T>::min()));
  const T start = is_float ? T(-87.3366) : T(-708.39643), stop = is_float ? T(-87.329) : T(-708.389);
  for (std::size_t cols : {2, 3, 17}) {
    for (T t = start; t <= stop; t = std::nextafter(t, T(0)) + (stop - start) / 97) {
      std::vector<T> x(cols, -std::numeric_limits<T>::infinity()), y(cols);
      x[0] = 0;
      x[1] = t;
      simdact::softmax(x.data(), y.data(), 1, cols);
      const ld want = std::exp(ld(t)) / (1 + std::exp(ld(t)));
      if (ld(t) < ln_min) {
        EXPECT_LE(std::fabs(ld(y[1]) - want), ld(std::numeric_limits<T>::min())) << type_name<T>() << " t=" << t;
      } else {
        // 4 ulp (ulp = denorm_min just above T_MIN) and the row sum's cols eps, as the accuracy sweeps
        const ld bound =
            4 * ld(std::numeric_limits<T>::denorm_min()) + ld(cols) * ld(std::numeric_limits<T>::epsilon()) * want;
        EXPECT_LE(std::fabs(ld(y[1]) - want), bound)
            << type_name<T>() << " t=" << t << " gave " << y[1] << ", want " << double(want);
      }
    }
  }
}

TEST_P(Rowwise, NearSmallestNormal) {
  near_smallest_normal<float>();
  near_smallest_normal<double>();
}

// ---------------------------------------------------------------------------
// Where a row sits does not matter: alignment, slot in a batch, row count.
// ---------------------------------------------------------------------------
template <class T>
void position_independence(std::size_t cols) {
  const std::size_t rows = 37;
  const auto x = uniform<T>(rows * cols + 8, -9, 9, unsigned(cols));
  const auto dy = uniform<T>(rows * cols + 8, -1, 1, unsigned(cols + 100));
  for (kind k : all_kinds) {
    SCOPED_TRACE(std::string(rowwise_ref::name(k)) + " cols " + std::to_string(cols));
    std::vector<T> y(rows * cols), dx(rows * cols);
    forward(k, x.data(), y.data(), rows, cols);
    backward(k, y.data(), dy.data(), dx.data(), rows, cols);
    for (std::size_t shift : {1, 3}) {
      // Misaligned copies, rows starting at every offset, one row at a time.
      std::vector<T> xs(x.begin(), x.begin() + rows * cols), ys(rows * cols + shift), dxs(rows * cols + shift);
      xs.insert(xs.begin(), shift, T(0));
      std::vector<T> dys(dy.begin(), dy.begin() + rows * cols);
      dys.insert(dys.begin(), shift, T(0));
      forward(k, xs.data() + shift, ys.data() + shift, rows, cols);
      ASSERT_EQ(0, std::memcmp(ys.data() + shift, y.data(), y.size() * sizeof(T))) << "shift " << shift;
      std::vector<T> ysh(y);
      ysh.insert(ysh.begin(), shift, T(0));
      backward(k, ysh.data() + shift, dys.data() + shift, dxs.data() + shift, rows, cols);
      ASSERT_EQ(0, std::memcmp(dxs.data() + shift, dx.data(), dx.size() * sizeof(T))) << "shift " << shift;
    }
    for (std::size_t r = 0; r < rows; r += 5) {
      std::vector<T> one(cols), done(cols);
      forward(k, x.data() + r * cols, one.data(), 1, cols);
      ASSERT_EQ(0, std::memcmp(one.data(), y.data() + r * cols, cols * sizeof(T))) << "row " << r;
      backward(k, y.data() + r * cols, dy.data() + r * cols, done.data(), 1, cols);
      ASSERT_EQ(0, std::memcmp(done.data(), dx.data() + r * cols, cols * sizeof(T))) << "row " << r;
    }
  }
}

TEST_P(Rowwise, ResultDoesNotDependOnPosition) {
  for (std::size_t cols : {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 64, 65, 1000}) {
    position_independence<float>(cols);
    if (HasFatalFailure()) return;
    position_independence<double>(cols);
    if (HasFatalFailure()) return;
  }
}

// ---------------------------------------------------------------------------
// In place: the same bits as out of place.
// ---------------------------------------------------------------------------
template <class T>
void in_place(std::size_t rows, std::size_t cols) {
  const auto x = uniform<T>(rows * cols, -6, 6, unsigned(cols * 3));
  const auto dy = uniform<T>(rows * cols, -1, 1, unsigned(cols * 5));
  for (kind k : all_kinds) {
    SCOPED_TRACE(std::string(rowwise_ref::name(k)) + " cols " + std::to_string(cols));
    std::vector<T> y(x.size()), dx(x.size());
    forward(k, x.data(), y.data(), rows, cols);
    std::vector<T> inplace(x);
    forward(k, inplace.data(), inplace.data(), rows, cols);
    ASSERT_TRUE(rowwise_ref::same_bits(inplace, y));
    backward(k, y.data(), dy.data(), dx.data(), rows, cols);
    std::vector<T> over_dy(dy);
    backward(k, y.data(), over_dy.data(), over_dy.data(), rows, cols);
    ASSERT_TRUE(rowwise_ref::same_bits(over_dy, dx));
    std::vector<T> over_y(y);
    backward(k, over_y.data(), dy.data(), over_y.data(), rows, cols);
    ASSERT_TRUE(rowwise_ref::same_bits(over_y, dx));
  }
}

TEST_P(Rowwise, InPlace) {
  for (std::size_t cols : {1, 2, 3, 5, 6, 7, 9, 13, 16, 17, 40, 1000, 20000}) {
    in_place<float>(cols < 1000 ? 53 : 3, cols);
    if (HasFatalFailure()) return;
    in_place<double>(cols < 1000 ? 53 : 3, cols);
    if (HasFatalFailure()) return;
  }
}

// ---------------------------------------------------------------------------
// 1, 2 and 3 threads: identical bits (rows split, and one long row split).
// ---------------------------------------------------------------------------
template <class T>
void thread_independence(std::size_t rows, std::size_t cols) {
  const auto x = uniform<T>(rows * cols, -7, 7, unsigned(rows + cols));
  const auto dy = uniform<T>(rows * cols, -1, 1, unsigned(rows * 3 + cols));
  for (kind k : all_kinds) {
    SCOPED_TRACE(std::string(rowwise_ref::name(k)) + " " + std::to_string(rows) + "x" + std::to_string(cols));
    std::vector<T> y1, dx1;
    for (int threads : {1, 2, 3}) {
      simdact::set_num_threads(threads);
      std::vector<T> y(x.size()), dx(x.size());
      forward(k, x.data(), y.data(), rows, cols);
      backward(k, y.data(), dy.data(), dx.data(), rows, cols);
      if (threads == 1) {
        y1 = y;
        dx1 = dx;
      } else {
        ASSERT_TRUE(rowwise_ref::same_bits(y, y1)) << threads << " threads";
        ASSERT_TRUE(rowwise_ref::same_bits(dx, dx1)) << threads << " threads";
      }
    }
  }
}

TEST_P(Rowwise, ThreadCountDoesNotChangeBits) {
  thread_independence<float>(50001, 6);
  thread_independence<float>(300, 1000);
  thread_independence<float>(3, 100003);
  thread_independence<double>(1, 1 << 20);
  thread_independence<double>(20001, 16);
  if (HasFatalFailure()) return;
  // maxout
  for (std::size_t k : {2, 3, 16, 40}) {
    const auto x = uniform<float>(100003 * k, -3, 3, unsigned(k));
    const auto dy = uniform<float>(100003, -1, 1, unsigned(k + 1));
    std::vector<float> y1, dx1;
    for (int threads : {1, 2, 3}) {
      simdact::set_num_threads(threads);
      std::vector<float> y(100003), dx(x.size());
      simdact::maxout(x.data(), y.data(), 100003, k);
      simdact::maxout_backward(x.data(), dy.data(), dx.data(), 100003, k);
      if (threads == 1) {
        y1 = y;
        dx1 = dx;
      } else {
        ASSERT_TRUE(rowwise_ref::same_bits(y, y1)) << "maxout k " << k;
        ASSERT_TRUE(rowwise_ref::same_bits(dx, dx1)) << "maxout_backward k " << k;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Maxout.
// ---------------------------------------------------------------------------
template <class T>
void maxout_case(std::size_t n, std::size_t k, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> small(-4, 4);
  std::uniform_int_distribution<int> pick(0, 99);
  const T inf = std::numeric_limits<T>::infinity();
  std::vector<T> x(n * k);
  for (T& v : x) {
    const int p = pick(rng);
    v = p < 3    ? std::numeric_limits<T>::quiet_NaN()
        : p < 6  ? -inf
        : p < 8  ? inf
        : p < 14 ? T(-0.0)
        : p < 20 ? T(0.0)
                 : T(small(rng)) + T(0.25) * T(small(rng));  // many ties
  }
  // Whole groups of -inf and of NaN somewhere.
  if (n > 3) {
    std::fill(x.begin() + k, x.begin() + 2 * k, -inf);
    std::fill(x.begin() + 2 * k, x.begin() + 3 * k, std::numeric_limits<T>::quiet_NaN());
  }
  const auto dy = uniform<T>(n, 0.5, 2, seed + 1);
  std::vector<T> y(n, T(-7)), dx(n * k, T(-7));
  simdact::maxout(x.data(), y.data(), n, k);
  simdact::maxout_backward(x.data(), dy.data(), dx.data(), n, k);
  for (std::size_t i = 0; i < n; ++i) {
    const T* g = x.data() + i * k;
    const std::size_t first = rowwise_ref::first_max(g, k);
    if (std::isnan(g[first])) {
      ASSERT_TRUE(std::isnan(y[i])) << "k " << k << " group " << i;
    } else {
      ASSERT_EQ(y[i], g[first]) << "k " << k << " group " << i;
    }
    for (std::size_t j = 0; j < k; ++j)
      ASSERT_EQ(rowwise_ref::bits(dx[i * k + j]), rowwise_ref::bits(j == first ? dy[i] : T(0)))
          << "k " << k << " group " << i << " position " << j << " (first max at " << first << ")";
  }
  // dx may be x: the same result.
  std::vector<T> inplace(x);
  simdact::maxout_backward(inplace.data(), dy.data(), inplace.data(), n, k);
  ASSERT_TRUE(rowwise_ref::same_bits(inplace, dx)) << "in place, k " << k;
}

TEST_P(Rowwise, Maxout) {
  std::vector<std::size_t> ks;
  for (std::size_t k = 1; k <= 34; ++k) ks.push_back(k);
  for (std::size_t k : {47, 63, 64, 65, 100, 1000}) ks.push_back(k);
  for (std::size_t k : ks) {
    for (std::size_t n : {1, 2, 5, 61, 300}) {
      maxout_case<float>(n, k, unsigned(k * 1000 + n));
      if (HasFatalFailure()) return;
      maxout_case<double>(n, k, unsigned(k * 1000 + n + 7));
      if (HasFatalFailure()) return;
    }
  }
}

TEST_P(Rowwise, MaxoutMisaligned) {
  for (std::size_t k : {2, 3, 4, 5, 8, 16, 17}) {
    const std::size_t n = 203;
    const auto x = uniform<float>(n * k + 1, -5, 5, unsigned(k));
    const auto dy = uniform<float>(n + 1, -5, 5, unsigned(k + 9));
    std::vector<float> y(n), y1(n + 1), dx(n * k), dx1(n * k + 1);
    simdact::maxout(x.data(), y.data(), n, k);
    simdact::maxout(x.data() + 1, y1.data() + 1, n, k);
    simdact::maxout_backward(x.data(), dy.data(), dx.data(), n, k);
    simdact::maxout_backward(x.data() + 1, dy.data() + 1, dx1.data() + 1, n, k);
    for (std::size_t i = 0; i < n; ++i) {
      float m = x[1 + i * k];
      for (std::size_t j = 1; j < k; ++j) m = std::max(m, x[1 + i * k + j]);
      ASSERT_EQ(y1[1 + i], m);
      float m0 = x[i * k];
      for (std::size_t j = 1; j < k; ++j) m0 = std::max(m0, x[i * k + j]);
      ASSERT_EQ(y[i], m0);
      const std::size_t first = rowwise_ref::first_max(x.data() + 1 + i * k, k);
      for (std::size_t j = 0; j < k; ++j) ASSERT_EQ(dx1[1 + i * k + j], j == first ? dy[1 + i] : 0.0f);
    }
  }
}

// ---------------------------------------------------------------------------
// The run-time selected entry points.
// ---------------------------------------------------------------------------
TEST_P(Rowwise, RuntimeSelectedOp) {
  const simdact::rowwise_op ops[] = {simdact::rowwise_op::softmax, simdact::rowwise_op::log_softmax,
                                     simdact::rowwise_op::softmin};
  const auto x = uniform<double>(7 * 9, -3, 3, 5);
  const auto dy = uniform<double>(7 * 9, -1, 1, 6);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(simdact::parse_rowwise_op(simdact::name(ops[i])), ops[i]);
    std::vector<double> a(x.size()), b(x.size()), da(x.size()), db(x.size());
    simdact::forward(ops[i], x.data(), a.data(), 7, 9);
    forward(all_kinds[i], x.data(), b.data(), 7, 9);
    EXPECT_TRUE(rowwise_ref::same_bits(a, b)) << simdact::name(ops[i]);
    simdact::backward(ops[i], a.data(), dy.data(), da.data(), 7, 9);
    backward(all_kinds[i], a.data(), dy.data(), db.data(), 7, 9);
    EXPECT_TRUE(rowwise_ref::same_bits(da, db)) << simdact::name(ops[i]);
  }
  EXPECT_EQ(simdact::name(simdact::rowwise_op::log_softmax), "log_softmax");
  EXPECT_FALSE(simdact::parse_rowwise_op("softplus").has_value());
}

std::string isa_name(const ::testing::TestParamInfo<simdact::isa>& info) {
  return std::string(simdact::name(info.param));
}
INSTANTIATE_TEST_SUITE_P(Isa, Rowwise, ::testing::ValuesIn(simdact::available_isas()), isa_name);

// ---------------------------------------------------------------------------
// Argument errors: simdact::error naming the function and the argument, and
// nothing written.
// ---------------------------------------------------------------------------
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const simdact::error& e) {
    return e.what();
  } catch (...) {
    return "<other exception>";
  }
  return "<no error>";
}

void expect_error(const std::string& message, const char* function, const char* argument) {
  EXPECT_NE(message.find(std::string("simdact::") + function + ":"), std::string::npos) << message;
  EXPECT_NE(message.find(std::string(": ") + argument + " "), std::string::npos) << message;
}

TEST(RowwiseErrors, NullOverlapOverflow) {
  std::vector<float> buf(64, 2.0f);
  const std::vector<float> untouched(buf);
  float* p = buf.data();
  const std::size_t huge = std::numeric_limits<std::size_t>::max() / 2 + 1;
  for (kind k : all_kinds) {
    const std::string f = rowwise_ref::name(k), fb = f + "_backward";
    expect_error(error_of([&] { forward(k, static_cast<const float*>(nullptr), p, 2, 3); }), f.c_str(), "x");
    expect_error(error_of([&] { forward(k, p, static_cast<float*>(nullptr), 2, 3); }), f.c_str(), "y");
    expect_error(error_of([&] { forward(k, p, p + 1, 2, 3); }), f.c_str(), "y");  // partial overlap
    expect_error(error_of([&] { forward(k, p, p + 32, huge, 4); }), f.c_str(), "rows");
    expect_error(error_of([&] { backward(k, static_cast<const float*>(nullptr), p, p + 32, 2, 3); }), fb.c_str(), "y");
    expect_error(error_of([&] { backward(k, p, static_cast<const float*>(nullptr), p + 32, 2, 3); }), fb.c_str(), "dy");
    expect_error(error_of([&] { backward(k, p, p + 16, static_cast<float*>(nullptr), 2, 3); }), fb.c_str(), "dx");
    expect_error(error_of([&] { backward(k, p, p + 16, p + 2, 2, 3); }), fb.c_str(), "dx");  // dx overlaps y
    expect_error(error_of([&] { backward(k, p + 32, p, p + 2, 2, 3); }), fb.c_str(), "dx");  // dx overlaps dy
    expect_error(error_of([&] { backward(k, p, p + 16, p + 32, 3, huge); }), fb.c_str(), "rows");
    // rows == 0 or cols == 0: nothing to do, any pointer may be null.
    EXPECT_NO_THROW(forward(k, static_cast<const float*>(nullptr), static_cast<float*>(nullptr), 0, 5));
    EXPECT_NO_THROW(forward(k, static_cast<const double*>(nullptr), static_cast<double*>(nullptr), 5, 0));
    EXPECT_NO_THROW(backward(k, static_cast<const float*>(nullptr), static_cast<const float*>(nullptr),
                             static_cast<float*>(nullptr), 0, 0));
  }
  expect_error(error_of([&] { simdact::maxout(p, p + 32, 3, 0); }), "maxout", "k");
  expect_error(error_of([&] { simdact::maxout(static_cast<const float*>(nullptr), p, 0, 0); }), "maxout", "k");
  expect_error(error_of([&] { simdact::maxout(static_cast<const float*>(nullptr), p, 2, 3); }), "maxout", "x");
  expect_error(error_of([&] { simdact::maxout(p, static_cast<float*>(nullptr), 2, 3); }), "maxout", "y");
  expect_error(error_of([&] { simdact::maxout(p, p + 1, 2, 3); }), "maxout", "y");
  expect_error(error_of([&] { simdact::maxout(p, p, 2, 3); }), "maxout", "y");  // y == x only when k == 1
  expect_error(error_of([&] { simdact::maxout(p, p + 32, huge, 3); }), "maxout", "n");
  expect_error(error_of([&] { simdact::maxout_backward(p, p + 8, p + 32, 3, 0); }), "maxout_backward", "k");
  expect_error(error_of([&] { simdact::maxout_backward(p, p + 8, p + 32, huge, 2); }), "maxout_backward", "n");
  expect_error(error_of([&] { simdact::maxout_backward(static_cast<const float*>(nullptr), p, p + 32, 2, 3); }),
               "maxout_backward", "x");
  expect_error(error_of([&] { simdact::maxout_backward(p, static_cast<const float*>(nullptr), p + 32, 2, 3); }),
               "maxout_backward", "dy");
  expect_error(error_of([&] { simdact::maxout_backward(p, p + 8, static_cast<float*>(nullptr), 2, 3); }),
               "maxout_backward", "dx");
  expect_error(error_of([&] { simdact::maxout_backward(p, p + 8, p + 2, 2, 3); }), "maxout_backward", "dx");
  expect_error(error_of([&] { simdact::maxout_backward(p + 16, p, p + 1, 2, 3); }), "maxout_backward", "dx");
  EXPECT_NO_THROW(simdact::maxout(static_cast<const float*>(nullptr), static_cast<float*>(nullptr), 0, 4));
  EXPECT_NO_THROW(simdact::maxout_backward(static_cast<const double*>(nullptr), static_cast<const double*>(nullptr),
                                           static_cast<double*>(nullptr), 0, 4));
  // k == 1: y may be x; dx may be dy.
  EXPECT_NO_THROW(simdact::maxout(p, p, 5, 1));
  EXPECT_NO_THROW(simdact::maxout_backward(p + 16, p, p, 5, 1));
  buf.assign(untouched.begin(), untouched.end());
  // Nothing written before any of the throws above (run them again on a fresh buffer).
  for (kind k : all_kinds) {
    error_of([&] { forward(k, p, p + 1, 2, 3); });
    error_of([&] { backward(k, p, p + 16, p + 2, 2, 3); });
    error_of([&] { backward(k, p, p + 16, p + 32, 3, huge); });
  }
  error_of([&] { simdact::maxout(p, p + 1, 2, 3); });
  error_of([&] { simdact::maxout_backward(p, p + 8, p + 2, 2, 3); });
  EXPECT_EQ(buf, untouched);
}

}  // namespace
