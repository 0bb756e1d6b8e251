// icrl/presets.hpp - the default settings of every method and environment, in one place (in the
// spirit of Box2D's b2DefaultWorldDef): what icrl, bc and gc are, SPEC 5's hyperparameters per
// environment, and the defaults for an environment of your own. The `icrl` program, the tests and
// the examples take their settings from here and keep no copies.
//
//   PpoConfig ppo_preset(env)          PPO / PPO-Lagrangian (`icrl train`, experts, the forward
//                                      step's base)
//   IcrlConfig icrl_preset(env, m)     Algorithm 1's outer loop and zeta's update for method m
//   void icrl_forward_preset(env, pc)  where the forward step of `icrl learn` departs from
//                                      ppo_preset(env)
//   void apply_method(ic, m)           what makes a run icrl, bc or gc (see below)
//
// env is the name `icrl envs` lists ("lap-grid", "grid:MAP", "cheetah", ...). Any other name is
// an environment of your own and gets the continuous-control defaults: SPEC 5's base with
// observation, reward and cost normalisation, and the point-circle outer loop (zeta on all
// inputs, per-step importance weights, delta 0.5). These are the settings that recover the
// constraint on point-circle and cheetah; RESULTS.md has the numbers.
//
// The methods (SPEC 4):
//   icrl  eq. (11) + (8): the maximum-likelihood update of zeta with importance weights eq. (10)
//         and KL early stopping eq. (12); forward step PPO-Lagrangian under the learned cost
//   bc    binary classifier: zeta by cross-entropy, expert pairs 1 and nominal pairs 0, no
//         importance weights, no early stopping, no regulariser; forward step as icrl
//   gc    GAIL-constraint: a discriminator trained by cross-entropy after every rollout, its
//         log-output added to the reward; forward step plain PPO
// IcrlTrainer refuses a config whose update does not match its method (validate_method).
#pragma once

#include <cstdint>
#include <string>

#include "icrl/constraint_update.hpp"
#include "icrl/icrl_method.hpp"
#include "icrl/icrl_trainer.hpp"
#include "icrl/ppo_lagrangian.hpp"

