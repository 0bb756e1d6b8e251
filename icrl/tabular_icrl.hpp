// icrl/tabular_icrl.hpp - Algorithm 1 with an exact forward step, for tasks given as tables
// (tabular_mdp.hpp): lap-grid, every grid map, a user's own finite task. ICRL and the two
// baselines (binary classifier, GAIL-constraint; SPEC 4) in one loop.
//
// The constraint is a table: one logit theta_k per key, zeta_k = sigmoid(theta_k) (the tabular
// special case of the network zeta_theta of eq. (5)). The loop, top to bottom in
// outer_iteration():
//   1. forward   the exact policy of the forward model (tabular_mdp.hpp) under the current zeta:
//                  log_zeta     per-step value beta r + log(zeta + eps): p(tau) prop. to
//                               exp(beta r(tau)) prod zeta (eqs. (1)-(5)); no multiplier at all
//                  lagrangian   beta r - nu (1 - zeta) (eq. (9)), with nu the smallest value in
//                               [0, nu_max] at which the expected learned cost of an episode is
//                               at most alpha = the demonstrations' own learned cost (the expert
//                               is feasible by definition); found by bisection
//                gc always uses the log model with its discriminator D (reward r + log D, SPEC 4).
//   2. sample    M episodes of that policy in the nominal dynamics: the nominal pairs S
//   3. backward  icrl: up to B Adam steps on eq. (11) + (8) with the importance weights of
//                eq. (10) and the KL early stop of eq. (12) (importance_weights.hpp); bc and gc:
//                B full-batch cross-entropy steps (expert 1, nominal 0). Step size lr_0 anneal^i.
//                The gradient with respect to a logit is exact and closed-form:
//                  dL/dtheta_k = sum over pairs with key k of dL/dzeta * zeta_k (1 - zeta_k),
//                  dL/dzeta = (-1 / (zeta + eps) - delta) / |D| on D, (w / (zeta + eps) - delta) / |S| on S.
//   4. evaluate  the agent: the solution of the constrained problem of eq. (9) under the learned
//                cost, max beta_a r - nu (1 - zeta) with nu found as in the lagrangian model
//                (budget alpha = the demonstrations' learned cost), at agent_beta, closer to
//                greedy than the forward model's beta (gc: its shaped reward beta_a r + log D).
//                The log model is not used for the agent: log(zeta + eps) >= log(eps) = -11.5
//                bounds what an unsafe step costs, so at a large beta any shortcut worth more
//                than 11.5 / beta reward per unsafe step would be taken; the multiplier has no
//                such bound. The agent is evaluated exactly (evaluate_policy): expected true-env
//                return (SPEC 8's reward), expected violations per nominal step and, when the
//                true constraint is known, how well the learned unsafe set {k : zeta_k < 1/2}
//                recovers it (precision, recall).
//
// Everything is sized in the constructor; an outer iteration allocates nothing. Randomness: the
// nominal episodes of iteration i come from Rng(seed ^ (kNominalSeed + i), kTabularStream), so one
// seed gives the same run on every machine (the draws depend only on +, *, exp and log).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/constraint_update.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/icrl_method.hpp"
#include "icrl/importance_weights.hpp"
#include "icrl/losses.hpp"
#include "icrl/rng.hpp"
#include "icrl/tabular_mdp.hpp"

namespace icrl {

inline constexpr int kMaxConstraintKeys = 9216;  // a 96 x 96 grid keyed by cell (navigation at 0.25 units)
inline constexpr const char* kTabularConstraintFileKind = "TCST";
inline constexpr std::uint64_t kTabularStream = 0x7ab1e;
inline constexpr std::uint64_t kTabularNominalSeed = 0x510E527FADE682D1ULL;
// The betas fit_beta chooses from: 1/4 .. 256 by factors of 2.
inline constexpr double kBetaGrid[] = {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256};

// log sigmoid(theta), finite for every finite theta (no eps needed in the tabular case).
inline double log_sigmoid(double theta) {
  return theta >= 0 ? -std::log1p(std::exp(-theta)) : theta - std::log1p(std::exp(theta));
}

// zeta as a table of K <= kMaxConstraintKeys logits.
struct TabularConstraint {
  using Logits = Eigen::Matrix<double, kMaxConstraintKeys, 1>;  // [kMaxConstraintKeys] theta_k
  std::string task;    // the task it was learned on
  std::string method;  // icrl, bc or gc
  int num_keys = 0;    // K
  Logits logit = Logits::Zero();  // theta_k; zeta_k = sigmoid(theta_k); keys >= K stay 0

