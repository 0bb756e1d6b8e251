// envs/navigation.hpp - Navigation: a generated family of analytic continuous ICRL tasks, a point
// robot that must reach a goal round forbidden regions, and its true (constrained) variant.
//
// The robot has PointCircle's kinematics (SPEC section 6, point_circle.hpp). The action a = [a0,
// a1] (speed, turn) is clipped to [-0.25, 0.25]^2, then
//
//     th' = th + a1
//     x'  = clip(x + cos(th') a0, -A, A),    y' = clip(y + sin(th') a0, -A, A)
//     d   = |(x, y) - g|,  d' = |(x', y') - g|              (g = the goal, A = arena half-size 12)
//     reward = (d - d') - 0.01 + (10 if d' <= R else 0)      (R = goal radius 1)
//
// so every step pays its progress toward the goal minus a step cost of 0.01, and the step that
// ends within R of the goal also pays a bonus of 10 and terminates the episode. Progress
// telescopes: an episode returns d_0 - d_end - 0.01 T (+ 10 if it reached the goal), so the
// shortest route is the best one (and with discounting it is preferred clearly, the bonus being
// discounted by gamma^T). Episodes are truncated after 200 steps. The speed range is
// PointCircle's [-0.25, 0.25] (same action box, so policies and constraints transfer between the
// two): the generator below puts start and goal 16 to 23.4 units apart (64 to 94 steps at full
// speed straight) and keeps only tasks whose safe route is at most 35 units (140 steps), which
// leaves 60 steps of the 200 for turning. reset() puts the robot at the task's start (x, y,
// heading) plus U(-0.1, 0.1) on each, drawn from the Rng in that order. cos and sin are det_cos /
// det_sin (env.hpp), sqrt is IEEE correctly rounded, so a trajectory replays bit for bit on
// every machine, and so does the generator (+, -, *, /, sqrt, floor, ceil and comparisons only).
//
// Observation [x, y, cos th, sin th, g_x - x, g_y - y] (kObsDim 6): PointCircle's four entries
// (x at index 0, y at index 1, the heading as cosine and sine), then the vector to the goal, so
// one policy can serve every task of the family. The task itself (regions, goal) is a
// constructor / set_task() setting, not part of the episode state.
//
// A task (NavigationTask, plain fixed-size data) holds the start, the goal, the goal radius, the
// arena half-size and up to 4 forbidden regions (NavRegion), each
//     wall  the half-plane (p - E).d >= 0 cut to the band |(p - E) x d| <= w: a straight wall of
//           half-thickness w that ends at E and runs in direction d (unit) out past the arena
//           edge. This is the "half-plane cutting across the route, leaving a way round": a whole
//           half-plane cannot be the region the straight route crosses, because when start and
//           goal both lie outside a half-plane so does the segment between them (both convex)
//     box   the axis-aligned rectangle [x_min, x_max] x [y_min, y_max]
//     disc  the closed disc of radius r around a centre
// NavigationConstrained = Constrained<Navigation, NavigationForbidden> (constrained.hpp): a step
// whose post-step (x, y) lies in any region (boundary included) is a violation. Its config
// defaults to the SPEC true env (terminate_on_violation = true).
//
// Task k of family seed F (make_navigation_task) is drawn from Rng(F, kNavigationStream + k) by
// rejection. In a canonical frame the route runs along +u: start u ~ U(-10, -8), v ~ U(-6, 6),
// goal u ~ U(8, 10), v ~ U(-6, 6), start heading U(-0.5, 0.5) off +u. 1 to 3 regions (uniform):
// the first crosses the straight route at u ~ U(-4, 4) (a wall coming in from a random side with
// a tilt of up to 0.4 in slope, half-thickness U(0.3, 0.8), its end U(1.5, 5) past the route; a
// box of half-sizes U(0.5, 2) along and U(1.5, 4.5) across the route; or a disc of radius U(1.5,
// 3.5); box and disc centres U(-1, 1) off the route), the others lie anywhere with u ~ U(-6, 6),
// v ~ U(-10, 10). The whole task is then mirrored across the route at random and rotated by a
// multiple of 90 degrees, so the route runs left-right, right-left, bottom-up or top-down. A
// candidate is kept when (check_navigation_task)
//   (a) start and goal are clear of every region: the start by at least 1, the goal by the goal
//       radius + 0.5 (so the start noise and the goal disc stay outside too);
//   (b) the straight segment from start to goal enters a region at least 0.25 deep (so heading
//       straight for the goal violates, and the constrained optimum differs from the nominal);
//   (c) a way round exists: a shortest 8-connected path on 0.5-unit cells over the arena avoiding
//       cells whose centre is within 0.75 of a region (navigation_route; distances as
//       NavRegion::depth measures them, which near the corners of walls and boxes errs on the
//       safe side), shortened by cutting corners wherever the cut stays 0.6 clear of every region;
//   (d) that route is at most 35 units long (it fits in the time limit).
// Learned constraints are scored on navigation_probe_points (a grid over the whole arena, which
// is where the clipped position can be) against navigation_unsafe (region membership).
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "constrained.hpp"
#include "env.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"
#include "point_circle.hpp"

