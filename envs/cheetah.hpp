// envs/cheetah.hpp - Cheetah: a planar Box2D runner standing in for MuJoCo's HalfCheetah, and its
// constrained variant (x <= -3 forbidden).
//
// SPEC section 6: "torso with a back and a front leg of three links each (6 actuated
// joints, actions in [-1, 1]), flat ground; control step 0.05 s. Observation: positions (x first,
// then height, pitch, 6 joint angles) and their velocities. Reward |dx|/dt - 0.1 |a|^2 (running
// either way pays). 1000 steps. Constraint x <= -3."
//
// ---- Body (x forward, y up; every link a box, rest pose: legs hanging straight down) -------
//
//   torso       1.00 m x 0.10 m, 6.0 kg, hips at its two ends (x = -0.5 back, +0.5 front)
//   thigh       0.30 m x 0.08 m, 1.44 kg, armature 0.1 kg m^2       (hip joint)
//   shin        0.30 m x 0.08 m, 1.44 kg, armature 0.1 kg m^2       (knee joint)
//   foot        0.20 m x 0.08 m, 0.96 kg, armature 0.1 kg m^2       (ankle joint)
//   total 13.7 kg (MuJoCo's half-cheetah: 14 kg); friction 0.9 on links and ground; g = 9.81.
//
// The body is mirror-symmetric about the torso's vertical mid-line: the back leg is the mirror
// image of the front leg, with the same symmetric joint ranges and actuators. Mirroring the
// world (x -> -x) maps joint j of the back leg to joint j of the front leg with q -> -q and
// a -> -a, so every forward gait has a backward twin that earns the same reward - the SPEC's
// "running backward is as attractive as forward before the constraint".
//
// Actuators (box2d_adapter.hpp: tau = gear a - damping qd - stiffness q, applied every substep):
//
//   joint   range [rad]   gear [N m]   damping [N m s]   stiffness [N m / rad]
//   hip     [-1.0, 1.0]   120          6.0               240
//   knee    [-1.0, 1.0]    90          4.5               180
//   ankle   [-0.8, 0.8]    60          3.0               120
//
// (MuJoCo half-cheetah's back-leg values, the damping and stiffness that keep it standing.)
// Joints and actions are ordered back hip, back knee, back ankle, front hip, front knee, front
// ankle (MuJoCo's order).
//
// ---- Dynamics, reward, episode --------------------------------------------------------------
//
// One control step of dt = 0.05 s is kSubsteps Box2D steps of 0.01 s (MuJoCo: 5 x 0.01 s), with
// the action held. With x the torso centre's x before and x' after the step, a clipped to
// [-1, 1]^6:
//
//     reward = |x' - x| / dt - 0.1 |a|^2
//
// The episode never terminates (as HalfCheetah) and is truncated after 1000 steps (50 s).
//
// Observation [18]: x, y (torso centre height), pitch (torso angle, counter-clockwise, not
// wrapped), q[6]; then vx, vy, pitch rate, qd[6]. x is measured from the start (reset puts the
// torso at x = 0), so the constraint below is visible to the policy.
//
// Reset: torso at x = 0, height kSpawnHeight (feet 5 cm above the ground), level and at rest;
// joint angles q_j ~ U(-0.1, 0.1) for j = 0..5, then joint speeds qd_j ~ U(-0.1, 0.1), drawn from
// the Rng in that order. The robot drops onto the ground during the first step.
//
// CheetahConstrained = Constrained<Cheetah, CheetahBackwardLimit> (constrained.hpp): cost 1 on a
// step that ends with x <= -3 (the torso centre 3 m behind the start); by default that step also
// terminates the episode with reward 0 (the SPEC's "true env").
#pragma once

#include <Eigen/Core>

#include <cmath>

#include "box2d_adapter.hpp"
#include "constrained.hpp"
#include "env.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl::envs {

