// cli/envs.hpp - the environments `icrl` knows by name, each with its compile-time shape
// (number of parallel copies E, minibatch chunk) and its hyperparameter preset.
//
// with_env(name, f) calls f(EnvEntry<Env, E, Chunk>{...}) for the named environment, so a
// subcommand is written once as a generic lambda and instantiated per environment.
#pragma once

#include <cstdint>
#include <type_traits>
#include <string>
#include <vector>

#include "args.hpp"
#include "envs/cartpole.hpp"
#include "envs/grid_world.hpp"
#include "envs/lap_grid.hpp"
#include "envs/pendulum.hpp"
#include "envs/point_circle.hpp"
#ifdef ICRL_HAVE_BOX2D
#include "envs/ant.hpp"
#include "envs/cheetah.hpp"
#endif
#include "envs/vec_env.hpp"
#include "icrl/ppo_lagrangian.hpp"

namespace icrl::cli {

template <class EnvT, int NumEnvs, int ChunkSize>
struct EnvEntry {
  using Env = EnvT;
  static constexpr int kNumEnvs = NumEnvs;  // E: copies stepped in lockstep
  static constexpr int kChunk = ChunkSize;  // columns per fixed-size minibatch chunk
  using Trainer = PpoLagrangian<envs::VecEnv<Env, NumEnvs>, ChunkSize>;
  Env prototype;          // the configured environment every training copy starts from
  PpoConfig preset;       // hyperparameters before --set
  std::int64_t default_steps;  // --steps when not given
  Env true_env;           // the "true env" of SPEC 6 (a violation ends the episode with reward 0),
                          // where demonstrations are recorded; = prototype for unconstrained envs
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

// The ICRL environments (SPEC 5): E = 5 copies, PPO lr 3e-4, minibatches of 64, 10 epochs,
// clip 0.2, target KL 0.01, GAE lambda 0.95 for reward and cost, nu_0 = 1 with learning rate 0.1,
// budget 0. Training runs in the nominal env with the true cost (no termination on violation);
// experts and demonstrations are judged in the true env.
inline PpoConfig icrl_preset() {
  PpoConfig c;
  c.n_steps = 2048;
  c.minibatch_size = 64;
  c.epochs = 10;
  c.lr = 3e-4;
  c.clip = 0.2;
  c.target_kl = 0.01;
  c.gamma = 0.99;
  c.lambda = 0.95;
  c.cost_gamma = 0.99;
  c.cost_lambda = 0.95;
  c.use_cost = true;
  c.multiplier.nu_init = 1.0;
  c.multiplier.lr = 0.1;
  c.multiplier.budget = 0.0;
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
      {"lap-grid", "ICRL: 40-cell ring, coins at 5/15/25/35, 200 steps; constraint: no backward step"},
      {"point-circle", "ICRL: point mass paid for circling radius 10, 150 steps; constraint: x > -3"},
      {"grid:MAP", "ICRL: 4-action grid world from a map file (shipped: grid:lake7); constraint: X cells"},
      {"grid8:MAP", "ICRL: 8-action grid world from a map file (shipped: grid8:rooms8); constraint: X cells"},
#ifdef ICRL_HAVE_BOX2D
      {"cheetah", "ICRL (Box2D): planar runner, 6 motors, 1000 steps, paid for speed either way; constraint: x > -3"},
      {"ant", "ICRL (Box2D): planar four-legged walker, 8 motors, 500 steps; constraint: x > -3"},
      {"ant-broken", "ICRL (Box2D): the ant with actions 4..7 forced to 0; constraint: x > -3"},
#endif
  };
  return list;
}

inline std::string env_names() {
  std::string s;
  for (const auto& d : env_descriptions()) s += (s.empty() ? "" : ", ") + std::string(d.name);
  return s;
}

#ifndef ICRL_DATA_DIR
#define ICRL_DATA_DIR "envs/data"
#endif

// `grid:MAP` / `grid8:MAP`: MAP is a map file, or the name of a shipped map (envs/data/maps).
inline std::string grid_map_path(const std::string& map) {
  if (map.empty()) throw UsageError("grid env without a map: use grid:lake7, grid8:rooms8 or grid:PATH/TO/FILE.map");
  if (map.find('/') == std::string::npos && map.find('.') == std::string::npos)
    return std::string(ICRL_DATA_DIR) + "/maps/" + map + ".map";
  return map;
}

// Calls f with the entry of a constrained env: training copies run the nominal dynamics with the
// true cost (no termination), the true env ends an episode at its first violation (SPEC 6).
template <class Env, int E, int Chunk, class F>
void with_constrained(F&& f, const PpoConfig& preset, std::int64_t default_steps,
                      const typename Env::Base& base = typename Env::Base()) {
  typename Env::Config nominal, enforced;
  nominal.terminate_on_violation = false;
  enforced.terminate_on_violation = true;
  f(EnvEntry<Env, E, Chunk>{Env(base, nominal), preset, default_steps, Env(base, enforced)});
}

template <int A, class F>
void with_grid(const std::string& map, F&& f) {
  PpoConfig c = icrl_preset();
  c.n_steps = 512;
  using Env = envs::Constrained<envs::GridWorld<A>, std::conditional_t<A == 4, envs::GridUnsafeCells, envs::Grid8UnsafeCells>>;
  with_constrained<Env, 5, 64>(f, c, 256000, envs::GridWorld<A>::load(grid_map_path(map)));
}

template <class F>
void with_env(const std::string& name, F&& f) {
  if (name == "pendulum") {
    f(EnvEntry<envs::Pendulum, 4, 256>{envs::Pendulum(), pendulum_preset(), 307200, envs::Pendulum()});
  } else if (name == "pendulum-constrained") {
    PpoConfig c = pendulum_preset();
    c.use_cost = true;
    c.cost_gamma = 0.95;  // the cost horizon matches the reward's (gamma 0.95)
    c.cost_lambda = 0.9;
    c.multiplier.nu_init = 0.5;
    c.multiplier.lr = 0.05;
    c.multiplier.budget = 0.01;  // 2 violating steps per 200-step episode
    with_constrained<envs::PendulumConstrained, 4, 256>(f, c, 614400);
  } else if (name == "cartpole") {
    f(EnvEntry<envs::CartPole, 4, 256>{envs::CartPole(), cartpole_preset(), 100000, envs::CartPole()});
  } else if (name == "cartpole-constrained") {
    PpoConfig c = cartpole_preset();
    c.use_cost = true;
    c.multiplier.nu_init = 0.0;
    c.multiplier.lr = 0.05;
    c.multiplier.budget = 0.0;
    with_constrained<envs::CartPoleConstrained, 4, 256>(f, c, 100000);
  } else if (name.rfind("grid:", 0) == 0) {
    with_grid<4>(name.substr(5), f);
  } else if (name.rfind("grid8:", 0) == 0) {
    with_grid<8>(name.substr(6), f);
  } else if (name == "lap-grid") {
    // Tabular and deterministic: no normalisation (SPEC 5).
    with_constrained<envs::LapGridConstrained, 5, 64>(f, icrl_preset(), 204800);
  } else if (name == "point-circle") {
    PpoConfig c = icrl_preset();
    c.normalize_obs = c.normalize_reward = c.normalize_cost = true;
    with_constrained<envs::PointCircleConstrained, 5, 64>(f, c, 1024000);
#ifdef ICRL_HAVE_BOX2D
  } else if (name == "cheetah") {
    PpoConfig c = icrl_preset();
    c.normalize_obs = c.normalize_reward = c.normalize_cost = true;
    with_constrained<envs::CheetahConstrained, 5, 64>(f, c, 1024000);
  } else if (name == "ant" || name == "ant-broken") {
    // SPEC 5, Ant column.
    PpoConfig c = icrl_preset();
    c.lr = 3e-5;
    c.minibatch_size = 128;
    c.epochs = 20;
    c.clip = 0.4;
    c.target_kl = 0.02;
    c.lambda = c.cost_lambda = 0.9;
    c.multiplier.nu_init = 0.1;
    c.multiplier.lr = 0.05;
    c.normalize_obs = c.normalize_reward = c.normalize_cost = true;
    if (name == "ant")
      with_constrained<envs::AntConstrained, 5, 64>(f, c, 1024000);
    else
      with_constrained<envs::AntBrokenConstrained, 5, 64>(f, c, 1024000);
#endif
  } else {
    throw UsageError("unknown env '" + name + "' (accepted: " + env_names() + ")");
  }
}

}  // namespace icrl::cli
