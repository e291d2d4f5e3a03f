// Checks tests/reference.hpp itself, against a second, naive reference in
// MPFR at 160 bits (128 for gelu) or more (precision raised where a formula cancels:
// x - tanh x near 0, 1 + tanh u for u << 0), on float and double inputs
// (hard points, tails, a float stride and random doubles), for every parameter
// variant:
//   f, f' and d swish / d beta agree to 2^-57 relative (1/16 of a double ulp;
//   f' to 2^-57 of its terms' magnitude, df_scale, near its zeros);
//   the MPFR f' agrees with a central difference of the MPFR f (h = 2^-40),
//   at every third input;
//   f'(x) written in y (df_from_output) equals f'(x) at y = f(x).
// A registry entry without an MPFR formula here fails loudly.
#include <gtest/gtest.h>
#include <mpfr.h>

#include "test_elementwise_harness.hpp"

namespace simdact_test {
namespace {

// A small MPFR value type: every new value takes the current working precision.
class mp {
 public:
  static mpfr_prec_t& precision() {
    static thread_local mpfr_prec_t p = 256;
    return p;
  }
  mp() {
    mpfr_init2(v_, precision());
    mpfr_set_zero(v_, 1);
  }
  mp(long double x) : mp() { mpfr_set_ld(v_, x, MPFR_RNDN); }  // exact: precision >= 64
  mp(int x) : mp() { mpfr_set_si(v_, x, MPFR_RNDN); }
  explicit mp(const char* decimal) : mp() { mpfr_set_str(v_, decimal, 10, MPFR_RNDN); }
  mp(const mp& o) {
    mpfr_init2(v_, std::max(precision(), mpfr_get_prec(o.v_)));
    mpfr_set(v_, o.v_, MPFR_RNDN);
  }
  mp& operator=(const mp& o) {
    if (this != &o) {
      mpfr_set_prec(v_, std::max(precision(), mpfr_get_prec(o.v_)));
      mpfr_set(v_, o.v_, MPFR_RNDN);
    }
    return *this;
  }
  ~mp() { mpfr_clear(v_); }

  mpfr_ptr get() { return v_; }
  mpfr_srcptr get() const { return v_; }
  long double ld() const { return mpfr_get_ld(v_, MPFR_RNDN); }
  int sign() const { return mpfr_sgn(v_); }

#define SIMDACT_MP_BINARY(op, fn)                   \
  friend mp operator op(const mp& a, const mp& b) { \
    mp r;                                           \
    fn(r.v_, a.v_, b.v_, MPFR_RNDN);                \
    return r;                                       \
  }
  SIMDACT_MP_BINARY(+, mpfr_add)
  SIMDACT_MP_BINARY(-, mpfr_sub)
  SIMDACT_MP_BINARY(*, mpfr_mul)
  SIMDACT_MP_BINARY(/, mpfr_div)
#undef SIMDACT_MP_BINARY
  friend mp operator-(const mp& a) {
    mp r;
    mpfr_neg(r.v_, a.v_, MPFR_RNDN);
    return r;
  }
  friend bool operator<(const mp& a, const mp& b) { return mpfr_less_p(a.v_, b.v_); }
  friend bool operator>(const mp& a, const mp& b) { return mpfr_greater_p(a.v_, b.v_); }
  friend bool operator<=(const mp& a, const mp& b) { return mpfr_lessequal_p(a.v_, b.v_); }

#define SIMDACT_MP_UNARY(name, fn) \
  friend mp name(const mp& a) {    \
    mp r;                          \
    fn(r.v_, a.v_, MPFR_RNDN);     \
    return r;                      \
  }
  SIMDACT_MP_UNARY(exp, mpfr_exp)
  SIMDACT_MP_UNARY(expm1, mpfr_expm1)
  SIMDACT_MP_UNARY(erfc, mpfr_erfc)
  SIMDACT_MP_UNARY(tanh, mpfr_tanh)
  SIMDACT_MP_UNARY(cosh, mpfr_cosh)
  SIMDACT_MP_UNARY(sqrt, mpfr_sqrt)
  SIMDACT_MP_UNARY(abs, mpfr_abs)
#undef SIMDACT_MP_UNARY

  static mp pi() {
    mp r;
    mpfr_const_pi(r.v_, MPFR_RNDN);
    return r;
  }

 private:
  mpfr_t v_;
};

// Raises the working precision for one evaluation.
struct precision_scope {
  mpfr_prec_t saved;
  explicit precision_scope(mpfr_prec_t p) : saved(mp::precision()) { mp::precision() = p; }
  ~precision_scope() { mp::precision() = saved; }
};

// sigma(v) and sigma(-v), each without 1 - sigma.
mp sigma(const mp& v) { return mp(1) / (mp(1) + exp(-v)); }

// The naive formulas, straight from api.md.
struct mp_reference {
  activation act;
  ref::params p;

