#include "src/checks.hpp"

namespace simdact::detail {

std::size_t checked_elements(const std::string& function, std::size_t rows, std::size_t cols, const char* rows_name,
                             const char* cols_name) {
  if (cols != 0 && rows > std::numeric_limits<std::size_t>::max() / cols)
    fail(function.c_str(), rows_name,
         std::string("* ") + cols_name + " overflows size_t (" + std::to_string(rows) + " * " + std::to_string(cols) +
             ")");
  return rows * cols;
}

}  // namespace simdact::detail
