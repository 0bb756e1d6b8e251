// cli/envs.hpp - the environments `icrl` knows by name, each with its compile-time shape
// (number of parallel copies E, minibatch chunk); the hyperparameters are the library's presets
// (icrl/presets.hpp).
//
// with_env(name, f) calls f(EnvEntry<Env, E, Chunk>{...}) for the named environment. f is a job
// of cli/jobs.hpp, compiled for each entry type below in its own file, cli/instances/*.cpp.
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
#include "icrl/constraint_net.hpp"
#include "icrl/constraint_update.hpp"
#include "icrl/icrl_trainer.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/presets.hpp"

namespace icrl::cli {

template <class EnvT, int NumEnvs, int ChunkSize>
struct EnvEntry {
  using Env = EnvT;
  static constexpr int kNumEnvs = NumEnvs;  // E: copies stepped in lockstep
  static constexpr int kChunk = ChunkSize;  // columns per fixed-size minibatch chunk
  using Trainer = PpoLagrangian<envs::VecEnv<Env, NumEnvs>, ChunkSize>;
  template <class ZetaNet> using IcrlTrainerFor = IcrlTrainer<envs::VecEnv<Env, NumEnvs>, ChunkSize, ZetaNet>;
  Env prototype;          // the configured environment every training copy starts from
  PpoConfig preset;       // hyperparameters before --set: icrl::ppo_preset(name)
  std::int64_t default_steps;  // --steps when not given: icrl::default_train_steps(name)
  Env true_env;           // the "true env" of SPEC 6 (a violation ends the episode with reward 0),
                          // where demonstrations are recorded; = prototype for unconstrained envs
};

// The entry type of every env the program knows; cli/instances/<env>.cpp compiles the jobs for one.
using PendulumEntry = EnvEntry<envs::Pendulum, 4, 256>;
using PendulumConstrainedEntry = EnvEntry<envs::PendulumConstrained, 4, 256>;
using CartPoleEntry = EnvEntry<envs::CartPole, 4, 256>;
using CartPoleConstrainedEntry = EnvEntry<envs::CartPoleConstrained, 4, 256>;
template <int A>
using GridEnv = envs::Constrained<envs::GridWorld<A>, std::conditional_t<A == 4, envs::GridUnsafeCells, envs::Grid8UnsafeCells>>;
using Grid4Entry = EnvEntry<GridEnv<4>, 5, 64>;
using Grid8Entry = EnvEntry<GridEnv<8>, 5, 64>;
using LapGridEntry = EnvEntry<envs::LapGridConstrained, 5, 64>;
using PointCircleEntry = EnvEntry<envs::PointCircleConstrained, 5, 64>;
#ifdef ICRL_HAVE_BOX2D
using CheetahEntry = EnvEntry<envs::CheetahConstrained, 5, 64>;
using AntEntry = EnvEntry<envs::AntConstrained, 5, 64>;
using AntBrokenEntry = EnvEntry<envs::AntBrokenConstrained, 5, 64>;
#endif

// The environments ICRL runs on (SPEC 6); the classic-control envs only validate PPO.
template <class Env>
constexpr bool kIcrlEnv = !std::is_same_v<Env, envs::Pendulum> && !std::is_same_v<Env, envs::CartPole> &&
                          !std::is_same_v<Env, envs::PendulumConstrained> &&
                          !std::is_same_v<Env, envs::CartPoleConstrained>;

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
template <class Entry, class F>
void with_constrained(F&& f, const PpoConfig& preset, std::int64_t default_steps,
                      const typename Entry::Env::Base& base = typename Entry::Env::Base()) {
  using Env = typename Entry::Env;
  typename Env::Config nominal, enforced;
  nominal.terminate_on_violation = false;
  enforced.terminate_on_violation = true;
  f(Entry{Env(base, nominal), preset, default_steps, Env(base, enforced)});
}

template <class F>
void with_env(const std::string& name, F&& f) {
  const PpoConfig preset = ppo_preset(name);  // icrl/presets.hpp
  const std::int64_t steps = default_train_steps(name);
  if (name == "pendulum") {
    f(PendulumEntry{envs::Pendulum(), preset, steps, envs::Pendulum()});
  } else if (name == "pendulum-constrained") {
    with_constrained<PendulumConstrainedEntry>(f, preset, steps);
  } else if (name == "cartpole") {
    f(CartPoleEntry{envs::CartPole(), preset, steps, envs::CartPole()});
  } else if (name == "cartpole-constrained") {
    with_constrained<CartPoleConstrainedEntry>(f, preset, steps);
  } else if (name.rfind("grid:", 0) == 0) {
    with_constrained<Grid4Entry>(f, preset, steps, envs::GridWorld<4>::load(grid_map_path(name.substr(5))));
  } else if (name.rfind("grid8:", 0) == 0) {
    with_constrained<Grid8Entry>(f, preset, steps, envs::GridWorld<8>::load(grid_map_path(name.substr(6))));
  } else if (name == "lap-grid") {
    with_constrained<LapGridEntry>(f, preset, steps);
  } else if (name == "point-circle") {
    with_constrained<PointCircleEntry>(f, preset, steps);
#ifdef ICRL_HAVE_BOX2D
  } else if (name == "cheetah") {
    with_constrained<CheetahEntry>(f, preset, steps);
  } else if (name == "ant") {
    with_constrained<AntEntry>(f, preset, steps);
  } else if (name == "ant-broken") {
    with_constrained<AntBrokenEntry>(f, preset, steps);
#endif
  } else {
    throw UsageError("unknown env '" + name + "' (accepted: " + env_names() + ")");
  }
}

// with_env for a caller that knows the entry type of `name`: f is compiled for Entry alone, where
// with_env compiles it, a whole trainer, for every env above. An env of another entry type is refused.
template <class Entry, class F>
void with_entry(const std::string& name, F&& f) {
  with_env(name, [&](auto entry) {
    if constexpr (std::is_same_v<decltype(entry), Entry>) {
      f(entry);
    } else {
      throw UsageError("env '" + name + "' is not of the entry type this program compiled for it");
    }
  });
}

// zeta's hidden widths per env (SPEC 2): [40, 40] for the ant, [20] elsewhere.
template <class Env, int In>
struct ZetaFor {
  using type = ConstraintNet<In, 20>;
};
#ifdef ICRL_HAVE_BOX2D
template <int In>
struct ZetaFor<envs::AntConstrained, In> {
  using type = ConstraintNet<In, 40, 40>;
};
template <int In>
struct ZetaFor<envs::AntBrokenConstrained, In> {
  using type = ConstraintNet<In, 40, 40>;
};
#endif

// ---- which file compiles the heavy members --------------------------------------------------
// A trainer's PPO rollout and update (PpoLagrangian::rollout, ::update), an ICRL trainer's outer
// iteration and step hook (IcrlTrainer::outer_iteration, ::on_step) and a constraint learner's
// backward step (ConstraintLearner::backward, ::bce_step) are compiled once each, in one part of
// cli/instances/ (cli/meson.build compiles each file there once per part it has, ICRL_CLI_PART;
// the parts are listed in cli/instances/instance.hpp).
// Each instance file declares them `extern` with the macros below for the env it compiles, so
// that its other parts do not instantiate them again. Instantiating them all where a job is
// compiled took 2.1 GB of compiler memory for one env (BENCHMARKS.md, "Building").

// The constraint networks the program learns or transfers, one per shape (envs with the same
// shape share it: the static_asserts keep the list complete).
using ZetaShape3 = ZetaFor<envs::LapGridConstrained, default_constraint_inputs<envs::LapGridConstrained>()>::type;
using ZetaShape6 = ZetaFor<GridEnv<4>, default_constraint_inputs<GridEnv<4>>()>::type;
using ZetaShape10 = ZetaFor<GridEnv<8>, default_constraint_inputs<GridEnv<8>>()>::type;
using ZetaShapeX = ConstraintNet<1, 40, 40>;  // the ant's x-only constraint (transferred to point-circle)
static_assert(std::is_same_v<ZetaShape6, ZetaFor<envs::PointCircleConstrained,
                                                 default_constraint_inputs<envs::PointCircleConstrained>()>::type>,
              "point-circle's zeta no longer shares grid4's shape: give it its own entry here");
#ifdef ICRL_HAVE_BOX2D
using ZetaShape24 = ZetaFor<envs::CheetahConstrained, default_constraint_inputs<envs::CheetahConstrained>()>::type;
using ZetaShape30 = ZetaFor<envs::AntConstrained, default_constraint_inputs<envs::AntConstrained>()>::type;
static_assert(std::is_same_v<ZetaShape30, ZetaFor<envs::AntBrokenConstrained,
                                                  default_constraint_inputs<envs::AntBrokenConstrained>()>::type>,
              "ant-broken's zeta no longer shares the ant's shape: give it its own entry here");
#endif

}  // namespace icrl::cli

