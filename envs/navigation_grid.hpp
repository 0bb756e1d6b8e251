// envs/navigation_grid.hpp - a navigation task (navigation.hpp) as a tabular task, so that Algorithm 1
// runs on it with the exact forward step (eqs. (1)-(5), tabular_mdp.hpp) and the tabular backward
// step (eqs. (10)-(12), tabular_icrl.hpp).
//
// The discretised task: the arena [-A, A]^2 in G x G square cells of side h = 2A / G; the state is
// the cell, 8 moves to a neighbouring cell (clipped at the arena's edge), and the key of a step is
// the cell it enters (zeta(s_{t+1}), as on the grid worlds). The reward of a move is the continuous
// env's: the progress of the cell centre towards the goal, minus the step cost 0.01 per 0.25 units
// moved (a full-speed continuous step), plus 10 on entering a goal cell (a cell whose centre lies
// within max(R, h / 2) of the goal), which ends the episode. Horizon min(200, 60 units / h). A
// cell is unsafe when its centre lies in a forbidden region, so precision and recall score the
// learned cells against the true regions at the grid's resolution.
//
// Demonstrations: a continuous demonstration's positions (observation entries 0 and 1) become a
// walk over cells: between the cells of two consecutive positions it moves diagonally first, then
// straight; the walk is finished to the goal cell if the recording stopped short of it.
//
// Resolution and the expert's clearance. Eq. (1) assumes every demonstration is feasible. A walk
// over cells is feasible in the discretised task only when every cell it enters has a safe centre,
// which holds for an expert that keeps at least half a cell's diagonal (h / sqrt 2) from every
// region: the regions are convex, so a point that far out lies in a cell whose centre is outside.
// An expert trained on the true regions hugs them, and on 6 of 12 tasks its walks entered unsafe
// cells even at h = 0.25; Algorithm 1 then learns a zeta that admits those cells (docs/experiments.md,
// "Navigation, sixth round"). So the family's experts keep kNavigationExpertKeepOut from every region
// (NavigationConstrainedConfig::keep_out, navigation_expert.hpp), and the default grid has cells of
// 0.5 units, whose half-diagonal 0.354 is below that margin (seventh round: 41 of 42 runs succeed).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "envs/navigation.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/tabular_icrl.hpp"
#include "icrl/tabular_mdp.hpp"

namespace icrl::envs {

inline constexpr int kNavigationGridCells = 48;          // G: 0.5-unit cells on the family's 24-unit arena
inline constexpr double kNavigationExpertKeepOut = 0.4;  // the experts' clearance; > 0.5 / sqrt 2

// The G x G discretisation of `task` and the mapping of continuous positions onto it.
class NavigationGrid {
 public:
  static constexpr int kActions = 8;

  NavigationGrid(const NavigationTask& task, int cells = kNavigationGridCells) : task_(task), g_(cells) {
    task.check();
    if (cells < 4 || cells * cells > kMaxConstraintKeys)
      throw Error("navigation grid: " + std::to_string(cells) + " cells per side; give 4 <= G with G * G <= " +
                  std::to_string(kMaxConstraintKeys) + " (kMaxConstraintKeys)");
    h_ = 2.0 * task.arena / cells;
  }

  int cells() const { return g_; }
  double cell_size() const { return h_; }  // h, units
  const NavigationTask& task() const { return task_; }

  // Cell index (i, j) of a coordinate, clipped to the arena; the centre of cell index i.
  int cell_of(double v) const {
    return std::clamp(static_cast<int>(std::floor((v + task_.arena) / h_)), 0, g_ - 1);
  }
  double centre(int i) const { return -task_.arena + (i + 0.5) * h_; }
  int state(int i, int j) const { return i + g_ * j; }

