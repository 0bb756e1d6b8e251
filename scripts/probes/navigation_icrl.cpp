// scripts/probes/navigation_icrl.cpp - a probe, not part of the library or the build: ICRL with the
// PPO-Lagrangian forward step on generated navigation tasks (envs/navigation.hpp), used in
// docs/experiments.md ("Navigation: what the forward and backward steps do"). It trains a task's
// expert under the true cost, records 20 feasible demonstrations, runs ICRL with the settings
// given as key=value, and prints per outer iteration the true-env reward, violations, nu, the
// expert level l_D, the learned cost on the agent's rollouts, zeta on D and S, the learned cost of
// S's pairs inside the regions and outside, how many of the former lie in a cell D enters, and (maps=1) a
// 24 x 24 map of the learned cost (digits; letters in forbidden cells; E expert, A agent).
//
// Build (from the repository root; one command line):
//   g++ -std=c++17 -O2 -DNDEBUG -I. -isystem /usr/include/eigen3 -o navigation_icrl
//       scripts/probes/navigation_icrl.cpp icrl/rng.cpp icrl/error.cpp icrl/checkpoint.cpp
//       icrl/crc32.cpp icrl/demonstrations.cpp
// Runs (family 1, task 0, seed 1):
//   ./navigation_icrl expert 0                      # expert (nu lr 1.0) -> /tmp/nav/f1_t0.demos
//   ./navigation_icrl expert 0 nu0=0.01 nu_lr=0.1 nosave=1   # true cost switched on late
//   ./navigation_icrl icrl 0 maps=1                 # ICRL, icrl_preset("navigation")
//   ./navigation_icrl icrl 0 nu_lr=1 delta=0 pin=0.9 cost=expert_relative nu_max=10 zanneal=1 N=30
//   ./navigation_icrl icrl 0 inputs=gridnb zlr=0.1 N=20 nu_lr=1 nu_max=10 cost=expert_relative [mem=5]
//                                                   # a tabular zeta over 24 x 24 (x, y) cells
//   ./navigation_icrl icrl 7 inputs=gridnb zlr=0.1 N=20 nu_lr=1 nu_max=10 cost=expert_relative ds=0.3 mem=20
//                                                   # with demonstration starts and S over 20 iterations
// Keys: family seed N F B zlr zanneal delta pin pinq q cost nu_lr nu_max nu0 ent std ds
// (IcrlConfig::demo_starts) prior (a per-cell prior lambda sum_c (1 - zeta_c) on the table) next (the
// table on the position the step moves to) klf klr
// expert_budget mem (IcrlConfig::nominal_memory) aeps (zeta's Adam epsilon) method (icrl|bc|gc)
// inputs (all: the MLP on every input; xy: the MLP on (x, y); grid, gridnb, grid48, gridnb96: a table
// of logits over 24 x 24 (x, y) cells with a shared bias, without one, over 48 x 48 cells, or over
// 96 x 96 cells (0.25 units) without a bias; bilin,
// bilin48: a bilinear logit field on the vertices of 24 x 24 or 48 x 48 cells) theta0
// (the table's initial logit) table (a TabularConstraint file, e.g. from navigation_exact, as the
// table's logits; its keys must be the table's cells) freeze (IcrlConfig::freeze_constraint: no
// step 3) steps maps nosave bc bc_lr bc_std (behaviour cloning of the policy before the first
// outer iteration, bc Adam steps) bcevery (clone again before every outer
// iteration from this one on) fresh (a new policy before every outer iteration) margin (expert:
// NavigationConstrainedConfig::keep_out while training) tag (expert: a prefix of the saved file's name).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include "envs/navigation.hpp"
#include "envs/vec_env.hpp"
#include "icrl/icrl.hpp"
#include "icrl/presets.hpp"
using namespace icrl;
using namespace icrl::envs;
using Env = NavigationConstrained;
using Vec = VecEnv<Env, 5>;
std::map<std::string, std::string> kv;
double num(const std::string& k, double d) { return kv.count(k) ? std::atof(kv[k].c_str()) : d; }
std::string str(const std::string& k, const std::string& d) { return kv.count(k) ? kv[k] : d; }

