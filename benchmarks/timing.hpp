// benchmarks/timing.hpp - the timing loop of the per-call benchmarks (bench_mlp, bench_embedded):
// the median over 9 timed repeats of a loop of n calls, n doubled until one loop lasts 50 ms.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace icrl::bench {

using Clock = std::chrono::steady_clock;

// Median over repeats of (seconds per call) of f, with an inner loop of n calls f(i).
template <typename F>
double median_seconds_per_call(F&& f, long n) {
  std::vector<double> t;
  for (int r = 0; r < 9; ++r) {
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) f(i);
    t.push_back(std::chrono::duration<double>(Clock::now() - t0).count() / static_cast<double>(n));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// Seconds per call of f, with the inner loop long enough to last ~50 ms.
template <typename F>
double calibrated(F&& f) {
  long n = 16;
  for (;;) {
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) f(i);
    if (std::chrono::duration<double>(Clock::now() - t0).count() > 0.05) break;
    n *= 2;
  }
  return median_seconds_per_call(f, n);
}

}  // namespace icrl::bench
