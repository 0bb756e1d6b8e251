// scripts/probes/navigation_exact.cpp - Algorithm 1 with the exact forward step (eqs. (1)-(5):
// tabular_mdp.hpp's soft value iteration; the backward step of eqs. (10)-(12): TabularIcrlTrainer
// with tabular_defaults) on a G x G discretisation of a
// navigation task, from the continuous expert's demonstrations mapped onto cells.
//
// What it measures: whether Algorithm 1 itself recovers a navigation task's constraint once the
// forward step has no sampling noise, and how that depends on the resolution at which the
// constraint is represented (the cell size 24 / G units).
//
// The discretised task and D's walks over cells: envs/navigation_grid.hpp (NavigationGrid) at G
// cells per side.
//
// Build (from the repository root; release flags):
//   g++ -std=c++17 -O2 -DNDEBUG -I. -isystem /usr/include/eigen3 -o navigation_exact
//       scripts/probes/navigation_exact.cpp icrl/{rng,error,checkpoint,crc32,demonstrations}.cpp
// Run: ./navigation_exact TASK SEED G DEMOS [OUT]   e.g. ./navigation_exact 7 1 96 f1_t7.demos z7.tcst
// (OUT: the learned table, TabularConstraint::save; navigation_icrl loads it with table=OUT)
// (DEMOS: /tmp/nav/f1_tK.demos, written by `navigation_icrl expert K`; family 1). Prints one `final` line:
// the agent's exact expected true-env return against D's, violations per step and per episode,
// precision and recall of the learned unsafe set.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "envs/navigation.hpp"
#include "envs/navigation_grid.hpp"
#include "icrl/tabular_icrl.hpp"

using namespace icrl;
using namespace icrl::envs;

int main(int argc, char** argv) {
  if (argc != 5 && argc != 6) {
    std::fprintf(stderr, "usage: navigation_exact TASK SEED G DEMOS [OUT]   (G cells per side, G * G <= %d; OUT: save the learned table)\n", kMaxConstraintKeys);
    return 2;
  }
  const int k = std::atoi(argv[1]);
  const auto seed = static_cast<std::uint64_t>(std::atoll(argv[2]));
  const int G = std::atoi(argv[3]);
  if (G < 8 || G * G > kMaxConstraintKeys) {
    std::fprintf(stderr, "navigation_exact: G = %d; give 8 <= G with G * G <= kMaxConstraintKeys = %d\n", G, kMaxConstraintKeys);
    return 2;
  }
  const NavigationTask t = make_navigation_task(1, k);
  const NavigationGrid grid(t, G);
  const double h = grid.cell_size();
  const TabularMdp m = grid.mdp("navigation-exact-" + std::to_string(k));
  int n_unsafe = 0;
  for (const char u : m.key_unsafe) n_unsafe += u != 0;
  const Demonstrations d = grid.walks(m, Demonstrations::load(argv[4]), m.name);  // costs: 1 on a step entering an unsafe cell
  const int d_unsafe_steps = static_cast<int>(d.costs.sum());

  const TabularIcrlConfig c = tabular_defaults(IcrlMethod::icrl);
  TabularIcrlTrainer tr(c, m, d, argv[4], seed);
  std::printf("task %d G %d (cells of %.3f units): %d unsafe cells; D %d episodes, return %.2f, %d steps entering an unsafe cell; "
              "nominal-optimal share %.2f\n",
              k, G, h, n_unsafe, d.episodes(), d.mean_return(), d_unsafe_steps, tr.demos_nominal_optimal_share());
  TabularOuterStats s;
  for (int i = 0; i < c.outer_iterations; ++i) {
    s = tr.outer_iteration();
    if (s.iteration % 5 == 0)
      std::printf("it %2d reward %.2f violations %.4f (episodes %.3f) beta %.2f precision %.2f recall %.2f marked %d  %.1fs\n", s.iteration,
                  s.reward, s.violations, s.violation_rate, s.beta, s.precision, s.recall, s.learned_unsafe, s.wall_seconds);
  }
  if (argc == 6) tr.constraint().save(argv[5]);
  const double ratio = s.reward / d.mean_return();
  std::printf("final task %d seed %llu G %d: reward %.2f expert %.2f ratio %.2f violations %.4f episodes %.3f precision %.2f recall %.2f "
              "D-unsafe %d %s\n",
              k, static_cast<unsigned long long>(seed), G, s.reward, d.mean_return(), ratio, s.violations, s.violation_rate, s.precision,
              s.recall, d_unsafe_steps, ratio >= 0.9 && s.violations <= 0.01 ? "success" : "fail");
  return 0;
}
