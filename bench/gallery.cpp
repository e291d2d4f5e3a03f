// simdact_gallery: writes f(x) and f'(x) of every activation (default
// parameters, double, the best ISA) on a grid over [-6, 6] as CSV, through the
// public run-time API, for the report's gallery of plots:
//   x,sigmoid,sigmoid',hard_sigmoid,hard_sigmoid',...
// Usage: simdact_gallery [points]   (default 1201; CSV on stdout)
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <simdact/simdact.hpp>

int main(int argc, char** argv) {
  const long points = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 1201;
  if (points < 2) {
    std::fprintf(stderr, "usage: simdact_gallery [points >= 2]\n");
    return 2;
  }
  const double lo = -6.0, hi = 6.0;
  const auto n = static_cast<std::size_t>(points);
  std::vector<double> x(n), ones(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) x[i] = lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(n - 1);

  std::vector<std::vector<double>> columns;
  std::string header = "x";
  for (std::size_t a = 0; a < simdact::activation_count; ++a) {
    const auto act = static_cast<simdact::activation>(a);
    std::vector<double> f(n), df(n);
    simdact::forward(act, x.data(), f.data(), n);
    simdact::backward(act, x.data(), ones.data(), df.data(), n);  // dy = 1 gives f'(x)
    const std::string name(simdact::name(act));
    header += "," + name + "," + name + "'";
    columns.push_back(std::move(f));
    columns.push_back(std::move(df));
  }
  std::printf("%s\n", header.c_str());
  for (std::size_t i = 0; i < n; ++i) {
    std::printf("%.17g", x[i]);
    for (const auto& c : columns) std::printf(",%.17g", c[i]);
    std::printf("\n");
  }
  return 0;
}
