// tests/test_envs_icrl.cpp - the analytic ICRL environments: LapGridWorld, text-map grid worlds
// (with their exact solver) and PointCircle, each nominal and constrained.
//
// What is checked (SPEC section 6; envs/lap_grid.hpp, grid_world.hpp, grid_solver.hpp,
// point_circle.hpp):
//  - check_env accepts every env and its constrained variant; names and constants;
//  - one step from a set state equals the equations evaluated by hand;
//  - a fixed seed and action sequence give a fixed FNV-1a hash of the trajectory (golden values
//    recorded from this implementation; these envs use only + - * / sqrt and det_sin / det_cos,
//    so the hashes are the same on x86-64, aarch64 and armhf);
//  - LapGridWorld: the expert (always forward) earns 60 with no violation; backward induction
//    over (step, cell) gives the nominal optimum 294 and the constrained optimum 60; the shuttle
//    policy attains 294 in the nominal env and ends after 7 steps with return 3 in the true env;
//  - grid maps: the format (defaults, comments, CRLF, round trip), the dynamics (walls, edges,
//    diagonals, goal, reward cells, step reward, time limit), every malformed case rejected with
//    file, line and column, the shipped maps load, and the solver: the nominal optimum of each
//    shipped map crosses unsafe cells, the constrained optimum does not and earns less, rollouts
//    in the env reproduce the solver's values, soft policies are proper distributions;
//  - PointCircle: scripted controllers - following the circle clockwise straight from the start
//    violates x <= -3, turning to the upper left first does not - with their measured returns;
//  - the true envs: cost 1, reward 0 and termination on the violating step; with
//    terminate_on_violation off only the cost; VecEnv takes the constrained grid (copyable).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "env_test_util.hpp"
#include "envs/constrained.hpp"
#include "envs/env.hpp"
#include "envs/grid_solver.hpp"
#include "envs/grid_world.hpp"
#include "envs/lap_grid.hpp"
#include "envs/point_circle.hpp"
#include "envs/vec_env.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

#ifndef ICRL_SOURCE_DIR
#error "tests/meson.build defines ICRL_SOURCE_DIR (the repository root, for envs/data/maps)"
#endif

using icrl::envs::Grid;
using icrl::envs::Grid8;
using icrl::envs::Grid8Constrained;
using icrl::envs::GridCell;
using icrl::envs::GridConstrained;
using icrl::envs::GridMap;
using icrl::envs::LapGrid;
using icrl::envs::LapGridConstrained;
using icrl::envs::PointCircle;
using icrl::envs::PointCircleConstrained;

namespace {

// ---- helpers ----------------------------------------------------------------------------------

using test_util::AssertFired;
using test_util::Episode;
using test_util::run_episode;
using test_util::wrap_angle;
using test_util::Fnv1a64;
using test_util::ThrowingAsserts;

std::string map_path(const char* name) {
  return std::string(ICRL_SOURCE_DIR) + "/envs/data/maps/" + name;
}

// The message of the icrl::Error that f throws ("" if it throws none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const icrl::Error& e) {
    return e.what();
  }
  return "";
}

// ---- LapGrid helpers ----

// Backward induction over (step, cell) on the lap grid: the optimal return from cell 0 over 200
// steps, with both actions or with forward only.
double lap_grid_optimum(bool allow_backward) {
  std::array<double, LapGrid::kNumCells> v{};  // V_{t+1}, starting from V_200 = 0
  for (int t = LapGrid::kMaxSteps - 1; t >= 0; --t) {
    std::array<double, LapGrid::kNumCells> vt{};
    for (int p = 0; p < LapGrid::kNumCells; ++p) {
      const int fwd = (p + 1) % LapGrid::kNumCells;
      const int bwd = (p + LapGrid::kNumCells - 1) % LapGrid::kNumCells;
      double best = (LapGrid::is_coin(fwd) ? 3.0 : 0.0) + v[static_cast<std::size_t>(fwd)];
      if (allow_backward)
        best = std::max(best,
                        (LapGrid::is_coin(bwd) ? 3.0 : 0.0) + v[static_cast<std::size_t>(bwd)]);
      vt[static_cast<std::size_t>(p)] = best;
    }
    v = vt;
  }
  return v[0];
}

// The nominal optimum: forward to cell 5, then shuttle 5 -> 6 -> 5 ... (re-entering the coin
// every second step), finishing with a forward step at t = 199.
int lap_shuttle(int t) {
  if (t < 5) return LapGrid::kForward;  // steps 1..5 reach cell 5
  if (t == LapGrid::kMaxSteps - 1) return LapGrid::kForward;
  return (t % 2 == 1) ? LapGrid::kForward : LapGrid::kBackward;  // t = 5: 5 -> 6, t = 6: 6 -> 5
}

// ---- PointCircle helpers ----

// Follow the circle of radius 10 clockwise: steer (at most 0.25 rad per step) towards the
// clockwise tangent plus 0.5 (10 - r) times the outward radial direction; full speed.
PointCircle::Action follow_circle(const PointCircle& e) {
  const double r = std::sqrt(e.x() * e.x() + e.y() * e.y());
  const double ux = e.x() / r, uy = e.y() / r;  // outward radial unit vector
  const double vx = uy + 0.5 * (10.0 - r) * ux;  // clockwise tangent (uy, -ux) + correction
  const double vy = -ux + 0.5 * (10.0 - r) * uy;
  const double turn = std::clamp(wrap_angle(std::atan2(vy, vx) - e.theta()), -0.25, 0.25);
  return PointCircle::Action(0.25, turn);
}

// The cheap path: straight ahead (east) at full speed for 40 steps to the circle, then follow it
// clockwise - down the right side, across the bottom, and up the left side through x <= -3.
template <class Env>
PointCircle::Action circle_from_east(const Env& env, int t) {
  if (t < 40) return PointCircle::Action(0.25, 0.0);
  return follow_circle(env.base());
}

