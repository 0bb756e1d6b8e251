// tests/test_alloc.cpp - proof that training touches no heap after construction.
//
// Two independent detectors:
//  1. a counting global operator new / delete (catches std::vector, std::string, new, ...),
//     which this file defines for the whole icrl_tests program;
//  2. Eigen's own heap check (EIGEN_RUNTIME_NO_MALLOC), which tests/heap_checks.hpp compiles into
//     every file of the program, the shared trainers of tests/trainers.hpp among them: any Eigen
//     temporary that would call malloc while count_heap() holds Eigen's switch off is counted
//     instead of aborting.
// Both are active in every build type (detector 2 does not depend on NDEBUG). The negative-control
// test case shows each detector firing on a real allocation.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <cmath>
#include <memory>
#include <vector>

#include "envs/cartpole.hpp"
#include "envs/grid_world.hpp"
#include "envs/lap_grid.hpp"
#include "envs/point_circle.hpp"
#include "envs/pendulum.hpp"
#include "envs/vec_env.hpp"
#include "envs/tabular_models.hpp"
#include "icrl/adam.hpp"
#include "icrl/losses.hpp"
#include "icrl/mlp.hpp"
#include "icrl/icrl_trainer.hpp"
#include "icrl/ppo_lagrangian.hpp"
#include "icrl/tabular_icrl.hpp"
#include "trainers.hpp"

