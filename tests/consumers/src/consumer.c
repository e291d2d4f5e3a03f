/* A C99 program using an installed (or add_subdirectory'd) simdact through
 * the C ABI: checks a few sigmoid values, an error code and the version. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <simdact/simdact.h>

int main(void) {
  const double x[5] = {-4.0, -0.5, 0.0, 0.75, 3.0};
  double y[5];
  int i, bad = 0;
  if (simdact_sigmoid_f64(x, y, 5) != SIMDACT_OK) {
    printf("simdact_sigmoid_f64 failed: %s\n", simdact_last_error_message());
    bad = 1;
  }
  for (i = 0; i < 5; ++i) {
    const double ref = 1.0 / (1.0 + exp(-x[i]));
    if (fabs(y[i] - ref) > 1e-14) {
      printf("sigmoid(%g) = %.17g, expected %.17g\n", x[i], y[i], ref);
      bad = 1;
    }
  }
  if (simdact_relu_f64(x, NULL, 5) != SIMDACT_NULL_POINTER) {
    printf("a null output was accepted\n");
    bad = 1;
  }
  if (strcmp(simdact_version(), SIMDACT_VERSION_STRING) != 0) {
    printf("library %s, headers %s\n", simdact_version(), SIMDACT_VERSION_STRING);
    bad = 1;
  }
  printf("C consumer: %s (simdact %s, %s)\n", bad ? "FAILED" : "OK", SIMDACT_VERSION_STRING,
         simdact_isa_name(simdact_active_isa()));
  return bad;
}