namespace icrl {

// ---- PPO ----------------------------------------------------------------------------------

// SPEC 5's base for the ICRL environments: E = 5 copies of 2048 steps, lr 3e-4, minibatches of
// 64, 10 epochs, clip 0.2, target KL 0.01, GAE lambda 0.95 for reward and cost, nu_0 = 1 with
// learning rate 0.1, budget 0.
inline PpoConfig spec5_ppo_base() {
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

// grid:MAP and grid8:MAP; with lap-grid, the tabular envs.
inline bool is_grid_name(const std::string& env) {
  return env.rfind("grid:", 0) == 0 || env.rfind("grid8:", 0) == 0;
}
inline bool is_tabular_name(const std::string& env) { return env == "lap-grid" || is_grid_name(env); }

// The PPO settings of `icrl train --env env` (and of experts, which add the true cost at budget 0).
inline PpoConfig ppo_preset(const std::string& env) {
  if (env == "pendulum" || env == "pendulum-constrained") {
    // Pendulum-v1: the RLtools benchmark configuration (4 envs x 1024 steps per update, 2
    // epochs of 16 minibatches of 256, gamma 0.95), so 307200 steps are 75 updates.
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
    if (env == "pendulum-constrained") {
      c.use_cost = true;
      c.cost_gamma = 0.95;  // the cost horizon matches the reward's
      c.cost_lambda = 0.9;
      c.multiplier.nu_init = 0.5;
      c.multiplier.lr = 0.05;
      c.multiplier.budget = 0.01;  // 2 violating steps per 200-step episode
    }
    return c;
  }
  if (env == "cartpole" || env == "cartpole-constrained") {
    // CartPole-v1: 4 envs x 512 steps per update, 10 epochs of 8 minibatches of 256; reaches
    // the maximum return 500 within 100k steps.
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
    if (env == "cartpole-constrained") {
      c.use_cost = true;
      c.multiplier.nu_init = 0.0;
      c.multiplier.lr = 0.05;
      c.multiplier.budget = 0.0;
    }
    return c;
  }
  PpoConfig c = spec5_ppo_base();
  if (env == "lap-grid") return c;  // tabular and deterministic: no normalisation (SPEC 5)
  if (is_grid_name(env)) {
    c.n_steps = 512;
    return c;
  }
  if (env == "ant" || env == "ant-broken") {  // SPEC 5, Ant column
    c.lr = 3e-5;
    c.minibatch_size = 128;
    c.epochs = 20;
    c.clip = 0.4;
    c.target_kl = 0.02;
    c.lambda = c.cost_lambda = 0.9;
    c.multiplier.nu_init = 0.1;
    c.multiplier.lr = 1.0;  // the paper's appendix for Ant and AntBroken (SPEC 5 lists 0.05)
  }
  // point-circle, cheetah, ant and your own continuous env.
  c.normalize_obs = c.normalize_reward = c.normalize_cost = true;
  return c;
}

// Env steps of `icrl train` / `icrl expert` when --steps is not given.
inline std::int64_t default_train_steps(const std::string& env) {
  if (env == "pendulum") return 307200;
  if (env == "pendulum-constrained") return 614400;
  if (env == "cartpole" || env == "cartpole-constrained") return 100000;
  if (env == "lap-grid") return 204800;
  if (is_grid_name(env)) return 256000;
  return 1024000;
}

// ---- the methods --------------------------------------------------------------------------

// Sets what distinguishes method m (see the top of this file) and leaves every other setting.
inline void apply_method(IcrlConfig& c, IcrlMethod m) {
  c.method = m;
  if (m == IcrlMethod::bc) {
    c.update.loss = ConstraintLoss::bce;
    c.update.importance = ImportanceMode::off;
    c.update.early_stopping = false;
    c.update.regularizer = 0.0;
  } else {
    c.update.loss = ConstraintLoss::icrl;
  }
}

// ---- Algorithm 1 --------------------------------------------------------------------------

// The outer loop and zeta's update for env (SPEC 5), with method m applied. nominal_episodes
// is 0: M = the number of expert episodes (SPEC 5), which IcrlTrainer takes from the
// demonstrations.
inline IcrlConfig icrl_preset(const std::string& env, IcrlMethod m = IcrlMethod::icrl) {
  IcrlConfig c;  // LapGridWorld column; the grid maps use it too
  c.outer_iterations = 10;
  c.forward_steps = 50000;
  c.nominal_episodes = 0;
  c.update.backward_iterations = 20;
  c.update.lr = 0.003;
  c.update.anneal = 1.0;
  c.update.regularizer = 0.0;
  c.update.importance = ImportanceMode::per_episode;
  c.update.kl_forward_limit = 10.0;
  c.update.kl_reverse_limit = 10.0;
  c.entropy_anneal = 0.6;  // with icrl_forward_preset's entropy bonus: see there
  if (env == "cheetah") {
    c.outer_iterations = 30;
    c.forward_steps = 200000;
    c.update.backward_iterations = 10;
    c.update.lr = 0.05;
    c.update.anneal = 0.9;
    c.update.regularizer = 0.5;
    c.update.importance = ImportanceMode::per_step;
    c.update.kl_reverse_limit = 2.5;
    c.entropy_anneal = 1.0;
  } else if (env == "ant" || env == "ant-broken") {
    c.outer_iterations = 20;
    c.forward_steps = 200000;
    c.update.backward_iterations = 5;
    c.update.lr = 0.005;
    c.update.anneal = 0.9;
    c.update.regularizer = 0.6;
    c.update.importance = ImportanceMode::per_step;
    c.update.kl_reverse_limit = 2.5;
    c.entropy_anneal = 1.0;
  } else if (!is_tabular_name(env)) {  // lap-grid and the grid maps keep the column above
    // point-circle (not in SPEC 5: the paper only transfers to it) and your own env: the
    // cheetah's continuous-control settings with the shorter loop.
    c.outer_iterations = 10;
    c.forward_steps = 100000;
    c.update.backward_iterations = 10;
    c.update.lr = 0.01;
    c.update.anneal = 0.9;
    c.update.regularizer = 0.5;
    c.update.importance = ImportanceMode::per_step;
    c.update.kl_reverse_limit = 2.5;
    c.entropy_anneal = 1.0;
  }
  apply_method(c, m);
  return c;
}

// The forward step's PPO settings where `icrl learn` departs from ppo_preset(env).
// Lap-grid and the grid maps (discrete actions, no normalisation): entropy bonus 0.1 decayed by
// icrl_preset's entropy_anneal 0.6 per outer iteration (0.001 at iteration 9), and the
// multiplier's step 1.0 instead of SPEC 5's 0.1. zeta starts near 0.5 everywhere, so the first
// forward step learns the nominal optimum; without the bonus the categorical policy saturates
// there and never samples the expert's action again, and with the slow multiplier a policy that
// has reached the expert relapses. Measured on lap-grid, seeds 1-14, reward >= 55 and violations
// <= 0.01 after 10 outer iterations: 12 of 14 with these settings, 2 of 5 with SPEC 5's; every
// alternative tried is in docs/experiments.md ("Lap-grid's forward-step preset").
inline void icrl_forward_preset(const std::string& env, PpoConfig& pc) {
  if (is_tabular_name(env)) {
    pc.entropy_coef = 0.1;
    pc.multiplier.lr = 1.0;
  }
}

// The whole forward-step config of `icrl learn --env env`.
inline PpoConfig icrl_forward_ppo(const std::string& env) {
  PpoConfig pc = ppo_preset(env);
  icrl_forward_preset(env, pc);
  return pc;
}

}  // namespace icrl
