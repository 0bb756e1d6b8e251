// icrl/icrl_trainer.hpp - Algorithm 1 of the talk: Inverse Constrained RL, and the two baselines
// (binary classifier, GAIL-constraint) in the same loop; SPEC sections 2.4, 4 and 8.
//
// Algorithm 1 (SPEC 2.4), method icrl:
//   for i = 0 .. N-1:
//     1. forward   continue training ONE PPO-Lagrangian agent (eq. (9), ppo_lagrangian.hpp) for F
//                  env steps in the nominal env with the learned cost c(s, a) = 1 - zeta(s, a)
//                  (or -log zeta: IcrlConfig::cost); with IcrlConfig::log_zeta_reward = w > 0
//                  plain PPO on r + w log zeta instead (the forward model of eqs. (1)-(5));
//                  policy, critics, optimiser states and the multiplier persist across i;
//                  with IcrlConfig::demo_starts = p, each of its episodes starts with
//                  probability p in a state of D instead of at the env's reset
//     2. sample    M nominal-env episodes of the stochastic policy: the nominal pairs S
//     3. backward  up to B updates of zeta on (D, S): eq. (11) + (8), importance weights eq. (10),
//                  KL early stopping eq. (12), lr_0 anneal^i (constraint_update.hpp)
//     4. evaluate  SPEC 8: reward = mean return of stochastic true-env episodes (nominal-env
//                  ones when no true env is given); violations = share of steps with true cost 1
//                  among the M nominal episodes of step 2; violation rate (episodes with >= 1
//                  violation) and feasible reward (return up to the first violation) of the same
//                  episodes (NaN without a true env)
// Method bc (binary classifier, SPEC 4): step 3 is B full-batch cross-entropy steps (expert 1,
// nominal 0), no importance weights, no early stopping, no regulariser; the cost is 1 - zeta.
// Method gc (GAIL-constraint, SPEC 4): plain PPO (no cost critic, nu = 0) whose reward is
// r + log(D(s, a) + 1e-5); after every PPO rollout one full-batch cross-entropy step of D on
// (expert pairs, that rollout's pairs). D, the discriminator, is the learned constraint.
//
// zeta (or D) sees raw observations and environment actions (ConstraintNet's features), the same
// pairs (s_t, a_t) it is trained on (SPEC 2; not the reference's (s_{t+1}, a_t)).
//
// Everything is sized in the constructor; an outer iteration touches the heap only where the
// environment copies its prototype (analytic envs: never; tests/test_alloc.cpp).
// Randomness: PPO as ppo_lagrangian.hpp; zeta's initial weights Rng(seed, kZetaStream); nominal
// episodes of iteration i from seed ^ (kNominalSeed + i), evaluation from seed ^ (kEvalSeed + i);
// demonstration starts draw from the training env copy's own generator (envs/vec_env.hpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include <Eigen/Core>

#include "icrl/constraint_net.hpp"
#include "icrl/constraint_update.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/icrl_method.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/rollout.hpp"