// The feasible path: turn on the spot to heading 1.7 rad (up and a little left), go straight out
// to the circle near (-1.3, 9.9), then follow it clockwise; in 150 steps the point gets round the
// right side to the lower right without reaching x <= -3.
template <class Env>
PointCircle::Action circle_from_upper_left(const Env& env, int t) {
  constexpr double kHeading = 1.7;
  const PointCircle& e = env.base();
  const double err = wrap_angle(kHeading - e.theta());
  if (t < 10 && err != 0.0) return PointCircle::Action(0.0, std::clamp(err, -0.25, 0.25));
  const double r = std::sqrt(e.x() * e.x() + e.y() * e.y());
  if (r < 9.9 && t < 60) return PointCircle::Action(0.25, std::clamp(err, -0.25, 0.25));
  return follow_circle(e);
}

// The constrained variants with terminate_on_violation set as given.
PointCircleConstrained point_circle_env(bool terminate) {
  PointCircleConstrained::Config cfg;
  cfg.terminate_on_violation = terminate;
  return PointCircleConstrained(cfg);
}

// A small map for the dynamics tests (4 actions):
//   row 0: S . # R
//   row 1: . X . G
const char* const kSmallMap =
    "# small test map\n"
    "step_reward = -0.25\n"
    "goal_reward = 2\n"
    "cell_reward = 0.5\n"
    "max_steps = 7\n"
    "map:\n"
    "S.#R\n"
    ".X.G\n";

}  // namespace

TEST_SUITE_BEGIN("envs_icrl");

// ---- interface ----------------------------------------------------------------------------------

TEST_CASE("ICRL envs: check_env, names and constants") {
  static_assert(icrl::envs::check_env<LapGrid>());
  static_assert(icrl::envs::check_env<LapGridConstrained>());
  static_assert(icrl::envs::check_env<Grid>());
  static_assert(icrl::envs::check_env<Grid8>());
  static_assert(icrl::envs::check_env<GridConstrained>());
  static_assert(icrl::envs::check_env<Grid8Constrained>());
  static_assert(icrl::envs::check_env<PointCircle>());
  static_assert(icrl::envs::check_env<PointCircleConstrained>());
  CHECK(std::string(LapGrid::kName) == "lap-grid");
  CHECK(std::string(LapGridConstrained::kName) == "lap-grid-constrained");
  CHECK(std::string(Grid::kName) == "grid");
  CHECK(std::string(Grid8::kName) == "grid8");
  CHECK(std::string(GridConstrained::kName) == "grid-constrained");
  CHECK(std::string(Grid8Constrained::kName) == "grid8-constrained");
  CHECK(std::string(PointCircle::kName) == "point-circle");
  CHECK(std::string(PointCircleConstrained::kName) == "point-circle-constrained");

  CHECK(LapGrid::kObsDim == 1);
  CHECK(LapGrid::kDiscrete);
  CHECK(LapGrid::kNumActions == 2);
  CHECK(LapGrid::kMaxSteps == 200);
  CHECK(LapGrid::action_high()(0) == 1.0);
  CHECK(Grid::kObsDim == 2);
  CHECK(Grid::kNumActions == 4);
  CHECK(Grid8::kNumActions == 8);
  CHECK(Grid::kMaxSteps == GridMap::kMaxStepsLimit);
  CHECK(Grid8::action_high()(0) == 7.0);
  CHECK(PointCircle::kObsDim == 4);
  CHECK(PointCircle::kActDim == 2);
  CHECK_FALSE(PointCircle::kDiscrete);
  CHECK(PointCircle::kMaxSteps == 150);
  CHECK(PointCircle::action_low() == PointCircle::Action(-0.25, -0.25));
  CHECK(PointCircle::action_high() == PointCircle::Action(0.25, 0.25));
  // The constrained variants are the SPEC true env unless told otherwise.
  CHECK(LapGridConstrained().config().terminate_on_violation);
  CHECK(GridConstrained().config().terminate_on_violation);
  CHECK(PointCircleConstrained().config().terminate_on_violation);
  CHECK(PointCircleConstrained().config().x_min == -3.0);
}

// ---- LapGridWorld -------------------------------------------------------------------------------

TEST_CASE("LapGrid: one step moves along the ring, wraps, and pays 3 for entering a coin cell") {
  struct Case {
    int pos, action, pos1;
    double reward;
  };
  const Case cases[] = {
      {0, 0, 1, 0.0},   {4, 0, 5, 3.0},   {6, 1, 5, 3.0},   {5, 0, 6, 0.0},  {14, 0, 15, 3.0},
      {26, 1, 25, 3.0}, {34, 0, 35, 3.0}, {39, 0, 0, 0.0},  {0, 1, 39, 0.0}, {36, 1, 35, 3.0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.pos);
    CAPTURE(c.action);
    LapGrid env;
    env.set_state(c.pos);
    const auto r = env.step(c.action);
    CHECK(env.position() == c.pos1);
    CHECK(r.obs(0) == static_cast<double>(c.pos1) / 20.0 - 1.0);
    CHECK(r.reward == c.reward);
    CHECK(r.cost == 0.0);
    CHECK_FALSE(r.terminated);
    CHECK_FALSE(r.truncated);
  }
  CHECK(LapGrid::observe(0)(0) == -1.0);
  CHECK(LapGrid::observe(39)(0) == 0.95);
  for (int p = 0; p < LapGrid::kNumCells; ++p)
    CHECK(LapGrid::is_coin(p) == (p == 5 || p == 15 || p == 25 || p == 35));
}

TEST_CASE("LapGrid: fixed start, rng untouched, truncation at exactly 200 steps") {
  icrl::Rng rng(3, 1), mirror(3, 1);
  LapGrid env;
  for (int episode = 0; episode < 2; ++episode) {
    const auto obs = env.reset(rng);
    CHECK(obs(0) == -1.0);
    CHECK(env.position() == 0);
    for (int t = 1; t <= LapGrid::kMaxSteps; ++t) {
      const auto r = env.step(t % 3 == 0 ? 1 : 0);
      REQUIRE_FALSE(r.terminated);
      REQUIRE(r.truncated == (t == LapGrid::kMaxSteps));
      REQUIRE(env.elapsed_steps() == t);
    }
    CHECK(env.done());
  }
  CHECK(rng.next_u32() == mirror.next_u32());  // reset drew nothing
#ifndef NDEBUG
  ThrowingAsserts guard;
  CHECK_THROWS_AS(env.step(0), AssertFired);  // stepping a finished episode
  LapGrid fresh;
  CHECK_THROWS_AS(fresh.step(2), AssertFired);  // no such action
#endif
}

