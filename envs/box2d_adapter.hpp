// envs/box2d_adapter.hpp - the one door to Box2D: a planar articulated robot on flat ground.
//
// All Box2D calls sit behind one adapter in envs/: this header and box2d_adapter.cpp are
// the only files that see Box2D (2.4, float); the environments (cheetah.hpp, ant.hpp) describe a
// robot with the plain structs below and talk to a PlanarWorld in double.
//
// ---- The model ------------------------------------------------------------------------------
//
// A robot is a tree of rigid boxes ("links") joined by revolute joints, standing on a static
// ground box whose top face is the line y = ground_top. Link 0 is the root (the torso); joint j
// connects parent link joints[j].parent to child link j + 1, with parent < j + 1, so the links
// are listed in tree order and forward kinematics is one pass. Links of the robot never collide
// with each other (one negative collision group), only with the ground.
//
// Each joint carries a torque actuator in the style of MuJoCo's <motor> with joint damping and
// stiffness. With action a_j (clipped to [-1, 1] by the caller), joint angle q_j and speed qd_j,
// the torque applied in every physics substep is
//
//     tau_j = gear_j a_j - damping_j qd_j - stiffness_j q_j          [N m]
//
// (+tau_j on the child link, -tau_j on the parent). Joint limits [lower_j, upper_j] are Box2D
// revolute limits. A link's rotational inertia is the box's own, m (hx^2 + hy^2) / 3, plus the
// link's `armature` (the stand-in for MuJoCo's armature: rotor inertia that keeps light links
// with strong motors stable under explicit damping).
//
// q_j = angle(child) - angle(parent) - (rest angle(child) - rest angle(parent)): 0 in the rest
// pose given by the LinkDefs, positive counter-clockwise (x right, y up).
//
// ---- Determinism, copies and resets ---------------------------------------------------------
//
// Box2D carries solver state from one step to the next besides the bodies' positions and
// velocities: warm-starting impulses of contacts and joints, the order of the contact list and
// the broad-phase tree. To make "the state" of a PlanarWorld exactly its bodies' transforms and
// velocities at control-step boundaries, control_step() runs its first substep without warm
// starting (the solver starts from zero impulses, so nothing earlier is remembered) and the later
// substeps with it; sleeping and continuous collision (TOI) are off; every link touches at most
// one other body (the ground, a single fixture), so the solver's constraint order depends only
// on the fixed body and joint order and on which links touch the ground. Therefore:
//   - a copy (copy constructor / assignment builds a fresh b2World from the stored WorldDef and
//     copies every body's float state) continues bit-identically to its source;
//   - set_pose() (reset) moves the existing bodies with SetTransform / SetLinearVelocity /
//     SetAngularVelocity, allocates nothing, and two worlds given the same pose replay alike.
// Bit-identity holds on one build; Box2D is float and calls libm's sinf / cosf, and compilers
// contract differently per architecture, so trajectories agree across machines only to rounding.
//
// ---- Heap use -------------------------------------------------------------------------------
//
// Construction and copies allocate (the b2World, its bodies, the stored WorldDef). After a
// world has stepped once with its links on the ground, control_step(), set_pose() and the
// queries do not allocate: Box2D keeps contacts in its block allocator and the step's scratch in
// its stack allocator, both of which recycle their memory.
#pragma once

#include <memory>
#include <vector>

#include <Eigen/Core>

