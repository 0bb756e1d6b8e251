// icrl/icrl_box2d.hpp - the Box2D environments in one include: Cheetah and Ant, with their
// constrained and ant-broken variants (<icrl/icrl.hpp> has the rest). Link them with
// `pkg-config --cflags --libs icrl-box2d` or `dependency('icrl-box2d')`; installed only when
// icrl was built with Box2D (envs/meson.build).
#pragma once

// Found next to this file when installed (<prefix>/include/icrl/envs) and through the include
// path in the source tree (envs/ beside icrl/), as in icrl/icrl.hpp.
#include "envs/ant.hpp"
#include "envs/cheetah.hpp"