namespace icrl::envs {

// One forbidden region of a navigation task (header comment). Plain data; the meaning of the five
// numbers depends on the kind.
struct NavRegion {
  enum class Kind : int { kWall = 0, kBox = 1, kDisc = 2 };
  Kind kind = Kind::kDisc;
  double ax = 0.0;  // wall: end point E; box: x_min, y_min; disc: centre
  double ay = 0.0;
  double bx = 0.0;  // wall: unit direction d (from E out past the arena edge); box: x_max, y_max
  double by = 0.0;
  double r = 0.0;   // wall: half-thickness w; disc: radius; box: unused (0)

  static NavRegion wall(double ex, double ey, double dx, double dy, double half_width) {
    return NavRegion{Kind::kWall, ex, ey, dx, dy, half_width};
  }
  static NavRegion box(double x_min, double y_min, double x_max, double y_max) {
    return NavRegion{Kind::kBox, x_min, y_min, x_max, y_max, 0.0};
  }
  static NavRegion disc(double cx, double cy, double radius) {
    return NavRegion{Kind::kDisc, cx, cy, 0.0, 0.0, radius};
  }

  // Is (x, y) in the region (closed: the boundary is in)?
  bool contains(double x, double y) const {
    switch (kind) {
      case Kind::kWall: {
        const double px = x - ax, py = y - ay;
        const double along = px * bx + py * by;
        const double across = px * by - py * bx;
        return along >= 0.0 && std::fabs(across) <= r;
      }
      case Kind::kBox:
        return x >= ax && x <= bx && y >= ay && y <= by;
      default: {
        const double dx = x - ax, dy = y - ay;
        return dx * dx + dy * dy <= r * r;
      }
    }
  }

  // Signed depth of (x, y): inside (> 0) the distance to the boundary; outside (<= 0) minus a lower
  // bound of the distance to the region (exact for the disc, the largest violated edge distance
  // for wall and box). 1-Lipschitz, so depth <= -m means at least m clear.
  double depth(double x, double y) const {
    switch (kind) {
      case Kind::kWall: {
        const double px = x - ax, py = y - ay;
        const double along = px * bx + py * by;
        const double across = px * by - py * bx;
        return std::min(along, r - std::fabs(across));
      }
      case Kind::kBox:
        return std::min(std::min(x - ax, bx - x), std::min(y - ay, by - y));
      default: {
        const double dx = x - ax, dy = y - ay;
        return r - std::sqrt(dx * dx + dy * dy);
      }
    }
  }

  // "wall", "box" or "disc".
  const char* kind_name() const {
    switch (kind) {
      case Kind::kWall: return "wall";
      case Kind::kBox: return "box";
      default: return "disc";
    }
  }

