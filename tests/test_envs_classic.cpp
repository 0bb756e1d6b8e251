// tests/test_envs_classic.cpp - Pendulum-v1, CartPole-v1, their constrained variants and VecEnv.
//
// What is checked (SPEC section 6; envs/env.hpp, pendulum.hpp, cartpole.hpp, vec_env.hpp):
//  - det_sin / det_cos agree with libm to about 1 ulp;
//  - the interface checker accepts the four envs and rejects incomplete types;
//  - one step from a set state equals the published equations evaluated independently (the
//    expected numbers were computed with Python's math module from the Gym formulas);
//  - reset() draws Gym's initial-state distribution from the given Rng, in order;
//  - a fixed seed and action sequence give a fixed FNV-1a hash of the trajectory (golden value
//    recorded from this implementation; any change to the physics, the order of operations or
//    the RNG use changes it), and two runs agree;
//  - termination and truncation: CartPole ends when pushed one way (reward 1 on that step),
//    balances to exactly 500 steps; Pendulum truncates at exactly 200 and never terminates;
//    stepping a finished episode trips ICRL_ASSERT (debug builds);
//  - the constrained variants' costs, including that a slower swing-up / a centred balancer is
//    feasible under the default thresholds;
//  - the generic Constrained<Env, Constraint> wrapper (constrained.hpp) with test-local
//    constraints on Pendulum's angle and on CartPole's action: same dynamics, cost 1 on violating
//    steps, and with terminate_on_violation reward 0 and terminated on that step;
//  - VecEnv: auto-reset, final_obs holds the pre-reset observation, and every copy replays a
//    single env seeded with Rng(seed, i) exactly (observations and episode statistics).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "env_test_util.hpp"
#include "envs/cartpole.hpp"
#include "envs/constrained.hpp"
#include "envs/env.hpp"
#include "envs/pendulum.hpp"
#include "envs/vec_env.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

using icrl::envs::CartPole;
using icrl::envs::CartPoleConstrained;
using icrl::envs::Pendulum;
using icrl::envs::PendulumConstrained;

namespace {

// ---- helpers ----------------------------------------------------------------------------------

using test_util::AssertFired;
using test_util::Fnv1a64;
using test_util::ThrowingAsserts;

Pendulum::Action torque(double u) { return Pendulum::Action::Constant(u); }

// Deterministic test action sequences.
// Torques cycling through -2.4 .. 2.4 in steps of 0.6 (the outer two are clipped to +-2).
double pendulum_test_action(int t) { return 0.6 * static_cast<double>((t * 7) % 9 - 4); }
int cartpole_test_action(const CartPole::Obs& s, int t) {
  const int balance = (s(2) + 0.5 * s(3) > 0.0) ? 1 : 0;  // push towards the lean
  return (t % 7 == 3) ? 1 - balance : balance;            // with a scripted disturbance
}

// Bang-bang feedback "push right when k . [x - x_target, xdot, th, thdot] > 0".
int cartpole_feedback(const CartPole::Obs& s, double kx, double kxd, double x_target) {
  const double v = kx * (s(0) - x_target) + kxd * s(1) + 18.0 * s(2) + 3.0 * s(3);
  return v > 0.0 ? 1 : 0;
}

// Pendulum swing-up controllers; th is angle_normalize(theta), w the angular velocity.
double sign_or_one(double w) { return w >= 0.0 ? 1.0 : -1.0; }
double bang_bang(double /*th*/, double w) { return 2.0 * sign_or_one(w); }
// Energy in the model's units, E = w^2 / 2 + (3 g / 2 l) cos th: 15 when upright at rest.
double energy(double th, double w) { return 0.5 * w * w + 15.0 * icrl::envs::det_cos(th); }
// Pump until E reaches the upright energy, catch with linear feedback near the top.
double energy_shaping(double th, double w) {
  if (std::fabs(th) < 0.5) return -10.0 * th - 2.0 * w;
  return energy(th, w) < 15.0 ? 2.0 * sign_or_one(w) : 0.0;
}
// Slow swing-up: keep E just above what full torque on the final ascent needs to reach the top
// (15 - 6 |th| while rising, 15 - 6 pi elsewhere), braking when above it; catch near the top.
double slow_swing_up(double th, double w) {
  if (std::fabs(th) < 0.5) return -10.0 * th - 2.0 * w;
  const bool rising = th * w < 0.0;
  const double target = (rising ? 15.0 - 6.0 * std::fabs(th) : 15.0 - 6.0 * Pendulum::kPi) + 2.5;
  return energy(th, w) < target ? 2.0 * sign_or_one(w) : -2.0 * sign_or_one(w);
}

struct SwingUpRun {
  double total_cost = 0.0;
  double max_speed = 0.0;
  double final_th = 0.0;
  double final_w = 0.0;
  int first_violation = -1;  // step index, -1 if none
  bool terminated = false;
};

template <class Policy>
SwingUpRun run_pendulum_constrained(PendulumConstrained env, Policy policy, double th0, double w0) {
  SwingUpRun run;
  env.set_state(th0, w0);
  for (int t = 0; t < Pendulum::kMaxSteps; ++t) {
    const Pendulum& p = env.base();
    const auto r = env.step(torque(policy(icrl::envs::angle_normalize(p.theta()), p.theta_dot())));
    run.total_cost += r.cost;
    run.max_speed = std::max(run.max_speed, std::fabs(r.obs(2)));
    if (r.cost > 0.0 && run.first_violation < 0) run.first_violation = t;
    if (r.terminated) {
      run.terminated = true;
      break;
    }
    if (r.truncated) break;
  }
  run.final_th = icrl::envs::angle_normalize(env.base().theta());
  run.final_w = env.base().theta_dot();
  return run;
}

// Types for the interface checker's negative cases.
struct NotAnEnv {};
struct MissingStep {
  static constexpr const char* kName = "missing-step";
  static constexpr int kObsDim = 2, kActDim = 1, kNumActions = 2, kMaxSteps = 10;
  static constexpr bool kDiscrete = true;
  using Obs = Eigen::Matrix<double, 2, 1>;
  using Action = int;
  Obs reset(icrl::Rng&) { return Obs::Zero(); }
};
struct ContinuousWithoutBounds {
  static constexpr const char* kName = "no-bounds";
  static constexpr int kObsDim = 2, kActDim = 1, kNumActions = 0, kMaxSteps = 10;
  static constexpr bool kDiscrete = false;
  using Obs = Eigen::Matrix<double, 2, 1>;
  using Action = Eigen::Matrix<double, 1, 1>;
  Obs reset(icrl::Rng&) { return Obs::Zero(); }
  icrl::envs::StepResult<2> step(const Action&) { return {}; }
};
struct WrongStepResult {
  static constexpr const char* kName = "wrong-step";
  static constexpr int kObsDim = 2, kActDim = 1, kNumActions = 2, kMaxSteps = 10;
  static constexpr bool kDiscrete = true;
  using Obs = Eigen::Matrix<double, 2, 1>;
  using Action = int;
  Obs reset(icrl::Rng&) { return Obs::Zero(); }
  icrl::envs::StepResult<3> step(const Action&) { return {}; }
};

}  // namespace