// Declares the rollout and the PPO update of Entry's trainer.
#define ICRL_CLI_EXTERN_PPO(Entry)                                                      \
  extern template void cli::Entry::Trainer::rollout(IterationStats&);                   \
  extern template void cli::Entry::Trainer::update(IterationStats&);
// `extern` (declare) or empty (define) for the outer iteration and the step hook of Entry's ICRL
// trainer with constraint network Zeta.
#define ICRL_CLI_OUTER(extern_or_empty, Entry, Zeta)                                                   \
  extern_or_empty template OuterStats cli::Entry::IcrlTrainerFor<cli::Zeta>::outer_iteration();           \
  extern_or_empty template void cli::Entry::IcrlTrainerFor<cli::Zeta>::on_step(                           \
      const cli::Entry::IcrlTrainerFor<cli::Zeta>::Hook::ObsBatch&,                                       \
      const cli::Entry::IcrlTrainerFor<cli::Zeta>::Hook::Actions&,                                        \
      cli::Entry::IcrlTrainerFor<cli::Zeta>::Hook::Column&, cli::Entry::IcrlTrainerFor<cli::Zeta>::Hook::Column&);
// `extern` (declare) or empty (define, cli/instances/learners.cpp) for the learner of Zeta.
#define ICRL_CLI_LEARNER(extern_or_empty, Zeta)                                                         \
  extern_or_empty template BackwardStats ConstraintLearner<cli::Zeta>::backward(                          \
      const PairBuffer<cli::Zeta::kIn>&, const PairBuffer<cli::Zeta::kIn>&, int);                        \
  extern_or_empty template double ConstraintLearner<cli::Zeta>::bce_step(const PairBuffer<cli::Zeta::kIn>&, \
                                                                         const PairBuffer<cli::Zeta::kIn>&);