  // One line, e.g. "disc centre (1.20, -3.40) radius 2.10".
  std::string describe() const {
    char buf[160];
    switch (kind) {
      case Kind::kWall:
        std::snprintf(buf, sizeof buf, "wall from (%.2f, %.2f) towards (%.3f, %.3f), half-thickness %.2f", ax, ay,
                      bx, by, r);
        break;
      case Kind::kBox:
        std::snprintf(buf, sizeof buf, "box [%.2f, %.2f] x [%.2f, %.2f]", ax, bx, ay, by);
        break;
      default:
        std::snprintf(buf, sizeof buf, "disc centre (%.2f, %.2f) radius %.2f", ax, ay, r);
        break;
    }
    return buf;
  }
};

// One navigation task: plain fixed-size data (no heap), copied into the env. The default is a
// hand-made task: start (-9, 0) heading east, goal (9, 0), a wall up from beyond the bottom edge to
// y = 4 across x in [-0.5, 0.5] (the way round is above it).
struct NavigationTask {
  static constexpr int kMaxRegions = 4;

  std::uint64_t family_seed = 0;  // F of make_navigation_task (0 for hand-made tasks)
  int index = -1;                 // k of make_navigation_task (-1 for hand-made tasks)
  double start_x = -9.0;          // start position and heading (reset() adds U(-0.1, 0.1) to each)
  double start_y = 0.0;
  double start_heading = 0.0;     // [rad]
  double goal_x = 9.0;            // goal centre
  double goal_y = 0.0;
  double goal_radius = 1.0;       // the goal is reached when the distance to its centre is <= this
  double arena = 12.0;            // half-size A: x and y are clipped to [-A, A]
  int num_regions = 1;            // regions[0 .. num_regions) are in use, 0 .. kMaxRegions
  std::array<NavRegion, kMaxRegions> regions{{NavRegion::wall(0.0, 4.0, 0.0, -1.0, 0.5)}};

  // Is (x, y) in any region?
  bool forbidden(double x, double y) const {
    for (int i = 0; i < num_regions; ++i)
      if (regions[static_cast<std::size_t>(i)].contains(x, y)) return true;
    return false;
  }

  // The largest depth of (x, y) over the regions (NavRegion::depth; -infinity-like -1e300 with none).
  double depth(double x, double y) const {
    double d = -1e300;
    for (int i = 0; i < num_regions; ++i) d = std::max(d, regions[static_cast<std::size_t>(i)].depth(x, y));
    return d;
  }

  // Throws icrl::Error unless the numbers can be a task (counts in range, finite values, positive
  // radius and arena, start and goal inside the arena, unit wall directions).
  void check() const {
    auto fail = [&](const std::string& what) {
      throw icrl::Error("navigation task " + name() + ": " + what);
    };
    if (num_regions < 0 || num_regions > kMaxRegions)
      fail("num_regions = " + std::to_string(num_regions) + " is not in [0, " + std::to_string(kMaxRegions) + "]");
    const double v[] = {start_x, start_y, start_heading, goal_x, goal_y, goal_radius, arena};
    for (const double x : v)
      if (!std::isfinite(x)) fail("a start, goal or size value is not finite");
    if (!(goal_radius > 0.0)) fail("goal_radius = " + std::to_string(goal_radius) + " must be > 0");
    if (!(arena > 0.0)) fail("arena = " + std::to_string(arena) + " must be > 0");
    if (std::fabs(start_x) > arena || std::fabs(start_y) > arena || std::fabs(goal_x) > arena ||
        std::fabs(goal_y) > arena)
      fail("start and goal must lie in the arena [-" + std::to_string(arena) + ", " + std::to_string(arena) + "]^2");
    for (int i = 0; i < num_regions; ++i) {
      const NavRegion& g = regions[static_cast<std::size_t>(i)];
      const std::string which = "region " + std::to_string(i) + " (" + g.kind_name() + ")";
      const double p[] = {g.ax, g.ay, g.bx, g.by, g.r};
      for (const double x : p)
        if (!std::isfinite(x)) fail(which + " has a non-finite parameter");
      if (g.kind == NavRegion::Kind::kWall &&
          (!(g.r > 0.0) || std::fabs(g.bx * g.bx + g.by * g.by - 1.0) > 1e-9))
        fail(which + " needs a unit direction and a positive half-thickness");
      if (g.kind == NavRegion::Kind::kBox && !(g.ax <= g.bx && g.ay <= g.by))
        fail(which + " needs x_min <= x_max and y_min <= y_max");
      if (g.kind == NavRegion::Kind::kDisc && !(g.r > 0.0)) fail(which + " needs a positive radius");
      if (g.kind != NavRegion::Kind::kWall && g.kind != NavRegion::Kind::kBox && g.kind != NavRegion::Kind::kDisc)
        fail(which + " has an unknown kind");
    }
  }

