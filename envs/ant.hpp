// envs/ant.hpp - Ant and AntBroken: a planar four-legged Box2D walker standing in for MuJoCo's
// Ant, and their constrained variants (x <= -3 forbidden).
//
// SPEC section 6: "a planar four-legged walker, 8 actuated joints. Reward: distance of
// the body from the start along the track + 1 while upright - control cost. 500 steps.
// Constraint x <= -3. AntBroken: the same body with actions 4..7 forced to 0 (two limp legs)."
//
// ---- Body (x forward, y up; every link a box) -----------------------------------------------
//
// The 3D Ant seen from the side: a torso with two hips, and two legs on each hip (a "left" and a
// "right" one, which occupy the same plane; links of the robot never collide with each other).
//
//   torso       0.80 m x 0.16 m, 6.4 kg; front hip at x = +0.4, back hip at x = -0.4
//   upper leg   0.30 m x 0.08 m, 1.2 kg, armature 0.05 kg m^2; rest pose: 45 degrees down and
//               out (forward for a front leg, backward for a back leg)
//   lower leg   0.40 m x 0.08 m, 1.6 kg, armature 0.05 kg m^2; rest pose: vertical
//   total 17.6 kg; friction 0.9 on links and ground; g = 9.81.
//
//   leg 0  front-left    joints 0 (hip), 1 (knee)     actions 0, 1
//   leg 1  back-left     joints 2, 3                  actions 2, 3
//   leg 2  front-right   joints 4, 5                  actions 4, 5   (limp in AntBroken)
//   leg 3  back-right    joints 6, 7                  actions 6, 7   (limp in AntBroken)
//
// Actuators (box2d_adapter.hpp: tau = gear a - damping qd - stiffness q, every substep):
//
//   joint   range [rad]   gear [N m]   damping [N m s]   stiffness [N m / rad]
//   hip     [-0.6, 0.6]   60           2.0               60
//   knee    [-0.8, 0.8]   60           2.0               60
//
// The stiffness holds the stance (a limp leg of AntBroken is a passive spring that still bears
// weight). The body is mirror-symmetric about the torso's vertical mid-line (front leg k <-> back
// leg of the same side, q -> -q, a -> -a), so walking backward pays as walking forward does.
//
// ---- Dynamics, reward, episode --------------------------------------------------------------
//
// One control step of dt = 0.05 s is 5 Box2D steps of 0.01 s, the action held. With x and x'
// the torso centre's x before and after the step (x = 0 at the start), u the applied action
// (a clipped to [-1, 1]^8; AntBroken: u_4 .. u_7 = 0, so the limp legs cost nothing):
//
//     upright  = cos(pitch') >= 0.5           (torso tilted at most 60 degrees)
//     reward   = (|x'| - |x|) / dt  +  1 [upright]  -  0.1 |u|^2
//
// The first term pays the growth of the distance from the start, in either direction (its sum
// over an episode is |x_T| / dt: the SPEC's "distance of the body from the start along the
// track"), the second the SPEC's "+1 while upright". A step that ends not upright earns no upright
// bonus; it does not end the episode (the reference's ant has terminate_when_unhealthy = False:
// when a learned cost near 1 is charged on every step, an episode that ends at the first tip-over
// is the cheapest one, and the forward step learns to fall over at once). Truncated after 500
// steps (25 s).
//
// Observation [22]: x, y (torso centre height), pitch (not wrapped), q[8]; then vx, vy, pitch
// rate, qd[8].
//
// Reset: torso at x = 0, height kSpawnHeight (feet 5 cm above the ground), level; the whole
// robot moving at vx = +-kResetSpeed = +-1.5 m/s, backward or forward with probability 1/2 each
// (every link the same velocity, no rotation); q_j ~ U(-0.1, 0.1) for j = 0..7, then
// qd_j ~ U(-0.1, 0.1), then the direction (uniform() < 0.5: backward), from the Rng in that order.
//
// Why a push of random sign (the nominal-optimal policy must violate its constraint, and the
// nominal agent's steps should overlap the expert's): the body and the reward are mirror-symmetric,
// so from a reset at rest an unconstrained PPO run picked its direction by chance (seeds 1 / 2 / 3:
// 0 / 100 / 0 % of episodes past x = -3). A push of fixed sign (always backward) made every run
// violate (95-100 % of episodes on seeds 1-5), but then the nominal samples lie behind x = 0 and
// the expert's in front: disjoint sets that any classifier separates exactly (the baselines then
// transfer as well as ICRL), while the paper's nominal ant violated on about 0.3 of its steps in a
// direction that varied by episode. With a push of random sign the robot lands and slides the way
// it was pushed, and an unconstrained run (icrl train --env ant --set use_cost=false, 1024000
// steps) violates on 0 / 100 / 40 / 30 / 100 % of its episodes on seeds 1-5: mostly one way per
// seed, or the way the episode's push points. The optimum is unchanged up to that drift: an
// episode's return is still |x_T| / dt + the upright bonuses - the control cost, whichever way the
// robot runs. The constrained experts need no special start: with the multiplier's step of the
// paper's appendix (1.0, the ant's preset), icrl expert --env ant --seed 1 --steps 4096000 has no
// violating episode and keeps a true-env return of 4637 (ant-broken: 2610), the shipped experts
// (docs/guide.md, docs/experiments.md "A push of random sign").
//
// AntConstrained / AntBrokenConstrained = Constrained<Ant(Broken), AntBackwardLimit<...>>: cost 1
// on a step ending with x <= -3; by default that step also terminates with reward 0 (true env).
#pragma once

