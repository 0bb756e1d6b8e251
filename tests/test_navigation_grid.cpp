// tests/test_navigation_grid.cpp - a navigation task as a tabular task (envs/navigation_grid.hpp) and
// the expert's clearance (NavigationConstrainedConfig::keep_out).
//
// What is checked:
//  - the discretised task: shape, the reward of a move (the progress of the cell centre minus the
//    step cost per 0.25 units), the key is the entered cell, unsafe cells are those whose centre is
//    forbidden, entering a goal cell ends the episode; bad grid sizes are refused;
//  - the generator's safe route (navigation_route), recorded as a demonstration, becomes a walk over
//    cells that never enters an unsafe cell and ends in the goal, on 20 tasks of family 1;
//  - why the experts keep a clearance: a route 0.02 outside a disc enters cells whose centre is in
//    the disc, and the default clearance exceeds half a cell's diagonal;
//  - keep_out: a step ending within it of a region costs 1, the same step without it 0.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "envs/navigation.hpp"
#include "envs/navigation_grid.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"

using icrl::Demonstrations;
using icrl::envs::kNavigationExpertKeepOut;
using icrl::envs::kNavigationGridCells;
using icrl::envs::make_navigation_task;
using icrl::envs::Navigation;
using icrl::envs::NavigationConstrained;
using icrl::envs::NavigationConstrainedConfig;
using icrl::envs::NavigationGrid;
using icrl::envs::NavigationTask;
using icrl::envs::NavRegion;

namespace {

// One demonstration through the points (x, y), with the other observation entries 0.
Demonstrations path_demo(const std::vector<std::pair<double, double>>& pts) {
  Demonstrations d;
  d.env = Navigation::kName;
  d.obs_dim = Navigation::kObsDim;
  d.act_dim = Navigation::kActDim;
  const auto n = static_cast<Eigen::Index>(pts.size());
  d.lengths = {static_cast<std::int64_t>(n)};
  d.observations = Eigen::MatrixXd::Zero(d.obs_dim, n);
  d.actions = Eigen::MatrixXd::Zero(d.act_dim, n);
  d.rewards = Eigen::VectorXd::Zero(n);
  d.costs = Eigen::VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    d.observations(0, i) = pts[static_cast<std::size_t>(i)].first;
    d.observations(1, i) = pts[static_cast<std::size_t>(i)].second;
  }
  return d;
}

// The polyline through `way` sampled every `step` units.
std::vector<std::pair<double, double>> sampled(const std::vector<std::pair<double, double>>& way, double step) {
  std::vector<std::pair<double, double>> pts{way.front()};
  for (std::size_t i = 1; i < way.size(); ++i) {
    const double dx = way[i].first - way[i - 1].first, dy = way[i].second - way[i - 1].second;
    const int n = static_cast<int>(std::ceil(std::hypot(dx, dy) / step));
    for (int s = 1; s <= n; ++s)
      pts.emplace_back(way[i - 1].first + dx * s / n, way[i - 1].second + dy * s / n);
  }
  return pts;
}

}  // namespace

TEST_CASE("NavigationGrid: the discretised task") {
  const NavigationTask task;  // start (-9, 0), goal (9, 0) radius 1, wall x in [-0.5, 0.5], y <= 4
  const NavigationGrid grid(task);
  CHECK(grid.cells() == kNavigationGridCells);
  CHECK(grid.cell_size() == 0.5);
  const icrl::TabularMdp m = grid.mdp("nav");
  CHECK(m.num_states == 48 * 48);
  CHECK(m.num_actions == 8);
  CHECK(m.num_keys == 48 * 48);
  CHECK(m.horizon == 120);
  CHECK(m.start == grid.state(grid.cell_of(-9.0), grid.cell_of(0.0)));
  // Action 0 moves east one cell: progress towards the goal minus 0.01 per 0.25 units.
  const int s = grid.state(10, 24);  // centre (-6.75, 0.25)
  const auto x = static_cast<std::size_t>(m.index(s, 0));
  CHECK(m.next[x] == grid.state(11, 24));
  CHECK(m.key[x] == grid.state(11, 24));
  const double before = std::hypot(-6.75 - 9.0, 0.25), after = std::hypot(-6.25 - 9.0, 0.25);
  CHECK(m.reward[x] == doctest::Approx(before - after - 0.02).epsilon(1e-12));
  CHECK_FALSE(m.terminal[x]);
  // A diagonal move pays for its length.
  const auto xd = static_cast<std::size_t>(m.index(s, 1));
  CHECK(m.next[xd] == grid.state(11, 25));
  CHECK(m.reward[xd] == doctest::Approx(before - std::hypot(-6.25 - 9.0, 0.75) - 0.01 * std::sqrt(2.0) * 2.0).epsilon(1e-12));
  // Unsafe: the cells whose centre is in the wall (x centres -0.25 and 0.25, y centres up to 3.75).
  int unsafe = 0;
  for (const char u : m.key_unsafe) unsafe += u != 0;
  CHECK(unsafe == 2 * 32);  // rows y = -11.75 .. 3.75
  CHECK(m.key_unsafe[static_cast<std::size_t>(grid.state(23, 0))]);
  CHECK(m.key_unsafe[static_cast<std::size_t>(grid.state(24, 31))]);
  CHECK_FALSE(m.key_unsafe[static_cast<std::size_t>(grid.state(24, 32))]);
  CHECK_FALSE(m.key_unsafe[static_cast<std::size_t>(grid.state(22, 0))]);
  // Entering a goal cell pays the bonus and ends the episode.
  const auto xg = static_cast<std::size_t>(m.index(grid.state(grid.cell_of(7.9), grid.cell_of(0.1)), 0));
  CHECK(m.terminal[xg]);
  CHECK(m.reward[xg] > 10.0);
  CHECK_THROWS_AS(NavigationGrid(task, 2), icrl::Error);
  CHECK_THROWS_AS(NavigationGrid(task, 1000), icrl::Error);
}

