// envs/box2d_adapter.cpp - PlanarWorld on Box2D 2.4: the only translation unit that includes
// Box2D. The model, the actuator law and the determinism argument are in box2d_adapter.hpp.
#include "box2d_adapter.hpp"

#include <box2d/box2d.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

#include "env.hpp"  // det_sin / det_cos
#include "icrl/error.hpp"

namespace icrl::envs::box2d {

namespace {

// Half-height of the ground box [m]: thick enough that nothing tunnels through it with continuous
// collision off (a link moves at most b2_maxTranslation = 2 m per substep).
constexpr double kGroundHalfHeight = 10.0;

// All robot links share this negative group: Box2D never makes contacts inside one such group.
constexpr int kRobotGroup = -1;

// Joint geometry derived once from the rest pose, in double.
struct JointGeometry {
  double ax = 0.0, ay = 0.0;  // anchor in the parent's frame [m]
  double bx = 0.0, by = 0.0;  // anchor in the child's frame [m]
  double ref = 0.0;           // rest angle(child) - rest angle(parent) [rad]
};

// p expressed in the frame of a body at (cx, cy) with orientation angle: R(-angle) (p - c).
void to_local(double px, double py, double cx, double cy, double angle, double& lx, double& ly) {
  const double c = det_cos(angle), s = det_sin(angle);
  const double dx = px - cx, dy = py - cy;
  lx = c * dx + s * dy;
  ly = -s * dx + c * dy;
}

}  // namespace

struct PlanarWorld::Impl {
  WorldDef def;                          // what this world was built from (for copies)
  b2World world;                         // owns every body, fixture, joint and contact
  b2Body* ground = nullptr;              // the static ground
  std::vector<b2Body*> links;            // robot links, in WorldDef order
  std::vector<b2RevoluteJoint*> joints;  // joints, in WorldDef order
  std::vector<JointGeometry> geometry;   // per joint: anchors and reference angle in double

