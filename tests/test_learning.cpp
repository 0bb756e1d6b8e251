// tests/test_learning.cpp - does the trainer learn? (suite 'learning', release builds only)
//
// Each case trains with the preset `icrl train` uses (cli/envs.hpp) and evaluates the final
// policy on fresh stochastic episodes (SPEC 8):
//  - Pendulum, 307200 steps (75 updates): final return >= -250 on at least 4 of 5 seeds;
//  - CartPole, 100k steps: final return >= 475 (of 500) on at least 4 of 5 seeds;
//  - constrained Pendulum (cost 1 when |thdot| > 6): PPO-Lagrangian keeps the mean episode cost
//    within its budget (0.01 per step = 2 per episode) while plain PPO on the same env exceeds it.
#include <doctest/doctest.h>

#include <cstdio>
#include <memory>

#include "cli/envs.hpp"

namespace {

// Trains `entry` for `steps` environment steps with `config` and evaluates 50 stochastic episodes.
template <class Entry>
icrl::EvalResult train_and_evaluate(const Entry& entry, const icrl::PpoConfig& config, std::uint64_t seed,
                                    std::int64_t steps) {
  auto trainer = std::make_unique<typename Entry::Trainer>(config, seed, entry.prototype);
  while (trainer->env_steps() < steps) trainer->iterate();
  return trainer->evaluate(50, false);
}

template <class F>
void with(const char* env, F&& f) {
  icrl::cli::with_env(env, std::forward<F>(f));
}

// Trains seeds 1..5 with the preset and counts the final returns >= threshold.
template <class Entry>
int seeds_solved(const char* name, const Entry& entry, std::int64_t steps, double threshold) {
  int solved = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const icrl::EvalResult r = train_and_evaluate(entry, entry.preset, seed, steps);
    std::printf("%s seed %d: return %.1f\n", name, static_cast<int>(seed), r.mean_return);
    solved += r.mean_return >= threshold;
  }
  return solved;
}

TEST_CASE("PPO solves Pendulum-v1 in 307200 steps on at least 4 of 5 seeds") {
  with("pendulum", [](auto entry) { CHECK(seeds_solved("pendulum", entry, 307200, -250.0) >= 4); });
}

TEST_CASE("PPO reaches return 500 on CartPole-v1 within 100k steps on at least 4 of 5 seeds") {
  with("cartpole", [](auto entry) { CHECK(seeds_solved("cartpole", entry, 100000, 475.0) >= 4); });
}

TEST_CASE("PPO-Lagrangian keeps constrained Pendulum within budget; plain PPO exceeds it") {
  with("pendulum-constrained", [](auto entry) {
    const double budget = entry.preset.multiplier.budget * icrl::envs::Pendulum::kMaxSteps;  // per episode
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      icrl::PpoConfig plain = entry.preset;
      plain.use_cost = false;
      const icrl::EvalResult p = train_and_evaluate(entry, plain, seed, entry.default_steps);
      const icrl::EvalResult l = train_and_evaluate(entry, entry.preset, seed, entry.default_steps);
      std::printf("pendulum-constrained seed %d: PPO return %.1f cost %.2f | PPO-Lag return %.1f cost %.2f "
                  "(budget %.2f)\n", static_cast<int>(seed), p.mean_return, p.mean_cost, l.mean_return,
                  l.mean_cost, budget);
      CHECK(p.mean_cost > budget);
      CHECK(l.mean_cost <= budget);
      CHECK(l.mean_return >= -400.0);  // within budget by swinging up gently, not by giving up
    }
  });
}

}  // namespace