#include <Eigen/Core>

#include <cmath>

#include "box2d_adapter.hpp"
#include "constrained.hpp"
#include "env.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl::envs {

// The planar ant; kBroken = true is AntBroken (actions 4..7 forced to 0).
template <bool kBroken>
class AntBody {
 public:
  static constexpr const char* kName = kBroken ? "ant-broken" : "ant";
  static constexpr int kNumJoints = 8;                // 4 legs x (hip, knee)
  static constexpr int kNumLinks = 1 + kNumJoints;     // torso + one link per joint
  static constexpr int kObsDim = 6 + 2 * kNumJoints;  // x, y, pitch, q; vx, vy, pitch rate, qd
  static constexpr int kActDim = kNumJoints;          // one torque command per joint
  static constexpr bool kDiscrete = false;
  static constexpr int kNumActions = 0;
  static constexpr int kMaxSteps = 500;               // truncation
  static constexpr int kFirstLimpAction = 4;          // AntBroken zeroes actions 4..7

  static constexpr double kDt = 0.05;               // control step [s]
  static constexpr int kSubsteps = 5;               // Box2D steps per control step (0.01 s each)
  static constexpr double kCtrlCost = 0.1;          // weight of |u|^2 in the reward
  static constexpr double kUprightBonus = 1.0;      // reward per step ending upright
  static constexpr double kMinUprightCos = 0.5;     // upright: cos(pitch) >= this (60 degrees)
  static constexpr double kResetNoise = 0.1;        // half-width of the reset's uniform noise
  static constexpr double kResetSpeed = 1.5;        // the reset's speed of the body [m/s]
  static constexpr double kTorsoHalfLength = 0.4;   // [m]; the hips are at the torso's ends
  static constexpr double kTorsoHalfHeight = 0.08;  // [m]
  static constexpr double kLinkHalfWidth = 0.04;    // half thickness of every leg link [m]
  static constexpr double kUpperLength = 0.30;      // [m]
  static constexpr double kLowerLength = 0.40;      // [m]
  static constexpr double kUpperRestAngle = 0.78539816339744830962;  // 45 degrees below level
  static constexpr double kDensity = 50.0;          // areal density of every link [kg / m^2]
  static constexpr double kArmature = 0.05;         // added inertia of leg links [kg m^2]
  static constexpr double kFriction = 0.9;          // links and ground
  // Height of the hips above the feet in the rest pose (sin 45 = 0.7071...), plus 5 cm [m].
  static constexpr double kSpawnHeight = kUpperLength * 0.70710678118654752440 + kLowerLength +
                                         0.05;

  using Obs = Eigen::Matrix<double, kObsDim, 1>;
  using Action = Eigen::Matrix<double, kActDim, 1>;

  AntBody() : world_(world_def()) {}

  // Every action is clipped to [-1, 1] inside step() (AntBroken also ignores actions 4..7).
  static Action action_low() { return Action::Constant(-1.0); }
  static Action action_high() { return Action::Constant(1.0); }

  // New episode (header: "Reset"), every draw from rng.
  Obs reset(icrl::Rng& rng) {
    double q[kNumJoints];
    double qd[kNumJoints];
    for (double& v : q) v = rng.uniform(-kResetNoise, kResetNoise);
    for (double& v : qd) v = rng.uniform(-kResetNoise, kResetNoise);
    const double direction = rng.uniform() < 0.5 ? -1.0 : 1.0;  // header: "Why a push"
    box2d::BodyState root;
    root.y = kSpawnHeight;
    root.vx = direction * kResetSpeed;  // set_pose gives every link this vx
    world_.set_pose(root, q, qd);
    steps_ = 0;
    done_ = false;
    return observation();
  }

  // The action actually applied: a clipped to [-1, 1], and for AntBroken actions 4..7 set to 0.
  static Action applied_action(const Action& a) {
    Action u = a.cwiseMax(-1.0).cwiseMin(1.0);
    if constexpr (kBroken) u.template tail<kActDim - kFirstLimpAction>().setZero();
    return u;
  }