namespace icrl {

inline constexpr std::uint64_t kZetaStream = 0x1002;                     // zeta's initial weights
inline constexpr std::uint64_t kNominalSeed = 0x6A09E667F3BCC908ULL;      // step 2 episodes
inline constexpr std::uint64_t kOuterEvalSeed = 0xBB67AE8584CAA73BULL;    // step 4 episodes



// The cost the forward step pays for a pair with zeta(s, a) = z.
//   one_minus_zeta  c = 1 - z                 (SPEC 2; the reference)
//   neg_log_zeta    c = -log(z + 1e-5)         (the forward model eq. (1)-(5) itself: p(tau) is
//                   proportional to exp(beta r(tau)) prod_t zeta_t, so -log zeta is what a step
//                   costs in that model). The backward loss eq. (11) + (8) leaves zeta's overall
//                   scale free (zeta -> k zeta changes the D and S terms by -log k and +log k), so
//                   1 - z can drift to ~1 on expert and nominal pairs alike and its differences
//                   vanish, while -log z only shifts by a constant, which expert_budget removes.
//   expert_relative c = max(0, l_D - log(z + 1e-5)), l_D the expert_quantile-quantile of
//                   log(zeta + 1e-5) over the expert's pairs D, set before every forward step:
//                   a pair costs only as far as it is less allowed than the expert's own pairs
//                   (the expert is feasible by definition). Free of zeta's level, linear in zeta's
//                   logit where zeta is small (no plateau at 1), and zero on most of D, so a
//                   constant level does not turn into a price on every step (which, where an
//                   episode can end early, would favour the shortest route whatever zeta says).
//   expert_indicator c = 1 if log(z + 1e-5) < l_D, else 0: the true cost's form (a step is allowed
//                   or it is not), with the line drawn where expert_relative's cost starts. With
//                   expert_budget the budget is the share of the expert's own steps below the line
//                   (about expert_quantile), so nu falls once the agent crosses it no more often
//                   than the expert does, and a step above the line carries no cost advantage at
//                   all: the reward alone shapes the agent's gait where zeta allows it.
enum class LearnedCost { one_minus_zeta, neg_log_zeta, expert_relative, expert_indicator };
inline const char* learned_cost_name(LearnedCost c) {
  switch (c) {
    case LearnedCost::one_minus_zeta: return "one_minus_zeta";
    case LearnedCost::neg_log_zeta: return "neg_log_zeta";
    case LearnedCost::expert_relative: return "expert_relative";
    default: return "expert_indicator";
  }
}
inline bool parse_learned_cost(const std::string& text, LearnedCost& out) {
  if (text == "one_minus_zeta") return out = LearnedCost::one_minus_zeta, true;
  if (text == "neg_log_zeta") return out = LearnedCost::neg_log_zeta, true;
  if (text == "expert_relative") return out = LearnedCost::expert_relative, true;
  if (text == "expert_indicator") return out = LearnedCost::expert_indicator, true;
  return false;
}
// Whether the form is drawn relative to the expert's pairs (needs l_D before every forward step).
inline bool cost_has_level(LearnedCost form) {
  return form == LearnedCost::expert_relative || form == LearnedCost::expert_indicator;
}
// level: l_D of expert_relative and expert_indicator (unused by the other two).
inline double learned_cost(LearnedCost form, double zeta, double level = 0.0) {
  switch (form) {
    case LearnedCost::one_minus_zeta: return 1.0 - zeta;
    case LearnedCost::neg_log_zeta: return -std::log(zeta + kLogEps);
    case LearnedCost::expert_relative: return std::max(0.0, level - std::log(zeta + kLogEps));
    default: return std::log(zeta + kLogEps) < level ? 1.0 : 0.0;
  }
}

// The outer loop's settings (SPEC 5); the forward step's are a PpoConfig, zeta's a
// ConstraintUpdateConfig.
struct IcrlConfig {
  IcrlMethod method = IcrlMethod::icrl;
  int outer_iterations = 10;            // N
  std::int64_t forward_steps = 50000;   // F, env steps of PPO per outer iteration (rounded up to
                                        //   whole PPO rollouts)
  int nominal_episodes = 20;            // M; 0: the number of expert episodes (SPEC 5), or 20
                                        //   without demonstrations
  int nominal_memory = 1;               // S holds the nominal episodes of the last this many outer
                                        //   iterations (1: only this iteration's M, Algorithm 1)
  int eval_episodes = 20;               // true-env episodes behind the reward (SPEC 8: >= 10)
  bool freeze_constraint = false;       // transfer (SPEC 7): skip step 3, zeta stays as given
  double entropy_anneal = 1.0;          // the forward step's entropy bonus (eq. (9)'s (1/beta) H)
                                        //   in outer iteration i is entropy_coef anneal^i
  LearnedCost cost = LearnedCost::one_minus_zeta;  // what a step pays for zeta (see LearnedCost)
  double expert_quantile = 0.1;         // expert_relative / _indicator: which quantile of log zeta on D is l_D
  double demo_starts = 0.0;             // probability that an episode of the forward step starts
                                        //   in a state of the demonstrations (a uniformly drawn
                                        //   step, its elapsed steps included) instead of at the
                                        //   env's own reset; S (step 2) and the evaluation always
                                        //   start at the env's reset. Needs an env that can start
                                        //   from an observation (envs/env.hpp,
                                        //   state_of_observation). 0: Algorithm 1 as published
  bool expert_budget = false;           // the forward step's budget alpha is, in every outer
                                        //   iteration, the mean learned cost of the expert's steps
                                        //   (the expert is feasible by definition); false: the
                                        //   PpoConfig's budget throughout
  double log_zeta_reward = 0.0;         // w > 0: the forward step is plain PPO (no cost critic,
                                        //   nu = 0) on the reward r + w log(zeta + 1e-5), the
                                        //   maximum-entropy forward model of eqs. (1)-(5) with
                                        //   1/beta = w, instead of PPO-Lagrangian on the learned
                                        //   cost; the learned cost is still measured. 0: eq. (9)
  ConstraintUpdateConfig update;        // step 3
};

// What one outer iteration did and measured.
struct OuterStats {
  int iteration = 0;                // 1-based
  std::int64_t env_steps = 0;       // forward-step env steps so far
  double wall_seconds = 0.0;        // since the trainer was built
  double reward = NAN;              // SPEC 8 reward: mean true-env return
  double reward_std = NAN;          // its standard deviation over the episodes
  // The three violation figures stay NaN when the trainer has no true env (constraint_known).
  double violations = NAN;          // share of nominal steps with true cost 1
  double violation_rate = NAN;      // share of nominal episodes with >= 1 violation
  double feasible_reward = NAN;     // mean nominal return up to the first violation
  double nu = 0.0;                  // the multiplier after the forward step
  double budget = NAN;              // the forward step's budget alpha (per-step learned cost)
  double learned_cost = NAN;        // mean learned cost (IcrlConfig::cost) over the last PPO rollout
  double cost_level = NAN;          // expert_relative / _indicator: l_D of this forward step
  BackwardStats backward;           // step 3 (gc: the last discriminator step)
  IterationStats last_update;       // the last PPO update of the forward step
};

template <class VecEnvT, int Chunk, class ZetaNet>
class IcrlTrainer : private StepHook<typename VecEnvT::EnvType, VecEnvT::kNumEnvs> {
 public:
  using Env = typename VecEnvT::EnvType;
  static constexpr int E = VecEnvT::kNumEnvs;
  static constexpr int O = Env::kObsDim;
  static constexpr int In = ZetaNet::kIn;
  using Agent = PpoLagrangian<VecEnvT, Chunk>;
  using Learner = ConstraintLearner<ZetaNet>;
  using Hook = StepHook<Env, E>;

