// tests/consumer/cheetah.cpp - the Box2D environments from outside the icrl build: steps the
// cheetah for one second with a fixed action (icrl-box2d; see tests/consumer/run.sh). Exit
// status 0 when the return is finite.
#include <cmath>
#include <cstdio>

#include <icrl/icrl_box2d.hpp>

int main() {
  icrl::envs::Cheetah env;
  icrl::Rng rng(1);
  env.reset(rng);
  const icrl::envs::Cheetah::Action a = icrl::envs::Cheetah::Action::Constant(0.5);
  double ret = 0.0;
  for (int t = 0; t < 20; ++t) ret += env.step(a).reward;
  std::printf("cheetah: return %.4f after 20 steps of 0.05 s\n", ret);
  return std::isfinite(ret) ? 0 : 1;
}