class Cheetah {
 public:
  static constexpr const char* kName = "cheetah";
  static constexpr int kNumJoints = 6;                  // actuated joints
  static constexpr int kNumLinks = 1 + kNumJoints;     // torso + one link per joint
  static constexpr int kObsDim = 6 + 2 * kNumJoints;    // x, y, pitch, q; vx, vy, pitch rate, qd
  static constexpr int kActDim = kNumJoints;            // one torque command per joint
  static constexpr bool kDiscrete = false;
  static constexpr int kNumActions = 0;
  static constexpr int kMaxSteps = 1000;                // truncation (HalfCheetah's time limit)

  static constexpr double kDt = 0.05;           // control step [s]
  static constexpr int kSubsteps = 5;           // Box2D steps per control step (0.01 s each)
  static constexpr double kCtrlCost = 0.1;      // weight of |a|^2 in the reward
  static constexpr double kResetNoise = 0.1;    // half-width of the reset's uniform noise
  static constexpr double kTorsoHalfLength = 0.5;   // [m]
  static constexpr double kTorsoHalfHeight = 0.05;  // [m]
  static constexpr double kLinkHalfWidth = 0.04;    // half thickness of every leg link [m]
  static constexpr double kThighLength = 0.30;      // [m]
  static constexpr double kShinLength = 0.30;       // [m]
  static constexpr double kFootLength = 0.20;       // [m]
  static constexpr double kDensity = 60.0;          // areal density of every link [kg / m^2]
  static constexpr double kArmature = 0.1;          // added inertia of leg links [kg m^2]
  static constexpr double kFriction = 0.9;          // links and ground
  // Torso height in the rest pose with the feet on the ground, plus 5 cm of drop at reset [m].
  static constexpr double kSpawnHeight = kThighLength + kShinLength + kFootLength + 0.05;

  using Obs = Eigen::Matrix<double, kObsDim, 1>;
  using Action = Eigen::Matrix<double, kActDim, 1>;

  Cheetah() : world_(world_def()) {}

  // Every action is clipped to [-1, 1] inside step().
  static Action action_low() { return Action::Constant(-1.0); }
  static Action action_high() { return Action::Constant(1.0); }

  // New episode (header: "Reset"), every draw from rng.
  Obs reset(icrl::Rng& rng) {
    double q[kNumJoints];
    double qd[kNumJoints];
    for (double& v : q) v = rng.uniform(-kResetNoise, kResetNoise);
    for (double& v : qd) v = rng.uniform(-kResetNoise, kResetNoise);
    box2d::BodyState root;
    root.y = kSpawnHeight;
    world_.set_pose(root, q, qd);
    steps_ = 0;
    done_ = false;
    return observation();
  }

  // One control step (header: "Dynamics, reward, episode").
  StepResult<kObsDim> step(const Action& a) {
    ICRL_ASSERT(!done_);  // the episode was truncated: call reset() first
    const Action u = a.cwiseMax(-1.0).cwiseMin(1.0);
    const double x_before = world_.link(0).x;
    world_.control_step(u.data(), kDt, kSubsteps);
    const double x_after = world_.link(0).x;
    ++steps_;

    StepResult<kObsDim> r;
    r.obs = observation();
    r.reward = std::fabs(x_after - x_before) / kDt - kCtrlCost * u.squaredNorm();
    r.cost = 0.0;
    r.terminated = false;
    r.truncated = steps_ >= kMaxSteps;
    done_ = r.truncated;
    return r;
  }

  // For tests and analysis: put the robot in the state an observation describes (all 18 entries
  // are used: torso pose and velocity, joint angles and speeds), with elapsed_steps of the episode
  // already used.
  void set_state(const Obs& s, int elapsed_steps = 0) {
    ICRL_ASSERT(elapsed_steps >= 0 && elapsed_steps < kMaxSteps);
    box2d::set_planar_state<kNumJoints>(world_, s);
    steps_ = elapsed_steps;
    done_ = false;
  }

  // [x, y, pitch, q[6], vx, vy, pitch rate, qd[6]] of the current state.
  Obs observation() const { return box2d::planar_observation<kNumJoints>(world_); }

  double x() const { return world_.link(0).x; }      // torso centre x, from the start [m]
  int elapsed_steps() const { return steps_; }        // steps taken in the current episode
  bool done() const { return done_; }                 // the current episode has ended
  const box2d::PlanarWorld& world() const { return world_; }  // the simulation, read-only