TEST_SUITE_BEGIN("envs_classic");

// ---- env.hpp --------------------------------------------------------------------------------

TEST_CASE("det_sin and det_cos agree with libm to about one ulp") {
  double max_err = 0.0;
  for (int k = -200000; k <= 200000; ++k) {
    const double x = 0.000731 * static_cast<double>(k);  // [-146, 146], not on a pi grid
    max_err = std::max(max_err, std::fabs(icrl::envs::det_sin(x) - std::sin(x)));
    max_err = std::max(max_err, std::fabs(icrl::envs::det_cos(x) - std::cos(x)));
  }
  CHECK(max_err <= 2.3e-16);  // about one ulp of 1.0
  // Exact special values and symmetry.
  CHECK(icrl::envs::det_sin(0.0) == 0.0);
  CHECK(icrl::envs::det_cos(0.0) == 1.0);
  CHECK(std::signbit(icrl::envs::det_sin(-0.0)));
  CHECK(icrl::envs::det_sin(-1.234) == -icrl::envs::det_sin(1.234));
  CHECK(icrl::envs::det_cos(-1.234) == icrl::envs::det_cos(1.234));
  // Relative accuracy where the value is tiny: small arguments and near multiples of pi/2
  // (this needs all three parts of the pi/2 constant in the reduction).
  auto rel_err = [](double got, double want) { return std::fabs(got - want) / std::fabs(want); };
  CHECK(rel_err(icrl::envs::det_sin(1e-10), std::sin(1e-10)) <= 2.3e-16);
  for (int k = 1; k <= 64; ++k) {
    const double x = static_cast<double>(k) * (0.5 * Pendulum::kPi);  // nearest double to k pi/2
    CAPTURE(k);
    CHECK(rel_err(icrl::envs::det_sin(x), std::sin(x)) <= 1e-12);
    CHECK(rel_err(icrl::envs::det_cos(x), std::cos(x)) <= 1e-12);
  }
  // Large arguments (fmod pre-reduction) stay close; NaN and infinity give NaN.
  CHECK(std::fabs(icrl::envs::det_sin(1e7) - std::sin(1e7)) < 1e-8);
  CHECK(std::isnan(icrl::envs::det_sin(std::nan(""))));
  CHECK(std::isnan(icrl::envs::det_cos(HUGE_VAL)));
}

TEST_CASE("check_env accepts the classic envs and rejects incomplete types") {
  static_assert(icrl::envs::check_env<Pendulum>());
  static_assert(icrl::envs::check_env<PendulumConstrained>());
  static_assert(icrl::envs::check_env<CartPole>());
  static_assert(icrl::envs::check_env<CartPoleConstrained>());
  CHECK(icrl::envs::is_env_v<Pendulum>);
  CHECK(icrl::envs::is_env_v<CartPoleConstrained>);
  CHECK_FALSE(icrl::envs::is_env_v<NotAnEnv>);
  CHECK_FALSE(icrl::envs::is_env_v<MissingStep>);
  CHECK_FALSE(icrl::envs::is_env_v<ContinuousWithoutBounds>);
  CHECK_FALSE(icrl::envs::is_env_v<WrongStepResult>);
  CHECK(std::string(Pendulum::kName) == "pendulum");
  CHECK(std::string(PendulumConstrained::kName) == "pendulum-constrained");
  CHECK(std::string(CartPole::kName) == "cartpole");
  CHECK(std::string(CartPoleConstrained::kName) == "cartpole-constrained");
}

// ---- Pendulum-v1 ------------------------------------------------------------------------------