TEST_CASE("NavigationGrid: the generator's safe routes become feasible walks that reach the goal (20 tasks)") {
  for (int k = 0; k < 20; ++k) {
    const NavigationTask task = make_navigation_task(1, k);
    CAPTURE(task.describe());
    const NavigationGrid grid(task);
    const icrl::TabularMdp m = grid.mdp("nav");
    const Demonstrations walk = grid.walks(m, path_demo(sampled(icrl::envs::navigation_route(task), 0.1)), "nav");
    CHECK(walk.episodes() == 1);
    CHECK(walk.violations() == 0);          // no step enters a cell whose centre is forbidden
    CHECK(walk.mean_return() > 10.0);       // the goal bonus: the walk ends in a goal cell
    CHECK(walk.steps() <= m.horizon);
  }
}

TEST_CASE("NavigationGrid: a route hugging a region enters unsafe cells; the experts' clearance is wider than half a cell's diagonal") {
  NavigationTask task;
  task.regions[0] = NavRegion::disc(0.0, 0.0, 1.8);
  const NavigationGrid grid(task);
  const icrl::TabularMdp m = grid.mdp("nav");
  // Round the disc's top at radius 1.82, feasible in the continuous task.
  std::vector<std::pair<double, double>> way{{-9.0, 0.0}, {-3.0, 0.0}};
  for (int i = 0; i <= 36; ++i) {
    const double a = 3.14159265358979 * (1.0 - i / 36.0);
    way.emplace_back(1.82 * std::cos(a), 1.82 * std::sin(a));
  }
  way.emplace_back(9.0, 0.0);
  for (const auto& p : sampled(way, 0.05)) REQUIRE(p.first * p.first + p.second * p.second > 1.8 * 1.8);
  const Demonstrations hug = grid.walks(m, path_demo(sampled(way, 0.05)), "nav");
  CHECK(hug.violations() > 0);
  // The same round the disc at the experts' clearance stays in safe cells.
  std::vector<std::pair<double, double>> wide{{-9.0, 0.0}, {-3.0, 0.0}};
  const double r = 1.8 + kNavigationExpertKeepOut;
  for (int i = 0; i <= 36; ++i) {
    const double a = 3.14159265358979 * (1.0 - i / 36.0);
    wide.emplace_back(r * std::cos(a), r * std::sin(a));
  }
  wide.emplace_back(9.0, 0.0);
  CHECK(grid.walks(m, path_demo(sampled(wide, 0.05)), "nav").violations() == 0);
  CHECK(kNavigationExpertKeepOut > grid.cell_size() / std::sqrt(2.0));
}

TEST_CASE("NavigationConstrained: keep_out makes a step near a region cost 1") {
  const NavigationTask task;  // wall x in [-0.5, 0.5], y <= 4
  NavigationConstrainedConfig near;
  near.terminate_on_violation = false;
  near.keep_out = kNavigationExpertKeepOut;
  NavigationConstrainedConfig exact = near;
  exact.keep_out = 0.0;
  for (const auto& [config, cost] : {std::pair{near, 1.0}, std::pair{exact, 0.0}}) {
    NavigationConstrained env(Navigation(task), config);
    env.set_state(-0.8, 0.0, 0.0);
    const auto r = env.step(Navigation::Action(0.25, 0.0));  // ends at x = -0.55, 0.05 from the wall
    CHECK(r.obs(0) == doctest::Approx(-0.55));
    CHECK(r.cost == cost);
    env.set_state(-2.0, 0.0, 0.0);
    CHECK(env.step(Navigation::Action(0.25, 0.0)).cost == 0.0);  // x = -1.75: clear of both
  }
}
