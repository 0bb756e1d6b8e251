// tests/test_ppo.cpp - the parts of Lagrangian PPO (eq. (9), SPEC section 3) checked on their own:
// GAE with truncation bootstrapping, the policy heads' gradients against finite differences and
// their sampling statistics, running normalisation, the Lagrange multiplier rules (with the bound
// nu_max and a budget changed at run time), the per-minibatch advantage scaling, policy files,
// config validation, non-finite environments, and the trainer's determinism.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "envs/cartpole.hpp"
#include "envs/pendulum.hpp"
#include "envs/vec_env.hpp"
#include "icrl/gae.hpp"
#include "icrl/lagrange_multiplier.hpp"
#include "icrl/policy.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/running_stats.hpp"
#include "trainers.hpp"

#ifndef ICRL_TEST_TMPDIR
#define ICRL_TEST_TMPDIR "."
#endif

using icrl::Rng;

namespace {

std::string tmp_path(const std::string& name) { return std::string(ICRL_TEST_TMPDIR) + "/" + name; }

// ---- GAE reference: the textbook recursion written out per case --------------------------------
TEST_CASE("GAE: termination does not bootstrap, truncation bootstraps from the final observation") {
  // One copy, T = 4: steps 0, 1 continue; step 1 is truncated (episode 1 ends, V(s_T) = 5);
  // step 2 continues; step 3 terminates.
  const double g = 0.9, l = 0.8;
  Eigen::VectorXd r(4), v(4), boot(4), adv(4), ret(4);
  Eigen::Matrix<unsigned char, Eigen::Dynamic, 1> done(4);
  r << 1.0, 2.0, 3.0, 4.0;
  v << 0.5, 0.25, -1.0, 2.0;
  done << 0, 1, 0, 1;
  boot << 0.0, 5.0, 0.0, 0.0;  // truncation at step 1 bootstraps V = 5; termination at 3 uses 0
  Eigen::VectorXd last(1);
  last << 100.0;  // must be ignored: the last step is done
  icrl::compute_gae(r, v, done, boot, last, 4, 1, g, l, adv, ret);
  const double d3 = 4.0 + 0.0 - 2.0;
  const double d2 = 3.0 + g * 2.0 - (-1.0);
  const double d1 = 2.0 + g * 5.0 - 0.25;
  const double d0 = 1.0 + g * 0.25 - 0.5;
  const double a3 = d3, a2 = d2 + g * l * a3, a1 = d1, a0 = d0 + g * l * a1;
  CHECK(adv(3) == doctest::Approx(a3).epsilon(1e-14));
  CHECK(adv(2) == doctest::Approx(a2).epsilon(1e-14));
  CHECK(adv(1) == doctest::Approx(a1).epsilon(1e-14));
  CHECK(adv(0) == doctest::Approx(a0).epsilon(1e-14));
  for (int i = 0; i < 4; ++i) CHECK(ret(i) == doctest::Approx(adv(i) + v(i)).epsilon(1e-14));
}

TEST_CASE("GAE: E interleaved copies are independent; the buffer end bootstraps from last_value") {
  const int T = 3, E = 2;
  Eigen::VectorXd r(T * E), v(T * E), boot = Eigen::VectorXd::Zero(T * E), adv(T * E), ret(T * E);
  Eigen::Matrix<unsigned char, Eigen::Dynamic, 1> done = Eigen::Matrix<unsigned char, Eigen::Dynamic, 1>::Zero(T * E);
  r << 1, 10, 2, 20, 3, 30;  // copy 0: 1, 2, 3; copy 1: 10, 20, 30
  v << 0.1, 1, 0.2, 2, 0.3, 3;
  Eigen::VectorXd last(2);
  last << 7.0, -7.0;
  icrl::compute_gae(r, v, done, boot, last, T, E, 0.99, 0.95, adv, ret);
  for (int e = 0; e < E; ++e) {
    double next_v = last(e), a = 0.0;
    for (int t = T - 1; t >= 0; --t) {
      const int i = t * E + e;
      a = r(i) + 0.99 * next_v - v(i) + 0.99 * 0.95 * a;
      next_v = v(i);
      CHECK(adv(i) == doctest::Approx(a).epsilon(1e-13));
    }
  }
}

// ---- policy heads: gradients against central differences ---------------------------------------
// L = sum_b w_b log pi(a_b|s_b) + sum_b u_b H(s_b): backward(dlogp = w, dentropy = u) must give dL/dtheta.
template <class Policy, int B>
double probe(const Policy& p, const typename Policy::template ObsBatch<B>& obs,
             const typename Policy::template ActBatch<B>& act, const Eigen::Matrix<float, 1, B>& w,
             const Eigen::Matrix<float, 1, B>& u) {
  auto ws = std::make_unique<typename Policy::template Workspace<B>>();
  Eigen::Matrix<float, 1, B> logp, ent;
  p.evaluate(obs, act, *ws, logp, ent);
  return static_cast<double>(w.cwiseProduct(logp).sum() + u.cwiseProduct(ent).sum());
}

template <class Policy>
void check_policy_gradient(std::uint64_t seed) {
  constexpr int B = 8;
  Rng rng(seed, 3u);
  auto p = std::make_unique<Policy>();
  p->init(rng, -0.3);
  // A larger head than the 0.01 init so the check is not dominated by rounding.
  p->net.init_orthogonal(rng, 1.0, 1.0);
  typename Policy::template ObsBatch<B> obs;
  for (int i = 0; i < obs.size(); ++i) obs(i) = static_cast<float>(rng.normal());
  auto ws = std::make_unique<typename Policy::template Workspace<B>>();
  typename Policy::template ActBatch<B> act;
  Eigen::Matrix<float, 1, B> logp, ent, w, u;
  p->act(obs, *ws, rng, false, act, logp);
  for (int b = 0; b < B; ++b) {
    w(b) = static_cast<float>(rng.normal());
    u(b) = static_cast<float>(rng.normal());
  }
  p->zero_grad();
  p->evaluate(obs, act, *ws, logp, ent);
  p->backward(act, w, u, *ws);

  // Central differences on every 7th network parameter (float: vector-relative tolerance).
  const float h = 1e-2f;
  double num_sq = 0, diff_sq = 0;
  for (int i = 0; i < Policy::Net::kNumParams; i += 7) {
    const float keep = p->net.theta[i];
    p->net.theta[i] = keep + h;
    const double lp = probe<Policy, B>(*p, obs, act, w, u);
    p->net.theta[i] = keep - h;
    const double lm = probe<Policy, B>(*p, obs, act, w, u);
    p->net.theta[i] = keep;
    const double fd = (lp - lm) / (2.0 * h);
    num_sq += fd * fd;
    diff_sq += (fd - p->net.grad[i]) * (fd - p->net.grad[i]);
  }
  CHECK(num_sq > 1e-6);
  CHECK(std::sqrt(diff_sq / num_sq) < 1e-2);
  if constexpr (!Policy::kDiscrete) {
    for (int j = 0; j < p->log_std.size(); ++j) {
      const float keep = p->log_std(j);
      p->log_std(j) = keep + h;
      const double lp = probe<Policy, B>(*p, obs, act, w, u);
      p->log_std(j) = keep - h;
      const double lm = probe<Policy, B>(*p, obs, act, w, u);
      p->log_std(j) = keep;
      CHECK(p->d_log_std(j) == doctest::Approx((lp - lm) / (2.0 * h)).epsilon(1e-2));
    }
  }
}

TEST_CASE("GaussianPolicy: d(log pi, H)/d(theta, log sigma) match finite differences") {
  check_policy_gradient<icrl::GaussianPolicy<3, 1>>(1);
  check_policy_gradient<icrl::GaussianPolicy<5, 3>>(2);
}

TEST_CASE("CategoricalPolicy: d(log pi, H)/dtheta match finite differences") {
  check_policy_gradient<icrl::CategoricalPolicy<4, 2>>(3);
  check_policy_gradient<icrl::CategoricalPolicy<6, 5>>(4);
}

TEST_CASE("GaussianPolicy: log pi and entropy by hand; samples have mean mu and std sigma") {
  using P = icrl::GaussianPolicy<2, 2>;
  auto p = std::make_unique<P>();
  p->net.theta.setZero();                       // mu(s) = 0 for every s
  p->net.b<2>() << 0.5f, -1.0f;                 // ... plus the output bias: mu = (0.5, -1)
  p->log_std << std::log(0.5f), std::log(2.0f);  // sigma = (0.5, 2)
  constexpr int B = 1;
  P::ObsBatch<B> obs = P::ObsBatch<B>::Zero();
  P::ActBatch<B> act;
  act << 1.0f, 0.0f;
  auto ws = std::make_unique<P::Workspace<B>>();
  Eigen::Matrix<float, 1, B> logp, ent;
  p->evaluate(obs, act, *ws, logp, ent);
  const double z0 = (1.0 - 0.5) / 0.5, z1 = (0.0 + 1.0) / 2.0;
  const double expect = -0.5 * (z0 * z0 + z1 * z1) - std::log(0.5) - std::log(2.0) - std::log(2.0 * 3.14159265358979323846);
  CHECK(logp(0) == doctest::Approx(expect).epsilon(1e-6));
  CHECK(ent(0) == doctest::Approx(std::log(0.5) + std::log(2.0) + 1.0 + std::log(2.0 * 3.14159265358979323846)).epsilon(1e-6));

  Rng rng(9u, 1u);
  double s0 = 0, s1 = 0, q0 = 0, q1 = 0;
  const int n = 20000;
  for (int k = 0; k < n; ++k) {
    p->act(obs, *ws, rng, false, act, logp);
    s0 += act(0);
    s1 += act(1);
    q0 += (act(0) - 0.5) * (act(0) - 0.5);
    q1 += (act(1) + 1.0) * (act(1) + 1.0);
  }
  CHECK(s0 / n == doctest::Approx(0.5).epsilon(0.02));
  CHECK(s1 / n == doctest::Approx(-1.0).epsilon(0.05));
  CHECK(std::sqrt(q0 / n) == doctest::Approx(0.5).epsilon(0.02));
  CHECK(std::sqrt(q1 / n) == doctest::Approx(2.0).epsilon(0.02));
  p->act(obs, *ws, rng, true, act, logp);  // deterministic: the mean
  CHECK(act(0) == 0.5f);
  CHECK(act(1) == -1.0f);
}

TEST_CASE("CategoricalPolicy: sampled frequencies follow softmax(logits); deterministic takes the argmax") {
  using P = icrl::CategoricalPolicy<1, 3>;
  auto p = std::make_unique<P>();
  p->net.theta.setZero();
  p->net.b<2>() << 0.0f, 1.0f, -1.0f;
  const double z = 1.0 + std::exp(1.0) + std::exp(-1.0);
  const double expect[3] = {1.0 / z, std::exp(1.0) / z, std::exp(-1.0) / z};
  P::ObsBatch<1> obs = P::ObsBatch<1>::Zero();
  P::ActBatch<1> act;
  Eigen::Matrix<float, 1, 1> logp;
  auto ws = std::make_unique<P::Workspace<1>>();
  Rng rng(5u, 5u);
  int counts[3] = {0, 0, 0};
  const int n = 30000;
  for (int k = 0; k < n; ++k) {
    p->act(obs, *ws, rng, false, act, logp);
    const int a = static_cast<int>(act(0));
    ++counts[a];
    CHECK(logp(0) == doctest::Approx(std::log(expect[a])).epsilon(1e-5));
  }
  for (int k = 0; k < 3; ++k) CHECK(counts[k] / double(n) == doctest::Approx(expect[k]).epsilon(0.03));
  p->act(obs, *ws, rng, true, act, logp);
  CHECK(act(0) == 1.0f);
}

// ---- normalisation -----------------------------------------------------------------------------
TEST_CASE("RunningMeanStd: batch merges equal the statistics of all samples") {
  icrl::RunningMeanStd<2> s;
  Rng rng(1u, 2u);
  std::vector<Eigen::Vector2d> all;
  for (int batch = 0; batch < 7; ++batch) {
    Eigen::Matrix<double, 2, Eigen::Dynamic> m(2, 3 + batch);
    for (int j = 0; j < m.cols(); ++j) {
      m(0, j) = rng.normal(3.0, 2.0);
      m(1, j) = rng.uniform(-1.0, 5.0);
      all.push_back(m.col(j));
    }
    s.update(m);
  }
  Eigen::Vector2d mean = Eigen::Vector2d::Zero(), var = Eigen::Vector2d::Zero();
  for (const auto& x : all) mean += x;
  mean /= static_cast<double>(all.size());
  for (const auto& x : all) var += (x - mean).cwiseAbs2();
  var /= static_cast<double>(all.size());
  // The 1e-4 starting count shifts the result by about 1e-4 / n.
  CHECK(s.mean(0) == doctest::Approx(mean(0)).epsilon(1e-5));
  CHECK(s.mean(1) == doctest::Approx(mean(1)).epsilon(1e-5));
  CHECK(s.var(0) == doctest::Approx(var(0)).epsilon(1e-4));
  CHECK(s.var(1) == doctest::Approx(var(1)).epsilon(1e-4));
  CHECK(s.count == doctest::Approx(static_cast<double>(all.size()) + 1e-4));
}

TEST_CASE("ObsNormalizer and ReturnNormalizer: scale, clip at +-10, reset the return at episode end") {
  icrl::ObsNormalizer<1> on;
  on.enabled = true;
  on.stats.mean << 2.0;
  on.stats.var << 4.0;
  Eigen::Matrix<double, 1, 3> raw;
  raw << 4.0, 2.0, 1000.0;
  Eigen::Matrix<float, 1, 3> out;
  on.normalize(raw, out);
  CHECK(out(0) == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(out(1) == 0.0f);
  CHECK(out(2) == 10.0f);

  icrl::ReturnNormalizer<2> rn;
  rn.enabled = true;
  rn.gamma = 0.5;
  Eigen::Vector2d r(1.0, 3.0);
  std::array<bool, 2> done{false, true};
  rn.normalize(r, done);
  CHECK(rn.running(0) == 1.0);
  CHECK(rn.running(1) == 0.0);  // copy 1's episode ended
  const double sd = std::sqrt(rn.stats.var(0) + icrl::kNormEps);
  CHECK(r(0) == doctest::Approx(1.0 / sd));
  CHECK(r(1) == doctest::Approx(std::min(10.0, 3.0 / sd)));
}

// ---- the multiplier ----------------------------------------------------------------------------
TEST_CASE("LagrangeMultiplier (gradient rule): nu = softplus(u) rises above budget, falls below, stays >= 0") {
  icrl::MultiplierConfig c;
  c.nu_init = 1.0;
  c.lr = 0.1;
  c.budget = 0.05;
  icrl::LagrangeMultiplier m(c);
  CHECK(m.nu() == doctest::Approx(1.0).epsilon(1e-12));
  double prev = m.nu();
  for (int i = 0; i < 20; ++i) {
    m.update(0.2);  // over budget
    CHECK(m.nu() > prev);
    prev = m.nu();
  }
  // The first Adam step moves u by lr |g| / (|g| + eps), g = -(c - alpha) sigmoid(u0).
  icrl::LagrangeMultiplier first(c);
  first.update(0.2);
  const double u0 = icrl::softplus_inverse(1.0), g = 0.15 * icrl::sigmoid(u0);
  CHECK(first.nu() == doctest::Approx(icrl::softplus(u0 + 0.1 * g / (g + 1e-5))).epsilon(1e-12));
  // Under budget: Adam's momentum carries nu up for a few more steps, then it falls for good.
  const double peak_before = prev;
  for (int i = 0; i < 500; ++i) {
    m.update(0.0);
    CHECK(m.nu() >= 0.0);
    if (i >= 50) CHECK(m.nu() <= prev);
    prev = m.nu();
  }
  CHECK(m.nu() < 0.05 * peak_before);
}

TEST_CASE("LagrangeMultiplier (PID): nu = max(0, Kp e + I + Kd max(0, dc)) with I = max(0, I + Ki e)") {
  icrl::MultiplierConfig c;
  c.rule = icrl::MultiplierRule::pid;
  c.nu_init = 0.0;
  c.budget = 1.0;
  c.kp = 0.5;
  c.ki = 0.1;
  c.kd = 2.0;
  icrl::LagrangeMultiplier m(c);
  CHECK(m.nu() == 0.0);
  m.update(3.0);  // e = 2: I = 0.2, no derivative yet; nu = 1 + 0.2
  CHECK(m.nu() == doctest::Approx(1.2));
  m.update(4.0);  // e = 3: I = 0.5, D = 1: nu = 1.5 + 0.5 + 2
  CHECK(m.nu() == doctest::Approx(4.0));
  m.update(0.0);  // e = -1: I = 0.4, D = 0: nu = max(0, -0.5 + 0.4)
  CHECK(m.nu() == 0.0);
}

TEST_CASE("LagrangeMultiplier (gradient rule): nu_max bounds nu without wind-up; under budget nu falls at once") {
  icrl::MultiplierConfig c;
  c.nu_init = 1.0;
  c.lr = 0.1;
  c.budget = 0.1;
  c.nu_max = 2.0;
  icrl::LagrangeMultiplier m(c);
  icrl::MultiplierConfig unbounded_config = c;
  unbounded_config.nu_max = INFINITY;
  icrl::LagrangeMultiplier unbounded(unbounded_config);
  for (int i = 0; i < 200; ++i) {
    m.update(1.0);  // a persistent violation
    unbounded.update(1.0);
    CHECK(m.nu() <= 2.0);
  }
  CHECK(m.nu() == 2.0);  // at the bound exactly
  CHECK(unbounded.nu() > 10.0);
  // Under budget. Without the bound, Adam's momentum still carries nu up; at the bound u was
  // projected onto u_max = softplus^-1(nu_max) with Adam restarted, so the first step is a full
  // step of lr downwards: u = u_max - lr g / (|g| + eps), g = (alpha - c) sigmoid(u_max) > 0.
  const double before = unbounded.nu();
  unbounded.update(0.0);
  CHECK(unbounded.nu() > before);
  m.update(0.0);
  const double u_max = icrl::softplus_inverse(2.0), g = 0.1 * icrl::sigmoid(u_max);
  CHECK(m.nu() == doctest::Approx(icrl::softplus(u_max - 0.1 * g / (g + 1e-5))).epsilon(1e-12));
  CHECK(m.nu() < 2.0);
  double prev = m.nu();
  for (int i = 0; i < 20; ++i) {
    m.update(0.0);
    CHECK(m.nu() < prev);
    prev = m.nu();
  }
  // A new violation takes it back to the bound, not beyond.
  for (int i = 0; i < 100; ++i) {
    m.update(1.0);
    CHECK(m.nu() <= 2.0);
  }
  CHECK(m.nu() == 2.0);
  // A bound below the gradient rule's smallest start (1e-8) holds from the start.
  c.nu_init = 0.0;
  c.nu_max = 1e-9;
  icrl::LagrangeMultiplier tiny(c);
  CHECK(tiny.nu() <= 1e-9);
  tiny.update(1.0);
  CHECK(tiny.nu() == 1e-9);
}

TEST_CASE("LagrangeMultiplier (PID): nu and the integral stay in [0, nu_max]; under budget nu falls at once") {
  icrl::MultiplierConfig c;
  c.rule = icrl::MultiplierRule::pid;
  c.nu_init = 0.0;
  c.budget = 1.0;
  c.kp = 0.5;
  c.ki = 0.1;
  c.kd = 2.0;
  c.nu_max = 3.0;
  icrl::LagrangeMultiplier m(c);
  icrl::MultiplierConfig unbounded_config = c;
  unbounded_config.nu_max = INFINITY;
  icrl::LagrangeMultiplier unbounded(unbounded_config);
  m.update(3.0);  // e = 2: I = 0.2, no derivative yet; nu = 1 + 0.2
  CHECK(m.nu() == doctest::Approx(1.2));
  m.update(5.0);  // e = 4: I = 0.6, D = 2: nu = 2 + 0.6 + 4 = 6.6, clamped
  CHECK(m.nu() == 3.0);
  unbounded.update(3.0);
  for (int i = 0; i < 100; ++i) {
    m.update(5.0);  // I grows by 0.4 per update until it meets nu_max
    unbounded.update(5.0);
    CHECK(m.nu() <= 3.0);
  }
  CHECK(m.nu() == 3.0);
  // e = -0.5: I = 3 - 0.05, D = 0: nu = -0.25 + 2.95. Unbounded, I has wound up to about 40.
  m.update(0.5);
  unbounded.update(0.5);
  CHECK(m.nu() == doctest::Approx(2.7));
  CHECK(unbounded.nu() > 30.0);
}

TEST_CASE("LagrangeMultiplier: the state keeps nu, Adam and the budget; a state without the budget keeps the configured one") {
  icrl::MultiplierConfig c;
  c.budget = 0.1;
  c.nu_max = 3.0;
  icrl::LagrangeMultiplier m(c);
  m.update(0.5);
  m.set_budget(0.2);
  m.update(0.5);
  icrl::CheckpointWriter w("TEST");
  m.save(w, "nu.");
  icrl::LagrangeMultiplier loaded(c);
  loaded.load(icrl::CheckpointReader::parse(w.bytes(), "TEST", "memory"), "nu.");
  CHECK(loaded.config().budget == 0.2);
  CHECK(loaded.nu() == m.nu());
  m.update(0.15);  // under the loaded budget 0.2, over the configured 0.1
  loaded.update(0.15);
  CHECK(loaded.nu() == m.nu());

  // The entries of a state written before the budget could change at run time.
  icrl::CheckpointWriter old("TEST");
  old.add("nu.state", Eigen::Vector4d(0.5, icrl::softplus(0.5), 0.0, 0.3));
  old.add_int("nu.have_prev", 1);
  icrl::Adam<double, 1>().save(old, "nu.");
  icrl::LagrangeMultiplier from_old(c);
  from_old.load(icrl::CheckpointReader::parse(old.bytes(), "TEST", "memory"), "nu.");
  CHECK(from_old.config().budget == 0.1);
  CHECK(from_old.nu() == icrl::softplus(0.5));

  CHECK_THROWS_WITH_AS(m.set_budget(NAN), doctest::Contains("budget (cost_limit) must be finite"), icrl::Error);
  CHECK(m.config().budget == 0.2);
}

TEST_CASE("LagrangeMultiplier: a bad nu_max is refused, naming it") {
  icrl::MultiplierConfig c;
  c.nu_max = 0.0;
  CHECK_THROWS_WITH_AS(icrl::LagrangeMultiplier{c}, doctest::Contains("nu_max must be > 0"), icrl::Error);
  c.nu_max = NAN;
  CHECK_THROWS_WITH_AS(icrl::LagrangeMultiplier{c}, doctest::Contains("nu_max must be > 0"), icrl::Error);
  c.nu_init = 1.0;
  c.nu_max = 0.5;
  CHECK_THROWS_WITH_AS(icrl::LagrangeMultiplier{c}, doctest::Contains("nu_max must be >= nu_init"), icrl::Error);
  c.nu_max = 1.0;  // equal is allowed
  CHECK(icrl::LagrangeMultiplier{c}.nu() == doctest::Approx(1.0).epsilon(1e-12));
}

// ---- the trainer -------------------------------------------------------------------------------
TEST_CASE("minibatch_scale: standardize gives the minibatch zero mean and unit unbiased std; center only centres") {
  Eigen::VectorXd adv(10);
  adv << 3.0, -40.0, 7.5, 100.0, 0.25, -2.0, 55.0, 9.0, -13.0, 1.0;
  const int idx[6] = {8, 1, 3, 6, 0, 4};  // a shuffled minibatch of 6 of the 10 samples
  // Mean and unbiased std of (adv(idx[k]) - mean) inv_std, the values the loss sees.
  auto moments = [&](const icrl::MinibatchScale& sc, double& mean, double& sd) {
    mean = 0;
    for (int k : idx) mean += (adv(k) - sc.mean) * sc.inv_std;
    mean /= 6;
    double var = 0;
    for (int k : idx) var += ((adv(k) - sc.mean) * sc.inv_std - mean) * ((adv(k) - sc.mean) * sc.inv_std - mean);
    sd = std::sqrt(var / 5);
  };
  double raw_mean = 0, raw_var = 0;
  for (int k : idx) raw_mean += adv(k) / 6;
  for (int k : idx) raw_var += (adv(k) - raw_mean) * (adv(k) - raw_mean) / 5;
  double mean = 0, sd = 0;
  const icrl::MinibatchScale st = icrl::minibatch_scale(adv, idx, 6, true);
  CHECK(st.mean == doctest::Approx(raw_mean).epsilon(1e-14));
  moments(st, mean, sd);
  CHECK(std::fabs(mean) < 1e-14);
  CHECK(sd == doctest::Approx(1.0).epsilon(1e-9));
  const icrl::MinibatchScale ce = icrl::minibatch_scale(adv, idx, 6, false);
  CHECK(ce.inv_std == 1.0);
  moments(ce, mean, sd);
  CHECK(std::fabs(mean) < 1e-12);
  CHECK(sd == doctest::Approx(std::sqrt(raw_var)).epsilon(1e-12));
  // A minibatch without spread (e.g. no cost at all) stays 0, not NaN.
  const Eigen::VectorXd flat = Eigen::VectorXd::Constant(10, 0.5);
  const icrl::MinibatchScale fl = icrl::minibatch_scale(flat, idx, 6, true);
  CHECK((flat(idx[0]) - fl.mean) * fl.inv_std == 0.0);
  CHECK(std::isfinite(fl.inv_std));
}

using icrl::test::CartPoleTrainer;  // tests/trainers.hpp: compiled once for the test files
using icrl::test::PendulumTrainer;

icrl::PpoConfig small_config() {
  icrl::PpoConfig c;
  c.n_steps = 128;
  c.minibatch_size = 128;
  c.epochs = 2;
  c.normalize_obs = true;
  c.normalize_reward = true;
  c.normalize_cost = true;
  c.multiplier.budget = 0.5;  // above any rollout's cost: nu must fall
  return c;
}

template <class Trainer>
bool same_parameters(const Trainer& a, const Trainer& b) {
  const auto& pa = a.policy().net.theta;
  const auto& pb = b.policy().net.theta;
  return std::memcmp(pa.data(), pb.data(), sizeof(float) * pa.size()) == 0 &&
         std::memcmp(a.value_net().theta.data(), b.value_net().theta.data(), sizeof(float) * a.value_net().theta.size()) == 0 &&
         std::memcmp(a.cost_value_net().theta.data(), b.cost_value_net().theta.data(),
                     sizeof(float) * a.cost_value_net().theta.size()) == 0;
}

TEST_CASE("trainer: the same seed gives bit-identical runs, another seed a different run") {
  auto a = std::make_unique<PendulumTrainer>(small_config(), 7);
  auto b = std::make_unique<PendulumTrainer>(small_config(), 7);
  auto c = std::make_unique<PendulumTrainer>(small_config(), 8);
  for (int i = 0; i < 3; ++i) {
    const icrl::IterationStats sa = a->iterate(), sb = b->iterate();
    c->iterate();
    CHECK(std::memcmp(&sa.policy_loss, &sb.policy_loss, sizeof(double)) == 0);
    CHECK(std::memcmp(&sa.nu, &sb.nu, sizeof(double)) == 0);
    CHECK(sa.env_steps == 256L * (i + 1));
  }
  CHECK(same_parameters(*a, *b));
  CHECK(!same_parameters(*a, *c));
  const icrl::EvalResult ea = a->evaluate(3), eb = b->evaluate(3), ec = c->evaluate(3);
  CHECK(ea.mean_return == eb.mean_return);
  CHECK(ea.mean_return != ec.mean_return);
  // The update moved the parameters, and the multiplier was updated from the rollout's cost.
  auto fresh = std::make_unique<PendulumTrainer>(small_config(), 7);
  CHECK(!same_parameters(*a, *fresh));
  CHECK(a->nu() != fresh->nu());
}

TEST_CASE("trainer: use_cost = false is plain PPO (nu = 0, the cost critic is never trained)") {
  icrl::PpoConfig c = small_config();
  c.use_cost = false;
  auto t = std::make_unique<PendulumTrainer>(c, 3);
  const auto cost_before = t->cost_value_net().theta;
  const icrl::IterationStats s = t->iterate();
  CHECK(s.nu == 0.0);
  CHECK(t->nu() == 0.0);
  CHECK(s.cost_value_loss == 0.0);
  CHECK(t->cost_value_net().theta == cost_before);
}

TEST_CASE("trainer: discrete actions (CartPole) run and the KL stop cuts epochs") {
  icrl::PpoConfig c = small_config();
  c.epochs = 50;
  c.lr = 1e-2;
  c.target_kl = 1e-4;
  c.use_cost = false;
  auto t = std::make_unique<CartPoleTrainer>(c, 1);
  const icrl::IterationStats s = t->iterate();
  CHECK(s.epochs_done < 50);
  CHECK(s.approx_kl > 1.5e-4);
  CHECK(std::isfinite(s.policy_loss));
}

TEST_CASE("trainer: cost_advantage = standardize rescales A_c in the update; without the cost stream it changes nothing") {
  icrl::PpoConfig centre = small_config();
  centre.multiplier.budget = 0.0;  // nu > 0 throughout: the cost term counts
  icrl::PpoConfig standard = centre;
  standard.cost_advantage = icrl::CostAdvantageScale::standardize;
  auto a = std::make_unique<PendulumTrainer>(centre, 7);
  auto b = std::make_unique<PendulumTrainer>(standard, 7);
  const icrl::IterationStats sa = a->iterate(), sb = b->iterate();
  CHECK(sa.step_cost == sb.step_cost);  // the same first rollout (no update before it)
  CHECK(sa.step_cost > 0.0);
  CHECK(sa.nu == sb.nu);
  CHECK(!same_parameters(*a, *b));      // a different update
  for (int i = 0; i < 2; ++i) {
    const icrl::IterationStats s = b->iterate();
    CHECK(std::isfinite(s.policy_loss));
    CHECK(b->first_non_finite(s) == nullptr);
  }
  // With use_cost = false A_c is never used: the two settings give the same run, bit for bit.
  centre.use_cost = standard.use_cost = false;
  auto p = std::make_unique<PendulumTrainer>(centre, 7);
  auto q = std::make_unique<PendulumTrainer>(standard, 7);
  for (int i = 0; i < 2; ++i) {
    const icrl::IterationStats sp = p->iterate(), sq = q->iterate();
    CHECK(std::memcmp(&sp.policy_loss, &sq.policy_loss, sizeof(double)) == 0);
  }
  CHECK(same_parameters(*p, *q));
}

// Recorded on x86-64 (g++, -ffp-contract=off) before cost_advantage and nu_max existed: their
// defaults (center, inf) and a bound that is never reached must reproduce the run. Bit for bit on
// the recording build; losses are float sums, so other architectures get 1e-4 (test_cross_arch.cpp).
TEST_CASE("trainer: the default cost_advantage and nu_max reproduce the recorded run") {
  struct Recorded {
    icrl::MultiplierRule rule;
    double nu_after[3];
    double policy_loss0, value_loss[3], cost_value_loss[3];
  };
  const Recorded runs[2] = {
      {icrl::MultiplierRule::gradient,
       {0x1.107991fd90729p+0, 0x1.218cb9ea1625ap+0, 0x1.33398d6036b66p+0},
       -0x1.382a0a6p-10,
       {0x1.d027124p+0, 0x1.cbeb5c4p-3, 0x1.080493p-2},
       {0x1.aef7daep+2, 0x1.7ee15e8p-3, 0x1.b89a94p-3}},
      {icrl::MultiplierRule::pid,
       {0x1.0330a3d70a3d7p+0, 0x1.03d70a3d70a3dp+0, 0x1.044p+0},
       -0x1.382a0a6p-10,
       {0x1.d027124p+0, 0x1.cbebd4p-3, 0x1.0a4357ep-2},
       {0x1.aef7daep+2, 0x1.7ee2968p-3, 0x1.b7c80dp-3}},
  };
  for (const Recorded& r : runs) {
    icrl::PpoConfig c = small_config();
    c.multiplier.budget = 0.0;
    c.multiplier.rule = r.rule;
    icrl::PpoConfig bounded = c;
    bounded.multiplier.nu_max = 1e6;  // never reached
    auto t = std::make_unique<PendulumTrainer>(c, 7);
    auto u = std::make_unique<PendulumTrainer>(bounded, 7);
    CHECK(c.cost_advantage == icrl::CostAdvantageScale::center);
    CHECK(c.multiplier.nu_max == INFINITY);
    for (int i = 0; i < 3; ++i) {
      CAPTURE(i);
      const icrl::IterationStats s = t->iterate(), sb = u->iterate();
      CHECK(t->nu() == doctest::Approx(r.nu_after[i]).epsilon(1e-12));
      if (i == 0) CHECK(s.policy_loss == doctest::Approx(r.policy_loss0).epsilon(1e-4));
      CHECK(s.value_loss == doctest::Approx(r.value_loss[i]).epsilon(1e-4));
      CHECK(s.cost_value_loss == doctest::Approx(r.cost_value_loss[i]).epsilon(1e-4));
      CHECK(std::memcmp(&s.policy_loss, &sb.policy_loss, sizeof(double)) == 0);
      CHECK(t->nu() == u->nu());
    }
    CHECK(same_parameters(*t, *u));
  }
}

TEST_CASE("trainer: set_budget turns the multiplier's step, matches a trainer built with that budget, and is saved") {
  // small_config's budget 0.5 is above the rollout's cost (about 0.11 per step): nu falls.
  auto high = std::make_unique<PendulumTrainer>(small_config(), 7);
  auto low = std::make_unique<PendulumTrainer>(small_config(), 7);
  low->set_budget(0.0);  // below the cost: nu rises
  CHECK(low->budget() == 0.0);
  CHECK(low->config().multiplier.budget == 0.0);
  const icrl::IterationStats sh = high->iterate(), sl = low->iterate();
  CHECK(sh.step_cost == sl.step_cost);
  CHECK(sh.step_cost > 0.0);
  CHECK(sh.step_cost < 0.5);
  CHECK(high->nu() < 1.0);
  CHECK(low->nu() > 1.0);
  icrl::PpoConfig zero = small_config();
  zero.multiplier.budget = 0.0;
  auto built = std::make_unique<PendulumTrainer>(zero, 7);
  built->iterate();
  CHECK(built->nu() == low->nu());
  CHECK(same_parameters(*built, *low));
  // Back above the cost: the next step lowers nu.
  low->set_budget(0.5);
  const double nu_before = low->nu();
  low->iterate();
  CHECK(low->nu() < nu_before);
  CHECK_THROWS_WITH_AS(low->set_budget(NAN), doctest::Contains("cost_limit"), icrl::Error);
  CHECK(low->budget() == 0.5);

  // The state keeps the budget: a fresh trainer built with 0.5 continues with 0.25.
  low->set_budget(0.25);
  icrl::CheckpointWriter w("TEST");
  low->save_state(w, "agent.");
  auto resumed = std::make_unique<PendulumTrainer>(small_config(), 7);
  resumed->load_state(icrl::CheckpointReader::parse(w.bytes(), "TEST", "memory"), "agent.");
  CHECK(resumed->budget() == 0.25);
  CHECK(resumed->config().multiplier.budget == 0.25);
  const icrl::IterationStats a = low->iterate(), b = resumed->iterate();
  CHECK(std::memcmp(&a.nu, &b.nu, sizeof(double)) == 0);
  CHECK(low->nu() == resumed->nu());
  CHECK(same_parameters(*low, *resumed));
}

TEST_CASE("trainer: nu_max bounds the multiplier the update uses; under budget it falls at once") {
  icrl::PpoConfig c = small_config();
  c.multiplier.budget = 0.0;  // below the cost: nu rises by about 0.066 per update (recorded run above)
  c.multiplier.nu_max = 1.1;
  auto t = std::make_unique<PendulumTrainer>(c, 7);
  for (int i = 0; i < 4; ++i) {
    const icrl::IterationStats s = t->iterate();
    CHECK(s.nu <= 1.1);
    CHECK(t->nu() <= 1.1);
  }
  CHECK(t->nu() == 1.1);
  t->set_budget(0.5);
  t->iterate();
  CHECK(t->nu() < 1.1);
}

TEST_CASE("trainer: bad settings are refused with the field's name") {
  icrl::PpoConfig c = small_config();
  c.minibatch_size = 100;  // not a multiple of the chunk (64)
  CHECK_THROWS_WITH_AS(PendulumTrainer(c, 1), doctest::Contains("minibatch_size"), icrl::Error);
  c = small_config();
  c.minibatch_size = 192;  // a multiple of 64 that does not divide 128 x 2
  CHECK_THROWS_WITH_AS(PendulumTrainer(c, 1), doctest::Contains("must divide"), icrl::Error);
  c = small_config();
  c.gamma = 1.5;
  CHECK_THROWS_WITH_AS(PendulumTrainer(c, 1), doctest::Contains("gamma"), icrl::Error);
  c = small_config();
  c.clip = 0.0;
  CHECK_THROWS_WITH_AS(PendulumTrainer(c, 1), doctest::Contains("clip"), icrl::Error);
  c = small_config();
  c.multiplier.nu_max = -1.0;
  CHECK_THROWS_WITH_AS(PendulumTrainer(c, 1), doctest::Contains("PPO config: nu_max must be > 0"), icrl::Error);
  c.multiplier.nu_max = 0.5;  // below nu_init = 1
  CHECK_THROWS_WITH_AS(PendulumTrainer(c, 1), doctest::Contains("PPO config: nu_max must be >= nu_init"), icrl::Error);
  c = small_config();
  c.cost_advantage = static_cast<icrl::CostAdvantageScale>(7);
  CHECK_THROWS_WITH_AS(PendulumTrainer(c, 1), doctest::Contains("PPO config: cost_advantage"), icrl::Error);
}

// An environment that diverges: its observation becomes NaN after 5 steps.
struct DivergingEnv {
  static constexpr const char* kName = "diverging";
  static constexpr int kObsDim = 1, kActDim = 1, kNumActions = 0, kMaxSteps = 100;
  static constexpr bool kDiscrete = false;
  using Obs = Eigen::Matrix<double, 1, 1>;
  using Action = Eigen::Matrix<double, 1, 1>;
  static Action action_low() { return Action::Constant(-1); }
  static Action action_high() { return Action::Constant(1); }
  int t = 0;
  Obs reset(Rng&) {
    t = 0;
    return Obs::Zero();
  }
  icrl::envs::StepResult<1> step(const Action&) {
    icrl::envs::StepResult<1> r;
    r.obs(0) = ++t > 5 ? NAN : 0.0;
    r.truncated = t >= kMaxSteps;
    return r;
  }
};

TEST_CASE("trainer: a NaN from the environment stops training with a message naming the env") {
  auto t = std::make_unique<icrl::PpoLagrangian<icrl::envs::VecEnv<DivergingEnv, 1>, 64>>(small_config(), 1);
  CHECK_THROWS_WITH_AS(t->iterate(), doctest::Contains("environment 'diverging' returned a non-finite observation"),
                       icrl::Error);
}

TEST_CASE("policy files: round trip acts identically; another env's file and corrupt files are refused") {
  auto t = std::make_unique<PendulumTrainer>(small_config(), 4);
  t->iterate();
  const std::string path = tmp_path("ppo_policy.ckpt");
  t->save_policy(path);
  using Policy = PendulumTrainer::Policy;
  auto loaded = std::make_unique<Policy>();
  icrl::ObsNormalizer<3> norm;
  icrl::load_policy_file(path, "pendulum-constrained", *loaded, norm);
  CHECK(loaded->net.theta == t->policy().net.theta);
  CHECK(loaded->log_std == t->policy().log_std);
  CHECK(norm.enabled);
  CHECK(norm.stats.mean == t->obs_normalizer().stats.mean);
  const auto e1 = icrl::evaluate_policy(*loaded, norm, icrl::envs::PendulumConstrained(), 2, 11, false);
  const auto e2 = icrl::evaluate_policy(t->policy(), t->obs_normalizer(), icrl::envs::PendulumConstrained(), 2, 11, false);
  CHECK(e1.mean_return == e2.mean_return);

  CHECK_THROWS_WITH_AS(icrl::load_policy_file(path, "pendulum", *loaded, norm),
                       doctest::Contains("trained on env 'pendulum-constrained', not 'pendulum'"), icrl::Error);
  // Flip one byte in the middle: the checksum refuses it and the policy is unchanged.
  std::FILE* f = std::fopen(path.c_str(), "r+b");
  REQUIRE(f);
  std::fseek(f, 200, SEEK_SET);
  const int ch = std::fgetc(f);
  std::fseek(f, 200, SEEK_SET);
  std::fputc(ch ^ 0x40, f);
  std::fclose(f);
  const auto before = loaded->net.theta;
  CHECK_THROWS_AS(icrl::load_policy_file(path, "pendulum-constrained", *loaded, norm), icrl::Error);
  CHECK(loaded->net.theta == before);
}

}  // namespace
