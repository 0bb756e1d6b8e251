// cli/grid_expert.hpp - an expert for a grid map (`icrl expert --env grid8:MAP --solver`): solve
// the true env exactly (envs/grid_solver.hpp), then distil the solver's policy into the policy
// network a policy file holds (PolicyFor<Env>, the categorical policy `icrl train` saves) by
// supervised cross-entropy.
//
// Why: PPO-Lagrangian with budget 0 never finds a goal that lies behind an unsafe doorway. On
// grid8:rooms8 the one safe opening sits next to seven X cells; the cost of the exploratory steps
// into them teaches the policy to stay in the upper room (best true-env return -3.9 in 1M steps),
// while hard-constraint value iteration on the same map finds the safe route and returns 12.1.
//
// What is distilled. The solver's optimal policy pi_t(s) depends on the step index t, the
// network's only on the observation [2 row / rows - 1, 2 col / cols - 1] - the cell, not the
// clock. So the targets are a stationary policy taken from the solution: the candidate with the
// highest exact true-env return among
//   * "arrival time": in cell s, pi_tau(s)(s) with tau(s) the step at which the solver's optimal
//     episode first stands on s, else the earliest step s can be reached without a violation
//     (reproduces the solver's episode exactly when that episode never returns to a cell), and
//   * pi_t0 for every fixed t0 = 0 .. H-1.
// Its return is the target of the stop test. It equals the solver's return when the optimum needs
// no clock (grid:lake7: 8.8); on rooms8 the optimum shuttles on and off the reward cell R until
// exactly 7 steps are left and then walks to the goal, which no policy of the cell alone can time:
// the best stationary policy shuttles to the time limit, 11.0 of the solver's 12.1 (an exact
// policy-gradient search over all stationary stochastic policies finds no better).
//
// Training: the policy is initialised as PPO initialises it (Rng(seed, kInitStream)); every Adam
// step takes a fixed batch of kBatch cells from a reshuffled list of all non-wall cells
// (Rng(seed, kTrainStream)) and minimises mean(-log pi(a* | s)). The observation normaliser stays
// disabled (identity), as a policy file of a grid env expects. Every check_every steps the run
// stops if the greedy action matches the target in every cell the agent can act in (reachable from
// the start without a violation) and the stochastic policy, run with icrl::evaluate_policy on
// eval_episodes fresh true-env episodes, returns at least min_return_fraction x the target with no
// violating episode. Twenty episodes cannot see a 2 % risk, so the test also propagates the
// network's stochastic policy exactly (evaluate_grid_policy): its expected return must pass the same
// bar and its probability of a violating episode stay <= max_violation_probability. After
// max_steps Adam steps without passing, icrl::Error says what failed.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "envs/constrained.hpp"
#include "envs/grid_solver.hpp"
#include "envs/grid_world.hpp"
#include "icrl/adam.hpp"
#include "icrl/error.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/rng.hpp"
#include "icrl/rollout.hpp"
#include "icrl/running_stats.hpp"

