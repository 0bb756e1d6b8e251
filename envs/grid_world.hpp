// envs/grid_world.hpp - deterministic 2D grid worlds read from plain-text maps, and their true
// (constrained) variants.
//
// SPEC section 6, "Grid maps: the same machinery on 2D grids read from text maps (walls, start,
// goal or reward cells, constrained cells), 4 or 8 actions". Any user map up to 32 x 32 works.
//
// ---- Map format ----------------------------------------------------------------------------
//
// A map file is a header of `key = value` lines, then a line `map:`, then the rows of the grid:
//
//     # A comment: in the header, lines starting with '#' and blank lines are ignored
//     # (a comment cannot follow a value on the same line).
//     actions = 4
//     max_steps = 50
//     map:
//     #######
//     #S..X.#
//     #..XG.#
//     #######
//
// Header keys (each at most once, all optional; unknown keys are rejected):
//   actions      4 (N, E, S, W) or 8 (also NE, SE, SW, NW); must match the GridWorld<A> that
//                loads the map (default 4)
//   max_steps    time limit, 1 .. 1000 (default 50)
//   goal_reward  reward for entering a G cell, which ends the episode (default 1)
//   cell_reward  reward for entering an R cell, which does not (default 1)
//   step_reward  added to the reward of every step; negative = a step penalty (default 0)
// After `map:` every line is a row, one character per cell (trailing spaces, tabs and a CR are
// ignored; blank lines may precede the first row and follow the last one, not split the grid):
//   #  wall            .  free            S  start (exactly one)
//   G  goal: terminal, goal_reward        R  reward cell: cell_reward on every entry
//   X  constrained (unsafe) cell: free to walk on in the nominal env, a violation in the true env
// All rows have the same length; at most 32 rows of 32 cells; at least one G or R cell. Cells
// outside the grid behave as walls. Any error is an icrl::Error naming the file, the line and
// the column and saying what to change.
//
// ---- Dynamics ------------------------------------------------------------------------------
//
// State: the cell (row, col), row 0 at the top. Action k moves by (dr, dc) = N (-1, 0), E (0, 1),
// S (1, 0), W (0, -1), then for 8 actions NE (-1, 1), SE (1, 1), SW (1, -1), NW (-1, -1). If the
// target is a wall or off the grid the agent stays (a diagonal move only checks its target, so
// it may pass between two walls that touch at a corner). Reward of a step:
//     step_reward  + goal_reward if the step entered a G cell (then terminated = true)
//                  + cell_reward if the step entered an R cell
// ("entered" = moved into it from another cell; bumping a wall while standing on R pays no
// cell_reward). The time limit max_steps truncates. Observation [2 row / rows - 1,
// 2 col / cols - 1] (in [-1, 1), the lap grid's pos / 20 - 1 in two dimensions). The start is
// fixed, so reset() draws nothing from the Rng.
//
// kMaxSteps (the interface's compile-time time limit) is the upper bound 1000 of max_steps;
// an episode is truncated at the map's max_steps (elapsed_steps() == max_steps()), which may be
// earlier. Storage is a fixed 32 x 32 std::array: copies are cheap and step() never allocates.
//
// Names: Grid = GridWorld<4> ("grid"), Grid8 = GridWorld<8> ("grid8"); constrained variants
// GridConstrained ("grid-constrained") and Grid8Constrained ("grid8-constrained").
//
// ---- The constraint ------------------------------------------------------------------------
//
// Constrained<GridWorld<A>, GridUnsafeCells> (constrained.hpp): a step that ends on an X cell is
// a violation (entering one, or bumping a wall while standing on one in the nominal env). The
// config defaults to the SPEC true env (terminate_on_violation = true: cost 1, reward 0, episode
// over). Constrained default-constructs its env, so a constrained grid gets its map through
// set_state(world) - make_grid_constrained() does that. Solving a map exactly (nominal and
// constrained optimum) is envs/grid_solver.hpp.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>

