// cli/envs.hpp - the environments `icrl` knows by name, each with its compile-time shape
// (number of parallel copies E, minibatch chunk) and its hyperparameter preset.
//
// with_env(name, f) calls f(EnvEntry<Env, E, Chunk>{...}) for the named environment, so a
// subcommand is written once as a generic lambda and instantiated per environment.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "args.hpp"
#include "envs/cartpole.hpp"
#include "envs/pendulum.hpp"
#include "envs/vec_env.hpp"
#include "icrl/ppo_lagrangian.hpp"

namespace icrl::cli {

template <class EnvT, int NumEnvs, int ChunkSize>
struct EnvEntry {
  using Env = EnvT;
  static constexpr int kNumEnvs = NumEnvs;  // E: copies stepped in lockstep
  static constexpr int kChunk = ChunkSize;  // columns per fixed-size minibatch chunk
  using Trainer = PpoLagrangian<envs::VecEnv<Env, NumEnvs>, ChunkSize>;
  Env prototype;          // the configured environment every copy starts from
  PpoConfig preset;       // hyperparameters before --set
  std::int64_t default_steps;  // --steps when not given
};

// Pendulum-v1: the RLtools benchmark configuration (4 envs x 1024 steps per update, 2 epochs of
// 16 minibatches of 256, gamma 0.95), so 307200 steps are 75 updates. Plain PPO: no cost stream.
inline PpoConfig pendulum_preset() {
  PpoConfig c;
  c.n_steps = 1024;
  c.minibatch_size = 256;
  c.epochs = 2;
  c.lr = 1e-3;
  c.gamma = 0.95;
  c.lambda = 0.95;
  c.target_kl = 0.0;
  c.normalize_obs = true;
  c.normalize_reward = true;
  c.use_cost = false;
  return c;
}

// CartPole-v1: 4 envs x 512 steps per update, 10 epochs of 8 minibatches of 256; reaches the
// maximum return 500 within 100k steps.
inline PpoConfig cartpole_preset() {
  PpoConfig c;
  c.n_steps = 512;
  c.minibatch_size = 256;
  c.epochs = 10;
  c.lr = 5e-4;
  c.gamma = 0.99;
  c.lambda = 0.95;
  c.target_kl = 0.0;
  c.entropy_coef = 0.0;
  c.normalize_obs = true;
  c.normalize_reward = false;
  c.use_cost = false;
  return c;
}

struct EnvDescription {
  const char* name;
  const char* what;
};
inline const std::vector<EnvDescription>& env_descriptions() {
  static const std::vector<EnvDescription> list = {
      {"pendulum", "Pendulum-v1 swing-up (3 obs, 1 torque), 200 steps; PPO"},
      {"pendulum-constrained", "Pendulum-v1, cost 1 when |thdot| > 6 rad/s; PPO-Lagrangian, budget 0.01/step"},
      {"cartpole", "CartPole-v1 (4 obs, 2 actions), 500 steps; PPO"},
      {"cartpole-constrained", "CartPole-v1, cost 1 when the cart is right of x = 1; PPO-Lagrangian, budget 0"},
  };
  return list;
}

inline std::string env_names() {
  std::string s;
  for (const auto& d : env_descriptions()) s += (s.empty() ? "" : ", ") + std::string(d.name);
  return s;
}

template <class F>
void with_env(const std::string& name, F&& f) {
  if (name == "pendulum") {
    f(EnvEntry<envs::Pendulum, 4, 256>{envs::Pendulum(), pendulum_preset(), 307200});
  } else if (name == "pendulum-constrained") {
    PpoConfig c = pendulum_preset();
    c.use_cost = true;
    c.cost_gamma = 0.95;  // the cost horizon matches the reward's (gamma 0.95)
    c.cost_lambda = 0.9;
    c.multiplier.nu_init = 0.5;
    c.multiplier.lr = 0.05;
    c.multiplier.budget = 0.01;  // 2 violating steps per 200-step episode
    f(EnvEntry<envs::PendulumConstrained, 4, 256>{envs::PendulumConstrained(), c, 614400});
  } else if (name == "cartpole") {
    f(EnvEntry<envs::CartPole, 4, 256>{envs::CartPole(), cartpole_preset(), 100000});
  } else if (name == "cartpole-constrained") {
    PpoConfig c = cartpole_preset();
    c.use_cost = true;
    c.multiplier.nu_init = 0.0;
    c.multiplier.lr = 0.05;
    c.multiplier.budget = 0.0;
    f(EnvEntry<envs::CartPoleConstrained, 4, 256>{envs::CartPoleConstrained(), c, 100000});
  } else {
    throw UsageError("unknown env '" + name + "' (accepted: " + env_names() + ")");
  }
}

}  // namespace icrl::cli