  double zeta(int k) const { return 1.0 / (1.0 + std::exp(-logit(k))); }
  double cost(int k) const { return 1.0 - zeta(k); }  // c = 1 - zeta

  void save(const std::string& path) const {
    CheckpointWriter out(kTabularConstraintFileKind);
    out.add_text("task", task);
    out.add_text("method", method);
    out.add_int("num_keys", num_keys);
    out.add("logits", logit.head(num_keys).eval());
    out.save(path);
  }
  // Reads a "TCST" file; icrl::Error names the file and the entry when it is damaged.
  static TabularConstraint load(const std::string& path) { return load(CheckpointReader::open(path, kTabularConstraintFileKind)); }
  static TabularConstraint load(const CheckpointReader& in) {
    const std::string& path = in.origin();
    TabularConstraint c;
    c.task = in.read_text("task");
    c.method = in.read_text("method");
    const std::int64_t k = in.read_int("num_keys");
    if (k < 1 || k > kMaxConstraintKeys)
      throw Error("'" + path + "': entry 'num_keys' = " + std::to_string(k) + " is outside 1.." +
                  std::to_string(kMaxConstraintKeys) + ": the file is damaged");
    c.num_keys = static_cast<int>(k);
    Eigen::VectorXd l;
    in.require<double>("logits", k, 1);
    in.read("logits", l);
    if (!l.allFinite()) throw Error("'" + path + "': entry 'logits' holds a NaN or infinity: the file is damaged");
    c.logit.head(c.num_keys) = l;
    return c;
  }
};

enum class ExactForward { log_zeta, lagrangian };
enum class AgentModel { threshold, forward_model };
inline const char* exact_forward_name(ExactForward f) { return f == ExactForward::log_zeta ? "log_zeta" : "lagrangian"; }

// Every setting of the exact-forward loop. Start from tabular_defaults(method).
struct TabularIcrlConfig {
  IcrlMethod method = IcrlMethod::icrl;
  ExactForward forward = ExactForward::log_zeta;  // step 1's model (gc: always log D)
  int outer_iterations = 30;     // N
  int nominal_episodes = 20;     // M
  double beta = 0.0;             // eq. (1)'s beta; 0: fitted to D by maximum likelihood every iteration
  double agent_beta = 0.0;       // beta of the agent of step 4; 0: the forward model's beta
  double nu_max = 1000.0;        // upper end of the bisection for nu (lagrangian model)
  AgentModel agent = AgentModel::forward_model;  // step 4: step 1's model, or the keys with zeta < 1/2 forbidden
  ConstraintUpdateConfig update; // step 3
};

// The one default configuration of each method on tabular tasks. The measurements behind the
// numbers are in docs/experiments.md ("Exact forward step").
inline TabularIcrlConfig tabular_defaults(IcrlMethod method = IcrlMethod::icrl) {
  TabularIcrlConfig c;
  c.method = method;
  c.outer_iterations = 30;
  c.update.backward_iterations = 20;
  c.update.lr = 0.3;
  c.update.anneal = 1.0;
  c.update.regularizer = 0.0;
  c.update.importance = ImportanceMode::per_episode;
  c.update.early_stopping = true;
  c.update.kl_forward_limit = 10.0;
  c.update.kl_reverse_limit = 10.0;
  // SPEC 4: the binary classifier's forward step pays the cost 1 - zeta (the lagrangian model);
  // GAIL-constraint's earns r + log D (the log model, whatever `forward` says).
  if (method == IcrlMethod::bc) c.forward = ExactForward::lagrangian;
  if (method != IcrlMethod::icrl) {  // SPEC 4: cross-entropy, no IS, no early stop, no regulariser
    c.update.loss = ConstraintLoss::bce;
    c.update.importance = ImportanceMode::off;
    c.update.early_stopping = false;
  }
  return c;
}

// What one outer iteration did and measured.
struct TabularOuterStats {
  int iteration = 0;                 // 1-based
  double wall_seconds = 0.0;
  double reward = NAN;               // the agent's expected true-env return (SPEC 8, exact)
  double nominal_return = NAN;       // its expected return in the nominal dynamics
  double violations = NAN;           // its expected unsafe steps per nominal step
  double violation_rate = NAN;       // its probability of a nominal episode with >= 1 unsafe step
  double learned_cost = NAN;         // its expected learned cost 1 - zeta per step
  double expert_cost = NAN;          // alpha: mean learned cost of a demonstration episode
  double nu = 0.0;                   // lagrangian: the multiplier of the agent's policy
  double beta = NAN;                 // the forward model's beta in this iteration
  double sample_violations = NAN;    // share of unsafe steps among the M nominal episodes
  double precision = NAN;            // of the learned unsafe set (keys with zeta < 1/2)
  double recall = NAN;
  int learned_unsafe = 0;            // size of that set
  BackwardStats backward;
};

class TabularIcrlTrainer {
 public:
  // mdp: the task (nominal dynamics; its key_unsafe, if any, is used only for reporting).
  // demos: the expert data D; each step's observation must be a state's observation.
  TabularIcrlTrainer(const TabularIcrlConfig& config, const TabularMdp& mdp, const Demonstrations& demos,
                     const std::string& demos_origin, std::uint64_t seed)
      : config_(validated(config, mdp)), mdp_(mdp), seed_(seed), start_time_(std::chrono::steady_clock::now()) {
    mdp_.check();
    zeta_.task = mdp_.name;
    zeta_.method = method_name(config_.method);
    zeta_.num_keys = mdp_.num_keys;
    const std::size_t K = static_cast<std::size_t>(mdp_.num_keys);
    bonus_.assign(K, 0.0);
    cost_.assign(K, 0.0);
    nominal_count_.assign(K, 0.0);
    nominal_weight_.assign(K, 0.0);
    grad_.setZero();
    adam_.config = AdamConfig{config_.update.lr, 0.9, 0.999, config_.update.adam_eps};
    policy_ = SoftPolicy(mdp_);
    agent_ = SoftPolicy(mdp_);
    work_ = policy_evaluation_buffer(mdp_);
    read_demonstrations(demos, demos_origin);
    nominal_.reserve(config_.nominal_episodes, mdp_.horizon);
    const std::size_t n = static_cast<std::size_t>(nominal_.state.size());
    zeta_old_.setZero(static_cast<Eigen::Index>(n));
    zeta_now_.setZero(static_cast<Eigen::Index>(n));
    log_r_.setZero(static_cast<Eigen::Index>(n));
    w_.setOnes(static_cast<Eigen::Index>(n));
    ell_.setZero(config_.nominal_episodes);
  }

