// tests/test_learning_navigation.cpp - the navigation family end to end (suite 'learning', release
// builds only): each task's expert trained by PPO-Lagrangian with the keep-out margin
// (envs/navigation_expert.hpp), its demonstrations mapped onto the 48 x 48 grid
// (envs/navigation_grid.hpp), then ICRL with the exact forward step and the library's defaults.
//
// Checked on tasks 0 and 1 of family 1, seed 1 (what `icrl suite --family navigation --tasks 2
// --seeds 1 --methods icrl` runs): the expert is feasible with the goal bonus in its return, its
// walks over cells never enter an unsafe cell, and ICRL's agent reaches >= 0.9 x the walks' return
// with violations <= 0.01 per step. About 45 s per task.
#include <doctest/doctest.h>

#include <cstdio>

#include "envs/navigation.hpp"
#include "envs/navigation_expert.hpp"
#include "envs/navigation_grid.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/tabular_icrl.hpp"

TEST_CASE("Navigation: the keep-out expert's demonstrations on the grid, then ICRL with the exact step, on tasks 0 and 1") {
  for (int k = 0; k < 2; ++k) {
    const icrl::envs::NavigationTask task = icrl::envs::make_navigation_task(1, k);
    CAPTURE(task.describe());
    const icrl::envs::NavigationExpert expert = icrl::envs::train_navigation_expert(task, 1);
    CHECK(expert.demos.episodes() == 20);
    CHECK(expert.demos.violations() == 0);
    CHECK(expert.demos.mean_return() > 20.0);  // the goal bonus (10) plus most of the 16-23 units of progress
    const icrl::envs::NavigationGrid grid(task);
    const icrl::TabularMdp m = grid.mdp("navigation");
    const icrl::Demonstrations walks = grid.walks(m, expert.demos, "navigation");
    CHECK(walks.violations() == 0);
    icrl::TabularIcrlTrainer tr(icrl::tabular_defaults(), m, walks, "navigation", 1);
    icrl::TabularOuterStats s;
    while (tr.iterations_done() < tr.config().outer_iterations) s = tr.outer_iteration();
    std::printf("navigation task %d seed 1: expert %.2f (violating episodes %.2f), walks %.2f; ICRL reward %.2f violations %.4f "
                "precision %.2f recall %.2f\n", k, expert.demos.mean_return(), expert.violation_rate, tr.expert_reward(), s.reward,
                s.violations, s.precision, s.recall);
    CHECK(s.reward >= 0.9 * tr.expert_reward());
    CHECK(s.violations <= 0.01);
  }
}