TEST_CASE("LapGrid: the expert (always forward) earns 60 in 5 laps with no violation") {
  icrl::Rng rng(1, 0);
  LapGridConstrained env;  // the true env
  env.reset(rng);
  int coins = 0;
  Episode ep;
  for (;;) {
    const auto r = env.step(LapGrid::kForward);
    ep.ret += r.reward;
    ep.cost += r.cost;
    ++ep.length;
    coins += r.reward > 0.0 ? 1 : 0;
    if (r.terminated || r.truncated) {
      ep.terminated = r.terminated;
      break;
    }
  }
  CHECK(ep.ret == 60.0);
  CHECK(coins == 20);
  CHECK(ep.cost == 0.0);
  CHECK(ep.length == 200);
  CHECK_FALSE(ep.terminated);
  CHECK(env.base().position() == 0);  // 200 = 5 x 40: back at the start
}

TEST_CASE("LapGrid: nominal optimum 294 (shuttling), constrained optimum 60 (backward induction)") {
  CHECK(lap_grid_optimum(true) == 294.0);
  CHECK(lap_grid_optimum(false) == 60.0);

  // The shuttle policy attains 294 in the nominal env, using backward on 97 steps.
  LapGridConstrained::Config soft_cfg;
  soft_cfg.terminate_on_violation = false;
  LapGridConstrained soft(soft_cfg);
  icrl::Rng rng(1, 0);
  soft.reset(rng);
  const Episode nominal = run_episode(soft, [](const LapGridConstrained&, int t) {
    return lap_shuttle(t);
  });
  CHECK(nominal.ret == 294.0);
  CHECK(nominal.cost == 97.0);
  CHECK(nominal.length == 200);
  CHECK(nominal.truncated);

  // In the true env its first backward step (the 7th) ends the episode: return 3 (one coin).
  LapGridConstrained hard;
  hard.reset(rng);
  const Episode truth = run_episode(hard, [](const LapGridConstrained&, int t) {
    return lap_shuttle(t);
  });
  CHECK(truth.ret == 3.0);
  CHECK(truth.cost == 1.0);
  CHECK(truth.length == 7);
  CHECK(truth.terminated);
  CHECK(hard.done());
  CHECK_FALSE(hard.base().done());  // the wrapper ended it
  CHECK(hard.base().position() == 5);
}

TEST_CASE("LapGrid: the true env's violating step costs 1, pays 0 and terminates") {
  LapGridConstrained env;
  env.set_state(6);
  const auto r = env.step(LapGrid::kBackward);  // 6 -> 5 would pay 3 in the nominal env
  CHECK(r.cost == 1.0);
  CHECK(r.reward == 0.0);
  CHECK(r.terminated);
  CHECK(r.obs(0) == 5.0 / 20.0 - 1.0);
  env.set_state(4);
  const auto f = env.step(LapGrid::kForward);
  CHECK(f.cost == 0.0);
  CHECK(f.reward == 3.0);
  CHECK_FALSE(f.terminated);
}

TEST_CASE("LapGrid: golden trajectory hash") {
  auto run = [] {
    Fnv1a64 hash;
    icrl::Rng rng(2024, 0);
    LapGrid env;
    hash.add(env.reset(rng));
    for (int t = 0; t < 2 * LapGrid::kMaxSteps; ++t) {
      const auto r = env.step((t * 7) % 5 < 2 ? 1 : 0);
      hash.add(r.obs);
      hash.add(r.reward);
      if (r.truncated) hash.add(env.reset(rng));
    }
    return hash.h;
  };
  const std::uint64_t first = run();
  CHECK(first == run());
  CHECK(first == 0x04E32E798AFC87F8ULL);
}

// ---- grid maps: format --------------------------------------------------------------------------

TEST_CASE("Grid map: parse a valid map, defaults, comments, CRLF and round trip") {
  const GridMap m = GridMap::parse(kSmallMap, "<small>");
  CHECK(m.rows == 2);
  CHECK(m.cols == 4);
  CHECK(m.start_row == 0);
  CHECK(m.start_col == 0);
  CHECK(m.actions == 4);  // default
  CHECK(m.max_steps == 7);
  CHECK(m.goal_reward == 2.0);
  CHECK(m.cell_reward == 0.5);
  CHECK(m.step_reward == -0.25);
  CHECK(m.at(0, 0) == GridCell::kStart);
  CHECK(m.at(0, 1) == GridCell::kFree);
  CHECK(m.at(0, 2) == GridCell::kWall);
  CHECK(m.at(0, 3) == GridCell::kReward);
  CHECK(m.at(1, 1) == GridCell::kUnsafe);
  CHECK(m.at(1, 3) == GridCell::kGoal);
  CHECK(m.at(-1, 0) == GridCell::kWall);  // off the grid
  CHECK(m.at(0, 4) == GridCell::kWall);
  CHECK(m.at(2, 0) == GridCell::kWall);

  // Defaults; CRLF line ends, indented header lines, trailing blanks, blank lines around the grid.
  const GridMap d = GridMap::parse(
      "\r\n# comment\r\n   actions = 8   \r\n\r\nmap:\r\n\r\nS..G  \r\n#..X\t\r\n\r\n\r\n",
      "<crlf>");
  CHECK(d.rows == 2);
  CHECK(d.cols == 4);
  CHECK(d.actions == 8);
  CHECK(d.max_steps == 50);
  CHECK(d.goal_reward == 1.0);
  CHECK(d.cell_reward == 1.0);
  CHECK(d.step_reward == 0.0);
  CHECK(d.at(1, 3) == GridCell::kUnsafe);

  // to_text() parses back to the same map.
  const GridMap back = GridMap::parse(m.to_text(), "<round trip>");
  CHECK(back.to_text() == m.to_text());
  CHECK(back.cells == m.cells);
  CHECK(back.step_reward == m.step_reward);
  CHECK(m.to_text().find("map:\nS.#R\n.X.G\n") != std::string::npos);
}