  // One control step (header: "Dynamics, reward, episode").
  StepResult<kObsDim> step(const Action& a) {
    ICRL_ASSERT(!done_);  // the episode ended: call reset() first
    const Action u = applied_action(a);
    const double x_before = world_.link(0).x;
    world_.control_step(u.data(), kDt, kSubsteps);
    const box2d::BodyState torso = world_.link(0);
    ++steps_;

    const bool upright = det_cos(torso.angle) >= kMinUprightCos;
    StepResult<kObsDim> r;
    r.obs = observation();
    r.reward = (std::fabs(torso.x) - std::fabs(x_before)) / kDt +
               (upright ? kUprightBonus : 0.0) - kCtrlCost * u.squaredNorm();
    r.cost = 0.0;
    r.terminated = false;  // header: tipping over does not end the episode
    r.truncated = steps_ >= kMaxSteps;
    done_ = r.terminated || r.truncated;
    return r;
  }

  // For tests and analysis: put the robot in the state an observation describes (all 22 entries
  // are used), with elapsed_steps of the episode already used.
  void set_state(const Obs& s, int elapsed_steps = 0) {
    ICRL_ASSERT(elapsed_steps >= 0 && elapsed_steps < kMaxSteps);
    box2d::set_planar_state<kNumJoints>(world_, s);
    steps_ = elapsed_steps;
    done_ = false;
  }

  // [x, y, pitch, q[8], vx, vy, pitch rate, qd[8]] of the current state.
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
    auto link = [](double x, double y, double angle, double half_x, double half_y,
                   double armature) {
      box2d::LinkDef l;
      l.x = x;
      l.y = y;
      l.angle = angle;
      l.half_x = half_x;
      l.half_y = half_y;
      l.density = kDensity;
      l.friction = kFriction;
      l.armature = armature;
      return l;
    };
    auto joint = [](int parent, double x, double y, double range) {
      box2d::JointDef j;
      j.parent = parent;
      j.anchor_x = x;
      j.anchor_y = y;
      j.lower = -range;
      j.upper = range;
      j.gear = 60.0;
      j.damping = 2.0;
      j.stiffness = 60.0;
      return j;
    };
    const double h = kSpawnHeight;
    w.links.push_back(link(0.0, h, 0.0, kTorsoHalfLength, kTorsoHalfHeight, 0.0));
    const double c = det_cos(kUpperRestAngle), s = det_sin(kUpperRestAngle);
    // Leg k: side = +1 front (hip at +0.4, upper link pointing forward-down), -1 back.
    for (int k = 0; k < 4; ++k) {
      const double side = (k % 2 == 0) ? 1.0 : -1.0;
      const double hip_x = side * kTorsoHalfLength;
      const double knee_x = hip_x + side * kUpperLength * c;
      const double knee_y = h - kUpperLength * s;
      w.joints.push_back(joint(0, hip_x, h, 0.6));
      // Upper link along its own x axis, rotated to point from the hip to the knee.
      w.links.push_back(link(0.5 * (hip_x + knee_x), 0.5 * (h + knee_y), -side * kUpperRestAngle,
                             0.5 * kUpperLength, kLinkHalfWidth, kArmature));
      w.joints.push_back(joint(static_cast<int>(w.links.size()) - 1, knee_x, knee_y, 0.8));
      w.links.push_back(link(knee_x, knee_y - 0.5 * kLowerLength, 0.0, kLinkHalfWidth,
                             0.5 * kLowerLength, kArmature));
    }
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
  bool done_ = false;         // terminated or truncated: step() needs a reset() first
};

using Ant = AntBody<false>;       // "ant": all eight joints actuated
using AntBroken = AntBody<true>;  // "ant-broken": actions 4..7 (legs 2 and 3) forced to 0

// Settings of AntConstrained and AntBrokenConstrained.
struct AntConstrainedConfig {
  // Cost 1 on a step that ends with the torso centre at x <= min_x [m] (SPEC: x <= -3).
  double min_x = -3.0;
  // SPEC section 6 "true env": a violating step also terminates the episode with reward 0. On by
  // default (the ICRL true env); PPO-Lagrangian on the nominal env with the true cost turns it off.
  bool terminate_on_violation = true;
};

// The constraint of the constrained ants (policy for Constrained, constrained.hpp).
template <bool kBroken>
struct AntBackwardLimit {
  static constexpr const char* kName = kBroken ? "ant-broken-constrained" : "ant-constrained";
  using Config = AntConstrainedConfig;
  static bool violated(const Config& config, const AntBody<kBroken>& after,
                       const typename AntBody<kBroken>::Action& /*a*/,
                       const StepResult<AntBody<kBroken>::kObsDim>& /*r*/) {
    return after.x() <= config.min_x;
  }
};

// Ant / AntBroken with cost 1 on a step ending at x <= config().min_x (-3 m).
using AntConstrained = Constrained<Ant, AntBackwardLimit<false>>;
using AntBrokenConstrained = Constrained<AntBroken, AntBackwardLimit<true>>;

}  // namespace icrl::envs