Env make_env(const NavigationTask& t, bool terminate) {
  NavigationConstrainedConfig c;
  c.terminate_on_violation = terminate;
  return Env(Navigation(t), c);
}

int expert(int family, int k) {
  const NavigationTask t = make_navigation_task(family, k);
  PpoConfig pc = ppo_preset("navigation");
  pc.use_cost = true;
  pc.multiplier.budget = 0.0;
  pc.multiplier.lr = num("nu_lr", 1.0);
  pc.multiplier.nu_init = num("nu0", pc.multiplier.nu_init);
  if (num("std", 0)) pc.cost_advantage = CostAdvantageScale::standardize;
  pc.entropy_coef = num("ent", pc.entropy_coef);
  const std::int64_t steps = static_cast<std::int64_t>(num("steps", 1e6));
  const std::uint64_t seed = static_cast<std::uint64_t>(num("seed", 1));
  NavigationConstrainedConfig mc;
  mc.terminate_on_violation = false;
  mc.keep_out = num("margin", 0.0);
  auto agent = std::make_unique<PpoLagrangian<Vec, 64>>(pc, seed, Env(Navigation(t), mc));
  const Env tru = make_env(t, true);
  std::int64_t next = 100000;
  while (agent->env_steps() < steps) {
    agent->iterate();
    if (agent->env_steps() >= next) {
      next += 100000;
      const EvalResult ev = evaluate_policy(agent->policy(), agent->obs_normalizer(), tru, 20, 77, false);
      double ls = 0;
      if constexpr (true) ls = agent->policy().log_std.mean();
      std::printf("expert task %d steps %lld nu %.2f true return %.2f viol rate %.2f len %.0f logstd %.2f\n", k,
                  (long long)agent->env_steps(), agent->nu(), ev.mean_return, ev.violation_rate, ev.mean_length, ls);
      std::fflush(stdout);
    }
  }
  Demonstrations d = record_demonstrations(agent->policy(), agent->obs_normalizer(), tru, 200, seed ^ 0x5555, false);
  d.env = "navigation";
  d = d.feasible_episodes(20);
  std::printf("demos: %d episodes, mean return %.2f\n", d.episodes(), d.mean_return());
  if (num("nosave", 0)) return 0;
  std::filesystem::create_directories("/tmp/nav");
  d.save("/tmp/nav/" + str("tag", "") + "f" + std::to_string(family) + "_t" + std::to_string(k) + ".demos");
  return 0;
}