TEST_CASE("Grid map: malformed maps are rejected with file, line, column and the fix") {
  struct Case {
    const char* what;
    const char* text;
    const char* where;   // "origin:line:col:"
    const char* phrase;  // part of the explanation
  };
  const Case cases[] = {
      {"unknown character", "map:\nS.G\n.Z.\n", "bad.map:3:2:", "unknown map character 'Z'"},
      {"tab inside a row", "map:\nS\t.G\n", "bad.map:2:2:", "unknown map character code 9"},
      {"ragged row (short)", "map:\nS..G\n..\n", "bad.map:3:3:", "all rows need the same length"},
      {"ragged row (long)", "map:\nS.G\n....\n", "bad.map:3:4:", "the first row has 3"},
      {"no start", "actions = 4\nmap:\n..G\n", "bad.map:2:1:", "no start cell"},
      {"two starts", "map:\nS.G\n..S\n", "bad.map:3:3:",
       "second start 'S' (the first is at line 2, column 1)"},
      {"no goal or reward cell", "map:\nS..\n.X.\n", "bad.map:1:1:", "no goal 'G' or reward cell"},
      {"no map line", "actions = 4\n", "bad.map:2:1:", "no line `map:`"},
      {"no rows", "max_steps = 9\nmap:\n\n", "bad.map:2:1:", "no grid rows"},
      {"blank line inside the grid", "map:\nS.G\n\n...\n", "bad.map:3:1:", "blank line inside"},
      {"header line without =", "actions 4\nmap:\nSG\n", "bad.map:1:1:", "key = value"},
      {"unknown key", "speed = 3\nmap:\nSG\n", "bad.map:1:1:", "unknown header key 'speed'"},
      {"duplicate key", "max_steps = 3\n  max_steps = 4\nmap:\nSG\n", "bad.map:2:3:",
       "given twice"},
      {"bad actions", "actions = 6\nmap:\nSG\n", "bad.map:1:11:", "use 4 or 8"},
      {"bad max_steps", "max_steps = 0\nmap:\nSG\n", "bad.map:1:13:", "from 1 to 1000"},
      {"max_steps too large", "max_steps = 1001\nmap:\nSG\n", "bad.map:1:13:", "from 1 to 1000"},
      {"max_steps not a number", "max_steps = 5x\nmap:\nSG\n", "bad.map:1:13:", "max_steps"},
      {"bad real", "goal_reward = one\nmap:\nSG\n", "bad.map:1:15:", "not a finite number"},
      {"infinite real", "step_reward = inf\nmap:\nSG\n", "bad.map:1:15:", "not a finite number"},
      {"empty value", "cell_reward =\nmap:\nSG\n", "bad.map:1:14:", "not a finite number"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    const std::string msg = error_of([&] { GridMap::parse(c.text, "bad.map"); });
    CAPTURE(msg);
    CHECK(msg.rfind(c.where, 0) == 0);
    CHECK(msg.find(c.phrase) != std::string::npos);
  }

  // Too large: a 33rd row, a 33-cell row.
  std::string tall = "map:\nSG\n";
  for (int k = 0; k < 32; ++k) tall += "..\n";
  std::string msg = error_of([&] { GridMap::parse(tall, "tall.map"); });
  CAPTURE(msg);
  CHECK(msg.rfind("tall.map:34:1:", 0) == 0);  // the 33rd row
  CHECK(msg.find("at most 32 x 32") != std::string::npos);
  const std::string wide = "map:\nSG" + std::string(31, '.') + "\n";
  msg = error_of([&] { GridMap::parse(wide, "wide.map"); });
  CHECK(msg.rfind("wide.map:2:33:", 0) == 0);
  CHECK(msg.find("row of 33 cells") != std::string::npos);
  // 32 x 32 is accepted.
  std::string full = "map:\nS" + std::string(30, '.') + "G\n";
  for (int k = 1; k < 32; ++k) full += std::string(32, '.') + "\n";
  CHECK(GridMap::parse(full, "full.map").rows == 32);

  // The action count must match the environment.
  msg = error_of([] { Grid8::parse("map:\nSG\n", "four.map"); });
  CHECK(msg.rfind("four.map:", 0) == 0);
  CHECK(msg.find("actions = 4 but grid8 takes 8") != std::string::npos);
  msg = error_of([] { Grid::parse("actions = 8\nmap:\nSG\n", "eight.map"); });
  CHECK(msg.find("actions = 8 but grid takes 4") != std::string::npos);
  // A missing file.
  msg = error_of([] { Grid::load(map_path("no-such.map")); });
  CHECK(msg.find("no-such.map: cannot open") != std::string::npos);
}

TEST_CASE("Grid map: the shipped maps load") {
  const Grid lake = Grid::load(map_path("lake7.map"));
  CHECK(lake.map().rows == 7);
  CHECK(lake.map().cols == 7);
  CHECK(lake.map().actions == 4);
  int unsafe = 0;
  for (int r = 0; r < 7; ++r)
    for (int c = 0; c < 7; ++c) unsafe += lake.map().at(r, c) == GridCell::kUnsafe ? 1 : 0;
  CHECK(unsafe == 11);  // the benchmark after ICRL: 7 x 7 maps with 5 to 25 unsafe cells
  const Grid8 rooms = Grid8::load(map_path("rooms8.map"));
  CHECK(rooms.map().rows == 10);
  CHECK(rooms.map().cols == 11);
  CHECK(rooms.map().actions == 8);
  CHECK(error_of([] { Grid8::load(map_path("lake7.map")); }).find("lake7.map") !=
        std::string::npos);
}

// ---- grid maps: dynamics ------------------------------------------------------------------------

TEST_CASE("Grid: moves, walls, edges, rewards, goal and time limit by hand") {
  Grid env = Grid::parse(kSmallMap, "<small>");
  icrl::Rng rng(4, 0), mirror(4, 0);
  auto obs = env.reset(rng);
  CHECK(rng.next_u32() == mirror.next_u32());  // reset drew nothing
  CHECK(obs == Grid::Obs(-1.0, -1.0));          // (0, 0): [2 * 0 / 2 - 1, 2 * 0 / 4 - 1]

  // North from the top row: off the grid, stay; step reward only.
  auto r = env.step(0);
  CHECK((env.row() == 0 && env.col() == 0));
  CHECK(r.reward == -0.25);
  // East to (0, 1); east again into the wall at (0, 2): stay.
  r = env.step(1);
  CHECK(env.col() == 1);
  CHECK(r.obs == Grid::Obs(-1.0, -0.5));
  r = env.step(1);
  CHECK(env.col() == 1);
  CHECK(r.reward == -0.25);
  // South onto the unsafe cell (1, 1): the nominal grid lets it pass.
  r = env.step(2);
  CHECK((env.row() == 1 && env.col() == 1));
  CHECK(env.on_unsafe());
  CHECK(r.obs == Grid::Obs(0.0, -0.5));
  CHECK(r.cost == 0.0);
  // East to (1, 2), east into the goal (1, 3): step reward + goal reward, terminated.
  r = env.step(1);
  CHECK_FALSE(r.terminated);
  r = env.step(1);
  CHECK(r.reward == -0.25 + 2.0);
  CHECK(r.terminated);
  CHECK_FALSE(r.truncated);
  CHECK(r.obs == Grid::Obs(0.0, 0.5));
  CHECK(env.elapsed_steps() == 6);

  // The reward cell pays on every entry, not while standing on it and bumping into a wall.
  env.set_state(1, 2);
  r = env.step(0);  // (1, 2) -> (0, 2) is a wall: stay
  CHECK(r.reward == -0.25);
  env.set_state(0, 3);  // on R
  r = env.step(0);      // off the grid: stay on R, no cell reward
  CHECK(r.reward == -0.25);
  Grid open = Grid::parse("cell_reward = 0.5\nmap:\nS.R\n..G\n", "<open>");
  open.set_state(1, 1);
  r = open.step(0);  // (1, 1) -> (0, 1)
  CHECK(r.reward == 0.0);
  r = open.step(1);  // (0, 1) -> (0, 2) = R
  CHECK(r.reward == 0.5);
  CHECK_FALSE(r.terminated);
  r = open.step(0);  // off the grid: stay on R
  CHECK(r.reward == 0.0);
  r = open.step(3);  // back to (0, 1)
  CHECK(r.reward == 0.0);
  r = open.step(1);  // and into R again
  CHECK(r.reward == 0.5);

  // The time limit: max_steps = 7 truncates on the 7th step.
  env.reset(rng);
  for (int t = 1; t <= 7; ++t) {
    r = env.step(3);  // west from (0, 0): stay
    CHECK(r.truncated == (t == 7));
    CHECK_FALSE(r.terminated);
  }
  CHECK(env.done());
#ifndef NDEBUG
  ThrowingAsserts guard;
  CHECK_THROWS_AS(env.step(0), AssertFired);
  Grid no_map;
  CHECK_THROWS_AS(no_map.reset(rng), AssertFired);
  Grid fresh = Grid::parse(kSmallMap, "<small>");
  fresh.reset(rng);
  CHECK_THROWS_AS(fresh.step(4), AssertFired);  // 4 actions: 0..3
#endif
}

TEST_CASE("Grid8: diagonal moves and the transition table") {
  Grid8 env = Grid8::parse("actions = 8\nmap:\n.#.\n#S.\n..G\n", "<diag>");
  icrl::Rng rng(1, 0);
  env.reset(rng);
  // NW to (0, 0): the diagonal passes between the walls (0, 1) and (1, 0).
  auto r = env.step(7);
  CHECK((env.row() == 0 && env.col() == 0));
  CHECK(r.obs == Grid8::Obs(-1.0, -1.0));
  // SE back to (1, 1), NE to (0, 2), SW to (1, 1), SE to the goal (2, 2).
  env.step(5);
  CHECK((env.row() == 1 && env.col() == 1));
  env.step(4);
  CHECK((env.row() == 0 && env.col() == 2));
  env.step(6);
  CHECK((env.row() == 1 && env.col() == 1));
  r = env.step(5);
  CHECK(r.terminated);
  CHECK(r.reward == 1.0);
  // transition() is what step() does, from any cell.
  const auto t = env.transition(1, 1, 0);  // N into a wall
  CHECK((t.row == 1 && t.col == 1));
  CHECK(t.reward == 0.0);
  CHECK_FALSE(t.terminal);
  const auto g = env.transition(1, 2, 2);  // S into the goal
  CHECK(g.terminal);
  CHECK(g.reward == 1.0);
}

TEST_CASE("Grid: the true env's violating step costs 1, pays 0 and terminates") {
  const Grid lake = Grid::load(map_path("lake7.map"));
  GridConstrained env = icrl::envs::make_grid_constrained(lake);
  icrl::Rng rng(1, 0);
  env.reset(rng);
  CHECK((env.base().row() == 3 && env.base().col() == 0));
  auto r = env.step(1);  // east to (3, 1): safe
  CHECK(r.cost == 0.0);
  CHECK(r.reward == -0.1);
  r = env.step(1);  // east to (3, 2): unsafe
  CHECK(r.cost == 1.0);
  CHECK(r.reward == 0.0);
  CHECK(r.terminated);
  CHECK(env.done());

  // Without termination: cost on every step that ends on X, rewards unchanged.
  icrl::envs::GridConstrainedConfig cfg;
  cfg.terminate_on_violation = false;
  GridConstrained soft = icrl::envs::make_grid_constrained(lake, cfg);
  soft.reset(rng);
  const int east[6] = {1, 1, 1, 1, 1, 1};
  double cost = 0.0, ret = 0.0;
  for (int k = 0; k < 6; ++k) {
    r = soft.step(east[k]);
    cost += r.cost;
    ret += r.reward;
  }
  CHECK(cost == 3.0);  // (3, 2), (3, 3), (3, 4)
  CHECK(ret == doctest::Approx(10.0 - 0.6).epsilon(1e-15));
  CHECK(r.terminated);  // the goal

  // The 8-action variant and VecEnv (the constrained grid is copyable and steps in lockstep).
  const Grid8 rooms = Grid8::load(map_path("rooms8.map"));
  Grid8Constrained proto = icrl::envs::make_grid_constrained(rooms);
  icrl::envs::VecEnv<Grid8Constrained, 2> vec(proto);
  vec.reset_all(5);
  // Copy 0 goes SE into the unsafe doorway (4, 4) on its third step; copy 1 waits (N is a wall).
  for (int t = 0; t < 3; ++t) {
    const auto& s = vec.step({5, 0});
    CHECK(s.cost(0) == (t == 2 ? 1.0 : 0.0));
    CHECK(s.terminated[0] == (t == 2));
    CHECK(s.cost(1) == 0.0);
  }
  CHECK(vec.episodes_finished(0) == 1);
  CHECK(vec.last_episode(0).ret == doctest::Approx(-0.2).epsilon(1e-15));
  CHECK(vec.env(0).base().row() == 1);  // auto-reset to the start
}

TEST_CASE("Grid8: golden trajectory hash") {
  auto run = [] {
    Fnv1a64 hash;
    icrl::Rng rng(2024, 0);
    Grid8 env = Grid8::load(map_path("rooms8.map"));
    hash.add(env.reset(rng));
    for (int t = 0; t < 200; ++t) {
      const auto r = env.step((t * 5 + t / 7) % 8);
      hash.add(r.obs);
      hash.add(r.reward);
      if (r.terminated || r.truncated) hash.add(env.reset(rng));
    }
    return hash.h;
  };
  const std::uint64_t first = run();
  CHECK(first == run());
  CHECK(first == 0xDDD1352BF7638224ULL);
}

// ---- grid solver --------------------------------------------------------------------------------

namespace {

// Rolls the hard policy of sol out in env (from reset) and returns the episode.
template <class Env, int A>
Episode rollout(Env env, const icrl::envs::GridSolution<A>& sol) {
  icrl::Rng rng(1, 0);
  env.reset(rng);
  return run_episode(env, [&](const Env& e, int t) {
    return sol.greedy_action(t, e.base().row(), e.base().col());
  });
}

template <int A>
void check_map_solution(const char* file, double nominal_return, double nominal_violations,
                        double constrained_return) {
  CAPTURE(file);
  const auto world = icrl::envs::GridWorld<A>::load(map_path(file));
  const GridMap& m = world.map();
  icrl::envs::GridSolveOptions nominal_opt, constrained_opt;
  constrained_opt.constrained = true;
  const auto nominal = icrl::envs::solve_grid(world, nominal_opt);
  const auto constrained = icrl::envs::solve_grid(world, constrained_opt);

  // The optimal returns, and what the optimal policies do in each env.
  CHECK(nominal.value(0, m.start_row, m.start_col) == doctest::Approx(nominal_return));
  CHECK(constrained.value(0, m.start_row, m.start_col) == doctest::Approx(constrained_return));
  CHECK(constrained_return < nominal_return);  // the constraint costs reward
  const auto nn = icrl::envs::evaluate_grid_policy(world, nominal, false);
  const auto nt = icrl::envs::evaluate_grid_policy(world, nominal, true);
  const auto cn = icrl::envs::evaluate_grid_policy(world, constrained, false);
  const auto ct = icrl::envs::evaluate_grid_policy(world, constrained, true);
  CHECK(nn.expected_return == doctest::Approx(nominal_return));
  CHECK(nn.expected_violations == nominal_violations);  // the nominal optimum violates
  CHECK(nn.violation_probability == 1.0);
  CHECK(nt.violation_probability == 1.0);
  CHECK(nt.expected_return < 0.0);  // in the true env it ends on the first unsafe cell
  CHECK(cn.expected_violations == 0.0);
  CHECK(ct.expected_return == doctest::Approx(constrained_return));
  CHECK(ct.goal_probability == 1.0);

  // Rolling the greedy policies out in the envs gives the same numbers.
  icrl::envs::GridConstrainedConfig soft_cfg;
  soft_cfg.terminate_on_violation = false;
  const Episode rn = rollout(icrl::envs::make_grid_constrained(world, soft_cfg), nominal);
  CHECK(rn.ret == doctest::Approx(nominal_return));
  CHECK(rn.cost == nominal_violations);
  const Episode rt = rollout(icrl::envs::make_grid_constrained(world), nominal);
  CHECK(rt.ret == doctest::Approx(nt.expected_return));
  CHECK(rt.terminated);
  const Episode rc = rollout(icrl::envs::make_grid_constrained(world), constrained);
  CHECK(rc.ret == doctest::Approx(constrained_return));
  CHECK(rc.cost == 0.0);

  // Soft (maximum-entropy) policies: proper distributions that never pick a removed action;
  // the soft value bounds the hard one from above (it adds the entropy).
  icrl::envs::GridSolveOptions soft_opt = constrained_opt;
  soft_opt.temperature = 0.1;
  const auto soft = icrl::envs::solve_grid(world, soft_opt);
  CHECK(soft.value(0, m.start_row, m.start_col) >=
        constrained.value(0, m.start_row, m.start_col));
  for (int r = 0; r < m.rows; ++r) {
    for (int c = 0; c < m.cols; ++c) {
      if (m.at(r, c) == GridCell::kWall) continue;
      double p[A];
      soft.probabilities(0, r, c, p);
      double sum = 0.0;
      for (int a = 0; a < A; ++a) {
        sum += p[a];
        if (constrained.q(0, r, c, a) == icrl::envs::GridSolution<A>::kForbidden)
          REQUIRE(p[a] == 0.0);
      }
      REQUIRE(sum == doctest::Approx(1.0).epsilon(1e-12));
    }
  }
  const auto st = icrl::envs::evaluate_grid_policy(world, soft, true);
  CHECK(st.expected_violations == 0.0);
  // Sampled soft episodes in the true env never violate either.
  GridConstrained::Config hard_cfg;
  auto env = icrl::envs::make_grid_constrained(world, hard_cfg);
  icrl::Rng rng(9, 0);
  double cost = 0.0;
  for (int k = 0; k < 20; ++k) {
    env.reset(rng);
    cost += run_episode(env, [&](const decltype(env)& e, int t) {
              return soft.sample(t, e.base().row(), e.base().col(), rng);
            }).cost;
  }
  CHECK(cost == 0.0);
}

}  // namespace

TEST_CASE("Grid solver: lake7 - nominal optimum wades through the lake, the expert goes around") {
  // Nominal: 6 steps straight across (3 of them on unsafe cells): 10 - 6 x 0.1 = 9.4.
  // Constrained: round the lake in 12 steps: 10 - 12 x 0.1 = 8.8.
  check_map_solution<4>("lake7.map", 9.4, 3.0, 8.8);
}

TEST_CASE("Grid solver: rooms8 - the nominal optimum cuts through the unsafe doorway") {
  // Both optima collect the reward cell every second step once there and reach the goal on the
  // last step (39 steps); the nominal one takes the short diagonal through the unsafe doorway
  // (2 unsafe cells) and has 3 more reward entries than the safe detour via the right opening.
  check_map_solution<8>("rooms8.map", 15.1, 2.0, 12.1);
}

TEST_CASE("Grid solver: the optimum is exact and depends on the time left") {
  // Start (0, 3) next to the goal (0, 4); a reward cell R three steps west; 8 steps.
  const Grid world = Grid::parse(
      "max_steps = 8\ncell_reward = 3\ngoal_reward = 1\nmap:\nR..SG\n", "<detour>");
  const auto sol = icrl::envs::solve_grid(world);
  // Brute force over all 4^8 action sequences.
  double best = -1e9;
  for (int code = 0; code < (1 << 16); ++code) {
    Grid e = world;
    icrl::Rng rng;
    e.reset(rng);
    double ret = 0.0;
    for (int t = 0; t < 8; ++t) {
      const auto r = e.step((code >> (2 * t)) & 3);
      ret += r.reward;
      if (r.terminated || r.truncated) break;
    }
    best = std::max(best, ret);
  }
  CHECK(sol.value(0, 0, 3) == best);
  CHECK(best == 9.0);  // R entered at steps 3, 5 and 7 beats any route that ends on the goal
  CHECK(sol.greedy_action(1, 0, 3) == 3);  // 7 steps left: west (R at 3, 5, 7 steps from now)
  CHECK(sol.value(1, 0, 3) == 9.0);
  CHECK(sol.greedy_action(5, 0, 3) == 3);  // 3 steps left: R is still reachable (+3)
  CHECK(sol.value(5, 0, 3) == 3.0);
  CHECK(sol.value(6, 0, 3) == 1.0);        // 2 steps left: R is not, the goal is (+1)
  CHECK(sol.q(6, 0, 3, 3) == 0.0);
  CHECK(sol.greedy_action(7, 0, 3) == 1);  // last step: east into the goal
  CHECK(sol.value(8, 0, 3) == 0.0);  // V_H = 0
}

// ---- PointCircle --------------------------------------------------------------------------------

TEST_CASE("PointCircle: one step equals the equations by hand") {
  struct Case {
    double x, y, th, a0, a1;
  };
  const Case cases[] = {
      {3.0, 4.0, 0.5, 0.2, 0.1},      // plain
      {10.0, 0.0, -1.5, 0.25, -0.07},  // on the circle, heading south: clockwise, ~2.5
      {-6.0, 8.0, 2.0, 1.0, -1.0},    // both actions clipped to 0.25 / -0.25
      {0.0, 0.0, 0.0, -0.25, 0.25},   // backwards from the origin
  };
  for (const Case& c : cases) {
    CAPTURE(c.x);
    PointCircle env;
    env.set_state(c.x, c.y, c.th);
    const auto r = env.step(PointCircle::Action(c.a0, c.a1));
    const double a0 = std::clamp(c.a0, -0.25, 0.25), a1 = std::clamp(c.a1, -0.25, 0.25);
    const double th = c.th + a1;
    const double x = c.x + std::cos(th) * a0, y = c.y + std::sin(th) * a0;
    const double dx = x - c.x, dy = y - c.y;
    const double reward = (y * dx - x * dy) / (1.0 + std::fabs(std::hypot(x, y) - 10.0));
    CHECK(env.theta() == th);
    CHECK(r.obs(0) == doctest::Approx(x).epsilon(1e-14));
    CHECK(r.obs(1) == doctest::Approx(y).epsilon(1e-14));
    CHECK(r.obs(2) == doctest::Approx(std::cos(th)).epsilon(1e-14));
    CHECK(r.obs(3) == doctest::Approx(std::sin(th)).epsilon(1e-14));
    CHECK(r.reward == doctest::Approx(reward).epsilon(1e-12));
    CHECK(r.cost == 0.0);
    CHECK_FALSE(r.terminated);
    CHECK_FALSE(r.truncated);
  }
  // On the circle moving clockwise at full speed: about 2.5 per step.
  PointCircle env;
  env.set_state(10.0, 0.0, -1.5707963267948966);
  CHECK(env.step(PointCircle::Action(0.25, 0.0)).reward == doctest::Approx(2.4922).epsilon(1e-4));
  // Counter-clockwise is penalised, radial motion earns nothing.
  env.set_state(10.0, 0.0, 1.5707963267948966);
  CHECK(env.step(PointCircle::Action(0.25, 0.0)).reward < -2.4);
  env.set_state(5.0, 0.0, 0.0);
  CHECK(env.step(PointCircle::Action(0.25, 0.0)).reward == 0.0);
  // The position is clipped to +-40 and the reward uses the displacement actually made.
  env.set_state(39.9, -39.95, -0.7853981633974483);
  const auto r = env.step(PointCircle::Action(0.25, 0.0));
  CHECK(r.obs(0) == 40.0);
  CHECK(r.obs(1) == -40.0);
  CHECK(r.reward == doctest::Approx((-40.0 * 0.1 - 40.0 * -0.05) /
                                    (1.0 + std::fabs(std::sqrt(3200.0) - 10.0)))
                        .epsilon(1e-12));
}

TEST_CASE("PointCircle: reset draws x, y, th ~ U(-0.1, 0.1) from the rng; 150 steps") {
  icrl::Rng rng(8, 2), mirror(8, 2);
  PointCircle env;
  for (int k = 0; k < 200; ++k) {
    const auto obs = env.reset(rng);
    const double x = mirror.uniform(-0.1, 0.1);
    const double y = mirror.uniform(-0.1, 0.1);
    const double th = mirror.uniform(-0.1, 0.1);
    REQUIRE(env.x() == x);
    REQUIRE(env.y() == y);
    REQUIRE(env.theta() == th);
    REQUIRE(obs == PointCircle::Obs(x, y, icrl::envs::det_cos(th), icrl::envs::det_sin(th)));
  }
  for (int t = 1; t <= PointCircle::kMaxSteps; ++t) {
    const auto r = env.step(PointCircle::Action(0.25, 0.1));
    REQUIRE(r.truncated == (t == PointCircle::kMaxSteps));
    REQUIRE_FALSE(r.terminated);
  }
  CHECK(env.done());
#ifndef NDEBUG
  ThrowingAsserts guard;
  CHECK_THROWS_AS(env.step(PointCircle::Action(0.0, 0.0)), AssertFired);
#endif
}

TEST_CASE("PointCircle: circling from the east violates x <= -3, from the upper left it does not") {
  icrl::Rng rng(1, 0);
  // Nominal env with the cost signal: the cheap path earns more but crosses x <= -3.
  PointCircleConstrained nominal = point_circle_env(false);
  nominal.reset(rng);
  const Episode cheap = run_episode(nominal, circle_from_east<PointCircleConstrained>);
  MESSAGE("circle from the east, nominal env: return " << cheap.ret << ", " << cheap.cost
                                                       << " violating steps");
  CHECK(cheap.length == 150);
  CHECK(cheap.ret > 240.0);
  CHECK(cheap.cost >= 25.0);
  // True env: the same controller is stopped at its first violation.
  PointCircleConstrained truth = point_circle_env(true);
  truth.reset(rng);
  const Episode cut = run_episode(truth, circle_from_east<PointCircleConstrained>);
  MESSAGE("circle from the east, true env: return " << cut.ret << " in " << cut.length
                                                    << " steps");
  CHECK(cut.terminated);
  CHECK(cut.cost == 1.0);
  CHECK(cut.length > 100);
  CHECK(cut.length < 130);
  CHECK(cut.ret > 150.0);
  CHECK(cut.ret < cheap.ret - 50.0);
  CHECK(truth.base().x() <= -3.0);
  // The feasible controller: no violation in either env, and a return in the true env above
  // what the cheap path gets there (and above the expert bar of 130).
  for (const bool terminate : {false, true}) {
    CAPTURE(terminate);
    PointCircleConstrained env = point_circle_env(terminate);
    env.reset(rng);
    const Episode safe = run_episode(env, circle_from_upper_left<PointCircleConstrained>);
    MESSAGE("circle from the upper left: return " << safe.ret << ", " << safe.cost
                                                  << " violating steps");
    CHECK(safe.length == 150);
    CHECK(safe.cost == 0.0);
    CHECK(safe.ret > 225.0);
    CHECK(safe.ret < cheap.ret);
    CHECK(safe.ret > cut.ret + 40.0);
  }
}

TEST_CASE("PointCircle: the true env's violating step costs 1, pays 0 and terminates") {
  PointCircleConstrained env;
  env.set_state(-2.8, 0.0, 3.141592653589793);  // heading west
  auto r = env.step(PointCircle::Action(0.1, 0.0));
  CHECK(r.obs(0) == doctest::Approx(-2.9));
  CHECK(r.cost == 0.0);
  CHECK(r.reward == doctest::Approx(0.0).epsilon(1e-12));  // radial
  CHECK_FALSE(r.terminated);
  r = env.step(PointCircle::Action(0.25, 0.0));
  CHECK(r.obs(0) < -3.0);
  CHECK(r.cost == 1.0);
  CHECK(r.reward == 0.0);
  CHECK(r.terminated);
  // x == -3 exactly is a violation (x <= -3).
  env.set_state(-2.75, 0.0, 0.0);
  r = env.step(PointCircle::Action(-0.25, 0.0));  // cos 0 = 1 exactly: x' = -3
  CHECK(r.obs(0) == -3.0);
  CHECK(r.cost == 1.0);
  // A threshold from the config.
  PointCircleConstrained::Config cfg;
  cfg.x_min = -5.0;
  cfg.terminate_on_violation = false;
  PointCircleConstrained wide(cfg);
  wide.set_state(-2.75, 0.0, 0.0);
  r = wide.step(PointCircle::Action(-0.25, 0.0));
  CHECK(r.cost == 0.0);
}

TEST_CASE("PointCircle: golden trajectory hash") {
  auto run = [] {
    Fnv1a64 hash;
    icrl::Rng rng(2024, 0);
    PointCircle env;
    hash.add(env.reset(rng));
    for (int t = 0; t < 2 * PointCircle::kMaxSteps; ++t) {
      // Speeds and turns cycling through -0.3 .. 0.3 (the ends are clipped).
      const PointCircle::Action a(0.1 * static_cast<double>((t * 3) % 7 - 3),
                                  0.1 * static_cast<double>((t * 5) % 7 - 3));
      const auto r = env.step(a);
      hash.add(r.obs);
      hash.add(r.reward);
      if (r.truncated) hash.add(env.reset(rng));
    }
    return hash.h;
  };
  const std::uint64_t first = run();
  CHECK(first == run());
  CHECK(first == 0x2EAA2AC148DEC1B7ULL);
}

TEST_SUITE_END();
