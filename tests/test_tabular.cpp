// tests/test_tabular.cpp - the exact forward step (icrl/tabular_mdp.hpp), the tabular ICRL loop
// (icrl/tabular_icrl.hpp), the tabular views of the envs (envs/tabular_models.hpp) and the
// generated grid family (envs/grid_family.hpp).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "envs/grid_family.hpp"
#include "envs/grid_solver.hpp"
#include "envs/tabular_models.hpp"
#include "icrl/tabular_icrl.hpp"

namespace {

const char* kLake =
    "actions = 4\nmax_steps = 20\ngoal_reward = 10\nstep_reward = -0.1\nmap:\n"
    ".....\n"
    "S.X.G\n"
    "..X..\n";

icrl::Demonstrations expert_demos(const icrl::TabularMdp& m, int episodes, double beta) {
  std::vector<double> bonus(static_cast<std::size_t>(m.num_keys), 0.0);
  for (int k = 0; k < m.num_keys; ++k)
    if (m.key_unsafe[static_cast<std::size_t>(k)]) bonus[static_cast<std::size_t>(k)] = -INFINITY;
  icrl::SoftPolicy pi(m);
  icrl::soft_value_iteration(m, beta, bonus.data(), pi);
  icrl::TabularEpisodes ep;
  ep.reserve(episodes, m.horizon);
  icrl::Rng rng(3u, 4u);
  icrl::sample_episodes(m, pi, episodes, rng, ep);
  return icrl::to_demonstrations(m, ep, m.name);
}

}  // namespace

TEST_CASE("soft value iteration equals the grid solver's soft solution, and its exact evaluation the solver's") {
  const auto world = icrl::envs::Grid::parse(kLake, "inline map");
  const icrl::TabularMdp m = icrl::envs::to_tabular(world, "lake");
  m.check();
  const double beta = 4.0;
  icrl::envs::GridSolveOptions o;
  o.temperature = 1.0 / beta;
  const auto sol = icrl::envs::solve_grid(world, o);
  std::vector<double> bonus(static_cast<std::size_t>(m.num_keys), 0.0);
  icrl::SoftPolicy pi(m);
  icrl::soft_value_iteration(m, beta, bonus.data(), pi);
  double p[4];
  for (int t = 0; t < m.horizon; t += 3)
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 5; ++c) {
        sol.probabilities(t, r, c, p);
        for (int a = 0; a < 4; ++a) CHECK(pi.probabilities(t, r * 5 + c)[a] == doctest::Approx(p[a]).epsilon(1e-9));
        // The solver's V is in reward units: V_ours = beta V_solver.
        CHECK(pi.value(t, r * 5 + c) == doctest::Approx(beta * sol.value(t, r, c)).epsilon(1e-9));
      }
  std::vector<double> work = icrl::policy_evaluation_buffer(m);
  const icrl::TabularPolicyValue v = icrl::evaluate_policy(m, pi, nullptr, work);
  const auto nominal = icrl::envs::evaluate_grid_policy(world, sol, false);
  const auto enforced = icrl::envs::evaluate_grid_policy(world, sol, true);
  CHECK(v.nominal_return == doctest::Approx(nominal.expected_return).epsilon(1e-9));
  CHECK(v.expected_violations == doctest::Approx(nominal.expected_violations).epsilon(1e-9));
  CHECK(v.violation_probability == doctest::Approx(nominal.violation_probability).epsilon(1e-9));
  CHECK(v.expected_length == doctest::Approx(nominal.expected_length).epsilon(1e-9));
  CHECK(v.true_return == doctest::Approx(enforced.expected_return).epsilon(1e-9));
  // A -infinity bonus removes the unsafe cells: the policy never enters one.
  for (int k = 0; k < m.num_keys; ++k)
    if (m.key_unsafe[static_cast<std::size_t>(k)]) bonus[static_cast<std::size_t>(k)] = -INFINITY;
  icrl::soft_value_iteration(m, beta, bonus.data(), pi);
  CHECK(icrl::evaluate_policy(m, pi, nullptr, work).expected_violations == 0.0);
}

