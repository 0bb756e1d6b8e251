// tests/test_envs_box2d.cpp - the Box2D environments: Cheetah, Ant, AntBroken and their
// constrained variants (envs/cheetah.hpp, envs/ant.hpp, envs/box2d_adapter.hpp).
//
// What is checked (SPEC section 6):
//  - the interface checker accepts all six env types, they are copyable (VecEnv copies them),
//    and their constants are those of the SPEC;
//  - reset(): x starts at 0 at the spawn height, joint angles carry the documented U(-0.1, 0.1);
//  - the reward is the documented formula, evaluated from the returned observations;
//  - determinism on one build: two fresh envs with the same seed and actions give bit-identical
//    trajectories; a copy (constructor or assignment) made mid-episode continues bit-identically;
//    an env on its second episode replays a fresh env; VecEnv copy i replays Rng(seed, i);
//  - golden values: 10 steps from a fixed seed and fixed actions match stored numbers to a
//    tolerance (see the comment at GoldenCase for why not an exact hash);
//  - the constrained variants: cost 1, terminated and reward 0 on the step that ends at x <= -3
//    (from set_state and from a scripted backward gait); cost only with terminate_on_violation off;
//  - AntBroken ignores actions 4..7, Ant does not; a flipped ant earns no upright bonus and goes on;
//  - truncation after exactly 1000 (cheetah) and 500 (ant) steps;
//  - symmetry: a scripted sinusoidal gait and its mirror image (back and front legs swapped, signs
//    flipped) run the same distance forward and backward for about the same return, and the gait
//    covers several metres.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

#include "envs/ant.hpp"
#include "envs/cheetah.hpp"
#include "envs/constrained.hpp"
#include "envs/env.hpp"
#include "envs/vec_env.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/rng.hpp"

using icrl::envs::Ant;
using icrl::envs::AntBroken;
using icrl::envs::AntBrokenConstrained;
using icrl::envs::AntConstrained;
using icrl::envs::Cheetah;
using icrl::envs::CheetahConstrained;

