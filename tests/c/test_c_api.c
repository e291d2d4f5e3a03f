/* The C ABI, compiled as C99: every generated per-activation function against
 * a long double reference, the run-time entry points against the direct ones,
 * every status code, the thread-local error message, ISA and thread control.
 * Prints "N passed, M failed" and exits non-zero when M > 0.
 * SIMDACT_EXPECT_ISA=<name> additionally requires that ISA to be active at
 * start (scripts/aarch64.sh uses it to check dispatch under qemu). */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simdact/simdact.h>

static int passed, failed;

#define CHECK(cond, ...)                                      \
  do {                                                        \
    if (cond) {                                               \
      ++passed;                                               \
    } else {                                                  \
      ++failed;                                               \
      fprintf(stderr, "%s:%d: FAILED: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                           \
      fputc('\n', stderr);                                    \
    }                                                         \
  } while (0)

#define CHECK_STATUS(call, expected)                                                             \
  do {                                                                                           \
    simdact_status got_ = (call);                                                                \
    CHECK(got_ == (expected), "%s returned %d (%s), expected %d; message: %s", #call, (int)got_, \
          simdact_status_string(got_), (int)(expected), simdact_last_error_message());           \
  } while (0)

/* ------------------------------------------------------------------------
 * Long double references, written from the definitions (README / api.md).
 * ------------------------------------------------------------------------ */
typedef long double ld;
static const ld SQRT1_2 = 0.707106781186547524400844362104849039L;
static const ld SQRT_2_OVER_PI = 0.797884560802865355879892119868763737L;
static const ld INV_SQRT_2PI = 0.398942280401432677939946059934381868L;
static const ld SELU_ALPHA = 1.6732632423543772848170429916717L;
static const ld SELU_SCALE = 1.0507009873554804934193349852946L;

static ld logistic(ld x) { return 1.0L / (1.0L + expl(-x)); }
static ld gelu_tanh_u(ld x) { return SQRT_2_OVER_PI * (x + 0.044715L * x * x * x); }
static ld clampl(ld v, ld lo, ld hi) { return v < lo ? lo : (v > hi ? hi : v); }

/* f(x), f'(x) and f'(from y) for activation a with parameters p0, p1. */
static ld ref_forward(simdact_activation a, ld x, ld p0, ld p1) {
  switch (a) {
    case SIMDACT_ACTIVATION_sigmoid:
      return logistic(x);
    case SIMDACT_ACTIVATION_hard_sigmoid:
      return clampl(p0 * x + p1, 0, 1);
    case SIMDACT_ACTIVATION_swish:
      return x * logistic(p0 * x);
    case SIMDACT_ACTIVATION_relu:
      return x > 0 ? x : 0;
    case SIMDACT_ACTIVATION_leaky_relu:
      return x > 0 ? x : p0 * x;
    case SIMDACT_ACTIVATION_elu:
      return x > 0 ? x : p0 * expm1l(x);
    case SIMDACT_ACTIVATION_selu:
      return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * expm1l(x));
    case SIMDACT_ACTIVATION_gelu:
      return 0.5L * x * erfcl(-x * SQRT1_2);
    case SIMDACT_ACTIVATION_gelu_tanh:
      return x * logistic(2 * gelu_tanh_u(x)); /* 0.5(1 + tanh u) = sigmoid(2u) */
    case SIMDACT_ACTIVATION_tanh:
      return tanhl(x);
    case SIMDACT_ACTIVATION_hard_tanh:
      return clampl(x, p0, p1);
    case SIMDACT_ACTIVATION_tanh_shrink:
      return x - tanhl(x);
    default:
      return NAN;
  }
}

static ld ref_derivative(simdact_activation a, ld x, ld p0, ld p1) {
  switch (a) {
    case SIMDACT_ACTIVATION_sigmoid:
      return logistic(x) * (1 - logistic(x));
    case SIMDACT_ACTIVATION_hard_sigmoid: {
      ld v = p0 * x + p1;
      return v > 0 && v < 1 ? p0 : 0;
    }
    case SIMDACT_ACTIVATION_swish: {
      ld s = logistic(p0 * x);
      return s + p0 * x * s * (1 - s);
    }
    case SIMDACT_ACTIVATION_relu:
      return x > 0 ? 1 : 0;
    case SIMDACT_ACTIVATION_leaky_relu:
      return x > 0 ? 1 : p0;
    case SIMDACT_ACTIVATION_elu:
      return x > 0 ? 1 : p0 * expl(x);
    case SIMDACT_ACTIVATION_selu:
      return SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * expl(x));
    case SIMDACT_ACTIVATION_gelu:
      return 0.5L * erfcl(-x * SQRT1_2) + x * INV_SQRT_2PI * expl(-0.5L * x * x);
    case SIMDACT_ACTIVATION_gelu_tanh: { /* with 0.5(1 + t) = s and 1 - t^2 = 4s(1 - s), s = sigmoid(2u) */
      ld s = logistic(2 * gelu_tanh_u(x));
      return s + 2 * x * s * (1 - s) * SQRT_2_OVER_PI * (1 + 3 * 0.044715L * x * x);
    }
    case SIMDACT_ACTIVATION_tanh:
      return 1 - tanhl(x) * tanhl(x);
    case SIMDACT_ACTIVATION_hard_tanh:
      return x > p0 && x < p1 ? 1 : 0;
    case SIMDACT_ACTIVATION_tanh_shrink:
      return tanhl(x) * tanhl(x);
    default:
      return NAN;
  }
}

static ld ref_derivative_from_output(simdact_activation a, ld y, ld p0, ld p1) {
  switch (a) {
    case SIMDACT_ACTIVATION_sigmoid:
      return y * (1 - y);
    case SIMDACT_ACTIVATION_hard_sigmoid:
      return y > 0 && y < 1 ? p0 : 0;
    case SIMDACT_ACTIVATION_relu:
      return y > 0 ? 1 : 0;
    case SIMDACT_ACTIVATION_leaky_relu:
      return y > 0 ? 1 : p0;
    case SIMDACT_ACTIVATION_elu:
      return y > 0 ? 1 : y + p0;
    case SIMDACT_ACTIVATION_selu:
      return y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    case SIMDACT_ACTIVATION_tanh:
      return 1 - y * y;
    case SIMDACT_ACTIVATION_hard_tanh:
      return y > p0 && y < p1 ? 1 : 0;
    default:
      return NAN;
  }
}

/* Parameters used for each activation (none of them a default), and whether
 * the reference above covers it: a new registry entry without a reference
 * fails the test. */
static int params_for(simdact_activation a, double* p0, double* p1) {
  *p0 = 0;
  *p1 = 0;
  switch (a) {
    case SIMDACT_ACTIVATION_hard_sigmoid:
      *p0 = 0.25;
      *p1 = 0.375;
      return 1;
    case SIMDACT_ACTIVATION_swish:
      *p0 = 1.75;
      return 1;
    case SIMDACT_ACTIVATION_leaky_relu:
      *p0 = 0.125;
      return 1;
    case SIMDACT_ACTIVATION_elu:
      *p0 = 1.25;
      return 1;
    case SIMDACT_ACTIVATION_hard_tanh:
      *p0 = -0.75;
      *p1 = 1.25;
      return 1;
    case SIMDACT_ACTIVATION_sigmoid:
    case SIMDACT_ACTIVATION_relu:
    case SIMDACT_ACTIVATION_selu:
    case SIMDACT_ACTIVATION_gelu:
    case SIMDACT_ACTIVATION_gelu_tanh:
    case SIMDACT_ACTIVATION_tanh:
    case SIMDACT_ACTIVATION_tanh_shrink:
      return 1;
    default:
      return 0;
  }
}

/* ------------------------------------------------------------------------
 * The generated direct functions, wrapped to one signature per direction so
 * a table can hold them. Expanded from the registry like the header, so
 * every declared function is called (and must link).
 * ------------------------------------------------------------------------ */
typedef simdact_status (*fwd_f32)(const float*, float*, size_t, double, double);
typedef simdact_status (*bwd_f32)(const float*, const float*, float*, size_t, double, double);
typedef simdact_status (*fwd_f64)(const double*, double*, size_t, double, double);
typedef simdact_status (*bwd_f64)(const double*, const double*, double*, size_t, double, double);

#define ARGS_0(T, a, b)
#define ARGS_1(T, a, b) , (T)(a)
#define ARGS_2(T, a, b) , (T)(a), (T)(b)
#define GRAD_ARG_0
#define GRAD_ARG_1 , NULL
#define WRAP_FROM_OUTPUT_0(T, sfx, name, arity)
#define WRAP_FROM_OUTPUT_1(T, sfx, name, arity)                                                          \
  static simdact_status name##_bfo_##sfx(const T* y, const T* dy, T* dx, size_t n, double a, double b) { \
    (void)a, (void)b;                                                                                    \
    return simdact_##name##_backward_from_output_##sfx(y, dy, dx, n ARGS_##arity(T, a, b));              \
  }