  static TabularIcrlConfig validated(const TabularIcrlConfig& c, const TabularMdp& m) {
    auto fail = [](const std::string& field, const std::string& why) { throw Error("tabular ICRL setting '" + field + "' " + why); };
    if (c.outer_iterations < 1 || c.outer_iterations > 100000) fail("outer_iterations", "must be in 1..100000");
    if (c.nominal_episodes < 1 || c.nominal_episodes > 100000) fail("nominal_episodes", "must be in 1..100000");
    if (!(c.beta >= 0) || !std::isfinite(c.beta)) fail("beta", "must be a positive number, or 0 (fitted)");
    if (!(c.agent_beta >= 0) || !std::isfinite(c.agent_beta)) fail("agent_beta", "must be a positive number, or 0 (beta)");
    if (!(c.nu_max > 0) || !std::isfinite(c.nu_max)) fail("nu_max", "must be a positive number");
    validated_update(c.update);
    if (c.method == IcrlMethod::icrl && c.update.loss != ConstraintLoss::icrl)
      fail("update.loss", "is bce but method is icrl: ICRL's backward step is eq. (11); use tabular_defaults(method)");
    if (c.method != IcrlMethod::icrl) {
      if (c.update.loss != ConstraintLoss::bce)
        fail("update.loss", std::string("must be bce for method ") + method_name(c.method) + " (SPEC 4): use tabular_defaults(method)");
      if (c.update.importance != ImportanceMode::off || c.update.early_stopping || c.update.regularizer != 0.0)
        fail("update.importance / early_stopping / regularizer",
             std::string("belong to ICRL's eq. (10)-(12); method ") + method_name(c.method) + " has none (SPEC 4)");
    }
    if (m.num_keys > kMaxConstraintKeys)
      fail("num_keys", "of task '" + m.name + "' is " + std::to_string(m.num_keys) + ", more than kMaxConstraintKeys = " +
                           std::to_string(kMaxConstraintKeys));
    return c;
  }

