// envs/env.hpp - what an environment is to icrl: a compile-time interface, its step result, a
// checker, and the deterministic sine and cosine the analytic environments integrate with.
//
// SPEC section 6: every environment steps as (observation, reward, cost, terminated, truncated),
// the Safety-Gymnasium order; "nominal" variants have cost 0, constrained ("true") variants
// report cost 1 on a violating step. Environments are plain classes without virtual functions;
// the trainer, VecEnv (vec_env.hpp) and the tests take them as template parameters, so every
// dimension is known at compile time and no step touches the heap.
//
// ---- The interface: what every environment type `Env` provides ---------------------------
//
//   static constexpr const char* kName;   short identifier, e.g. "pendulum", "cartpole"
//   static constexpr int  kObsDim;        length of the observation vector
//   static constexpr int  kActDim;        continuous: length of the action vector; discrete: 1
//   static constexpr bool kDiscrete;      true: actions are integers 0 .. kNumActions-1
//   static constexpr int  kNumActions;    discrete: number of actions; continuous: 0
//   static constexpr int  kMaxSteps;      time limit: the step that reaches it has truncated = true
//   using Obs    = Eigen::Matrix<double, kObsDim, 1>;
//   using Action = Eigen::Matrix<double, kActDim, 1>   (continuous)   or   int   (discrete);
//   static Eigen::Matrix<double, kActDim, 1> action_low(), action_high();
//                                         continuous: the box the action is clipped to inside
//                                         step(); discrete envs may return 0 and kNumActions-1
//   Obs reset(icrl::Rng& rng);            start an episode from the env's initial-state
//                                         distribution, every draw taken from rng
//   StepResult<kObsDim> step(const Action& a);
//                                         advance one control step (below)
//
// For checkpoints (resume, icrl_trainer.hpp), an environment also provides its episode state as
// a fixed number of doubles; with the env's constructor settings they fix everything its future
// steps depend on, so an env restored from them continues bit-identically:
//   static constexpr int kStateDim;
//   void save_state(double* s) const;     writes s[0 .. kStateDim)
//   void load_state(const double* s);     reads them back; throws icrl::Error when they cannot
//                                         be a state of this env (restored_count below)
//
// For demonstration starts (IcrlConfig::demo_starts, icrl_trainer.hpp: some forward-step episodes
// begin in a state the expert visited), an environment may also say which state a recorded
// observation was taken in:
//   static bool state_of_observation(const Obs& obs, int elapsed_steps, double* s);
//                                         writes s[0 .. kStateDim) for load_state: the state in
//                                         which the env shows obs after elapsed_steps steps of an
//                                         episode (not finished); false when obs does not fix it
//   Obs observation() const;              the current state's observation (after load_state)
// Envs whose observation hides part of the state (the Box2D bodies' positions and contacts)
// do not provide it. has_state_of_observation_v<Env> tells.
//
// Contract of step(): continuous actions are clipped to [action_low, action_high] inside step
// (the trainer stores the unclipped sample and its log-probability, SPEC section 3); physics is
// in double; terminated means the MDP reached a terminal state (do not bootstrap), truncated
// means the time limit cut the episode (do bootstrap from the returned observation). Both may be
// true on the same step. Calling step() on a finished episode without reset() is a programming
// error (ICRL_ASSERT). All randomness comes from the icrl::Rng passed to reset(); step() itself
// is deterministic.
//
// check_env<Env>() turns this list into static_asserts with readable messages; is_env_v<Env> is
// the same test as a boolean.
//
// ---- Deterministic sine and cosine -------------------------------------------------------
//
// libm's sin and cos are accurate but not bit-identical across machines (glibc on x86-64 picks
// an FMA variant at run time on CPUs that have FMA, other libcs use other algorithms), so an
// episode would not replay bit for bit on another machine. det_sin and det_cos use only +, -, *
// and / (like det_log in icrl/rng.hpp): Cody-Waite reduction by pi/2 with a three-part constant
// that keeps the remainder as a double plus a tail, then the classic minimax polynomials on
// [-pi/4, pi/4] (the published kernel coefficients of Sun's fdlibm). Measured against long-double
// references, the error stays below 0.8 ulp for |x| < 1.6e6 (angles in these environments stay
// within a few hundred radians); beyond that the argument is first reduced with fmod by the
// double nearest 2 pi, which stays deterministic but loses accuracy in proportion to |x|.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>