// A tabular zeta over (x, y) cells: zeta = sigmoid(theta_cell + theta_bias).
template <int NX, int NY, bool Bias = true>
struct GridTable {
  static constexpr int kIn = 2, kOut = 1, kNumParams = NX * NY + 1;
  using Params = Eigen::Matrix<float, kNumParams, 1>;
  Params theta = Params::Zero(), grad = Params::Zero();
  float lo = -12, hi = 12;
  template <int B> struct Workspace { Eigen::Matrix<float, 1, B> out; std::array<int, B> cell; };
  void init_fan_in_uniform(Rng&) {
    theta.setConstant((float)num("theta0", 0)); grad.setZero();
    if (kv.count("table")) {
      const TabularConstraint z = TabularConstraint::load(kv["table"]);
      if (z.num_keys != NX * NY) { std::fprintf(stderr, "table has %d keys\n", z.num_keys); std::exit(2); }
      for (int c = 0; c < NX * NY; ++c) theta(c) = (float)z.logit(c);
    }
  }
  // prior=lambda: a per-cell term lambda sum_c (1 - zeta_c) added to the backward loss (its
  // gradient is put in place when the learner clears the gradient before each Adam step): a cell
  // is then marked only where S's weighted share of pairs in it exceeds lambda zeta_c, whereas
  // eq. (8)'s per-pair regulariser scales with the same share and leaves the mark independent of
  // how often S visits the cell.
  void zero_grad() {
    grad.setZero();
    const float lam = static_cast<float>(num("prior", 0));
    if (lam > 0)
      for (int c = 0; c < NX * NY; ++c) {
        const float z = 1.0f / (1.0f + std::exp(-(theta(c) + (Bias ? theta(kNumParams - 1) : 0.0f))));
        grad(c) = -lam * z * (1 - z);
      }
  }
  int cell_of(float x, float y) const {
    int i = (int)std::floor((x - lo) / (hi - lo) * NX), j = (int)std::floor((y - lo) / (hi - lo) * NY);
    i = std::min(std::max(i, 0), NX - 1); j = std::min(std::max(j, 0), NY - 1);
    return i + NX * j;
  }
  template <int B, typename D>
  const Eigen::Matrix<float, 1, B>& forward(const Eigen::MatrixBase<D>& x, Workspace<B>& ws) const {
    for (int b = 0; b < B; ++b) {
      const int c = cell_of(x(0, b), x(1, b));
      ws.cell[b] = c;
      ws.out(b) = 1.0f / (1.0f + std::exp(-(theta(c) + (Bias ? theta(kNumParams - 1) : 0.0f))));
    }
    return ws.out;
  }
  template <int B, typename D>
  void backward(const Eigen::MatrixBase<D>& d, Workspace<B>& ws) {
    for (int b = 0; b < B; ++b) {
      const float g = d(b) * ws.out(b) * (1 - ws.out(b));
      grad(ws.cell[b]) += g;
      if (Bias) grad(kNumParams - 1) += g;
    }
  }
  static std::string architecture() { return "grid"; }
};
// A piecewise-bilinear logit field over (x, y): logits theta at the (NX + 1) x (NY + 1) vertices of
// NX x NY cells, zeta(x, y) = sigmoid(the bilinear interpolation of the four vertices round (x, y)).
// Unlike the table, zeta varies inside a cell, so a boundary can pass between two points of one cell.
template <int NX, int NY>
struct BilinearTable {
  static constexpr int kIn = 2, kOut = 1, kNumParams = (NX + 1) * (NY + 1);
  using Params = Eigen::Matrix<float, kNumParams, 1>;
  Params theta = Params::Zero(), grad = Params::Zero();
  float lo = -12, hi = 12;
  template <int B> struct Workspace { Eigen::Matrix<float, 1, B> out; std::array<std::array<int, 4>, B> v; std::array<std::array<float, 4>, B> w; };
  void init_fan_in_uniform(Rng&) { theta.setConstant((float)num("theta0", 0)); grad.setZero(); }
  void zero_grad() {
    grad.setZero();
    const float lam = static_cast<float>(num("prior", 0));
    if (lam > 0)
      for (int c = 0; c < kNumParams; ++c) {
        const float z = 1.0f / (1.0f + std::exp(-theta(c)));
        grad(c) = -lam * z * (1 - z);
      }
  }
  template <int B, typename D>
  const Eigen::Matrix<float, 1, B>& forward(const Eigen::MatrixBase<D>& x, Workspace<B>& ws) const {
    for (int b = 0; b < B; ++b) {
      const float u = std::min(std::max((x(0, b) - lo) / (hi - lo) * NX, 0.0f), (float)NX - 1e-4f);
      const float v = std::min(std::max((x(1, b) - lo) / (hi - lo) * NY, 0.0f), (float)NY - 1e-4f);
      const int i = (int)std::floor(u), j = (int)std::floor(v);
      const float fx = u - i, fy = v - j;
      ws.v[b] = {i + (NX + 1) * j, i + 1 + (NX + 1) * j, i + (NX + 1) * (j + 1), i + 1 + (NX + 1) * (j + 1)};
      ws.w[b] = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
      float l = 0;
      for (int k = 0; k < 4; ++k) l += ws.w[b][k] * theta(ws.v[b][k]);
      ws.out(b) = 1.0f / (1.0f + std::exp(-l));
    }
    return ws.out;
  }
  template <int B, typename D>
  void backward(const Eigen::MatrixBase<D>& d, Workspace<B>& ws) {
    for (int b = 0; b < B; ++b) {
      const float g = d(b) * ws.out(b) * (1 - ws.out(b));
      for (int k = 0; k < 4; ++k) grad(ws.v[b][k]) += g * ws.w[b][k];
    }
  }
  static std::string architecture() { return "bilinear"; }
};

