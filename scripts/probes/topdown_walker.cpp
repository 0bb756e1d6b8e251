// scripts/probes/topdown_walker.cpp - a probe, not part of the library or the build: a top-down
// kinematic four-legged walker that can turn, used in docs/guide.md ("Where this leaves the ant") to
// test whether the planar ant's lock-in in the backward gait comes from its body. It does not:
// with SPEC 5's ant settings this walker locks in the same way.
//
// The walker: body at (x, y) with heading th, starting at th = pi (facing -x) plus U(-0.1, 0.1),
// with the planar ant's backward push as a decaying drift (-1.5 exp(-t / 1 s) m/s along x). Four
// hips at +-45 and +-135 degrees (hip radius 0.3, leg 0.7); actions 0..3 set hip speeds
// (4 rad/s at |a| = 1, hip angles clipped to +-0.7), actions 4..7 > 0 plant the feet. The body
// velocity (vx, vy, omega) is the least-squares motion that keeps the planted feet still (ridge
// 1e-3; no planted foot: no motion but the drift). Reward: growth of the distance from the start
// per second minus 0.05 |a|^2; 500 steps of 0.05 s; constraint x <= -3 (Constrained<>, true env
// ends the episode). PPO and ICRL settings: SPEC 5's ant column (icrl/presets.hpp).
//
// Build (from the repository root) and the runs behind the docs/guide.md numbers, seed 1:
//   g++ -std=c++17 -O2 -DNDEBUG -I. -isystem /usr/include/eigen3 -o topdown_walker
//       scripts/probes/topdown_walker.cpp icrl/*.cpp            (one command line)
//   ./topdown_walker train 1 1024000 0 0.1                 # nominal (no cost): runs toward -x
//   ./topdown_walker train 1 2048000 1 0.1                 # true cost, nu0 = 0.1: keeps violating
//   ./topdown_walker train 1 2048000 1 10 walker.demos     # true cost, nu0 = 10: the expert + 45 demos
//   ./topdown_walker icrl 1 walker.demos x                 # ICRL, zeta on x alone, nu0 = 0.1
//   NU0=10 ./topdown_walker icrl 1 walker.demos x          # the same with nu0 = 10
// Environment variables: NU0 (multiplier start), LR (PPO step size), PUSH (drift speed, m/s).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <algorithm>
#include <type_traits>
#include <Eigen/Dense>

#include "icrl/presets.hpp"      // ppo_preset("ant"), icrl_preset("ant"): SPEC 5's ant column
#include "envs/constrained.hpp"
#include "envs/env.hpp"
#include "envs/vec_env.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/icrl_trainer.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/rollout.hpp"

using namespace icrl;
constexpr double kPi = 3.14159265358979323846;
using envs::det_cos;
using envs::det_sin;

class TopAnt {
 public:
  static constexpr const char* kName = "topant";
  static constexpr int kObsDim = 15;  // x, y, cos th, sin th, q0..3, vx, vy (world), w, drift vx, 3 pad
  static constexpr int kActDim = 8;
  static constexpr bool kDiscrete = false;
  static constexpr int kNumActions = 0;
  static constexpr int kMaxSteps = 500;
  static constexpr double kDt = 0.05, kHipRate = 4.0, kQMax = 0.7, kR0 = 0.3, kL = 0.7;
  static inline double push_speed = std::getenv("PUSH") ? std::atof(std::getenv("PUSH")) : 1.5;  // [m/s]
  static constexpr double kPushTau = 1.0;
  using Obs = Eigen::Matrix<double, kObsDim, 1>;
  using Action = Eigen::Matrix<double, kActDim, 1>;
  static Action action_low() { return Action::Constant(-1); }
  static Action action_high() { return Action::Constant(1); }

