// icrl/tabular_mdp.hpp - a finite, deterministic, finite-horizon task given as tables, and the
// exact maximum-entropy forward model of the talk (eqs. (1)-(5)) on it.
//
// A TabularMdp is S states, A actions, a fixed start state and a horizon H. Step (s, a) goes to
// next(s, a), pays reward(s, a) and ends the episode when terminal(s, a); the time limit H
// truncates. Every step also reads one entry key(s, a) of the constraint: the constraint is a
// function of K keys (tabular_constraint.hpp), and the task says which key a step touches. The
// grid worlds key a step by the cell it enters (the reference implementation's zeta(s_{t+1}));
// lap-grid keys it by (cell, action). When the true constraint is known (the shipped and the
// generated tasks), key_unsafe marks the keys that violate it.
//
// The forward model. Eq. (1): the expert's trajectory distribution is
//     p(tau) proportional to exp(beta r(tau)) 1[tau feasible],
// and with the learned zeta in place of the indicator (eq. (5)) p(tau) prop. to
// exp(beta r(tau)) prod_t zeta(s_t, a_t). On a known deterministic task its policy is the
// solution of finite-horizon soft value iteration with the per-step value
//     g(s, a) = beta r(s, a) + b(key(s, a)),     b = log(zeta + eps)        (the "log zeta" model)
// or, for the Lagrangian form of eq. (9),        b = -nu (1 - zeta)         (the "lagrangian" model):
//     Q_t(s, a) = g(s, a) + [not terminal(s, a)] V_{t+1}(next(s, a)),   V_H = 0,
//     V_t(s)    = log sum_a exp Q_t(s, a),
//     pi_t(a | s) = exp(Q_t(s, a) - V_t(s)).
// This pi is exact: there is no sampling noise and no function approximation in the forward step.
// A bonus of -infinity removes an action (the hard constraint of the true env's expert).
//
// evaluate() propagates the state distribution of a policy forwards from the start and returns
// exact expectations: the return in the nominal dynamics and in the true env (a step onto an
// unsafe key pays 0 and ends the episode, SPEC 6), violations, length, and the expected sum of a
// per-key cost. sample_episodes() draws episodes of a policy with icrl::Rng (deterministic per
// seed on every machine: + and exp are the only floating-point operations before the draw).
//
// Storage is sized once: a SoftPolicy holds H x S x A probabilities; solving and evaluating
// allocate nothing after construction.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "icrl/demonstrations.hpp"
#include "icrl/error.hpp"
#include "icrl/rng.hpp"

namespace icrl {

struct TabularMdp {
  std::string name;                    // the task's name (messages, files)
  int num_states = 0;                  // S
  int num_actions = 0;                 // A
  int horizon = 0;                     // H: steps before truncation
  int start = 0;                       // the state every episode starts in
  int obs_dim = 0;                     // size of a state's observation
  std::vector<double> observation;     // [obs_dim * S] state s's observation at [obs_dim * s]
  std::vector<int> next;               // [S * A] state after (s, a), index s * A + a
  std::vector<double> reward;          // [S * A]
  std::vector<std::uint8_t> terminal;  // [S * A] 1: the step ends the episode
  int num_keys = 0;                    // K: entries of the constraint
  std::vector<int> key;                // [S * A] the constraint entry step (s, a) reads
  std::vector<std::uint8_t> key_unsafe;  // [K] 1: the true constraint forbids the key; empty: unknown

  int index(int s, int a) const { return s * num_actions + a; }
  bool constraint_known() const { return !key_unsafe.empty(); }
  bool unsafe(int s, int a) const { return constraint_known() && key_unsafe[static_cast<std::size_t>(key[static_cast<std::size_t>(index(s, a))])] != 0; }

  // Throws icrl::Error naming the field unless every table has its size and every entry its range.
  void check() const {
    auto fail = [&](const std::string& what) { throw Error("tabular task '" + name + "': " + what); };
    if (num_states < 1 || num_actions < 1 || horizon < 1) fail("num_states, num_actions and horizon must be >= 1");
    if (start < 0 || start >= num_states) fail("start state " + std::to_string(start) + " is outside 0.." + std::to_string(num_states - 1));
    const std::size_t n = static_cast<std::size_t>(num_states) * static_cast<std::size_t>(num_actions);
    if (next.size() != n || reward.size() != n || terminal.size() != n || key.size() != n)
      fail("next, reward, terminal and key must each have num_states x num_actions = " + std::to_string(n) + " entries");
    if (observation.size() != static_cast<std::size_t>(obs_dim) * static_cast<std::size_t>(num_states))
      fail("observation must have obs_dim x num_states entries");
    if (num_keys < 1) fail("num_keys must be >= 1");
    for (std::size_t i = 0; i < n; ++i) {
      if (next[i] < 0 || next[i] >= num_states) fail("next[" + std::to_string(i) + "] is not a state");
      if (key[i] < 0 || key[i] >= num_keys) fail("key[" + std::to_string(i) + "] is outside 0..num_keys-1");
      if (!std::isfinite(reward[i])) fail("reward[" + std::to_string(i) + "] is not finite");
    }
    if (!key_unsafe.empty() && key_unsafe.size() != static_cast<std::size_t>(num_keys))
      fail("key_unsafe must be empty (constraint unknown) or have num_keys entries");
  }

