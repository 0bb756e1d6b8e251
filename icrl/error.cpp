// icrl/error.cpp - the default handler behind ICRL_ASSERT (see error.hpp).
#include "icrl/error.hpp"

#include <cstdio>
#include <cstdlib>

namespace icrl {
namespace {

void default_assert_handler(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "icrl: internal check failed: %s (%s:%d)\n", condition, file, line);
  std::abort();
}

}  // namespace

AssertHandler assert_handler = default_assert_handler;

}  // namespace icrl
