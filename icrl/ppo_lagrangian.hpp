// icrl/ppo_lagrangian.hpp - Lagrangian PPO: the forward step of ICRL (eq. (9) of the talk, SPEC
// section 3), and plain PPO when the cost stream is off.
//
// Eq. (9): max_pi J_r(pi) - nu (J_c(pi) - alpha), nu >= 0, solved by alternating
//   (a) a PPO update of pi on the Lagrangian advantage, with nu held fixed, and
//   (b) one step of nu on the constraint violation (lagrange_multiplier.hpp).
// One iterate() is:
//   1. rollout     E copies x n_steps with the stochastic policy; store the normalised
//                  observation, the unclipped action and its log-probability, the (normalised)
//                  reward and cost, V_r(s), V_c(s), and the bootstrap values at truncations
//   2. GAE         separately for reward (gamma, lambda) and cost (gamma_c, lambda_c) (gae.hpp)
//   3. update      `epochs` passes of shuffled minibatches; per minibatch, with
//                  rho = exp(log pi - log pi_old) and the advantages scaled over the minibatch,
//                    L_pi = [ -mean(min(rho A_r, clip(rho, 1-eps, 1+eps) A_r)) + nu mean(rho A_c) ] / (1 + nu)
//                  A_r standardised, (A_r - mean) / (std + 1e-8) with the unbiased std
//                  (normalize_advantage = false: centred only, A_r - mean); A_c centred only
//                  (cost_advantage = center, the default) or standardised like A_r
//                  (cost_advantage = standardize, so that nu weighs two unit-scale advantages)
//                    L    = L_pi - c_H mean(H) + c_V mean((V_r - R_r)^2) + c_V mean((V_c - R_c)^2)
//                  gradients of all three networks clipped to a global norm, one Adam step; after
//                  an epoch whose mean approximate KL, mean((rho - 1) - log rho), exceeds
//                  1.5 target_kl, the remaining epochs are skipped
//   4. multiplier  nu <- update(c_bar), c_bar = mean unnormalised per-step cost of the rollout,
//                  nu kept in [0, nu_max]; the budget alpha may be changed between updates (set_budget)
//
// Shapes are compile-time: the three networks are Mlp<float, tanh, identity, O, 64, 64, .>; a
// minibatch of M samples is processed as M / Chunk fixed-size chunks of Chunk columns whose
// gradients accumulate before the one optimiser step (identical to one M-column batch up to float
// summation order), so M stays a run-time setting. The rollout buffers hold n_steps x E samples
// and are allocated once, in the constructor; after that no call touches the heap
// (tests/test_alloc.cpp proves it).
//
// Randomness: copy i of the environments uses Rng(seed, i) (vec_env.hpp); network initialisation
// uses Rng(seed, kInitStream), action sampling and minibatch shuffling Rng(seed, kTrainStream).
// One seed therefore fixes the whole run, bit for bit, on one build.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "icrl/adam.hpp"
#include "icrl/checkpoint.hpp"
#include "icrl/error.hpp"
#include "icrl/gae.hpp"
#include "icrl/lagrange_multiplier.hpp"
#include "icrl/mlp.hpp"
#include "icrl/policy.hpp"
#include "icrl/rollout.hpp"
#include "icrl/rng.hpp"
#include "icrl/running_stats.hpp"