  // "navigation-F-k" for generated tasks, "navigation-custom" otherwise.
  std::string name() const {
    if (index < 0) return "navigation-custom";
    return "navigation-" + std::to_string(family_seed) + "-" + std::to_string(index);
  }

  // A few lines: name, start, goal, arena and every region.
  std::string describe() const {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  ": start (%.2f, %.2f) heading %.2f, goal (%.2f, %.2f) radius %.2f, arena +-%.1f, %d region%s",
                  start_x, start_y, start_heading, goal_x, goal_y, goal_radius, arena, num_regions,
                  num_regions == 1 ? "" : "s");
    std::string s = name() + buf;
    for (int i = 0; i < num_regions && i < kMaxRegions; ++i)
      s += "\n  " + regions[static_cast<std::size_t>(i)].describe();
    return s;
  }
};

class Navigation : public PointBodyEnv<200> {
 public:
  static constexpr const char* kName = "navigation";
  static constexpr int kObsDim = 6;  // [x, y, cos th, sin th, g_x - x, g_y - y]
  static constexpr int kActDim = 2;  // [speed a0, turn a1]
  static constexpr bool kDiscrete = false;
  static constexpr int kNumActions = 0;
  static constexpr int kMaxSteps = 200;  // time limit

  static constexpr double kMaxAction = PointBody::kMaxAction;    // |a0|, |a1| are clipped to this
  static constexpr double kStartNoise = PointBody::kStartNoise;  // x, y, th = start + U(-0.1, 0.1) at reset
  static constexpr double kStepCost = 0.01;    // paid on every step
  static constexpr double kGoalBonus = 10.0;   // paid on the step that reaches the goal

  using Obs = Eigen::Matrix<double, kObsDim, 1>;
  using Action = Eigen::Matrix<double, kActDim, 1>;

  // The default task's robot stands at its start until reset().
  Navigation() : PointBodyEnv(PointBody{-9.0, 0.0, 0.0, 0, false}) {}
  // An env for `task` (checked: icrl::Error when it cannot be a task).
  explicit Navigation(const NavigationTask& task) : Navigation() {
    task.check();
    task_ = task;
  }

  // Replaces the task (checked); the current episode ends: call reset() next.
  void set_task(const NavigationTask& task) {
    task.check();
    task_ = task;
    body_.done = true;
  }
  const NavigationTask& task() const { return task_; }

  // The action box [-0.25, 0.25]^2 that step() clips to.
  static Action action_low() { return Action::Constant(-kMaxAction); }
  static Action action_high() { return Action::Constant(kMaxAction); }

  // New episode at the task's start: x, y, th = start + U(-0.1, 0.1), drawn in that order.
  Obs reset(icrl::Rng& rng) {
    body_.reset(rng, task_.start_x, task_.start_y, task_.start_heading);
    return observation();
  }

  // One step of the equations in the header comment.
  StepResult<kObsDim> step(const Action& a) {
    ICRL_ASSERT(!body_.done);  // the episode ended: call reset() first
    const double before = goal_distance(body_.x, body_.y);
    body_.move(a, task_.arena);
    const double after = goal_distance(body_.x, body_.y);
    const bool reached = after <= task_.goal_radius;

    StepResult<kObsDim> r;
    r.obs = observation();
    r.reward = (before - after) - kStepCost + (reached ? kGoalBonus : 0.0);
    r.cost = 0.0;
    r.terminated = reached;
    r.truncated = body_.steps >= kMaxSteps;
    body_.done = r.terminated || r.truncated;
    return r;
  }