  mp param0() const { return mp(p.p0); }
  mp param1() const { return mp(p.p1); }
  static mp selu_alpha() { return mp("1.6732632423543772848170429916717"); }
  static mp selu_scale() { return mp("1.0507009873554804934193349852946"); }
  static mp gelu_u(const mp& x) {  // sqrt(2/pi) (x + 0.044715 x^3)
    return sqrt(mp(2) / mp::pi()) * (x + mp("0.044715") * x * x * x);
  }
  static mp gelu_du(const mp& x) { return sqrt(mp(2) / mp::pi()) * (mp(1) + mp(3) * mp("0.044715") * x * x); }

  // The working precision: 160 bits (the checks need about 2^-100), 128 for
  // gelu (MPFR's erfc is slow for large arguments: 2 ms at 256 bits, 0.3 ms
  // at 128).
  mpfr_prec_t base_bits() const { return act == activation::gelu ? 128 : 160; }

  // Extra bits the formulas below lose to cancellation at x.
  mpfr_prec_t extra_bits(long double x) const {
    if (act == activation::tanh_shrink && x != 0) return 2 * std::max(0, -std::ilogb(x)) + 8;
    if (act == activation::gelu_tanh) {
      const long double u = 0.7978845608L * (x + 0.044715L * x * x * x);
      return mpfr_prec_t(3 * std::fabs(u)) + 8;
    }
    return 0;
  }

  mp f(const mp& x) const {
    switch (act) {
      case activation::sigmoid:
        return sigma(x);
      case activation::hard_sigmoid: {
        const mp v = param0() * x + param1();
        return v < mp(0) ? mp(0) : (mp(1) < v ? mp(1) : v);
      }
      case activation::swish:
        return x * sigma(param0() * x);
      case activation::relu:
        return x < mp(0) ? mp(0) : x;
      case activation::leaky_relu:
        return mp(0) < x ? x : param0() * x;
      case activation::elu:
        return mp(0) < x ? x : param0() * expm1(x);
      case activation::selu:
        return selu_scale() * (mp(0) < x ? x : selu_alpha() * expm1(x));
      case activation::gelu:
        return x * erfc(-x / sqrt(mp(2))) / mp(2);
      case activation::gelu_tanh:
        return x / mp(2) * (mp(1) + tanh(gelu_u(x)));
      case activation::tanh:
        return tanh(x);
      case activation::hard_tanh:
        return x < param0() ? param0() : (param1() < x ? param1() : x);
      case activation::tanh_shrink:
        return x - tanh(x);
    }
    ADD_FAILURE() << "no MPFR reference for " << activation_name(act);
    return mp(ref::nan);
  }

  mp df(const mp& x) const {
    switch (act) {
      case activation::sigmoid:
        return sigma(x) * sigma(-x);
      case activation::hard_sigmoid: {
        const mp v = param0() * x + param1();
        return mp(0) < v && v < mp(1) ? param0() : mp(0);
      }
      case activation::swish: {
        const mp v = param0() * x;
        return sigma(v) + v * sigma(v) * sigma(-v);
      }
      case activation::relu:
        return mp(0) < x ? mp(1) : mp(0);
      case activation::leaky_relu:
        return mp(0) < x ? mp(1) : param0();
      case activation::elu:
        return mp(0) < x ? mp(1) : param0() * exp(x);
      case activation::selu:
        return mp(0) < x ? selu_scale() : selu_scale() * selu_alpha() * exp(x);
      case activation::gelu:
        return erfc(-x / sqrt(mp(2))) / mp(2) + x * exp(-x * x / mp(2)) / sqrt(mp(2) * mp::pi());
      case activation::gelu_tanh: {
        const mp t = tanh(gelu_u(x));
        return (mp(1) + t) / mp(2) + x / mp(2) * (mp(1) - t * t) * gelu_du(x);
      }
      case activation::tanh: {
        const mp c = cosh(x);
        return mp(1) / (c * c);
      }
      case activation::hard_tanh:
        return param0() < x && x < param1() ? mp(1) : mp(0);
      case activation::tanh_shrink: {
        const mp t = tanh(x);
        return t * t;
      }
    }
    ADD_FAILURE() << "no MPFR derivative for " << activation_name(act);
    return mp(ref::nan);
  }

