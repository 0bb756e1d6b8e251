// envs/navigation_expert.hpp - the expert of a navigation task (navigation.hpp): PPO-Lagrangian on
// the true cost (ppo_lagrangian.hpp, eqs. (13)-(14) with the cost 1 on a violating step), then demonstrations
// recorded in the true env.
//
// The expert keeps a clearance. Its training cost is 1 on every step that ends within keep_out
// of a region (NavigationConstrainedConfig::keep_out), so its demonstrations stay that far clear
// and remain feasible when the map is discretised (navigation_grid.hpp says why that matters).
// The demonstrations themselves are recorded in, and judged by, the true env (the regions alone):
// only episodes without a violation are kept. Settings: the continuous PPO preset (ppo_preset),
// the multiplier's step 1.0 (the paper's value for its Ant; with the preset's 0.1 some tasks'
// experts still violated on every episode after 1M steps, docs/experiments.md "Navigation tasks"),
// budget 0, from 0.
//
// Calling train_navigation_expert instantiates a PPO trainer for the navigation env
// (NavigationExpertTrainer). A program that must keep each compile small declares its update and
// rollout `extern template` and instantiates them in files of their own (cli/navigation_expert*.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "envs/navigation.hpp"
#include "envs/navigation_grid.hpp"
#include "envs/vec_env.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/presets.hpp"
#include "icrl/rollout.hpp"

namespace icrl::envs {

using NavigationExpertTrainer = PpoLagrangian<VecEnv<NavigationConstrained, 5>, 64>;

// How a navigation expert is trained and recorded; navigation_expert_defaults() holds the values.
struct NavigationExpertDef {
  double keep_out;          // training cost: 1 within this distance of a region
  std::int64_t steps;       // PPO-Lagrangian environment steps
  int episodes;             // feasible demonstrations kept
  int attempts;             // episodes recorded in the true env to find them
  double multiplier_lr;     // the multiplier's step (eq. (14))
};

inline NavigationExpertDef navigation_expert_defaults() {
  NavigationExpertDef d;
  d.keep_out = kNavigationExpertKeepOut;
  d.steps = 600000;  // the true-env return levels off by 0.3-0.4M steps on the family (docs/experiments.md)
  d.episodes = 20;
  d.attempts = 200;
  d.multiplier_lr = 1.0;
  return d;
}

struct NavigationExpert {
  Demonstrations demos;        // `episodes` feasible true-env episodes (env "navigation")
  double true_return = 0.0;    // mean true-env return of all `attempts` recorded episodes
  double violation_rate = 0.0; // share of those episodes with a violation
};

// Trains the expert of `task` from `seed`. Throws icrl::Error (naming the task) when fewer than
// def.episodes of the recorded episodes are feasible: such a task has no expert to learn from.
// Trainer: any PpoLagrangian over NavigationConstrained (a template, so that including this
// header compiles no trainer until the function is called).
template <class Trainer = NavigationExpertTrainer>
NavigationExpert train_navigation_expert(const NavigationTask& task, std::uint64_t seed,
                                         const NavigationExpertDef& def = navigation_expert_defaults()) {
  using Env = NavigationConstrained;
  NavigationConstrainedConfig train_config;
  train_config.terminate_on_violation = false;
  train_config.keep_out = def.keep_out;
  NavigationConstrainedConfig true_config;  // the regions, true-env termination
  PpoConfig pc = ppo_preset("navigation");
  pc.use_cost = true;
  pc.multiplier.budget = 0.0;
  pc.multiplier.lr = def.multiplier_lr;
  auto agent = std::make_unique<Trainer>(pc, seed, Env(Navigation(task), train_config));
  while (agent->env_steps() < def.steps) agent->iterate();
  const Env truth(Navigation(task), true_config);
  NavigationExpert e;
  const Demonstrations all = record_demonstrations(agent->policy(), agent->obs_normalizer(), truth, def.attempts, seed ^ 0x5555, false);
  e.true_return = all.mean_return();
  int violating = 0;
  for (int i = 0; i < all.episodes(); ++i) violating += all.episode_violations(i) > 0;
  e.violation_rate = static_cast<double>(violating) / all.episodes();
  try {
    e.demos = all.feasible_episodes(def.episodes);
  } catch (const Error& err) {
    throw Error("navigation task " + std::to_string(task.index) + " of family " + std::to_string(task.family_seed) +
                ": no expert after " + std::to_string(def.steps) + " steps (" + err.what() + ")");
  }
  e.demos.env = Navigation::kName;
  return e;
}

}  // namespace icrl::envs
