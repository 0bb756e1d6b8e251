// scripts/probes/navigation_exact.cpp - Algorithm 1 with the exact forward step (eqs. (1)-(5):
// tabular_mdp.hpp's soft value iteration; the backward step of eqs. (10)-(12): TabularIcrlTrainer
// with tabular_defaults) on a G x G discretisation of a
// navigation task, from the continuous expert's demonstrations mapped onto cells.
//
// What it measures: whether Algorithm 1 itself recovers a navigation task's constraint once the
// forward step has no sampling noise, and how that depends on the resolution at which the
// constraint is represented (the cell size 24 / G units).
//
// The discretised task: the map [-12, 12]^2 in G x G cells, 8 moves to a neighbouring cell, key =
// the cell entered (zeta(s_{t+1}) as on the grids), reward = the progress towards the goal - 0.01
// per 0.25 units moved (the continuous env's time penalty per step) + 10 on entering a goal cell
// (which ends the episode), horizon min(200, 60 units / cell size). A cell is unsafe when its centre
// is forbidden. D: each continuous demonstration's positions as a walk over cells (diagonal moves
// first between two cells its consecutive positions fall in), finished to the goal cell.
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
#include "icrl/tabular_icrl.hpp"

using namespace icrl;
using namespace icrl::envs;

namespace {
constexpr double kLo = -12.0, kSide = 24.0;
const int kDx[8] = {1, 1, 0, -1, -1, -1, 0, 1}, kDy[8] = {0, 1, 1, 1, 0, -1, -1, -1};
}  // namespace

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
  const double h = kSide / G;  // cell size, units
  auto centre = [&](int i) { return kLo + (i + 0.5) * h; };
  auto cell_of = [&](double v) { return std::min(G - 1, std::max(0, static_cast<int>(std::floor((v - kLo) / h)))); };
  const NavigationTask t = make_navigation_task(1, k);

  TabularMdp m;
  m.name = "navigation-exact-" + std::to_string(k);
  m.num_states = G * G;
  m.num_actions = 8;
  m.horizon = std::min(200, static_cast<int>(std::ceil(60.0 / h)));
  m.obs_dim = 2;
  m.num_keys = G * G;
  m.observation.resize(static_cast<std::size_t>(2 * G * G));
  for (int j = 0; j < G; ++j)
    for (int i = 0; i < G; ++i) {
      m.observation[static_cast<std::size_t>(2 * (i + G * j))] = i;
      m.observation[static_cast<std::size_t>(2 * (i + G * j) + 1)] = j;
    }
  auto goal_cell = [&](int i, int j) {
    return std::hypot(centre(i) - t.goal_x, centre(j) - t.goal_y) <= std::max(t.goal_radius, 0.5 * h);
  };
  const std::size_t n = static_cast<std::size_t>(G) * G * 8;
  m.next.resize(n);
  m.reward.resize(n);
  m.terminal.resize(n);
  m.key.resize(n);
  for (int j = 0; j < G; ++j)
    for (int i = 0; i < G; ++i)
      for (int a = 0; a < 8; ++a) {
        const int ni = std::min(G - 1, std::max(0, i + kDx[a])), nj = std::min(G - 1, std::max(0, j + kDy[a]));
        const auto x = static_cast<std::size_t>(m.index(i + G * j, a));
        m.next[x] = ni + G * nj;
        m.key[x] = ni + G * nj;
        const double moved = std::hypot(centre(ni) - centre(i), centre(nj) - centre(j));
        const bool goal = goal_cell(ni, nj);
        m.reward[x] = std::hypot(centre(i) - t.goal_x, centre(j) - t.goal_y) -
                      std::hypot(centre(ni) - t.goal_x, centre(nj) - t.goal_y) - 0.01 * std::max(1.0, moved / 0.25) +
                      (goal ? 10.0 : 0.0);
        m.terminal[x] = goal;
      }
  m.key_unsafe.assign(static_cast<std::size_t>(G * G), 0);
  int n_unsafe = 0;
  for (int j = 0; j < G; ++j)
    for (int i = 0; i < G; ++i) {
      const bool u = t.forbidden(centre(i), centre(j));
      m.key_unsafe[static_cast<std::size_t>(i + G * j)] = u;
      n_unsafe += u;
    }
  m.start = cell_of(t.start_x) + G * cell_of(t.start_y);
  m.check();

  // D as walks over cells, each step recorded as the tabular task's (state, action).
  const Demonstrations cd = Demonstrations::load(argv[4]);
  TabularEpisodes walks;
  walks.reserve(cd.episodes(), m.horizon);
  for (int e = 0; e < cd.episodes(); ++e) {
    const std::int64_t o = cd.offset(e);
    int ci = cell_of(cd.observations(0, o)), cj = cell_of(cd.observations(1, o));
    Eigen::Index j = walks.size();
    auto walk_to = [&](int ti, int tj) {  // true when the walk entered a goal cell
      while ((ci != ti || cj != tj) && j - walks.size() < m.horizon) {
        const int sx = (ti > ci) - (ti < ci), sy = (tj > cj) - (tj < cj);
        int a = 0;
        for (int b = 0; b < 8; ++b)
          if (kDx[b] == sx && kDy[b] == sy) a = b;
        const int state = ci + G * cj;
        const auto x = static_cast<std::size_t>(m.index(state, a));
        const auto u = static_cast<std::size_t>(j++);
        walks.state[u] = state;
        walks.action[u] = a;
        walks.key[u] = m.key[x];
        walks.unsafe[u] = m.unsafe(state, a);
        walks.reward[u] = m.reward[x];
        ci += sx;
        cj += sy;
        if (m.terminal[x]) return true;
      }
      return false;
    };
    bool done = false;
    for (std::int64_t s = 1; s < cd.lengths[static_cast<std::size_t>(e)] && !done; ++s)
      done = walk_to(cell_of(cd.observations(0, o + s)), cell_of(cd.observations(1, o + s)));
    if (!done) walk_to(cell_of(t.goal_x), cell_of(t.goal_y));
    walks.starts.push_back(j);
  }
  const Demonstrations d = to_demonstrations(m, walks, m.name);  // costs: 1 on a step entering an unsafe cell
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