  // f'(x) in terms of y = f(x), for the from-output forms.
  mp df_from_output(const mp& y) const {
    switch (act) {
      case activation::sigmoid:
        return y * (mp(1) - y);
      case activation::tanh:
        return (mp(1) - y) * (mp(1) + y);
      case activation::relu:
        return mp(0) < y ? mp(1) : mp(0);
      case activation::leaky_relu:
        return mp(0) < y ? mp(1) : param0();
      case activation::elu:
        return mp(0) < y ? mp(1) : y + param0();
      case activation::selu:
        return mp(0) < y ? selu_scale() : y + selu_scale() * selu_alpha();
      case activation::hard_tanh:
        return param0() < y && y < param1() ? mp(1) : mp(0);
      case activation::hard_sigmoid:
        return mp(0) < y && y < mp(1) ? param0() : mp(0);
      default:
        break;
    }
    ADD_FAILURE() << "no MPFR from-output derivative for " << activation_name(act);
    return mp(ref::nan);
  }

  mp dbeta(const mp& x) const {  // swish only
    const mp v = param0() * x;
    return x * x * sigma(v) * sigma(-v);
  }
};

// |a - b| <= tol, in MPFR.
bool close(const mp& a, const mp& b, const mp& tol) { return abs(a - b) <= tol; }

struct ref_case {
  activation act;
  bool is_double;
};

std::vector<ref_case> ref_cases() {
  std::vector<ref_case> out;
  for (const activation_entry& e : registry())
    for (bool dbl : {false, true}) out.push_back({e.act, dbl});
  return out;
}

std::string ref_case_name(const testing::TestParamInfo<ref_case>& info) {
  return activation_name(info.param.act) + "_" + (info.param.is_double ? "double" : "float");
}

template <class T>
std::vector<T> reference_inputs(activation a) {
  std::vector<T> x;
  for (T v : hard_points<T>())
    if (std::isfinite(v)) x.push_back(v);
  if constexpr (std::is_same<T, float>::value) {
    for (float v : float_stride_inputs(scaled_stride(1u << 18 | 1)))  // 16k patterns (scale 1)
      if (std::isfinite(v)) x.push_back(v);
  } else {
    const std::vector<double> r = double_random_inputs(scaled_count(9000), 0x4ef);
    x.insert(x.end(), r.begin(), r.end());
  }
  if (a == activation::gelu) {
    // MPFR's erfc is slow far out; below -40 gelu is 0 in double (below its
    // smallest subnormal), above 40 it is x.
    x.erase(std::remove_if(x.begin(), x.end(), [](T v) { return std::fabs(v) > 40; }), x.end());
  }
  if (a == activation::gelu_tanh) {
    // 1 + tanh u needs ~3|u| bits: keep |x| <= 24 (u = 514; beyond, the
    // result is x, or 0 below double's smallest subnormal).
    x.erase(std::remove_if(x.begin(), x.end(), [](T v) { return std::fabs(v) > 24; }), x.end());
  }
  return x;
}

class Reference : public testing::TestWithParam<ref_case> {
 protected:
  template <class T>
  void run() {
    const activation a = GetParam().act;
    const bool from_output = visit(a, [](auto tag) { return decltype(tag)::from_output; });
    const bool piecewise = visit(a, [](auto tag) { return decltype(tag)::reference::piecewise_linear; });
    const mp rel(0x1p-57L), tiny(0x1p-1200L);
    const std::vector<T> xs = reference_inputs<T>(a);
    for (const ref::params& p0 : variants_of(a)) {
      const ref::params p = params_as<T>(p0);
      const mp_reference m{a, p};
      const std::vector<real> kinks = visit(a, [&](auto tag) { return decltype(tag)::reference::kinks(p); });
      int failures = 0;
      real worst_f = 0, worst_df = 0;
      for (std::size_t i = 0; i < xs.size(); ++i) {
        const real x = xs[i];
        const precision_scope scope(m.base_bits() + m.extra_bits(x));
        const mp X(x);
        real f_l = 0, df_l = 0, scale_l = 0, dbeta_l = 0;
        visit(a, [&](auto tag) {
          using R = typename decltype(tag)::reference;
          f_l = R::f(x, p);
          df_l = R::df(x, p);
          scale_l = R::df_scale(x, p);
          if constexpr (decltype(tag)::value == activation::swish) dbeta_l = R::dbeta(x, p);
        });
        const mp f_m = m.f(X), df_m = m.df(X);
        // hard_sigmoid's reference rounds slope x + offset once to long
        // double: at its kinks the two may differ in f' (the ULP tests accept
        // either side there).
        bool at_kink = false;
        if (piecewise)
          at_kink = visit(a, [&](auto tag) { return decltype(tag)::reference::ambiguous_df(x, p, 0x1p-60L); });
        const mp f_err = abs(mp(f_l) - f_m), df_err = abs(mp(df_l) - df_m);
        if (!(f_err <= rel * abs(f_m) + tiny)) {
          if (failures++ < 10)
            ADD_FAILURE() << activation_name(a) << " " << params_text(a, p) << " f(" << exact_text(x)
                          << "): reference.hpp " << exact_text(f_l) << ", MPFR " << exact_text(f_m.ld());
        }
        if (!at_kink && !(df_err <= rel * mp(scale_l) + tiny)) {
          if (failures++ < 10)
            ADD_FAILURE() << activation_name(a) << " " << params_text(a, p) << " f'(" << exact_text(x)
                          << "): reference.hpp " << exact_text(df_l) << " (scale " << exact_text(scale_l) << "), MPFR "
                          << exact_text(df_m.ld());
        }
        if (tiny < abs(f_m)) worst_f = std::max(worst_f, (f_err / abs(f_m)).ld());
        if (mp(scale_l) > tiny && !at_kink) worst_df = std::max(worst_df, (df_err / mp(scale_l)).ld());
        if (a == activation::swish) {
          const mp db_m = m.dbeta(X);
          EXPECT_TRUE(close(mp(dbeta_l), db_m, rel * abs(db_m) + tiny))
              << "dbeta(" << exact_text(x) << "): " << exact_text(dbeta_l) << " vs MPFR " << exact_text(db_m.ld());
        }
        // The MPFR derivative against a central difference of the MPFR function.
        bool near_kink = at_kink;
        const long double h = 0x1p-40L * std::max(1.0L, std::fabs(x));
        for (real k : kinks) near_kink |= std::fabs(x - k) <= 4 * h;
        if (!near_kink && std::fabs(x) < 1e6L && i % 3 == 0) {
          const mp H(h);
          const mp fd = (m.f(X + H) - m.f(X - H)) / (mp(2) * H);
          EXPECT_TRUE(close(fd, df_m, mp(0x1p-60L) * (mp(1) + abs(df_m) + mp(scale_l))))
              << activation_name(a) << " " << params_text(a, p) << " MPFR f'(" << exact_text(x)
              << ") = " << exact_text(df_m.ld()) << " but the difference quotient is " << exact_text(fd.ld());
          if (a == activation::swish) {
            // f depends on beta x: step beta by 2^-40 / |x|.
            const long double hb = 0x1p-40L / std::max(1.0L, std::fabs(x));
            mp_reference up = m, down = m;
            up.p.p0 += hb, down.p.p0 -= hb;
            const mp fdb = (up.f(X) - down.f(X)) / (mp(up.p.p0) - mp(down.p.p0));
            EXPECT_TRUE(close(fdb, m.dbeta(X), mp(0x1p-60L) * (mp(1) + abs(fdb) + X * X)))
                << "swish dbeta at x=" << exact_text(x);
          }
        }
        // df_from_output(f(x)) == f'(x), in MPFR (y unrounded) and in reference.hpp (y rounded to T).
        if (from_output && direction_allows(a, direction::backward_from_output, p) && !at_kink) {
          const mp dfo_m = m.df_from_output(f_m);
          const bool kink_y = piecewise && std::find(kinks.begin(), kinks.end(), x) != kinks.end();
          if (!kink_y) {
            EXPECT_TRUE(close(dfo_m, df_m, mp(0x1p-110L) * (mp(1) + abs(df_m))))
                << activation_name(a) << " " << params_text(a, p) << " x=" << exact_text(x)
                << ": f' from y = " << exact_text(dfo_m.ld()) << ", from x = " << exact_text(df_m.ld());
          }
          const T y = T(f_l);
          const real dfo_l = visit(a, [&](auto tag) {
            if constexpr (decltype(tag)::from_output)
              return decltype(tag)::reference::df_from_output(real(y), p);
            else
              return ref::nan;
          });
          const real dfo_scale = visit(a, [&](auto tag) {
            if constexpr (decltype(tag)::from_output)
              return decltype(tag)::reference::df_from_output_scale(real(y), p);
            else
              return ref::nan;
          });
          const mp dfo_my = m.df_from_output(mp(real(y)));
          EXPECT_TRUE(close(mp(dfo_l), dfo_my, rel * mp(dfo_scale) + tiny))
              << activation_name(a) << " from output at y=" << y << ": " << exact_text(dfo_l) << " vs MPFR "
              << exact_text(dfo_my.ld());
        }
      }
      EXPECT_EQ(failures, 0);
      std::printf("%s %s %s: max relative difference f %.3Lg, f' (of its scale) %.3Lg over %zu inputs\n",
                  activation_name(a).c_str(), type_name<T>(), params_text(a, p).c_str(), worst_f, worst_df, xs.size());
    }
  }
};

TEST_P(Reference, AgreesWithMpfr) {
  if (GetParam().is_double)
    run<double>();
  else
    run<float>();
}

INSTANTIATE_TEST_SUITE_P(Elementwise, Reference, testing::ValuesIn(ref_cases()), ref_case_name);

}  // namespace
}  // namespace simdact_test