  // The state whose observation equals obs [obs_dim] within tol in every dimension, or -1.
  int state_of(const double* obs, double tol = 1e-4) const {
    for (int s = 0; s < num_states; ++s) {
      bool same = true;
      for (int i = 0; i < obs_dim && same; ++i)
        same = std::abs(observation[static_cast<std::size_t>(obs_dim * s + i)] - obs[i]) <= tol;
      if (same) return s;
    }
    return -1;
  }
};

// A time-dependent stochastic policy pi_t(a | s) of a tabular task, with its soft values.
class SoftPolicy {
 public:
  SoftPolicy() = default;
  explicit SoftPolicy(const TabularMdp& m)
      : S_(m.num_states), A_(m.num_actions), H_(m.horizon),
        pi_(static_cast<std::size_t>(H_) * static_cast<std::size_t>(S_ * A_), 0.0),
        v_(static_cast<std::size_t>(H_ + 1) * static_cast<std::size_t>(S_), 0.0),
        q_(static_cast<std::size_t>(A_), 0.0) {}

  int horizon() const { return H_; }
  // pi_t(a | s) for a = 0 .. A-1, contiguous.
  const double* probabilities(int t, int s) const { return &pi_[(static_cast<std::size_t>(t) * S_ + s) * A_]; }
  double* probabilities(int t, int s) { return &pi_[(static_cast<std::size_t>(t) * S_ + s) * A_]; }
  // V_t(s), 0 <= t <= H (V_H = 0): log of the partition function from (t, s) on.
  double value(int t, int s) const { return v_[static_cast<std::size_t>(t) * S_ + s]; }
  double& value(int t, int s) { return v_[static_cast<std::size_t>(t) * S_ + s]; }
  double* q_scratch() { return q_.data(); }

