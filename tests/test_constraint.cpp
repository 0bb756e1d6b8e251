// tests/test_constraint.cpp - the constraint network zeta (eq. (5)), its inputs, the importance
// weights (eq. (10)), the KL estimates (eq. (12)), the backward step (eq. (11) + (8)), constraint
// files, and Algorithm 1 end to end on a small lap-grid run.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "envs/lap_grid.hpp"
#include "envs/learned_map.hpp"
#include "envs/point_circle.hpp"
#include "envs/vec_env.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/constraint_update.hpp"
#include "icrl/icrl_trainer.hpp"
#include "lap_demos.hpp"
#include "trainers.hpp"
#include "icrl/importance_weights.hpp"

using namespace icrl;

namespace {

std::string tmp_path(const std::string& name) { return std::string(ICRL_TEST_TMPDIR) + "/" + name; }

using test::LapZeta;

LapZeta lap_zeta(std::uint64_t seed) {
  LapZeta z;
  z.configure(LapZeta::default_features<envs::LapGridConstrained>(), 1, 1, "lap-grid");
  Rng rng(seed, 0u);
  z.init(rng);
  return z;
}

using test::forward_demos;

}  // namespace

TEST_CASE("zeta's inputs: observations clipped to +-20, actions to their bounds, discrete actions one-hot") {
  using Z = ConstraintNet<4, 20>;
  Z z;
  z.configure({ConstraintFeature::obs(0), ConstraintFeature::obs(1), ConstraintFeature::action(0, -0.25, 0.25),
               ConstraintFeature::one_hot(2)},
              2, 1, "test");
  Eigen::Matrix<float, 4, 2> x;
  const double obs0[2] = {35.0, -3.5}, act0[1] = {2.0};
  const double obs1[2] = {-99.0, 0.5}, act1[1] = {-0.1};
  z.encode(obs0, act0, x, 0);
  z.encode(obs1, act1, x, 1);
  CHECK(x(0, 0) == 20.0f);
  CHECK(x(1, 0) == -3.5f);
  CHECK(x(2, 0) == 0.25f);
  CHECK(x(3, 0) == 1.0f);  // a = 2
  CHECK(x(0, 1) == -20.0f);
  CHECK(x(2, 1) == doctest::Approx(-0.1));
  CHECK(x(3, 1) == 0.0f);
  // A feature the env does not have is refused with the feature named.
  Z bad;
  try {
    bad.configure(z.features, 1, 1, "lap-grid");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("s1") != std::string::npos);
    CHECK(std::string(e.what()).find("lap-grid") != std::string::npos);
  }
}

TEST_CASE("eq. (12): the KL estimates are >= 0, zero for equal log-ratios, and match a worked example") {
  const double equal[3] = {0.7, 0.7, 0.7};
  const KlEstimates k0 = kl_estimates(equal, 3);
  CHECK(k0.forward == doctest::Approx(0.0).epsilon(1e-12));
  CHECK(k0.reverse == doctest::Approx(0.0).epsilon(1e-12));
  // l = [0, log 2]: logmeanexp = log 1.5, mean = log(2) / 2, softmax = [1/3, 2/3].
  const double l[2] = {0.0, std::log(2.0)};
  const KlEstimates k = kl_estimates(l, 2);
  CHECK(k.forward == doctest::Approx(std::log(1.5) - std::log(2.0) / 2).epsilon(1e-12));
  CHECK(k.reverse == doctest::Approx(2.0 / 3.0 * std::log(2.0) - std::log(1.5)).epsilon(1e-12));
  // Huge log-ratios (products of 1000 ratios) stay finite.
  const double big[2] = {-3000.0, 2500.0};
  const KlEstimates kb = kl_estimates(big, 2);
  CHECK(std::isfinite(kb.forward));
  CHECK(std::isfinite(kb.reverse));
  CHECK(kb.forward == doctest::Approx(2500.0 - std::log(2.0) - (-250.0)));
}