template <int NX, int NY, bool Bias = true, class NetT = GridTable<NX, NY, Bias>>
struct GridZeta {
  static constexpr int kIn = 2;
  using Net = NetT;
  template <int B> using Input = Eigen::Matrix<float, 2, B>;
  template <int B> using Row = Eigen::Matrix<float, 1, B>;
  template <int B> using Workspace = typename Net::template Workspace<B>;
  using Features = std::array<ConstraintFeature, 2>;
  Net net; Features features{}; std::string env, method; int obs_dim = 0, act_dim = 0;
  void init(Rng& r) { net.init_fan_in_uniform(r); }
  void configure(const Features& f, int o, int a, const std::string& e) { features = f; obs_dim = o; act_dim = a; env = e; }
  template <typename Derived>
  void encode(const double* obs, const double* act, Eigen::MatrixBase<Derived>& x, Eigen::Index col) const {
    for (int i = 0; i < 2; ++i) x(i, col) = features[i].value(obs, act);
    // next=1: the position the step moves to, s_{t+1}'s (x, y), computed from s_t = [x, y, cos th,
    // sin th, ...] and the action as the env moves (clipped speed and turn; the arena's clip left
    // out), i.e. the pairing (s_{t+1}, a_t) of the reference, where the true constraint is decided.
    if (num("next", 0) != 0) {
      const double speed = std::clamp(act[0], -0.25, 0.25), turn = std::clamp(act[1], -0.25, 0.25);
      const double c = obs[2] * std::cos(turn) - obs[3] * std::sin(turn), s = obs[3] * std::cos(turn) + obs[2] * std::sin(turn);
      x(0, col) = obs[0] + c * speed;
      x(1, col) = obs[1] + s * speed;
    }
  }
  template <int B> const Row<B>& forward(const Input<B>& x, Workspace<B>& ws) const { return net.forward(x, ws); }
  double zeta(const double* obs, const double* act) const { Input<1> x; encode(obs, act, x, 0); Workspace<1> ws; return net.forward(x, ws)(0); }
  static void check_features(const Features& f, int o, int a, const std::string& e, const std::string& w) {
    ConstraintNet<2, 4>::check_features(f, o, a, e, w);
  }
};

template <class Zeta>
void map_print(const NavigationTask& t, const Zeta& zeta, double level, LearnedCost form, const Demonstrations& d,
               const PairBuffer<Zeta::kIn>* S) {
  const int n = 24;
  std::vector<std::string> g(n, std::string(n, '.'));
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const double x = -12 + i + 0.5, y = -12 + j + 0.5;
      const double th = std::atan2(t.goal_y - y, t.goal_x - x);
      const auto o = Navigation::observation_at(t, x, y, th);
      const double a[2] = {0.25, 0.0};
      const double c = learned_cost(form, zeta.zeta(o.data(), a), level);
      const int digit = form == LearnedCost::one_minus_zeta ? (int)std::min(9.0, c * 10) : (int)std::min(9.0, c);
      g[j][i] = navigation_unsafe(t, x, y) ? "abcdefghij"[digit] : "0123456789"[digit];
    }
  for (Eigen::Index c = 0; c < d.observations.cols(); ++c) {
    const int i = (int)std::floor(d.observations(0, c) + 12), j = (int)std::floor(d.observations(1, c) + 12);
    if (i >= 0 && i < n && j >= 0 && j < n) g[j][i] = 'E';
  }
  if (S)
    for (Eigen::Index c = 0; c < S->size(); ++c) {
      const int i = (int)std::floor(S->x(0, c) + 12), j = (int)std::floor(S->x(1, c) + 12);
      if (i >= 0 && i < n && j >= 0 && j < n) g[j][i] = g[j][i] == 'E' ? 'B' : 'A';
    }
  for (int j = n - 1; j >= 0; --j) std::printf("   %s\n", g[j].c_str());
}