TEST_CASE("tabular views: lap-grid keys (cell, action), a grid keys the cell it enters") {
  const icrl::TabularMdp lap = icrl::envs::to_tabular(icrl::envs::LapGrid());
  lap.check();
  CHECK(lap.num_keys == 80);
  CHECK(lap.next[static_cast<std::size_t>(lap.index(0, 1))] == 39);
  CHECK(lap.reward[static_cast<std::size_t>(lap.index(4, 0))] == 3.0);
  CHECK(lap.unsafe(7, 1));
  CHECK_FALSE(lap.unsafe(7, 0));
  const auto world = icrl::envs::Grid::parse(kLake, "inline map");
  const icrl::TabularMdp g = icrl::envs::to_tabular(world, "lake");
  // From (1, 1) east enters the X at (1, 2): key 7, unsafe; the observation maps back to the state.
  CHECK(g.key[static_cast<std::size_t>(g.index(6, 1))] == 7);
  CHECK(g.unsafe(6, 1));
  const auto obs = world.observe(1, 1);
  CHECK(g.state_of(obs.data()) == 6);
}

TEST_CASE("the backward step's gradient equals finite differences of its loss (icrl and bce)") {
  const auto world = icrl::envs::Grid::parse(kLake, "inline map");
  const icrl::TabularMdp m = icrl::envs::to_tabular(world, "lake");
  const icrl::Demonstrations d = expert_demos(m, 5, 5.0);
  for (const icrl::IcrlMethod method : {icrl::IcrlMethod::icrl, icrl::IcrlMethod::bc}) {
    icrl::TabularIcrlConfig c = icrl::tabular_defaults(method);
    if (method == icrl::IcrlMethod::icrl) c.update.regularizer = 0.3;
    c.outer_iterations = 2;
    c.update.backward_iterations = 2;
    icrl::TabularIcrlTrainer tr(c, m, d, "test demos", 7);
    tr.outer_iteration();  // fills S and moves zeta off 1/2
    if (method == icrl::IcrlMethod::icrl) tr.weights().setConstant(0.7f);
    tr.loss_and_gradient();
    const auto g = tr.gradient_buffer();
    for (const int k : {6, 7, 11, 12}) {
      const double h = 1e-6, theta = tr.constraint().logit(k);
      tr.constraint().logit(k) = theta + h;
      const double up = tr.loss_and_gradient();
      tr.constraint().logit(k) = theta - h;
      const double down = tr.loss_and_gradient();
      tr.constraint().logit(k) = theta;
      CHECK(g(k) == doctest::Approx((up - down) / (2 * h)).epsilon(1e-5));
    }
  }
}

TEST_CASE("tabular ICRL recovers a small map's unsafe cells and its agent reaches the expert; one seed, one run") {
  const auto world = icrl::envs::Grid::parse(kLake, "inline map");
  const icrl::TabularMdp m = icrl::envs::to_tabular(world, "lake");
  const icrl::Demonstrations d = expert_demos(m, 20, 20.0);
  auto run = [&] {
    icrl::TabularIcrlTrainer tr(icrl::tabular_defaults(), m, d, "test demos", 11);
    icrl::TabularOuterStats s;
    while (tr.iterations_done() < tr.config().outer_iterations) s = tr.outer_iteration();
    return std::make_pair(s, tr.constraint());
  };
  const auto [s, zeta] = run();
  CHECK(zeta.zeta(7) < 0.5);  // the X cell on the straight route
  CHECK(s.violations <= 0.01);
  CHECK(s.reward >= 0.9 * d.mean_return());
  const auto again = run();
  for (int k = 0; k < m.num_keys; ++k) CHECK(again.second.logit(k) == zeta.logit(k));
}