TEST_CASE("eq. (10): per-step and per-episode importance weights, mean 1, in log space") {
  // Two episodes of 1000 steps: zeta doubled on every step of episode 0, unchanged on episode 1.
  const int L = 1000;
  Eigen::VectorXf old_z = Eigen::VectorXf::Constant(2 * L, 0.25f), new_z = old_z;
  new_z.head(L).setConstant(0.5f);
  const std::vector<Eigen::Index> starts = {0, L, 2 * L};
  Eigen::VectorXd log_r(2 * L), ell(2);
  log_ratios(new_z, old_z, starts, log_r, ell);
  const double lr = std::log((0.5 + 1e-5) / (0.25 + 1e-5));
  CHECK(ell(0) == doctest::Approx(L * lr).epsilon(1e-9));  // ~693: exp() of it overflows float
  CHECK(ell(1) == 0.0);
  Eigen::VectorXf w(2 * L);
  importance_weights(ImportanceMode::per_episode, log_r, ell, starts, w);
  // K softmax(l): episode 0 takes (almost) all the weight, 2 x 1.
  CHECK(w(0) == doctest::Approx(2.0));
  CHECK(w(L) == doctest::Approx(0.0).epsilon(1e-12));
  CHECK(w.allFinite());
  importance_weights(ImportanceMode::per_step, log_r, ell, starts, w);
  // r = ~2 on episode 0, 1 on episode 1: w = r / mean(r) = 4/3 and 2/3.
  const double r0 = std::exp(lr);
  CHECK(w(3) == doctest::Approx(r0 / ((r0 + 1) / 2)).epsilon(1e-5));
  CHECK(w(L + 3) == doctest::Approx(1 / ((r0 + 1) / 2)).epsilon(1e-5));
  CHECK(w.cast<double>().mean() == doctest::Approx(1.0).epsilon(1e-6));
  importance_weights(ImportanceMode::off, log_r, ell, starts, w);
  CHECK(w.minCoeff() == 1.0f);
  CHECK(w.maxCoeff() == 1.0f);
}

TEST_CASE("eq. (11) + (8): the analytic gradient of the backward loss matches finite differences") {
  ConstraintUpdateConfig c;
  c.regularizer = 0.5;
  auto learner = std::make_unique<ConstraintLearner<LapZeta, 16>>(c, 64, 4);
  learner->zeta = lap_zeta(3);
  PairBuffer<3> D(40, 2), S(40, 4);
  Rng rng(11u, 0u);
  for (int k = 0; k < 2; ++k) {
    for (int t = 0; t < 15; ++t) {
      const double o = rng.uniform() * 2 - 1, a = 0;
      D.add(learner->zeta, &o, &a);
    }
    D.end_episode();
  }
  for (int k = 0; k < 3; ++k) {
    for (int t = 0; t < 9; ++t) {
      const double o = rng.uniform() * 2 - 1, a = static_cast<double>(rng.uniform_int(2));
      S.add(learner->zeta, &o, &a);
    }
    S.end_episode();
  }
  REQUIRE(S.size() == 27);  // two chunks of 16, the second padded
  for (int t = 0; t < 27; ++t) learner->weights()(t) = 0.5f + 0.04f * t;  // any fixed weights
  learner->zeta.net.zero_grad();
  learner->icrl_loss(D, S, true);
  const auto grad = learner->zeta.net.grad;
  for (int p : {0, 5, 20, 41, 60, 80}) {
    const float keep = learner->zeta.net.theta(p);
    const float h = 1e-2f;
    learner->zeta.net.theta(p) = keep + h;
    const double up = learner->icrl_loss(D, S, false);
    learner->zeta.net.theta(p) = keep - h;
    const double down = learner->icrl_loss(D, S, false);
    learner->zeta.net.theta(p) = keep;
    CHECK(grad(p) == doctest::Approx((up - down) / (2 * h)).epsilon(2e-2).scale(1e-2));
  }
}

