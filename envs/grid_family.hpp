// envs/grid_family.hpp - a family of grid-world ICRL tasks generated from a seed: maps nobody
// tuned the method for, each with its exact expert and demonstrations.
//
// Task k of family seed F is drawn from Rng(F, kGridFamilyStream + k) by rejection:
//   size       rows and columns each 7 .. 12; 4 or 8 actions; goal_reward 10, step_reward -0.1,
//              max_steps 50
//   start/goal start in one of the two leftmost columns, goal in one of the two rightmost, rows
//              at random; the whole map is then transposed and/or mirrored at random, so the
//              route runs left-right, right-left, top-down or bottom-up
//   layout     one of
//                wall       a line of X cells across the route (a column), covering at least half
//                           of it and leaving a way round at one end or both
//                block      a rectangle of X cells, 1 .. 4 wide, between start and goal
//                scattered  every cell between the start's and the goal's columns is X with
//                           probability 0.15 .. 0.35
//              and, on half of the maps, walls '#' sprinkled with probability 0.06
//   kept when  the constrained optimum differs from the nominal one (the nominal optimum's
//              return beats the constrained one's and its soft policy at the expert's beta
//              enters an X cell with probability >= 0.5), and the expert's expected true-env
//              return is at least half the goal reward (well above standing still, -5)
// The expert is the exact constrained soft-optimal policy (tabular_mdp.hpp, actions onto X
// removed) at beta_E = 50, and the demonstrations are M = 20 of its episodes, recorded as `icrl
// demos` records them (float observations, the action index, reward, cost 0). beta_E = 50 makes
// the expert near-greedy: a maximum-entropy policy gains up to log A (1.4 for 4 actions, 2.1 for
// 8) of entropy per step, so at beta 10 x 0.1 step penalty it would wander until the time limit.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "grid_world.hpp"
#include "tabular_models.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"
#include "icrl/tabular_mdp.hpp"

