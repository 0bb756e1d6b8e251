// icrl/icrl.hpp - everything of the core library in one include.
#pragma once

#include "icrl/activation.hpp"
#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/crc32.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/gae.hpp"
#include "icrl/init.hpp"
#include "icrl/lagrange_multiplier.hpp"
#include "icrl/losses.hpp"
#include "icrl/mlp.hpp"
#include "icrl/policy.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/rng.hpp"
#include "icrl/rollout.hpp"
#include "icrl/running_stats.hpp"