TEST_CASE("the backward step separates expert from nominal pairs; early stopping and B are honoured") {
  const Demonstrations demos = forward_demos(4, 50);
  ConstraintUpdateConfig c;
  c.backward_iterations = 30;
  c.lr = 0.01;
  auto learner = std::make_unique<ConstraintLearner<LapZeta>>(c, 400, 8);
  learner->zeta = lap_zeta(5);
  const PairBuffer<3> D = PairBuffer<3>::from_demonstrations(learner->zeta, demos, "demos");
  CHECK(D.size() == 200);
  CHECK(D.episodes() == 4);
  // Nominal: episode k steps backward on every (k + 2)-th step (episodes differ, so the KL
  // estimates, which compare episodes, are not 0).
  PairBuffer<3> S(400, 8);
  for (int k = 0; k < 4; ++k) {
    for (int t = 0; t < 50; ++t) {
      const double o = (t % 40) / 20.0 - 1.0, a = t % (k + 2) == 0 ? 1 : 0;
      S.add(learner->zeta, &o, &a);
    }
    S.end_episode();
  }
  SUBCASE("without early stopping all B steps run and backward becomes the constraint") {
    learner->zeta = lap_zeta(5);
    auto l2 = std::make_unique<ConstraintLearner<LapZeta>>([&] {
      ConstraintUpdateConfig cc = c;
      cc.early_stopping = false;
      return cc;
    }(), 400, 8);
    l2->zeta = lap_zeta(5);
    const BackwardStats st = l2->backward(D, S, 0);
    CHECK(st.iterations_done == 30);
    CHECK_FALSE(st.stopped_early);
    CHECK(st.loss_last < st.loss_first);
    const double o = 0.0, fwd = 0, bwd = 1;
    CHECK(l2->zeta.zeta(&o, &fwd) > l2->zeta.zeta(&o, &bwd));
    CHECK(st.zeta_expert > st.zeta_nominal);
    CHECK(st.kl_forward > 0);
  }
  SUBCASE("tiny KL limits stop the loop after the first update") {
    auto l3 = std::make_unique<ConstraintLearner<LapZeta>>([&] {
      ConstraintUpdateConfig cc = c;
      cc.kl_forward_limit = cc.kl_reverse_limit = 1e-9;
      return cc;
    }(), 400, 8);
    l3->zeta = lap_zeta(5);
    const BackwardStats st = l3->backward(D, S, 0);
    CHECK(st.stopped_early);
    CHECK(st.iterations_done == 1);
  }
  SUBCASE("the step size anneals as lr_0 anneal^i") {
    auto l4 = std::make_unique<ConstraintLearner<LapZeta>>([&] {
      ConstraintUpdateConfig cc = c;
      cc.anneal = 0.9;
      return cc;
    }(), 400, 8);
    l4->zeta = lap_zeta(5);
    CHECK(l4->backward(D, S, 3).lr == doctest::Approx(0.01 * 0.9 * 0.9 * 0.9));
  }
  SUBCASE("binary cross-entropy (the baselines) lowers its loss") {
    auto l5 = std::make_unique<ConstraintLearner<LapZeta>>([&] {
      ConstraintUpdateConfig cc = c;
      cc.loss = ConstraintLoss::bce;
      return cc;
    }(), 400, 8);
    l5->zeta = lap_zeta(5);
    const BackwardStats st = l5->backward(D, S, 0);
    CHECK(st.iterations_done == 30);
    CHECK(st.loss_last < st.loss_first);
  }
  SUBCASE("pin_zeta puts the pin_quantile-quantile of zeta over D at pin_zeta after every step") {
    for (const double pin : {0.9, 0.5}) {
      auto l6 = std::make_unique<ConstraintLearner<LapZeta>>([&] {
        ConstraintUpdateConfig cc = c;
        cc.early_stopping = false;
        cc.pin_zeta = pin;
        cc.pin_quantile = 0.25;
        return cc;
      }(), 400, 8);
      l6->zeta = lap_zeta(5);
      // A free level drifts far from the pin within 30 steps without the regulariser.
      const BackwardStats st = l6->backward(D, S, 0);
      CHECK(st.iterations_done == 30);
      Eigen::VectorXf z(D.size());
      l6->evaluate(D, z);
      std::vector<float> sorted(z.data(), z.data() + z.size());
      std::sort(sorted.begin(), sorted.end());
      CHECK(sorted[static_cast<std::size_t>(0.25 * D.size())] == doctest::Approx(pin).epsilon(1e-3));
      const double o = 0.0, fwd = 0, bwd = 1;
      CHECK(l6->zeta.zeta(&o, &fwd) > l6->zeta.zeta(&o, &bwd));  // the shape is still learned
    }
    ConstraintUpdateConfig cc = c;
    cc.pin_zeta = 1.0;
    CHECK_THROWS_WITH_AS(ConstraintLearner<LapZeta>::validated(cc), doctest::Contains("pin_zeta"), Error);
  }
  SUBCASE("bad settings are refused, naming the key") {
    ConstraintUpdateConfig cc = c;
    cc.anneal = 1.5;
    CHECK_THROWS_WITH_AS(ConstraintLearner<LapZeta>::validated(cc), doctest::Contains("zeta_anneal"), Error);
  }
}