  // Distance from (x, y) to the goal centre.
  double goal_distance(double x, double y) const {
    const double dx = task_.goal_x - x, dy = task_.goal_y - y;
    return std::sqrt(dx * dx + dy * dy);
  }

  // [x, y, cos th, sin th, g_x - x, g_y - y] of the current state.
  Obs observation() const { return observation_at(task_, body_.x, body_.y, body_.th); }
  // The observation of the robot at (x, y) with heading th in `task` (for probing learned
  // constraints at chosen points).
  static Obs observation_at(const NavigationTask& task, double x, double y, double th) {
    Obs o;
    o << x, y, det_cos(th), det_sin(th), task.goal_x - x, task.goal_y - y;
    return o;
  }

  // Checkpoints (env.hpp): [x, y, heading, steps, done]. The task is a constructor setting and
  // not part of the state: load into an env built with the same task.
  static constexpr int kStateDim = PointBody::kStateDim;
  void save_state(double* s) const { body_.save_state(s); }
  void load_state(const double* s) { body_.load_state(s, kMaxSteps, kName); }

 private:
  NavigationTask task_{};  // start, goal, arena and regions
};

// Settings of NavigationConstrained (the regions themselves belong to the task).
struct NavigationConstrainedConfig {
  // SPEC section 6 "true env": a violating step also terminates the episode and pays reward 0.
  // On by default; set it to false for the nominal dynamics with the true cost signal only
  // (PPO-Lagrangian expert training).
  bool terminate_on_violation = true;
  // A step also violates when it ends within this distance of a region (NavRegion::depth >
  // -keep_out, which near the corners of walls and boxes errs on the wide side). 0 = the regions
  // themselves. A margin > 0 trains a cautious expert: its demonstrations keep that clearance, so
  // they stay feasible when the map is discretised (navigation_grid.hpp).
  double keep_out = 0.0;
};

// The constraint of NavigationConstrained (policy for Constrained, constrained.hpp): the post-step
// position must lie outside every forbidden region of the env's task.
struct NavigationForbidden {
  static constexpr const char* kName = "navigation-constrained";
  using Config = NavigationConstrainedConfig;
  static bool violated(const Config& config, const Navigation& after, const Navigation::Action& /*a*/,
                       const StepResult<Navigation::kObsDim>& /*r*/) {
    if (config.keep_out > 0.0) return after.task().depth(after.x(), after.y()) > -config.keep_out;
    return after.task().forbidden(after.x(), after.y());
  }
};

// Navigation with cost 1 on steps ending in a forbidden region (and, by default, true-env
// termination). Build one for a task as NavigationConstrained(Navigation(task), config).
using NavigationConstrained = Constrained<Navigation, NavigationForbidden>;

// ---- the generated family -----------------------------------------------------------------------

inline constexpr std::uint64_t kNavigationStream = 0x6e617600;  // Rng stream of task k: this + k

// The thresholds of the generator's acceptance test (header comment, (a) - (d)).
struct NavigationGeneratorLimits {
  static constexpr double kStartClearance = 1.0;   // (a) start at least this far from every region
  static constexpr double kGoalMargin = 0.5;       // (a) goal at least goal_radius + this far
  static constexpr double kCrossDepth = 0.25;      // (b) the straight route enters a region this deep
  static constexpr double kCell = 0.5;             // (c) route grid cell size
  static constexpr double kCellClearance = 0.75;   // (c) cells whose centre is nearer a region are blocked
  static constexpr double kCutClearance = 0.6;     // (c) corner cuts keep at least this clear
  static constexpr double kRouteBudget = 35.0;     // (d) longest accepted route
  static constexpr double kSample = 0.05;          // spacing of the points checked along a segment
};

