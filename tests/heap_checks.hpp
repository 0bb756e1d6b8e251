// tests/heap_checks.hpp - included first in every file of the icrl_tests program (tests/meson.build
// passes it with -include), before any Eigen header: the second of tests/test_alloc.cpp's two heap
// detectors, built into every trainer the test files instantiate (tests/trainers.hpp), so that the
// allocation checks count the very code the other tests run.
//
// EIGEN_RUNTIME_NO_MALLOC makes every Eigen heap allocation call eigen_assert with the condition
// is_malloc_allowed(); while test_alloc.cpp's count_heap() holds Eigen's switch off, a failing one
// is counted (eigen_malloc_seen) instead of aborting. Every other eigen_assert keeps Eigen's own
// behaviour (assert, compiled out under NDEBUG), so the other tests run as they would without this
// file.
#pragma once

#define EIGEN_RUNTIME_NO_MALLOC

namespace icrl_heap_checks {

// Counts one Eigen heap allocation made while Eigen's switch was off (tests/test_alloc.cpp).
void eigen_malloc_seen();

// True for the condition of Eigen's heap check (Eigen/src/Core/util/Memory.h,
// check_that_malloc_is_allowed), which begins with "is_malloc_allowed()".
constexpr bool is_heap_check(const char* condition) {
  const char* prefix = "is_malloc_allowed()";
  for (; *prefix; ++prefix, ++condition)
    if (*condition != *prefix) return false;
  return true;
}

}  // namespace icrl_heap_checks

#define eigen_assert(x)                                                  \
  do {                                                                   \
    if constexpr (::icrl_heap_checks::is_heap_check(#x)) {               \
      if (!(x)) ::icrl_heap_checks::eigen_malloc_seen();                 \
    } else {                                                             \
      eigen_plain_assert(x);                                             \
    }                                                                    \
  } while (false)