  Obs reset(Rng& rng) {
    x_ = y_ = 0; th_ = kPi + rng.uniform(-0.1, 0.1);
    for (double& q : q_) q = rng.uniform(-0.1, 0.1);
    vx_ = vy_ = w_ = 0; steps_ = 0; done_ = false;
    return observation();
  }
  envs::StepResult<kObsDim> step(const Action& a_in) {
    Action a = a_in.cwiseMax(-1.0).cwiseMin(1.0);
    static const double phi[4] = {kPi / 4, -kPi / 4, 3 * kPi / 4, -3 * kPi / 4};
    // normal equations (A^T A + lam I) z = A^T b, z = (vbx, vby, w) in the body frame
    Eigen::Matrix3d M = 1e-3 * Eigen::Matrix3d::Identity();
    Eigen::Vector3d rhs = Eigen::Vector3d::Zero();
    int planted = 0;
    for (int i = 0; i < 4; ++i) {
      const double qn = std::clamp(q_[i] + kHipRate * a(i) * kDt, -kQMax, kQMax);
      const double qd = (qn - q_[i]) / kDt;
      const double ang = phi[i] + q_[i];
      if (a(4 + i) > 0) {
        ++planted;
        const double px = kR0 * det_cos(phi[i]) + kL * det_cos(ang), py = kR0 * det_sin(phi[i]) + kL * det_sin(ang);
        const double fdx = -kL * qd * det_sin(ang), fdy = kL * qd * det_cos(ang);  // foot velocity, body frame
        // rows: [1 0 -py] z = -fdx ; [0 1 px] z = -fdy
        Eigen::Matrix<double, 2, 3> A; A << 1, 0, -py, 0, 1, px;
        Eigen::Vector2d b(-fdx, -fdy);
        M += A.transpose() * A; rhs += A.transpose() * b;
      }
      q_[i] = qn;
    }
    Eigen::Vector3d z = planted ? Eigen::Vector3d(M.ldlt().solve(rhs)) : Eigen::Vector3d::Zero();
    const double c = det_cos(th_), s = det_sin(th_);
    const double drift = -push_speed * std::exp(-steps_ * kDt / kPushTau);
    vx_ = c * z(0) - s * z(1) + drift; vy_ = s * z(0) + c * z(1); w_ = z(2);
    const double r0 = std::sqrt(x_ * x_ + y_ * y_);
    x_ += vx_ * kDt; y_ += vy_ * kDt; th_ += w_ * kDt;
    x_ = std::clamp(x_, -200.0, 200.0); y_ = std::clamp(y_, -200.0, 200.0);
    const double r1 = std::sqrt(x_ * x_ + y_ * y_);
    ++steps_;
    envs::StepResult<kObsDim> r;
    r.obs = observation();
    r.reward = (r1 - r0) / kDt - 0.05 * a.squaredNorm();
    r.truncated = steps_ >= kMaxSteps;
    done_ = r.truncated;
    return r;
  }
  Obs observation() const {
    Obs o = Obs::Zero();
    o << x_, y_, det_cos(th_), det_sin(th_), q_[0], q_[1], q_[2], q_[3], vx_, vy_, w_,
        -push_speed * std::exp(-steps_ * kDt / kPushTau), 0, 0, 0;
    return o;
  }
  double x() const { return x_; }
  int elapsed_steps() const { return steps_; }
  bool done() const { return done_; }
  static constexpr int kStateDim = 11;
  void save_state(double* st) const { st[0]=x_; st[1]=y_; st[2]=th_; for(int i=0;i<4;++i) st[3+i]=q_[i]; st[7]=vx_; st[8]=vy_; st[9]=w_; st[10]=steps_; }
  void load_state(const double* st) { x_=st[0]; y_=st[1]; th_=st[2]; for(int i=0;i<4;++i) q_[i]=st[3+i]; vx_=st[7]; vy_=st[8]; w_=st[9]; steps_=(int)st[10]; done_=false; }
 private:
  double x_ = 0, y_ = 0, th_ = 0, q_[4] = {0, 0, 0, 0}, vx_ = 0, vy_ = 0, w_ = 0;
  int steps_ = 0; bool done_ = false;
};

struct WallCfg { double x_min = -3.0; bool terminate_on_violation = true; };
struct LeftWall {
  static constexpr const char* kName = "topant-constrained";
  using Config = WallCfg;
  static bool violated(const Config& c, const TopAnt& after, const TopAnt::Action&, const envs::StepResult<TopAnt::kObsDim>&) {
    return after.x() <= c.x_min;
  }
};
using Env = envs::Constrained<TopAnt, LeftWall>;
using Trainer = PpoLagrangian<envs::VecEnv<Env, 5>, 64>;

