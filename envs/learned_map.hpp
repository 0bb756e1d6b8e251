// envs/learned_map.hpp - a learned constraint drawn as text, for the tabular environments.
//
// The constraint network zeta(s, a) (icrl/constraint_net.hpp) is queried on every state-action
// of a lap grid or a grid map; a pair counts as constrained when its cost 1 - zeta exceeds 0.5.
//   lap-grid   two rows of 40 cells, one per action:   '.' allowed, 'X' constrained
//   grid maps  the map with every cell whose entering moves are, on average, constrained marked
//              'x' (learned), beside the true map ('X' = the true unsafe cells)
#pragma once

#include <cstdio>
#include <string>

#include "envs/grid_world.hpp"
#include "envs/lap_grid.hpp"

namespace icrl::envs {

// The ring: for each action a row of 40 cells, and the mean cost per action.
template <class ZetaNet>
std::string learned_map(const LapGrid& /*env*/, const ZetaNet& zeta) {
  const char* names[LapGrid::kNumActions] = {"forward ", "backward"};
  std::string out = "learned constraint on the 40 lap cells ('.' allowed, 'X' cost 1 - zeta > 0.5):\n";
  for (int a = 0; a < LapGrid::kNumActions; ++a) {
    std::string row;
    double mean_cost = 0.0;
    for (int pos = 0; pos < LapGrid::kNumCells; ++pos) {
      const LapGrid::Obs obs = LapGrid::observe(pos);
      const double act = a;
      const double c = zeta.cost(obs.data(), &act);
      mean_cost += c / LapGrid::kNumCells;
      row += c > 0.5 ? 'X' : '.';
    }
    char tail[64];
    std::snprintf(tail, sizeof tail, "  mean cost %.3f\n", mean_cost);
    out += std::string("  ") + names[a] + " " + row + tail;
  }
  return out;
}

// A grid map: cell (r, c) is learned-unsafe when the mean cost of the moves that enter it from a
// neighbouring free cell exceeds 0.5.
template <int A, class ZetaNet>
std::string learned_map(const GridWorld<A>& world, const ZetaNet& zeta) {
  const GridMap& m = world.map();
  std::string out = "learned constraint (left, 'x' = entering moves cost 1 - zeta > 0.5 on average) and the true map (right):\n";
  int learned = 0, truth = 0, agree = 0;
  for (int r = 0; r < m.rows; ++r) {
    std::string left, right;
    for (int c = 0; c < m.cols; ++c) {
      const GridCell cell = m.at(r, c);
      const char true_char = cell == GridCell::kWall ? '#' : cell == GridCell::kStart ? 'S'
                             : cell == GridCell::kGoal ? 'G' : cell == GridCell::kReward ? 'R'
                             : cell == GridCell::kUnsafe ? 'X' : '.';
      right += true_char;
      if (cell == GridCell::kWall) {
        left += '#';
        continue;
      }
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
      const bool unsafe = moves > 0 && cost / moves > 0.5;
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

}  // namespace icrl::envs
