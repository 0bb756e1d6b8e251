// envs/tabular_models.hpp - the tabular environments as tables (icrl/tabular_mdp.hpp), so that
// Algorithm 1 can run with the exact forward step (icrl/tabular_icrl.hpp). envs/learned_map.hpp
// draws a learned table.
//
//   grid maps  state = cell (row * cols + col; walls are states nobody reaches), the transition
//              of GridWorld::transition, key = the cell the step ends on (the reference's
//              zeta(s_{t+1})): a grid's constraint is a property of cells, so one entry per cell
//              lets what is learned from entering a cell one way hold for every way in.
//              Unsafe keys: the X cells.
//   lap-grid   state = ring cell, key = (cell, action) = 2 cell + action: its constraint is on
//              the action. Unsafe keys: every backward action.
// The observations are the environments' own, so demonstrations recorded in the env (icrl demos)
// are read as they are.
#pragma once

#include <string>

#include "grid_world.hpp"
#include "lap_grid.hpp"
#include "icrl/tabular_mdp.hpp"

namespace icrl::envs {

template <int A>
TabularMdp to_tabular(const GridWorld<A>& world, const std::string& name) {
  const GridMap& map = world.map();
  if (map.rows == 0) throw icrl::Error("to_tabular: the grid world '" + name + "' has no map loaded");
  TabularMdp m;
  m.name = name;
  m.num_states = map.rows * map.cols;
  m.num_actions = A;
  m.horizon = map.max_steps;
  m.start = map.start_row * map.cols + map.start_col;
  m.obs_dim = 2;
  m.num_keys = m.num_states;
  const std::size_t n = static_cast<std::size_t>(m.num_states) * A;
  m.observation.resize(static_cast<std::size_t>(2 * m.num_states));
  m.next.resize(n);
  m.reward.resize(n);
  m.terminal.resize(n);
  m.key.resize(n);
  m.key_unsafe.assign(static_cast<std::size_t>(m.num_keys), 0);
  for (int r = 0; r < map.rows; ++r) {
    for (int c = 0; c < map.cols; ++c) {
      const int s = r * map.cols + c;
      const auto obs = world.observe(r, c);
      m.observation[static_cast<std::size_t>(2 * s)] = obs(0);
      m.observation[static_cast<std::size_t>(2 * s + 1)] = obs(1);
      m.key_unsafe[static_cast<std::size_t>(s)] = map.at(r, c) == GridCell::kUnsafe ? 1 : 0;
      for (int a = 0; a < A; ++a) {
        const auto t = world.transition(r, c, a);
        const std::size_t i = static_cast<std::size_t>(m.index(s, a));
        m.next[i] = t.row * map.cols + t.col;
        m.reward[i] = t.reward;
        m.terminal[i] = t.terminal ? 1 : 0;
        m.key[i] = m.next[i];
      }
    }
  }
  // Observations are stored as float in demonstrations: make the table's the same numbers.
  for (auto& o : m.observation) o = static_cast<double>(static_cast<float>(o));
  return m;
}

inline TabularMdp to_tabular(const LapGrid& env, const std::string& name = LapGrid::kName) {
  TabularMdp m;
  m.name = name;
  m.num_states = LapGrid::kNumCells;
  m.num_actions = LapGrid::kNumActions;
  m.horizon = LapGrid::kMaxSteps;
  m.start = LapGrid::kStartCell;
  m.obs_dim = 1;
  m.num_keys = LapGrid::kNumCells * LapGrid::kNumActions;
  const std::size_t n = static_cast<std::size_t>(m.num_keys);
  m.observation.resize(static_cast<std::size_t>(m.num_states));
  m.next.resize(n);
  m.reward.resize(n);
  m.terminal.assign(n, 0);
  m.key.resize(n);
  m.key_unsafe.assign(n, 0);
  LapGrid probe = env;  // the table is read off the env's own step()
  for (int s = 0; s < LapGrid::kNumCells; ++s) {
    m.observation[static_cast<std::size_t>(s)] = static_cast<float>(LapGrid::observe(s)(0));
    for (int a = 0; a < LapGrid::kNumActions; ++a) {
      const std::size_t i = static_cast<std::size_t>(m.index(s, a));
      probe.set_state(s);
      const auto r = probe.step(a);
      m.next[i] = probe.position();
      m.reward[i] = r.reward;
      m.key[i] = static_cast<int>(i);
      m.key_unsafe[i] = a == LapGrid::kBackward ? 1 : 0;
    }
  }
  return m;
}

}  // namespace icrl::envs