#include "constrained.hpp"
#include "env.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl::envs {

// What one cell of a map is.
enum class GridCell : std::uint8_t {
  kFree = 0,    // '.'
  kWall = 1,    // '#'
  kStart = 2,   // 'S' (free; where episodes start)
  kGoal = 3,    // 'G' terminal, goal_reward on entry
  kReward = 4,  // 'R' cell_reward on every entry
  kUnsafe = 5,  // 'X' free in the nominal env, a violation in the true env
};

// A parsed map: the grid and its header settings. Plain fixed-size data (no heap).
struct GridMap {
  static constexpr int kMaxSize = 32;        // rows and columns are each at most this
  static constexpr int kMaxStepsLimit = 1000;  // upper bound of max_steps

  std::array<GridCell, kMaxSize * kMaxSize> cells{};  // row-major, row * kMaxSize + col
  int rows = 0;              // number of rows, 1 .. 32 (0: no map loaded)
  int cols = 0;              // number of columns, 1 .. 32
  int start_row = 0;         // the S cell
  int start_col = 0;         // the S cell
  int actions = 4;           // 4 or 8
  int max_steps = 50;        // time limit of an episode
  double goal_reward = 1.0;  // reward for entering G (terminal)
  double cell_reward = 1.0;  // reward for entering R
  double step_reward = 0.0;  // added to every step's reward

  // The cell at (row, col); off the grid counts as a wall.
  GridCell at(int row, int col) const {
    if (row < 0 || row >= rows || col < 0 || col >= cols) return GridCell::kWall;
    return cells[static_cast<std::size_t>(row * kMaxSize + col)];
  }

  // Parses map text (format in the header comment). origin names the text in error messages
  // (a file path, or something like "<inline map>"). Throws icrl::Error with origin:line:column.
  static GridMap parse(const std::string& text, const std::string& origin);

  // Reads and parses a map file; throws icrl::Error if it cannot be read or is malformed.
  static GridMap load(const std::string& path);

  // The map back as text in the same format (header with every key, then the rows).
  std::string to_text() const;
};

namespace detail {

// Character of a cell in the map format.
inline char grid_cell_char(GridCell c) {
  switch (c) {
    case GridCell::kFree: return '.';
    case GridCell::kWall: return '#';
    case GridCell::kStart: return 'S';
    case GridCell::kGoal: return 'G';
    case GridCell::kReward: return 'R';
    default: return 'X';
  }
}

// Throws the map error "origin:line:col: what" (line and column 1-based).
[[noreturn]] inline void grid_map_error(const std::string& origin, int line, int col,
                                        const std::string& what) {
  throw icrl::Error(origin + ":" + std::to_string(line) + ":" + std::to_string(col) +
                    ": grid map: " + what);
}

// Strips leading and trailing spaces, tabs and CR.
inline std::string grid_trim(const std::string& s, std::size_t* leading = nullptr) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  if (leading) *leading = b;
  return s.substr(b, e - b);
}

}  // namespace detail