TEST_CASE("Pendulum: constants, bounds and angle_normalize") {
  CHECK(Pendulum::kObsDim == 3);
  CHECK(Pendulum::kActDim == 1);
  CHECK_FALSE(Pendulum::kDiscrete);
  CHECK(Pendulum::kMaxSteps == 200);
  CHECK(Pendulum::action_low()(0) == -2.0);
  CHECK(Pendulum::action_high()(0) == 2.0);
  CHECK(icrl::envs::angle_normalize(0.5) == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(icrl::envs::angle_normalize(4.0) ==
        doctest::Approx(4.0 - 2.0 * Pendulum::kPi).epsilon(1e-15));
  CHECK(icrl::envs::angle_normalize(-4.0) ==
        doctest::Approx(2.0 * Pendulum::kPi - 4.0).epsilon(1e-15));
  CHECK(icrl::envs::angle_normalize(20.0) ==
        doctest::Approx(20.0 - 6.0 * Pendulum::kPi).epsilon(1e-14));
  CHECK(icrl::envs::angle_normalize(Pendulum::kPi) ==
        doctest::Approx(-Pendulum::kPi));  // [-pi, pi)
}

TEST_CASE("Pendulum: one step equals the published equations") {
  struct Case {
    double th, thdot, u;         // pre-step state and (unclipped) torque
    double obs[3], reward, th1;  // expected [cos th', sin th', thdot'], reward, th'
  };
  // Computed with Python's math module from the Pendulum-v1 formulas (see pendulum.hpp).
  const Case cases[] = {
      // plain step, torque 1.0
      {0.5,
       -0.3,
       1.0,
       {0.8725108355979643, 0.4885947623175489, 0.2095691539531523},
       -0.26,
       0.5104784576976577},
      // angle outside [-pi, pi) in the cost, torque clipped to -2
      {4.0,
       1.5,
       -5.0,
       {-0.6293908489309422, -0.7770889005010867, 0.6323981285190537},
       -5.44193514692074,
       4.031619906425953},
      // speed clipped to +8
      {2.0, 7.9, 2.0, {-0.7373937155412454, 0.675463180551151, 8.0}, -10.245, 2.4},
  };
  for (const Case& c : cases) {
    CAPTURE(c.th);
    Pendulum env;
    env.set_state(c.th, c.thdot);
    const auto r = env.step(torque(c.u));
    for (int k = 0; k < 3; ++k) CHECK(r.obs(k) == doctest::Approx(c.obs[k]).epsilon(1e-13));
    CHECK(r.reward == doctest::Approx(c.reward).epsilon(1e-13));
    CHECK(env.theta() == doctest::Approx(c.th1).epsilon(1e-13));
    CHECK(r.cost == 0.0);
    CHECK_FALSE(r.terminated);
    CHECK_FALSE(r.truncated);
  }
}

TEST_CASE("Pendulum: reset draws th ~ U(-pi, pi) then thdot ~ U(-1, 1) from the rng") {
  icrl::Rng rng(11, 3);
  icrl::Rng mirror(11, 3);
  Pendulum env;
  double th_min = 10, th_max = -10, w_min = 10, w_max = -10;
  for (int k = 0; k < 2000; ++k) {
    const auto obs = env.reset(rng);
    const double th = mirror.uniform(-Pendulum::kPi, Pendulum::kPi);
    const double w = mirror.uniform(-1.0, 1.0);
    REQUIRE(env.theta() == th);
    REQUIRE(env.theta_dot() == w);
    REQUIRE(obs(0) == icrl::envs::det_cos(th));
    REQUIRE(obs(1) == icrl::envs::det_sin(th));
    REQUIRE(obs(2) == w);
    REQUIRE(env.elapsed_steps() == 0);
    th_min = std::min(th_min, th), th_max = std::max(th_max, th);
    w_min = std::min(w_min, w), w_max = std::max(w_max, w);
  }
  CHECK(th_min >= -Pendulum::kPi);
  CHECK(th_max < Pendulum::kPi);
  CHECK(th_min < -3.0);
  CHECK(th_max > 3.0);
  CHECK(w_min >= -1.0);
  CHECK(w_max < 1.0);
  CHECK(w_min < -0.99);
  CHECK(w_max > 0.99);
}

TEST_CASE("Pendulum: truncates at exactly 200 steps and never terminates") {
  icrl::Rng rng(5, 0);
  Pendulum env;
  for (int episode = 0; episode < 3; ++episode) {
    env.reset(rng);
    for (int t = 1; t <= Pendulum::kMaxSteps; ++t) {
      const auto r = env.step(torque(2.0));  // spins the pendulum, visiting every angle
      REQUIRE_FALSE(r.terminated);
      REQUIRE(r.truncated == (t == Pendulum::kMaxSteps));
      REQUIRE(env.elapsed_steps() == t);
    }
    CHECK(env.done());
  }
  // set_state with steps already used: truncation comes after the remainder.
  env.set_state(0.0, 0.0, 198);
  CHECK_FALSE(env.step(torque(0.0)).truncated);
  CHECK(env.step(torque(0.0)).truncated);
#ifndef NDEBUG
  ThrowingAsserts guard;
  CHECK_THROWS_AS(env.step(torque(0.0)), AssertFired);  // stepping a finished episode
#endif
}

TEST_CASE("Pendulum: golden trajectory hash") {
  auto run = [] {
    Fnv1a64 hash;
    icrl::Rng rng(2024, 0);
    Pendulum env;
    hash.add(env.reset(rng));
    for (int t = 0; t < 3 * Pendulum::kMaxSteps; ++t) {
      const auto r = env.step(torque(pendulum_test_action(t)));
      hash.add(r.obs);
      hash.add(r.reward);
      if (r.truncated) hash.add(env.reset(rng));
    }
    return hash.h;
  };
  const std::uint64_t first = run();
  CHECK(first == run());
  CHECK(first == 0x6B1F613937F99B3AULL);
}

// ---- CartPole-v1 ------------------------------------------------------------------------------

TEST_CASE("CartPole: constants and bounds") {
  CHECK(CartPole::kObsDim == 4);
  CHECK(CartPole::kDiscrete);
  CHECK(CartPole::kNumActions == 2);
  CHECK(CartPole::kMaxSteps == 500);
  CHECK(CartPole::kTotalMass == doctest::Approx(1.1));
  CHECK(CartPole::kPoleMassLength == doctest::Approx(0.05));
  CHECK(CartPole::kThetaThreshold == 0.20943951023931953);  // 12 * 2 * pi / 360 in double
  CHECK(CartPole::action_low()(0) == 0.0);
  CHECK(CartPole::action_high()(0) == 1.0);
}

TEST_CASE("CartPole: one step with each action equals the published equations") {
  // State [x, xdot, th, thdot] = [0.1, -0.2, 0.05, 0.3]; expected next states computed with
  // Python's math module from the CartPole-v1 formulas (see cartpole.hpp).
  const CartPole::Obs s0(0.1, -0.2, 0.05, 0.3);
  const double expected[2][4] = {
      {0.096, -0.3957976546439626, 0.056, 0.6080233136061515},     // action 0: push left
      {0.096, -0.005625065781779709, 0.056, 0.02349585151852651},  // action 1: push right
  };
  for (int a = 0; a < 2; ++a) {
    CAPTURE(a);
    CartPole env;
    env.set_state(s0);
    const auto r = env.step(a);
    for (int k = 0; k < 4; ++k) CHECK(r.obs(k) == doctest::Approx(expected[a][k]).epsilon(1e-13));
    CHECK(r.reward == 1.0);
    CHECK(r.cost == 0.0);
    CHECK_FALSE(r.terminated);
    CHECK_FALSE(r.truncated);
  }
}

TEST_CASE("CartPole: reset draws the state ~ U(-0.05, 0.05)^4 from the rng") {
  icrl::Rng rng(9, 1);
  icrl::Rng mirror(9, 1);
  CartPole env;
  for (int k = 0; k < 1000; ++k) {
    const auto obs = env.reset(rng);
    for (int j = 0; j < 4; ++j) {
      REQUIRE(obs(j) == mirror.uniform(-0.05, 0.05));
      REQUIRE(std::fabs(obs(j)) <= 0.05);
    }
  }
}

TEST_CASE("CartPole: pushing one way terminates, with reward 1 on the terminating step") {
  for (int a = 0; a < 2; ++a) {
    CAPTURE(a);
    CartPole env;
    env.set_state(CartPole::Obs::Zero());
    int t = 0;
    icrl::envs::StepResult<4> r;
    do {
      r = env.step(a);
      ++t;
      REQUIRE(r.reward == 1.0);
      REQUIRE_FALSE(r.truncated);
    } while (!r.terminated && t < 100);
    CHECK(r.terminated);
    CHECK(t < 20);  // the pole falls within a few tenths of a second
    // Pushing right tips the pole left (th < 0) and vice versa.
    CHECK(std::fabs(r.obs(2)) > CartPole::kThetaThreshold);
    CHECK((a == 1 ? r.obs(2) < 0.0 : r.obs(2) > 0.0));
#ifndef NDEBUG
    ThrowingAsserts guard;
    CHECK_THROWS_AS(env.step(a), AssertFired);  // stepping after termination
#endif
  }
  // Termination boundaries, both sides: |th'| > 12 degrees and |x'| > 2.4, strictly.
  const double thr = CartPole::kThetaThreshold;
  for (const double side : {1.0, -1.0}) {
    CAPTURE(side);
    CartPole probe;
    probe.set_state(CartPole::Obs(0.0, 0.0, side * (thr - 0.01), side * (0.01 + 1e-9) / 0.02));
    CHECK(probe.step(0).terminated);  // th' just beyond the threshold
    probe.set_state(CartPole::Obs(0.0, 0.0, side * (thr - 0.01), side * (0.01 - 1e-9) / 0.02));
    CHECK_FALSE(probe.step(0).terminated);  // th' just inside
    probe.set_state(CartPole::Obs(side * 2.39, side * (0.01 + 1e-9) / 0.02, 0.0, 0.0));
    CHECK(probe.step(0).terminated);  // x' just beyond 2.4
    probe.set_state(CartPole::Obs(side * 2.39, side * (0.01 - 1e-9) / 0.02, 0.0, 0.0));
    CHECK_FALSE(probe.step(0).terminated);  // x' just inside
  }
  // Leaving the track: |x| > 2.4 terminates.
  CartPole env;
  env.set_state(CartPole::Obs(2.39, 1.0, 0.0, 0.0));
  const auto r = env.step(1);  // x' = 2.39 + 0.02 = 2.41
  CHECK(r.terminated);
  CHECK(r.reward == 1.0);
  env.set_state(CartPole::Obs(2.37, 1.0, 0.0, 0.0));
  CHECK_FALSE(env.step(1).terminated);  // x' = 2.39
#ifndef NDEBUG
  ThrowingAsserts guard;
  CartPole fresh;
  CHECK_THROWS_AS(fresh.step(2), AssertFired);  // not an action
#endif
}

TEST_CASE("CartPole: a balancing policy is truncated at exactly 500 steps") {
  icrl::Rng rng(3, 0);
  CartPole env;
  auto obs = env.reset(rng);
  for (int t = 1; t <= CartPole::kMaxSteps; ++t) {
    const auto r = env.step(cartpole_feedback(obs, 1.0, 1.0, 0.0));
    obs = r.obs;
    REQUIRE_FALSE(r.terminated);
    REQUIRE(r.truncated == (t == CartPole::kMaxSteps));
  }
  CHECK(env.done());
}

TEST_CASE("CartPole: golden trajectory hash") {
  auto run = [](int* episodes) {
    Fnv1a64 hash;
    icrl::Rng rng(2024, 0);
    CartPole env;
    auto obs = env.reset(rng);
    hash.add(obs);
    *episodes = 0;
    for (int t = 0; t < 2000; ++t) {
      const auto r = env.step(cartpole_test_action(obs, t));
      hash.add(r.obs);
      hash.add(r.reward);
      hash.add(r.terminated ? 1.0 : 0.0);
      obs = r.obs;
      if (r.terminated || r.truncated) {
        obs = env.reset(rng);
        hash.add(obs);
        ++*episodes;
      }
    }
    return hash.h;
  };
  int episodes_a = 0, episodes_b = 0;
  const std::uint64_t first = run(&episodes_a);
  CHECK(first == run(&episodes_b));
  CHECK(episodes_a == episodes_b);
  CHECK(episodes_a >= 2);  // the sequence crosses episode boundaries
  CHECK(first == 0x2E4748A02AB53628ULL);
}

// ---- constrained variants ---------------------------------------------------------------------

TEST_CASE("PendulumConstrained: same dynamics as Pendulum, cost from the post-step speed") {
  icrl::Rng rng_a(77, 0), rng_b(77, 0);
  Pendulum plain;
  PendulumConstrained constrained;
  CHECK(constrained.config().max_abs_theta_dot == 6.0);
  REQUIRE(plain.reset(rng_a) == constrained.reset(rng_b));
  for (int t = 0; t < Pendulum::kMaxSteps; ++t) {
    const auto u = torque(pendulum_test_action(t));
    const auto a = plain.step(u);
    const auto b = constrained.step(u);
    REQUIRE(a.obs == b.obs);
    REQUIRE(a.reward == b.reward);
    REQUIRE(a.truncated == b.truncated);
    REQUIRE(b.cost == (std::fabs(b.obs(2)) > 6.0 ? 1.0 : 0.0));
  }
  // The boundary itself is allowed: cost only when |thdot'| > threshold.
  PendulumConstrained env;
  env.set_state(0.0, 6.0);  // upright, thdot' = 6 exactly with zero torque
  CHECK(env.step(torque(0.0)).cost == 0.0);
  env.set_state(0.0, -6.0 - 1e-9);
  CHECK(env.step(torque(0.0)).cost == 1.0);
}

TEST_CASE(
    "PendulumConstrained: bang-bang violates, resting does not, a slow swing-up is feasible") {
  const PendulumConstrained env;
  // Bang-bang from rest at the bottom: swings up fast and spins at the 8 rad/s clip.
  const SwingUpRun bang = run_pendulum_constrained(env, bang_bang, Pendulum::kPi, 0.0);
  CHECK(bang.total_cost >= 100.0);
  CHECK(bang.max_speed == 8.0);
  // Energy shaping reaches the top, but crosses the bottom at about sqrt(60) rad/s on the way.
  const SwingUpRun shaped = run_pendulum_constrained(env, energy_shaping, Pendulum::kPi, 0.0);
  CHECK(shaped.total_cost > 0.0);
  CHECK(shaped.max_speed > 7.0);
  CHECK(std::fabs(shaped.final_th) < 0.05);
  // Zero torque from rest near the bottom: small oscillation, no cost.
  const auto zero = [](double, double) { return 0.0; };
  const SwingUpRun rest = run_pendulum_constrained(env, zero, Pendulum::kPi - 0.1, 0.0);
  CHECK(rest.total_cost == 0.0);
  CHECK(rest.max_speed < 0.5);
  // A slower swing-up exists under the default threshold: it ends balanced on top with no cost,
  // its peak speed above the ~4.7 rad/s floor any swing-up needs.
  const SwingUpRun slow = run_pendulum_constrained(env, slow_swing_up, Pendulum::kPi, 0.0);
  CHECK(slow.total_cost == 0.0);
  CHECK(slow.max_speed < 6.0);
  CHECK(slow.max_speed > 4.7);
  CHECK(std::fabs(slow.final_th) < 0.05);
  CHECK(std::fabs(slow.final_w) < 0.1);
  // The threshold is a parameter: above the speed clip nothing can violate.
  PendulumConstrained::Config loose;
  loose.max_abs_theta_dot = 8.5;
  CHECK(run_pendulum_constrained(PendulumConstrained(loose), bang_bang, Pendulum::kPi, 0.0)
            .total_cost == 0.0);
}

TEST_CASE("PendulumConstrained: terminate_on_violation ends the episode with reward 0") {
  PendulumConstrained::Config cfg;
  cfg.terminate_on_violation = true;
  const SwingUpRun reference =
      run_pendulum_constrained(PendulumConstrained(), bang_bang, Pendulum::kPi, 0.0);
  PendulumConstrained env(cfg);
  env.set_state(Pendulum::kPi, 0.0);
  int t = 0;
  icrl::envs::StepResult<3> r;
  for (;; ++t) {
    const Pendulum& p = env.base();
    r = env.step(torque(bang_bang(icrl::envs::angle_normalize(p.theta()), p.theta_dot())));
    if (r.terminated || r.truncated) break;
    REQUIRE(r.cost == 0.0);
    REQUIRE(r.reward < 0.0);
  }
  CHECK(t == reference.first_violation);
  CHECK(r.terminated);
  CHECK(r.cost == 1.0);
  CHECK(r.reward == 0.0);
#ifndef NDEBUG
  ThrowingAsserts guard;
  CHECK_THROWS_AS(env.step(torque(0.0)), AssertFired);
#endif
}

TEST_CASE("CartPoleConstrained: a centred balancer is free, a right-drifting balancer pays") {
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    CAPTURE(seed);
    for (int policy = 0; policy < 2; ++policy) {
      const double x_target = policy == 0 ? 0.0 : 1.5;
      const double kxd = policy == 0 ? 1.0 : 2.0;
      icrl::Rng rng(seed, 0);
      CartPoleConstrained env;
      auto obs = env.reset(rng);
      double ret = 0.0, cost = 0.0;
      bool truncated = false;
      for (int t = 0; t < CartPole::kMaxSteps; ++t) {
        const auto r = env.step(cartpole_feedback(obs, 1.0, kxd, x_target));
        obs = r.obs;
        ret += r.reward;
        cost += r.cost;
        REQUIRE(r.cost == (r.obs(0) > 1.0 ? 1.0 : 0.0));
        REQUIRE_FALSE(r.terminated);
        truncated = r.truncated;
      }
      CHECK(truncated);
      CHECK(ret == 500.0);  // both balance for the whole episode
      if (policy == 0) {
        CHECK(cost == 0.0);
      } else {
        CHECK(cost > 250.0);
      }
    }
  }
}

