// envs/point_circle.hpp - the analytic PointCircle of the ICRL transfer experiment, and its true
// (constrained) variant.
//
// SPEC section 6. A point in the plane at (x, y) with heading th. The action a = [a0, a1]
// (speed, turn) is clipped to [-0.25, 0.25]^2, then
//
//     th' = th + a1
//     x'  = clip(x + cos(th') a0, -40, 40),    y' = clip(y + sin(th') a0, -40, 40)
//     dx  = x' - x,  dy = y' - y               (the displacement actually made)
//     reward = (y' dx - x' dy) / (1 + |sqrt(x'^2 + y'^2) - 10|)
//
// so the reward is the clockwise sweep r^2 dphi of the step (y dx - x dy = -r^2 dphi), damped
// away from the circle of radius 10: moving clockwise along that circle at full speed earns
// 10 * 0.25 = 2.5 per step, moving radially earns nothing, counter-clockwise is penalised.
// Episodes start at x, y, th ~ U(-0.1, 0.1) (drawn from the Rng in that order), never terminate,
// and are truncated after 150 steps. cos and sin are det_cos / det_sin (env.hpp), sqrt is IEEE
// correctly rounded, so a trajectory replays bit for bit on every machine.
//
// Observation [x, y, cos th, sin th] (kObsDim 4). SPEC writes "[x, y, th, ...]"; the heading is
// given as its cosine and sine because a wrapped angle jumps at +-pi and an unwrapped one grows
// without bound (ζ clips raw observations at +-20). x is index 0 and y index 1, as the transfer
// experiment needs (SPEC section 7: a constraint learned on the ant's x, index 0, is applied here).
//
// PointCircleConstrained = Constrained<PointCircle, PointCircleLeftWall> (constrained.hpp): a step
// whose post-step x satisfies x <= -3 is a violation. Its config defaults to the SPEC true env
// (terminate_on_violation = true). Measured on this implementation with the scripted controllers
// of tests/test_envs_icrl.cpp (150 steps, full speed): heading straight out east from the start
// and then following the circle clockwise (the cheap path; an unconstrained optimiser starting
// east has no reason to turn first) earns 247.9 in the nominal env but is at x <= -3 on 31 of
// its steps, from about step 118 on the lower left; in the true env that episode ends there with
// about 170. Turning on the spot to heading 1.7 rad first, going out to the circle near
// (-1.3, 9.9) and then following it clockwise never reaches x <= -3 in 150 steps and earns about
// 231 (the SPEC's reference numbers, expert 150 and nominal 50, came from trained policies).
// Moving counter-clockwise costs reward, so shuttling back and forth on the safe side does not pay.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>

#include "constrained.hpp"
#include "env.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl::envs {

class PointCircle {
 public:
  static constexpr const char* kName = "point-circle";
  static constexpr int kObsDim = 4;  // [x, y, cos th, sin th]
  static constexpr int kActDim = 2;  // [speed a0, turn a1]
  static constexpr bool kDiscrete = false;
  static constexpr int kNumActions = 0;
  static constexpr int kMaxSteps = 150;  // SPEC time limit

  static constexpr double kMaxAction = 0.25;    // |a0|, |a1| are clipped to this
  static constexpr double kPositionLimit = 40;  // |x|, |y| are clipped to this
  static constexpr double kRadius = 10.0;       // the rewarded circle
  static constexpr double kStartNoise = 0.1;    // x, y, th ~ U(-0.1, 0.1) at reset

  using Obs = Eigen::Matrix<double, kObsDim, 1>;
  using Action = Eigen::Matrix<double, kActDim, 1>;

  // The action box [-0.25, 0.25]^2 that step() clips to.
  static Action action_low() { return Action::Constant(-kMaxAction); }
  static Action action_high() { return Action::Constant(kMaxAction); }

  // New episode: x, y, th ~ U(-0.1, 0.1), drawn from rng in that order.
  Obs reset(icrl::Rng& rng) {
    x_ = rng.uniform(-kStartNoise, kStartNoise);
    y_ = rng.uniform(-kStartNoise, kStartNoise);
    th_ = rng.uniform(-kStartNoise, kStartNoise);
    steps_ = 0;
    done_ = false;
    return observation();
  }