namespace icrl {

// How the cost advantage A_c is scaled per minibatch (step 3 above): centred (A_c - mean), or
// standardised ((A_c - mean) / (std + 1e-8), unbiased std) exactly as A_r is.
enum class CostAdvantageScale { center, standardize };

// Every hyperparameter of the forward step, with the SPEC section 3 / 5 defaults.
struct PpoConfig {
  int n_steps = 2048;            // rollout length per environment copy per update
  int minibatch_size = 64;       // samples per gradient step (a multiple of the trainer's Chunk)
  int epochs = 10;               // passes over the rollout per update
  double lr = 3e-4;              // Adam step size of the policy and both critics
  double adam_eps = 1e-5;        // Adam epsilon (SPEC 3)
  double clip = 0.2;             // epsilon of the clipped surrogate
  bool normalize_advantage = true;  // scale A_r to unit std per minibatch (SPEC 3); false: centre only
  double target_kl = 0.01;       // skip the remaining epochs once an epoch's mean KL > 1.5 x this (0: never)
  double max_grad_norm = 0.5;    // global gradient-norm clip over all three networks
  double entropy_coef = 0.0;     // weight of the entropy bonus
  double value_coef = 0.5;       // weight of each critic's mean squared error
  double init_log_std = 0.0;     // initial log sigma of the Gaussian policy
  double gamma = 0.99;           // reward discount
  double lambda = 0.95;          // reward GAE lambda
  double cost_gamma = 0.99;      // cost discount
  double cost_lambda = 0.95;     // cost GAE lambda
  bool normalize_obs = false;    // running observation normalisation
  bool normalize_reward = false; // divide rewards by the std of a running discounted return
  bool normalize_cost = false;   // the same for costs (the multiplier always sees raw costs)
  bool use_cost = true;          // false: plain PPO (no cost critic, nu = 0)
  CostAdvantageScale cost_advantage = CostAdvantageScale::center;  // A_c per minibatch: centre, or centre and scale
  MultiplierConfig multiplier;   // nu: rule, nu_0, learning rate, budget alpha, PID gains, bound nu_max
};

// What one iterate() measured.
struct IterationStats {
  std::int64_t iteration = 0;   // 1, 2, ... updates done so far
  std::int64_t env_steps = 0;   // total environment steps so far
  int episodes = 0;             // episodes finished during this rollout
  double episode_return = NAN;  // mean undiscounted return of those episodes (NaN if none)
  double episode_cost = NAN;    // mean undiscounted cost of those episodes (NaN if none)
  double step_cost = 0.0;       // c_bar: mean unnormalised per-step cost of the rollout
  double nu = 0.0;              // the multiplier used in this update
  double policy_loss = 0.0;     // mean L_pi over the minibatches done
  double value_loss = 0.0;      // mean (V_r - R_r)^2
  double cost_value_loss = 0.0; // mean (V_c - R_c)^2
  double entropy = 0.0;         // mean policy entropy
  double approx_kl = 0.0;       // mean (rho - 1) - log rho of the last epoch done
  double clip_fraction = 0.0;   // share of samples with |rho - 1| > clip
  int epochs_done = 0;          // epochs run before the KL stop
  double rollout_seconds = 0.0; // wall time of the rollout (acting and environment steps)
  double update_seconds = 0.0;  // wall time of GAE, the PPO epochs and the multiplier step
};

// Policy type for an environment: Gaussian for boxes, categorical for discrete actions.
template <class Env>
using PolicyFor = std::conditional_t<Env::kDiscrete, CategoricalPolicy<Env::kObsDim, Env::kNumActions>,
                                     GaussianPolicy<Env::kObsDim, Env::kActDim>>;
// The critics V_r(s) and V_c(s).
template <int O>
using Critic = Mlp<float, Activation::tanh, Activation::identity, O, kPolicyHidden, kPolicyHidden, 1>;

// ---- policy files ----------------------------------------------------------------------------
// A policy file ("ICRL" + "PLCY") holds the env name, the policy and the observation normaliser:
// everything `icrl eval` needs to act as training did.
inline constexpr const char* kPolicyFileKind = "PLCY";

template <class Policy, int O>
void save_policy_file(const std::string& path, const std::string& env_name, const Policy& policy,
                      const ObsNormalizer<O>& obs_norm) {
  CheckpointWriter out(kPolicyFileKind);
  out.add_text("env", env_name);
  policy.save(out, "policy.");
  obs_norm.save(out, "obs_norm.");
  out.save(path);
}

// Reads only env_name's policies: a file for another env is refused, naming both.
template <class Policy, int O>
void load_policy_file(const std::string& path, const std::string& env_name, Policy& policy,
                      ObsNormalizer<O>& obs_norm) {
  const CheckpointReader in = CheckpointReader::open(path, kPolicyFileKind);
  const std::string env = in.read_text("env");
  if (env != env_name)
    throw Error("'" + path + "': this policy was trained on env '" + env + "', not '" + env_name +
                "': pass --env " + env + " or a policy file trained on " + env_name);
  Policy p = policy;
  ObsNormalizer<O> n = obs_norm;
  p.load(in, "policy.");
  n.load(in, "obs_norm.");
  policy = p;
  obs_norm = n;
}

// ---- reward and cost shaping ----------------------------------------------------------------
// A step hook sees every rollout step before it is stored: the raw observations the actions were
// taken in [O, E], the environment actions [E], and the environment's reward and cost [E], which
// it may rewrite. ICRL's forward step replaces the cost by the learned 1 - zeta(s, a) (SPEC 2);
// GAIL-constraint adds log D(s, a) to the reward (SPEC 4). The multiplier sees the rewritten cost.
// Implementations must not allocate (the rollout stays heap-free).
template <class Env, int E>
class StepHook {
 public:
  using ObsBatch = Eigen::Matrix<double, Env::kObsDim, E>;  // [O, E]
  using Actions = std::array<typename Env::Action, E>;      // [E]
  using Column = Eigen::Matrix<double, E, 1>;               // [E]
  virtual ~StepHook() = default;
  virtual void on_step(const ObsBatch& obs, const Actions& actions, Column& reward, Column& cost) = 0;
};

// ---- per-minibatch advantage scaling (step 3) --------------------------------------------------
// Over the minibatch adv(idx[0 .. M)): mean, and inv_std = 1 / (std + 1e-8) with the unbiased std
// when `standardize`, else 1. The trainer feeds (adv(i) - mean) inv_std to the loss: for A_r
// (normalize_advantage) and for A_c (cost_advantage).
struct MinibatchScale {
  double mean = 0.0;     // minibatch mean
  double inv_std = 1.0;  // 1 / (std + 1e-8), or 1 when centring only
};
inline MinibatchScale minibatch_scale(const Eigen::VectorXd& adv, const int* idx, int M, bool standardize) {
  MinibatchScale s;
  for (int k = 0; k < M; ++k) s.mean += adv(idx[k]);
  s.mean /= M;
  if (!standardize) return s;
  double var = 0;
  for (int k = 0; k < M; ++k) var += (adv(idx[k]) - s.mean) * (adv(idx[k]) - s.mean);
  s.inv_std = 1.0 / (std::sqrt(var / std::max(1, M - 1)) + 1e-8);
  return s;
}

// ---- the trainer -----------------------------------------------------------------------------
template <class VecEnvT, int Chunk = 64>
class PpoLagrangian {
 public:
  using Env = typename VecEnvT::EnvType;
  static constexpr int E = VecEnvT::kNumEnvs;
  static constexpr int O = Env::kObsDim;
  static constexpr int kChunk = Chunk;
  using Policy = PolicyFor<Env>;
  using CriticNet = Critic<O>;
  static constexpr int A = Policy::kActStore;  // rows of a stored action
  static constexpr int kPolicyParams = Policy::Net::kNumParams;
  static constexpr int kCriticParams = CriticNet::kNumParams;
  // One Adam over every trained parameter block: policy net, [log sigma], V_r, V_c.
  using Optimizer = std::conditional_t<Env::kDiscrete, Adam<float, kPolicyParams, kCriticParams, kCriticParams>,
                                       Adam<float, kPolicyParams, A, kCriticParams, kCriticParams>>;