// Behaviour cloning of the policy mean (and with bc_std=1 its log sigma) on the demonstrations,
// after fitting the observation normaliser to them.
template <class Trainer>
void bc_pretrain(Trainer& tr, const Demonstrations& d, int steps, double lr, bool fit_std) {
  auto& agent = tr.agent();
  auto& pol = agent.policy();
  using P = std::decay_t<decltype(pol)>;
  auto& norm = const_cast<std::decay_t<decltype(agent.obs_normalizer())>&>(agent.obs_normalizer());
  const Eigen::MatrixXd obs_all = d.observations;
  for (Eigen::Index c = 0; c < obs_all.cols(); c += 5) {
    const Eigen::Index m = std::min<Eigen::Index>(5, obs_all.cols() - c);
    Eigen::Matrix<double, 6, Eigen::Dynamic> blk = obs_all.middleCols(c, m);
    norm.update(blk);
  }
  constexpr int B = 64;
  auto ws = std::make_unique<typename P::template Workspace<B>>();
  typename P::template ObsBatch<B> ob;
  typename P::template ActBatch<B> ab;
  typename P::template Row<B> logp, ent, dlogp, dent;
  Eigen::Matrix<double, 6, B> raw;
  auto opt = std::make_unique<Adam<float, P::Net::kNumParams, 2>>();
  opt->config = AdamConfig{lr, 0.9, 0.999, 1e-5};
  Rng rng(4321, 0u);
  const Eigen::Index n = obs_all.cols();
  double first = 0, last = 0;
  for (int it = 0; it < steps; ++it) {
    for (int b = 0; b < B; ++b) {
      const Eigen::Index i = static_cast<Eigen::Index>(rng.uniform() * n) % n;
      raw.col(b) = obs_all.col(i);
      ab.col(b) = d.actions.col(i).cast<float>();
    }
    norm.normalize(raw, ob);
    pol.zero_grad();
    pol.evaluate(ob, ab, *ws, logp, ent);
    dlogp.setConstant(-1.0f / B);
    dent.setZero();
    pol.backward(ab, dlogp, dent, *ws);
    if (!fit_std) pol.d_log_std.setZero();
    opt->step(param_block(pol.net.theta, pol.net.grad), param_block(pol.log_std, pol.d_log_std));
    if (it == 0) first = -logp.mean();
    last = -logp.mean();
  }
  std::printf("bc: %d steps, -log pi %.3f -> %.3f, log sigma %.2f\n", steps, first, last, pol.log_std.mean());
}