namespace icrl::envs::box2d {

// One rigid link: a box of half extents (half_x, half_y) in its own frame, placed in the rest
// pose at (x, y) with orientation `angle`.
struct LinkDef {
  double x = 0.0;          // rest-pose centre, x [m]
  double y = 0.0;          // rest-pose centre, y [m]
  double angle = 0.0;      // rest-pose orientation [rad], counter-clockwise
  double half_x = 0.5;     // half extent along the link's own x axis [m]
  double half_y = 0.05;    // half extent along the link's own y axis [m]
  double density = 50.0;   // areal density [kg / m^2]; mass = 4 half_x half_y density
  double friction = 0.9;   // Coulomb friction coefficient (Box2D mixes sqrt(f_link f_ground))
  double armature = 0.0;   // rotational inertia added to the box's own [kg m^2]
};

// One revolute joint with its torque actuator (header: tau = gear a - damping qd - stiffness q).
struct JointDef {
  int parent = 0;          // index of the parent link (< the child's index, which is j + 1)
  double anchor_x = 0.0;   // the joint's position in the rest pose, x [m]
  double anchor_y = 0.0;   // the joint's position in the rest pose, y [m]
  double lower = -1.0;     // lower limit of q [rad] (q = 0 is the rest pose)
  double upper = 1.0;      // upper limit of q [rad]
  double gear = 0.0;       // torque at action 1 [N m]
  double damping = 0.0;    // viscous joint damping [N m s / rad]
  double stiffness = 0.0;  // spring pulling q towards 0 [N m / rad]
};

// Everything needed to build (or rebuild, for a copy) a world.
struct WorldDef {
  double gravity = 9.81;              // downward acceleration [m / s^2]
  double ground_top = 0.0;            // y of the ground's top face [m]
  double ground_half_length = 1000.0; // the ground spans x in [-this, this] [m]
  double ground_friction = 0.9;       // the ground's friction coefficient
  int velocity_iterations = 10;       // Box2D velocity solver iterations per substep
  int position_iterations = 4;        // Box2D position solver iterations per substep
  std::vector<LinkDef> links;         // links[0] is the root; tree order (see JointDef)
  std::vector<JointDef> joints;       // joints[j] connects joints[j].parent to links[j + 1]
};

// Pose and velocity of one link (its centre), in double.
struct BodyState {
  double x = 0.0;      // centre x [m]
  double y = 0.0;      // centre y [m]
  double angle = 0.0;  // orientation [rad], not wrapped
  double vx = 0.0;     // centre velocity x [m / s]
  double vy = 0.0;     // centre velocity y [m / s]
  double w = 0.0;      // angular velocity [rad / s]
};

// Angle and speed of one joint, in double.
struct JointState {
  double angle = 0.0;  // q [rad], 0 in the rest pose
  double speed = 0.0;  // dq/dt [rad / s]
};

// Numbers per link in save_links / load_links: x, y, angle, vx, vy, w (Box2D's floats, exact
// in double).
inline constexpr int kLinkStateDim = 6;

// A b2World holding one robot and the ground. Copyable (a copy is a fresh world in the same
// state) and movable (moving hands over the world; the moved-from object may only be destroyed
// or assigned to).
class PlanarWorld {
 public:
  // Builds the ground and the robot in its rest pose, at rest. Checks the tree order.
  explicit PlanarWorld(const WorldDef& def);
  PlanarWorld(const PlanarWorld& other);
  PlanarWorld(PlanarWorld&& other) noexcept;
  PlanarWorld& operator=(const PlanarWorld& other);
  PlanarWorld& operator=(PlanarWorld&& other) noexcept;
  ~PlanarWorld();

  int num_links() const;   // links in the robot (root included)
  int num_joints() const;  // joints = num_links() - 1
  const WorldDef& def() const;  // the description this world was built from

  BodyState link(int i) const;    // state of link i
  JointState joint(int j) const;  // q and qd of joint j
  bool link_touches_ground(int i) const;  // link i is in touching contact with the ground

  // Places the whole robot: the root link's state, then every joint's q and qd (arrays of
  // num_joints()), by forward kinematics from the rest-pose geometry. Does not allocate.
  void set_pose(const BodyState& root, const double* joint_angles, const double* joint_speeds);

  // Checkpoints: every link's exact float state, kLinkStateDim per link in link order, into
  // s[0 .. kLinkStateDim num_links()). load_links rebuilds a fresh b2World and places the links
  // exactly as a copy does (header: "Determinism"), so the world continues as the saved one
  // would; it allocates. Throws icrl::Error on a non-finite value.
  void save_links(double* s) const;
  void load_links(const double* s);

  // Advances by `substeps` Box2D steps of dt / substeps each. Before every substep the actuator
  // torques (header) are applied for the actions a[0 .. num_joints()) (the caller clips them).
  // The first substep runs without warm starting (header: "Determinism").
  void control_step(const double* actions, double dt, int substeps);

 private:
  struct Impl;                  // the b2World, its bodies and joints (box2d_adapter.cpp)
  std::unique_ptr<Impl> impl_;  // never null except after a move
};

// ---- the state layout shared by the planar robots (cheetah.hpp, ant.hpp) ------------------
// A robot with J joints is observed as [x, y, pitch, q_0 .. q_{J-1}, vx, vy, pitch rate,
// qd_0 .. qd_{J-1}] (6 + 2 J entries): link 0's pose, the joint angles, then their rates.

// The observation [6 + 2 J] of the world's current state.
template <int J>
Eigen::Matrix<double, 6 + 2 * J, 1> planar_observation(const PlanarWorld& world) {
  Eigen::Matrix<double, 6 + 2 * J, 1> o;
  const BodyState t = world.link(0);
  o(0) = t.x;
  o(1) = t.y;
  o(2) = t.angle;
  o(3 + J) = t.vx;
  o(4 + J) = t.vy;
  o(5 + J) = t.w;
  for (int j = 0; j < J; ++j) {
    const JointState js = world.joint(j);
    o(3 + j) = js.angle;
    o(6 + J + j) = js.speed;
  }
  return o;
}

// Puts the robot in the state an observation [6 + 2 J] describes (every entry is used).
template <int J>
void set_planar_state(PlanarWorld& world, const Eigen::Matrix<double, 6 + 2 * J, 1>& s) {
  BodyState root;
  root.x = s(0);
  root.y = s(1);
  root.angle = s(2);
  root.vx = s(3 + J);
  root.vy = s(4 + J);
  root.w = s(5 + J);
  double q[J];
  double qd[J];
  for (int j = 0; j < J; ++j) {
    q[j] = s(3 + j);
    qd[j] = s(6 + J + j);
  }
  world.set_pose(root, q, qd);
}

}  // namespace icrl::envs::box2d