TEST_CASE("lower_quantile: the element of rank floor(q n), clamped to the last, in any order") {
  auto q = [](double p) {
    double v[] = {5.0, 1.0, 4.0, 2.0, 3.0};
    return lower_quantile(v, 5, p);
  };
  CHECK(q(0.0) == 1.0);
  CHECK(q(0.1) == 1.0);
  CHECK(q(0.39) == 2.0);
  CHECK(q(0.5) == 3.0);
  CHECK(q(1.0) == 5.0);
  double one[] = {-7.0};
  CHECK(lower_quantile(one, 1, 0.9) == -7.0);
}

TEST_CASE("the learned cost: 1 - zeta, -log zeta, and relative to the expert's level (graded or 0/1)") {
  CHECK(learned_cost(LearnedCost::one_minus_zeta, 0.25) == doctest::Approx(0.75));
  CHECK(learned_cost(LearnedCost::neg_log_zeta, 0.25) == doctest::Approx(-std::log(0.25 + 1e-5)));
  const double level = std::log(0.9 + 1e-5);
  CHECK(learned_cost(LearnedCost::expert_relative, 0.95, level) == 0.0);  // more allowed than the expert: free
  CHECK(learned_cost(LearnedCost::expert_relative, 0.9, level) == doctest::Approx(0.0).scale(1));
  CHECK(learned_cost(LearnedCost::expert_relative, 0.09, level) == doctest::Approx(std::log(10.0)).epsilon(1e-4));
  CHECK(learned_cost(LearnedCost::expert_relative, 0.009, level) == doctest::Approx(std::log(100.0)).epsilon(1e-3));
  CHECK(learned_cost(LearnedCost::expert_indicator, 0.95, level) == 0.0);  // above the expert's line: free
  CHECK(learned_cost(LearnedCost::expert_indicator, 0.9, level) == 0.0);   // on the line: free
  CHECK(learned_cost(LearnedCost::expert_indicator, 0.89, level) == 1.0);  // below it: a violation
  CHECK(learned_cost(LearnedCost::expert_indicator, 0.0, level) == 1.0);
  for (const LearnedCost form : {LearnedCost::one_minus_zeta, LearnedCost::neg_log_zeta, LearnedCost::expert_relative,
                                 LearnedCost::expert_indicator}) {
    LearnedCost parsed = form == LearnedCost::one_minus_zeta ? LearnedCost::neg_log_zeta : LearnedCost::one_minus_zeta;
    CHECK(parse_learned_cost(learned_cost_name(form), parsed));
    CHECK(parsed == form);
  }
  CHECK(cost_has_level(LearnedCost::expert_relative));
  CHECK(cost_has_level(LearnedCost::expert_indicator));
  CHECK_FALSE(cost_has_level(LearnedCost::one_minus_zeta));
  LearnedCost unparsed = LearnedCost::one_minus_zeta;
  CHECK_FALSE(parse_learned_cost("indicator", unparsed));
  IcrlConfig ic;
  ic.expert_quantile = 1.5;
  using Trainer = test::LapTrainer;
  CHECK_THROWS_WITH_AS(Trainer::validated(ic), doctest::Contains("expert_quantile"), Error);
}

TEST_CASE("constraint files: round trip, query, and clear errors for another shape or a damaged file") {
  LapZeta z = lap_zeta(7);
  z.method = "icrl";
  const std::string path = tmp_path("lap.constraint.ckpt");
  z.save(path);
  const LapZeta back = LapZeta::load_file(path);
  CHECK(back.net.theta == z.net.theta);
  CHECK(back.env == "lap-grid");
  CHECK(back.method == "icrl");
  CHECK(back.describe() == z.describe());
  const double o = 0.3, a = 1;
  CHECK(back.cost(&o, &a) == doctest::Approx(1.0 - z.zeta(&o, &a)));
  // Another architecture: refused with both shapes named.
  try {
    ConstraintNet<3, 40, 40>::load_file(path);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("architecture") != std::string::npos);
    CHECK(std::string(e.what()).find(path) != std::string::npos);
  }
  // A flipped byte: the checksum catches it.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x7f');
  }
  CHECK_THROWS_AS(LapZeta::load_file(path), Error);
  // Not a constraint file at all.
  CHECK_THROWS_WITH_AS(LapZeta::load_file(tmp_path("no-such-file.ckpt")), doctest::Contains("no-such-file"), Error);
}