 private:
  int S_ = 0, A_ = 0, H_ = 0;
  std::vector<double> pi_;  // [H, S, A] pi_t(a | s)
  std::vector<double> v_;   // [H + 1, S] V_t(s)
  std::vector<double> q_;   // [A] Q_t(s, .) of the state being solved
};

// Soft value iteration (header comment): pi and V for beta r(s, a) + bonus[key(s, a)].
// bonus [K]; -infinity removes every action with that key (unless all of a state's actions are
// removed: then the state keeps them all, as the true env lets the episode end there).
inline void soft_value_iteration(const TabularMdp& m, double beta, const double* bonus, SoftPolicy& out) {
  const int S = m.num_states, A = m.num_actions;
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  double* q = out.q_scratch();
  for (int s = 0; s < S; ++s) out.value(m.horizon, s) = 0.0;
  for (int t = m.horizon - 1; t >= 0; --t) {
    for (int s = 0; s < S; ++s) {
      double best = kNegInf;
      for (int a = 0; a < A; ++a) {
        const std::size_t i = static_cast<std::size_t>(m.index(s, a));
        const double b = bonus[m.key[i]];
        q[a] = b == kNegInf ? kNegInf : beta * m.reward[i] + b + (m.terminal[i] ? 0.0 : out.value(t + 1, m.next[i]));
        best = std::max(best, q[a]);
      }
      if (best == kNegInf) {  // every action removed: keep them all, valued without the bonus
        for (int a = 0; a < A; ++a) {
          const std::size_t i = static_cast<std::size_t>(m.index(s, a));
          q[a] = beta * m.reward[i] + (m.terminal[i] ? 0.0 : out.value(t + 1, m.next[i]));
          best = std::max(best, q[a]);
        }
      }
      double sum = 0.0;
      for (int a = 0; a < A; ++a) sum += q[a] == kNegInf ? 0.0 : std::exp(q[a] - best);
      const double v = best + std::log(sum);
      out.value(t, s) = v;
      double* p = out.probabilities(t, s);
      for (int a = 0; a < A; ++a) p[a] = q[a] == kNegInf ? 0.0 : std::exp(q[a] - v);
    }
  }
}

// Q_t(s, a) = reward(s, a) + [not terminal] V_{t+1}(next(s, a)) on a value table V [(H + 1) S].
inline double optimal_q(const TabularMdp& m, const std::vector<double>& v, int t, int s, int a) {
  const std::size_t i = static_cast<std::size_t>(m.index(s, a));
  return m.reward[i] + (m.terminal[i] ? 0.0 : v[static_cast<std::size_t>(t + 1) * m.num_states + m.next[i]]);
}

// Finite-horizon (hard) value iteration for reward(s, a) + bonus[key(s, a)]: V [(H + 1) S],
// V_t(s) = max_a Q_t(s, a), V_H = 0, with the same removal rule as soft_value_iteration for a
// bonus of -infinity. V_0(start) is the optimal return. Allocates V once (setup and tests only).
inline std::vector<double> optimal_values(const TabularMdp& m, const double* bonus) {
  const int S = m.num_states, A = m.num_actions;
  constexpr double kNegInf = -std::numeric_limits<double>::infinity();
  std::vector<double> v(static_cast<std::size_t>(m.horizon + 1) * static_cast<std::size_t>(S), 0.0);
  for (int t = m.horizon - 1; t >= 0; --t) {
    for (int s = 0; s < S; ++s) {
      double best = kNegInf, any = kNegInf;
      for (int a = 0; a < A; ++a) {
        const double q = optimal_q(m, v, t, s, a);
        any = std::max(any, q);
        if (bonus[m.key[static_cast<std::size_t>(m.index(s, a))]] != kNegInf)
          best = std::max(best, q + bonus[m.key[static_cast<std::size_t>(m.index(s, a))]]);
      }
      v[static_cast<std::size_t>(t) * S + s] = best == kNegInf ? any : best;
    }
  }
  return v;
}

// Exact expectations of a policy run from the start state for H steps.
struct TabularPolicyValue {
  double nominal_return = 0.0;          // expected return in the nominal dynamics
  double true_return = 0.0;             // expected return in the true env (an unsafe step pays 0, ends)
  double expected_length = 0.0;         // expected steps of a nominal episode
  double expected_violations = 0.0;     // expected unsafe steps of a nominal episode
  double violation_probability = 0.0;   // share of nominal episodes with >= 1 unsafe step
  double expected_cost = 0.0;           // expected sum over a nominal episode of cost[key]
  double violations_per_step() const { return expected_length > 0 ? expected_violations / expected_length : 0.0; }
};

// Forward propagation of the start state. cost [K] (may be null): the per-key cost summed in
// expected_cost. work [6 S]: policy_evaluation_buffer(m), sized by the caller once.
inline TabularPolicyValue evaluate_policy(const TabularMdp& m, const SoftPolicy& pi, const double* cost,
                                          std::vector<double>& work) {
  const int S = m.num_states, A = m.num_actions;
  ICRL_ASSERT(work.size() >= static_cast<std::size_t>(6 * S));
  std::fill(work.begin(), work.begin() + 6 * S, 0.0);
  double* d = work.data();     // [2 S] nominal dynamics: mass alive on s, split by "violated already"
  double* e = d + 2 * S;       // [S] true env: mass alive on s (an unsafe step ends the episode)
  double* nxt = d + 3 * S;     // [S] e of the next step
  double* dn = d + 4 * S;      // [2 S] d of the next step
  d[m.start] = 1.0;
  e[m.start] = 1.0;
  TabularPolicyValue out;
  for (int t = 0; t < m.horizon; ++t) {
    std::fill(dn, dn + 2 * S, 0.0);
    std::fill(nxt, nxt + S, 0.0);
    for (int s = 0; s < S; ++s) {
      const double* p = pi.probabilities(t, s);
      for (int flag = 0; flag < 2; ++flag) {
        const double mass = d[flag * S + s];
        if (mass == 0.0) continue;
        out.expected_length += mass;
        for (int a = 0; a < A; ++a) {
          const double w = mass * p[a];
          if (w == 0.0) continue;
          const std::size_t i = static_cast<std::size_t>(m.index(s, a));
          const bool bad = m.unsafe(s, a);
          out.nominal_return += w * m.reward[i];
          if (cost) out.expected_cost += w * cost[m.key[i]];
          if (bad) {
            out.expected_violations += w;
            if (flag == 0) out.violation_probability += w;
          }
          if (!m.terminal[i]) dn[(flag == 1 || bad ? 1 : 0) * S + m.next[i]] += w;
        }
      }
      const double alive = e[s];
      if (alive == 0.0) continue;
      for (int a = 0; a < A; ++a) {
        const double w = alive * p[a];
        if (w == 0.0) continue;
        const std::size_t i = static_cast<std::size_t>(m.index(s, a));
        if (m.unsafe(s, a)) continue;  // reward 0, episode over
        out.true_return += w * m.reward[i];
        if (!m.terminal[i]) nxt[m.next[i]] += w;
      }
    }
    std::copy(dn, dn + 2 * S, d);
    std::copy(nxt, nxt + S, e);
  }
  return out;
}

// The work buffer evaluate_policy needs for a task.
inline std::vector<double> policy_evaluation_buffer(const TabularMdp& m) {
  return std::vector<double>(static_cast<std::size_t>(6 * m.num_states), 0.0);
}

// Sampled episodes of a tabular policy: per step the state, the action and the key.
struct TabularEpisodes {
  std::vector<int> state, action, key;   // [capacity] step j of all episodes, back to back
  std::vector<std::uint8_t> unsafe;      // [capacity] 1: the step violates the true constraint
  std::vector<double> reward;            // [capacity]
  std::vector<Eigen::Index> starts{0};   // [episodes + 1] episode k = steps [starts[k], starts[k + 1])