  // The discretised task (header comment).
  TabularMdp mdp(const std::string& name) const {
    TabularMdp m;
    m.name = name;
    m.num_states = g_ * g_;
    m.num_actions = kActions;
    m.horizon = std::min(200, static_cast<int>(std::ceil(60.0 / h_)));
    m.obs_dim = 2;
    m.num_keys = g_ * g_;
    m.observation.resize(static_cast<std::size_t>(2 * g_ * g_));
    for (int j = 0; j < g_; ++j)
      for (int i = 0; i < g_; ++i) {
        m.observation[static_cast<std::size_t>(2 * state(i, j))] = centre(i);
        m.observation[static_cast<std::size_t>(2 * state(i, j) + 1)] = centre(j);
      }
    const std::size_t n = static_cast<std::size_t>(g_) * g_ * kActions;
    m.next.resize(n);
    m.reward.resize(n);
    m.terminal.resize(n);
    m.key.resize(n);
    for (int j = 0; j < g_; ++j)
      for (int i = 0; i < g_; ++i)
        for (int a = 0; a < kActions; ++a) {
          const int ni = std::clamp(i + kDx[a], 0, g_ - 1), nj = std::clamp(j + kDy[a], 0, g_ - 1);
          const auto x = static_cast<std::size_t>(m.index(state(i, j), a));
          m.next[x] = state(ni, nj);
          m.key[x] = state(ni, nj);
          const double moved = std::hypot(centre(ni) - centre(i), centre(nj) - centre(j));
          const bool goal = goal_cell(ni, nj);
          m.reward[x] = goal_distance(i, j) - goal_distance(ni, nj) -
                        Navigation::kStepCost * std::max(1.0, moved / Navigation::kMaxAction) +
                        (goal ? Navigation::kGoalBonus : 0.0);
          m.terminal[x] = goal;
        }
    m.key_unsafe.assign(static_cast<std::size_t>(g_ * g_), 0);
    for (int j = 0; j < g_; ++j)
      for (int i = 0; i < g_; ++i) m.key_unsafe[static_cast<std::size_t>(state(i, j))] = task_.forbidden(centre(i), centre(j));
    m.start = state(cell_of(task_.start_x), cell_of(task_.start_y));
    m.check();
    return m;
  }

  // Continuous demonstrations of this task (positions at observation entries 0 and 1) as walks
  // over m = mdp(...) (header comment), labelled `env`.
  Demonstrations walks(const TabularMdp& m, const Demonstrations& d, const std::string& env) const {
    if (d.obs_dim < 2)
      throw Error("navigation grid: the demonstrations have " + std::to_string(d.obs_dim) +
                  " observation entries; x and y (entries 0 and 1) are needed");
    TabularEpisodes ep;
    ep.reserve(d.episodes(), m.horizon);
    for (int e = 0; e < d.episodes(); ++e) {
      const std::int64_t o = d.offset(e);
      int ci = cell_of(d.observations(0, o)), cj = cell_of(d.observations(1, o));
      const Eigen::Index first = ep.size();
      Eigen::Index j = first;
      auto walk_to = [&](int ti, int tj) {  // true when the walk entered a goal cell
        while ((ci != ti || cj != tj) && j - first < m.horizon) {
          const int sx = (ti > ci) - (ti < ci), sy = (tj > cj) - (tj < cj);
          int a = 0;
          for (int b = 0; b < kActions; ++b)
            if (kDx[b] == sx && kDy[b] == sy) a = b;
          const int s = state(ci, cj);
          const auto x = static_cast<std::size_t>(m.index(s, a));
          const auto u = static_cast<std::size_t>(j++);
          ep.state[u] = s;
          ep.action[u] = a;
          ep.key[u] = m.key[x];
          ep.unsafe[u] = m.unsafe(s, a);
          ep.reward[u] = m.reward[x];
          ci += sx;
          cj += sy;
          if (m.terminal[x]) return true;
        }
        return false;
      };
      bool done = false;
      for (std::int64_t t = 1; t < d.lengths[static_cast<std::size_t>(e)] && !done; ++t)
        done = walk_to(cell_of(d.observations(0, o + t)), cell_of(d.observations(1, o + t)));
      if (!done) walk_to(cell_of(task_.goal_x), cell_of(task_.goal_y));
      if (j == first)
        throw Error("navigation grid: demonstration " + std::to_string(e) +
                    " never leaves its start cell; record demonstrations that reach the goal");
      ep.starts.push_back(j);
    }
    return to_demonstrations(m, ep, env);
  }

 private:
  static constexpr int kDx[kActions] = {1, 1, 0, -1, -1, -1, 0, 1};
  static constexpr int kDy[kActions] = {0, 1, 1, 1, 0, -1, -1, -1};

  double goal_distance(int i, int j) const { return std::hypot(centre(i) - task_.goal_x, centre(j) - task_.goal_y); }
  bool goal_cell(int i, int j) const { return goal_distance(i, j) <= std::max(task_.goal_radius, 0.5 * h_); }

  NavigationTask task_;
  int g_ = kNavigationGridCells;
  double h_ = 0.5;
};

}  // namespace icrl::envs
