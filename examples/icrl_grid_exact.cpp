// examples/icrl_grid_exact.cpp - the README's library example: ICRL with the exact forward step
// (icrl/tabular_icrl.hpp) learns grid:lake7's unsafe lake from the 20 shipped demonstrations.
// Usage: icrl_grid_exact MAP DEMOS; exits 1 unless the agent earns >= 0.9 x the expert's reward
// with violations <= 0.01 (it is also a test).
#include <cstdio>

#include "icrl/icrl.hpp"
#include "envs/learned_map.hpp"
#include "envs/tabular_models.hpp"

int main(int argc, char** argv) {
  if (argc != 3) return std::fprintf(stderr, "usage: %s MAP DEMOS\n", argv[0]), 2;
  const auto world = icrl::envs::Grid::load(argv[1]);
  const icrl::TabularMdp task = icrl::envs::to_tabular(world, "grid:lake7");
  const icrl::Demonstrations demos = icrl::Demonstrations::load(argv[2]);
  icrl::TabularIcrlTrainer trainer(icrl::tabular_defaults(), task, demos, argv[2], /*seed=*/1);
  icrl::TabularOuterStats s;
  while (trainer.iterations_done() < trainer.config().outer_iterations) s = trainer.outer_iteration();
  std::printf("%sreward %.2f (expert %.2f), violations %.4f\n", icrl::envs::learned_map(world, trainer.constraint()).c_str(),
              s.reward, trainer.expert_reward(), s.violations);
  return s.reward >= 0.9 * trainer.expert_reward() && s.violations <= 0.01 ? 0 : 1;
}