  // nominal: the env the agent trains and samples in (true cost reported, no termination);
  // true_env: the env the reward is measured in (the next constructor goes without one).
  // zeta_prototype fixes zeta's inputs (features, dims, env name); its weights are initialised
  // here from the seed, except with
  // freeze_constraint, where zeta_prototype is the learned constraint to transfer (its features
  // must exist in Env). demos: the expert data D (may be null only with freeze_constraint).
  IcrlTrainer(const IcrlTrainer&) = delete;  // the agent holds a pointer to this hook
  IcrlTrainer& operator=(const IcrlTrainer&) = delete;

  IcrlTrainer(const IcrlConfig& config, const PpoConfig& ppo, std::uint64_t seed, const Env& nominal,
              const Env& true_env, const ZetaNet& zeta_prototype, const Demonstrations* demos,
              const std::string& demos_origin)
      : IcrlTrainer(config, ppo, seed, nominal, true_env, true, zeta_prototype, demos, demos_origin) {}

  // Without a true env: the user's own system, whose constraint nobody knows (that is why ICRL
  // runs). The reward of step 4 is measured in the nominal env itself, and violations,
  // violation_rate and feasible_reward stay NaN: nothing is known to violate.
  IcrlTrainer(const IcrlConfig& config, const PpoConfig& ppo, std::uint64_t seed, const Env& nominal,
              const ZetaNet& zeta_prototype, const Demonstrations* demos, const std::string& demos_origin)
      : IcrlTrainer(config, ppo, seed, nominal, nominal, false, zeta_prototype, demos, demos_origin) {}