inline GridMap GridMap::parse(const std::string& text, const std::string& origin) {
  using detail::grid_map_error;
  GridMap m;
  std::istringstream in(text);
  std::string raw;
  int line_no = 0;

  // ---- header ----
  bool seen[5] = {false, false, false, false, false};  // actions, max_steps, goal, cell, step
  const char* const keys[5] = {"actions", "max_steps", "goal_reward", "cell_reward",
                               "step_reward"};
  int map_line = 0;  // line of "map:"
  while (std::getline(in, raw)) {
    ++line_no;
    std::size_t lead = 0;
    const std::string line = detail::grid_trim(raw, &lead);
    if (line.empty() || line[0] == '#') continue;
    if (line == "map:") {
      map_line = line_no;
      break;
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos)
      grid_map_error(origin, line_no, static_cast<int>(lead) + 1,
                     "expected a header line `key = value` or the line `map:` before the grid, "
                     "found '" + line + "' (comments start with '#' on their own line)");
    const std::string key = detail::grid_trim(line.substr(0, eq));
    std::size_t value_lead = 0;
    const std::string value = detail::grid_trim(line.substr(eq + 1), &value_lead);
    const int value_col = static_cast<int>(lead + eq + 1 + value_lead) + 1;
    int k = 0;
    while (k < 5 && key != keys[k]) ++k;
    if (k == 5)
      grid_map_error(origin, line_no, static_cast<int>(lead) + 1,
                     "unknown header key '" + key +
                         "' (accepted: actions, max_steps, goal_reward, cell_reward, "
                         "step_reward)");
    if (seen[k])
      grid_map_error(origin, line_no, static_cast<int>(lead) + 1,
                     "header key '" + key + "' given twice; keep one");
    seen[k] = true;
    if (k <= 1) {  // integers
      bool digits = !value.empty() && value.size() <= 6;
      for (char c : value) digits = digits && c >= '0' && c <= '9';
      const int v = digits ? std::atoi(value.c_str()) : -1;
      if (k == 0 && v != 4 && v != 8)
        grid_map_error(origin, line_no, value_col,
                       "actions = '" + value + "' is not accepted; use 4 or 8");
      if (k == 1 && (v < 1 || v > kMaxStepsLimit))
        grid_map_error(origin, line_no, value_col,
                       "max_steps = '" + value + "' is not accepted; use an integer from 1 to " +
                           std::to_string(kMaxStepsLimit));
      (k == 0 ? m.actions : m.max_steps) = v;
    } else {  // reals
      char* end = nullptr;
      errno = 0;
      const double v = value.empty() ? 0.0 : std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || errno != 0 || !std::isfinite(v))
        grid_map_error(origin, line_no, value_col,
                       key + " = '" + value + "' is not a finite number; write e.g. " + key +
                           " = -0.01");
      (k == 2 ? m.goal_reward : k == 3 ? m.cell_reward : m.step_reward) = v;
    }
  }
  if (map_line == 0)
    grid_map_error(origin, line_no + 1, 1,
                   "no line `map:` found; put the grid rows after a line reading `map:`");

  // ---- rows ----
  int start_line = 0, start_col_1 = 0;  // where the S was found (for the "two starts" message)
  int blank_line = 0;                   // first blank line after the rows began
  bool any_target = false;              // a G or R cell exists
  while (std::getline(in, raw)) {
    ++line_no;
    std::string row = raw;
    while (!row.empty() && (row.back() == ' ' || row.back() == '\t' || row.back() == '\r'))
      row.pop_back();
    if (row.empty()) {  // blank lines before the first row are skipped, after it they end it
      if (blank_line == 0 && m.rows > 0) blank_line = line_no;
      continue;
    }
    if (blank_line != 0)
      grid_map_error(origin, blank_line, 1,
                     "blank line inside the grid; remove it (blank lines may only follow the "
                     "last row)");
    if (m.rows == kMaxSize)
      grid_map_error(origin, line_no, 1,
                     "the grid has more than " + std::to_string(kMaxSize) +
                         " rows; maps are at most 32 x 32 cells");
    const int len = static_cast<int>(row.size());
    if (len > kMaxSize)
      grid_map_error(origin, line_no, kMaxSize + 1,
                     "row of " + std::to_string(len) + " cells; maps are at most 32 x 32 cells");
    if (m.rows == 0) {
      m.cols = len;
    } else if (len != m.cols) {
      grid_map_error(origin, line_no, std::min(len, m.cols) + 1,
                     "row of " + std::to_string(len) + " cells, but the first row has " +
                         std::to_string(m.cols) + "; all rows need the same length (pad with "
                         "'#' or '.')");
    }
    for (int c = 0; c < len; ++c) {
      GridCell cell = GridCell::kFree;
      switch (row[static_cast<std::size_t>(c)]) {
        case '.': cell = GridCell::kFree; break;
        case '#': cell = GridCell::kWall; break;
        case 'S': cell = GridCell::kStart; break;
        case 'G': cell = GridCell::kGoal; break;
        case 'R': cell = GridCell::kReward; break;
        case 'X': cell = GridCell::kUnsafe; break;
        default: {
          const char ch = row[static_cast<std::size_t>(c)];
          const bool printable = ch >= 0x20 && ch < 0x7f;
          grid_map_error(origin, line_no, c + 1,
                         std::string("unknown map character ") +
                             (printable ? std::string("'") + ch + "'"
                                        : "code " + std::to_string(static_cast<int>(
                                                        static_cast<unsigned char>(ch)))) +
                             "; use # wall, . free, S start, G goal, R reward, X unsafe");
        }
      }
      if (cell == GridCell::kStart) {
        if (start_line != 0)
          grid_map_error(origin, line_no, c + 1,
                         "a second start 'S' (the first is at line " +
                             std::to_string(start_line) + ", column " +
                             std::to_string(start_col_1) + "); keep exactly one");
        start_line = line_no;
        start_col_1 = c + 1;
        m.start_row = m.rows;
        m.start_col = c;
      }
      if (cell == GridCell::kGoal || cell == GridCell::kReward) any_target = true;
      m.cells[static_cast<std::size_t>(m.rows * kMaxSize + c)] = cell;
    }
    ++m.rows;
  }
  if (m.rows == 0)
    grid_map_error(origin, map_line, 1, "no grid rows after `map:`; add the rows of the map");
  if (start_line == 0)
    grid_map_error(origin, map_line, 1, "the grid has no start cell; mark one cell 'S'");
  if (!any_target)
    grid_map_error(origin, map_line, 1,
                   "the grid has no goal 'G' or reward cell 'R'; add at least one");
  return m;
}