  explicit Impl(const WorldDef& d)
      : def(d), world(b2Vec2(0.0f, static_cast<float>(-d.gravity))) {
    const int n = static_cast<int>(def.links.size());
    ICRL_ASSERT(n >= 1);
    ICRL_ASSERT(static_cast<int>(def.joints.size()) == n - 1);  // a tree: one joint per non-root
    ICRL_ASSERT(def.velocity_iterations >= 1 && def.position_iterations >= 0);
    world.SetAllowSleeping(false);
    world.SetContinuousPhysics(false);
    world.SetAutoClearForces(true);

    // Ground: one static box fixture whose top face is y = ground_top.
    b2BodyDef gdef;
    gdef.type = b2_staticBody;
    gdef.position.Set(0.0f, static_cast<float>(def.ground_top - kGroundHalfHeight));
    ground = world.CreateBody(&gdef);
    b2PolygonShape gbox;
    gbox.SetAsBox(static_cast<float>(def.ground_half_length),
                  static_cast<float>(kGroundHalfHeight));
    b2FixtureDef gfix;
    gfix.shape = &gbox;
    gfix.density = 0.0f;
    gfix.friction = static_cast<float>(def.ground_friction);
    ground->CreateFixture(&gfix);

    // Links in their rest pose, at rest; mass properties set explicitly (centre at the origin).
    links.reserve(static_cast<std::size_t>(n));
    for (const LinkDef& l : def.links) {
      ICRL_ASSERT(l.half_x > 0.0 && l.half_y > 0.0 && l.density > 0.0 && l.armature >= 0.0);
      b2BodyDef bdef;
      bdef.type = b2_dynamicBody;
      bdef.position.Set(static_cast<float>(l.x), static_cast<float>(l.y));
      bdef.angle = static_cast<float>(l.angle);
      bdef.allowSleep = false;
      b2Body* body = world.CreateBody(&bdef);
      b2PolygonShape box;
      box.SetAsBox(static_cast<float>(l.half_x), static_cast<float>(l.half_y));
      b2FixtureDef fix;
      fix.shape = &box;
      fix.density = static_cast<float>(l.density);
      fix.friction = static_cast<float>(l.friction);
      fix.filter.groupIndex = static_cast<int16>(kRobotGroup);
      body->CreateFixture(&fix);
      const double mass = 4.0 * l.half_x * l.half_y * l.density;
      b2MassData md;
      md.mass = static_cast<float>(mass);
      md.center.SetZero();
      md.I = static_cast<float>(mass * (l.half_x * l.half_x + l.half_y * l.half_y) / 3.0 +
                                l.armature);
      body->SetMassData(&md);
      links.push_back(body);
    }

    // Joints with limits; anchors and reference angles computed in double from the rest pose.
    joints.reserve(static_cast<std::size_t>(n - 1));
    geometry.reserve(static_cast<std::size_t>(n - 1));
    for (int j = 0; j < n - 1; ++j) {
      const JointDef& jd = def.joints[static_cast<std::size_t>(j)];
      ICRL_ASSERT(jd.parent >= 0 && jd.parent < j + 1);  // tree order: parent before child
      ICRL_ASSERT(jd.lower <= 0.0 && jd.upper >= 0.0);   // the rest pose is admissible
      const LinkDef& pa = def.links[static_cast<std::size_t>(jd.parent)];
      const LinkDef& ch = def.links[static_cast<std::size_t>(j + 1)];
      JointGeometry g;
      to_local(jd.anchor_x, jd.anchor_y, pa.x, pa.y, pa.angle, g.ax, g.ay);
      to_local(jd.anchor_x, jd.anchor_y, ch.x, ch.y, ch.angle, g.bx, g.by);
      g.ref = ch.angle - pa.angle;
      b2RevoluteJointDef rdef;
      rdef.bodyA = links[static_cast<std::size_t>(jd.parent)];
      rdef.bodyB = links[static_cast<std::size_t>(j + 1)];
      rdef.collideConnected = false;
      rdef.localAnchorA.Set(static_cast<float>(g.ax), static_cast<float>(g.ay));
      rdef.localAnchorB.Set(static_cast<float>(g.bx), static_cast<float>(g.by));
      rdef.referenceAngle = static_cast<float>(g.ref);
      rdef.enableLimit = true;
      rdef.lowerAngle = static_cast<float>(jd.lower);
      rdef.upperAngle = static_cast<float>(jd.upper);
      rdef.enableMotor = false;
      joints.push_back(static_cast<b2RevoluteJoint*>(world.CreateJoint(&rdef)));
      geometry.push_back(g);
    }
  }
};

PlanarWorld::PlanarWorld(const WorldDef& def) : impl_(std::make_unique<Impl>(def)) {}

// A fresh world from the same description, then every link's exact float state.
PlanarWorld::PlanarWorld(const PlanarWorld& other)
    : impl_(std::make_unique<Impl>(other.impl_->def)) {
  for (std::size_t i = 0; i < impl_->links.size(); ++i) {
    const b2Body* src = other.impl_->links[i];
    b2Body* dst = impl_->links[i];
    dst->SetTransform(src->GetPosition(), src->GetAngle());
    dst->SetLinearVelocity(src->GetLinearVelocity());
    dst->SetAngularVelocity(src->GetAngularVelocity());
    dst->SetAwake(true);
  }
}

PlanarWorld::PlanarWorld(PlanarWorld&& other) noexcept = default;

void PlanarWorld::save_links(double* s) const {
  for (int i = 0; i < num_links(); ++i) {
    const BodyState b = link(i);
    double* o = s + static_cast<std::ptrdiff_t>(kLinkStateDim) * i;
    o[0] = b.x;
    o[1] = b.y;
    o[2] = b.angle;
    o[3] = b.vx;
    o[4] = b.vy;
    o[5] = b.w;
  }
}

void PlanarWorld::load_links(const double* s) {
  const int n = num_links() * kLinkStateDim;
  for (int k = 0; k < n; ++k)
    if (!std::isfinite(s[k]))
      throw Error("Box2D world state: link " + std::to_string(k / kLinkStateDim) + " value " +
                  std::to_string(k % kLinkStateDim) + " is not finite; the checkpoint is damaged");
  PlanarWorld fresh(impl_->def);
  for (std::size_t i = 0; i < fresh.impl_->links.size(); ++i) {
    const double* o = s + static_cast<std::ptrdiff_t>(kLinkStateDim) * static_cast<std::ptrdiff_t>(i);
    b2Body* b = fresh.impl_->links[i];
    b->SetTransform(b2Vec2(static_cast<float>(o[0]), static_cast<float>(o[1])), static_cast<float>(o[2]));
    b->SetLinearVelocity(b2Vec2(static_cast<float>(o[3]), static_cast<float>(o[4])));
    b->SetAngularVelocity(static_cast<float>(o[5]));
    b->SetAwake(true);
  }
  impl_.swap(fresh.impl_);
}

PlanarWorld& PlanarWorld::operator=(const PlanarWorld& other) {
  if (this != &other) {
    PlanarWorld tmp(other);
    impl_.swap(tmp.impl_);
  }
  return *this;
}

PlanarWorld& PlanarWorld::operator=(PlanarWorld&& other) noexcept = default;

PlanarWorld::~PlanarWorld() = default;

int PlanarWorld::num_links() const { return static_cast<int>(impl_->links.size()); }
int PlanarWorld::num_joints() const { return static_cast<int>(impl_->joints.size()); }
const WorldDef& PlanarWorld::def() const { return impl_->def; }

BodyState PlanarWorld::link(int i) const {
  ICRL_ASSERT(i >= 0 && i < num_links());
  const b2Body* b = impl_->links[static_cast<std::size_t>(i)];
  const b2Vec2& p = b->GetPosition();
  const b2Vec2& v = b->GetLinearVelocity();
  BodyState s;
  s.x = p.x;
  s.y = p.y;
  s.angle = b->GetAngle();
  s.vx = v.x;
  s.vy = v.y;
  s.w = b->GetAngularVelocity();
  return s;
}

JointState PlanarWorld::joint(int j) const {
  ICRL_ASSERT(j >= 0 && j < num_joints());
  const int parent = impl_->def.joints[static_cast<std::size_t>(j)].parent;
  const b2Body* a = impl_->links[static_cast<std::size_t>(parent)];
  const b2Body* b = impl_->links[static_cast<std::size_t>(j + 1)];
  JointState s;
  s.angle = static_cast<double>(b->GetAngle()) - static_cast<double>(a->GetAngle()) -
            impl_->geometry[static_cast<std::size_t>(j)].ref;
  s.speed = static_cast<double>(b->GetAngularVelocity()) -
            static_cast<double>(a->GetAngularVelocity());
  return s;
}

bool PlanarWorld::link_touches_ground(int i) const {
  ICRL_ASSERT(i >= 0 && i < num_links());
  const b2Body* b = impl_->links[static_cast<std::size_t>(i)];
  for (const b2ContactEdge* e = b->GetContactList(); e != nullptr; e = e->next)
    if (e->other == impl_->ground && e->contact->IsTouching()) return true;
  return false;
}

void PlanarWorld::set_pose(const BodyState& root, const double* joint_angles,
                           const double* joint_speeds) {
  const int n = num_links();
  ICRL_ASSERT(n == 1 || (joint_angles != nullptr && joint_speeds != nullptr));
  // Forward kinematics in double, link by link in tree order: each child is computed from its
  // parent's state as just written to Box2D (read back, so no scratch array is needed).
  auto place = [](b2Body* b, const BodyState& s) {
    b->SetTransform(b2Vec2(static_cast<float>(s.x), static_cast<float>(s.y)),
                    static_cast<float>(s.angle));
    b->SetLinearVelocity(b2Vec2(static_cast<float>(s.vx), static_cast<float>(s.vy)));
    b->SetAngularVelocity(static_cast<float>(s.w));
    b->SetAwake(true);
  };
  place(impl_->links[0], root);
  for (int j = 0; j < n - 1; ++j) {
    const JointDef& jd = impl_->def.joints[static_cast<std::size_t>(j)];
    const JointGeometry& g = impl_->geometry[static_cast<std::size_t>(j)];
    const BodyState p = link(jd.parent);
    // Anchor in the world: p + R(angle_p) a.
    const double cp = det_cos(p.angle), sp = det_sin(p.angle);
    const double rx = cp * g.ax - sp * g.ay, ry = sp * g.ax + cp * g.ay;  // anchor - p
    const double anchor_x = p.x + rx, anchor_y = p.y + ry;
    BodyState c;
    c.angle = p.angle + g.ref + joint_angles[j];
    const double cc = det_cos(c.angle), sc = det_sin(c.angle);
    const double ux = cc * g.bx - sc * g.by, uy = sc * g.bx + cc * g.by;  // anchor - child
    c.x = anchor_x - ux;
    c.y = anchor_y - uy;
    // Velocities: v_anchor = v_p + w_p x (anchor - p); v_c = v_anchor + w_c x (c - anchor).
    c.w = p.w + joint_speeds[j];
    const double van_x = p.vx - p.w * ry, van_y = p.vy + p.w * rx;
    c.vx = van_x + c.w * uy;
    c.vy = van_y - c.w * ux;
    place(impl_->links[static_cast<std::size_t>(j + 1)], c);
  }
}

void PlanarWorld::control_step(const double* actions, double dt, int substeps) {
  ICRL_ASSERT(substeps >= 1 && dt > 0.0);
  ICRL_ASSERT(num_joints() == 0 || actions != nullptr);
  const float h = static_cast<float>(dt / substeps);
  for (int s = 0; s < substeps; ++s) {
    for (int j = 0; j < num_joints(); ++j) {
      const JointDef& jd = impl_->def.joints[static_cast<std::size_t>(j)];
      const JointState q = joint(j);
      const double tau = jd.gear * actions[j] - jd.damping * q.speed - jd.stiffness * q.angle;
      b2RevoluteJoint* jt = impl_->joints[static_cast<std::size_t>(j)];
      jt->GetBodyB()->ApplyTorque(static_cast<float>(tau), true);
      jt->GetBodyA()->ApplyTorque(static_cast<float>(-tau), true);
    }
    impl_->world.SetWarmStarting(s > 0);
    impl_->world.Step(h, impl_->def.velocity_iterations, impl_->def.position_iterations);
  }
}

}  // namespace icrl::envs::box2d