TEST_CASE("CartPoleConstrained: configurable region and terminate_on_violation") {
  CartPoleConstrained::Config cfg;
  cfg.forbidden_below = -0.5;
  cfg.forbidden_above = 0.5;
  cfg.terminate_on_violation = true;
  CartPoleConstrained env(cfg);
  env.set_state(CartPole::Obs(-0.49, -1.0, 0.0, 0.0));
  const auto r = env.step(0);  // x' = -0.51
  CHECK(r.cost == 1.0);
  CHECK(r.terminated);
  CHECK(r.reward == 0.0);
  env.set_state(CartPole::Obs(0.49, 0.0, 0.0, 0.0));
  const auto inside = env.step(1);  // x' = 0.49
  CHECK(inside.cost == 0.0);
  CHECK_FALSE(inside.terminated);
  CHECK(inside.reward == 1.0);
}

// ---- the generic wrapper (constrained.hpp) with test-local constraints ----------------------

namespace {

// Keep the pendulum out of the sector right of upright: a step whose post-step wrapped angle
// exceeds config.max_angle violates. Reads the base env after the step.
struct PendulumAngleConfig {
  double max_angle = 1.2;               // [rad], wrapped angle from upright
  bool terminate_on_violation = false;  // SPEC "true env" rule
};
struct PendulumAngleLimit {
  static constexpr const char* kName = "pendulum-angle-limit";
  using Config = PendulumAngleConfig;
  static bool violated(const Config& config, const Pendulum& after, const Pendulum::Action&,
                       const icrl::envs::StepResult<Pendulum::kObsDim>&) {
    return icrl::envs::angle_normalize(after.theta()) > config.max_angle;
  }
};
using PendulumAngleLimited = icrl::envs::Constrained<Pendulum, PendulumAngleLimit>;

// An action constraint like LapGrid's "no backward": pushing left (action 0) violates.
struct NoPushLeftConfig {
  bool terminate_on_violation = false;  // SPEC "true env" rule
};
struct NoPushLeft {
  static constexpr const char* kName = "cartpole-no-push-left";
  using Config = NoPushLeftConfig;
  static bool violated(const Config&, const CartPole&, const CartPole::Action& a,
                       const icrl::envs::StepResult<CartPole::kObsDim>&) {
    return a == 0;
  }
};
using CartPoleNoPushLeft = icrl::envs::Constrained<CartPole, NoPushLeft>;

}  // namespace

