// tests/consumer/main.cpp - a program outside the icrl build, as a user writes one: it includes
// only <icrl/icrl.hpp>, defines its own environment, records demonstrations from a hand-written
// controller and runs two outer iterations of ICRL on them. tests/consumer/run.sh builds it
// against an installed icrl (pkg-config) and with icrl as a Meson subproject (meson.build here).
// Exit status 0 when every number it prints is finite and the learned constraint's output lies
// in (0, 1).
#include <cmath>
#include <cstdio>
#include <memory>

#include <icrl/icrl.hpp>

// A cart on a rail (x right, v its speed): the action is a force in [-1, 1]. Speed pays in
// either direction. The operator knows what the reward does not say: a wall stands at x = -1,
// so their controller only ever drives right. The environment reports no cost: nobody wrote
// the constraint down, which is why ICRL is to learn it from the operator's demonstrations.
class Shuttle {
 public:
  static constexpr const char* kName = "shuttle";
  static constexpr int kObsDim = 2;  // [x, v]
  static constexpr int kActDim = 1;  // [force]
  static constexpr bool kDiscrete = false;
  static constexpr int kNumActions = 0;
  static constexpr int kMaxSteps = 100;
  static constexpr double kDt = 0.1;  // control step [s]

  using Obs = Eigen::Matrix<double, kObsDim, 1>;
  using Action = Eigen::Matrix<double, kActDim, 1>;
  static Action action_low() { return Action::Constant(-1.0); }
  static Action action_high() { return Action::Constant(1.0); }

  // New episode: at rest near the origin.
  Obs reset(icrl::Rng& rng) {
    x_ = rng.uniform(-0.1, 0.1);
    v_ = 0.0;
    steps_ = 0;
    return Obs(x_, v_);
  }

  // Semi-implicit Euler with a little friction; reward |v| - 0.01 a^2, no cost.
  icrl::envs::StepResult<kObsDim> step(const Action& action) {
    const double a = std::fmin(std::fmax(action(0), -1.0), 1.0);
    v_ += (a - 0.1 * v_) * kDt;
    x_ += v_ * kDt;
    ++steps_;
    icrl::envs::StepResult<kObsDim> r;
    r.obs = Obs(x_, v_);
    r.reward = std::fabs(v_) - 0.01 * a * a;
    r.truncated = steps_ >= kMaxSteps;
    return r;
  }

  // Checkpoints (resume): the whole episode state.
  static constexpr int kStateDim = 3;
  void save_state(double* s) const {
    s[0] = x_;
    s[1] = v_;
    s[2] = steps_;
  }
  void load_state(const double* s) {
    steps_ = icrl::envs::restored_count(s[2], 0, kMaxSteps, kName, "steps");
    x_ = s[0];
    v_ = s[1];
  }

 private:
  double x_ = 0.0, v_ = 0.0;
  int steps_ = 0;
};
static_assert(icrl::envs::check_env<Shuttle>());

// The operator's controller: accelerate to the right, up to 1.5 m/s.
static Shuttle::Action operator_controller(const Shuttle::Obs& s) {
  return Shuttle::Action::Constant(std::fmin(std::fmax(2.0 * (1.5 - s(1)), -1.0), 1.0));
}

// `episodes` episodes of the controller, stored column by column (icrl/demonstrations.hpp).
static icrl::Demonstrations record(int episodes) {
  icrl::Demonstrations d;
  d.env = Shuttle::kName;
  d.obs_dim = Shuttle::kObsDim;
  d.act_dim = Shuttle::kActDim;
  const int n = episodes * Shuttle::kMaxSteps;
  d.observations.resize(d.obs_dim, n);
  d.actions.resize(d.act_dim, n);
  d.rewards.resize(n);
  d.costs.setZero(n);
  Shuttle env;
  icrl::Rng rng(42);
  int t = 0;
  for (int k = 0; k < episodes; ++k) {
    Shuttle::Obs s = env.reset(rng);
    for (bool done = false; !done; ++t) {
      const Shuttle::Action a = operator_controller(s);
      const auto r = env.step(a);
      d.observations.col(t) = s;
      d.actions.col(t) = a;
      d.rewards(t) = r.reward;
      s = r.obs;
      done = r.terminated || r.truncated;
    }
    d.lengths.push_back(Shuttle::kMaxSteps);
  }
  d.check("the operator's controller");
  return d;
}

int main() {
  try {
    const icrl::Demonstrations demos = record(4);

    // The presets for an environment of one's own, shortened to run in seconds.
    icrl::IcrlConfig ic = icrl::icrl_preset(Shuttle::kName);
    ic.outer_iterations = 2;
    ic.forward_steps = 2048;
    ic.eval_episodes = 4;
    icrl::PpoConfig pc = icrl::icrl_forward_ppo(Shuttle::kName);
    pc.n_steps = 256;

    // zeta(s, a) on [x, v, force], one hidden ReLU layer of 16.
    using Zeta = icrl::ConstraintNet<3, 16>;
    Zeta zeta;
    zeta.configure(Zeta::default_features<Shuttle>(), Shuttle::kObsDim, Shuttle::kActDim, Shuttle::kName);

    // No true env: nothing knows the constraint, so the trainer reports no violations.
    using Trainer = icrl::IcrlTrainer<icrl::envs::VecEnv<Shuttle, 2>, 64, Zeta>;
    auto trainer = std::make_unique<Trainer>(ic, pc, 1u, Shuttle(), zeta, &demos, "the operator's controller");

    bool ok = true;
    for (int i = 0; i < ic.outer_iterations; ++i) {
      const icrl::OuterStats s = trainer->outer_iteration();
      std::printf("iter %d  steps %lld  reward %.2f (operator %.2f)  nu %.3f  learned cost %.3f  "
                  "zeta expert %.3f nominal %.3f\n",
                  s.iteration, static_cast<long long>(s.env_steps), s.reward, demos.mean_return(), s.nu,
                  s.learned_cost, s.backward.zeta_expert, s.backward.zeta_nominal);
      ok = ok && std::isfinite(s.reward) && std::isfinite(s.nu) && std::isfinite(s.learned_cost) &&
           std::isfinite(s.backward.zeta_expert) && std::isfinite(s.backward.zeta_nominal);
    }

    // The learned constraint, queried where the operator drives and beyond the wall.
    struct Query {
      double obs[2];  // x, v
      double force;
    };
    for (const Query& q : {Query{{0.5, 1.0}, 1.0}, Query{{-1.5, -1.0}, -1.0}, Query{{3.0, 1.5}, 0.0}}) {
      const double z = trainer->constraint().zeta(q.obs, &q.force);
      std::printf("zeta(x %.1f, v %.1f, force %.1f) = %.4f\n", q.obs[0], q.obs[1], q.force, z);
      ok = ok && z > 0.0 && z < 1.0;
    }
    std::printf("%s\n", ok ? "ok" : "FAILED: a number is not finite or zeta is outside (0, 1)");
    return ok ? 0 : 1;
  } catch (const icrl::Error& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 1;
  }
}