template <class Zeta>
int run_icrl(int family, int k, Zeta zeta) {
  const NavigationTask t = make_navigation_task(family, k);
  const Demonstrations d = Demonstrations::load("/tmp/nav/f" + std::to_string(family) + "_t" + std::to_string(k) + ".demos");
  IcrlConfig ic = icrl_preset("navigation");
  PpoConfig pc = icrl_forward_ppo("navigation");
  if (str("method", "icrl") == "bc") apply_method(ic, IcrlMethod::bc);
  if (str("method", "icrl") == "gc") apply_method(ic, IcrlMethod::gc);
  std::string cost = str("cost", "one_minus_zeta");
  parse_learned_cost(cost, ic.cost);
  ic.expert_quantile = num("q", 0.1);
  ic.update.regularizer = num("delta", ic.update.regularizer);
  ic.update.backward_iterations = (int)num("B", ic.update.backward_iterations);
  ic.update.lr = num("zlr", ic.update.lr);
  ic.update.anneal = num("zanneal", ic.update.anneal);
  ic.outer_iterations = (int)num("N", ic.outer_iterations);
  ic.nominal_memory = (int)num("mem", 1);
  ic.demo_starts = num("ds", 0);
  ic.freeze_constraint = num("freeze", 0) != 0;
  ic.update.adam_eps = num("aeps", ic.update.adam_eps);
  ic.forward_steps = (std::int64_t)num("F", (double)ic.forward_steps);
  ic.expert_budget = num("expert_budget", 0) != 0;
  ic.update.pin_zeta = num("pin", 0);
  ic.update.pin_quantile = num("pinq", 0.1);
  ic.update.kl_reverse_limit = num("klr", ic.update.kl_reverse_limit);
  ic.update.kl_forward_limit = num("klf", ic.update.kl_forward_limit);
  pc.multiplier.lr = num("nu_lr", pc.multiplier.lr);
  pc.entropy_coef = num("ent", pc.entropy_coef);
  if (num("std", 0)) pc.cost_advantage = CostAdvantageScale::standardize;
  if (kv.count("nu_max")) pc.multiplier.nu_max = num("nu_max", 0);
  const std::uint64_t seed = (std::uint64_t)num("seed", 1);
  zeta.configure(zeta.features, Env::kObsDim, Env::kActDim, "navigation");
  if (kv.count("table")) { Rng r(1u, 1u); zeta.init(r); }
  IcrlTrainer<Vec, 64, Zeta> tr(ic, pc, seed, make_env(t, false), make_env(t, true), zeta, &d, "demos");
  std::printf("task %d: expert %.2f; %s q %.2f delta %.2f B %d zlr %g\n", k, d.mean_return(), cost.c_str(), ic.expert_quantile,
              ic.update.regularizer, ic.update.backward_iterations, ic.update.lr);
  if (num("bc", 0) > 0) bc_pretrain(tr, d, (int)num("bc", 0), num("bc_lr", 1e-3), num("bc_std", 0) != 0);
  if (num("bc", 0) > 0) {
    const EvalResult e0 = evaluate_policy(tr.agent().policy(), tr.agent().obs_normalizer(), make_env(t, true), 20, 5, false);
    std::printf("after bc: true reward %.2f viol rate %.2f\n", e0.mean_return, e0.violation_rate);
  }
  for (int i = 0; i < ic.outer_iterations; ++i) {
    // bcevery=K: clone the demonstrations again before every forward step from outer iteration K on.
    if (num("bcevery", 0) > 0 && i >= (int)num("bcevery", 0) && num("bc", 0) > 0)
      bc_pretrain(tr, d, (int)num("bc", 0), num("bc_lr", 1e-3), num("bc_std", 0) != 0);
    // fresh=1: the policy starts again from a new initialisation before every outer iteration
    // after the first (the critics and the multiplier are kept), so that it explores under the
    // cost learned so far.
    if (num("fresh", 0) != 0 && i > 0) {
      Rng r(seed * 1000 + (std::uint64_t)i, 7);
      tr.agent().policy().init(r, pc.init_log_std);
    }
    const OuterStats s = tr.outer_iteration();
    std::printf("it %2d rew %6.2f viol %.3f vrate %.2f nu %7.2f lvl %7.3f cA %6.3f zE %.4f zN %.4f Bdone %d kl %.2f/%.2f "
                "logsig %.2f ent %.2f epR %.2f epC %.2f %.0fs\n",
                s.iteration, s.reward, s.violations, s.violation_rate, s.nu, s.cost_level, s.learned_cost,
                s.backward.zeta_expert, s.backward.zeta_nominal, s.backward.iterations_done, s.backward.kl_forward,
                s.backward.kl_reverse, tr.agent().policy().log_std.mean(), s.last_update.entropy,
                s.last_update.episode_return, s.last_update.episode_cost, s.wall_seconds);
    {
      // The learned cost of the nominal pairs whose position lies in a forbidden region, and of the rest.
      const auto& S = tr.nominal_pairs();
      double cu = 0, cs = 0;
      int nu_ = 0, ns_ = 0, nu_dcell = 0;
      std::vector<char> d_cells(24 * 24, 0);  // the 1 x 1 cells D's positions fall in
      for (Eigen::Index c = 0; c < d.observations.cols(); ++c) {
        const int ci = (int)std::floor(d.observations(0, c) + 12), cj = (int)std::floor(d.observations(1, c) + 12);
        if (ci >= 0 && ci < 24 && cj >= 0 && cj < 24) d_cells[ci + 24 * cj] = 1;
      }
      for (Eigen::Index c = 0; c < S.size(); ++c) {
        typename Zeta::template Input<1> x1 = S.x.col(c);
        typename Zeta::template Workspace<1> w1;
        const double z = tr.constraint().net.forward(x1, w1)(0);
        const double cost = learned_cost(ic.cost, z, std::isnan(s.cost_level) ? 0.0 : s.cost_level);
        if (navigation_unsafe(t, S.x(0, c), S.x(1, c))) {
          cu += cost, ++nu_;
          const int ci = (int)std::floor(S.x(0, c) + 12), cj = (int)std::floor(S.x(1, c) + 12);
          if (ci >= 0 && ci < 24 && cj >= 0 && cj < 24 && d_cells[ci + 24 * cj]) ++nu_dcell;
        } else {
          cs += cost, ++ns_;
        }
      }
      std::printf("      S: %d of the pairs in a region lie in a 1 x 1 cell that D's route also enters\n", nu_dcell);
      std::printf("      S: %d pairs in a region, learned cost %.3f; %d outside, %.3f\n", nu_, nu_ ? cu / nu_ : NAN, ns_,
                  ns_ ? cs / ns_ : NAN);
    }
    std::fflush(stdout);
    if (num("maps", 0) && (i == 0 || i + 1 == ic.outer_iterations || (i + 1) % 5 == 0))
      map_print(t, tr.constraint(), std::isnan(s.cost_level) ? 0.0 : s.cost_level, ic.cost, d, &tr.nominal_pairs());
  }
  const EvalResult ev = evaluate_policy(tr.agent().policy(), tr.agent().obs_normalizer(), make_env(t, true), 50, 999, false);
  std::printf("final task %d seed %llu: reward %.2f (expert %.2f, ratio %.2f) viol rate %.2f  %s\n", k,
              (unsigned long long)seed, ev.mean_return, d.mean_return(), ev.mean_return / d.mean_return(), ev.violation_rate,
              ev.mean_return >= 0.9 * d.mean_return() ? "SUCCESS" : "fail");
  return 0;
}