  // Throws icrl::Error naming the first bad field of c (the constructor calls it too).
  static void check_config(const PpoConfig& c) { validated(c); }

  // Checks the config (throws icrl::Error naming the field), allocates the rollout buffers, seeds
  // everything from `seed` and resets the environments.
  PpoLagrangian(const PpoConfig& config, std::uint64_t seed, const Env& prototype = Env())
      : config_(validated(config)), venv_(prototype), rng_(seed, kTrainStream), seed_(seed) {
    const Eigen::Index n = static_cast<Eigen::Index>(config_.n_steps) * E;
    buf_obs_.resize(O, n);
    buf_act_.resize(A, n);
    buf_logp_.resize(n);
    buf_reward_.resize(n);
    buf_cost_.resize(n);
    buf_value_.resize(n);
    buf_cost_value_.resize(n);
    buf_boot_.resize(n);
    buf_cost_boot_.resize(n);
    buf_done_.resize(n);
    adv_.resize(n);
    ret_.resize(n);
    cost_adv_.resize(n);
    cost_ret_.resize(n);
    perm_.resize(static_cast<std::size_t>(n));
    buf_obs_.setZero();
    buf_act_.setZero();
    buf_logp_.setZero();
    buf_reward_.setZero();
    buf_cost_.setZero();
    buf_value_.setZero();
    buf_cost_value_.setZero();
    buf_boot_.setZero();
    buf_cost_boot_.setZero();
    buf_done_.setZero();
    adv_.setZero();
    ret_.setZero();
    cost_adv_.setZero();  // stays 0 when the cost stream is off
    cost_ret_.setZero();

    Rng init(seed, kInitStream);
    policy_.init(init, config_.init_log_std);
    value_.init_orthogonal(init, std::sqrt(2.0), 1.0);
    cost_value_.init_orthogonal(init, std::sqrt(2.0), 1.0);
    optimizer_.config = AdamConfig{config_.lr, 0.9, 0.999, config_.adam_eps};
    multiplier_.reset(config_.multiplier);

    obs_norm_.enabled = config_.normalize_obs;
    reward_norm_.enabled = config_.normalize_reward;
    reward_norm_.gamma = config_.gamma;
    cost_norm_.enabled = config_.normalize_cost && config_.use_cost;
    cost_norm_.gamma = config_.cost_gamma;
    venv_.reset_all(seed);
  }

  // Rollout + GAE + PPO update + multiplier step.
  IterationStats iterate() {
    using Clock = std::chrono::steady_clock;
    IterationStats s;
    const auto t0 = Clock::now();
    rollout(s);
    const auto t1 = Clock::now();
    compute_advantages();
    s.nu = nu();
    update(s);
    if (config_.use_cost) multiplier_.update(s.step_cost);
    s.rollout_seconds = std::chrono::duration<double>(t1 - t0).count();
    s.update_seconds = std::chrono::duration<double>(Clock::now() - t1).count();
    s.iteration = ++iteration_;
    s.env_steps = env_steps_;
    return s;
  }

  // Installs (or with nullptr removes) the hook that rewrites rewards and costs during rollouts.
  // The hook is not owned and must outlive its use.
  void set_step_hook(StepHook<Env, E>* hook) { hook_ = hook; }
  StepHook<Env, E>* step_hook() const { return hook_; }  // the installed hook, or nullptr
  // Installs a start hook in the training envs (VecEnvT::set_start_hook): the episodes that
  // begin from then on may start elsewhere than the env's own reset puts them (ICRL's
  // demonstration starts). Evaluation and the trainer's sampling do not use it.
  template <class StartHookT>
  void set_start_hook(StartHookT* hook) { venv_.set_start_hook(hook); }