#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl::envs {

// What one call of step() returns (Safety-Gymnasium order).
template <int N>
struct StepResult {
  // Observation after the step [N].
  Eigen::Matrix<double, N, 1> obs = Eigen::Matrix<double, N, 1>::Zero();
  double reward = 0.0;      // reward of this transition
  double cost = 0.0;        // constraint cost of this transition (0 in nominal envs)
  bool terminated = false;  // a terminal state was reached: do not bootstrap through it
  bool truncated = false;   // the time limit ended the episode: bootstrap from obs
};

// A count (step counter, flag) read back from a state array: throws icrl::Error unless v is an
// integer in [lo, hi].
inline int restored_count(double v, int lo, int hi, const char* env, const char* field) {
  if (!(v >= lo && v <= hi) || v != std::floor(v))
    throw icrl::Error(std::string("env '") + env + "' state: field '" + field + "' = " + std::to_string(v) +
                      " is not an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                      "]; the checkpoint was not written for this env");
  return static_cast<int>(v);
}

// ---- deterministic trigonometry -------------------------------------------------------------

namespace detail {

// sin(r + e) for |r| <= ~pi/4 and a tail |e| <= ulp(r) (the rounding error of the reduction):
// sin r ~= r + r^3 (S1 + r^2 S2 + ... + r^10 S6), plus the first-order tail e (1 - r^2 / 2).
inline double kernel_sin(double r, double e) noexcept {
  constexpr double S1 = -1.66666666666666324348e-01;
  constexpr double S2 = 8.33333333332248946124e-03;
  constexpr double S3 = -1.98412698298579493134e-04;
  constexpr double S4 = 2.75573137070700676789e-06;
  constexpr double S5 = -2.50507602534068634195e-08;
  constexpr double S6 = 1.58969099521155010221e-10;
  if (std::fabs(r) < 0x1p-27) return r;  // r^3 / 6 and e are below half an ulp of r (keeps -0)
  const double z = r * r;
  const double w = z * z;
  const double p = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  const double v = z * r;
  return r - ((z * (0.5 * e - v * p) - e) - v * S1);
}

// cos(r + e) for |r| <= ~pi/4, |e| <= ulp(r): 1 - r^2/2 + r^4 (C1 + r^2 C2 + ... + r^10 C6) - r e,
// with the leading 1 - r^2/2 formed so that its rounding error is recovered.
inline double kernel_cos(double r, double e) noexcept {
  constexpr double C1 = 4.16666666666666019037e-02;
  constexpr double C2 = -1.38888888888741095749e-03;
  constexpr double C3 = 2.48015872894767294178e-05;
  constexpr double C4 = -2.75573143513906633035e-07;
  constexpr double C5 = 2.08757232129817482790e-09;
  constexpr double C6 = -1.13596475577881948265e-11;
  const double z = r * r;
  const double w2 = z * z;
  const double p = z * (C1 + z * (C2 + z * C3)) + w2 * w2 * (C4 + z * (C5 + z * C6));
  const double hz = 0.5 * z;
  const double w = 1.0 - hz;
  return w + (((1.0 - w) - hz) + (z * p - r * e));
}

// x = n pi/2 + (r + e) with |r| <= ~pi/4 and r + e carrying about 85 bits of the remainder.
struct HalfPiReduction {
  double r;      // remainder, rounded to double
  double e;      // what r misses of the exact remainder
  int quadrant;  // n mod 4, in 0..3
};

// Cody-Waite reduction with pi/2 = P1 + P2 + P2T: P1 and P2 carry 33 significant bits each, so
// n P1 and n P2 are exact for |n| < 2^20, and x - n P1 is exact (Sterbenz); the rounding error of
// the next subtraction is recovered exactly and folded into the tail together with n P2T.
inline HalfPiReduction reduce_half_pi(double x) noexcept {
  constexpr double kTwoOverPi = 6.36619772367581382433e-01;
  constexpr double P1 = 1.57079632673412561417e+00;
  constexpr double P2 = 6.07710050630396597660e-11;
  constexpr double P2T = 2.02226624879595063154e-21;
  constexpr double kTwoPi = 6.28318530717958647693;
  // Far arguments: fmod is exact on any IEEE machine, but by the double nearest 2 pi.
  if (!(std::fabs(x) < 1.6e6)) x = std::fmod(x, kTwoPi);
  const double n = std::floor(x * kTwoOverPi + 0.5);
  const double t = x - n * P1;                        // exact
  const double w = n * P2;                            // exact
  const double r0 = t - w;                            // rounded
  const double tail = n * P2T - ((t - r0) - w);       // n P2T minus the rounding error of r0
  HalfPiReduction red{};
  red.r = r0 - tail;
  red.e = (r0 - red.r) - tail;
  red.quadrant = static_cast<int>(static_cast<std::int64_t>(n) & 3);  // correct for n < 0 too
  return red;
}

}  // namespace detail

