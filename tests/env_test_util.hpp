// tests/env_test_util.hpp - helpers shared by the environment tests: a byte-order independent
// trajectory hash for golden values, ICRL_ASSERT failures turned into exceptions, and scripted
// episodes (run_episode, wrap_angle).
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

// Runs `policy(env, t)` in env from its current state to the end of the episode.
struct Episode {
  double ret = 0.0;
  double cost = 0.0;
  int length = 0;
  bool terminated = false;
  bool truncated = false;
};
template <class Env, class Policy>
Episode run_episode(Env& env, Policy policy) {
  Episode ep;
  for (;;) {
    const auto r = env.step(policy(env, ep.length));
    ep.ret += r.reward;
    ep.cost += r.cost;
    ++ep.length;
    if (r.terminated || r.truncated) {
      ep.terminated = r.terminated;
      ep.truncated = r.truncated;
      return ep;
    }
  }
}

// a wrapped into [-pi, pi).
inline double wrap_angle(double a) {
  constexpr double kPi = 3.14159265358979323846;
  while (a >= kPi) a -= 2.0 * kPi;
  while (a < -kPi) a += 2.0 * kPi;
  return a;
}

}  // namespace test_util
