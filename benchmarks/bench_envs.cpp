// benchmarks/bench_envs.cpp - simulation speed: environment steps per second of one environment
// (no policy: a fixed pseudo-random action sequence), for the analytic point-circle and lap-grid
// and the Box2D cheetah and ant.
//
//   meson test -C build --benchmark -v        (--buildtype=release)
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "envs/lap_grid.hpp"
#include "envs/point_circle.hpp"
#ifdef ICRL_HAVE_BOX2D
#include "envs/ant.hpp"
#include "envs/cheetah.hpp"
#endif
#include "icrl/rng.hpp"

namespace {

// Steps env for about `seconds` with uniform random actions in its box (resetting at episode
// ends) and reports steps per second; median of 5 such runs.
template <class Env>
void bench(const char* name, double seconds) {
  double rates[5];
  double sink = 0.0;
  for (double& rate : rates) {
    Env env;
    icrl::Rng rng(1, 0), act_rng(2, 0);
    env.reset(rng);
    long steps = 0;
    const auto t0 = std::chrono::steady_clock::now();
    double elapsed = 0.0;
    while (elapsed < seconds) {
      for (int k = 0; k < 256; ++k) {
        typename Env::Action a;
        if constexpr (Env::kDiscrete) {
          a = static_cast<int>(act_rng.uniform_int(static_cast<std::uint32_t>(Env::kNumActions)));
        } else {
          for (int j = 0; j < Env::kActDim; ++j)
            a(j) = act_rng.uniform(Env::action_low()(j), Env::action_high()(j));
        }
        const auto r = env.step(a);
        sink += r.reward;
        ++steps;
        if (r.terminated || r.truncated) env.reset(rng);
      }
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    rate = steps / elapsed;
  }
  std::sort(rates, rates + 5);
  std::printf("%-14s %12.0f steps/s  (%.2f us/step; median of 5 runs of %.1f s)%s\n", name, rates[2],
              1e6 / rates[2], seconds, sink == 12345.678 ? " " : "");
}

}  // namespace

int main() {
  bench<icrl::envs::LapGrid>("lap-grid", 0.3);
  bench<icrl::envs::PointCircle>("point-circle", 0.3);
#ifdef ICRL_HAVE_BOX2D
  bench<icrl::envs::Cheetah>("cheetah", 1.0);
  bench<icrl::envs::Ant>("ant", 1.0);
  bench<icrl::envs::AntBroken>("ant-broken", 1.0);
#endif
  return 0;
}
