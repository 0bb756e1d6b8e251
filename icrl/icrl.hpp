// icrl/icrl.hpp - everything of the core library in one include.
#pragma once

#include "icrl/activation.hpp"
#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/crc32.hpp"
#include "icrl/error.hpp"
#include "icrl/init.hpp"
#include "icrl/losses.hpp"
#include "icrl/mlp.hpp"
#include "icrl/rng.hpp"
