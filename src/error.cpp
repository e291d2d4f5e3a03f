#include "src/error.hpp"

namespace simdact {

error::~error() = default;

namespace detail {

void fail(const char* function, const char* argument, const std::string& what) {
  throw error(std::string("simdact::") + function + ": " + argument + " " + what);
}

}  // namespace detail
}  // namespace simdact