  // Changes the entropy bonus between updates (ICRL anneals it across outer iterations: the
  // (1/beta) H(pi) term of eq. (9)). Must be >= 0 and finite.
  void set_entropy_coef(double c) {
    if (!(c >= 0) || !std::isfinite(c)) throw Error("PPO config: entropy_coef must be >= 0 and finite");
    config_.entropy_coef = c;
  }

  // Changes the multiplier's budget alpha between updates (ICRL's outer loop may set it each outer
  // iteration, e.g. to the demonstrations' learned cost): the following multiplier steps use
  // e = c_bar - alpha. Must be finite; does not allocate. Saved with the training state.
  void set_budget(double alpha) {
    if (!std::isfinite(alpha)) throw Error("PPO config: cost_limit must be finite");
    multiplier_.set_budget(alpha);
    config_.multiplier.budget = alpha;
  }
  // The budget alpha the next multiplier step uses.
  double budget() const { return multiplier_.config().budget; }

  // The current multiplier (0 when the cost stream is off).
  double nu() const { return config_.use_cost ? multiplier_.nu() : 0.0; }

  EvalResult evaluate(int episodes, bool deterministic, std::uint64_t seed) const {
    return evaluate_policy(policy_, obs_norm_, venv_.env(0), episodes, seed, deterministic);
  }
  // Evaluation episodes on seeds disjoint from the training copies'.
  EvalResult evaluate(int episodes, bool deterministic = false) const {
    return evaluate(episodes, deterministic, seed_ ^ kEvalSeedOffset);
  }

  // Saves the policy and observation normaliser under env_name (default: the env type's kName).
  void save_policy(const std::string& path, const std::string& env_name = Env::kName) const {
    save_policy_file(path, env_name, policy_, obs_norm_);
  }

  // ---- training state (resume) ----------------------------------------------------------
  // Everything a later iterate() depends on, under `<prefix>`: the three networks, Adam, the
  // multiplier (with its budget alpha, see LagrangeMultiplier::load), the normalisers, the
  // sampling generator, the counters, the entropy bonus and the environments (VecEnvT::save). The
  // rollout buffers are rebuilt by the next rollout, so an agent loaded into a fresh object (same
  // config and seed) continues bit-identically.
  void save_state(CheckpointWriter& out, const std::string& prefix) const {
    policy_.save(out, prefix + "policy.");
    value_.save(out, prefix + "value.");
    cost_value_.save(out, prefix + "cost_value.");
    optimizer_.save(out, prefix + "opt.");
    multiplier_.save(out, prefix + "nu.");
    obs_norm_.save(out, prefix + "obs_norm.");
    reward_norm_.save(out, prefix + "reward_norm.");
    cost_norm_.save(out, prefix + "cost_norm.");
    const Rng::State r = rng_.save_state();
    Eigen::Matrix<std::int64_t, 4, 1> words;
    for (int k = 0; k < 4; ++k) std::memcpy(&words(k), &r.words[k], sizeof(std::uint64_t));
    out.add(prefix + "rng", words);
    out.add_int(prefix + "env_steps", env_steps_);
    out.add_int(prefix + "iterations", iteration_);
    Eigen::Matrix<double, 1, 1> ent;
    ent(0) = config_.entropy_coef;
    out.add(prefix + "entropy_coef", ent);
    venv_.save(out, prefix);
  }
  // Loads what save_state wrote. Each part checks its entries before copying; a file that fails
  // part-way (only a hand-made one can: the container's CRC covers the whole file) leaves the
  // agent partly loaded, so construct a fresh agent before retrying.
  void load_state(const CheckpointReader& in, const std::string& prefix) {
    in.require<std::int64_t>(prefix + "rng", 4, 1);
    in.require<double>(prefix + "entropy_coef", 1, 1);
    const std::int64_t steps = in.read_int(prefix + "env_steps"), iters = in.read_int(prefix + "iterations");
    if (steps < 0 || iters < 0)
      throw Error("'" + in.origin() + "': entry '" + prefix + "env_steps' or 'iterations' is negative");
    policy_.load(in, prefix + "policy.");
    value_.load(in, prefix + "value.");
    cost_value_.load(in, prefix + "cost_value.");
    optimizer_.load(in, prefix + "opt.");
    multiplier_.load(in, prefix + "nu.");
    config_.multiplier.budget = multiplier_.config().budget;
    obs_norm_.load(in, prefix + "obs_norm.");
    reward_norm_.load(in, prefix + "reward_norm.");
    cost_norm_.load(in, prefix + "cost_norm.");
    venv_.load(in, prefix);
    Eigen::Matrix<std::int64_t, 4, 1> words;
    in.read(prefix + "rng", words);
    Rng::State r{};
    for (int k = 0; k < 4; ++k) std::memcpy(&r.words[k], &words(k), sizeof(std::uint64_t));
    rng_.load_state(r);
    Eigen::Matrix<double, 1, 1> ent;
    in.read(prefix + "entropy_coef", ent);
    set_entropy_coef(ent(0));
    env_steps_ = steps;
    iteration_ = iters;
  }