  // One outer iteration of Algorithm 1 (header comment, steps 1-4).
  TabularOuterStats outer_iteration() {
    TabularOuterStats s;
    const int i = iteration_;
    // 1. forward: the exact policy of the forward model under the current zeta.
    s.expert_cost = expert_learned_cost();
    const ExactForward model = config_.method == IcrlMethod::gc ? ExactForward::log_zeta : config_.forward;
    s.beta = config_.beta > 0 ? config_.beta : fit_beta(model, s.expert_cost);
    forward_nu_ = solve_policy(model, s.beta, s.expert_cost, policy_);
    // 2. sample M nominal episodes.
    nominal_.clear();
    Rng rng(seed_ ^ (kTabularNominalSeed + static_cast<std::uint64_t>(i)), kTabularStream);
    sample_episodes(mdp_, policy_, config_.nominal_episodes, rng, nominal_);
    std::int64_t bad = 0;
    for (Eigen::Index t = 0; t < nominal_.size(); ++t) bad += nominal_.unsafe[static_cast<std::size_t>(t)];
    s.sample_violations = static_cast<double>(bad) / static_cast<double>(nominal_.size());
    // 3. backward.
    s.backward = backward(i);
    // 4. evaluate the agent exactly.
    const double agent_beta = config_.agent_beta > 0 ? config_.agent_beta : s.beta;
    if (config_.method == IcrlMethod::gc || config_.agent == AgentModel::forward_model)
      s.nu = solve_policy(model, agent_beta, expert_learned_cost(), agent_);
    else
      solve_threshold_policy(agent_beta, agent_);
    const TabularPolicyValue v = evaluate_policy(mdp_, agent_, cost_.data(), work_);
    s.reward = v.true_return;
    s.nominal_return = v.nominal_return;
    s.violations = v.violations_per_step();
    s.violation_rate = v.violation_probability;
    s.learned_cost = v.expected_length > 0 ? v.expected_cost / v.expected_length : 0.0;
    recovery(s);
    s.iteration = ++iteration_;
    s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time_).count();
    return s;
  }

  int iterations_done() const { return iteration_; }
  const TabularIcrlConfig& config() const { return config_; }
  const TabularMdp& mdp() const { return mdp_; }
  const TabularConstraint& constraint() const { return zeta_; }
  TabularConstraint& constraint() { return zeta_; }
  const SoftPolicy& agent_policy() const { return agent_; }
  const TabularEpisodes& nominal_episodes() const { return nominal_; }
  double expert_reward() const { return expert_reward_; }
  // Share of demonstration steps whose action is optimal for the reward alone (no constraint).
  // 1 means the demonstrations never leave the nominal optimum: there is nothing to learn.
  double demos_nominal_optimal_share() const { return nominal_optimal_share_; }

  // The loss of step 3 at the current logits with the current importance weights, and its
  // gradient (gradient_buffer()); for tests and inspection.
  double loss_and_gradient() { return gradient(); }
  const TabularConstraint::Logits& gradient_buffer() const { return grad_; }
  // Importance weights of the last backward iteration [M H] (per nominal step).
  Eigen::VectorXf& weights() { return w_; }

  // Mean learned cost of a demonstration episode: alpha of the lagrangian model.
  double expert_learned_cost() const {
    double c = 0.0;
    for (int k = 0; k < mdp_.num_keys; ++k) c += expert_count_[static_cast<std::size_t>(k)] * zeta_.cost(k);
    return c / std::max(1, expert_episodes_);
  }