 private:
  IcrlTrainer(const IcrlConfig& config, const PpoConfig& ppo, std::uint64_t seed, const Env& nominal,
              const Env& true_env, bool constraint_known, const ZetaNet& zeta_prototype, const Demonstrations* demos,
              const std::string& demos_origin)
      : config_(resolved(validated(config), demos)),
        agent_(std::make_unique<Agent>(agent_config(ppo, config_), seed, nominal)),
        learner_(std::make_unique<Learner>(
            config_.update, static_cast<Eigen::Index>(config_.nominal_memory) * config_.nominal_episodes * Env::kMaxSteps,
            config_.nominal_memory * config_.nominal_episodes)),
        nominal_(nominal),
        true_env_(true_env),
        constraint_known_(constraint_known),
        seed_(seed),
        entropy_coef_0_(ppo.entropy_coef),
        start_(std::chrono::steady_clock::now()) {
    learner_->zeta = zeta_prototype;
    if (config_.freeze_constraint) {
      ZetaNet::check_features(zeta_prototype.features, Env::kObsDim, Env::kDiscrete ? 1 : Env::kActDim, Env::kName,
                              "constraint from env '" + zeta_prototype.env + "'");
    } else {
      learner_->zeta.method = method_name(config_.method);
      Rng init(seed, kZetaStream);
      learner_->zeta.init(init);
    }
    if (demos) {
      expert_ = PairBuffer<In>::from_demonstrations(learner_->zeta, *demos, demos_origin);
      expert_reward_ = demos->mean_return();
      expert_zeta_.resize(expert_.size());
      expert_sorted_.resize(expert_.size());
      if (config_.update.pin_zeta > 0) learner_->reserve_expert(expert_.size());
    } else if (!config_.freeze_constraint) {
      throw Error("icrl: learning a constraint needs demonstrations (--demos FILE)");
    }
    if (config_.demo_starts > 0) {
      if (!demos) throw Error("IcrlConfig::demo_starts (--set demo_starts) needs demonstrations to start from: set it to 0");
      demo_start_.build(*demos, demos_origin, config_.demo_starts);
      agent_->set_start_hook(&demo_start_);
    }
    nominal_pairs_.reserve(static_cast<Eigen::Index>(config_.nominal_memory) * config_.nominal_episodes * Env::kMaxSteps,
                           config_.nominal_memory * config_.nominal_episodes);
    if (gc()) rollout_pairs_.reserve(agent_->steps_per_iteration(), 1);
    agent_->set_step_hook(this);
  }

 public:
  // Throws icrl::Error naming the field (and its `icrl learn --set` key) unless c is in range
  // and its update is the one its method defines (icrl/presets.hpp, apply_method); returns c.
  static IcrlConfig validated(const IcrlConfig& c) {
    auto fail = [](const std::string& field, const std::string& key, const std::string& why) {
      throw Error("IcrlConfig::" + field + " (--set " + key + ") " + why);
    };
    if (c.outer_iterations < 1 || c.outer_iterations > 100000) fail("outer_iterations", "outer_iters", "must be in 1..100000");
    if (c.forward_steps < 1) fail("forward_steps", "forward_steps", "must be >= 1");
    if (c.nominal_episodes < 0 || c.nominal_episodes > 100000)
      fail("nominal_episodes", "nominal_episodes", "must be in 0..100000 (0: as many as the expert's episodes)");
    if (c.nominal_memory < 1 || c.nominal_memory > 1000) fail("nominal_memory", "nominal_memory", "must be in 1..1000");
    if (c.eval_episodes < 1 || c.eval_episodes > 100000) fail("eval_episodes", "eval_episodes", "must be in 1..100000");
    if (!(c.entropy_anneal > 0 && c.entropy_anneal <= 1)) fail("entropy_anneal", "entropy_anneal", "must be in (0, 1]");
    if (!(c.expert_quantile >= 0 && c.expert_quantile <= 1)) fail("expert_quantile", "expert_quantile", "must be in [0, 1]");
    if (!(c.demo_starts >= 0 && c.demo_starts <= 1)) fail("demo_starts", "demo_starts", "must be in [0, 1]");
    if (!(c.log_zeta_reward >= 0 && std::isfinite(c.log_zeta_reward)))
      fail("log_zeta_reward", "log_zeta_reward", "must be >= 0 and finite (0: the PPO-Lagrangian forward step)");
    if (c.log_zeta_reward > 0 && c.expert_budget)
      fail("log_zeta_reward", "log_zeta_reward", "has no budget to set: set expert_budget to false or log_zeta_reward to 0");
    if (c.log_zeta_reward > 0 && c.method == IcrlMethod::gc && !c.freeze_constraint)
      fail("log_zeta_reward", "log_zeta_reward", "is what gc's forward step already does with weight 1: set it to 0 for gc");
    if (c.demo_starts > 0 && !kCanStartFromDemos)
      fail("demo_starts", "demo_starts",
           std::string("needs an env that can start from a recorded observation (state_of_observation, envs/env.hpp); '") +
               Env::kName + "' cannot: set it to 0");
    if (c.method == IcrlMethod::bc && c.update.loss != ConstraintLoss::bce)
      throw Error("IcrlConfig::update.loss is the likelihood of eq. (11) but method is bc (a binary classifier): "
                  "set the method with icrl::apply_method(config, IcrlMethod::bc), which also sets the loss to bce");
    if (c.method == IcrlMethod::icrl && c.update.loss != ConstraintLoss::icrl)
      throw Error("IcrlConfig::update.loss is bce (the baselines') but method is icrl: set the method with "
                  "icrl::apply_method(config, IcrlMethod::icrl), which also sets the loss to eq. (11)'s likelihood");
    Learner::validated(c.update);
    return c;
  }

