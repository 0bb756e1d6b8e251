// icrl/rng.hpp - the library's only source of randomness.
//
// PCG32 (O'Neill 2014, "PCG: A Family of Simple Fast Space-Efficient Statistically Good
// Algorithms for Random Number Generation"): a 64-bit linear congruential state advanced by
//     state <- state * 6364136223846793005 + inc        (inc odd, selects one of 2^63 streams)
// and a 32-bit output permutation XSH-RR of the old state. Everything below is integer arithmetic
// or IEEE-754 +, -, *, / and sqrt (correctly rounded everywhere) compiled without FMA contraction,
// so one (seed, stream) gives bit-identical uniforms, normals and categorical draws on x86-64,
// aarch64 and armhf. That is why we do not use <random>'s distributions: libstdc++, libc++ and
// MSVC implement std::normal_distribution differently, and libm's log is not bit-identical
// across architectures. The logarithm the normal sampler needs is `det_log` below.
//
// Used by: network initialisation (mlp.hpp), action sampling (policies), minibatch shuffling.
#pragma once

#include <cstdint>
#include <cstring>

namespace icrl {

// Natural logarithm from +, -, *, / only: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then
// log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716, summed as an odd series in s.
// Accurate to a few ulp of double for every positive normal x; identical bits on every
// IEEE-754 machine. Defined for x > 0 (returns -inf for 0, NaN for negatives).
double det_log(double x) noexcept;

class Rng {
 public:
  // seed picks the starting point, stream picks one of 2^63 independent sequences (for example
  // one per environment copy). Rng(42, 54) reproduces the reference pcg32 demo output.
  explicit Rng(std::uint64_t seed = 0x853c49e6748fea9bULL, std::uint64_t stream = 0xda3e39cb94b95bdbULL) noexcept {
    reseed(seed, stream);
  }

  void reseed(std::uint64_t seed, std::uint64_t stream) noexcept {
    state_ = 0u;
    inc_ = (stream << 1u) | 1u;
    next_u32();
    state_ += seed;
    next_u32();
    has_spare_normal_ = false;
    spare_normal_ = 0.0;
  }

  // The raw generator: 32 uniformly distributed bits.
  std::uint32_t next_u32() noexcept {
    const std::uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + inc_;
    const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
    const auto rot = static_cast<std::uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
  }

  // Uniform integer in [0, bound) without modulo bias (the rejection method of the pcg32 reference).
  std::uint32_t uniform_int(std::uint32_t bound) noexcept {
    const std::uint32_t threshold = (0u - bound) % bound;
    for (;;) {
      const std::uint32_t r = next_u32();
      if (r >= threshold) return r % bound;
    }
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept {
    const std::uint64_t hi = next_u32() >> 5;  // 27 bits
    const std::uint64_t lo = next_u32() >> 6;  // 26 bits
    return static_cast<double>((hi << 26) | lo) * 0x1.0p-53;
  }

  // Uniform float in [0, 1) with 24 random bits.
  float uniform_float() noexcept { return static_cast<float>(next_u32() >> 8) * 0x1.0p-24f; }

  // Uniform double in [lo, hi).
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }

  // Standard normal N(0, 1): Marsaglia's polar method. Draws pairs; the second value of a pair
  // is kept for the next call (it is part of the state and is saved by save_state()).
  double normal() noexcept {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = __builtin_sqrt(-2.0 * det_log(s) / s);
    spare_normal_ = v * f;
    has_spare_normal_ = true;
    return u * f;
  }

  double normal(double mean, double stddev) noexcept { return mean + stddev * normal(); }

  // Index k with probability p[k] / sum(p), by inverse CDF on one uniform. p needs n >= 1
  // non-negative entries with a positive sum (checked by the caller's asserts, not here).
  template <typename Scalar>
  int categorical(const Scalar* p, int n) noexcept {
    double total = 0.0;
    for (int k = 0; k < n; ++k) total += static_cast<double>(p[k]);
    const double target = uniform() * total;
    double cumulative = 0.0;
    for (int k = 0; k < n; ++k) {
      cumulative += static_cast<double>(p[k]);
      if (target < cumulative) return k;
    }
    // Rounding can leave target == total: return the last index with positive mass.
    for (int k = n - 1; k > 0; --k)
      if (p[k] > Scalar(0)) return k;
    return 0;
  }

  // Fisher-Yates shuffle of idx[0..n).
  void shuffle(int* idx, int n) noexcept {
    for (int i = n - 1; i > 0; --i) {
      const int j = static_cast<int>(uniform_int(static_cast<std::uint32_t>(i) + 1u));
      const int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
  }

  // A new generator on a stream derived from this one's next output: for giving each environment
  // copy or each network its own sequence from one user seed.
  Rng split() noexcept {
    const std::uint64_t s = (static_cast<std::uint64_t>(next_u32()) << 32) | next_u32();
    const std::uint64_t t = (static_cast<std::uint64_t>(next_u32()) << 32) | next_u32();
    return Rng(s, t);
  }

  // Full state as 4 x 64-bit words (for checkpoints): state, inc, spare flag, spare value bits.
  struct State {
    std::uint64_t words[4];
  };
  State save_state() const noexcept {
    State s{};
    s.words[0] = state_;
    s.words[1] = inc_;
    s.words[2] = has_spare_normal_ ? 1u : 0u;
    std::memcpy(&s.words[3], &spare_normal_, sizeof(double));
    return s;
  }
  void load_state(const State& s) noexcept {
    state_ = s.words[0];
    inc_ = s.words[1] | 1u;
    has_spare_normal_ = s.words[2] != 0;
    std::memcpy(&spare_normal_, &s.words[3], sizeof(double));
  }

 private:
  std::uint64_t state_ = 0;    // LCG state
  std::uint64_t inc_ = 1;      // stream increment (always odd)
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;  // second value of the last polar-method pair
};

}  // namespace icrl