 private:
  // Fills bonus_ and cost_ from zeta for the model and solves pi at beta; returns nu (lagrangian).
  // fixed_nu >= 0 (lagrangian): use that multiplier instead of the bisection.
  double solve_policy(ExactForward model, double beta, double alpha, SoftPolicy& pi, double fixed_nu = -1.0) {
    const int K = mdp_.num_keys;
    for (int k = 0; k < K; ++k) cost_[static_cast<std::size_t>(k)] = zeta_.cost(k);
    if (model == ExactForward::log_zeta) {
      for (int k = 0; k < K; ++k) bonus_[static_cast<std::size_t>(k)] = log_sigmoid(zeta_.logit(k));
      soft_value_iteration(mdp_, beta, bonus_.data(), pi);
      return 0.0;
    }
    // lagrangian: the smallest nu in [0, nu_max] whose policy's expected learned cost is <= alpha.
    auto solve = [&](double nu) {
      for (int k = 0; k < K; ++k) bonus_[static_cast<std::size_t>(k)] = -nu * cost_[static_cast<std::size_t>(k)];
      soft_value_iteration(mdp_, beta, bonus_.data(), pi);
      return evaluate_policy(mdp_, pi, cost_.data(), work_).expected_cost;
    };
    if (fixed_nu >= 0.0) {
      solve(fixed_nu);
      return fixed_nu;
    }
    if (solve(0.0) <= alpha) return 0.0;
    if (solve(config_.nu_max) > alpha) return config_.nu_max;
    double lo = 0.0, hi = config_.nu_max;
    for (int it = 0; it < 40; ++it) {
      const double mid = 0.5 * (lo + hi);
      (solve(mid) > alpha ? lo : hi) = mid;
    }
    solve(hi);
    return hi;
  }

  // beta by maximum likelihood of D under the current zeta (eq. (5); on deterministic dynamics
  // log p(tau) = sum_t log pi_t(a_t | s_t)), over the grid kBetaGrid. The lagrangian
  // model holds nu at the previous iteration's value while it compares betas.
  double fit_beta(ExactForward model, double alpha) {
    double best = -std::numeric_limits<double>::infinity(), best_beta = kBetaGrid[0];
    for (const double b : kBetaGrid) {
      solve_policy(model, b, alpha, policy_, forward_nu_);
      double ll = 0.0;
      for (std::size_t j = 0; j < expert_s_.size(); ++j)
        ll += std::log(std::max(policy_.probabilities(expert_t_[j], expert_s_[j])[expert_a_[j]], 1e-300));
      if (ll > best) {
        best = ll;
        best_beta = b;
      }
    }
    return best_beta;
  }

  // The agent of step 4: soft value iteration at beta with every key of zeta < 1/2 removed.
  void solve_threshold_policy(double beta, SoftPolicy& pi) {
    for (int k = 0; k < mdp_.num_keys; ++k) {
      cost_[static_cast<std::size_t>(k)] = zeta_.cost(k);
      bonus_[static_cast<std::size_t>(k)] = zeta_.zeta(k) < 0.5 ? -std::numeric_limits<double>::infinity() : 0.0;
    }
    soft_value_iteration(mdp_, beta, bonus_.data(), pi);
  }

  // Step 3 (header comment).
  BackwardStats backward(int outer) {
    BackwardStats st;
    st.lr = config_.update.lr * std::pow(config_.update.anneal, outer);
    adam_.config.lr = st.lr;
    const Eigen::Index n = nominal_.size();
    const int K = nominal_.episodes();
    zeta_on_nominal(zeta_old_);
    for (int j = 0; j < config_.update.backward_iterations; ++j) {
      if (config_.update.loss == ConstraintLoss::icrl) {
        zeta_on_nominal(zeta_now_);
        log_ratios(zeta_now_, zeta_old_, nominal_.starts, log_r_, ell_);
        const KlEstimates kl = kl_estimates(ell_.data(), K);
        st.kl_forward = kl.forward;
        st.kl_reverse = kl.reverse;
        if (config_.update.early_stopping && j >= 1 &&
            (kl.forward > config_.update.kl_forward_limit || kl.reverse > config_.update.kl_reverse_limit)) {
          st.stopped_early = true;
          break;
        }
        importance_weights(config_.update.importance, log_r_, ell_, nominal_.starts, w_);
      }
      const double l = gradient();
      if (j == 0) st.loss_first = l;
      st.loss_last = l;
      adam_.step(param_block(zeta_.logit, grad_));
      ++st.iterations_done;
    }
    if (config_.update.loss == ConstraintLoss::icrl && !st.stopped_early) {  // KL after the last step
      zeta_on_nominal(zeta_now_);
      log_ratios(zeta_now_, zeta_old_, nominal_.starts, log_r_, ell_);
      const KlEstimates kl = kl_estimates(ell_.data(), K);
      st.kl_forward = kl.forward;
      st.kl_reverse = kl.reverse;
    }
    zeta_on_nominal(zeta_now_);
    double ze = 0.0;
    for (int k = 0; k < mdp_.num_keys; ++k) ze += expert_count_[static_cast<std::size_t>(k)] * zeta_.zeta(k);
    st.zeta_expert = ze / static_cast<double>(expert_s_.size());
    st.zeta_nominal = zeta_now_.head(n).sum() / static_cast<double>(n);
    return st;
  }

