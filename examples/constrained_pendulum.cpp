// examples/constrained_pendulum.cpp - the forward step of ICRL (eq. (9)) on its own, as a training
// script: Pendulum-v1 with a speed limit (cost 1 on every step with |thdot| > 6 rad/s) and a
// budget of 2 such steps per 200-step episode. Plain PPO ignores the cost and swings up as fast
// as it can; PPO-Lagrangian trades a little return for staying within the budget.
//
//   constrained_pendulum [--seed S] [--steps N]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "envs/pendulum.hpp"
#include "envs/vec_env.hpp"
#include "icrl/ppo_lagrangian.hpp"

int main(int argc, char** argv) {
  long seed = 1, steps = 614400;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::atol(argv[i + 1]);
    else if (std::strcmp(argv[i], "--steps") == 0) steps = std::atol(argv[i + 1]);
    else return std::fprintf(stderr, "constrained_pendulum: unknown flag %s (accepted: --seed, --steps)\n", argv[i]), 2;
  }
  if (argc % 2 == 0 || seed < 0 || steps < 4096)
    return std::fprintf(stderr, "usage: constrained_pendulum [--seed S >= 0] [--steps N >= 4096]\n"), 2;

  // 1. The environment: 4 copies of the constrained pendulum, stepped in lockstep.
  using Envs = icrl::envs::VecEnv<icrl::envs::PendulumConstrained, 4>;
  // 2. The trainer: minibatches are processed in fixed-size chunks of 256 columns.
  using Trainer = icrl::PpoLagrangian<Envs, 256>;

  // 3. Hyperparameters (the `pendulum-constrained` preset of `icrl train`).
  icrl::PpoConfig config;
  config.n_steps = 1024;        // 4 x 1024 steps per update
  config.minibatch_size = 256;  // 16 minibatches ...
  config.epochs = 2;            // ... in each of 2 epochs
  config.lr = 1e-3;
  config.gamma = 0.95;
  config.cost_gamma = 0.95;
  config.cost_lambda = 0.9;
  config.target_kl = 0.0;
  config.normalize_obs = config.normalize_reward = true;
  config.multiplier.nu_init = 0.5;
  config.multiplier.lr = 0.05;
  config.multiplier.budget = 0.01;  // alpha: mean cost per step, i.e. 2 per 200-step episode

  // 4. Train twice from the same seed: once ignoring the cost, once with the Lagrangian.
  for (const bool use_cost : {false, true}) {
    config.use_cost = use_cost;
    auto trainer = std::make_unique<Trainer>(config, static_cast<std::uint64_t>(seed));  // ~1 MB: heap, once
    while (trainer->env_steps() < steps) {
      const icrl::IterationStats s = trainer->iterate();
      if (s.iteration % 25 == 0)
        std::printf("  %-15s update %3lld  steps %7lld  return %7.1f  episode cost %5.2f  nu %.3f\n",
                    use_cost ? "PPO-Lagrangian" : "PPO", static_cast<long long>(s.iteration),
                    static_cast<long long>(s.env_steps), s.episode_return,
                    s.episode_cost, s.nu);
    }
    // 5. Evaluate 50 fresh stochastic episodes (SPEC section 8).
    const icrl::EvalResult r = trainer->evaluate(50);
    std::printf("%-15s return %.1f  episode cost %.2f (budget 2.00)  episodes with a violation %.0f%%\n\n",
                use_cost ? "PPO-Lagrangian" : "PPO", r.mean_return, r.mean_cost, 100 * r.violation_rate);
  }
  return 0;
}