// ---- detector 1: counting operator new ----------------------------------------------------
static std::atomic<long> g_allocations{0};
static std::atomic<long> g_eigen_mallocs{0};  // detector 2 (tests/heap_checks.hpp)
void icrl_heap_checks::eigen_malloc_seen() { ++g_eigen_mallocs; }

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t al) {
  ++g_allocations;
  const std::size_t a = static_cast<std::size_t>(al);
  if (void* p = std::aligned_alloc(a, (n + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t al) { return operator new(n, al); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

// Counts heap activity of both kinds during f().
struct HeapCount {
  long operator_new = 0;
  long eigen_malloc = 0;
};
template <typename F>
HeapCount count_heap(F&& f) {
  const long new0 = g_allocations.load(), eig0 = g_eigen_mallocs.load();
  Eigen::internal::set_is_malloc_allowed(false);
  f();
  Eigen::internal::set_is_malloc_allowed(true);
  return {g_allocations.load() - new0, g_eigen_mallocs.load() - eig0};
}

}  // namespace

TEST_CASE("negative controls: both detectors see real allocations") {
  const HeapCount vec = count_heap([] {
    std::vector<int> v(100);
    v[3] = 1;
    CHECK(v[3] == 1);
  });
  CHECK(vec.operator_new >= 1);
  const HeapCount eig = count_heap([] {
    Eigen::MatrixXf m(50, 50);
    m.setZero();
  });
  CHECK(eig.eigen_malloc >= 1);
}

TEST_CASE("a [64, 64] MLP on a batch of 64: forward, backward, clip and Adam allocate nothing") {
  using Net = icrl::Mlp<float, icrl::Activation::tanh, icrl::Activation::identity, 18, 64, 64, 6>;
  constexpr int B = 64;
  // Construction may allocate (once).
  icrl::Rng rng(3u, 0u);
  auto net = std::make_unique<Net>();
  net->init_orthogonal(rng, std::sqrt(2.0), 0.01);
  auto ws = std::make_unique<Net::Workspace<B>>();
  auto single = std::make_unique<Net::Workspace<1>>();
  auto opt = std::make_unique<icrl::Adam<float, Net::kNumParams>>();
  auto x = std::make_unique<Eigen::Matrix<float, 18, B>>();
  auto y = std::make_unique<Eigen::Matrix<float, 6, B>>();
  auto d = std::make_unique<Eigen::Matrix<float, 6, B>>();
  x->setRandom();
  y->setRandom();

  auto train_step = [&] {
    net->zero_grad();
    const double loss = icrl::mse(net->forward(*x, *ws), *y, *d);
    net->backward(*d, *ws);
    icrl::clip_grad_norm(0.5, net->grad);
    opt->step(icrl::param_block(net->theta, net->grad));
    Eigen::Matrix<float, 18, 1> obs = x->col(0);
    const float a = net->forward(obs, *single)(0);  // one rollout-style forward
    return loss + static_cast<double>(a);
  };
  train_step();  // warm-up

  double sink = 0.0;
  const HeapCount h = count_heap([&] {
    for (int i = 0; i < 20; ++i) sink += train_step();
  });
  CHECK(std::isfinite(sink));
  CHECK(h.operator_new == 0);
  CHECK(h.eigen_malloc == 0);
}

// A full Lagrangian-PPO iteration: rollout (policy, both critics, sampling, env steps with
// auto-reset and truncation bootstrapping, normalisers), GAE, shuffled minibatch epochs, clip,
// Adam, the multiplier step; then a stochastic evaluation.
template <class Trainer>
void check_training_allocates_nothing(const icrl::PpoConfig& config,
                                      const typename Trainer::Env& prototype = typename Trainer::Env()) {
  auto trainer = std::make_unique<Trainer>(config, 5, prototype);  // allocates the buffers, once
  trainer->iterate();                                   // warm-up
  double sink = 0.0;
  const HeapCount h = count_heap([&] {
    for (int i = 0; i < 2; ++i) sink += trainer->iterate().policy_loss;
    sink += trainer->evaluate(2, false).mean_return;
  });
  CHECK(std::isfinite(sink));
  CHECK(h.operator_new == 0);
  CHECK(h.eigen_malloc == 0);
}

TEST_CASE("Lagrangian PPO: full iterations and evaluation allocate nothing after construction") {
  icrl::PpoConfig c;
  c.n_steps = 256;  // crosses a truncation (Pendulum: 200 steps) inside the rollout
  c.minibatch_size = 128;
  c.epochs = 2;
  c.normalize_obs = c.normalize_reward = c.normalize_cost = true;
  SUBCASE("Gaussian policy, constrained Pendulum") {
    check_training_allocates_nothing<icrl::test::PendulumTrainer>(c);
  }
  SUBCASE("categorical policy, CartPole, PID multiplier") {
    // CartPole terminates: episodes end inside every rollout.
    c.multiplier.rule = icrl::MultiplierRule::pid;
    check_training_allocates_nothing<icrl::test::CartPoleTrainer>(c);
  }
}

TEST_CASE("the ICRL environments: training iterations on lap-grid and point-circle allocate nothing") {
  icrl::PpoConfig c;
  c.n_steps = 256;
  c.minibatch_size = 128;
  c.epochs = 2;
  c.normalize_obs = c.normalize_reward = c.normalize_cost = true;
  // The agents of the ICRL trainers below (tests/trainers.hpp), trained on their own.
  SUBCASE("lap-grid (categorical)") {
    check_training_allocates_nothing<icrl::test::LapTrainer::Agent>(c);
  }
  SUBCASE("point-circle (Gaussian)") {
    check_training_allocates_nothing<icrl::test::PointTrainer::Agent>(c);
  }
}

TEST_CASE("a grid map env (8 actions): steps, resets and observations allocate nothing") {
  const auto world = icrl::envs::Grid8::parse("actions = 8\nmax_steps = 30\nmap:\nS....\n.XX..\n..X..\n....G\n.....\n",
                                              "inline map");
  icrl::envs::Grid8Constrained::Config nominal;
  nominal.terminate_on_violation = false;
  using Vec = icrl::envs::VecEnv<icrl::envs::Grid8Constrained, 2>;
  auto envs = std::make_unique<Vec>(icrl::envs::make_grid_constrained(world, nominal));
  envs->reset_all(5u);
  icrl::Rng rng(5u, 1u);
  Vec::Actions actions{};
  double sink = 0.0;
  const HeapCount h = count_heap([&] {
    for (int t = 0; t < 200; ++t) {  // several 30-step episodes: truncations and auto-resets
      for (auto& a : actions) a = static_cast<int>(rng.uniform_int(8u));
      const Vec::Step& r = envs->step(actions);
      sink += r.reward.sum() + r.cost.sum() + r.obs.sum();
    }
  });
  CHECK(std::isfinite(sink));
  CHECK(h.operator_new == 0);
  CHECK(h.eigen_malloc == 0);
}

// ---- ICRL: Algorithm 1 -------------------------------------------------------------------------
// One outer iteration = forward step (PPO iterations paying 1 - zeta through the step hook),
// M nominal episodes, the backward step (B importance-weighted, KL-checked zeta updates), the
// true-env evaluation. Demonstrations come from an untrained policy: the data do not matter here.
template <class Trainer>
void check_icrl_allocates_nothing(icrl::IcrlMethod method, icrl::ImportanceMode importance,
                                  const typename Trainer::Env& prototype = typename Trainer::Env()) {
  using Env = typename Trainer::Env;
  using ZetaNet = decltype(Trainer::Learner::zeta);
  icrl::PpoConfig pc;
  pc.n_steps = 128;
  pc.minibatch_size = 128;
  pc.epochs = 2;
  pc.normalize_obs = pc.normalize_reward = pc.normalize_cost = true;
  icrl::IcrlConfig ic;
  ic.method = method;
  ic.forward_steps = 512;  // 2 PPO iterations per outer iteration
  ic.nominal_episodes = 3;
  ic.eval_episodes = 2;
  ic.update.backward_iterations = 4;
  ic.update.importance = importance;
  ic.update.loss = method == icrl::IcrlMethod::bc ? icrl::ConstraintLoss::bce : icrl::ConstraintLoss::icrl;
  icrl::PolicyFor<Env> policy;
  icrl::Rng rng(9u, 0u);
  policy.init(rng, 0.0);
  const icrl::Demonstrations demos =
      icrl::record_demonstrations(policy, icrl::ObsNormalizer<Env::kObsDim>(), prototype, 3, 4u, false);
  ZetaNet zeta;
  zeta.configure(ZetaNet::template default_features<Env>(), Env::kObsDim, Env::kDiscrete ? 1 : Env::kActDim, Env::kName);
  Env true_env = prototype;
  auto trainer = std::make_unique<Trainer>(ic, pc, 5, prototype, true_env, zeta, &demos, "test demos");
  trainer->outer_iteration();  // warm-up
  double sink = 0.0;
  const HeapCount h = count_heap([&] {
    for (int i = 0; i < 2; ++i) {
      const icrl::OuterStats s = trainer->outer_iteration();
      sink += s.reward + s.violations + s.backward.iterations_done;
    }
    const double obs[8] = {0.0}, act[8] = {1.0};
    sink += trainer->constraint().cost(obs, act);  // a single query
  });
  CHECK(std::isfinite(sink));
  CHECK(h.operator_new == 0);
  CHECK(h.eigen_malloc == 0);
}

TEST_CASE("ICRL outer iterations (forward, sampling, backward, evaluation) allocate nothing after the first") {
  using icrl::test::LapTrainer;
  SUBCASE("icrl, per-episode weights, lap-grid") {
    check_icrl_allocates_nothing<LapTrainer>(icrl::IcrlMethod::icrl, icrl::ImportanceMode::per_episode);
  }
  SUBCASE("binary classifier, lap-grid") {
    check_icrl_allocates_nothing<LapTrainer>(icrl::IcrlMethod::bc, icrl::ImportanceMode::off);
  }
  SUBCASE("GAIL-constraint, lap-grid") {
    check_icrl_allocates_nothing<LapTrainer>(icrl::IcrlMethod::gc, icrl::ImportanceMode::off);
  }
  SUBCASE("icrl, per-step weights, point-circle") {
    icrl::envs::PointCircleConstrained::Config nominal;
    nominal.terminate_on_violation = false;
    check_icrl_allocates_nothing<icrl::test::PointTrainer>(
        icrl::IcrlMethod::icrl, icrl::ImportanceMode::per_step, icrl::envs::PointCircleConstrained(nominal));
  }
}

TEST_CASE("tabular ICRL outer iterations (exact forward step, beta fit, sampling, backward, evaluation) allocate nothing") {
  const auto world = icrl::envs::Grid8::parse("actions = 8\nmax_steps = 30\nmap:\nS....\n.XX..\n..X..\n....G\n.....\n",
                                              "inline map");
  const icrl::TabularMdp m = icrl::envs::to_tabular(world, "inline map");
  icrl::Demonstrations d;  // two hand-made episodes along the top row and down the right column
  d.env = "inline map";
  d.obs_dim = 2;
  d.act_dim = 1;
  const int path[7][3] = {{0, 0, 1}, {0, 1, 1}, {0, 2, 1}, {0, 3, 1}, {0, 4, 2}, {1, 4, 2}, {2, 4, 6}};
  d.observations.resize(2, 14);
  d.actions.resize(1, 14);
  d.rewards.setZero(14);
  d.costs.setZero(14);
  d.lengths = {7, 7};
  for (int t = 0; t < 14; ++t) {
    const auto o = world.observe(path[t % 7][0], path[t % 7][1]);
    d.observations.col(t) = o;
    d.actions(0, t) = path[t % 7][2];
  }
  for (const icrl::IcrlMethod method : {icrl::IcrlMethod::icrl, icrl::IcrlMethod::bc, icrl::IcrlMethod::gc}) {
    icrl::TabularIcrlConfig c = icrl::tabular_defaults(method);
    c.nominal_episodes = 4;
    auto trainer = std::make_unique<icrl::TabularIcrlTrainer>(c, m, d, "test demos", 3);
    trainer->outer_iteration();  // warm-up
    double sink = 0.0;
    const HeapCount h = count_heap([&] {
      for (int i = 0; i < 2; ++i) {
        const icrl::TabularOuterStats s = trainer->outer_iteration();
        sink += s.reward + s.violations + s.beta;
      }
    });
    CHECK(std::isfinite(sink));
    CHECK(h.operator_new == 0);
    CHECK(h.eigen_malloc == 0);
  }
}