inline GridMap GridMap::load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw icrl::Error(path + ": cannot open the grid map file; check the path");
  std::ostringstream ss;
  ss << f.rdbuf();
  if (f.bad()) throw icrl::Error(path + ": reading the grid map file failed");
  return parse(ss.str(), path);
}

inline std::string GridMap::to_text() const {
  std::ostringstream out;
  out.precision(17);
  out << "actions = " << actions << "\nmax_steps = " << max_steps
      << "\ngoal_reward = " << goal_reward << "\ncell_reward = " << cell_reward
      << "\nstep_reward = " << step_reward << "\nmap:\n";
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) out << detail::grid_cell_char(at(r, c));
    out << '\n';
  }
  return out.str();
}

// The grid environment with A = 4 or 8 actions (header comment).
template <int A>
class GridWorld {
  static_assert(A == 4 || A == 8, "GridWorld: 4 or 8 actions");

 public:
  static constexpr const char* kName = A == 4 ? "grid" : "grid8";
  static constexpr int kObsDim = 2;  // [2 row / rows - 1, 2 col / cols - 1]
  static constexpr int kActDim = 1;  // one integer action
  static constexpr bool kDiscrete = true;
  static constexpr int kNumActions = A;  // N, E, S, W (, NE, SE, SW, NW)
  static constexpr int kMaxSteps = GridMap::kMaxStepsLimit;  // upper bound; the map truncates

  using Obs = Eigen::Matrix<double, kObsDim, 1>;
  using Action = int;

  // Row and column offsets of the actions N, E, S, W, NE, SE, SW, NW.
  static constexpr int kDRow[8] = {-1, 0, 1, 0, -1, 1, 1, -1};
  static constexpr int kDCol[8] = {0, 1, 0, -1, 1, 1, -1, -1};

  // Where one step goes from a cell, and what it pays: the whole transition model (step() and
  // the solver in grid_solver.hpp both use it).
  struct Transition {
    int row = 0;               // cell after the step
    int col = 0;               // cell after the step
    double reward = 0.0;       // reward of the step
    bool terminal = false;     // entered a goal
    bool unsafe = false;       // the cell after the step is X
  };