TEST_CASE("Constrained: the interface, names and constants come from Env and Constraint") {
  static_assert(icrl::envs::check_env<PendulumAngleLimited>());
  static_assert(icrl::envs::check_env<CartPoleNoPushLeft>());
  static_assert(PendulumAngleLimited::kObsDim == Pendulum::kObsDim);
  static_assert(PendulumAngleLimited::kMaxSteps == Pendulum::kMaxSteps);
  static_assert(!PendulumAngleLimited::kDiscrete);
  static_assert(CartPoleNoPushLeft::kDiscrete && CartPoleNoPushLeft::kNumActions == 2);
  CHECK(std::string(PendulumAngleLimited::kName) == "pendulum-angle-limit");
  CHECK(std::string(PendulumConstrained::kName) == "pendulum-constrained");
  CHECK(std::string(CartPoleConstrained::kName) == "cartpole-constrained");
  CHECK(PendulumAngleLimited::action_low() == Pendulum::action_low());
  CHECK(PendulumAngleLimited::action_high() == Pendulum::action_high());
  CHECK(CartPoleNoPushLeft::action_high() == CartPole::action_high());
}

TEST_CASE("Constrained: a third constraint (Pendulum angle) costs, and terminates when enforced") {
  // Falling from 1 rad right of upright with zero torque: the angle grows past max_angle = 1.2.
  const auto zero = torque(0.0);
  Pendulum plain;
  PendulumAngleLimited soft;  // cost signal only
  plain.set_state(1.0, 0.0);
  soft.set_state(1.0, 0.0);
  int first_violation = -1;
  for (int t = 0; t < 20; ++t) {
    const auto a = plain.step(zero);
    const auto b = soft.step(zero);
    REQUIRE(a.obs == b.obs);
    REQUIRE(a.reward == b.reward);
    REQUIRE_FALSE(b.terminated);
    const bool outside = icrl::envs::angle_normalize(soft.base().theta()) > 1.2;
    REQUIRE(b.cost == (outside ? 1.0 : 0.0));
    if (outside && first_violation < 0) first_violation = t;
  }
  REQUIRE(first_violation > 0);  // some free steps first, then violations
  CHECK(soft.elapsed_steps() == 20);
  CHECK(soft.observation() == plain.observation());

  // The same run in the "true env": the violating step ends the episode with reward 0, cost 1.
  PendulumAngleLimited::Config cfg;
  cfg.terminate_on_violation = true;
  PendulumAngleLimited hard(cfg);
  CHECK(hard.config().max_angle == 1.2);
  hard.set_state(1.0, 0.0);
  plain.set_state(1.0, 0.0);
  for (int t = 0;; ++t) {
    const auto a = plain.step(zero);
    const auto b = hard.step(zero);
    REQUIRE(a.obs == b.obs);
    if (t < first_violation) {
      REQUIRE(b.cost == 0.0);
      REQUIRE(b.reward == a.reward);
      REQUIRE(b.reward < 0.0);
      REQUIRE_FALSE(b.terminated);
      REQUIRE_FALSE(hard.done());
      continue;
    }
    CHECK(t == first_violation);
    CHECK(b.cost == 1.0);
    CHECK(b.reward == 0.0);
    CHECK(b.terminated);
    CHECK_FALSE(b.truncated);
    CHECK(hard.done());
    CHECK_FALSE(hard.base().done());  // the wrapper ended the episode, not Pendulum
    break;
  }
#ifndef NDEBUG
  {
    ThrowingAsserts guard;
    CHECK_THROWS_AS(hard.step(zero), AssertFired);
  }
#endif
  // reset() and set_state() both start a fresh episode.
  icrl::Rng rng_a(5, 0), rng_b(5, 0);
  CHECK(hard.reset(rng_a) == plain.reset(rng_b));
  CHECK_FALSE(hard.done());
  hard.set_state(1.0, 0.0);
  CHECK(hard.step(zero).cost == 0.0);
}