  void reserve(int max_episodes, int horizon) {
    const std::size_t n = static_cast<std::size_t>(max_episodes) * static_cast<std::size_t>(horizon);
    state.assign(n, 0);
    action.assign(n, 0);
    key.assign(n, 0);
    unsafe.assign(n, 0);
    reward.assign(n, 0.0);
    starts.reserve(static_cast<std::size_t>(max_episodes) + 1);
    clear();
  }
  void clear() {
    starts.clear();
    starts.push_back(0);
  }
  int episodes() const { return static_cast<int>(starts.size()) - 1; }
  Eigen::Index size() const { return starts.back(); }
};

// Appends `episodes` episodes of pi in the nominal dynamics (no termination on unsafe steps),
// drawing each action with one uniform of rng (Rng::categorical).
inline void sample_episodes(const TabularMdp& m, const SoftPolicy& pi, int episodes, Rng& rng, TabularEpisodes& out) {
  Eigen::Index j = out.size();
  for (int k = 0; k < episodes; ++k) {
    ICRL_ASSERT(out.starts.size() < out.starts.capacity() || out.starts.capacity() == 0);
    int s = m.start;
    for (int t = 0; t < m.horizon; ++t) {
      ICRL_ASSERT(static_cast<std::size_t>(j) < out.state.size());
      const int a = rng.categorical(pi.probabilities(t, s), m.num_actions);
      const std::size_t i = static_cast<std::size_t>(m.index(s, a));
      const std::size_t u = static_cast<std::size_t>(j);
      out.state[u] = s;
      out.action[u] = a;
      out.key[u] = m.key[i];
      out.unsafe[u] = m.unsafe(s, a) ? 1 : 0;
      out.reward[u] = m.reward[i];
      ++j;
      if (m.terminal[i]) break;
      s = m.next[i];
    }
    out.starts.push_back(j);
  }
}

// Sampled episodes as demonstrations of env `env` (what `icrl demos` records: each step's
// observation, the action index, reward, cost = 1 on an unsafe step). Setup only: allocates.
inline Demonstrations to_demonstrations(const TabularMdp& m, const TabularEpisodes& ep, const std::string& env) {
  Demonstrations d;
  d.env = env;
  d.obs_dim = m.obs_dim;
  d.act_dim = 1;
  const Eigen::Index n = ep.size();
  d.observations.resize(m.obs_dim, n);
  d.actions.resize(1, n);
  d.rewards.resize(n);
  d.costs.resize(n);
  for (int e = 0; e < ep.episodes(); ++e)
    d.lengths.push_back(static_cast<std::int64_t>(ep.starts[static_cast<std::size_t>(e) + 1] - ep.starts[static_cast<std::size_t>(e)]));
  for (Eigen::Index t = 0; t < n; ++t) {
    const std::size_t u = static_cast<std::size_t>(t);
    for (int i = 0; i < m.obs_dim; ++i)
      d.observations(i, t) = m.observation[static_cast<std::size_t>(m.obs_dim * ep.state[u] + i)];
    d.actions(0, t) = ep.action[u];
    d.rewards(t) = ep.reward[u];
    d.costs(t) = ep.unsafe[u];
  }
  d.check(env);
  return d;
}

}  // namespace icrl
