// A C++ program using an installed (or add_subdirectory'd) simdact: checks a
// few gelu values against std::erfc and the header/library versions.
#include <cmath>
#include <cstdio>
#include <string_view>

#include <simdact/simdact.hpp>

int main() {
  const float x[5] = {-3.0f, -0.5f, 0.0f, 0.75f, 2.0f};
  float y[5];
  simdact::gelu(x, y, 5);
  int bad = 0;
  for (int i = 0; i < 5; ++i) {
    const double ref = 0.5 * x[i] * std::erfc(-x[i] / std::sqrt(2.0));
    if (std::fabs(y[i] - ref) > 1e-6 * std::fabs(ref) + 1e-7) {
      std::printf("gelu(%g) = %.9g, expected %.9g\n", x[i], y[i], ref);
      bad = 1;
    }
  }
  try {
    simdact::relu(x, static_cast<float*>(nullptr), 5);
    std::printf("a null output was accepted\n");
    bad = 1;
  } catch (const simdact::error&) {  // the exception type crosses the library boundary
  }
  if (simdact::version() != std::string_view(SIMDACT_VERSION_STRING)) {
    std::printf("library %s, headers %s\n", simdact::version().data(), SIMDACT_VERSION_STRING);
    bad = 1;
  }
  std::printf("C++ consumer: %s (simdact %s, %s)\n", bad ? "FAILED" : "OK", SIMDACT_VERSION_STRING,
              simdact::name(simdact::active_isa()).data());
  return bad;
}