namespace icrl::envs {

inline constexpr std::uint64_t kGridFamilyStream = 0x6121d000;

struct GridFamilyOptions {
  int demonstrations = 20;     // M expert episodes per task
  double expert_beta = 50.0;   // beta_E of the expert's soft policy (near-greedy: 50 x 0.1 per step >> log 8)
  int max_attempts = 10000;    // candidate maps per task before giving up
};

struct GridFamilyTask {
  int index = 0;               // k
  std::string name;            // "grids-F-k"
  std::string layout;          // wall, block or scattered
  GridMap map;                 // the map (X = the true unsafe cells)
  Demonstrations demos;        // M expert episodes in the true env
  double expert_return = 0.0;  // the expert's exact expected true-env return
  double nominal_return = 0.0; // the nominal (unconstrained) optimum's return
  int unsafe_cells = 0;
};

namespace detail {

// A candidate map (before the transform) on a rows x cols canvas, row-major.
inline GridMap family_candidate(Rng& rng, std::string& layout) {
  GridMap m;
  m.rows = 7 + static_cast<int>(rng.uniform_int(6));
  m.cols = 7 + static_cast<int>(rng.uniform_int(6));
  m.actions = rng.uniform_int(2) == 0 ? 4 : 8;
  m.max_steps = 50;
  m.goal_reward = 10.0;
  m.step_reward = -0.1;
  m.cell_reward = 1.0;
  std::vector<GridCell> c(static_cast<std::size_t>(m.rows * m.cols), GridCell::kFree);
  auto at = [&](int r, int col) -> GridCell& { return c[static_cast<std::size_t>(r * m.cols + col)]; };
  const int sr = static_cast<int>(rng.uniform_int(static_cast<std::uint32_t>(m.rows)));
  const int sc = static_cast<int>(rng.uniform_int(2));
  const int gr = static_cast<int>(rng.uniform_int(static_cast<std::uint32_t>(m.rows)));
  const int gc = m.cols - 1 - static_cast<int>(rng.uniform_int(2));
  const int kind = static_cast<int>(rng.uniform_int(3));
  if (kind == 0) {
    layout = "wall";
    const int col = 2 + static_cast<int>(rng.uniform_int(static_cast<std::uint32_t>(m.cols - 4)));
    const int len = (m.rows + 1) / 2 + static_cast<int>(rng.uniform_int(static_cast<std::uint32_t>(m.rows / 2)));
    const int len1 = std::min(len, m.rows - 1);
    const int r0 = static_cast<int>(rng.uniform_int(static_cast<std::uint32_t>(m.rows - len1 + 1)));
    for (int r = r0; r < r0 + len1; ++r) at(r, col) = GridCell::kUnsafe;
  } else if (kind == 1) {
    layout = "block";
    const int w = 1 + static_cast<int>(rng.uniform_int(4));
    const int h = 2 + static_cast<int>(rng.uniform_int(static_cast<std::uint32_t>(m.rows - 3)));
    const int c0 = 2 + static_cast<int>(rng.uniform_int(static_cast<std::uint32_t>(std::max(1, m.cols - 4 - w + 1))));
    const int r0 = static_cast<int>(rng.uniform_int(static_cast<std::uint32_t>(m.rows - h + 1)));
    for (int r = r0; r < r0 + h; ++r)
      for (int col = c0; col < std::min(c0 + w, m.cols - 2); ++col) at(r, col) = GridCell::kUnsafe;
  } else {
    layout = "scattered";
    const double p = rng.uniform(0.15, 0.35);
    for (int r = 0; r < m.rows; ++r)
      for (int col = 2; col < m.cols - 2; ++col)
        if (rng.uniform() < p) at(r, col) = GridCell::kUnsafe;
  }
  if (rng.uniform_int(2) == 0) {
    for (int r = 0; r < m.rows; ++r)
      for (int col = 0; col < m.cols; ++col)
        if (at(r, col) == GridCell::kFree && rng.uniform() < 0.06) at(r, col) = GridCell::kWall;
  }
  at(sr, sc) = GridCell::kStart;
  at(gr, gc) = GridCell::kGoal;
  // Transform: transpose and/or mirror either axis.
  const bool transpose = rng.uniform_int(2) == 1, flip_r = rng.uniform_int(2) == 1, flip_c = rng.uniform_int(2) == 1;
  GridMap out = m;
  out.rows = transpose ? m.cols : m.rows;
  out.cols = transpose ? m.rows : m.cols;
  out.cells.fill(GridCell::kFree);
  for (int r = 0; r < m.rows; ++r)
    for (int col = 0; col < m.cols; ++col) {
      int r1 = flip_r ? m.rows - 1 - r : r, c1 = flip_c ? m.cols - 1 - col : col;
      if (transpose) std::swap(r1, c1);
      const GridCell v = at(r, col);
      out.cells[static_cast<std::size_t>(r1 * GridMap::kMaxSize + c1)] = v;
      if (v == GridCell::kStart) {
        out.start_row = r1;
        out.start_col = c1;
      }
    }
  return out;
}

// Exact expected true-env return of the soft policy for bonus [K] at beta.
inline TabularPolicyValue family_value(const TabularMdp& mdp, double beta, const std::vector<double>& bonus, SoftPolicy& pi,
                                       std::vector<double>& work) {
  soft_value_iteration(mdp, beta, bonus.data(), pi);
  return evaluate_policy(mdp, pi, nullptr, work);
}

}  // namespace detail

// Task k of the family with seed `family_seed` (header comment). Deterministic on every machine.
inline GridFamilyTask make_grid_task(std::uint64_t family_seed, int k, const GridFamilyOptions& opt = {}) {
  Rng rng(family_seed, kGridFamilyStream + static_cast<std::uint64_t>(k));
  const double inf = std::numeric_limits<double>::infinity();
  for (int attempt = 0; attempt < opt.max_attempts; ++attempt) {
    GridFamilyTask task;
    task.index = k;
    task.name = "grids-" + std::to_string(family_seed) + "-" + std::to_string(k);
    task.map = detail::family_candidate(rng, task.layout);
    TabularMdp mdp;
    if (task.map.actions == 4) mdp = to_tabular(GridWorld<4>(task.map), task.name);
    else mdp = to_tabular(GridWorld<8>(task.map), task.name);
    SoftPolicy pi(mdp);
    std::vector<double> work = policy_evaluation_buffer(mdp);
    std::vector<double> free(static_cast<std::size_t>(mdp.num_keys), 0.0), safe(free);
    for (int j = 0; j < mdp.num_keys; ++j)
      if (mdp.key_unsafe[static_cast<std::size_t>(j)]) safe[static_cast<std::size_t>(j)] = -inf;
    // Exact optima of both problems, then the soft policies at beta_E.
    const double hard_nominal = optimal_values(mdp, free.data())[static_cast<std::size_t>(mdp.start)];
    const double hard_constrained = optimal_values(mdp, safe.data())[static_cast<std::size_t>(mdp.start)];
    const TabularPolicyValue nominal = detail::family_value(mdp, opt.expert_beta, free, pi, work);
    const TabularPolicyValue expert = detail::family_value(mdp, opt.expert_beta, safe, pi, work);
    task.unsafe_cells = 0;
    for (const auto u : mdp.key_unsafe) task.unsafe_cells += u;
    if (!(hard_nominal > hard_constrained + 1e-6) || nominal.violation_probability < 0.5 ||
        expert.true_return < 0.5 * task.map.goal_reward || expert.expected_violations > 0.0)
      continue;
    task.expert_return = expert.true_return;
    task.nominal_return = hard_nominal;
    // The demonstrations: M episodes of the expert (pi holds its policy).
    TabularEpisodes ep;
    ep.reserve(opt.demonstrations, mdp.horizon);
    Rng demo_rng(family_seed ^ 0xD3A05ULL, kGridFamilyStream + static_cast<std::uint64_t>(k));
    sample_episodes(mdp, pi, opt.demonstrations, demo_rng, ep);
    task.demos = to_demonstrations(mdp, ep, (task.map.actions == 4 ? "grid:" : "grid8:") + task.name);
    return task;
  }
  throw icrl::Error("grid family " + std::to_string(family_seed) + ": task " + std::to_string(k) + " found no map in " +
                    std::to_string(opt.max_attempts) + " attempts");
}

}  // namespace icrl::envs