  // M: nominal_episodes, or when it is 0 the number of expert episodes (SPEC 5), or 20 without
  // demonstrations (a transfer).
  static IcrlConfig resolved(IcrlConfig c, const Demonstrations* demos) {
    if (c.nominal_episodes == 0) c.nominal_episodes = demos ? demos->episodes() : kNominalEpisodesWithoutDemos;
    return c;
  }
  static constexpr int kNominalEpisodesWithoutDemos = 20;

  // True when Env can start an episode from a demonstration's state (IcrlConfig::demo_starts).
  static constexpr bool kCanStartFromDemos = VecEnvT::kCanStartFromObservation;

  // The forward step's config for a method: gc, and any method with log_zeta_reward > 0, trains
  // plain PPO on the shaped reward.
  static PpoConfig agent_config(PpoConfig ppo, const IcrlConfig& c) {
    ppo.use_cost = c.log_zeta_reward == 0 && (c.method != IcrlMethod::gc || c.freeze_constraint);
    return ppo;
  }

  // One outer iteration of Algorithm 1 (steps 1-4).
  OuterStats outer_iteration();  // defined below the class

  int iterations_done() const { return iteration_; }
  // False when built without a true env: OuterStats' violation figures are then NaN.
  bool constraint_known() const { return constraint_known_; }
  const IcrlConfig& config() const { return config_; }
  const ZetaNet& constraint() const { return learner_->zeta; }
  const Learner& learner() const { return *learner_; }
  const Agent& agent() const { return *agent_; }
  Agent& agent() { return *agent_; }
  double expert_reward() const { return expert_reward_; }
  const PairBuffer<In>& expert_pairs() const { return expert_; }
  const PairBuffer<In>& nominal_pairs() const { return nominal_pairs_; }

  void save_constraint(const std::string& path) const { learner_->zeta.save(path); }

  // ---- training state (resume) ------------------------------------------------------------
  // A state file ("ICRL" + "STAT") after outer iteration k holds k, the wall time so far, zeta
  // and its optimiser, and the agent's whole state (PpoLagrangian::save_state). A trainer built
  // with the same config, seed, envs and demonstrations that loads it runs iteration k + 1 on
  // exactly as the saved one would have (tests/test_resume.cpp): every random stream of an outer
  // iteration is either in the agent's state or derived from (seed, iteration).
  static constexpr const char* kStateFileKind = "STAT";
  void save_state(CheckpointWriter& out) const {
    out.add_int("icrl.iteration", iteration_);
    out.add_text("icrl.method", config_.freeze_constraint ? "transfer" : method_name(config_.method));
    out.add_int("icrl.seed", static_cast<std::int64_t>(seed_ & 0x7fffffffffffffffULL));
    Eigen::Matrix<double, 1, 1> wall;
    wall(0) = elapsed_seconds();
    out.add("icrl.wall_seconds", wall);
    learner_->zeta.save(out);
    learner_->save(out, "zeta_opt.");
    agent_->save_state(out, "agent.");
  }
  // Refuses a state of another method or seed, naming both; see PpoLagrangian::load_state for
  // what a damaged file leaves behind.
  void load_state(const CheckpointReader& in) {
    const std::string method = in.read_text("icrl.method");
    const std::string mine = config_.freeze_constraint ? "transfer" : method_name(config_.method);
    if (method != mine)
      throw Error("'" + in.origin() + "': the training state is of method '" + method + "', this run's is '" + mine +
                  "': resume with the settings the state was written with");
    const std::int64_t seed = in.read_int("icrl.seed"), it = in.read_int("icrl.iteration");
    if (seed != static_cast<std::int64_t>(seed_ & 0x7fffffffffffffffULL))
      throw Error("'" + in.origin() + "': the training state is of seed " + std::to_string(seed) + ", this run's is " +
                  std::to_string(seed_) + ": resume with the seed the state was written with");
    if (it < 0 || it > config_.outer_iterations)
      throw Error("'" + in.origin() + "': entry 'icrl.iteration' = " + std::to_string(it) + " is outside 0.." +
                  std::to_string(config_.outer_iterations) + " (outer_iters): the file is damaged or of another run");
    in.require<double>("icrl.wall_seconds", 1, 1);
    Eigen::Matrix<double, 1, 1> wall;
    in.read("icrl.wall_seconds", wall);
    learner_->zeta.load(in);
    learner_->load(in, "zeta_opt.");
    agent_->load_state(in, "agent.");
    iteration_ = static_cast<int>(it);
    start_ = std::chrono::steady_clock::now() -
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(std::max(0.0, wall(0))));
  }
  void save_state(const std::string& path) const {
    CheckpointWriter out(kStateFileKind);
    save_state(out);
    out.save(path);
  }
  void load_state(const std::string& path) { load_state(CheckpointReader::open(path, kStateFileKind)); }