// sin(x), bit-identical on every IEEE-754 machine compiled without FMA contraction.
inline double det_sin(double x) noexcept {
  if (std::isnan(x) || std::isinf(x)) return x - x;  // NaN
  const detail::HalfPiReduction red = detail::reduce_half_pi(x);
  switch (red.quadrant) {
    case 0: return detail::kernel_sin(red.r, red.e);
    case 1: return detail::kernel_cos(red.r, red.e);
    case 2: return -detail::kernel_sin(red.r, red.e);
    default: return -detail::kernel_cos(red.r, red.e);
  }
}

// cos(x), bit-identical on every IEEE-754 machine compiled without FMA contraction.
inline double det_cos(double x) noexcept {
  if (std::isnan(x) || std::isinf(x)) return x - x;  // NaN
  const detail::HalfPiReduction red = detail::reduce_half_pi(x);
  switch (red.quadrant) {
    case 0: return detail::kernel_cos(red.r, red.e);
    case 1: return -detail::kernel_sin(red.r, red.e);
    case 2: return -detail::kernel_cos(red.r, red.e);
    default: return detail::kernel_sin(red.r, red.e);
  }
}

// ---- the interface checker -----------------------------------------------------------------

namespace detail {

template <class E, class = void>
struct has_constants : std::false_type {};
template <class E>
struct has_constants<
    E, std::void_t<decltype(E::kName), decltype(E::kObsDim), decltype(E::kActDim),
                   decltype(E::kDiscrete), decltype(E::kNumActions), decltype(E::kMaxSteps)>>
    : std::bool_constant<std::is_convertible_v<decltype(E::kName), const char*> &&
                         std::is_same_v<std::remove_cv_t<decltype(E::kObsDim)>, int> &&
                         std::is_same_v<std::remove_cv_t<decltype(E::kActDim)>, int> &&
                         std::is_same_v<std::remove_cv_t<decltype(E::kDiscrete)>, bool> &&
                         std::is_same_v<std::remove_cv_t<decltype(E::kNumActions)>, int> &&
                         std::is_same_v<std::remove_cv_t<decltype(E::kMaxSteps)>, int>> {};

template <class E, class = void>
struct has_types : std::false_type {};
template <class E>
struct has_types<E, std::void_t<typename E::Obs, typename E::Action>>
    : std::bool_constant<std::is_same_v<typename E::Obs, Eigen::Matrix<double, E::kObsDim, 1>> &&
                         (E::kDiscrete ? std::is_same_v<typename E::Action, int>
                                       : std::is_same_v<typename E::Action,
                                                        Eigen::Matrix<double, E::kActDim, 1>>)> {};

template <class E, class = void>
struct has_reset : std::false_type {};
template <class E>
struct has_reset<E, std::void_t<decltype(std::declval<E&>().reset(std::declval<icrl::Rng&>()))>>
    : std::is_same<decltype(std::declval<E&>().reset(std::declval<icrl::Rng&>())),
                   typename E::Obs> {};

template <class E, class = void>
struct has_step : std::false_type {};
template <class E>
struct has_step<
    E, std::void_t<decltype(std::declval<E&>().step(std::declval<const typename E::Action&>()))>>
    : std::is_same<decltype(std::declval<E&>().step(std::declval<const typename E::Action&>())),
                   StepResult<E::kObsDim>> {};

template <class E, class = void>
struct has_bounds : std::false_type {};
template <class E>
struct has_bounds<E, std::void_t<decltype(E::action_low()), decltype(E::action_high())>>
    : std::bool_constant<
          std::is_same_v<decltype(E::action_low()), Eigen::Matrix<double, E::kActDim, 1>> &&
          std::is_same_v<decltype(E::action_high()), Eigen::Matrix<double, E::kActDim, 1>>> {};

template <class E>
constexpr bool dims_ok() {
  if constexpr (has_constants<E>::value)
    return E::kObsDim > 0 && E::kActDim > 0 && E::kMaxSteps > 0 &&
           (E::kDiscrete ? (E::kActDim == 1 && E::kNumActions >= 2) : E::kNumActions == 0);
  else
    return false;
}

template <class E>
constexpr bool is_env() {
  if constexpr (!dims_ok<E>()) {
    return false;
  } else if constexpr (!has_types<E>::value) {
    return false;
  } else {
    return has_reset<E>::value && has_step<E>::value && (E::kDiscrete || has_bounds<E>::value);
  }
}

}  // namespace detail

