// envs/grid_solver.hpp - exact solution of a grid world (grid_world.hpp) by finite-horizon value
// iteration, hard (optimal) or soft (maximum entropy), with or without the constraint.
//
// The grid experts are solved exactly instead of trained. The grid is deterministic
// and its episodes have a fixed time limit H = max_steps, so backward induction over the step
// index t = 0 .. H-1 (the env's elapsed_steps before the action) is exact for the undiscounted
// return the SPEC evaluates (section 8); the optimal policy may depend on t (a reward cell near the
// end of the episode is worth a detour only if there is time to reach it). With s' the cell after
// action a from s (GridWorld::transition, the same code step() runs):
//
//     Q_t(s, a) = r(s, a) + [s' is not a goal] V_{t+1}(s'),        V_H = 0
//     hard (temperature 0):   V_t(s) = max_a Q_t(s, a),   pi_t = first action attaining the max
//     soft (temperature T):   V_t(s) = T log sum_a exp(Q_t(s, a) / T),
//                             pi_t(a | s) = exp((Q_t(s, a) - V_t(s)) / T)
//
// the soft form being the maximum-entropy expert model of the paper (SPEC section 1, eq. 1).
// The max and sum run over the allowed actions: all of them for the nominal env; with
// constrained = true (the expert of the true env, PPO-Lagrangian's budget 0 made exact) the
// actions that end on an X cell are removed, unless every action from s does (then they keep the
// true-env value: reward 0, episode over). exp and log are libm's: soft values may differ in the
// last bits across machines, hard values and greedy policies do not (only + and max).
//
// evaluate_grid_policy() propagates the state distribution of a solved policy forwards through
// the nominal or the true env and returns its exact expected return, expected number of violating
// steps and probability of at least one violation - the numbers a Monte Carlo evaluation
// (SPEC section 8) estimates. Solving allocates H * cells * A doubles (a 32 x 32 map at 1000
// steps and 8 actions: 66 MB; the shipped maps: a few kB); none of it happens inside env steps.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "grid_world.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl::envs {

// How to solve a grid.
struct GridSolveOptions {
  bool constrained = false;  // remove the actions that end on an X cell (the true env's expert)
  double temperature = 0.0;  // 0: hard max, the optimal policy; > 0: soft (max-ent) policy
};

// The solved values and policy of one grid world; t is the step index (elapsed_steps).
template <int A>
class GridSolution {
 public:
  static constexpr double kForbidden = -std::numeric_limits<double>::infinity();  // Q of removed

  GridSolution(int horizon, int rows, int cols, const GridSolveOptions& options)
      : horizon_(horizon),
        rows_(rows),
        cols_(cols),
        options_(options),
        q_(static_cast<std::size_t>(horizon) * static_cast<std::size_t>(rows * cols * A), 0.0),
        v_(static_cast<std::size_t>(horizon + 1) * static_cast<std::size_t>(rows * cols), 0.0) {}

  int horizon() const { return horizon_; }                  // H = max_steps of the map
  const GridSolveOptions& options() const { return options_; }  // how it was solved

  // Q_t(s, a) (kForbidden for a removed action) and V_t(s), 0 <= t <= H (V_H = 0).
  double q(int t, int row, int col, int a) const { return q_[qi(t, row, col, a)]; }
  double& q(int t, int row, int col, int a) { return q_[qi(t, row, col, a)]; }
  double value(int t, int row, int col) const { return v_[vi(t, row, col)]; }
  double& value(int t, int row, int col) { return v_[vi(t, row, col)]; }

  // The first action with the largest Q_t(s, a) (the hard policy; also the soft policy's mode).
  int greedy_action(int t, int row, int col) const {
    int best = 0;
    for (int a = 1; a < A; ++a)
      if (q(t, row, col, a) > q(t, row, col, best)) best = a;
    return best;
  }

  // pi_t(. | s) into p[0 .. A-1]: one-hot on greedy_action when hard, softmax of Q / T when soft.
  void probabilities(int t, int row, int col, double* p) const {
    if (options_.temperature <= 0.0) {
      for (int a = 0; a < A; ++a) p[a] = 0.0;
      p[greedy_action(t, row, col)] = 1.0;
      return;
    }
    const double v = value(t, row, col);
    for (int a = 0; a < A; ++a) {
      const double qa = q(t, row, col, a);
      p[a] = qa == kForbidden ? 0.0 : std::exp((qa - v) / options_.temperature);
    }
  }

  // An action drawn from pi_t(. | s) with one uniform of rng.
  int sample(int t, int row, int col, icrl::Rng& rng) const {
    std::array<double, A> p{};
    probabilities(t, row, col, p.data());
    return rng.categorical(p.data(), A);
  }

 private:
  std::size_t vi(int t, int row, int col) const {
    ICRL_ASSERT(t >= 0 && t <= horizon_ && row >= 0 && row < rows_ && col >= 0 && col < cols_);
    return static_cast<std::size_t>((t * rows_ + row) * cols_ + col);
  }
  std::size_t qi(int t, int row, int col, int a) const {
    ICRL_ASSERT(t >= 0 && t < horizon_ && a >= 0 && a < A);
    return vi(t, row, col) * A + static_cast<std::size_t>(a);
  }