  // zeta on every nominal pair, into out [>= |S|].
  void zeta_on_nominal(Eigen::VectorXd& out) const {
    for (Eigen::Index t = 0; t < nominal_.size(); ++t) out(t) = zeta_.zeta(nominal_.key[static_cast<std::size_t>(t)]);
  }

  // The loss of step 3 (eq. (11) with the regulariser eq. (8); bce for the baselines) at the
  // current logits and its gradient into grad_ (header comment). A
  // table's loss depends on the pairs only through how often each key occurs: c_k times in D,
  // N_k times in S with summed weight W_k. With zeta = sigmoid(theta), d log zeta / d theta =
  // 1 - zeta and d log(1 - zeta) / d theta = -zeta, so every term is exact without the eps of the
  // network case:
  //   icrl  L = sum_k [ c_k (-log zeta_k + delta (1 - zeta_k)) / |D| + (W_k log zeta_k + delta N_k (1 - zeta_k)) / |S| ]
  //   bce   L = sum_k [ -c_k log zeta_k / |D| - N_k log(1 - zeta_k) / |S| ]
  double gradient() {
    const int K = mdp_.num_keys;
    std::fill(nominal_count_.begin(), nominal_count_.end(), 0.0);
    std::fill(nominal_weight_.begin(), nominal_weight_.end(), 0.0);
    for (Eigen::Index t = 0; t < nominal_.size(); ++t) {
      const std::size_t k = static_cast<std::size_t>(nominal_.key[static_cast<std::size_t>(t)]);
      nominal_count_[k] += 1.0;
      nominal_weight_[k] += w_(t);
    }
    const double nd = static_cast<double>(expert_s_.size()), ns = static_cast<double>(nominal_.size());
    const bool bce = config_.update.loss == ConstraintLoss::bce;
    const double delta = bce ? 0.0 : config_.update.regularizer;
    grad_.setZero();
    double loss = 0.0;
    for (int k = 0; k < K; ++k) {
      const std::size_t u = static_cast<std::size_t>(k);
      const double c = expert_count_[u], N = nominal_count_[u], W = nominal_weight_[u];
      const double th = zeta_.logit(k), z = zeta_.zeta(k);
      loss += c * (-log_sigmoid(th) + delta * (1.0 - z)) / nd;
      grad_(k) = c * (-(1.0 - z) - delta * z * (1.0 - z)) / nd;
      if (bce) {
        loss += -N * log_sigmoid(-th) / ns;
        grad_(k) += N * z / ns;
      } else {
        loss += (W * log_sigmoid(th) + delta * N * (1.0 - z)) / ns;
        grad_(k) += (W * (1.0 - z) - delta * N * z * (1.0 - z)) / ns;
      }
    }
    return loss;
  }

  // Precision and recall of {k : zeta_k < 1/2} against the true unsafe keys.
  void recovery(TabularOuterStats& s) const {
    int learned = 0, hit = 0, truth = 0;
    for (int k = 0; k < mdp_.num_keys; ++k) {
      const bool l = zeta_.zeta(k) < 0.5;
      learned += l;
      if (mdp_.constraint_known()) {
        const bool u = mdp_.key_unsafe[static_cast<std::size_t>(k)] != 0;
        truth += u;
        hit += l && u;
      }
    }
    s.learned_unsafe = learned;
    if (!mdp_.constraint_known()) return;
    s.precision = learned > 0 ? static_cast<double>(hit) / learned : NAN;
    s.recall = truth > 0 ? static_cast<double>(hit) / truth : NAN;
  }