  double elapsed_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  // env_name: the name the policy file records (icrl eval/export look it up), by default the
  // constrained env's own, e.g. "point-circle-constrained"; `icrl learn` records its --env.
  void save_policy(const std::string& path, const std::string& env_name = Env::kName) const {
    agent_->save_policy(path, env_name);
  }

 private:
  // Non-finite training state: stop before anything of this iteration is returned (so the
  // caller's files still hold the last good iteration), naming the iteration and the quantity.
  [[noreturn]] void fail_non_finite(int i, const std::string& what, const std::string& where) const {
    throw Error("outer iteration " + std::to_string(i + 1) + ": non-finite " + what + " in the " + where +
                "; nothing of this iteration was kept (the files of iteration " + std::to_string(i) +
                " stand). Lower the learning rates (--set lr=..., --set zeta_lr=...) or check the env's rewards");
  }
  // Checks after every PPO update of the forward step (no allocation unless it fails).
  void check_forward_step(int i, std::int64_t update, const IterationStats& st) {
    const char* what = nullptr;
    if (non_finite_zeta_)
      what = gc() ? "discriminator output D(s, a)" : "learned cost 1 - zeta(s, a)";
    else
      what = agent_->first_non_finite(st);
    if (what) fail_non_finite(i, what, "forward step (PPO update " + std::to_string(update + 1) + ")");
  }

  // GAIL-constraint while learning (a frozen constraint is always paid as a cost).
  bool gc() const { return config_.method == IcrlMethod::gc && !config_.freeze_constraint; }

  // The forward step's hook: icrl/bc pay the learned cost of zeta(s, a); gc earns r + log(D(s, a) + 1e-5)
  // and keeps the rollout's pairs for D's step.
  void on_step(const typename Hook::ObsBatch& obs, const typename Hook::Actions& actions,
               typename Hook::Column& reward, typename Hook::Column& cost) override;  // below the class

  // Mean learned cost over the expert's pairs D under the current zeta.
  double expert_learned_cost() {
    learner_->evaluate(expert_, expert_zeta_);
    double c = 0.0;
    for (Eigen::Index t = 0; t < expert_.size(); ++t) c += learned_cost(config_.cost, expert_zeta_(t), cost_level_);
    return c / static_cast<double>(expert_.size());
  }

  // l_D of expert_relative and expert_indicator: the expert_quantile-quantile of log(zeta + 1e-5) over D (lower
  // nearest rank). expert_sorted_ is sized in the constructor.
  double expert_level() {
    learner_->evaluate(expert_, expert_zeta_);
    const Eigen::Index n = expert_.size();
    for (Eigen::Index t = 0; t < n; ++t) expert_sorted_(t) = std::log(static_cast<double>(expert_zeta_(t)) + kLogEps);
    return lower_quantile(expert_sorted_.data(), n, config_.expert_quantile);
  }

  // An env action as the numbers zeta's features read (discrete: [index]).
  static Eigen::Matrix<double, Env::kDiscrete ? 1 : Env::kActDim, 1> action_values(const typename Env::Action& a) {
    if constexpr (Env::kDiscrete) {
      return Eigen::Matrix<double, 1, 1>::Constant(static_cast<double>(a));
    } else {
      return a;
    }
  }