  // The robot of the header comment in its rest pose (torso at x = 0, height kSpawnHeight).
  static box2d::WorldDef world_def() {
    box2d::WorldDef w;
    w.gravity = 9.81;
    w.ground_friction = kFriction;
    auto link = [](double x, double y, double half_x, double half_y, double armature) {
      box2d::LinkDef l;
      l.x = x;
      l.y = y;
      l.half_x = half_x;
      l.half_y = half_y;
      l.density = kDensity;
      l.friction = kFriction;
      l.armature = armature;
      return l;
    };
    const double h = kSpawnHeight;
    w.links.push_back(link(0.0, h, kTorsoHalfLength, kTorsoHalfHeight, 0.0));
    // One leg hanging from hip_x: thigh, shin, foot, joined at hip, knee and ankle.
    auto add_leg = [&](double hip_x) {
      const double lengths[3] = {kThighLength, kShinLength, kFootLength};
      const double gear[3] = {120.0, 90.0, 60.0};
      const double damping[3] = {6.0, 4.5, 3.0};
      const double stiffness[3] = {240.0, 180.0, 120.0};
      const double range[3] = {1.0, 1.0, 0.8};
      double top = h;  // y of the current joint
      for (int k = 0; k < 3; ++k) {
        box2d::JointDef j;
        j.parent = k == 0 ? 0 : static_cast<int>(w.links.size()) - 1;
        j.anchor_x = hip_x;
        j.anchor_y = top;
        j.lower = -range[k];
        j.upper = range[k];
        j.gear = gear[k];
        j.damping = damping[k];
        j.stiffness = stiffness[k];
        w.joints.push_back(j);
        w.links.push_back(link(hip_x, top - 0.5 * lengths[k], kLinkHalfWidth, 0.5 * lengths[k],
                               kArmature));
        top -= lengths[k];
      }
    };
    add_leg(-kTorsoHalfLength);  // back leg: joints 0, 1, 2
    add_leg(kTorsoHalfLength);   // front leg: joints 3, 4, 5
    return w;
  }

  // Checkpoints (env.hpp): every link's exact pose and velocity (box2d::PlanarWorld::save_links),
  // then [steps, done]. Loading rebuilds the b2World (it allocates; not for a hot loop).
  static constexpr int kStateDim = box2d::kLinkStateDim * kNumLinks + 2;
  void save_state(double* s) const {
    world_.save_links(s);
    s[kStateDim - 2] = steps_;
    s[kStateDim - 1] = done_ ? 1.0 : 0.0;
  }
  void load_state(const double* s) {
    const int steps = restored_count(s[kStateDim - 2], 0, kMaxSteps, kName, "steps");
    const int done = restored_count(s[kStateDim - 1], 0, 1, kName, "done");
    world_.load_links(s);
    steps_ = steps;
    done_ = done != 0;
  }

 private:
  box2d::PlanarWorld world_;  // torso, legs and ground
  int steps_ = 0;             // steps taken in this episode
  bool done_ = false;         // truncated: step() needs a reset() first
};

// Settings of CheetahConstrained.
struct CheetahConstrainedConfig {
  // Cost 1 on a step that ends with the torso centre at x <= min_x [m] (SPEC: x <= -3).
  double min_x = -3.0;
  // SPEC section 6 "true env": a violating step also terminates the episode with reward 0. On by
  // default (the ICRL true env); PPO-Lagrangian on the nominal env with the true cost turns it off.
  bool terminate_on_violation = true;
};

// The constraint of CheetahConstrained (policy for Constrained, constrained.hpp).
struct CheetahBackwardLimit {
  static constexpr const char* kName = "cheetah-constrained";
  using Config = CheetahConstrainedConfig;
  static bool violated(const Config& config, const Cheetah& after, const Cheetah::Action& /*a*/,
                       const StepResult<Cheetah::kObsDim>& /*r*/) {
    return after.x() <= config.min_x;
  }
};

// Cheetah with cost 1 on a step ending at x <= config().min_x (-3 m); base() is the Cheetah.
using CheetahConstrained = Constrained<Cheetah, CheetahBackwardLimit>;

}  // namespace icrl::envs