  // A world without a map: load or parse one (or assign a loaded world) before reset().
  GridWorld() = default;

  // The world of a parsed map; throws icrl::Error if the map's `actions` is not A.
  explicit GridWorld(const GridMap& map, const std::string& origin = "grid map") : map_(map) {
    if (map.actions != A)
      throw icrl::Error(origin + ": the map has actions = " + std::to_string(map.actions) +
                        " but " + kName + " takes " + std::to_string(A) + "; set `actions = " +
                        std::to_string(A) + "` in the map header or use the " +
                        (A == 4 ? "grid8" : "grid") + " environment");
    row_ = map.start_row;
    col_ = map.start_col;
  }

  // Reads a map file (GridMap::load) and checks its action count; throws icrl::Error.
  static GridWorld load(const std::string& path) { return GridWorld(GridMap::load(path), path); }

  // Parses map text (GridMap::parse; origin names it in errors) and checks its action count.
  static GridWorld parse(const std::string& text, const std::string& origin) {
    return GridWorld(GridMap::parse(text, origin), origin);
  }

  // The integer action range as a 1-vector: [0] and [A - 1].
  static Eigen::Matrix<double, kActDim, 1> action_low() {
    return Eigen::Matrix<double, kActDim, 1>::Constant(0.0);
  }
  static Eigen::Matrix<double, kActDim, 1> action_high() {
    return Eigen::Matrix<double, kActDim, 1>::Constant(static_cast<double>(A - 1));
  }

  // The step from (row, col) with action a (0 .. A-1) under the map's rules.
  Transition transition(int row, int col, int a) const {
    Transition t;
    const int r = row + kDRow[a];
    const int c = col + kDCol[a];
    const bool moves = map_.at(r, c) != GridCell::kWall;
    t.row = moves ? r : row;
    t.col = moves ? c : col;
    const GridCell cell = map_.at(t.row, t.col);
    t.reward = map_.step_reward;
    if (moves && cell == GridCell::kGoal) {
      t.reward += map_.goal_reward;
      t.terminal = true;
    }
    if (moves && cell == GridCell::kReward) t.reward += map_.cell_reward;
    t.unsafe = cell == GridCell::kUnsafe;
    return t;
  }

  // The observation of cell (row, col): [2 row / rows - 1, 2 col / cols - 1].
  Obs observe(int row, int col) const {
    return Obs(2.0 * static_cast<double>(row) / static_cast<double>(map_.rows) - 1.0,
               2.0 * static_cast<double>(col) / static_cast<double>(map_.cols) - 1.0);
  }

  // New episode on the start cell; the start is fixed, rng is not used.
  Obs reset(icrl::Rng& /*rng*/) {
    ICRL_ASSERT(map_.rows > 0);  // no map: construct from a GridMap or load() first
    row_ = map_.start_row;
    col_ = map_.start_col;
    steps_ = 0;
    done_ = false;
    return observation();
  }

  // One move (header comment); a in 0 .. A-1.
  StepResult<kObsDim> step(const Action& a) {
    ICRL_ASSERT(a >= 0 && a < A);
    ICRL_ASSERT(map_.rows > 0);
    ICRL_ASSERT(!done_);  // the episode ended: call reset() first
    const Transition t = transition(row_, col_, a);
    row_ = t.row;
    col_ = t.col;
    ++steps_;
    StepResult<kObsDim> r;
    r.obs = observation();
    r.reward = t.reward;
    r.cost = 0.0;
    r.terminated = t.terminal;
    r.truncated = steps_ >= map_.max_steps;
    done_ = r.terminated || r.truncated;
    return r;
  }

  // For tests and analysis: stand on the non-wall cell (row, col) with elapsed_steps steps of the
  // episode used.
  void set_state(int row, int col, int elapsed_steps = 0) {
    ICRL_ASSERT(map_.at(row, col) != GridCell::kWall);
    ICRL_ASSERT(elapsed_steps >= 0 && elapsed_steps < map_.max_steps);
    row_ = row;
    col_ = col;
    steps_ = elapsed_steps;
    done_ = false;
  }