  // One step of the equations in the header comment.
  StepResult<kObsDim> step(const Action& a) {
    ICRL_ASSERT(!done_);  // the episode was truncated: call reset() first
    const double speed = std::clamp(a(0), -kMaxAction, kMaxAction);
    const double turn = std::clamp(a(1), -kMaxAction, kMaxAction);
    th_ = th_ + turn;
    const double x_new = std::clamp(x_ + det_cos(th_) * speed, -kPositionLimit, kPositionLimit);
    const double y_new = std::clamp(y_ + det_sin(th_) * speed, -kPositionLimit, kPositionLimit);
    const double dx = x_new - x_;
    const double dy = y_new - y_;
    x_ = x_new;
    y_ = y_new;
    ++steps_;

    StepResult<kObsDim> r;
    r.obs = observation();
    r.reward = reward(x_, y_, dx, dy);
    r.cost = 0.0;
    r.terminated = false;
    r.truncated = steps_ >= kMaxSteps;
    done_ = r.truncated;
    return r;
  }

  // The reward of a displacement (dx, dy) that ended at (x, y): (y dx - x dy) / (1 + |r - 10|).
  static double reward(double x, double y, double dx, double dy) {
    const double radius = std::sqrt(x * x + y * y);
    return (y * dx - x * dy) / (1.0 + std::fabs(radius - kRadius));
  }

  // For tests and analysis: put the point at (x, y) with heading th, elapsed_steps steps of the
  // current episode already used.
  void set_state(double x, double y, double th, int elapsed_steps = 0) {
    ICRL_ASSERT(elapsed_steps >= 0 && elapsed_steps < kMaxSteps);
    x_ = x;
    y_ = y;
    th_ = th;
    steps_ = elapsed_steps;
    done_ = false;
  }

  double x() const { return x_; }               // position, first coordinate
  double y() const { return y_; }               // position, second coordinate
  double theta() const { return th_; }          // heading [rad], not wrapped
  int elapsed_steps() const { return steps_; }  // steps taken in the current episode
  bool done() const { return done_; }           // the current episode has ended

  // [x, y, cos th, sin th] of the current state.
  Obs observation() const { return Obs(x_, y_, det_cos(th_), det_sin(th_)); }

  // Checkpoints (env.hpp): [x, y, heading, steps, done].
  static constexpr int kStateDim = 5;
  void save_state(double* s) const {
    s[0] = x_;
    s[1] = y_;
    s[2] = th_;
    s[3] = steps_;
    s[4] = done_ ? 1.0 : 0.0;
  }
  void load_state(const double* s) {
    const int steps = restored_count(s[3], 0, kMaxSteps, kName, "steps");
    const int done = restored_count(s[4], 0, 1, kName, "done");
    x_ = s[0];
    y_ = s[1];
    th_ = s[2];
    steps_ = steps;
    done_ = done != 0;
  }

 private:
  double x_ = 0.0;      // position x
  double y_ = 0.0;      // position y
  double th_ = 0.0;     // heading [rad]
  int steps_ = 0;       // steps taken in this episode
  bool done_ = false;   // truncated: step() needs a reset() first
};

// Settings of PointCircleConstrained.
struct PointCircleConstrainedConfig {
  // A step whose post-step x is at or below this is a violation (SPEC: x <= -3).
  double x_min = -3.0;
  // SPEC section 6 "true env": a violating step also terminates the episode and pays reward 0.
  // On by default, because the constrained point circle is the ICRL true env; set it to false
  // for the nominal dynamics with the true cost signal only (PPO-Lagrangian expert training).
  bool terminate_on_violation = true;
};

// The constraint of PointCircleConstrained (policy for Constrained, constrained.hpp): the post-step
// position must satisfy x > config.x_min.
struct PointCircleLeftWall {
  static constexpr const char* kName = "point-circle-constrained";
  using Config = PointCircleConstrainedConfig;
  static bool violated(const Config& config, const PointCircle& after,
                       const PointCircle::Action& /*a*/,
                       const StepResult<PointCircle::kObsDim>& /*r*/) {
    return after.x() <= config.x_min;
  }
};

// PointCircle with cost 1 on steps ending at x <= -3 (and, by default, true-env termination).
using PointCircleConstrained = Constrained<PointCircle, PointCircleLeftWall>;

}  // namespace icrl::envs