#define WRAP_FOR_TYPE(T, sfx, name, arity, from_output)                                                   \
  static simdact_status name##_fwd_##sfx(const T* x, T* y, size_t n, double a, double b) {                \
    (void)a, (void)b;                                                                                     \
    return simdact_##name##_##sfx(x, y, n ARGS_##arity(T, a, b));                                         \
  }                                                                                                       \
  static simdact_status name##_bwd_##sfx(const T* x, const T* dy, T* dx, size_t n, double a, double b) {  \
    (void)a, (void)b;                                                                                     \
    return simdact_##name##_backward_##sfx(                                                               \
        x, dy, dx, n ARGS_##arity(T, a, b) SIMDACT_C_CAT(GRAD_ARG_, SIMDACT_C_HAS_PARAM_GRADIENT(name))); \
  }                                                                                                       \
  WRAP_FROM_OUTPUT_##from_output(T, sfx, name, arity)
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output) \
  WRAP_FOR_TYPE(float, f32, name, arity, from_output)          \
  WRAP_FOR_TYPE(double, f64, name, arity, from_output)
#include <simdact/detail/for_each_activation.inc>

struct direct {
  simdact_activation activation;
  const char* name;
  fwd_f32 forward32;
  bwd_f32 backward32;
  bwd_f32 from_output32; /* NULL where there is none */
  fwd_f64 forward64;
  bwd_f64 backward64;
  bwd_f64 from_output64;
};