  // Step 2: M stochastic nominal-env episodes into nominal_pairs_, and SPEC 8's violation metrics.
  void sample_nominal(std::uint64_t seed, OuterStats& s) {
    // S keeps the last nominal_memory batches of M episodes: drop the oldest batch when full.
    if (config_.nominal_memory <= 1) nominal_pairs_.clear();
    else if (nominal_pairs_.episodes() >= (config_.nominal_memory - 1) * config_.nominal_episodes)
      nominal_pairs_.drop_front_episodes(nominal_pairs_.episodes() - (config_.nominal_memory - 1) * config_.nominal_episodes);
    std::int64_t steps = 0, violating_steps = 0;
    int violating_episodes = 0;
    double feasible = 0.0, feasible_sum = 0.0;
    bool violated = false;
    run_episodes(agent_->policy(), agent_->obs_normalizer(), nominal_, config_.nominal_episodes, seed, false,
                 [&](int, int, const Eigen::Matrix<double, O, 1>& obs, const typename Env::Action& a, const auto& r) {
                   const auto av = action_values(a);
                   nominal_pairs_.add(learner_->zeta, obs.data(), av.data());
                   ++steps;
                   if (r.cost > 0) {
                     ++violating_steps;
                     violated = true;
                   }
                   if (!violated) feasible += r.reward;
                   if (r.terminated || r.truncated) {
                     nominal_pairs_.end_episode();
                     feasible_sum += feasible;
                     violating_episodes += violated ? 1 : 0;
                     feasible = 0.0;
                     violated = false;
                   }
                 });
    if (!constraint_known_) return;  // the nominal env's cost says nothing about the real constraint
    s.violations = static_cast<double>(violating_steps) / static_cast<double>(steps);
    s.violation_rate = static_cast<double>(violating_episodes) / config_.nominal_episodes;
    s.feasible_reward = feasible_sum / config_.nominal_episodes;
  }

  // Demonstration starts: after a training env's reset, with probability p the episode moves to
  // the state of a uniformly drawn step of D (the env's state_of_observation of that step's
  // observation and its index in the episode). The states are computed once, in build().
  class DemoStart final : public VecEnvT::StartHookType {
   public:
    void build(const Demonstrations& d, const std::string& origin, double p) {
      if constexpr (kCanStartFromDemos) {
        if (d.observations.rows() != O)
          throw Error("'" + origin + "': demonstrations have observations of dimension " +
                      std::to_string(d.observations.rows()) + ", env '" + Env::kName + "' has " + std::to_string(O) +
                      ": record them in this env");
        if (d.steps() < 1) throw Error("'" + origin + "': no demonstration steps to start from (demo_starts)");
        p_ = p;
        states_.resize(Env::kStateDim, d.observations.cols());
        Eigen::Index c = 0;
        for (std::size_t e = 0; e < d.lengths.size(); ++e)
          for (std::int64_t t = 0; t < d.lengths[e]; ++t, ++c) {
            const typename Env::Obs obs = d.observations.col(c);
            if (t >= Env::kMaxSteps || !Env::state_of_observation(obs, static_cast<int>(t), states_.col(c).data()))
              throw Error("'" + origin + "': episode " + std::to_string(e + 1) + ", step " + std::to_string(t + 1) +
                          ": env '" + Env::kName + "' cannot start from this observation (demo_starts): record the "
                          "demonstrations in this env or set demo_starts to 0");
          }
      }
    }
    void on_start(Env& env, Rng& rng, typename Env::Obs& obs) override {
      if constexpr (kCanStartFromDemos) {
        if (rng.uniform() >= p_) return;
        const auto k = static_cast<Eigen::Index>(rng.uniform_int(static_cast<std::uint32_t>(states_.cols())));
        env.load_state(states_.col(k).data());
        obs = env.observation();
      }
    }

   private:
    double p_ = 0.0;
    Eigen::MatrixXd states_;  // [Env::kStateDim, expert steps] the state of every step of D
  };

  IcrlConfig config_;
  std::unique_ptr<Agent> agent_;      // the persistent PPO-Lagrangian agent (forward step)
  std::unique_ptr<Learner> learner_;  // zeta and its optimiser (backward step)
  Env nominal_, true_env_;            // prototypes: sampling / evaluation
  bool constraint_known_;             // true_env_ is a true env (else a copy of nominal_)
  PairBuffer<In> expert_;             // D [In, expert steps]
  Eigen::VectorXf expert_zeta_;       // [expert steps] zeta on D (expert_budget, l_D)
  Eigen::VectorXd expert_sorted_;     // [expert steps] log zeta on D, partly sorted (expert_level)
  double cost_level_ = 0.0;           // l_D of the current forward step (expert_relative / _indicator)
  DemoStart demo_start_;              // the training envs' start hook (demo_starts > 0)
  PairBuffer<In> nominal_pairs_;      // S [In, M x max episode length]
  PairBuffer<In> rollout_pairs_;      // gc: the last PPO rollout's pairs [In, n_steps x E]
  typename ZetaNet::template Input<E> hook_x_ = ZetaNet::template Input<E>::Zero();  // [In, E]
  typename ZetaNet::template Workspace<E> hook_ws_;
  bool non_finite_zeta_ = false;      // the hook saw a non-finite zeta (checked after each update)
  double learned_cost_sum_ = 0.0;
  std::int64_t learned_cost_n_ = 0;
  double expert_reward_ = NAN;
  std::uint64_t seed_;
  double entropy_coef_0_;             // the forward step's entropy bonus in outer iteration 0
  int iteration_ = 0;
  std::chrono::steady_clock::time_point start_;
};

