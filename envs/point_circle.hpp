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

// The point robot of PointCircle and Navigation (navigation.hpp): position (x, y), heading th and
// the episode's step count. One move clips the action (speed a0, turn a1) to [-0.25, 0.25]^2,
// turns, and goes along the new heading, the position clipped to [-limit, limit]^2 (the
// equations in the header comment). Plain data: copies are cheap and nothing allocates.
struct PointBody {
  static constexpr double kMaxAction = 0.25;  // |a0|, |a1| are clipped to this
  static constexpr double kStartNoise = 0.1;  // x, y, th = start + U(-0.1, 0.1) at reset
  double x = 0.0;      // position x
  double y = 0.0;      // position y
  double th = 0.0;     // heading [rad], not wrapped
  int steps = 0;       // steps taken in this episode
  bool done = false;   // the episode ended: the env needs a reset() first

  // A new episode at (x0, y0, th0) + U(-0.1, 0.1) each, drawn from rng in the order x, y, th.
  void reset(icrl::Rng& rng, double x0, double y0, double th0) {
    x = x0 + rng.uniform(-kStartNoise, kStartNoise);
    y = y0 + rng.uniform(-kStartNoise, kStartNoise);
    th = th0 + rng.uniform(-kStartNoise, kStartNoise);
    steps = 0;
    done = false;
  }
  // One move; returns the displacement actually made (after the position clip).
  Eigen::Vector2d move(const Eigen::Vector2d& a, double limit) {
    const double speed = std::clamp(a(0), -kMaxAction, kMaxAction);
    const double turn = std::clamp(a(1), -kMaxAction, kMaxAction);
    th = th + turn;
    const double x_new = std::clamp(x + det_cos(th) * speed, -limit, limit);
    const double y_new = std::clamp(y + det_sin(th) * speed, -limit, limit);
    const Eigen::Vector2d d(x_new - x, y_new - y);
    x = x_new;
    y = y_new;
    ++steps;
    return d;
  }
  // Stand at (x, y) with heading th, elapsed_steps steps of the episode used.
  void set(double x_, double y_, double th_, int elapsed_steps) {
    x = x_;
    y = y_;
    th = th_;
    steps = elapsed_steps;
    done = false;
  }

  // Checkpoints (env.hpp): [x, y, heading, steps, done].
  static constexpr int kStateDim = 5;
  void save_state(double* s) const {
    s[0] = x;
    s[1] = y;
    s[2] = th;
    s[3] = steps;
    s[4] = done ? 1.0 : 0.0;
  }
  void load_state(const double* s, int max_steps, const char* env_name) {
    const int n = restored_count(s[3], 0, max_steps, env_name, "steps");
    const int d = restored_count(s[4], 0, 1, env_name, "done");
    x = s[0];
    y = s[1];
    th = s[2];
    steps = n;
    done = d != 0;
  }
};

// What PointCircle and Navigation share beyond the dynamics: their PointBody and its accessors.
// MaxSteps is the env's time limit.
template <int MaxSteps>
class PointBodyEnv {
 public:
  // For tests and analysis: put the point at (x, y) with heading th, elapsed_steps steps of the
  // current episode already used.
  void set_state(double x, double y, double th, int elapsed_steps = 0) {
    ICRL_ASSERT(elapsed_steps >= 0 && elapsed_steps < MaxSteps);
    body_.set(x, y, th, elapsed_steps);
  }

  // Demonstration starts (env.hpp): both point envs' observations begin [x, y, cos th, sin th],
  // so an observation fixes the state; the heading is atan2(sin th, cos th), which libm computes
  // to within an ulp but not bit-identically on every machine. False for a non-finite
  // observation or a step count outside [0, MaxSteps).
  template <class ObsT>
  static bool state_of_observation(const ObsT& obs, int elapsed_steps, double* s) {
    if (!obs.allFinite() || elapsed_steps < 0 || elapsed_steps >= MaxSteps) return false;
    PointBody b;
    b.set(obs(0), obs(1), std::atan2(obs(3), obs(2)), elapsed_steps);
    b.save_state(s);
    return true;
  }

  double x() const { return body_.x; }               // position, first coordinate
  double y() const { return body_.y; }               // position, second coordinate
  double theta() const { return body_.th; }          // heading [rad], not wrapped
  int elapsed_steps() const { return body_.steps; }  // steps taken in the current episode
  bool done() const { return body_.done; }           // the current episode has ended

 protected:
  explicit PointBodyEnv(const PointBody& body = PointBody()) : body_(body) {}
  PointBody body_;  // position, heading, steps; done: step() needs a reset() first
};

class PointCircle : public PointBodyEnv<150> {
 public:
  static constexpr const char* kName = "point-circle";
  static constexpr int kObsDim = 4;  // [x, y, cos th, sin th]
  static constexpr int kActDim = 2;  // [speed a0, turn a1]
  static constexpr bool kDiscrete = false;
  static constexpr int kNumActions = 0;
  static constexpr int kMaxSteps = 150;  // SPEC time limit

  static constexpr double kMaxAction = PointBody::kMaxAction;  // |a0|, |a1| are clipped to this
  static constexpr double kPositionLimit = 40;  // |x|, |y| are clipped to this
  static constexpr double kRadius = 10.0;       // the rewarded circle
  static constexpr double kStartNoise = PointBody::kStartNoise;  // x, y, th ~ U(-0.1, 0.1) at reset

  using Obs = Eigen::Matrix<double, kObsDim, 1>;
  using Action = Eigen::Matrix<double, kActDim, 1>;

  // The action box [-0.25, 0.25]^2 that step() clips to.
  static Action action_low() { return Action::Constant(-kMaxAction); }
  static Action action_high() { return Action::Constant(kMaxAction); }

  // New episode: x, y, th ~ U(-0.1, 0.1), drawn from rng in that order.
  Obs reset(icrl::Rng& rng) {
    body_.reset(rng, 0.0, 0.0, 0.0);
    return observation();
  }

  // One step of the equations in the header comment.
  StepResult<kObsDim> step(const Action& a) {
    ICRL_ASSERT(!body_.done);  // the episode was truncated: call reset() first
    const Eigen::Vector2d d = body_.move(a, kPositionLimit);

    StepResult<kObsDim> r;
    r.obs = observation();
    r.reward = reward(body_.x, body_.y, d(0), d(1));
    r.cost = 0.0;
    r.terminated = false;
    r.truncated = body_.steps >= kMaxSteps;
    body_.done = r.truncated;
    return r;
  }

  // The reward of a displacement (dx, dy) that ended at (x, y): (y dx - x dy) / (1 + |r - 10|).
  static double reward(double x, double y, double dx, double dy) {
    const double radius = std::sqrt(x * x + y * y);
    return (y * dx - x * dy) / (1.0 + std::fabs(radius - kRadius));
  }

  // [x, y, cos th, sin th] of the current state.
  Obs observation() const { return Obs(body_.x, body_.y, det_cos(body_.th), det_sin(body_.th)); }

  // Checkpoints (env.hpp): [x, y, heading, steps, done].
  static constexpr int kStateDim = PointBody::kStateDim;
  void save_state(double* s) const { body_.save_state(s); }
  void load_state(const double* s) { body_.load_state(s, kMaxSteps, kName); }
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
