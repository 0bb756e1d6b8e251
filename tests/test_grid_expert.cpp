// tests/test_grid_expert.cpp - the solver-distilled grid expert (cli/grid_expert.hpp, `icrl expert
// --solver`): on grid:lake7 the distilled policy network returns what the exact solver returns,
// without a violation; on grid8:rooms8 the stationary target is 11.0 of the solver's 12.1 (the
// optimum needs the step index, which the observation does not carry); bad inputs are refused.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "cli/grid_expert.hpp"
#include "envs/grid_solver.hpp"
#include "envs/grid_world.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/rollout.hpp"

#ifndef ICRL_SOURCE_DIR
#define ICRL_SOURCE_DIR "."
#endif

namespace {

std::string map_path(const char* name) { return std::string(ICRL_SOURCE_DIR) + "/envs/data/maps/" + name + ".map"; }

TEST_CASE("grid expert: distilling the solver on lake7 gives the solver's return and no violation") {
  const auto world = icrl::envs::Grid::load(map_path("lake7"));
  const auto true_env = icrl::envs::make_grid_constrained(world);  // terminate_on_violation = true
  auto policy = std::make_unique<icrl::PolicyFor<icrl::envs::GridConstrained>>();
  icrl::ObsNormalizer<2> norm;
  norm.enabled = true;  // distil_grid_expert resets it to the identity a grid policy file holds
  const icrl::cli::GridExpertResult r = icrl::cli::distil_grid_expert(true_env, *policy, norm);
  CHECK(!norm.enabled);
  CHECK(r.solver_return == doctest::Approx(8.8).epsilon(1e-12));  // 12 steps around the lake
  CHECK(r.target_return == doctest::Approx(r.solver_return).epsilon(1e-12));  // no clock needed
  CHECK(r.reachable_cells == 49 - 11 - 1);  // every cell but the lake and the goal
  CHECK(r.adam_steps > 0);
  CHECK(r.adam_steps <= 1000);
  CHECK(r.check.violation_rate == 0.0);
  CHECK(r.exact_violation_probability <= 1e-3);
  CHECK(r.exact_return >= 0.95 * r.solver_return);

  // Fresh stochastic true-env episodes, and the greedy policy, which is the solver's path.
  const icrl::EvalResult ev = icrl::evaluate_policy(*policy, norm, true_env, 20, 12345, false);
  CHECK(ev.mean_return >= 0.95 * r.solver_return);
  CHECK(ev.violation_rate == 0.0);
  const icrl::EvalResult det = icrl::evaluate_policy(*policy, norm, true_env, 1, 0, true);
  CHECK(det.mean_return == doctest::Approx(r.solver_return).epsilon(1e-12));
  CHECK(det.violation_rate == 0.0);
}

TEST_CASE("grid expert: rooms8's optimum needs the step index; the cap and the nominal env are refused") {
  // One Adam step cannot pass the stop test: the error reports the targets. The solver's optimum
  // shuttles on the reward cell until 7 steps are left (12.1); the best policy of the cell alone
  // shuttles to the time limit (11.0).
  const auto rooms = icrl::envs::make_grid_constrained(icrl::envs::Grid8::load(map_path("rooms8")));
  auto policy = std::make_unique<icrl::PolicyFor<icrl::envs::Grid8Constrained>>();
  icrl::ObsNormalizer<2> norm;
  icrl::cli::GridExpertOptions capped;
  capped.max_steps = 1;
  capped.check_every = 1;
  CHECK_THROWS_WITH_AS(icrl::cli::distil_grid_expert(rooms, *policy, norm, capped),
                       doctest::Contains("after 1 Adam steps the distilled policy still fails the stop test"),
                       icrl::Error);
  CHECK_THROWS_WITH_AS(icrl::cli::distil_grid_expert(rooms, *policy, norm, capped),
                       doctest::Contains("x the stationary target 11.000000"), icrl::Error);
  icrl::envs::GridSolveOptions hard;
  hard.constrained = true;
  const auto sol = icrl::envs::solve_grid(rooms.base(), hard);
  CHECK(icrl::envs::evaluate_grid_policy(rooms.base(), sol, true).expected_return ==
        doctest::Approx(12.1).epsilon(1e-12));

  // The nominal dynamics (no termination on X) are not the env the expert is judged in.
  icrl::envs::GridConstrainedConfig nominal;
  nominal.terminate_on_violation = false;
  const auto lake_nominal = icrl::envs::make_grid_constrained(icrl::envs::Grid::load(map_path("lake7")), nominal);
  auto p4 = std::make_unique<icrl::PolicyFor<icrl::envs::GridConstrained>>();
  CHECK_THROWS_WITH_AS(icrl::cli::distil_grid_expert(lake_nominal, *p4, norm),
                       doctest::Contains("terminate_on_violation = true"), icrl::Error);
}

}  // namespace