TEST_CASE("Constrained: an action constraint sees the action; VecEnv resets on its termination") {
  CartPoleNoPushLeft soft;
  soft.set_state(CartPole::Obs::Zero());
  const auto left = soft.step(0);
  CHECK(left.cost == 1.0);
  CHECK(left.reward == 1.0);
  CHECK_FALSE(left.terminated);
  CHECK(soft.step(1).cost == 0.0);

  CartPoleNoPushLeft::Config cfg;
  cfg.terminate_on_violation = true;
  constexpr int E = 2;
  icrl::envs::VecEnv<CartPoleNoPushLeft, E> vec{CartPoleNoPushLeft(cfg)};
  vec.reset_all(11);
  for (int t = 0; t < 3; ++t) {
    const auto& s = vec.step({1, t == 2 ? 0 : 1});  // copy 1 pushes left on its third step
    CHECK(s.cost(0) == 0.0);
    CHECK_FALSE(s.terminated[0]);
    CHECK(s.cost(1) == (t == 2 ? 1.0 : 0.0));
    CHECK(s.terminated[1] == (t == 2));
    CHECK(s.reward(1) == (t == 2 ? 0.0 : 1.0));
  }
  CHECK(vec.episodes_finished(1) == 1);
  CHECK(vec.last_episode(1).length == 3);
  CHECK(vec.last_episode(1).ret == 2.0);
  CHECK(vec.last_episode(1).cost == 1.0);
  CHECK(vec.last_episode(1).terminated);
  CHECK(vec.env(1).elapsed_steps() == 0);  // auto-reset
  CHECK(vec.episodes_finished(0) == 0);
}

