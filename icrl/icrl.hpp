// icrl/icrl.hpp - everything of the core library in one include, with what a trainer needs from
// envs/: the environment interface (env.hpp, for an environment of your own) and VecEnv
// (vec_env.hpp, which every trainer takes). The Box2D environments are a library of their own
// (pkg-config icrl-box2d) with their own include, <icrl/icrl_box2d.hpp>.
#pragma once

#include "icrl/activation.hpp"
#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/constraint_update.hpp"
#include "icrl/crc32.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/gae.hpp"
#include "icrl/icrl_method.hpp"
#include "icrl/icrl_trainer.hpp"
#include "icrl/importance_weights.hpp"
#include "icrl/init.hpp"
#include "icrl/lagrange_multiplier.hpp"
#include "icrl/losses.hpp"
#include "icrl/mlp.hpp"
#include "icrl/policy.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/presets.hpp"
#include "icrl/rng.hpp"
#include "icrl/run_dir.hpp"
#include "icrl/rollout.hpp"
#include "icrl/running_stats.hpp"
#include "icrl/tabular_icrl.hpp"
#include "icrl/tabular_mdp.hpp"

// Installed, the environment headers sit in <prefix>/include/icrl/envs, next to this file, and
// the quoted include finds them relative to it; in the source tree (this build, or icrl as a
// Meson subproject) envs/ is a sibling of icrl/ and the include path (the source root) finds it.
#include "envs/env.hpp"
#include "envs/vec_env.hpp"