// The forward step of `icrl learn --env ant` (SPEC 5's ant column).
PpoConfig ant_ppo() { return icrl_forward_ppo("ant"); }

int main(int argc, char** argv) {
  if (argc < 4) return std::fprintf(stderr, "usage: topdown_walker train SEED STEPS USE_COST NU0 [OUT.demos] | icrl SEED DEMOS x|all\n"), 2;
  const std::string mode = argv[1];
  const long seed = std::atol(argv[2]);
  WallCfg nom_cfg; nom_cfg.terminate_on_violation = false;
  const Env nominal(nom_cfg), true_env;
  PpoConfig pc = ant_ppo();
  if (const char* v = std::getenv("LR")) pc.lr = std::atof(v);
  if (const char* v = std::getenv("NU0")) pc.multiplier.nu_init = std::atof(v);
  if (mode == "train") {  // train SEED STEPS USE_COST NU0 [OUT.demos]
    const long steps = std::atol(argv[3]);
    pc.use_cost = std::atoi(argv[4]) != 0;
    pc.multiplier.nu_init = std::atof(argv[5]);
    auto t = std::make_unique<Trainer>(pc, seed, nominal);
    auto best = std::make_unique<Trainer::Policy>(); ObsNormalizer<Env::kObsDim> best_norm; double best_ret = -1e30;
    const long iters = steps / t->steps_per_iteration();
    for (long i = 0; i < iters; ++i) {
      const IterationStats s = t->iterate();
      if ((i + 1) % 10 == 0) {
        EvalResult e = evaluate_policy(t->policy(), t->obs_normalizer(), true_env, 10, 77, false);
        EvalResult n = evaluate_policy(t->policy(), t->obs_normalizer(), nominal, 10, 78, false);
        std::printf("it %ld nu %.2f  true %.1f viol %.2f len %.0f | nominal %.1f cost/ep %.1f\n", i + 1, s.nu,
                    e.mean_return, e.violation_rate, e.mean_length, n.mean_return, n.mean_cost);
        std::fflush(stdout);
        if (pc.use_cost && e.mean_return > best_ret) { best_ret = e.mean_return; *best = t->policy(); best_norm = t->obs_normalizer(); }
      }
    }
    if (argc > 6) {
      Demonstrations d = record_demonstrations(*best, best_norm, true_env, 450, 5, false);
      d.env = "topant-constrained";
      d = d.feasible_episodes(45);
      d.save(argv[6]);
      std::printf("demos %s\n", d.info_json().c_str());
    }
  } else {  // icrl SEED DEMOS x|all
    const Demonstrations demos = Demonstrations::load(argv[3], "topant-constrained");
    IcrlConfig ic = icrl_preset("ant");  // N 20, F 2e5, B 5, lr 0.005 x 0.9^i, delta 0.6, per step; M = |D|
    const bool xonly = std::string(argv[4]) == "x";
    auto run = [&](auto zeta) {
      using Z = decltype(zeta);
      if constexpr (std::is_same_v<Z, ConstraintNet<1, 40, 40>>) { typename Z::Features f{}; f[0] = ConstraintFeature::obs(0); zeta.configure(f, Env::kObsDim, Env::kActDim, "topant-constrained"); }
      else zeta.configure(Z::template default_features<Env>(), Env::kObsDim, Env::kActDim, "topant-constrained");
      using T = IcrlTrainer<envs::VecEnv<Env, 5>, 64, Z>;
      auto tr = std::make_unique<T>(ic, pc, seed, nominal, true_env, zeta, &demos, argv[3]);
      for (int i = 0; i < ic.outer_iterations; ++i) {
        const OuterStats s = tr->outer_iteration();
        std::printf("iter %2d reward %7.1f viol %.4f nu %5.2f zetaD %.3f zetaS %.4f bw %d\n", s.iteration, s.reward,
                    s.violations, s.nu, s.backward.zeta_expert, s.backward.zeta_nominal, s.backward.iterations_done);
        std::fflush(stdout);
      }
      std::printf("expert %.1f\n", demos.mean_return());
    };
    if (xonly) run(ConstraintNet<1, 40, 40>()); else run(ConstraintNet<23, 40, 40>());
  }
}
