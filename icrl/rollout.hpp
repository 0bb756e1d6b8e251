// icrl/rollout.hpp - running a policy in an environment outside training: evaluation (SPEC
// section 8) and recording demonstrations (the data D of eq. (11)).
//
// run_episodes() plays `episodes` fresh episodes of a policy on copies of a prototype env and
// calls a visitor on every step; evaluate_policy() and record_demonstrations() are two visitors.
// Episode k starts from Rng(seed, k); actions are drawn from a generator seeded apart from those
// streams, so one seed gives one set of episodes, bit for bit, on one build. The observation
// normaliser saved with the policy is applied, never updated. Nothing here allocates except
// record_demonstrations, which grows the returned buffers.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"
#include "icrl/running_stats.hpp"

namespace icrl {

inline constexpr std::uint64_t kInitStream = 0x1000;   // network initialisation
inline constexpr std::uint64_t kTrainStream = 0x1001;  // action sampling and shuffling
inline constexpr std::uint64_t kEvalSeedOffset = 0x9E3779B97F4A7C15ULL;  // eval envs: seed ^ this


// Evaluation of a policy on fresh episodes (SPEC 8).
struct EvalResult {
  int episodes = 0;
  double mean_return = 0.0;      // mean undiscounted return
  double std_return = 0.0;       // its standard deviation over episodes
  double mean_cost = 0.0;        // mean undiscounted episode cost
  double violation_rate = 0.0;   // share of episodes with at least one step of cost > 0
  double feasible_return = 0.0;  // mean return summed up to the first violating step
  double mean_length = 0.0;      // mean episode length
};


// The environment's action for stored policy output column `a` (a float index when discrete).
template <class Env, typename Derived>
typename Env::Action to_env_action(const Eigen::MatrixBase<Derived>& a) {
  if constexpr (Env::kDiscrete) {
    return static_cast<int>(a(0));
  } else {
    return a.template cast<double>();
  }
}

// Throws when an environment hands back NaN or infinity (a diverged simulation or a bad action).
template <typename Derived>
void check_finite_env_output(const char* env_name, const Eigen::MatrixBase<Derived>& obs, double reward,
                             double cost, std::int64_t env_step) {
  if (obs.allFinite() && std::isfinite(reward) && std::isfinite(cost)) return;
  const char* what = !obs.allFinite() ? "observation" : !std::isfinite(reward) ? "reward" : "cost";
  throw Error(std::string("environment '") + env_name + "' returned a non-finite " + what +
              " at step " + std::to_string(env_step) +
              ": its simulation diverged; check the environment's dynamics and action bounds");
}

// Plays `episodes` episodes; visit(k, t, obs [O], env_action, result) is called after every step
// with the observation the action was taken in and what step() returned. deterministic: act with
// the mean / most likely action; otherwise sample (SPEC 8 reports stochastic episodes).
template <class Env, class Policy, class Visit>
void run_episodes(const Policy& policy, const ObsNormalizer<Env::kObsDim>& obs_norm, const Env& prototype,
                  int episodes, std::uint64_t seed, bool deterministic, Visit&& visit) {
  constexpr int O = Env::kObsDim;
  typename Policy::template Workspace<1> ws;
  Eigen::Matrix<float, O, 1> obs_f;
  typename Policy::template ActBatch<1> act;
  typename Policy::template Row<1> logp;
  Rng act_rng(seed ^ kEvalSeedOffset, kTrainStream);  // a different seed: never an episode's stream
  for (int k = 0; k < episodes; ++k) {
    Env env = prototype;
    Rng rng(seed, static_cast<std::uint64_t>(k));
    Eigen::Matrix<double, O, 1> obs = env.reset(rng);
    check_finite_env_output(Env::kName, obs, 0.0, 0.0, 0);
    for (int t = 0;; ++t) {
      obs_norm.normalize(obs, obs_f);
      policy.act(obs_f, ws, act_rng, deterministic, act, logp);
      const typename Env::Action a = to_env_action<Env>(act.col(0));
      const auto r = env.step(a);
      check_finite_env_output(Env::kName, r.obs, r.reward, r.cost, t);
      visit(k, t, obs, a, r);
      obs = r.obs;
      if (r.terminated || r.truncated) break;
    }
  }
}

// Mean return, cost, violation rate and feasible return of `episodes` fresh episodes.
template <class Env, class Policy>
EvalResult evaluate_policy(const Policy& policy, const ObsNormalizer<Env::kObsDim>& obs_norm,
                           const Env& prototype, int episodes, std::uint64_t seed, bool deterministic) {
  EvalResult out;
  out.episodes = std::max(episodes, 0);
  if (episodes <= 0) return out;
  double sum = 0, sum_sq = 0, cost_sum = 0, feasible_sum = 0, length_sum = 0;
  int violating = 0;
  double ret = 0, cost = 0, feasible = 0;
  bool violated = false;
  run_episodes(policy, obs_norm, prototype, episodes, seed, deterministic,
               [&](int, int, const auto&, const auto&, const auto& r) {
                 ret += r.reward;
                 cost += r.cost;
                 if (r.cost > 0) violated = true;
                 if (!violated) feasible += r.reward;
                 length_sum += 1;
                 if (!(r.terminated || r.truncated)) return;
                 sum += ret;
                 sum_sq += ret * ret;
                 cost_sum += cost;
                 feasible_sum += feasible;
                 violating += violated ? 1 : 0;
                 ret = cost = feasible = 0;
                 violated = false;
               });
  const double n = episodes;
  out.mean_return = sum / n;
  out.std_return = std::sqrt(std::max(0.0, sum_sq / n - out.mean_return * out.mean_return));
  out.mean_cost = cost_sum / n;
  out.violation_rate = violating / n;
  out.feasible_return = feasible_sum / n;
  out.mean_length = length_sum / n;
  return out;
}

// Records `episodes` episodes as demonstrations: the observation each action was taken in, the
// action as the environment applied it (clipped to its box; discrete: the index), reward and cost.
template <class Env, class Policy>
Demonstrations record_demonstrations(const Policy& policy, const ObsNormalizer<Env::kObsDim>& obs_norm,
                                     const Env& prototype, int episodes, std::uint64_t seed,
                                     bool deterministic) {
  constexpr int O = Env::kObsDim;
  constexpr int A = Env::kDiscrete ? 1 : Env::kActDim;
  std::vector<double> obs, act, rew, cost;
  Demonstrations d;
  d.env = Env::kName;
  d.obs_dim = O;
  d.act_dim = A;
  std::int64_t length = 0;
  run_episodes(policy, obs_norm, prototype, episodes, seed, deterministic,
               [&](int, int, const Eigen::Matrix<double, O, 1>& s, const typename Env::Action& a, const auto& r) {
                 obs.insert(obs.end(), s.data(), s.data() + O);
                 if constexpr (Env::kDiscrete) {
                   act.push_back(static_cast<double>(a));
                 } else {
                   const Eigen::Matrix<double, A, 1> clipped =
                       a.cwiseMax(Env::action_low()).cwiseMin(Env::action_high());
                   act.insert(act.end(), clipped.data(), clipped.data() + A);
                 }
                 rew.push_back(r.reward);
                 cost.push_back(r.cost);
                 ++length;
                 if (r.terminated || r.truncated) {
                   d.lengths.push_back(length);
                   length = 0;
                 }
               });
  const Eigen::Index n = static_cast<Eigen::Index>(rew.size());
  d.observations = Eigen::Map<const Eigen::MatrixXd>(obs.data(), O, n);
  d.actions = Eigen::Map<const Eigen::MatrixXd>(act.data(), A, n);
  d.rewards = Eigen::Map<const Eigen::VectorXd>(rew.data(), n);
  d.costs = Eigen::Map<const Eigen::VectorXd>(cost.data(), n);
  return d;
}

}  // namespace icrl