// ---- VecEnv ------------------------------------------------------------------------------------

namespace {

// Replays copy i of a VecEnv<Env, E> with a single Env seeded Rng(seed, i), stepping the same
// actions and resetting on episode end; compares every observation bit for bit.
template <class Env>
struct ManualCopy {
  Env env;
  icrl::Rng rng;
  typename Env::Obs obs;
  typename Env::Obs final_obs;
  double ret = 0.0, cost = 0.0;
  int length = 0;
  double last_ret = 0.0, last_cost = 0.0;
  int last_length = 0;
  long episodes = 0;
  bool done = false;

  ManualCopy(const Env& proto, std::uint64_t seed, int i)
      : env(proto), rng(seed, static_cast<std::uint64_t>(i)) {
    obs = env.reset(rng);
    final_obs = obs;
  }
  void step(const typename Env::Action& a) {
    const auto r = env.step(a);
    ret += r.reward;
    cost += r.cost;
    ++length;
    final_obs = r.obs;
    done = r.terminated || r.truncated;
    if (done) {
      last_ret = ret, last_cost = cost, last_length = length;
      ret = cost = 0.0;
      length = 0;
      ++episodes;
      obs = env.reset(rng);
    } else {
      obs = r.obs;
    }
  }
};

}  // namespace

TEST_CASE("VecEnv<CartPole>: auto-reset, final_obs and per-copy replay of a single env") {
  constexpr int E = 3;
  constexpr std::uint64_t kSeed = 7;
  icrl::envs::VecEnv<CartPole, E> vec;
  const auto& first = vec.reset_all(kSeed);
  std::vector<ManualCopy<CartPole>> manual;
  for (int i = 0; i < E; ++i) manual.emplace_back(CartPole(), kSeed, i);
  for (int i = 0; i < E; ++i) REQUIRE(first.col(i) == manual[i].obs);
  // Copies differ (different streams).
  CHECK(first.col(0) != first.col(1));

  int resets_seen = 0;
  for (int t = 0; t < 300; ++t) {
    icrl::envs::VecEnv<CartPole, E>::Actions actions;
    for (int i = 0; i < E; ++i) {
      // Copy 0 always pushes right (short episodes), the others balance with disturbances.
      actions[i] = i == 0 ? 1 : cartpole_test_action(manual[i].obs, t + i);
    }
    const auto& s = vec.step(actions);
    for (int i = 0; i < E; ++i) {
      manual[i].step(actions[i]);
      REQUIRE(s.obs.col(i) == manual[i].obs);
      REQUIRE(s.final_obs.col(i) == manual[i].final_obs);
      REQUIRE(s.done(i) == manual[i].done);
      REQUIRE(s.reward(i) == 1.0);
      if (s.done(i)) {
        ++resets_seen;
        // final_obs is the terminal state, obs the next episode's first state.
        const auto fin = s.final_obs.col(i);
        CHECK((std::fabs(fin(0)) > CartPole::kXThreshold ||
               std::fabs(fin(2)) > CartPole::kThetaThreshold || s.truncated[i]));
        CHECK(s.obs.col(i).cwiseAbs().maxCoeff() <= 0.05);
        CHECK(vec.env(i).elapsed_steps() == 0);
        CHECK(vec.last_episode(i).ret == manual[i].last_ret);
        CHECK(vec.last_episode(i).length == manual[i].last_length);
        CHECK(vec.last_episode(i).terminated == s.terminated[i]);
      } else {
        REQUIRE(s.final_obs.col(i) == s.obs.col(i));
      }
      REQUIRE(vec.running_episode(i).length == manual[i].length);
    }
  }
  CHECK(resets_seen >= 10);
  for (int i = 0; i < E; ++i) CHECK(vec.episodes_finished(i) == manual[i].episodes);
  CHECK(vec.episodes_finished(0) >= 10);

  // reset_all with the same seed starts over identically.
  CHECK(vec.reset_all(kSeed) == first);
  CHECK(vec.episodes_finished(0) == 0);
  CHECK(vec.last_episode(0).length == 0);
}