namespace icrl::cli {

// True for a constrained grid world, Constrained<GridWorld<A>, C>.
template <class Env>
struct is_grid_env : std::false_type {};
template <int A, class C>
struct is_grid_env<envs::Constrained<envs::GridWorld<A>, C>> : std::true_type {};
template <class Env>
inline constexpr bool is_grid_env_v = is_grid_env<Env>::value;

struct GridExpertOptions {
  std::uint64_t seed = 1;             // network initialisation and batch order
  double lr = 1e-2;                   // Adam step size
  int max_steps = 20000;              // Adam steps before giving up
  int check_every = 100;              // Adam steps between two stop tests
  int eval_episodes = 20;             // stochastic true-env episodes of a stop test (>= 20)
  double min_return_fraction = 0.95;  // the stop test's share of the target's return
  double max_violation_probability = 1e-3;  // the stop test's bound on the exact violation probability
  // Called after every stop test: Adam steps so far, mean loss since the last test, reachable
  // cells whose greedy action differs from the target, the stochastic evaluation, the exact one.
  std::function<void(int, double, int, const EvalResult&, const envs::GridPolicyValue&)> progress;
};

struct GridExpertResult {
  double solver_return = 0.0;   // exact optimum of the true env (a policy that knows the step index)
  double target_return = 0.0;   // exact true-env return of the stationary targets (greedy)
  int target_step = -1;         // the targets: -1 "arrival time", else pi_t0 with this t0
  int cells = 0;                // non-wall cells trained on
  int reachable_cells = 0;      // cells the agent can act in; the greedy policy must match there
  int adam_steps = 0;           // steps taken when the stop test passed
  double loss = 0.0;            // mean cross-entropy over the last check_every steps
  double min_target_probability = 0.0;  // smallest pi(a* | s) over the reachable cells
  EvalResult check;             // the stochastic evaluation that passed the stop test
  // Exact statistics of the distilled stochastic policy in the true env (forward propagation of
  // the start state, envs/grid_solver.hpp evaluate_grid_policy): what check estimates.
  double exact_return = 0.0;
  double exact_violation_probability = 0.0;
  double wall_seconds = 0.0;    // solving, distilling and checking
};

namespace detail {

// The stationary target action of every cell ([row * cols + col], -1 on walls) for the candidate
// t0 (-1: arrival time, see the header comment).
template <int A>
std::vector<int> grid_targets(const envs::GridWorld<A>& world, const envs::GridSolution<A>& sol, int t0,
                              const std::vector<int>& arrival) {
  const envs::GridMap& m = world.map();
  std::vector<int> target(static_cast<std::size_t>(m.rows * m.cols), -1);
  for (int r = 0; r < m.rows; ++r)
    for (int c = 0; c < m.cols; ++c) {
      if (m.at(r, c) == envs::GridCell::kWall) continue;
      const int t = t0 >= 0 ? t0 : arrival[static_cast<std::size_t>(r * m.cols + c)];
      target[static_cast<std::size_t>(r * m.cols + c)] = sol.greedy_action(t, r, c);
    }
  return target;
}

// Return of the deterministic stationary policy `target` from the start in the true env.
template <int A>
double grid_stationary_return(const envs::GridWorld<A>& world, const std::vector<int>& target) {
  const envs::GridMap& m = world.map();
  int r = m.start_row, c = m.start_col;
  double ret = 0.0;
  for (int t = 0; t < m.max_steps; ++t) {
    const auto s1 = world.transition(r, c, target[static_cast<std::size_t>(r * m.cols + c)]);
    if (s1.unsafe) break;  // reward 0, episode over
    ret += s1.reward;
    if (s1.terminal) break;
    r = s1.row;
    c = s1.col;
  }
  return ret;
}

}  // namespace detail

// Solves true_env (a constrained grid world with terminate_on_violation) exactly and distils the
// result into policy (initialised here) with obs_norm reset to the identity; see the header
// comment. Throws icrl::Error if true_env does not end episodes on a violation or if the stop test
// fails after options.max_steps Adam steps.
template <class Env>
GridExpertResult distil_grid_expert(const Env& true_env, PolicyFor<Env>& policy,
                                    ObsNormalizer<Env::kObsDim>& obs_norm, const GridExpertOptions& options = {}) {
  static_assert(is_grid_env_v<Env>, "distil_grid_expert: Env must be a constrained grid world");
  constexpr int A = Env::kNumActions;
  constexpr int kBatch = 64;  // cells per Adam step (fixed-size network batches)
  using Policy = PolicyFor<Env>;
  using World = envs::GridWorld<A>;
  if (!true_env.config().terminate_on_violation)
    throw Error("grid expert: pass the true env (terminate_on_violation = true), where a step onto an X "
                "cell ends the episode; the solver's constrained policy is judged there");
  if (options.eval_episodes < 20 || options.max_steps < 1 || options.check_every < 1 || !(options.lr > 0.0))
    throw Error("grid expert: options need eval_episodes >= 20, max_steps >= 1, check_every >= 1, lr > 0");
  const auto t_start = std::chrono::steady_clock::now();
  const World& world = true_env.base();
  const envs::GridMap& m = world.map();
  const int n = m.rows * m.cols;
  auto at = [&](int r, int c) { return static_cast<std::size_t>(r * m.cols + c); };

  // ---- the exact solution and the stationary targets ----
  envs::GridSolveOptions solve;
  solve.constrained = true;
  const envs::GridSolution<A> sol = envs::solve_grid(world, solve);
  GridExpertResult out;
  out.solver_return = envs::evaluate_grid_policy(world, sol, true).expected_return;

  // Arrival time: the first step of the solver's episode on each cell, else the earliest safe step
  // (breadth-first from the start; goals end the episode and are not expanded). reachable = cells
  // the agent can act in.
  std::vector<int> arrival(static_cast<std::size_t>(n), -1);
  std::vector<char> reachable(static_cast<std::size_t>(n), 0);
  {
    std::vector<int> queue{m.start_row * m.cols + m.start_col};
    std::vector<int> dist(static_cast<std::size_t>(n), -1);
    dist[static_cast<std::size_t>(queue[0])] = 0;
    for (std::size_t q = 0; q < queue.size(); ++q) {
      const int s = queue[q], r = s / m.cols, c = s % m.cols;
      reachable[static_cast<std::size_t>(s)] = 1;
      for (int a = 0; a < A; ++a) {
        const auto s1 = world.transition(r, c, a);
        const int j = s1.row * m.cols + s1.col;
        if (s1.unsafe || s1.terminal || dist[static_cast<std::size_t>(j)] >= 0) continue;
        dist[static_cast<std::size_t>(j)] = dist[static_cast<std::size_t>(s)] + 1;
        queue.push_back(j);
      }
    }
    int r = m.start_row, c = m.start_col;
    for (int t = 0; t < m.max_steps; ++t) {
      if (arrival[at(r, c)] < 0) arrival[at(r, c)] = t;
      const auto s1 = world.transition(r, c, sol.greedy_action(t, r, c));
      if (s1.unsafe || s1.terminal) break;
      r = s1.row;
      c = s1.col;
    }
    for (int s = 0; s < n; ++s) {
      int& t = arrival[static_cast<std::size_t>(s)];
      if (t < 0) t = std::max(dist[static_cast<std::size_t>(s)], 0);
      t = std::min(t, m.max_steps - 1);
    }
  }
  std::vector<int> target = detail::grid_targets(world, sol, -1, arrival);
  out.target_return = detail::grid_stationary_return(world, target);
  for (int t0 = 0; t0 < m.max_steps; ++t0) {
    std::vector<int> cand = detail::grid_targets(world, sol, t0, arrival);
    const double ret = detail::grid_stationary_return(world, cand);
    if (ret > out.target_return) {
      out.target_return = ret;
      out.target_step = t0;
      target.swap(cand);
    }
  }
  const double threshold =
      out.target_return - (1.0 - options.min_return_fraction) * std::abs(out.target_return);

  // ---- the training set: every non-wall cell, observed as the env observes it ----
  obs_norm = ObsNormalizer<Env::kObsDim>();  // disabled: the identity
  std::vector<int> cells;
  for (int s = 0; s < n; ++s) {
    if (target[static_cast<std::size_t>(s)] < 0) continue;
    cells.push_back(s);
    out.reachable_cells += reachable[static_cast<std::size_t>(s)];
  }
  out.cells = static_cast<int>(cells.size());
  auto observe = [&](int s, auto col) {  // the policy's input for cell s into a float column
    Eigen::Matrix<float, Env::kObsDim, 1> x;
    obs_norm.normalize(world.observe(s / m.cols, s % m.cols), x);
    col = x;
  };

  Rng init_rng(options.seed, kInitStream);
  policy.init(init_rng, 0.0);
  Rng rng(options.seed, kTrainStream);
  auto adam = std::make_unique<Adam<float, Policy::Net::kNumParams>>();
  adam->config.lr = options.lr;
  auto ws = std::make_unique<typename Policy::template Workspace<kBatch>>();
  auto ws1 = std::make_unique<typename Policy::template Workspace<1>>();
  typename Policy::template ObsBatch<kBatch> obs;
  typename Policy::template ActBatch<kBatch> act;
  typename Policy::template Row<kBatch> logp, entropy, dlogp, dentropy;
  dlogp.setConstant(-1.0f / static_cast<float>(kBatch));  // d mean(-log pi) / d log pi
  dentropy.setZero();
  std::vector<int> order(cells.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::size_t next = order.size();  // position in the current shuffled pass

  // Reachable cells whose greedy action is not the target, and the smallest target probability.
  auto compare = [&](double& min_p) {
    int mismatches = 0;
    min_p = 1.0;
    typename Policy::template ObsBatch<1> o;
    typename Policy::template ActBatch<1> a;
    typename Policy::template Row<1> lp, h;
    for (int s : cells) {
      if (!reachable[static_cast<std::size_t>(s)]) continue;
      observe(s, o.col(0));
      a(0, 0) = static_cast<float>(target[static_cast<std::size_t>(s)]);
      policy.evaluate(o, a, *ws1, lp, h);
      Eigen::Index best = 0;
      ws1->log_pi.col(0).maxCoeff(&best);
      mismatches += best != target[static_cast<std::size_t>(s)];
      min_p = std::min(min_p, std::exp(static_cast<double>(lp(0))));
    }
    return mismatches;
  };

  // Exact statistics of the network's stochastic policy: a soft GridSolution with temperature 1,
  // Q = log pi and V = 0 has probabilities exp(Q - V) = pi, so evaluate_grid_policy propagates the
  // network's own policy through the true env.
  envs::GridSolveOptions soft;
  soft.constrained = true;
  soft.temperature = 1.0;
  envs::GridSolution<A> net_sol(m.max_steps, m.rows, m.cols, soft);
  auto exact = [&]() {
    typename Policy::template ObsBatch<1> o;
    typename Policy::template ActBatch<1> a;
    typename Policy::template Row<1> lp, h;
    a.setZero();
    for (int s : cells) {
      observe(s, o.col(0));
      policy.evaluate(o, a, *ws1, lp, h);
      for (int t = 0; t < m.max_steps; ++t)
        for (int k = 0; k < A; ++k) net_sol.q(t, s / m.cols, s % m.cols, k) = static_cast<double>(ws1->log_pi(k, 0));
    }
    return envs::evaluate_grid_policy(world, net_sol, true);
  };

  const std::uint64_t check_seed = options.seed ^ 0x5DEECE66DULL;
  double loss_sum = 0.0;
  int mismatches = 0;
  EvalResult check;
  for (int step = 1; step <= options.max_steps; ++step) {
    for (int b = 0; b < kBatch; ++b) {
      if (next == order.size()) {
        rng.shuffle(order.data(), static_cast<int>(order.size()));
        next = 0;
      }
      const int s = cells[static_cast<std::size_t>(order[next++])];
      observe(s, obs.col(b));
      act(0, b) = static_cast<float>(target[static_cast<std::size_t>(s)]);
    }
    policy.zero_grad();
    policy.evaluate(obs, act, *ws, logp, entropy);
    loss_sum += -static_cast<double>(logp.mean());
    policy.backward(act, dlogp, dentropy, *ws);
    adam->step(param_block(policy.net.theta, policy.net.grad));
    if (step % options.check_every != 0 && step != options.max_steps) continue;

    out.loss = loss_sum / (step % options.check_every == 0 ? options.check_every : step % options.check_every);
    loss_sum = 0.0;
    mismatches = compare(out.min_target_probability);
    check = evaluate_policy(policy, obs_norm, true_env, options.eval_episodes, check_seed, false);
    const envs::GridPolicyValue ex = exact();
    out.exact_return = ex.expected_return;
    out.exact_violation_probability = ex.violation_probability;
    if (options.progress) options.progress(step, out.loss, mismatches, check, ex);
    if (mismatches == 0 && check.mean_return >= threshold && check.violation_rate == 0.0 &&
        ex.expected_return >= threshold && ex.violation_probability <= options.max_violation_probability) {
      out.adam_steps = step;
      out.check = check;
      break;
    }
  }
  if (out.adam_steps == 0)
    throw Error("grid expert: after " + std::to_string(options.max_steps) +
                " Adam steps the distilled policy still fails the stop test: greedy action differs from the "
                "solver's in " + std::to_string(mismatches) + " of " + std::to_string(out.reachable_cells) +
                " reachable cells; stochastic true-env return " + std::to_string(check.mean_return) +
                " (needed " + std::to_string(threshold) + " = " + std::to_string(options.min_return_fraction) +
                " x the stationary target " + std::to_string(out.target_return) + "), violating episodes " +
                std::to_string(check.violation_rate) + " (needed 0); exact return " + std::to_string(out.exact_return) +
                ", exact probability of a violating episode " + std::to_string(out.exact_violation_probability) +
                " (needed <= " + std::to_string(options.max_violation_probability) +
                "); raise the step cap or the learning rate");

  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return out;
}

}  // namespace icrl::cli