#define BFO_0(name, sfx) NULL
#define BFO_1(name, sfx) name##_bfo_##sfx
static const struct direct directs[] = {
#define SIMDACT_EACH(name, arity, p0, d0, p1, d1, from_output)                   \
  {SIMDACT_ACTIVATION_##name,    #name,          name##_fwd_f32, name##_bwd_f32, \
   BFO_##from_output(name, f32), name##_fwd_f64, name##_bwd_f64, BFO_##from_output(name, f64)},
#include <simdact/detail/for_each_activation.inc>
};
#define DIRECT_COUNT (sizeof directs / sizeof directs[0])

/* ------------------------------------------------------------------------
 * Accuracy and wiring of every activation, for one ISA
 * ------------------------------------------------------------------------ */
enum { N = 41 };

/* Inputs away from every kink, both signs, several magnitudes. */
static double input(size_t i) {
  static const double base[] = {-7.5,      -3.25, -1.5, -0.875, -0.3, -0.0625, -1.0 / 1024,
                                1.0 / 512, 0.15,  0.6,  1.1,    2.3,  5.5};
  const size_t m = sizeof base / sizeof base[0];
  return base[i % m] * (1.0 + 0.01 * (double)(i / m));
}
static double upstream(size_t i) { return 0.5 + 0.0625 * (double)(i % 7) - 0.03125 * (double)(i % 3); }

/* This test checks the C ABI's wiring (the right kernel, parameters in the
 * right order, the right type), not accuracy: tests/ has the accuracy sweeps.
 * A wiring mistake is off by far more than these bounds. */
struct tolerance {
  ld rel, abs;
};
static const struct tolerance tol32 = {1e-4L, 1e-7L}, tol64 = {1e-9L, 1e-14L};

/* Every got[i] within tol of ref[i]; on failure, reports the worst point. */
static void expect_close(const char* isa, const char* function, const double* x, const double* got, const ld* ref,
                         size_t n, struct tolerance tol) {
  size_t i, worst = 0;
  ld worst_excess = 0;
  for (i = 0; i < n; ++i) {
    ld excess = fabsl(got[i] - ref[i]) - (tol.rel * fabsl(ref[i]) + tol.abs);
    if (!(excess <= worst_excess)) worst_excess = excess, worst = i; /* NaN counts as a failure */
  }
  CHECK(worst_excess <= 0, "[%s] %s(%.17g) = %.17g, reference %.17Lg", isa, function, x[worst], got[worst], ref[worst]);
}

/* Bit-identical results from the direct and the run-time selected call. */
static void expect_same(const char* isa, const char* direct, const char* runtime, const void* a, const void* b,
                        size_t bytes) {
  CHECK(memcmp(a, b, bytes) == 0, "[%s] %s differs from %s", isa, runtime, direct);
}

static void check_f32(const struct direct* d, const char* isa) {
  double p0, p1, xd[N], yd[N], dxd[N];
  float x[N], y[N], dy[N], dx[N], y2[N], dx2[N];
  ld ref[N];
  char fn[96];
  size_t i;
  params_for(d->activation, &p0, &p1);
  for (i = 0; i < N; ++i) {
    x[i] = (float)input(i);
    dy[i] = (float)upstream(i);
    xd[i] = x[i];
  }
  CHECK_STATUS(d->forward32(x, y, N, p0, p1), SIMDACT_OK);
  CHECK_STATUS(simdact_forward_f32(d->activation, x, y2, N, p0, p1), SIMDACT_OK);
  for (i = 0; i < N; ++i) yd[i] = y[i], ref[i] = ref_forward(d->activation, x[i], (float)p0, (float)p1);
  snprintf(fn, sizeof fn, "simdact_%s_f32", d->name);
  expect_close(isa, fn, xd, yd, ref, N, tol32);
  expect_same(isa, fn, "simdact_forward_f32", y, y2, sizeof y);

  CHECK_STATUS(d->backward32(x, dy, dx, N, p0, p1), SIMDACT_OK);
  CHECK_STATUS(simdact_backward_f32(d->activation, x, dy, dx2, N, p0, p1), SIMDACT_OK);
  for (i = 0; i < N; ++i) dxd[i] = dx[i], ref[i] = dy[i] * ref_derivative(d->activation, x[i], (float)p0, (float)p1);
  snprintf(fn, sizeof fn, "simdact_%s_backward_f32", d->name);
  expect_close(isa, fn, xd, dxd, ref, N, tol32);
  expect_same(isa, fn, "simdact_backward_f32", dx, dx2, sizeof dx);

  CHECK(simdact_has_backward_from_output(d->activation) == (d->from_output32 != NULL),
        "simdact_has_backward_from_output(%s) disagrees with the header", d->name);
  if (d->from_output32) {
    CHECK_STATUS(d->from_output32(y, dy, dx, N, p0, p1), SIMDACT_OK);
    CHECK_STATUS(simdact_backward_from_output_f32(d->activation, y, dy, dx2, N, p0, p1), SIMDACT_OK);
    for (i = 0; i < N; ++i)
      dxd[i] = dx[i], ref[i] = dy[i] * ref_derivative_from_output(d->activation, y[i], (float)p0, (float)p1);
    snprintf(fn, sizeof fn, "simdact_%s_backward_from_output_f32", d->name);
    expect_close(isa, fn, yd, dxd, ref, N, tol32);
    expect_same(isa, fn, "simdact_backward_from_output_f32", dx, dx2, sizeof dx);
  } else {
    CHECK_STATUS(simdact_backward_from_output_f32(d->activation, y, dy, dx2, N, p0, p1), SIMDACT_UNSUPPORTED);
  }
}

static void check_f64(const struct direct* d, const char* isa) {
  double p0, p1, x[N], y[N], dy[N], dx[N], y2[N], dx2[N];
  ld ref[N];
  char fn[96];
  size_t i;
  params_for(d->activation, &p0, &p1);
  for (i = 0; i < N; ++i) x[i] = input(i), dy[i] = upstream(i);
  CHECK_STATUS(d->forward64(x, y, N, p0, p1), SIMDACT_OK);
  CHECK_STATUS(simdact_forward_f64(d->activation, x, y2, N, p0, p1), SIMDACT_OK);
  for (i = 0; i < N; ++i) ref[i] = ref_forward(d->activation, x[i], p0, p1);
  snprintf(fn, sizeof fn, "simdact_%s_f64", d->name);
  expect_close(isa, fn, x, y, ref, N, tol64);
  expect_same(isa, fn, "simdact_forward_f64", y, y2, sizeof y);

  CHECK_STATUS(d->backward64(x, dy, dx, N, p0, p1), SIMDACT_OK);
  CHECK_STATUS(simdact_backward_f64(d->activation, x, dy, dx2, N, p0, p1), SIMDACT_OK);
  for (i = 0; i < N; ++i) ref[i] = dy[i] * ref_derivative(d->activation, x[i], p0, p1);
  snprintf(fn, sizeof fn, "simdact_%s_backward_f64", d->name);
  expect_close(isa, fn, x, dx, ref, N, tol64);
  expect_same(isa, fn, "simdact_backward_f64", dx, dx2, sizeof dx);

  if (d->from_output64) {
    CHECK_STATUS(d->from_output64(y, dy, dx, N, p0, p1), SIMDACT_OK);
    CHECK_STATUS(simdact_backward_from_output_f64(d->activation, y, dy, dx2, N, p0, p1), SIMDACT_OK);
    for (i = 0; i < N; ++i) ref[i] = dy[i] * ref_derivative_from_output(d->activation, y[i], p0, p1);
    snprintf(fn, sizeof fn, "simdact_%s_backward_from_output_f64", d->name);
    expect_close(isa, fn, y, dx, ref, N, tol64);
    expect_same(isa, fn, "simdact_backward_from_output_f64", dx, dx2, sizeof dx);
  } else {
    CHECK_STATUS(simdact_backward_from_output_f64(d->activation, y, dy, dx2, N, p0, p1), SIMDACT_UNSUPPORTED);
  }
}

/* |got - ref| <= tol * |ref| */
static int close_to(ld got, ld ref, ld tol) { return fabsl(got - ref) <= tol * fabsl(ref); }

/* swish's dbeta: sum dy * x^2 * s * (1 - s), s = sigmoid(beta x). */
static void check_swish_dbeta(const char* isa) {
  float xf[N], dyf[N], dxf[N], dbetaf = -1;
  double xd[N], dyd[N], dxd[N], dxd2[N], dbetad = -1;
  ld ref32 = 0, ref64 = 0;
  const double beta = 1.75;
  size_t i;
  for (i = 0; i < N; ++i) {
    ld s;
    xd[i] = input(i);
    dyd[i] = upstream(i);
    xf[i] = (float)xd[i];
    dyf[i] = (float)dyd[i];
    s = logistic(beta * (ld)xd[i]);
    ref64 += dyd[i] * (ld)xd[i] * xd[i] * s * (1 - s);
    s = logistic(beta * (ld)xf[i]);
    ref32 += dyf[i] * (ld)xf[i] * xf[i] * s * (1 - s);
  }
  CHECK_STATUS(simdact_swish_backward_f32(xf, dyf, dxf, N, (float)beta, &dbetaf), SIMDACT_OK);
  CHECK(close_to(dbetaf, ref32, 1e-5L), "[%s] swish dbeta f32 = %.9g, reference %.9Lg", isa, dbetaf, ref32);
  CHECK_STATUS(simdact_swish_backward_f64(xd, dyd, dxd, N, beta, &dbetad), SIMDACT_OK);
  CHECK(close_to(dbetad, ref64, 1e-12L), "[%s] swish dbeta f64 = %.17g, reference %.17Lg", isa, dbetad, ref64);
  /* dx does not depend on whether dbeta is asked for */
  CHECK_STATUS(simdact_swish_backward_f64(xd, dyd, dxd2, N, beta, NULL), SIMDACT_OK);
  CHECK(memcmp(dxd, dxd2, sizeof dxd) == 0, "[%s] swish dx changes with dbeta", isa);
}

/* The current error message names both strings (b may be NULL). */
static int message_mentions(const char* a, const char* b) {
  const char* m = simdact_last_error_message();
  return m && strstr(m, a) != NULL && (b == NULL || strstr(m, b) != NULL);
}

/* ------------------------------------------------------------------------
 * Row-wise: the softmax family (named and run-time selected) and maxout
 * ------------------------------------------------------------------------ */
enum { ROWS = 3, COLS = 19 };

typedef simdact_status (*rows_f32)(const float*, float*, size_t, size_t);
typedef simdact_status (*rows_bwd_f32)(const float*, const float*, float*, size_t, size_t);
typedef simdact_status (*rows_f64)(const double*, double*, size_t, size_t);
typedef simdact_status (*rows_bwd_f64)(const double*, const double*, double*, size_t, size_t);
static const struct {
  simdact_rowwise_op op;
  const char* name;
  rows_f32 forward32;
  rows_bwd_f32 backward32;
  rows_f64 forward64;
  rows_bwd_f64 backward64;
} rowwise_ops[] = {
    {SIMDACT_ROWWISE_SOFTMAX, "softmax", simdact_softmax_f32, simdact_softmax_backward_f32, simdact_softmax_f64,
     simdact_softmax_backward_f64},
    {SIMDACT_ROWWISE_LOG_SOFTMAX, "log_softmax", simdact_log_softmax_f32, simdact_log_softmax_backward_f32,
     simdact_log_softmax_f64, simdact_log_softmax_backward_f64},
    {SIMDACT_ROWWISE_SOFTMIN, "softmin", simdact_softmin_f32, simdact_softmin_backward_f32, simdact_softmin_f64,
     simdact_softmin_backward_f64},
};

/* Row r of op's forward output (from x) and backward (from its output y). */
static void ref_rowwise(simdact_rowwise_op op, const double* x, const double* y, const double* dy, ld* fwd, ld* bwd) {
  const ld sign = op == SIMDACT_ROWWISE_SOFTMIN ? -1 : 1;
  ld m = sign * x[0], sum = 0, dy_sum = 0, dot = 0;
  size_t c;
  for (c = 1; c < COLS; ++c) m = sign * x[c] > m ? sign * x[c] : m;
  for (c = 0; c < COLS; ++c) sum += expl(sign * x[c] - m);
  for (c = 0; c < COLS; ++c) {
    fwd[c] = op == SIMDACT_ROWWISE_LOG_SOFTMAX ? x[c] - m - logl(sum) : expl(sign * x[c] - m) / sum;
    dy_sum += dy[c];
    dot += (ld)dy[c] * y[c];
  }
  for (c = 0; c < COLS; ++c) {
    if (op == SIMDACT_ROWWISE_LOG_SOFTMAX)
      bwd[c] = dy[c] - expl(y[c]) * dy_sum; /* y = log softmax */
    else
      bwd[c] = sign * y[c] * (dy[c] - dot); /* softmin(x) = softmax(-x) */
  }
}

static void check_rowwise_op(size_t k, const char* isa) {
  double x[ROWS * COLS], y[ROWS * COLS], y2[ROWS * COLS], dy[ROWS * COLS], dx[ROWS * COLS], dx2[ROWS * COLS];
  float xf[ROWS * COLS], yf[ROWS * COLS], yf2[ROWS * COLS], dyf[ROWS * COLS], dxf[ROWS * COLS], dxf2[ROWS * COLS];
  double xd32[ROWS * COLS], yd32[ROWS * COLS], dyd32[ROWS * COLS], got[ROWS * COLS];
  ld fwd[ROWS * COLS], bwd[ROWS * COLS];
  char fn[96];
  size_t i, r;
  for (i = 0; i < ROWS * COLS; ++i) {
    x[i] = input(i * 5 + k);
    dy[i] = upstream(i) - 0.75;
    xf[i] = (float)x[i], dyf[i] = (float)dy[i];
  }
  /* double */
  CHECK_STATUS(rowwise_ops[k].forward64(x, y, ROWS, COLS), SIMDACT_OK);
  CHECK_STATUS(simdact_rowwise_forward_f64(rowwise_ops[k].op, x, y2, ROWS, COLS), SIMDACT_OK);
  CHECK_STATUS(rowwise_ops[k].backward64(y, dy, dx, ROWS, COLS), SIMDACT_OK);
  CHECK_STATUS(simdact_rowwise_backward_f64(rowwise_ops[k].op, y, dy, dx2, ROWS, COLS), SIMDACT_OK);
  for (r = 0; r < ROWS; ++r)
    ref_rowwise(rowwise_ops[k].op, x + r * COLS, y + r * COLS, dy + r * COLS, fwd + r * COLS, bwd + r * COLS);
  snprintf(fn, sizeof fn, "simdact_%s_f64", rowwise_ops[k].name);
  expect_close(isa, fn, x, y, fwd, ROWS * COLS, tol64);
  expect_same(isa, fn, "simdact_rowwise_forward_f64", y, y2, sizeof y);
  snprintf(fn, sizeof fn, "simdact_%s_backward_f64", rowwise_ops[k].name);
  expect_close(isa, fn, y, dx, bwd, ROWS * COLS, tol64);
  expect_same(isa, fn, "simdact_rowwise_backward_f64", dx, dx2, sizeof dx);
  /* float */
  CHECK_STATUS(rowwise_ops[k].forward32(xf, yf, ROWS, COLS), SIMDACT_OK);
  CHECK_STATUS(simdact_rowwise_forward_f32(rowwise_ops[k].op, xf, yf2, ROWS, COLS), SIMDACT_OK);
  CHECK_STATUS(rowwise_ops[k].backward32(yf, dyf, dxf, ROWS, COLS), SIMDACT_OK);
  CHECK_STATUS(simdact_rowwise_backward_f32(rowwise_ops[k].op, yf, dyf, dxf2, ROWS, COLS), SIMDACT_OK);
  for (i = 0; i < ROWS * COLS; ++i) xd32[i] = xf[i], yd32[i] = yf[i], dyd32[i] = dyf[i];
  for (r = 0; r < ROWS; ++r)
    ref_rowwise(rowwise_ops[k].op, xd32 + r * COLS, yd32 + r * COLS, dyd32 + r * COLS, fwd + r * COLS, bwd + r * COLS);
  for (i = 0; i < ROWS * COLS; ++i) got[i] = yf[i];
  snprintf(fn, sizeof fn, "simdact_%s_f32", rowwise_ops[k].name);
  expect_close(isa, fn, xd32, got, fwd, ROWS * COLS, tol32);
  expect_same(isa, fn, "simdact_rowwise_forward_f32", yf, yf2, sizeof yf);
  for (i = 0; i < ROWS * COLS; ++i) got[i] = dxf[i];
  snprintf(fn, sizeof fn, "simdact_%s_backward_f32", rowwise_ops[k].name);
  expect_close(isa, fn, yd32, got, bwd, ROWS * COLS, tol32);
  expect_same(isa, fn, "simdact_rowwise_backward_f32", dxf, dxf2, sizeof dxf);
}

static void check_maxout(const char* isa) {
  double x[ROWS * COLS], m[ROWS], dy[ROWS], dx[ROWS * COLS];
  float xf[ROWS * COLS], mf[ROWS], dyf[ROWS], dxf[ROWS * COLS];
  size_t r, c;
  int ok = 1, ok_back = 1;
  for (r = 0; r < ROWS * COLS; ++r) x[r] = input(r * 3), xf[r] = (float)x[r];
  x[COLS + 4] = x[COLS + 9] = 50; /* a tie: backward picks the first */
  xf[COLS + 4] = xf[COLS + 9] = 50;
  for (r = 0; r < ROWS; ++r) dy[r] = upstream(r), dyf[r] = (float)dy[r];
  CHECK_STATUS(simdact_maxout_f64(x, m, ROWS, COLS), SIMDACT_OK);
  CHECK_STATUS(simdact_maxout_f32(xf, mf, ROWS, COLS), SIMDACT_OK);
  CHECK_STATUS(simdact_maxout_backward_f64(x, dy, dx, ROWS, COLS), SIMDACT_OK);
  CHECK_STATUS(simdact_maxout_backward_f32(xf, dyf, dxf, ROWS, COLS), SIMDACT_OK);
  for (r = 0; r < ROWS; ++r) {
    size_t first = 0;
    for (c = 1; c < COLS; ++c) first = x[r * COLS + c] > x[r * COLS + first] ? c : first;
    ok &= m[r] == x[r * COLS + first] && mf[r] == xf[r * COLS + first];
    for (c = 0; c < COLS; ++c) {
      ok_back &= dx[r * COLS + c] == (c == first ? dy[r] : 0.0);
      ok_back &= dxf[r * COLS + c] == (c == first ? dyf[r] : 0.0f);
    }
  }
  CHECK(ok, "[%s] simdact_maxout_f32/f64 disagree with the group maxima", isa);
  CHECK(ok_back, "[%s] simdact_maxout_backward_f32/f64 do not route dy to each group's first maximum", isa);
}

static void check_rowwise_errors(void) {
  double x[16] = {0}, y[16], dy[16] = {0};
  simdact_rowwise_op op;
  size_t k;
  CHECK_STATUS(simdact_softmax_f64(x, y, (size_t)-1, 3), SIMDACT_SIZE_OVERFLOW);
  CHECK(message_mentions("softmax", "rows"), "message \"%s\"", simdact_last_error_message());
  CHECK_STATUS(simdact_log_softmax_f64(x, x + 1, 1, 8), SIMDACT_OVERLAP);
  CHECK_STATUS(simdact_softmin_f64(x, x, 2, 8), SIMDACT_OK);
  CHECK_STATUS(simdact_softmax_f64(NULL, y, 2, 8), SIMDACT_NULL_POINTER);
  CHECK_STATUS(simdact_softmax_f64(NULL, NULL, 0, 8), SIMDACT_OK);
  CHECK_STATUS(simdact_softmax_backward_f64(y, dy, dy + 2, 1, 8), SIMDACT_OVERLAP);
  CHECK_STATUS(simdact_maxout_f64(x, y, 3, 0), SIMDACT_INVALID_PARAMETER);
  CHECK(message_mentions("maxout", "k"), "message \"%s\"", simdact_last_error_message());
  CHECK_STATUS(simdact_maxout_backward_f64(x, dy, y, 2, (size_t)-1), SIMDACT_SIZE_OVERFLOW);
  CHECK_STATUS(simdact_maxout_f64(x, x + 1, 2, 4), SIMDACT_OVERLAP);
  CHECK_STATUS(simdact_maxout_backward_f64(x, NULL, y, 2, 4), SIMDACT_NULL_POINTER);
  CHECK_STATUS(simdact_rowwise_forward_f64(SIMDACT_ROWWISE_OP_COUNT, x, y, 2, 8), SIMDACT_INVALID_PARAMETER);
  CHECK_STATUS(simdact_rowwise_backward_f32((simdact_rowwise_op)-1, NULL, NULL, NULL, 0, 0), SIMDACT_INVALID_PARAMETER);
  CHECK_STATUS(simdact_rowwise_forward_f64(SIMDACT_ROWWISE_SOFTMIN, x, NULL, 2, 8), SIMDACT_NULL_POINTER);
  for (k = 0; k < sizeof rowwise_ops / sizeof rowwise_ops[0]; ++k) {
    const char* name = simdact_rowwise_op_name(rowwise_ops[k].op);
    CHECK(name != NULL && strcmp(name, rowwise_ops[k].name) == 0, "rowwise op %zu is named %s", k,
          name ? name : "(null)");
    CHECK_STATUS(simdact_parse_rowwise_op(rowwise_ops[k].name, &op), SIMDACT_OK);
    CHECK(op == rowwise_ops[k].op, "parse_rowwise_op(%s)", rowwise_ops[k].name);
  }
  CHECK(simdact_rowwise_op_name(SIMDACT_ROWWISE_OP_COUNT) == NULL, "name of SIMDACT_ROWWISE_OP_COUNT");
  CHECK_STATUS(simdact_parse_rowwise_op("softmaxx", &op), SIMDACT_INVALID_PARAMETER);
  CHECK_STATUS(simdact_parse_rowwise_op("softmax", NULL), SIMDACT_NULL_POINTER);
}

/* ------------------------------------------------------------------------
 * Status codes and messages
 * ------------------------------------------------------------------------ */
static void check_errors(void) {
  float a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {0}, g = 0;
  double da[8] = {1, 2, 3, 4, 5, 6, 7, 8}, db[8] = {0};
  const size_t huge = SIZE_MAX / 2;
  simdact_activation act;
  int i;

  /* NULL buffers */
  CHECK_STATUS(simdact_gelu_f32(NULL, b, 8), SIMDACT_NULL_POINTER);
  CHECK(message_mentions("gelu", "x"), "message \"%s\" should name gelu and x", simdact_last_error_message());
  CHECK_STATUS(simdact_relu_backward_f64(da, NULL, db, 8), SIMDACT_NULL_POINTER);
  CHECK(message_mentions("relu_backward", "dy"), "message \"%s\"", simdact_last_error_message());
  CHECK_STATUS(simdact_tanh_backward_from_output_f32(a, a, NULL, 8), SIMDACT_NULL_POINTER);
  CHECK_STATUS(simdact_gelu_f32(NULL, NULL, 0), SIMDACT_OK);
  CHECK(strcmp(simdact_last_error_message(), "") == 0, "a success leaves message \"%s\"", simdact_last_error_message());
  CHECK_STATUS(simdact_swish_backward_f64(NULL, NULL, NULL, 0, 1.0, NULL), SIMDACT_OK);

  /* overlap: in place is fine, a shifted view is not; nothing written on error */
  CHECK_STATUS(simdact_relu_f32(a, a, 8), SIMDACT_OK);
  CHECK_STATUS(simdact_sigmoid_f32(a, a + 1, 7), SIMDACT_OVERLAP);
  CHECK(message_mentions("sigmoid", "overlaps"), "message \"%s\"", simdact_last_error_message());
  CHECK(a[1] == 2 && a[7] == 8, "a rejected call wrote its output");
  CHECK_STATUS(simdact_elu_backward_f64(da, db, db, 8, 1.0), SIMDACT_OK);
  CHECK_STATUS(simdact_elu_backward_f64(da, db, da, 8, 1.0), SIMDACT_OK);
  CHECK_STATUS(simdact_elu_backward_f64(da, db + 1, db, 7, 1.0), SIMDACT_OVERLAP);
  CHECK_STATUS(simdact_swish_backward_f32(a, a, b, 4, 1.0f, &a[2]), SIMDACT_OVERLAP);
  CHECK(message_mentions("dbeta", NULL), "message \"%s\"", simdact_last_error_message());
  CHECK_STATUS(simdact_swish_backward_f32(a, a, b, 4, 1.0f, &g), SIMDACT_OK);

  /* sizes */
  CHECK_STATUS(simdact_relu_f32(a, b, huge), SIMDACT_SIZE_OVERFLOW);
  CHECK_STATUS(simdact_relu_f64(NULL, NULL, huge), SIMDACT_SIZE_OVERFLOW);
  CHECK_STATUS(simdact_forward_f64(SIMDACT_ACTIVATION_relu, da, db, huge, NAN, NAN), SIMDACT_SIZE_OVERFLOW);

  /* parameters */
  CHECK_STATUS(simdact_hard_tanh_f32(a, b, 8, 1.0f, -1.0f), SIMDACT_INVALID_PARAMETER);
  CHECK(message_mentions("hard_tanh", NULL), "message \"%s\"", simdact_last_error_message());
  CHECK_STATUS(simdact_leaky_relu_f64(da, db, 8, NAN), SIMDACT_INVALID_PARAMETER);
  CHECK_STATUS(simdact_elu_backward_from_output_f64(da, da, db, 8, -0.5), SIMDACT_INVALID_PARAMETER);
  CHECK_STATUS(simdact_swish_f32(a, b, 8, INFINITY), SIMDACT_INVALID_PARAMETER);
  CHECK_STATUS(simdact_forward_f32(SIMDACT_ACTIVATION_hard_tanh, a, b, 8, 2.0, 1.0), SIMDACT_INVALID_PARAMETER);
  CHECK_STATUS(simdact_forward_f32(SIMDACT_ACTIVATION_elu, a, b, 8, INFINITY, NAN), SIMDACT_INVALID_PARAMETER);
  /* buffers are checked before parameters */
  CHECK_STATUS(simdact_hard_tanh_f32(NULL, b, 8, 1.0f, -1.0f), SIMDACT_NULL_POINTER);

  /* NaN parameters in the run-time API mean the default */
  {
    double x[3] = {-2.0, -0.5, 3.0}, y1[3], y2[3];
    CHECK_STATUS(simdact_forward_f64(SIMDACT_ACTIVATION_leaky_relu, x, y1, 3, NAN, NAN), SIMDACT_OK);
    CHECK_STATUS(simdact_leaky_relu_f64(x, y2, 3, 0.01), SIMDACT_OK);
    CHECK(memcmp(y1, y2, sizeof y1) == 0, "leaky_relu's default alpha is not 0.01");
    CHECK_STATUS(simdact_forward_f64(SIMDACT_ACTIVATION_hard_sigmoid, x, y1, 3, NAN, NAN), SIMDACT_OK);
    CHECK_STATUS(simdact_hard_sigmoid_f64(x, y2, 3, 0.2, 0.5), SIMDACT_OK);
    CHECK(memcmp(y1, y2, sizeof y1) == 0, "hard_sigmoid's defaults are not 0.2, 0.5");
  }

  /* enums and names */
  CHECK_STATUS(simdact_forward_f32((simdact_activation)SIMDACT_ACTIVATION_COUNT, a, b, 8, NAN, NAN),
               SIMDACT_INVALID_PARAMETER);
  CHECK_STATUS(simdact_backward_f32((simdact_activation)-1, a, a, b, 8, NAN, NAN), SIMDACT_INVALID_PARAMETER);
  CHECK_STATUS(simdact_backward_from_output_f64(SIMDACT_ACTIVATION_gelu, da, da, db, 8, NAN, NAN), SIMDACT_UNSUPPORTED);
  CHECK(message_mentions("gelu", "backward_from_output"), "message \"%s\"", simdact_last_error_message());
  CHECK(simdact_activation_name((simdact_activation)SIMDACT_ACTIVATION_COUNT) == NULL, "name of COUNT");
  CHECK(simdact_activation_name((simdact_activation)-3) == NULL, "name of -3");
  CHECK(simdact_has_backward_from_output((simdact_activation)-3) == 0, "has_backward_from_output(-3)");
  for (i = 0; i < (int)SIMDACT_ACTIVATION_COUNT; ++i) {
    const char* name = simdact_activation_name((simdact_activation)i);
    CHECK(name != NULL && strcmp(name, directs[i].name) == 0, "activation %d is named %s, registry says %s", i,
          name ? name : "(null)", directs[i].name);
    act = SIMDACT_ACTIVATION_COUNT;
    CHECK_STATUS(simdact_parse_activation(name, &act), SIMDACT_OK);
    CHECK(act == (simdact_activation)i, "parse(name(%d)) = %d", i, (int)act);
  }
  CHECK_STATUS(simdact_parse_activation("gelu_tanhh", &act), SIMDACT_INVALID_PARAMETER);
  CHECK(message_mentions("gelu_tanhh", NULL), "message \"%s\"", simdact_last_error_message());
  CHECK_STATUS(simdact_parse_activation(NULL, &act), SIMDACT_NULL_POINTER);
  CHECK_STATUS(simdact_parse_activation("relu", NULL), SIMDACT_NULL_POINTER);

  /* every status has its own explanation */
  for (i = 0; i <= (int)SIMDACT_INTERNAL_ERROR; ++i) {
    int j;
    const char* s = simdact_status_string((simdact_status)i);
    CHECK(s != NULL && s[0] != '\0' && strcmp(s, "unknown status") != 0, "status %d has no explanation", i);
    for (j = 0; j < i; ++j)
      CHECK(strcmp(s, simdact_status_string((simdact_status)j)) != 0, "statuses %d and %d read the same", i, j);
  }
  CHECK(strcmp(simdact_status_string((simdact_status)12345), "unknown status") == 0, "status 12345");
  CHECK(strcmp(simdact_version(), SIMDACT_VERSION_STRING) == 0, "library %s, header %s", simdact_version(),
        SIMDACT_VERSION_STRING);
}

/* The message is per thread: another thread's failure does not change ours. */
static void* fail_in_thread(void* arg) {
  float x = 1;
  (void)arg;
  return (void*)(intptr_t)(simdact_relu_f32(&x, NULL, 1) == SIMDACT_NULL_POINTER &&
                           strstr(simdact_last_error_message(), "relu") != NULL);
}

static void check_thread_local_message(void) {
  pthread_t thread;
  void* result = NULL;
  CHECK_STATUS(simdact_parse_isa("no-such-isa", NULL), SIMDACT_NULL_POINTER);
  CHECK(pthread_create(&thread, NULL, fail_in_thread, NULL) == 0, "pthread_create");
  CHECK(pthread_join(thread, &result) == 0, "pthread_join");
  CHECK(result == (void*)1, "the other thread did not see its own error");
  CHECK(message_mentions("simdact_parse_isa", "out"), "this thread's message became \"%s\"",
        simdact_last_error_message());
}

/* ------------------------------------------------------------------------
 * ISA and threads
 * ------------------------------------------------------------------------ */
static void check_isas_and_threads(void) {
  simdact_isa isas[SIMDACT_ISA_COUNT], parsed, initial = simdact_active_isa(), unavailable = SIMDACT_ISA_COUNT;
  size_t count = 0, i, k;
  int found_active = 0, threads = simdact_num_threads();
  const char* expected = getenv("SIMDACT_EXPECT_ISA");

  printf("active ISA: %s, threads: %d, version %s\n", simdact_isa_name(initial), threads, simdact_version());
  if (expected)
    CHECK(strcmp(simdact_isa_name(initial), expected) == 0, "active ISA %s, expected %s", simdact_isa_name(initial),
          expected);

  CHECK_STATUS(simdact_available_isas(NULL, 0, &count), SIMDACT_OK);
  CHECK(count >= 1 && count <= SIMDACT_ISA_COUNT, "%zu ISAs available", count);
  CHECK_STATUS(simdact_available_isas(NULL, 2, &count), SIMDACT_NULL_POINTER);
  CHECK_STATUS(simdact_available_isas(isas, 2, NULL), SIMDACT_NULL_POINTER);
  CHECK_STATUS(simdact_available_isas(isas, SIMDACT_ISA_COUNT, &count), SIMDACT_OK);
  CHECK(isas[0] == SIMDACT_ISA_SCALAR, "scalar is always available");
  for (i = 0; i < count; ++i) {
    found_active |= isas[i] == initial;
    CHECK(i == 0 || isas[i - 1] < isas[i], "available ISAs not ascending");
  }
  CHECK(found_active, "the active ISA is not in the available list");
  CHECK(initial == isas[count - 1] || expected != NULL || getenv("SIMDACT_ISA") != NULL,
        "without SIMDACT_ISA the best ISA (%s) should be active, not %s", simdact_isa_name(isas[count - 1]),
        simdact_isa_name(initial));

  for (k = 0; k < SIMDACT_ISA_COUNT; ++k) {
    const char* name = simdact_isa_name((simdact_isa)k);
    int available = 0;
    CHECK(name != NULL, "ISA %zu has no name", k);
    CHECK_STATUS(simdact_parse_isa(name, &parsed), SIMDACT_OK);
    CHECK(parsed == (simdact_isa)k, "parse_isa(%s)", name);
    for (i = 0; i < count; ++i) available |= isas[i] == (simdact_isa)k;
    if (!available) unavailable = (simdact_isa)k;
  }
  /* x86 builds lack neon and aarch64 builds lack sse2: one always exists */
  CHECK(unavailable != SIMDACT_ISA_COUNT, "every ISA is available?");
  CHECK_STATUS(simdact_set_isa(unavailable), SIMDACT_UNAVAILABLE_ISA);
  CHECK(simdact_active_isa() == initial, "a refused set_isa changed the ISA");
  CHECK_STATUS(simdact_set_isa((simdact_isa)99), SIMDACT_INVALID_PARAMETER);
  CHECK(simdact_isa_name((simdact_isa)99) == NULL, "name of ISA 99");
  CHECK_STATUS(simdact_parse_isa("avx1024", &parsed), SIMDACT_INVALID_PARAMETER);

  /* every activation under every available ISA */
  for (i = 0; i < count; ++i) {
    const char* name = simdact_isa_name(isas[i]);
    CHECK_STATUS(simdact_set_isa(isas[i]), SIMDACT_OK);
    CHECK(simdact_active_isa() == isas[i], "set_isa(%s) did not take", name);
    for (k = 0; k < DIRECT_COUNT; ++k) {
      check_f32(&directs[k], name);
      check_f64(&directs[k], name);
    }
    check_swish_dbeta(name);
    for (k = 0; k < sizeof rowwise_ops / sizeof rowwise_ops[0]; ++k) check_rowwise_op(k, name);
    check_maxout(name);
  }
  CHECK_STATUS(simdact_set_isa(initial), SIMDACT_OK);

  CHECK_STATUS(simdact_set_num_threads(-1), SIMDACT_INVALID_PARAMETER);
  CHECK(simdact_num_threads() == threads, "a refused set_num_threads changed the count");
  CHECK_STATUS(simdact_set_num_threads(1), SIMDACT_OK);
  CHECK(simdact_num_threads() == 1, "set_num_threads(1) gives %d", simdact_num_threads());
  CHECK_STATUS(simdact_set_num_threads(0), SIMDACT_OK);
  CHECK(simdact_num_threads() >= 1, "num_threads() = %d", simdact_num_threads());
}

int main(void) {
  size_t k;
  double p0, p1;
  CHECK(DIRECT_COUNT == SIMDACT_ACTIVATION_COUNT, "registry expansion has %zu entries, enum %d", DIRECT_COUNT,
        (int)SIMDACT_ACTIVATION_COUNT);
  for (k = 0; k < DIRECT_COUNT; ++k) {
    CHECK(directs[k].activation == (simdact_activation)k, "%s out of order", directs[k].name);
    CHECK(params_for(directs[k].activation, &p0, &p1), "no reference for %s: add it to this test", directs[k].name);
  }
  check_errors();
  check_rowwise_errors();
  check_thread_local_message();
  check_isas_and_threads();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