TEST_CASE("Algorithm 1 on lap-grid: the cost paid is 1 - zeta, runs are bit-identical per seed, the map prints") {
  using Env = envs::LapGridConstrained;
  using Trainer = test::LapTrainer;
  PpoConfig pc;
  pc.n_steps = 256;
  pc.minibatch_size = 128;
  pc.epochs = 2;
  IcrlConfig ic;
  ic.forward_steps = 512;
  ic.nominal_episodes = 3;
  ic.eval_episodes = 2;
  ic.update.backward_iterations = 5;
  const Demonstrations demos = forward_demos(3, 200);
  Env::Config nominal_cfg;
  nominal_cfg.terminate_on_violation = false;
  const Env nominal(nominal_cfg), true_env;
  LapZeta proto;
  proto.configure(LapZeta::default_features<Env>(), 1, 1, "lap-grid");
  auto run = [&](std::uint64_t seed) {
    auto t = std::make_unique<Trainer>(ic, pc, seed, nominal, true_env, proto, &demos, "demos");
    OuterStats s;
    for (int i = 0; i < 2; ++i) s = t->outer_iteration();
    return std::make_pair(std::move(t), s);
  };
  auto [a, sa] = run(4);
  auto [b, sb] = run(4);
  CHECK(a->constraint().net.theta == b->constraint().net.theta);
  CHECK(sa.reward == sb.reward);
  CHECK(sa.violations == sb.violations);
  CHECK(sa.env_steps == 1024);
  CHECK(sa.iteration == 2);
  CHECK(sa.backward.iterations_done >= 1);
  const std::string map = envs::learned_map(envs::LapGrid(), a->constraint());
  CHECK(map.find("forward ") != std::string::npos);
  CHECK(map.find("backward") != std::string::npos);

  // A frozen constant zeta = sigmoid(b) (all weights 0, output bias b): every step pays 1 - zeta.
  LapZeta constant = proto;
  constant.net.theta.setZero();
  constant.net.theta(LapZeta::Net::kNumParams - 1) = 1.5f;
  IcrlConfig frozen = ic;
  frozen.freeze_constraint = true;
  auto t = std::make_unique<Trainer>(frozen, pc, 4, nominal, true_env, constant, nullptr, "");
  const OuterStats s = t->outer_iteration();
  CHECK(s.learned_cost == doctest::Approx(1.0 - 1.0 / (1.0 + std::exp(-1.5))).epsilon(1e-6));
  CHECK(s.backward.iterations_done == 0);  // frozen: no backward step
  CHECK(t->constraint().net.theta == constant.net.theta);
  // log_zeta_reward = w: the forward step is plain PPO (nu 0) on r + w log(zeta + 1e-5), the cost
  // column left as the env gave it; the learned cost is still measured.
  {
    IcrlConfig il = frozen;
    il.log_zeta_reward = 2.0;
    auto tl = std::make_unique<Trainer>(il, pc, 4, nominal, true_env, constant, nullptr, "");
    CHECK_FALSE(tl->agent().config().use_cost);
    CHECK(t->agent().config().use_cost);
    using Hook = StepHook<Env, Trainer::E>;
    Hook::ObsBatch obs = Hook::ObsBatch::Zero();
    Hook::Actions actions{};
    Hook::Column reward = Hook::Column::Constant(3.0), cost = Hook::Column::Constant(0.5);
    tl->agent().step_hook()->on_step(obs, actions, reward, cost);
    const double zeta = 1.0 / (1.0 + std::exp(-1.5));
    CHECK(reward(0) == doctest::Approx(3.0 + 2.0 * std::log(zeta + 1e-5)).epsilon(1e-6));
    CHECK(cost(0) == 0.5);
    const OuterStats sl = tl->outer_iteration();
    CHECK(sl.nu == 0.0);
    CHECK(sl.learned_cost == doctest::Approx(s.learned_cost).epsilon(1e-6));
    il.expert_budget = true;
    CHECK_THROWS_WITH_AS(Trainer(il, pc, 4, nominal, true_env, constant, nullptr, ""), doctest::Contains("log_zeta_reward"), Error);
  }
  // The forward step's entropy bonus decays as entropy_coef anneal^i (i = the outer iteration).
  {
    PpoConfig pe = pc;
    pe.entropy_coef = 0.1;
    IcrlConfig ie = ic;
    ie.entropy_anneal = 0.5;
    auto te = std::make_unique<Trainer>(ie, pe, 4, nominal, true_env, proto, &demos, "demos");
    te->outer_iteration();
    CHECK(te->agent().config().entropy_coef == 0.1);
    te->outer_iteration();
    CHECK(te->agent().config().entropy_coef == doctest::Approx(0.05).epsilon(1e-15));
    ie.entropy_anneal = 0.0;
    CHECK_THROWS_WITH_AS(Trainer(ie, pe, 4, nominal, true_env, proto, &demos, "demos"), doctest::Contains("entropy_anneal"), Error);
  }
  // expert_budget: each outer iteration's forward step has alpha = mean over D of 1 - zeta, zeta
  // as the previous backward step left it; off, alpha stays the PpoConfig's.
  {
    IcrlConfig ib = ic;
    ib.expert_budget = true;
    auto tb = std::make_unique<Trainer>(ib, pc, 4, nominal, true_env, proto, &demos, "demos");
    for (int i = 0; i < 2; ++i) {
      const PairBuffer<LapZeta::kIn>& D = tb->expert_pairs();
      double cost = 0.0;
      for (Eigen::Index t = 0; t < D.size(); ++t) {
        const double a = D.x(2, t) > 0.5f ? 1.0 : 0.0;  // the action back from its one-hot [a=1]
        const double o = D.x(0, t);
        cost += tb->constraint().cost(&o, &a);
      }
      const OuterStats st = tb->outer_iteration();
      CHECK(st.budget == doctest::Approx(cost / static_cast<double>(D.size())).epsilon(1e-5));
      CHECK(tb->agent().budget() == st.budget);
    }
    CHECK(sa.budget == pc.multiplier.budget);
  }
  // nominal_memory = 2: S holds this and the previous iteration's M episodes, the oldest dropped.
  {
    IcrlConfig im = ic;
    im.nominal_memory = 2;
    auto tm = std::make_unique<Trainer>(im, pc, 4, nominal, true_env, proto, &demos, "demos");
    auto t1 = std::make_unique<Trainer>(ic, pc, 4, nominal, true_env, proto, &demos, "demos");
    tm->outer_iteration();
    t1->outer_iteration();
    CHECK(tm->nominal_pairs().episodes() == 3);
    const Eigen::MatrixXf first = t1->nominal_pairs().x.leftCols(t1->nominal_pairs().size());
    tm->outer_iteration();
    t1->outer_iteration();
    const auto& S = tm->nominal_pairs();
    REQUIRE(S.episodes() == 6);
    // The first three episodes are iteration 1's (the same in both runs); the last three are new.
    CHECK(S.x.leftCols(first.cols()) == first);
    const Eigen::MatrixXf second = t1->nominal_pairs().x.leftCols(t1->nominal_pairs().size());
    CHECK(S.size() == first.cols() + second.cols());
    CHECK(S.x.middleCols(first.cols(), second.cols()) == second);
    // Iteration 3 drops iteration 1's episodes: iteration 2's move to the front.
    tm->outer_iteration();
    REQUIRE(tm->nominal_pairs().episodes() == 6);
    CHECK(tm->nominal_pairs().starts.front() == 0);
    CHECK(tm->nominal_pairs().x.leftCols(second.cols()) == second);
  }
  // Learning without demonstrations is refused.
  CHECK_THROWS_WITH_AS(Trainer(ic, pc, 4, nominal, true_env, proto, nullptr, ""), doctest::Contains("demonstrations"), Error);
}
