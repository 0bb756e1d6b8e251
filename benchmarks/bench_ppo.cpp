// benchmarks/bench_ppo.cpp - wall time of the Pendulum PPO run that `icrl train --env pendulum`
// performs (the RLtools benchmark configuration: 4 envs x 1024 steps per update, 2 epochs of 16
// minibatches of 256, 307200 steps = 75 updates), split into rollout and update time, and the
// same for CartPole (categorical policy) and the constrained Pendulum (three networks trained).
//
//   meson test -C build --benchmark -v        (build with --buildtype=release, optionally -Dnative=true)
//   bench_ppo [--repeats N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "cli/envs.hpp"

namespace {

struct Timing {
  double wall = 0, rollout = 0, update = 0, final_return = 0;
  std::int64_t steps = 0;
};

template <class Entry>
Timing run_once(const Entry& entry, const icrl::PpoConfig& config, std::int64_t steps, std::uint64_t seed) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  auto trainer = std::make_unique<typename Entry::Trainer>(config, seed, entry.prototype);
  Timing t;
  double last = 0;
  while (trainer->env_steps() < steps) {
    const icrl::IterationStats s = trainer->iterate();
    t.rollout += s.rollout_seconds;
    t.update += s.update_seconds;
    if (s.episodes > 0) last = s.episode_return;
  }
  t.wall = std::chrono::duration<double>(Clock::now() - t0).count();
  t.steps = trainer->env_steps();
  t.final_return = last;
  return t;
}

template <class Entry>
void bench(const char* name, const Entry& entry, icrl::PpoConfig config, std::int64_t steps, int repeats) {
  std::vector<Timing> runs;
  for (int r = 0; r < repeats; ++r) runs.push_back(run_once(entry, config, steps, 1));
  std::sort(runs.begin(), runs.end(), [](const Timing& a, const Timing& b) { return a.wall < b.wall; });
  const Timing& med = runs[runs.size() / 2];
  std::printf("%-44s %8lld steps  median %.3f s (min %.3f)  rollout %.3f s  update %.3f s  %.0f steps/s  "
              "last training return %.1f\n",
              name, static_cast<long long>(med.steps), med.wall, runs.front().wall, med.rollout, med.update, static_cast<double>(med.steps) / med.wall,
              med.final_return);
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 5;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repeats") == 0 && i + 1 < argc) {
      repeats = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "bench_ppo: unknown argument '%s' (accepted: --repeats N)\n", argv[i]);
      return 2;
    }
  }
  std::printf("bench_ppo: %d runs each, seed 1, median by wall time (construction included)\n", repeats);
  icrl::cli::with_entry<icrl::cli::PendulumEntry>("pendulum", [&](auto e) { bench("pendulum PPO, 75 updates (RLtools config)", e, e.preset, 307200, repeats); });
  icrl::cli::with_entry<icrl::cli::CartPoleEntry>("cartpole", [&](auto e) { bench("cartpole PPO, 100k steps", e, e.preset, 100000, repeats); });
  icrl::cli::with_entry<icrl::cli::PendulumConstrainedEntry>("pendulum-constrained", [&](auto e) {
    bench("pendulum-constrained PPO-Lagrangian, 75 updates", e, e.preset, 307200, repeats);
  });
  return 0;
}