  int horizon_;               // H
  int rows_;                  // map rows
  int cols_;                  // map columns
  GridSolveOptions options_;  // hard or soft, nominal or constrained
  std::vector<double> q_;     // Q_t(s, a), [t][row][col][a]
  std::vector<double> v_;     // V_t(s), [t][row][col], t = 0 .. H
};

// Backward induction of the header comment on world's map (its current position is ignored).
template <int A>
GridSolution<A> solve_grid(const GridWorld<A>& world, const GridSolveOptions& options = {}) {
  const GridMap& map = world.map();
  if (map.rows == 0) throw icrl::Error("solve_grid: the grid world has no map loaded");
  if (!(options.temperature >= 0.0) || !std::isfinite(options.temperature))
    throw icrl::Error("solve_grid: temperature must be a finite number >= 0");
  const int H = map.max_steps;
  GridSolution<A> sol(H, map.rows, map.cols, options);
  const double T = options.temperature;
  for (int t = H - 1; t >= 0; --t) {
    for (int r = 0; r < map.rows; ++r) {
      for (int c = 0; c < map.cols; ++c) {
        if (map.at(r, c) == GridCell::kWall) continue;
        std::array<typename GridWorld<A>::Transition, A> tr{};
        bool any_safe = false;
        for (int a = 0; a < A; ++a) {
          tr[static_cast<std::size_t>(a)] = world.transition(r, c, a);
          any_safe = any_safe || !tr[static_cast<std::size_t>(a)].unsafe;
        }
        double best = GridSolution<A>::kForbidden;
        for (int a = 0; a < A; ++a) {
          const auto& s1 = tr[static_cast<std::size_t>(a)];
          double qa = 0.0;
          if (options.constrained && s1.unsafe) {
            qa = any_safe ? GridSolution<A>::kForbidden : 0.0;  // true env: reward 0, over
          } else {
            qa = s1.reward + (s1.terminal ? 0.0 : sol.value(t + 1, s1.row, s1.col));
          }
          sol.q(t, r, c, a) = qa;
          best = std::max(best, qa);
        }
        double v = best;
        if (T > 0.0) {  // T log sum exp(Q / T), shifted by the max
          double sum = 0.0;
          for (int a = 0; a < A; ++a) {
            const double qa = sol.q(t, r, c, a);
            if (qa != GridSolution<A>::kForbidden) sum += std::exp((qa - best) / T);
          }
          v = best + T * std::log(sum);
        }
        sol.value(t, r, c) = v;
      }
    }
  }
  return sol;
}

// Exact statistics of a solved policy run from the start cell for the map's max_steps.
struct GridPolicyValue {
  double expected_return = 0.0;        // mean undiscounted return
  double expected_violations = 0.0;    // mean number of steps that end on an X cell
  double violation_probability = 0.0;  // share of episodes with at least one violation
  double expected_length = 0.0;        // mean episode length in steps
  double goal_probability = 0.0;       // share of episodes that end on a goal
};

// Forward propagation of the start state through the nominal env (terminate_on_violation false:
// X cells are walked on, each step ending on one counts) or the true env (a step onto X pays 0
// and ends the episode).
template <int A>
GridPolicyValue evaluate_grid_policy(const GridWorld<A>& world, const GridSolution<A>& sol,
                                     bool terminate_on_violation) {
  const GridMap& map = world.map();
  const int n = map.rows * map.cols;
  // mass[flag][cell]: probability of being alive on cell, flag = "violated already".
  std::vector<double> mass(static_cast<std::size_t>(2 * n), 0.0);
  std::vector<double> next(mass.size(), 0.0);
  mass[static_cast<std::size_t>(map.start_row * map.cols + map.start_col)] = 1.0;
  GridPolicyValue out;
  std::array<double, A> p{};
  for (int t = 0; t < sol.horizon(); ++t) {
    std::fill(next.begin(), next.end(), 0.0);
    for (int flag = 0; flag < 2; ++flag) {
      for (int r = 0; r < map.rows; ++r) {
        for (int c = 0; c < map.cols; ++c) {
          const double m = mass[static_cast<std::size_t>(flag * n + r * map.cols + c)];
          if (m == 0.0) continue;
          out.expected_length += m;
          sol.probabilities(t, r, c, p.data());
          for (int a = 0; a < A; ++a) {
            const double w = m * p[static_cast<std::size_t>(a)];
            if (w == 0.0) continue;
            const auto s1 = world.transition(r, c, a);
            if (s1.unsafe) {
              out.expected_violations += w;
              if (flag == 0) out.violation_probability += w;
              if (terminate_on_violation) continue;  // reward 0, episode over
            }
            out.expected_return += w * s1.reward;
            if (s1.terminal) {
              out.goal_probability += w;
              continue;
            }
            const int flag1 = (flag == 1 || s1.unsafe) ? 1 : 0;
            next[static_cast<std::size_t>(flag1 * n + s1.row * map.cols + s1.col)] += w;
          }
        }
      }
    }
    mass.swap(next);
  }
  return out;
}

}  // namespace icrl::envs
