// envs/learned_map.hpp - a learned constraint drawn as text, for the tabular environments.
//
// A learned constraint, the network zeta(s, a) (icrl/constraint_net.hpp) or the table of the exact
// forward step (icrl/tabular_icrl.hpp), is queried on every state-action of a lap grid or a grid
// map; a pair counts as constrained when its cost 1 - zeta exceeds 0.5.
//   lap-grid   two rows of 40 cells, one per action:   '.' allowed, 'X' constrained
//   grid maps  the map with every cell whose entering moves are, on average, constrained marked
//              'x' (learned), beside the true map ('X' = the true unsafe cells)
#pragma once

#include <cstdio>
#include <string>

#include "grid_world.hpp"
#include "lap_grid.hpp"
#include "icrl/tabular_icrl.hpp"

namespace icrl::envs {

// The ring: for each action a row of 40 cells; cost(pos, a) is the learned cost of action a in
// cell pos.
template <class CostFn>
std::string lap_map_text(CostFn&& cost) {
  const char* names[LapGrid::kNumActions] = {"forward ", "backward"};
  std::string out = "learned constraint on the 40 lap cells ('.' allowed, 'X' cost 1 - zeta > 0.5):\n";
  for (int a = 0; a < LapGrid::kNumActions; ++a) {
    std::string row;
    double mean_cost = 0.0;
    for (int pos = 0; pos < LapGrid::kNumCells; ++pos) {
      const double c = cost(pos, a);
      mean_cost += c / LapGrid::kNumCells;
      row += c > 0.5 ? 'X' : '.';
    }
    char tail[64];
    std::snprintf(tail, sizeof tail, "  mean cost %.3f\n", mean_cost);
    out += std::string("  ") + names[a] + " " + row + tail;
  }
  return out;
}

// A grid map beside the true one; cell_cost(r, c) is the learned cost of entering the non-wall
// cell (r, c), or a negative number when no move enters it.
template <class CellCostFn>
std::string grid_map_text(const GridMap& m, CellCostFn&& cell_cost) {
  std::string out = "learned constraint (left, 'x' = entering costs 1 - zeta > 0.5) and the true map (right):\n";
  int learned = 0, truth = 0, agree = 0;
  for (int r = 0; r < m.rows; ++r) {
    std::string left, right;
    for (int c = 0; c < m.cols; ++c) {
      const GridCell cell = m.at(r, c);
      const char true_char = detail::grid_cell_char(cell);
      right += true_char;
      if (cell == GridCell::kWall) {
        left += '#';
        continue;
      }
      const bool unsafe = cell_cost(r, c) > 0.5;
      left += unsafe ? 'x' : true_char == 'X' ? '.' : true_char;
      learned += unsafe;
      truth += cell == GridCell::kUnsafe;
      agree += unsafe && cell == GridCell::kUnsafe;
    }
    out += "  " + left + "    " + right + "\n";
  }
  out += "  learned unsafe cells: " + std::to_string(learned) + ", true unsafe cells: " + std::to_string(truth) +
         ", both: " + std::to_string(agree) + "\n";
  return out;
}

// The network on the ring.
template <class ZetaNet>
std::string learned_map(const LapGrid& /*env*/, const ZetaNet& zeta) {
  return lap_map_text([&](int pos, int a) {
    const LapGrid::Obs obs = LapGrid::observe(pos);
    const double act = a;
    return zeta.cost(obs.data(), &act);
  });
}

// The network on a grid: a cell's cost is the mean cost of the moves that enter it from a
// neighbouring free cell.
template <int A, class ZetaNet>
std::string learned_map(const GridWorld<A>& world, const ZetaNet& zeta) {
  const GridMap& m = world.map();
  return grid_map_text(m, [&](int r, int c) {
    double cost = 0.0;
    int moves = 0;
    for (int a = 0; a < A; ++a) {
      // The move into (r, c) with action a starts at (r, c) minus a's offset.
      const int pr = r - GridWorld<A>::kDRow[a], pc = c - GridWorld<A>::kDCol[a];
      const GridCell from = m.at(pr, pc);
      if (from == GridCell::kWall || from == GridCell::kGoal) continue;
      const auto obs = world.observe(pr, pc);
      const double act = a;
      cost += zeta.cost(obs.data(), &act);
      ++moves;
    }
    return moves > 0 ? cost / moves : -1.0;
  });
}

// The table of the exact forward step (envs/tabular_models.hpp's keys): lap-grid keys
// (cell, action), a grid keys the cell entered.
inline std::string learned_map(const LapGrid& /*env*/, const TabularConstraint& zeta) {
  return lap_map_text([&](int pos, int a) { return zeta.cost(pos * LapGrid::kNumActions + a); });
}
template <int A>
std::string learned_map(const GridWorld<A>& world, const TabularConstraint& zeta) {
  return grid_map_text(world.map(), [&](int r, int c) { return zeta.cost(r * world.map().cols + c); });
}

}  // namespace icrl::envs