TEST_CASE("tabular ICRL: settings and demonstrations are checked, naming the field, file, episode and step") {
  const auto world = icrl::envs::Grid::parse(kLake, "inline map");
  const icrl::TabularMdp m = icrl::envs::to_tabular(world, "lake");
  icrl::Demonstrations d = expert_demos(m, 2, 5.0);
  icrl::TabularIcrlConfig c = icrl::tabular_defaults(icrl::IcrlMethod::bc);
  c.update.loss = icrl::ConstraintLoss::icrl;
  CHECK_THROWS_WITH(icrl::TabularIcrlTrainer(c, m, d, "d.demos", 1), doctest::Contains("'update.loss'"));
  c = icrl::tabular_defaults();
  c.update.loss = icrl::ConstraintLoss::bce;
  CHECK_THROWS_WITH(icrl::TabularIcrlTrainer(c, m, d, "d.demos", 1), doctest::Contains("'update.loss'"));
  c = icrl::tabular_defaults();
  c.beta = -1;
  CHECK_THROWS_WITH(icrl::TabularIcrlTrainer(c, m, d, "d.demos", 1), doctest::Contains("'beta'"));
  d.observations(0, 1) = 0.77;
  CHECK_THROWS_WITH(icrl::TabularIcrlTrainer(icrl::tabular_defaults(), m, d, "d.demos", 1),
                    doctest::Contains("'d.demos': episode 0, step 1"));
  d = expert_demos(m, 2, 5.0);
  d.actions(0, 0) = 5;
  CHECK_THROWS_WITH(icrl::TabularIcrlTrainer(icrl::tabular_defaults(), m, d, "d.demos", 1), doctest::Contains("action 5"));
}

TEST_CASE("tabular ICRL: a constraint of kMaxConstraintKeys (a 96 x 96 map keyed by cell) is accepted, one key more refused") {
  static_assert(icrl::kMaxConstraintKeys >= 96 * 96, "navigation at 0.25 units needs a 96 x 96 table");
  icrl::TabularMdp m;  // one state, one action that ends the episode; keys beyond 0 are never read
  m.name = "wide";
  m.num_states = 1;
  m.num_actions = 1;
  m.horizon = 1;
  m.obs_dim = 1;
  m.observation = {0.0};
  m.next = {0};
  m.reward = {1.0};
  m.terminal = {1};
  m.key = {0};
  m.num_keys = icrl::kMaxConstraintKeys;
  m.key_unsafe.assign(static_cast<std::size_t>(m.num_keys), 0);
  const icrl::Demonstrations d = expert_demos(m, 2, 1.0);
  icrl::TabularIcrlTrainer tr(icrl::tabular_defaults(), m, d, "d.demos", 1);
  CHECK(tr.outer_iteration().reward == doctest::Approx(1.0));
  m.num_keys = icrl::kMaxConstraintKeys + 1;
  m.key_unsafe.assign(static_cast<std::size_t>(m.num_keys), 0);
  CHECK_THROWS_WITH(icrl::TabularIcrlTrainer(icrl::tabular_defaults(), m, d, "d.demos", 1), doctest::Contains("num_keys"));
}

TEST_CASE("the learned table is saved and loaded with magic, version and checksum") {
  icrl::TabularConstraint z;
  z.task = "lake";
  z.method = "icrl";
  z.num_keys = 15;
  for (int k = 0; k < 15; ++k) z.logit(k) = 0.25 * k - 1.0;
  const std::string path = std::string(ICRL_TEST_TMPDIR) + "/tabular.ckpt";
  z.save(path);
  const icrl::TabularConstraint y = icrl::TabularConstraint::load(path);
  CHECK(y.task == "lake");
  CHECK(y.num_keys == 15);
  for (int k = 0; k < 15; ++k) CHECK(y.logit(k) == z.logit(k));
  CHECK_THROWS_WITH(icrl::TabularConstraint::load(std::string(ICRL_TEST_TMPDIR) + "/none.ckpt"), doctest::Contains("none.ckpt"));
}

TEST_CASE("the grid family: deterministic tasks whose constrained optimum differs from the nominal one") {
  for (int k = 0; k < 4; ++k) {
    const auto a = icrl::envs::make_grid_task(1, k), b = icrl::envs::make_grid_task(1, k);
    CHECK(a.map.to_text() == b.map.to_text());
    CHECK(a.demos.observations == b.demos.observations);
    CHECK(a.demos.episodes() == 20);
    CHECK(a.demos.violations() == 0);
    CHECK(a.unsafe_cells > 0);
    CHECK(a.expert_return >= 5.0);
    CHECK(a.nominal_return > a.expert_return);
    CHECK(a.map.rows >= 7);
    CHECK(a.map.rows <= 12);
  }
  CHECK(icrl::envs::make_grid_task(1, 0).map.to_text() != icrl::envs::make_grid_task(2, 0).map.to_text());
}