namespace detail {

// The smallest depth-clearance along the segment p -> q, sampled at most `step` apart: the
// largest region depth met (<= -m: every sample at least m clear).
inline double nav_segment_depth(const NavigationTask& t, double px, double py, double qx, double qy, double step) {
  const double dx = qx - px, dy = qy - py;
  const double len = std::sqrt(dx * dx + dy * dy);
  const int n = static_cast<int>(std::ceil(len / step));
  double worst = t.depth(px, py);
  for (int i = 1; i <= n; ++i) {
    const double s = static_cast<double>(i) / static_cast<double>(n);
    worst = std::max(worst, t.depth(px + s * dx, py + s * dy));
  }
  return worst;
}

}  // namespace detail

// A safe route from the task's start to its goal, as waypoints (first the start, last the goal
// centre): the shortest 8-connected path on kCell cells over the arena that avoids cells whose
// centre is within kCellClearance of a region (orthogonal moves cost 5, diagonal 7, no cutting
// of a blocked corner; ties broken by cell index, so the result is the same everywhere), then
// shortened greedily: from each waypoint on, the farthest later one whose straight connection
// stays kCutClearance clear. Empty when no route exists. Header comment, item (c).
inline std::vector<std::pair<double, double>> navigation_route(const NavigationTask& t) {
  using L = NavigationGeneratorLimits;
  std::vector<std::pair<double, double>> route;
  const int n = static_cast<int>(std::floor(2.0 * t.arena / L::kCell));
  if (n < 1) return route;
  auto centre = [&](int i) { return -t.arena + (static_cast<double>(i) + 0.5) * L::kCell; };
  auto cell_of = [&](double v) { return std::clamp(static_cast<int>(std::floor((v + t.arena) / L::kCell)), 0, n - 1); };
  std::vector<char> blocked(static_cast<std::size_t>(n * n));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      blocked[static_cast<std::size_t>(i * n + j)] = t.depth(centre(i), centre(j)) > -L::kCellClearance ? 1 : 0;
  const int src = cell_of(t.start_x) * n + cell_of(t.start_y);
  const int dst = cell_of(t.goal_x) * n + cell_of(t.goal_y);
  if (blocked[static_cast<std::size_t>(src)] || blocked[static_cast<std::size_t>(dst)]) return route;
  // Dijkstra with integer costs.
  std::vector<int> dist(static_cast<std::size_t>(n * n), -1), parent(static_cast<std::size_t>(n * n), -1);
  std::priority_queue<std::pair<int, int>, std::vector<std::pair<int, int>>, std::greater<std::pair<int, int>>> open;
  dist[static_cast<std::size_t>(src)] = 0;
  open.push({0, src});
  auto free_cell = [&](int i, int j) {
    return i >= 0 && i < n && j >= 0 && j < n && !blocked[static_cast<std::size_t>(i * n + j)];
  };
  while (!open.empty()) {
    const auto [d, c] = open.top();
    open.pop();
    if (d != dist[static_cast<std::size_t>(c)]) continue;
    if (c == dst) break;
    const int ci = c / n, cj = c % n;
    for (int di = -1; di <= 1; ++di)
      for (int dj = -1; dj <= 1; ++dj) {
        if (di == 0 && dj == 0) continue;
        const int i = ci + di, j = cj + dj;
        if (!free_cell(i, j)) continue;
        if (di != 0 && dj != 0 && (!free_cell(ci + di, cj) || !free_cell(ci, cj + dj))) continue;
        const int nd = d + ((di != 0 && dj != 0) ? 7 : 5);
        const std::size_t k = static_cast<std::size_t>(i * n + j);
        if (dist[k] < 0 || nd < dist[k]) {
          dist[k] = nd;
          parent[k] = c;
          open.push({nd, i * n + j});
        }
      }
  }
  if (dist[static_cast<std::size_t>(dst)] < 0) return route;
  // Cell path, then start + cell centres + goal.
  std::vector<int> cells;
  for (int c = dst; c >= 0; c = parent[static_cast<std::size_t>(c)]) cells.push_back(c);
  std::vector<std::pair<double, double>> pts;
  pts.emplace_back(t.start_x, t.start_y);
  for (auto it = cells.rbegin(); it != cells.rend(); ++it) pts.emplace_back(centre(*it / n), centre(*it % n));
  pts.emplace_back(t.goal_x, t.goal_y);
  // Corner cutting.
  const std::size_t last = pts.size() - 1;
  std::size_t anchor = 0;
  route.push_back(pts[0]);
  while (anchor < last) {
    std::size_t j = anchor + 1;
    while (j + 1 <= last && detail::nav_segment_depth(t, pts[anchor].first, pts[anchor].second, pts[j + 1].first,
                                                      pts[j + 1].second, L::kSample) <= -L::kCutClearance)
      ++j;
    route.push_back(pts[j]);
    anchor = j;
  }
  return route;
}