  // Become a copy of world (its map, position and step count). Constrained<> forwards this,
  // which is how a constrained grid gets its map (see make_grid_constrained).
  void set_state(const GridWorld& world) { *this = world; }

  const GridMap& map() const { return map_; }       // the map being played
  int row() const { return row_; }                  // current row (0 at the top)
  int col() const { return col_; }                  // current column (0 at the left)
  int max_steps() const { return map_.max_steps; }  // the map's time limit
  int elapsed_steps() const { return steps_; }      // steps taken in the current episode
  bool done() const { return done_; }               // the current episode has ended
  bool on_unsafe() const { return map_.at(row_, col_) == GridCell::kUnsafe; }  // standing on X
  Obs observation() const { return observe(row_, col_); }  // of the current cell

  // Checkpoints (env.hpp): [row, col, steps, done]; the map is a constructor setting.
  static constexpr int kStateDim = 4;
  void save_state(double* s) const {
    s[0] = row_;
    s[1] = col_;
    s[2] = steps_;
    s[3] = done_ ? 1.0 : 0.0;
  }
  void load_state(const double* s) {
    const int row = restored_count(s[0], 0, std::max(0, map_.rows - 1), kName, "row");
    const int col = restored_count(s[1], 0, std::max(0, map_.cols - 1), kName, "col");
    const int steps = restored_count(s[2], 0, kMaxSteps, kName, "steps");
    const int done = restored_count(s[3], 0, 1, kName, "done");
    row_ = row;
    col_ = col;
    steps_ = steps;
    done_ = done != 0;
  }

 private:
  GridMap map_;         // the map and its settings (rows == 0: none loaded)
  int row_ = 0;         // current cell
  int col_ = 0;         // current cell
  int steps_ = 0;       // steps taken in this episode
  bool done_ = false;   // reached a goal or the time limit: step() needs a reset() first
};

using Grid = GridWorld<4>;   // "grid": N, E, S, W
using Grid8 = GridWorld<8>;  // "grid8": also the diagonals

// Settings of the constrained grid.
struct GridConstrainedConfig {
  // SPEC section 6 "true env": a step onto an X cell also terminates the episode and pays 0.
  // On by default, because the constrained grid is the ICRL true env; set it to false for the
  // nominal dynamics with the true cost signal only.
  bool terminate_on_violation = true;
};

// The constraint of the grid worlds (policy for Constrained, constrained.hpp): a step that ends
// on an X cell is a violation.
struct GridUnsafeCells {
  static constexpr const char* kName = "grid-constrained";
  using Config = GridConstrainedConfig;
  template <int A>
  static bool violated(const Config& /*config*/, const GridWorld<A>& after, int /*a*/,
                       const StepResult<2>& /*r*/) {
    return after.on_unsafe();
  }
};

// The same policy named for the 8-action grid.
struct Grid8UnsafeCells : GridUnsafeCells {
  static constexpr const char* kName = "grid8-constrained";
};

using GridConstrained = Constrained<Grid, GridUnsafeCells>;     // "grid-constrained"
using Grid8Constrained = Constrained<Grid8, Grid8UnsafeCells>;  // "grid8-constrained"

// The constrained variant of a loaded world (Constrained default-constructs its env; this copies
// world, map included, into it).
template <int A>
Constrained<GridWorld<A>, std::conditional_t<A == 4, GridUnsafeCells, Grid8UnsafeCells>>
make_grid_constrained(const GridWorld<A>& world, const GridConstrainedConfig& config = {}) {
  Constrained<GridWorld<A>, std::conditional_t<A == 4, GridUnsafeCells, Grid8UnsafeCells>> env(
      config);
  env.set_state(world);
  return env;
}

}  // namespace icrl::envs