  // The first non-finite quantity of the trained state ("policy parameters", "multiplier nu",
  // ...), or nullptr when all are finite. Training checks it after every iterate() (the overload
  // below, which also checks that update's losses).
  const char* first_non_finite() const {
    if (!policy_.net.theta.allFinite()) return "policy parameters";
    if constexpr (!Env::kDiscrete) {
      if (!policy_.log_std.allFinite()) return "policy log sigma";
    }
    if (!value_.theta.allFinite()) return "reward critic V_r parameters";
    if (!cost_value_.theta.allFinite()) return "cost critic V_c parameters";
    if (!std::isfinite(multiplier_.nu())) return "Lagrange multiplier nu";
    if (!obs_norm_.stats.mean.allFinite() || !obs_norm_.stats.var.allFinite()) return "observation normaliser";
    return nullptr;
  }
  // The same after the update that returned st, its losses included.
  const char* first_non_finite(const IterationStats& st) const {
    if (const char* q = first_non_finite()) return q;
    if (!std::isfinite(st.policy_loss)) return "policy loss";
    if (!std::isfinite(st.value_loss)) return "reward critic loss";
    if (!std::isfinite(st.cost_value_loss)) return "cost critic loss";
    return nullptr;
  }

  const PpoConfig& config() const { return config_; }
  const Policy& policy() const { return policy_; }
  Policy& policy() { return policy_; }
  const CriticNet& value_net() const { return value_; }
  const CriticNet& cost_value_net() const { return cost_value_; }
  const ObsNormalizer<O>& obs_normalizer() const { return obs_norm_; }
  const VecEnvT& envs() const { return venv_; }
  std::int64_t env_steps() const { return env_steps_; }
  std::int64_t iterations() const { return iteration_; }
  std::int64_t steps_per_iteration() const { return static_cast<std::int64_t>(config_.n_steps) * E; }

 private:
  static PpoConfig validated(const PpoConfig& c) {
    auto fail = [](const std::string& field, const std::string& why) {
      throw Error("PPO config: " + field + " " + why);
    };
    if (c.n_steps < 1) fail("n_steps", "must be >= 1");
    if (c.minibatch_size < Chunk || c.minibatch_size % Chunk != 0)
      fail("minibatch_size", "must be a positive multiple of " + std::to_string(Chunk) +
                                 " (this trainer's compile-time chunk), got " + std::to_string(c.minibatch_size));
    const std::int64_t n = static_cast<std::int64_t>(c.n_steps) * E;
    if (n > (std::int64_t{1} << 30)) fail("n_steps", "times the number of copies must stay below 2^30");
    if (n % c.minibatch_size != 0)
      fail("minibatch_size", "must divide n_steps x num_envs = " + std::to_string(n) + ", got " +
                                 std::to_string(c.minibatch_size));
    if (c.epochs < 1) fail("epochs", "must be >= 1");
    if (!(c.lr > 0)) fail("lr", "must be > 0");
    if (!(c.adam_eps > 0)) fail("adam_eps", "must be > 0");
    if (!(c.clip > 0 && c.clip < 1)) fail("clip", "must be in (0, 1)");
    if (!(c.target_kl >= 0)) fail("target_kl", "must be >= 0 (0 disables the KL stop)");
    if (!(c.max_grad_norm > 0)) fail("max_grad_norm", "must be > 0");
    if (!(c.entropy_coef >= 0)) fail("entropy_coef", "must be >= 0");
    if (!(c.value_coef >= 0)) fail("value_coef", "must be >= 0");
    if (!std::isfinite(c.init_log_std)) fail("init_log_std", "must be finite");
    for (auto [name, v] : {std::pair<const char*, double>{"gamma", c.gamma}, {"lambda", c.lambda},
                           {"cost_gamma", c.cost_gamma}, {"cost_lambda", c.cost_lambda}})
      if (!(v >= 0 && v <= 1)) fail(name, "must be in [0, 1]");
    if (!(c.multiplier.nu_init >= 0)) fail("nu_init", "must be >= 0");
    if (!(c.multiplier.lr > 0)) fail("nu_lr", "must be > 0");
    if (!std::isfinite(c.multiplier.budget)) fail("cost_limit", "must be finite");
    if (!(c.multiplier.nu_max > 0)) fail("nu_max", "must be > 0 (inf: no bound)");
    if (!(c.multiplier.nu_max >= c.multiplier.nu_init)) fail("nu_max", "must be >= nu_init");
    if (c.cost_advantage != CostAdvantageScale::center && c.cost_advantage != CostAdvantageScale::standardize)
      fail("cost_advantage", "must be center or standardize");
    if (!(c.multiplier.kp >= 0 && c.multiplier.ki >= 0 && c.multiplier.kd >= 0))
      fail("pid_kp, pid_ki and pid_kd", "must be >= 0");
    return c;
  }

  // ---- 1. rollout ----------------------------------------------------------------------------
  // Runs n_steps steps of the E copies into the rollout buffers (defined below the class).
  void rollout(IterationStats& s);

