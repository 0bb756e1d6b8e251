// envs/constrained.hpp - one wrapper that turns any environment into its constrained variant.
//
// SPEC section 6: "nominal env = no constraint; true env = constraint enforced; in every true env
// a violation ends the episode and that step's reward is 0; true cost is 1 on a violating step".
// Constrained<Env, Constraint> steps Env unchanged and asks Constraint whether the step just
// taken violated the constraint. On a violating step it reports cost 1 (else 0); with the
// config's terminate_on_violation set (the "true env") it also sets terminated = true and
// reward = 0 on that step. Off, the wrapper only adds the cost signal (PPO-Lagrangian wants that).
// Constrained<Env, C> is itself an environment (check_env passes), so VecEnv, the trainer and the
// tests take it like any other; step() adds no heap use to Env's.
//
// ---- The constraint policy: what every type `Constraint` provides --------------------------
//
//   static constexpr const char* kName;   the constrained env's full name, e.g.
//                                         "pendulum-constrained"
//   struct Config;                        (a type alias is fine) the constraint's parameters, with
//                                         defaults, and a field
//                                         bool terminate_on_violation;  (SPEC "true env" rule)
//   static bool violated(const Config& config, const Env& after, const Env::Action& a,
//                        const StepResult<Env::kObsDim>& r);
//                                         did the step just taken violate the constraint? `after`
//                                         is the base env after the step, `a` the action as passed
//                                         to step() (unclipped; action constraints such as
//                                         LapGrid's "no backward" read it), `r` what the base
//                                         env's step() returned (cost 0, reward unchanged).
//
// Keeping the policy stateless (its parameters live in Config, owned by the wrapper) lets
// config() hand back the one struct users fill in, e.g. (pendulum.hpp)
//
//     using PendulumConstrained = Constrained<Pendulum, PendulumSpeedLimit>;
//     PendulumConstrained::Config cfg;      // = PendulumConstrainedConfig
//     cfg.terminate_on_violation = true;    // the SPEC "true env"
//     PendulumConstrained env(cfg);
//
// Reset, set_state and the common accessors are forwarded to the base env; base() gives read
// access to everything else (the pendulum's angle, the cart's state, ...). set_state,
// observation() and elapsed_steps() are members of a class template, compiled only when called,
// so a base env without them still makes a valid Constrained env.
#pragma once

#include <Eigen/Core>

#include <type_traits>
#include <utility>

#include "env.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl::envs {

namespace detail {

// True when config type C has a member `bool terminate_on_violation`.
template <class C, class = void>
struct has_terminate_flag : std::false_type {};
template <class C>
struct has_terminate_flag<C, std::void_t<decltype(std::declval<const C&>().terminate_on_violation)>>
    : std::is_same<std::remove_cv_t<decltype(std::declval<const C&>().terminate_on_violation)>,
                   bool> {};

}  // namespace detail

template <class Env, class Constraint>
class Constrained {
  static_assert(check_env<Env>(),
                "Constrained: Env does not provide the environment interface (env.hpp)");
  static_assert(detail::has_terminate_flag<typename Constraint::Config>::value,
                "Constrained: Constraint::Config needs a field bool terminate_on_violation");

 public:
  static constexpr const char* kName = Constraint::kName;  // e.g. "pendulum-constrained"
  static constexpr int kObsDim = Env::kObsDim;             // as the base env
  static constexpr int kActDim = Env::kActDim;             // as the base env
  static constexpr bool kDiscrete = Env::kDiscrete;        // as the base env
  static constexpr int kNumActions = Env::kNumActions;     // as the base env
  static constexpr int kMaxSteps = Env::kMaxSteps;         // as the base env

  using Obs = typename Env::Obs;               // [kObsDim], as the base env
  using Action = typename Env::Action;         // as the base env
  using Config = typename Constraint::Config;  // constraint parameters + terminate_on_violation
  using Base = Env;                            // the unconstrained environment
  using Bounds = Eigen::Matrix<double, kActDim, 1>;  // action_low / action_high [kActDim]

  explicit Constrained(const Config& config = Config{}) : config_(config) {}
  // Wraps a configured base env (e.g. a grid world loaded from a map file).
  Constrained(const Env& base, const Config& config) : config_(config), env_(base) {}

  // The base env's action range [kActDim] (continuous: the clipping box).
  static Bounds action_low() { return Env::action_low(); }
  static Bounds action_high() { return Env::action_high(); }

  // New episode from the base env's initial-state distribution, every draw from rng.
  Obs reset(icrl::Rng& rng) {
    done_ = false;
    return env_.reset(rng);
  }

  // The base env's step, then cost 1 if Constraint::violated; with terminate_on_violation a
  // violating step also ends the episode with reward 0 (SPEC section 6, "true env").
  StepResult<kObsDim> step(const Action& a) {
    ICRL_ASSERT(!done_);  // the episode ended: call reset() first
    StepResult<kObsDim> r = env_.step(a);
    const bool violated = Constraint::violated(config_, env_, a, r);
    r.cost = violated ? 1.0 : 0.0;
    if (violated && config_.terminate_on_violation) {
      r.terminated = true;
      r.reward = 0.0;
    }
    done_ = r.terminated || r.truncated;
    return r;
  }

  // For tests and analysis: the base env's set_state with the same arguments; starts a fresh
  // (not finished) episode of the wrapper too.
  template <class... Args>
  void set_state(Args&&... args) {
    env_.set_state(std::forward<Args>(args)...);
    done_ = false;
  }

  const Config& config() const { return config_; }  // the constraint parameters in use
  const Env& base() const { return env_; }          // the underlying dynamics and state
  bool done() const { return done_; }               // the current episode has ended
  // The base env's current observation [kObsDim] and its step count in this episode.
  Obs observation() const { return env_.observation(); }
  int elapsed_steps() const { return env_.elapsed_steps(); }

  // Demonstration starts (env.hpp), where the base env has them: the base env's state, not done.
  template <class B = Env, class = std::enable_if_t<has_state_of_observation<B>::value>>
  static bool state_of_observation(const Obs& obs, int elapsed_steps, double* s) {
    if (!B::state_of_observation(obs, elapsed_steps, s)) return false;
    s[Env::kStateDim] = 0.0;
    return true;
  }

  // Checkpoints (env.hpp): the base env's state, then the wrapper's done flag.
  static constexpr int kStateDim = Env::kStateDim + 1;
  void save_state(double* s) const {
    env_.save_state(s);
    s[Env::kStateDim] = done_ ? 1.0 : 0.0;
  }
  void load_state(const double* s) {
    const int done = restored_count(s[Env::kStateDim], 0, 1, kName, "done");
    env_.load_state(s);
    done_ = done != 0;
  }

 private:
  Config config_;      // constraint parameters and termination rule
  Env env_;            // the unconstrained dynamics
  bool done_ = false;  // terminated (by Env or by a violation) or truncated: reset() first
};

}  // namespace icrl::envs