// Length of a polyline.
inline double navigation_route_length(const std::vector<std::pair<double, double>>& route) {
  double len = 0.0;
  for (std::size_t i = 1; i < route.size(); ++i) {
    const double dx = route[i].first - route[i - 1].first, dy = route[i].second - route[i - 1].second;
    len += std::sqrt(dx * dx + dy * dy);
  }
  return len;
}

// The generator's acceptance test (header comment, (a) - (d)) of a task.
struct NavigationTaskCheck {
  bool ends_clear = false;    // (a) start and goal clear of every region
  bool route_blocked = false; // (b) the straight segment enters a region kCrossDepth deep
  bool way_round = false;     // (c) navigation_route found a route
  bool route_fits = false;    // (d) and it is at most kRouteBudget long
  double route_length = 0.0;  // length of that route (0 without one)
  bool ok() const { return ends_clear && route_blocked && way_round && route_fits; }
};

// Stops early: without (a) or (b) the route is not searched (way_round and route_fits stay false).
inline NavigationTaskCheck check_navigation_task(const NavigationTask& t) {
  using L = NavigationGeneratorLimits;
  NavigationTaskCheck c;
  c.ends_clear = t.depth(t.start_x, t.start_y) <= -L::kStartClearance &&
                 t.depth(t.goal_x, t.goal_y) <= -(t.goal_radius + L::kGoalMargin);
  c.route_blocked =
      detail::nav_segment_depth(t, t.start_x, t.start_y, t.goal_x, t.goal_y, L::kSample) >= L::kCrossDepth;
  if (!c.ends_clear || !c.route_blocked) return c;
  const auto route = navigation_route(t);
  c.way_round = !route.empty();
  c.route_length = navigation_route_length(route);
  c.route_fits = c.way_round && c.route_length <= L::kRouteBudget;
  return c;
}

namespace detail {

// The canonical-frame -> arena map: mirror v (optional), then rotate by rot * 90 degrees.
struct NavFrame {
  int rot = 0;
  bool mirror = false;
  void map(double u, double v, double& x, double& y) const {
    if (mirror) v = -v;
    switch (rot) {
      case 0: x = u; y = v; break;
      case 1: x = -v; y = u; break;
      case 2: x = -u; y = -v; break;
      default: x = v; y = -u; break;
    }
  }
};

// A region of `kind` (0 wall, 1 box, 2 disc) through the canonical point (cu, cv), mapped to the
// arena. Header comment: the sizes. Every draw is its own statement (argument evaluation order is
// unspecified in C++).
inline NavRegion nav_candidate_region(Rng& rng, int kind, double cu, double cv, const NavFrame& f) {
  NavRegion g;
  if (kind == 0) {
    const double side = rng.uniform_int(2) == 0 ? -1.0 : 1.0;
    const double tilt = rng.uniform(-0.4, 0.4);
    const double past = rng.uniform(1.5, 5.0);
    const double w = rng.uniform(0.3, 0.8);
    const double norm = std::sqrt(tilt * tilt + 1.0);
    const double du = tilt / norm, dv = side / norm;
    g.kind = NavRegion::Kind::kWall;
    f.map(cu - past * du, cv - past * dv, g.ax, g.ay);
    f.map(du, dv, g.bx, g.by);
    g.r = w;
  } else if (kind == 1) {
    const double off = rng.uniform(-1.0, 1.0);
    const double hu = rng.uniform(0.5, 2.0);
    const double hv = rng.uniform(1.5, 4.5);
    double x0, y0, x1, y1;
    f.map(cu - hu, cv + off - hv, x0, y0);
    f.map(cu + hu, cv + off + hv, x1, y1);
    g = NavRegion::box(std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1));
  } else {
    const double off = rng.uniform(-1.0, 1.0);
    const double radius = rng.uniform(1.5, 3.5);
    g.kind = NavRegion::Kind::kDisc;
    f.map(cu, cv + off, g.ax, g.ay);
    g.r = radius;
  }
  return g;
}

}  // namespace detail