  // D as keys; checks every step against the task and names the first mismatch.
  void read_demonstrations(const Demonstrations& d, const std::string& origin) {
    if (d.obs_dim != mdp_.obs_dim || d.act_dim != 1)
      throw Error("'" + origin + "': demonstrations with " + std::to_string(d.obs_dim) + " observation and " +
                  std::to_string(d.act_dim) + " action dimensions, but task '" + mdp_.name + "' has " +
                  std::to_string(mdp_.obs_dim) + " and 1: record them in this task");
    if (d.episodes() < 1) throw Error("'" + origin + "': no demonstration episodes");
    // The nominal optimum (value iteration on the reward alone), for the warning.
    const std::vector<double> zero(static_cast<std::size_t>(mdp_.num_keys), 0.0);
    const std::vector<double> v = optimal_values(mdp_, zero.data());
    expert_count_.assign(static_cast<std::size_t>(mdp_.num_keys), 0.0);
    std::int64_t optimal = 0;
    Eigen::VectorXd obs(d.obs_dim);
    for (int e = 0; e < d.episodes(); ++e) {
      const std::int64_t o = d.offset(e);
      for (std::int64_t j = 0; j < d.lengths[static_cast<std::size_t>(e)]; ++j) {
        obs = d.observations.col(o + j);
        const int s = mdp_.state_of(obs.data());
        const double av = d.actions(0, o + j);
        const long a = std::lround(av);
        auto where = [&] { return "'" + origin + "': episode " + std::to_string(e) + ", step " + std::to_string(j); };
        if (s < 0) throw Error(where() + ": the observation is no state of task '" + mdp_.name + "': were the demonstrations recorded in another map?");
        if (a < 0 || a >= mdp_.num_actions || std::abs(av - static_cast<double>(a)) > 1e-6)
          throw Error(where() + ": action " + std::to_string(av) + " is not an action index 0.." + std::to_string(mdp_.num_actions - 1));
        expert_count_[static_cast<std::size_t>(mdp_.key[static_cast<std::size_t>(mdp_.index(s, static_cast<int>(a)))])] += 1.0;
        const int t = static_cast<int>(std::min<std::int64_t>(j, mdp_.horizon - 1));
        expert_s_.push_back(s);
        expert_a_.push_back(static_cast<int>(a));
        expert_t_.push_back(t);
        optimal += optimal_q(mdp_, v, t, s, static_cast<int>(a)) >= v[static_cast<std::size_t>(t) * mdp_.num_states + s] - 1e-9;
      }
    }
    expert_episodes_ = d.episodes();
    expert_reward_ = d.mean_return();
    nominal_optimal_share_ = static_cast<double>(optimal) / static_cast<double>(d.steps());
  }

  TabularIcrlConfig config_;
  TabularMdp mdp_;
  TabularConstraint zeta_;                          // the learned constraint (or D for gc)
  Adam<double, kMaxConstraintKeys> adam_;           // zeta's optimiser
  TabularConstraint::Logits grad_;                  // [kMaxConstraintKeys] dL/dtheta
  std::vector<double> expert_count_;                // [K] c_k: demonstration pairs with key k
  std::vector<int> expert_s_, expert_a_, expert_t_; // [|D|] each pair's state, action and step index
  std::vector<double> nominal_count_, nominal_weight_;  // [K] N_k and W_k of S (gradient's scratch)
  int expert_episodes_ = 0;
  double expert_reward_ = NAN;
  double nominal_optimal_share_ = NAN;
  SoftPolicy policy_;                               // pi of the forward model at beta (step 1)
  SoftPolicy agent_;                                // pi at agent_beta (step 4)
  std::vector<double> bonus_, cost_;                // [K] b(k) of the forward model, 1 - zeta_k
  std::vector<double> work_;                        // [6 S] evaluate_policy's buffer
  TabularEpisodes nominal_;                         // S: M episodes
  Eigen::VectorXd zeta_old_, zeta_now_;             // [M H] zeta on S before the step / now
  Eigen::VectorXd log_r_;                           // [M H] log r_t of eq. (10)
  Eigen::VectorXd ell_;                             // [M] episode log-ratios
  Eigen::VectorXf w_;                               // [M H] importance weights
  double forward_nu_ = 0.0;                         // lagrangian: nu of step 1's policy
  std::uint64_t seed_;
  int iteration_ = 0;
  std::chrono::steady_clock::time_point start_time_;
};

}  // namespace icrl
