// tests/env_test_util.hpp - helpers shared by the environment tests: a byte-order independent
// trajectory hash for golden values, and ICRL_ASSERT failures turned into exceptions.
#pragma once

#include <cstdint>
#include <cstring>

#include <Eigen/Core>

#include "icrl/error.hpp"

namespace test_util {

// FNV-1a 64 over the little-endian bytes of each double's IEEE-754 bit pattern (so the hash does
// not depend on the host's byte order).
struct Fnv1a64 {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void add(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    for (int k = 0; k < 8; ++k) {
      h ^= (bits >> (8 * k)) & 0xffu;
      h *= 0x100000001b3ULL;
    }
  }
  template <class Derived>
  void add(const Eigen::MatrixBase<Derived>& m) {
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      for (Eigen::Index i = 0; i < m.rows(); ++i) add(static_cast<double>(m(i, j)));
  }
};

// ICRL_ASSERT failures become exceptions while one of these is alive.
struct AssertFired {};
inline void throwing_assert_handler(const char*, const char*, int) { throw AssertFired{}; }
struct ThrowingAsserts {
  icrl::AssertHandler previous = icrl::assert_handler;
  ThrowingAsserts() { icrl::assert_handler = throwing_assert_handler; }
  ~ThrowingAsserts() { icrl::assert_handler = previous; }
  ThrowingAsserts(const ThrowingAsserts&) = delete;
  ThrowingAsserts& operator=(const ThrowingAsserts&) = delete;
};

}  // namespace test_util