namespace {

constexpr double kTwoPi = 6.28318530717958647693;

// Bitwise equality of two observations (NaN-safe, -0 != +0: what "replays exactly" means).
template <class Obs>
bool same_bits(const Obs& a, const Obs& b) {
  return std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

// The fixed action pattern of the determinism and golden tests: a_j(k) = 0.8 sin(0.9 k + 0.7 j).
template <class Env>
typename Env::Action pattern_action(int k) {
  typename Env::Action a;
  for (int j = 0; j < Env::kActDim; ++j) a(j) = 0.8 * std::sin(0.9 * k + 0.7 * j);
  return a;
}

// An open-loop gait: joint j gets amplitude amp[j] sin(2 pi f t + phase[j]) at t = k dt.
template <class Env>
struct Gait {
  double freq = 2.0;                       // [Hz]
  std::array<double, Env::kActDim> amp{};  // amplitudes in [0, 1]
  std::array<double, Env::kActDim> phase{};  // phases [rad]
  typename Env::Action at(int k) const {
    typename Env::Action a;
    for (int j = 0; j < Env::kActDim; ++j)
      a(j) = amp[static_cast<std::size_t>(j)] *
             std::sin(kTwoPi * freq * k * Env::kDt + phase[static_cast<std::size_t>(j)]);
    return a;
  }
};

// A forward gait of the cheetah found by a random search over phases and amplitudes (2 Hz).
Gait<Cheetah> cheetah_gait() {
  Gait<Cheetah> g;
  g.amp = {0.96, 0.35, 0.88, 0.67, 0.80, 0.83};
  g.phase = {1.57, 5.42, 1.51, 5.44, 2.04, 2.62};
  return g;
}

// Mirror image of a cheetah action: back joint j <-> front joint j, sign flipped.
Cheetah::Action mirror_cheetah(const Cheetah::Action& a) {
  Cheetah::Action m;
  for (int j = 0; j < 3; ++j) {
    m(j) = -a(j + 3);
    m(j + 3) = -a(j);
  }
  return m;
}

// A forward gait of the ant found the same way (2 Hz).
Gait<Ant> ant_gait() {
  Gait<Ant> g;
  g.amp = {0.80, 0.75, 0.78, 0.94, 0.94, 0.40, 0.90, 0.77};
  g.phase = {1.95, 0.49, 1.08, 2.80, 5.05, 0.76, 0.34, 5.40};
  return g;
}

// Mirror image of an ant action: front leg <-> back leg of the same side (0 <-> 1, 2 <-> 3),
// sign flipped.
template <class Action>
Action mirror_ant(const Action& a) {
  Action m;
  constexpr int kPartner[4] = {1, 0, 3, 2};
  for (int leg = 0; leg < 4; ++leg)
    for (int k = 0; k < 2; ++k) m(2 * leg + k) = -a(2 * kPartner[leg] + k);
  return m;
}

// The rest pose at the spawn height, at rest, no noise (for the symmetry tests).
template <class Env>
typename Env::Obs rest_state() {
  typename Env::Obs s = Env::Obs::Zero();
  s(1) = Env::kSpawnHeight;
  return s;
}

// Runs `steps` steps of gait (mirrored if asked) from the rest pose; returns x and the return.
template <class Env, class Mirror>
std::array<double, 2> run_gait(const Gait<Env>& gait, bool mirrored, int steps, Mirror mirror) {
  Env env;
  env.set_state(rest_state<Env>());
  double ret = 0.0;
  for (int k = 0; k < steps; ++k) {
    const typename Env::Action a = mirrored ? mirror(gait.at(k)) : gait.at(k);
    const auto r = env.step(a);
    ret += r.reward;
    if (r.terminated || r.truncated) break;
  }
  return {env.x(), ret};
}

// Two fresh envs, same seed, same actions: bit-identical; a copy taken at step 37 (constructor
// and assignment) continues bit-identically; the original's second episode replays a fresh env.
template <class Env>
void check_replay(int steps) {
  Env a, b;
  icrl::Rng ra(11, 3), rb(11, 3);
  REQUIRE(same_bits(a.reset(ra), b.reset(rb)));
  for (int k = 0; k < 37; ++k) {
    const auto x = a.step(pattern_action<Env>(k));
    const auto y = b.step(pattern_action<Env>(k));
    REQUIRE(same_bits(x.obs, y.obs));
    REQUIRE(x.reward == y.reward);
  }
  Env c(a);
  Env d;
  d = a;
  for (int k = 37; k < steps; ++k) {
    const auto x = a.step(pattern_action<Env>(k));
    const auto y = c.step(pattern_action<Env>(k));
    const auto z = d.step(pattern_action<Env>(k));
    REQUIRE(same_bits(x.obs, y.obs));
    REQUIRE(same_bits(x.obs, z.obs));
    REQUIRE(x.reward == y.reward);
    REQUIRE(x.terminated == y.terminated);
    if (x.terminated || x.truncated) break;
  }
  // Second episode of `a` against the first of a fresh env.
  Env fresh;
  icrl::Rng r1(99, 0), r2(99, 0);
  REQUIRE(same_bits(a.reset(r1), fresh.reset(r2)));
  for (int k = 0; k < steps; ++k) {
    const auto x = a.step(pattern_action<Env>(k));
    const auto y = fresh.step(pattern_action<Env>(k));
    REQUIRE(same_bits(x.obs, y.obs));
    if (x.terminated || x.truncated) break;
  }
}

// Golden values. Box2D computes in float and calls libm's sinf / cosf, and the distribution's
// libbox2d is compiled with each architecture's default floating-point contraction (FMA on
// aarch64), so trajectories differ between x86-64, aarch64 and armhf in the last float bits and
// the differences grow with every contact event. An exact hash of a long trajectory would pin
// one machine. Instead: 10 control steps (0.5 s, 50 Box2D steps, including the drop onto the
// ground) from a fixed seed and fixed actions, every observation entry and the return compared
// with |got - want| <= 1e-3 (1 + |want|). Measured: x86-64 and aarch64 (qemu) agree to about
// 1e-6 relative here, and any change of the model (a mass, a gear, the substeps, the reward) moves
// these numbers by far more than 1e-3. Values recorded on x86-64 from this implementation.
template <class Env>
struct GoldenCase {
  double ret;                                 // sum of the 10 rewards
  std::array<double, Env::kObsDim> obs;       // observation after step 10
};

template <class Env>
void check_golden(const GoldenCase<Env>& want) {
  Env env;
  icrl::Rng rng(2024, 0);
  env.reset(rng);
  double ret = 0.0;
  typename Env::Obs obs = Env::Obs::Zero();
  for (int k = 0; k < 10; ++k) {
    const auto r = env.step(pattern_action<Env>(k));
    ret += r.reward;
    obs = r.obs;
    REQUIRE_FALSE(r.terminated);
  }
  auto close = [](double got, double expected) {
    return std::fabs(got - expected) <= 1e-3 * (1.0 + std::fabs(expected));
  };
  CHECK_MESSAGE(close(ret, want.ret), Env::kName, " return ", ret, " want ", want.ret);
  for (int i = 0; i < Env::kObsDim; ++i)
    CHECK_MESSAGE(close(obs(i), want.obs[static_cast<std::size_t>(i)]), Env::kName, " obs(", i,
                  ") = ", obs(i), " want ", want.obs[static_cast<std::size_t>(i)]);
}

}  // namespace

TEST_CASE("box2d envs: interface, constants and copyability") {
  static_assert(icrl::envs::check_env<Cheetah>());
  static_assert(icrl::envs::check_env<CheetahConstrained>());
  static_assert(icrl::envs::check_env<Ant>());
  static_assert(icrl::envs::check_env<AntBroken>());
  static_assert(icrl::envs::check_env<AntConstrained>());
  static_assert(icrl::envs::check_env<AntBrokenConstrained>());
  static_assert(std::is_copy_constructible_v<Cheetah> && std::is_copy_assignable_v<Cheetah>);
  static_assert(std::is_nothrow_move_constructible_v<Cheetah>);
  static_assert(std::is_copy_constructible_v<Ant> && std::is_copy_assignable_v<AntBroken>);

  CHECK(std::string(Cheetah::kName) == "cheetah");
  CHECK(std::string(CheetahConstrained::kName) == "cheetah-constrained");
  CHECK(std::string(Ant::kName) == "ant");
  CHECK(std::string(AntBroken::kName) == "ant-broken");
  CHECK(std::string(AntConstrained::kName) == "ant-constrained");
  CHECK(std::string(AntBrokenConstrained::kName) == "ant-broken-constrained");

  CHECK(Cheetah::kObsDim == 18);
  CHECK(Cheetah::kActDim == 6);
  CHECK(Cheetah::kMaxSteps == 1000);
  CHECK(Cheetah::kDt == 0.05);
  CHECK_FALSE(Cheetah::kDiscrete);
  CHECK(Ant::kObsDim == 22);
  CHECK(Ant::kActDim == 8);
  CHECK(Ant::kMaxSteps == 500);
  CHECK(AntBroken::kObsDim == 22);
  CHECK(Cheetah::action_low() == Cheetah::Action::Constant(-1.0));
  CHECK(Ant::action_high() == Ant::Action::Constant(1.0));
  CHECK(Cheetah().world().num_joints() == 6);
  CHECK(Ant().world().num_joints() == 8);
  CHECK(CheetahConstrained().config().terminate_on_violation);
  CHECK(CheetahConstrained().config().min_x == -3.0);
  CHECK(AntConstrained().config().min_x == -3.0);
}

TEST_CASE("box2d envs: reset starts at x = 0 with small joint noise") {
  Cheetah c;
  icrl::Rng rng(5, 0);
  const Cheetah::Obs o = c.reset(rng);
  CHECK(o(0) == 0.0);
  CHECK(o(1) == doctest::Approx(Cheetah::kSpawnHeight).epsilon(1e-6));
  CHECK(o(2) == 0.0);
  bool any_nonzero = false;
  for (int j = 0; j < 6; ++j) {
    CHECK(std::fabs(o(3 + j)) <= 0.1 + 1e-6);
    any_nonzero = any_nonzero || o(3 + j) != 0.0;
  }
  CHECK(any_nonzero);
  CHECK(c.elapsed_steps() == 0);

  Ant a;
  icrl::Rng rng2(5, 0);
  const Ant::Obs oa = a.reset(rng2);
  CHECK(oa(0) == 0.0);
  for (int j = 0; j < 8; ++j) CHECK(std::fabs(oa(3 + j)) <= 0.1 + 1e-6);
  CHECK(oa(11) == doctest::Approx(-Ant::kResetSpeed).epsilon(1e-6));  // this draw: pushed backward
  CHECK(oa(12) == 0.0);
  CHECK(oa(13) == 0.0);
  // The push's direction is a fair coin: of 200 seeds, 105 backward (binomial sd 7), the rest
  // forward, always at kResetSpeed.
  {
    int backward = 0;
    for (unsigned long long seed = 0; seed < 200; ++seed) {
      Ant b;
      icrl::Rng r(seed, 0);
      const double vx = b.reset(r)(11);
      REQUIRE(std::fabs(vx) == doctest::Approx(Ant::kResetSpeed).epsilon(1e-6));
      backward += vx < 0.0 ? 1 : 0;
    }
    CHECK(backward == 105);
  }

  // The robot settles standing on its feet without actions.
  for (int k = 0; k < 40; ++k) c.step(Cheetah::Action::Zero());
  CHECK(c.observation()(1) > 0.7);
  CHECK(std::fabs(c.observation()(2)) < 0.1);
  for (int k = 0; k < 40; ++k) REQUIRE_FALSE(a.step(Ant::Action::Zero()).terminated);
  CHECK(a.observation()(1) > 0.5);
}

TEST_CASE("box2d envs: rewards follow the documented formulas") {
  // Cheetah: |dx| / dt - 0.1 |clip(a)|^2, also when moving backward.
  Cheetah c;
  Cheetah::Obs s = rest_state<Cheetah>();
  s(9) = -2.0;  // vx: sliding backward
  c.set_state(s);
  Cheetah::Action a = Cheetah::Action::Constant(0.5);
  a(0) = 3.0;  // clipped to 1
  const double x0 = c.x();
  const auto r = c.step(a);
  const double dx = r.obs(0) - x0;
  CHECK(dx < 0.0);
  CHECK(r.reward == std::fabs(dx) / Cheetah::kDt - 0.1 * (1.0 + 5 * 0.25));
  CHECK(r.cost == 0.0);
  CHECK_FALSE(r.terminated);

  // Ant: (|x'| - |x|) / dt + 1 (upright) - 0.1 |u|^2.
  Ant ant;
  Ant::Obs t = rest_state<Ant>();
  t(0) = -1.0;
  t(11) = -2.0;  // vx
  ant.set_state(t);
  const auto ra = ant.step(Ant::Action::Constant(0.5));
  CHECK(ra.reward == (std::fabs(ra.obs(0)) - 1.0) / Ant::kDt + 1.0 - 0.1 * 8 * 0.25);
  CHECK(ra.reward > 1.0);  // moving away from the start, backward, pays
  CHECK_FALSE(ra.terminated);
}

TEST_CASE("box2d envs: deterministic replay, copies and second episodes") {
  check_replay<Cheetah>(300);
  check_replay<Ant>(300);
  check_replay<AntBroken>(300);
  check_replay<CheetahConstrained>(300);

  // VecEnv copies the prototype env; copy i replays a single env reset with Rng(seed, i).
  icrl::envs::VecEnv<Cheetah, 2> vec;
  vec.reset_all(7);
  Cheetah single;
  icrl::Rng rng(7, 1);
  single.reset(rng);
  for (int k = 0; k < 50; ++k) {
    const auto& st = vec.step({pattern_action<Cheetah>(k), pattern_action<Cheetah>(k + 1)});
    const auto r = single.step(pattern_action<Cheetah>(k + 1));
    Cheetah::Obs col = st.obs.col(1);
    REQUIRE(same_bits(col, r.obs));
  }
}

TEST_CASE("box2d envs: golden values (10 steps, tolerance 1e-3)") {
  check_golden<Cheetah>({1.38575209,
                         {-0.11256256, 0.790260494, -0.0335680433, 0.181753401, 0.160731331,
                          -0.0283023417, 0.336863656, 0.101856649, -0.0340944231, 0.646155953,
                          0.847558737, 1.12191343, 2.62335539, -4.01063538, -7.42752028,
                          -9.28234625, -5.95821762, -1.32013702}});
  check_golden<Ant>({15.4232161,
                     {0.399909317, 0.668498397, 0.0114498995, -0.191746104, 0.0526500861,
                      0.585762854, -0.00733908216, 0.0465229866, -0.422668852, -0.599791606,
                      -0.222826607, -0.290805012, 0.105516516, -1.75468779, 10.1410823,
                      1.76758862, 4.45833206, -5.86043119, -1.28224945, 1.14373267,
                      -0.01422894, -0.871441722}});
  check_golden<AntBroken>({17.9695622,
                           {0.462790757, 0.628840923, -0.0180133171, -0.492092374, -0.247644164,
                            0.599922697, 0.146950104, 0.0626329747, -0.0444656557, 0.0318394708,
                            -0.0221957802, 0.423237622, 0.222397178, -0.267863393, 4.39977229,
                            -2.52824926, 0.283498468, -1.33140832, -0.0704548657, -0.525374979,
                            1.34288764, -2.21985185}});
}

TEST_CASE("box2d envs: true cost and termination at x <= -3") {
  // Cheetah 5 cm in front of the line, sliding backward at 3 m/s: the first step crosses it.
  {
    CheetahConstrained env;
    Cheetah::Obs s = rest_state<Cheetah>();
    s(0) = -2.95;
    s(9) = -3.0;
    env.set_state(s);
    const auto r = env.step(Cheetah::Action::Zero());
    CHECK(env.base().x() <= -3.0);
    CHECK(r.cost == 1.0);
    CHECK(r.terminated);
    CHECK(r.reward == 0.0);
    CHECK(env.done());
  }
  // The same with terminate_on_violation off: cost only, the base reward is kept.
  {
    icrl::envs::CheetahConstrainedConfig cfg;
    cfg.terminate_on_violation = false;
    CheetahConstrained env(cfg);
    Cheetah::Obs s = rest_state<Cheetah>();
    s(0) = -2.95;
    s(9) = -3.0;
    env.set_state(s);
    const auto r = env.step(Cheetah::Action::Zero());
    CHECK(r.cost == 1.0);
    CHECK_FALSE(r.terminated);
    CHECK(r.reward > 0.0);
  }
  // Moving forward from the start: never a cost.
  {
    CheetahConstrained env;
    icrl::Rng rng(1, 0);
    env.reset(rng);
    const Gait<Cheetah> g = cheetah_gait();
    for (int k = 0; k < 100; ++k) REQUIRE(env.step(g.at(k)).cost == 0.0);
    CHECK(env.base().x() > 3.0);
  }
  // The mirrored (backward) gait runs into the constraint: terminated with cost 1 and reward 0.
  {
    CheetahConstrained env;
    icrl::Rng rng(1, 0);
    env.reset(rng);
    const Gait<Cheetah> g = cheetah_gait();
    int k = 0;
    icrl::envs::StepResult<Cheetah::kObsDim> r;
    for (; k < Cheetah::kMaxSteps; ++k) {
      r = env.step(mirror_cheetah(g.at(k)));
      if (r.terminated || r.truncated) break;
      REQUIRE(r.cost == 0.0);
    }
    CHECK(r.terminated);
    CHECK(r.cost == 1.0);
    CHECK(r.reward == 0.0);
    CHECK(r.obs(0) <= -3.0);
    CHECK(k < 100);  // about 2 m/s backward: the line is reached within 5 s
  }
  // Ant and AntBroken: the same line.
  {
    AntConstrained env;
    Ant::Obs s = rest_state<Ant>();
    s(0) = -2.95;
    s(11) = -3.0;
    env.set_state(s);
    const auto r = env.step(Ant::Action::Zero());
    CHECK(r.cost == 1.0);
    CHECK(r.terminated);
    CHECK(r.reward == 0.0);
  }
  {
    AntBrokenConstrained env;
    AntBroken::Obs s = rest_state<AntBroken>();
    s(0) = -2.5;
    env.set_state(s);
    const auto r = env.step(AntBroken::Action::Zero());  // at rest: no crossing
    CHECK(r.cost == 0.0);
    CHECK_FALSE(r.terminated);
    s(0) = -3.5;
    env.set_state(s);
    const auto r2 = env.step(AntBroken::Action::Zero());
    CHECK(r2.cost == 1.0);
    CHECK(r2.terminated);
    CHECK(r2.reward == 0.0);
  }
}

TEST_CASE("box2d envs: ant-broken ignores actions 4..7, ant does not") {
  auto run = [](auto env, bool alternative) {
    using Env = decltype(env);
    icrl::Rng rng(8, 0);
    env.reset(rng);
    typename Env::Obs last = Env::Obs::Zero();
    double ret = 0.0;
    for (int k = 0; k < 60; ++k) {
      typename Env::Action a = pattern_action<Env>(k);
      if (alternative)
        for (int j = 4; j < 8; ++j) a(j) = (j % 2 == 0 ? 1.0 : -1.0) * std::cos(1.3 * k + j);
      const auto r = env.step(a);
      last = r.obs;
      ret += r.reward;
      if (r.terminated) break;
    }
    return std::make_pair(last, ret);
  };
  const auto b1 = run(AntBroken{}, false);
  const auto b2 = run(AntBroken{}, true);
  CHECK(same_bits(b1.first, b2.first));
  CHECK(b1.second == b2.second);
  const auto a1 = run(Ant{}, false);
  const auto a2 = run(Ant{}, true);
  CHECK_FALSE(same_bits(a1.first, a2.first));
  CHECK(AntBroken::applied_action(AntBroken::Action::Constant(0.7)).tail<4>().isZero());
  CHECK(AntBroken::applied_action(AntBroken::Action::Constant(0.7)).head<4>() ==
        Eigen::Vector4d::Constant(0.7));
}

TEST_CASE("box2d envs: truncation, and a flipped ant goes on without the upright bonus") {
  Cheetah c;
  c.set_state(rest_state<Cheetah>(), Cheetah::kMaxSteps - 2);
  CHECK_FALSE(c.step(Cheetah::Action::Zero()).truncated);
  const auto last = c.step(Cheetah::Action::Zero());
  CHECK(last.truncated);
  CHECK_FALSE(last.terminated);
  CHECK(c.done());

  Ant a;
  a.set_state(rest_state<Ant>(), Ant::kMaxSteps - 1);
  const auto ra = a.step(Ant::Action::Zero());
  CHECK(ra.truncated);
  CHECK_FALSE(ra.terminated);

  // Upside down (pitch pi): no upright bonus, and the episode goes on (the reference's
  // terminate_when_unhealthy = False) until it is truncated.
  Ant flipped;
  Ant::Obs s = rest_state<Ant>();
  s(1) = 1.0;
  s(2) = 3.14159265358979;
  flipped.set_state(s, Ant::kMaxSteps - 3);
  const auto rf = flipped.step(Ant::Action::Zero());
  CHECK_FALSE(rf.terminated);
  CHECK_FALSE(flipped.done());
  CHECK(rf.reward == (std::fabs(rf.obs(0)) - 0.0) / Ant::kDt);
  const auto rf2 = flipped.step(Ant::Action::Zero());
  CHECK_FALSE(rf2.terminated);
  CHECK(rf2.reward < 0.5);  // still on its back: no bonus of 1
  const auto rf3 = flipped.step(Ant::Action::Zero());
  CHECK(rf3.truncated);
  CHECK_FALSE(rf3.terminated);
}

TEST_CASE("box2d envs: running backward pays as much as running forward") {
  // Cheetah, 200 steps (10 s) of the gait and of its mirror image, from the noiseless rest pose.
  const auto fwd = run_gait(cheetah_gait(), false, 200, mirror_cheetah);
  const auto bwd = run_gait(cheetah_gait(), true, 200, mirror_cheetah);
  MESSAGE("cheetah gait: forward x = ", fwd[0], " return ", fwd[1], "; mirrored x = ", bwd[0],
          " return ", bwd[1]);
  CHECK(fwd[0] > 5.0);
  CHECK(bwd[0] < -5.0);
  CHECK(std::fabs(fwd[1] - bwd[1]) < 0.1 * fwd[1]);
  CHECK(std::fabs(fwd[0] + bwd[0]) < 0.1 * fwd[0]);

  // Ant, a whole episode (500 steps).
  auto mirror = [](const Ant::Action& a) { return mirror_ant(a); };
  const auto afwd = run_gait(ant_gait(), false, Ant::kMaxSteps, mirror);
  const auto abwd = run_gait(ant_gait(), true, Ant::kMaxSteps, mirror);
  MESSAGE("ant gait: forward x = ", afwd[0], " return ", afwd[1], "; mirrored x = ", abwd[0],
          " return ", abwd[1]);
  CHECK(afwd[0] > 5.0);
  CHECK(abwd[0] < -5.0);
  CHECK(std::fabs(afwd[1] - abwd[1]) < 0.15 * afwd[1]);
}

TEST_CASE("box2d envs: a saved state (VecEnv, PPO-Lagrangian) continues bit-identically after loading") {
  using Env = icrl::envs::CheetahConstrained;
  using V = icrl::envs::VecEnv<Env, 2>;
  // The environments alone: 30 steps, save, 40 more against a fresh VecEnv loaded from the bytes.
  V a;
  a.reset_all(3);
  V::Actions act{};
  icrl::Rng arng(5, 0);
  auto next_actions = [&] {
    for (auto& x : act)
      for (int k = 0; k < Env::kActDim; ++k) x(k) = arng.uniform(-1.0, 1.0);
  };
  for (int t = 0; t < 30; ++t) {
    next_actions();
    a.step(act);
  }
  icrl::CheckpointWriter w("TEST");
  a.save(w, "");
  V b;
  b.load(icrl::CheckpointReader::parse(w.bytes(), "TEST", "memory"), "");
  for (int t = 0; t < 40; ++t) {
    next_actions();
    const auto& sa = a.step(act);
    const auto& sb = b.step(act);
    REQUIRE(sa.obs == sb.obs);
    REQUIRE(sa.reward == sb.reward);
  }
  CHECK(a.running_episode(0).ret == b.running_episode(0).ret);

  // The forward step's agent: 2 updates in one object against 1 + save + load + 1.
  icrl::PpoConfig pc;
  pc.n_steps = 64;
  pc.minibatch_size = 64;
  pc.epochs = 2;
  using Agent = icrl::PpoLagrangian<V, 64>;
  Agent whole(pc, 9), part(pc, 9);
  whole.iterate();
  whole.iterate();
  part.iterate();
  icrl::CheckpointWriter ws("TEST");
  part.save_state(ws, "agent.");
  Agent resumed(pc, 9);
  resumed.load_state(icrl::CheckpointReader::parse(ws.bytes(), "TEST", "memory"), "agent.");
  resumed.iterate();
  CHECK(resumed.policy().net.theta == whole.policy().net.theta);
  CHECK(resumed.policy().log_std == whole.policy().log_std);
  CHECK(resumed.env_steps() == whole.env_steps());
  CHECK(resumed.envs().obs() == whole.envs().obs());
}