// outer_iteration() and on_step() are defined outside the class so that they are not inline: a
// program that declares them `extern template` compiles them once, in a translation unit of their
// own (the icrl program does, cli/instances/; see PpoLagrangian::rollout).

// ---- Algorithm 1: one outer iteration, steps 1-4 -------------------------------------------------
template <class VecEnvT, int Chunk, class ZetaNet>
OuterStats IcrlTrainer<VecEnvT, Chunk, ZetaNet>::outer_iteration() {
  OuterStats s;
  const int i = iteration_;
  // 1. forward: F env steps of the persistent agent under the current learned cost, with the
  //    entropy bonus of this iteration.
  agent_->set_entropy_coef(entropy_coef_0_ * std::pow(config_.entropy_anneal, i));
  if (cost_has_level(config_.cost) && expert_.size() > 0) s.cost_level = cost_level_ = expert_level();
  if (config_.expert_budget && !gc() && expert_.size() > 0) agent_->set_budget(expert_learned_cost());
  s.budget = agent_->budget();
  const std::int64_t per = agent_->steps_per_iteration();
  const std::int64_t updates = (config_.forward_steps + per - 1) / per;
  for (std::int64_t u = 0; u < updates; ++u) {
    learned_cost_sum_ = 0.0;
    learned_cost_n_ = 0;
    s.last_update = agent_->iterate();
    check_forward_step(i, u, s.last_update);
    if (gc()) {
      // One cross-entropy step of D on (expert, this rollout) after every rollout (SPEC 4).
      rollout_pairs_.end_episode();
      const double l = learner_->bce_step(expert_, rollout_pairs_);
      s.backward.loss_first = s.backward.loss_last = l;
      s.backward.iterations_done = 1;
      rollout_pairs_.clear();
    }
  }
  s.learned_cost = learned_cost_n_ > 0 ? learned_cost_sum_ / learned_cost_n_ : NAN;
  s.nu = agent_->nu();
  // 2. sample M nominal episodes; 4 (part). their true violations.
  sample_nominal(seed_ ^ (kNominalSeed + static_cast<std::uint64_t>(i)), s);
  // 3. backward.
  if (config_.method != IcrlMethod::gc && !config_.freeze_constraint)
    s.backward = learner_->backward(expert_, nominal_pairs_, i);
  if (!learner_->zeta.net.theta.allFinite())
    fail_non_finite(i, gc() ? "discriminator D parameters" : "constraint network zeta parameters", "backward step");
  // 4. evaluate: reward in the true env.
  const EvalResult ev = evaluate_policy(agent_->policy(), agent_->obs_normalizer(), true_env_,
                                        config_.eval_episodes, seed_ ^ (kOuterEvalSeed + static_cast<std::uint64_t>(i)), false);
  s.reward = ev.mean_return;
  s.reward_std = ev.std_return;
  s.iteration = ++iteration_;
  s.env_steps = agent_->env_steps();
  s.wall_seconds = elapsed_seconds();
  return s;
}

template <class VecEnvT, int Chunk, class ZetaNet>
void IcrlTrainer<VecEnvT, Chunk, ZetaNet>::on_step(const typename Hook::ObsBatch& obs, const typename Hook::Actions& actions,
                                                   typename Hook::Column& reward, typename Hook::Column& cost) {
  for (int e = 0; e < E; ++e) {
    const auto a = action_values(actions[e]);
    learner_->zeta.encode(obs.col(e).data(), a.data(), hook_x_, e);
    if (gc()) rollout_pairs_.add(learner_->zeta, obs.col(e).data(), a.data());
  }
  const auto& z = learner_->zeta.forward(hook_x_, hook_ws_);
  for (int e = 0; e < E; ++e) {
    const double zeta = z(e);
    if (!std::isfinite(zeta)) non_finite_zeta_ = true;
    if (gc()) {
      reward(e) += std::log(zeta + kLogEps);
    } else {
      const double c = learned_cost(config_.cost, zeta, cost_level_);
      if (config_.log_zeta_reward > 0)
        reward(e) += config_.log_zeta_reward * std::log(zeta + kLogEps);
      else
        cost(e) = c;
      learned_cost_sum_ += c;
      ++learned_cost_n_;
    }
  }
}

}  // namespace icrl