// Task k of the family with seed `family_seed` (header comment). Deterministic on every machine.
// Throws icrl::Error if max_attempts candidates all fail the acceptance test.
inline NavigationTask make_navigation_task(std::uint64_t family_seed, int k, int max_attempts = 10000) {
  constexpr double kHalfPi = 1.57079632679489661923;
  constexpr double kPi = 3.14159265358979323846;
  const double base_heading[4] = {0.0, kHalfPi, kPi, -kHalfPi};
  Rng rng(family_seed, kNavigationStream + static_cast<std::uint64_t>(k));
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    NavigationTask t;
    t.family_seed = family_seed;
    t.index = k;
    t.goal_radius = 1.0;
    t.arena = 12.0;
    const double su = rng.uniform(-10.0, -8.0);
    const double sv = rng.uniform(-6.0, 6.0);
    const double gu = rng.uniform(8.0, 10.0);
    const double gv = rng.uniform(-6.0, 6.0);
    const double heading = rng.uniform(-0.5, 0.5);
    detail::NavFrame f;
    f.rot = static_cast<int>(rng.uniform_int(4));
    f.mirror = rng.uniform_int(2) == 1;
    t.num_regions = 1 + static_cast<int>(rng.uniform_int(3));
    t.regions = {};
    for (int i = 0; i < t.num_regions; ++i) {
      const int kind = static_cast<int>(rng.uniform_int(3));
      double cu, cv;
      if (i == 0) {  // across the straight route
        cu = rng.uniform(-4.0, 4.0);
        cv = sv + (gv - sv) * (cu - su) / (gu - su);
      } else {
        cu = rng.uniform(-6.0, 6.0);
        cv = rng.uniform(-10.0, 10.0);
      }
      t.regions[static_cast<std::size_t>(i)] = detail::nav_candidate_region(rng, kind, cu, cv, f);
    }
    f.map(su, sv, t.start_x, t.start_y);
    f.map(gu, gv, t.goal_x, t.goal_y);
    t.start_heading = base_heading[f.rot] + (f.mirror ? -heading : heading);
    if (!check_navigation_task(t).ok()) continue;
    t.check();
    return t;
  }
  throw icrl::Error("navigation family " + std::to_string(family_seed) + ": task " + std::to_string(k) +
                    " found no task in " + std::to_string(max_attempts) + " attempts");
}

// ---- scoring a learned constraint ---------------------------------------------------------------

// Is (x, y) forbidden in `task` (in any of its regions)? The ground truth a learned constraint's
// "cost > 0.5" is scored against.
inline bool navigation_unsafe(const NavigationTask& task, double x, double y) { return task.forbidden(x, y); }

// The probe points for scoring: the centres of a grid of `spacing` cells over the whole arena
// [-A, A]^2 (every position the clipped dynamics can reach, inside and outside the regions),
// row by row in x then y: (-A + (i + 1/2) spacing, -A + (j + 1/2) spacing) for
// i, j = 0 .. floor(2 A / spacing) - 1.
inline std::vector<std::pair<double, double>> navigation_probe_points(const NavigationTask& task, double spacing) {
  if (!(spacing > 0.0)) throw icrl::Error("navigation_probe_points: spacing must be > 0");
  const int n = static_cast<int>(std::floor(2.0 * task.arena / spacing));
  std::vector<std::pair<double, double>> pts;
  pts.reserve(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      pts.emplace_back(-task.arena + (static_cast<double>(i) + 0.5) * spacing,
                       -task.arena + (static_cast<double>(j) + 0.5) * spacing);
  return pts;
}

}  // namespace icrl::envs