TEST_CASE(
    "VecEnv<PendulumConstrained>: truncation keeps the pre-reset obs; stats match a single env") {
  constexpr int E = 2;
  constexpr std::uint64_t kSeed = 31;
  PendulumConstrained::Config cfg;
  cfg.max_abs_theta_dot = 1.0;  // low, so the test actions produce costs
  const PendulumConstrained proto(cfg);
  icrl::envs::VecEnv<PendulumConstrained, E> vec(proto);
  vec.reset_all(kSeed);
  CHECK(vec.env(1).config().max_abs_theta_dot == 1.0);  // the prototype's config is copied
  std::vector<ManualCopy<PendulumConstrained>> manual;
  for (int i = 0; i < E; ++i) manual.emplace_back(proto, kSeed, i);

  for (int t = 0; t < 2 * Pendulum::kMaxSteps + 17; ++t) {
    icrl::envs::VecEnv<PendulumConstrained, E>::Actions actions;
    for (int i = 0; i < E; ++i) actions[i] = torque(pendulum_test_action(t + 3 * i));
    const auto& s = vec.step(actions);
    const bool boundary = (t + 1) % Pendulum::kMaxSteps == 0;
    for (int i = 0; i < E; ++i) {
      const PendulumConstrained::Obs current = vec.env(i).observation();  // after any auto-reset
      manual[i].step(actions[i]);
      REQUIRE(s.truncated[i] == boundary);
      REQUIRE_FALSE(s.terminated[i]);
      REQUIRE(s.obs.col(i) == manual[i].obs);
      REQUIRE(s.obs.col(i) == current);
      REQUIRE(s.final_obs.col(i) == manual[i].final_obs);
      REQUIRE(s.cost(i) == (std::fabs(s.final_obs(2, i)) > 1.0 ? 1.0 : 0.0));
      if (boundary) {
        CHECK(s.final_obs.col(i) != s.obs.col(i));
        const auto& ep = vec.last_episode(i);
        CHECK(ep.length == Pendulum::kMaxSteps);
        CHECK(ep.truncated);
        CHECK_FALSE(ep.terminated);
        CHECK(ep.ret == manual[i].last_ret);
        CHECK(ep.cost == manual[i].last_cost);
        CHECK(ep.cost > 0.0);
        CHECK(ep.ret < 0.0);
      }
    }
  }
  CHECK(vec.episodes_finished(0) == 2);
  CHECK(vec.episodes_finished(1) == 2);
  CHECK(vec.running_episode(0).length == 17);
}

TEST_CASE("VecEnv: copy i does not depend on the number of copies") {
  icrl::envs::VecEnv<Pendulum, 1> one;
  icrl::envs::VecEnv<Pendulum, 4> four;
  one.reset_all(99);
  four.reset_all(99);
  CHECK(one.obs().col(0) == four.obs().col(0));
  for (int t = 0; t < 250; ++t) {
    const auto u = torque(pendulum_test_action(t));
    const auto& a = one.step({u});
    const auto& b = four.step({u, u, u, u});
    REQUIRE(a.obs.col(0) == b.obs.col(0));
    REQUIRE(a.reward(0) == b.reward(0));
  }
  CHECK(one.last_episode(0).ret == four.last_episode(0).ret);
}

TEST_SUITE_END();