  // ---- 2. advantages -------------------------------------------------------------------------
  void compute_advantages() {
    compute_gae(buf_reward_, buf_value_, buf_done_, buf_boot_, last_value_, config_.n_steps, E,
                config_.gamma, config_.lambda, adv_, ret_);
    if (config_.use_cost)
      compute_gae(buf_cost_, buf_cost_value_, buf_done_, buf_cost_boot_, last_cost_value_, config_.n_steps,
                  E, config_.cost_gamma, config_.cost_lambda, cost_adv_, cost_ret_);
  }

  // ---- 3. PPO update -------------------------------------------------------------------------
  // Epochs of clipped-surrogate minibatch steps on the rollout (defined below the class).
  void update(IterationStats& s);

  // Copies the samples idx[0 .. Chunk) into the chunk buffers, scaling the advantages: A_r by a,
  // A_c by c (both from minibatch_scale over the whole minibatch).
  void gather(const int* idx, const MinibatchScale& a, const MinibatchScale& c) {
    for (int b = 0; b < Chunk; ++b) {
      const int i = idx[b];
      obs_c_.col(b) = buf_obs_.col(i);
      act_c_.col(b) = buf_act_.col(i);
      old_logp_c_(b) = buf_logp_(i);
      adv_c_(b) = static_cast<float>((adv_(i) - a.mean) * a.inv_std);
      cost_adv_c_(b) = config_.use_cost ? static_cast<float>((cost_adv_(i) - c.mean) * c.inv_std) : 0.0f;
      ret_c_(b) = static_cast<float>(ret_(i));
      cost_ret_c_(b) = static_cast<float>(cost_ret_(i));
    }
  }

  // Forward + backward of one critic on the chunk; returns the sum of squared errors.
  double critic_step(CriticNet& net, const Eigen::Matrix<float, 1, Chunk>& target, float inv_m) {
    const auto& v = net.forward(obs_c_, critic_ws_c_);
    d_value_c_ = (v - target) * static_cast<float>(2.0 * config_.value_coef) * inv_m;
    net.backward(d_value_c_, critic_ws_c_);
    return static_cast<double>((v - target).squaredNorm());
  }

  void clip_and_step() {
    if constexpr (Env::kDiscrete) {
      clip_grad_norm(config_.max_grad_norm, policy_.net.grad, value_.grad, cost_value_.grad);
      optimizer_.step(param_block(policy_.net.theta, policy_.net.grad), param_block(value_.theta, value_.grad),
                      param_block(cost_value_.theta, cost_value_.grad));
    } else {
      clip_grad_norm(config_.max_grad_norm, policy_.net.grad, policy_.d_log_std, value_.grad, cost_value_.grad);
      optimizer_.step(param_block(policy_.net.theta, policy_.net.grad), param_block(policy_.log_std, policy_.d_log_std),
                      param_block(value_.theta, value_.grad), param_block(cost_value_.theta, cost_value_.grad));
    }
  }

  using Column = Eigen::Matrix<double, E, 1>;

  PpoConfig config_;
  VecEnvT venv_;                 // the E training copies
  Rng rng_;                      // action sampling and minibatch shuffling
  std::uint64_t seed_;           // the run's seed (evaluation seeds derive from it)
  std::int64_t env_steps_ = 0;   // environment steps taken
  std::int64_t iteration_ = 0;   // updates done

  Policy policy_;                // pi(a|s)
  CriticNet value_;              // V_r(s)
  CriticNet cost_value_;         // V_c(s)
  Optimizer optimizer_;          // Adam over all of the above
  LagrangeMultiplier multiplier_;
  ObsNormalizer<O> obs_norm_;
  ReturnNormalizer<E> reward_norm_, cost_norm_;

  // Rollout buffers, n = n_steps x E samples, sample i = t E + e; allocated in the constructor.
  Eigen::Matrix<float, O, Eigen::Dynamic> buf_obs_;       // [O, n] normalised observation
  Eigen::Matrix<float, A, Eigen::Dynamic> buf_act_;       // [A, n] unclipped action (or index)
  Eigen::VectorXf buf_logp_;                              // [n] log pi_old(a|s)
  Eigen::VectorXd buf_reward_, buf_cost_;                 // [n] (normalised) reward and cost
  Eigen::VectorXd buf_value_, buf_cost_value_;            // [n] V_r(s_t), V_c(s_t)
  Eigen::VectorXd buf_boot_, buf_cost_boot_;              // [n] V(s_T) at truncations, else 0
  Eigen::Matrix<unsigned char, Eigen::Dynamic, 1> buf_done_;  // [n] episode ended at this step
  Eigen::VectorXd adv_, ret_, cost_adv_, cost_ret_;       // [n] GAE advantages and targets
  Column last_value_ = Column::Zero(), last_cost_value_ = Column::Zero();  // [E] V(s_T) at buffer end
  std::vector<int> perm_;                                 // [n] minibatch order