// ICRL with a zeta of type Z on the position (x, y).
template <class Z>
int run_icrl_xy(int family, int k) {
  Z z;
  z.features[0] = ConstraintFeature::obs(0);
  z.features[1] = ConstraintFeature::obs(1);
  return run_icrl(family, k, z);
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const std::string mode = argv[1];
  const int k = std::atoi(argv[2]);
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    auto e = a.find('=');
    kv[a.substr(0, e)] = a.substr(e + 1);
  }
  const int family = (int)num("family", 1);
  if (mode == "expert") return expert(family, k);
  const std::string inputs = str("inputs", "all");
  if (inputs == "grid") return run_icrl_xy<GridZeta<24, 24>>(family, k);
  if (inputs == "gridnb") return run_icrl_xy<GridZeta<24, 24, false>>(family, k);
  if (inputs == "grid48") return run_icrl_xy<GridZeta<48, 48>>(family, k);
  if (inputs == "gridnb96") return run_icrl_xy<GridZeta<96, 96, false>>(family, k);
  if (inputs == "bilin") return run_icrl_xy<GridZeta<24, 24, false, BilinearTable<24, 24>>>(family, k);
  if (inputs == "bilin48") return run_icrl_xy<GridZeta<48, 48, false, BilinearTable<48, 48>>>(family, k);
  if (inputs == "xy") return run_icrl_xy<ConstraintNet<2, 20>>(family, k);
  ConstraintNet<8, 20> z;
  z.features = decltype(z)::default_features<Env>();
  return run_icrl(family, k, z);
}