// True when E provides the whole interface above (continuous envs must also give action bounds).
template <class E>
inline constexpr bool is_env_v = detail::is_env<E>();

// True when E can start from a recorded observation (state_of_observation above).
template <class E, class = void>
struct has_state_of_observation : std::false_type {};
template <class E>
struct has_state_of_observation<E, std::void_t<decltype(E::state_of_observation(std::declval<const typename E::Obs&>(), 0,
                                                                                  static_cast<double*>(nullptr))),
                                               decltype(std::declval<const E&>().observation())>>
    : std::is_same<decltype(E::state_of_observation(std::declval<const typename E::Obs&>(), 0, static_cast<double*>(nullptr))),
                   bool> {};
template <class E>
inline constexpr bool has_state_of_observation_v = has_state_of_observation<E>::value;

// static_asserts, one per requirement, so a wrong environment type fails to compile with a
// message naming the missing piece. Returns true so it can sit inside static_assert or CHECK.
template <class E>
constexpr bool check_env() {
  static_assert(detail::has_constants<E>::value,
                "env: needs static constexpr kName (const char*), kObsDim, kActDim, kNumActions, "
                "kMaxSteps (int) and kDiscrete (bool)");
  static_assert(detail::dims_ok<E>(),
                "env: needs kObsDim > 0, kActDim > 0, kMaxSteps > 0; discrete: kActDim == 1 and "
                "kNumActions >= 2; continuous: kNumActions == 0");
  if constexpr (detail::dims_ok<E>()) {
    static_assert(detail::has_types<E>::value,
                  "env: needs Obs = Eigen::Matrix<double, kObsDim, 1> and Action = int (discrete) "
                  "or Eigen::Matrix<double, kActDim, 1> (continuous)");
    if constexpr (detail::has_types<E>::value) {
      static_assert(detail::has_reset<E>::value, "env: needs Obs reset(icrl::Rng&)");
      static_assert(detail::has_step<E>::value,
                    "env: needs StepResult<kObsDim> step(const Action&)");
      static_assert(E::kDiscrete || detail::has_bounds<E>::value,
                    "env: continuous envs need static Eigen::Matrix<double, kActDim, 1> "
                    "action_low() and action_high()");
    }
  }
  return is_env_v<E>;
}

}  // namespace icrl::envs