  // Per-step buffers (batch E and 1).
  Eigen::Matrix<float, O, E> obs_e_;                      // [O, E]
  Eigen::Matrix<float, O, 1> obs_1_;                      // [O, 1]
  typename Policy::template ActBatch<E> act_e_;           // [A, E]
  typename Policy::template Row<E> logp_e_;               // [1, E]
  typename VecEnvT::Actions actions_{};                   // E env actions
  Column reward_e_ = Column::Zero(), cost_e_ = Column::Zero();  // [E]
  typename StepHook<Env, E>::ObsBatch obs_raw_e_ = StepHook<Env, E>::ObsBatch::Zero();  // [O, E] for the hook
  StepHook<Env, E>* hook_ = nullptr;                     // rewrites reward / cost (not owned)
  std::array<bool, E> done_e_{};
  typename Policy::template Workspace<E> policy_ws_e_;
  typename CriticNet::template Workspace<E> critic_ws_e_;
  typename CriticNet::template Workspace<1> critic_ws_1_;

  // Per-chunk buffers (batch Chunk).
  Eigen::Matrix<float, O, Chunk> obs_c_;                  // [O, Chunk]
  typename Policy::template ActBatch<Chunk> act_c_;       // [A, Chunk]
  Eigen::Matrix<float, 1, Chunk> old_logp_c_, logp_c_, entropy_c_, dlogp_c_, dentropy_c_;  // [1, Chunk]
  Eigen::Matrix<float, 1, Chunk> adv_c_, cost_adv_c_, ret_c_, cost_ret_c_, d_value_c_;     // [1, Chunk]
  typename Policy::template Workspace<Chunk> policy_ws_c_;
  typename CriticNet::template Workspace<Chunk> critic_ws_c_;
};

// rollout() and update() are defined outside the class so that they are not inline: a program
// that declares them `extern template` compiles them once, in translation units of their own,
// which keeps the compiler's memory per file small (the icrl program does, cli/instances/).

// ---- 1. rollout ------------------------------------------------------------------------------
template <class VecEnvT, int Chunk>
void PpoLagrangian<VecEnvT, Chunk>::rollout(IterationStats& s) {
  double raw_cost = 0.0, ep_return = 0.0, ep_cost = 0.0;
  int episodes = 0;
  for (int t = 0; t < config_.n_steps; ++t) {
    const auto& obs_raw = venv_.obs();  // [O, E]
    obs_norm_.update(obs_raw);
    obs_norm_.normalize(obs_raw, obs_e_);
    policy_.act(obs_e_, policy_ws_e_, rng_, false, act_e_, logp_e_);
    const auto& v = value_.forward(obs_e_, critic_ws_e_);  // [1, E]
    const Eigen::Index base = static_cast<Eigen::Index>(t) * E;
    buf_value_.segment<E>(base) = v.transpose().template cast<double>();
    if (config_.use_cost) {
      const auto& vc = cost_value_.forward(obs_e_, critic_ws_e_);
      buf_cost_value_.segment<E>(base) = vc.transpose().template cast<double>();
    } else {
      buf_cost_value_.segment<E>(base).setZero();
    }
    if (hook_) obs_raw_e_ = obs_raw;
    buf_obs_.template middleCols<E>(base) = obs_e_;
    buf_act_.template middleCols<E>(base) = act_e_;
    buf_logp_.segment<E>(base) = logp_e_.transpose();
    for (int e = 0; e < E; ++e) actions_[e] = to_env_action<Env>(act_e_.col(e));

    const auto& step = venv_.step(actions_);
    for (int e = 0; e < E; ++e) {
      check_finite_env_output(Env::kName, step.final_obs.col(e), step.reward(e), step.cost(e),
                              env_steps_ + e);
      if (step.done(e)) check_finite_env_output(Env::kName, step.obs.col(e), 0.0, 0.0, env_steps_ + e);
    }
    env_steps_ += E;
    reward_e_ = step.reward;
    cost_e_ = step.cost;
    if (hook_) hook_->on_step(obs_raw_e_, actions_, reward_e_, cost_e_);
    raw_cost += cost_e_.sum();
    for (int e = 0; e < E; ++e) done_e_[e] = step.done(e);
    reward_norm_.normalize(reward_e_, done_e_);
    cost_norm_.normalize(cost_e_, done_e_);
    buf_reward_.segment<E>(base) = reward_e_;
    buf_cost_.segment<E>(base) = config_.use_cost ? cost_e_ : Column::Zero().eval();
    for (int e = 0; e < E; ++e) {
      buf_done_(base + e) = done_e_[e] ? 1 : 0;
      buf_boot_(base + e) = 0.0;
      buf_cost_boot_(base + e) = 0.0;
      if (!done_e_[e]) continue;
      const auto& ep = venv_.last_episode(e);
      ep_return += ep.ret;
      ep_cost += ep.cost;
      ++episodes;
      if (step.truncated[e] && !step.terminated[e]) {
        // Cut by the time limit: bootstrap with V(s_T) of the episode's final observation.
        obs_norm_.normalize(step.final_obs.col(e), obs_1_);
        buf_boot_(base + e) = value_.forward(obs_1_, critic_ws_1_)(0);
        if (config_.use_cost) buf_cost_boot_(base + e) = cost_value_.forward(obs_1_, critic_ws_1_)(0);
      }
    }
  }
  // V(s_T) of the observation after the last step, for the end of the buffer.
  obs_norm_.normalize(venv_.obs(), obs_e_);
  last_value_ = value_.forward(obs_e_, critic_ws_e_).transpose().template cast<double>();
  if (config_.use_cost)
    last_cost_value_ = cost_value_.forward(obs_e_, critic_ws_e_).transpose().template cast<double>();
  else
    last_cost_value_.setZero();

  s.step_cost = raw_cost / static_cast<double>(steps_per_iteration());
  s.episodes = episodes;
  if (episodes > 0) {
    s.episode_return = ep_return / episodes;
    s.episode_cost = ep_cost / episodes;
  }
}

// ---- 3. PPO update ---------------------------------------------------------------------------
template <class VecEnvT, int Chunk>
void PpoLagrangian<VecEnvT, Chunk>::update(IterationStats& s) {
  const int n = static_cast<int>(steps_per_iteration());
  const int M = config_.minibatch_size;
  const int minibatches = n / M;
  const float nu = static_cast<float>(this->nu());
  const float inv_1pnu = 1.0f / (1.0f + nu);
  const float inv_m = 1.0f / static_cast<float>(M);
  const float clip = static_cast<float>(config_.clip);
  double pl_sum = 0, vl_sum = 0, cvl_sum = 0, ent_sum = 0, clipped = 0;
  std::int64_t samples = 0;
  for (int epoch = 0; epoch < config_.epochs; ++epoch) {
    for (int i = 0; i < n; ++i) perm_[static_cast<std::size_t>(i)] = i;
    rng_.shuffle(perm_.data(), n);
    double kl_sum = 0.0;
    for (int mb = 0; mb < minibatches; ++mb) {
      const int* idx = perm_.data() + static_cast<std::ptrdiff_t>(mb) * M;
      // Reward advantage standardised over the minibatch (unbiased std, + 1e-8; with
      // normalize_advantage = false centred only); cost advantage centred only (SPEC 3), or
      // with cost_advantage = standardize standardised the same way.
      const MinibatchScale a_scale = minibatch_scale(adv_, idx, M, config_.normalize_advantage);
      const MinibatchScale c_scale =
          minibatch_scale(cost_adv_, idx, M, config_.cost_advantage == CostAdvantageScale::standardize);

      policy_.zero_grad();
      value_.zero_grad();
      cost_value_.zero_grad();
      for (int c0 = 0; c0 < M; c0 += Chunk) {
        gather(idx + c0, a_scale, c_scale);
        // Policy: L_pi of eq. (9) with the clipped surrogate, and its gradient w.r.t. log pi.
        policy_.evaluate(obs_c_, act_c_, policy_ws_c_, logp_c_, entropy_c_);
        for (int b = 0; b < Chunk; ++b) {
          const float log_ratio = logp_c_(b) - old_logp_c_(b);
          const float rho = std::exp(log_ratio);
          const float a = adv_c_(b), ac = cost_adv_c_(b);
          const float rho_clipped = std::clamp(rho, 1.0f - clip, 1.0f + clip);
          const float surr1 = rho * a, surr2 = rho_clipped * a;
          // d min(surr1, surr2) / d rho: a when the unclipped term is the minimum (inside the
          // clip range the two are equal), 0 when the clipped (constant) term is smaller.
          const bool unclipped_active = surr1 <= surr2;
          const float d_rho = (-(unclipped_active ? a : 0.0f) + nu * ac) * inv_m * inv_1pnu;
          dlogp_c_(b) = d_rho * rho;  // d rho / d log pi = rho
          pl_sum += (-std::min(surr1, surr2) + nu * rho * ac) * inv_1pnu;
          kl_sum += (rho - 1.0f) - log_ratio;
          clipped += std::fabs(rho - 1.0f) > clip ? 1 : 0;
          ent_sum += entropy_c_(b);
        }
        dentropy_c_.setConstant(static_cast<float>(-config_.entropy_coef) * inv_m);
        policy_.backward(act_c_, dlogp_c_, dentropy_c_, policy_ws_c_);
        // Critics: c_V mean (V - R)^2.
        vl_sum += critic_step(value_, ret_c_, inv_m);
        if (config_.use_cost) cvl_sum += critic_step(cost_value_, cost_ret_c_, inv_m);
        samples += Chunk;
      }
      clip_and_step();
    }
    s.epochs_done = epoch + 1;
    s.approx_kl = kl_sum / n;
    if (config_.target_kl > 0 && s.approx_kl > 1.5 * config_.target_kl) break;
  }
  s.policy_loss = pl_sum / samples;
  s.value_loss = vl_sum / samples;
  s.cost_value_loss = cvl_sum / samples;
  s.entropy = ent_sum / samples;
  s.clip_fraction = clipped / samples;
}

}  // namespace icrl
