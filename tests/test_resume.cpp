// tests/test_resume.cpp - training state files (resume) and the non-finite stop: a trainer that
// saves its state after k outer iterations and a fresh trainer that loads it run on bit for bit
// like one uninterrupted trainer; a NaN in training stops with the iteration and the quantity.
#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include "envs/lap_grid.hpp"
#include "envs/point_circle.hpp"
#include "envs/vec_env.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/demonstrations.hpp"
#include "icrl/icrl_trainer.hpp"
#include "lap_demos.hpp"
#include "trainers.hpp"

using namespace icrl;

namespace {

std::string tmp_path(const std::string& name) { return std::string(ICRL_TEST_TMPDIR) + "/" + name; }

PpoConfig small_ppo() {
  PpoConfig pc;
  pc.n_steps = 256;
  pc.minibatch_size = 128;
  pc.epochs = 2;
  return pc;
}

IcrlConfig small_icrl(IcrlMethod m) {
  IcrlConfig ic;
  ic.method = m;
  ic.outer_iterations = 3;
  ic.forward_steps = 1024;  // two PPO updates per outer iteration
  ic.nominal_episodes = 3;
  ic.eval_episodes = 2;
  ic.update.backward_iterations = 5;
  if (m == IcrlMethod::bc) {
    ic.update.loss = ConstraintLoss::bce;
    ic.update.importance = ImportanceMode::off;
    ic.update.early_stopping = false;
  }
  return ic;
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// Runs every outer iteration in one trainer; for each k in `firsts`, runs k in another whose state
// goes through a file into a third trainer that runs the rest, and checks that both ends agree bit
// for bit.
template <class Trainer, class Env, class Zeta>
void check_resume(const IcrlConfig& ic, const PpoConfig& pc, const Env& nominal, const Env& true_env, const Zeta& proto,
                  const Demonstrations* demos, std::initializer_list<int> firsts, const std::string& file) {
  const std::uint64_t seed = 7;
  auto whole = std::make_unique<Trainer>(ic, pc, seed, nominal, true_env, proto, demos, "demos");
  OuterStats sw;
  for (int i = 0; i < ic.outer_iterations; ++i) sw = whole->outer_iteration();

  for (int first : firsts) {
    CAPTURE(first);
    auto part = std::make_unique<Trainer>(ic, pc, seed, nominal, true_env, proto, demos, "demos");
    for (int i = 0; i < first; ++i) part->outer_iteration();
    part->save_state(file);
    part.reset();
    auto resumed = std::make_unique<Trainer>(ic, pc, seed, nominal, true_env, proto, demos, "demos");
    resumed->load_state(file);
    CHECK(resumed->iterations_done() == first);
    OuterStats sr;
    for (int i = first; i < ic.outer_iterations; ++i) sr = resumed->outer_iteration();

    CHECK(sr.iteration == sw.iteration);
    CHECK(sr.env_steps == sw.env_steps);
    CHECK(sr.reward == sw.reward);
    CHECK(sr.violations == sw.violations);
    CHECK(sr.nu == sw.nu);
    CHECK(same(sr.learned_cost, sw.learned_cost));  // NaN for gc (no learned cost is paid)
    CHECK(resumed->constraint().net.theta == whole->constraint().net.theta);
    CHECK(resumed->agent().policy().net.theta == whole->agent().policy().net.theta);
    CHECK(resumed->agent().value_net().theta == whole->agent().value_net().theta);
    CHECK(resumed->agent().obs_normalizer().stats.mean == whole->agent().obs_normalizer().stats.mean);
  }
}

using test::forward_demos;

using test::LapEnv;
using test::LapTrainer;
using test::LapZeta;

LapZeta lap_proto() {
  LapZeta z;
  z.configure(LapZeta::default_features<LapEnv>(), 1, 1, "lap-grid");
  return z;
}

LapEnv lap_nominal() {
  LapEnv::Config c;
  c.terminate_on_violation = false;
  return LapEnv(c);
}

}  // namespace

TEST_CASE("resume: lap-grid icrl and gc continue bit-identically from a state file") {
  const Demonstrations demos = forward_demos(3, 200);
  for (IcrlMethod m : {IcrlMethod::icrl, IcrlMethod::gc}) {
    CAPTURE(method_name(m));
    // From a state saved before the first outer iteration and from one saved after two.
    check_resume<LapTrainer>(small_icrl(m), small_ppo(), lap_nominal(), LapEnv(), lap_proto(), &demos, {0, 2},
                             tmp_path("resume-lap.state"));
  }
}

TEST_CASE("resume: point-circle bc (Gaussian policy, normalisers on) continues bit-identically") {
  using Env = test::PointEnv;
  using Zeta = test::PointZeta;
  using Trainer = test::PointTrainer;
  const Demonstrations demos =
      Demonstrations::load(std::string(ICRL_SOURCE_DIR) + "/envs/data/point-circle.demos", "point-circle");
  PpoConfig pc = small_ppo();
  pc.normalize_obs = true;
  pc.normalize_reward = true;
  pc.normalize_cost = true;
  Env::Config nc;
  nc.terminate_on_violation = false;
  Zeta proto;
  proto.configure(Zeta::default_features<Env>(), Env::kObsDim, Env::kActDim, "point-circle");
  IcrlConfig ic = small_icrl(IcrlMethod::bc);
  ic.outer_iterations = 2;  // resumed after the first
  check_resume<Trainer>(ic, pc, Env(nc), Env(), proto, &demos, {1},
                        tmp_path("resume-point.state"));
}

TEST_CASE("resume: a state of another seed or method is refused, naming both") {
  const Demonstrations demos = forward_demos(3, 200);
  LapTrainer a(small_icrl(IcrlMethod::icrl), small_ppo(), 7, lap_nominal(), LapEnv(), lap_proto(), &demos, "demos");
  a.outer_iteration();
  const std::string file = tmp_path("resume-refused.state");
  a.save_state(file);
  LapTrainer other_seed(small_icrl(IcrlMethod::icrl), small_ppo(), 8, lap_nominal(), LapEnv(), lap_proto(), &demos, "demos");
  CHECK_THROWS_WITH_AS(other_seed.load_state(file), doctest::Contains("seed 7, this run's is 8"), Error);
  LapTrainer other_method(small_icrl(IcrlMethod::gc), small_ppo(), 7, lap_nominal(), LapEnv(), lap_proto(), &demos, "demos");
  CHECK_THROWS_WITH_AS(other_method.load_state(file), doctest::Contains("method 'icrl', this run's is 'gc'"), Error);
  // A policy file is not a state file.
  a.save_policy(tmp_path("resume-refused.policy"));
  CHECK_THROWS_AS(other_seed.load_state(tmp_path("resume-refused.policy")), Error);
}

TEST_CASE("non-finite training state: the outer iteration stops, naming the iteration and the quantity") {
  const Demonstrations demos = forward_demos(3, 200);
  // zeta's output bias NaN: every learned cost 1 - zeta is NaN.
  LapZeta poisoned = lap_proto();
  poisoned.net.theta.setZero();
  poisoned.net.theta(LapZeta::Net::kNumParams - 1) = NAN;
  IcrlConfig ic = small_icrl(IcrlMethod::icrl);
  ic.freeze_constraint = true;
  LapTrainer t(ic, small_ppo(), 7, lap_nominal(), LapEnv(), poisoned, nullptr, "");
  CHECK_THROWS_WITH_AS(t.outer_iteration(),
                       doctest::Contains("outer iteration 1: non-finite learned cost 1 - zeta(s, a) in the forward step "
                                         "(PPO update 1)"),
                       Error);
  CHECK(t.iterations_done() == 0);

  // A policy parameter at infinity (as a diverged update leaves it): named as such.
  LapTrainer u(small_icrl(IcrlMethod::icrl), small_ppo(), 7, lap_nominal(), LapEnv(), lap_proto(), &demos, "demos");
  u.outer_iteration();
  u.agent().policy().net.theta(0) = INFINITY;
  CHECK_THROWS_WITH_AS(u.outer_iteration(), doctest::Contains("outer iteration 2: non-finite policy parameters"), Error);
}

TEST_CASE("demonstration starts: forward-step episodes start in D's states, S at the env's reset; resume is exact") {
  using Env = test::PointEnv;
  using Zeta = test::PointZeta;
  using Trainer = test::PointTrainer;
  static_assert(Trainer::kCanStartFromDemos, "point-circle can start from a recorded observation");
  const Demonstrations demos =
      Demonstrations::load(std::string(ICRL_SOURCE_DIR) + "/envs/data/point-circle.demos", "point-circle");
  Env::Config nc;
  nc.terminate_on_violation = false;
  Zeta proto;
  proto.configure(Zeta::default_features<Env>(), Env::kObsDim, Env::kActDim, "point-circle");
  // How many training copies are, after one outer iteration, further into their episode than the
  // steps they took since its reset (an episode that began at a demonstration's step t > 0).
  auto moved_copies = [&](double p, int& s_full_length) {
    IcrlConfig ic = small_icrl(IcrlMethod::icrl);
    ic.demo_starts = p;
    Trainer t(ic, small_ppo(), 7, Env(nc), Env(), proto, &demos, "demos");
    t.outer_iteration();
    int moved = 0;
    for (int i = 0; i < 2; ++i)
      moved += t.agent().envs().env(i).elapsed_steps() > t.agent().envs().running_episode(i).length ? 1 : 0;
    // S: every nominal episode starts at the env's reset and runs the whole time limit.
    const auto& S = t.nominal_pairs();
    s_full_length = 0;
    for (int e = 0; e < S.episodes(); ++e)
      s_full_length += S.starts[static_cast<std::size_t>(e) + 1] - S.starts[static_cast<std::size_t>(e)] == Env::kMaxSteps;
    CHECK(S.episodes() == ic.nominal_episodes);
    return moved;
  };
  int full = 0;
  CHECK(moved_copies(0.0, full) == 0);
  CHECK(full == 3);
  // p = 1: 1024 steps make about 7 new episodes per copy, every one from a drawn step of D.
  CHECK(moved_copies(1.0, full) == 2);
  CHECK(full == 3);

  // The hook draws from the copies' generators, which the state file holds.
  IcrlConfig ic = small_icrl(IcrlMethod::icrl);
  ic.demo_starts = 0.5;
  ic.outer_iterations = 2;
  check_resume<Trainer>(ic, small_ppo(), Env(nc), Env(), proto, &demos, {1}, tmp_path("resume-demo-starts.state"));

  // Demonstrations of another env (three observation dimensions) are refused, naming the file.
  Demonstrations wrong = demos;
  wrong.obs_dim = 3;
  wrong.observations.conservativeResize(3, Eigen::NoChange);
  ic.demo_starts = 0.5;
  CHECK_THROWS_WITH_AS(Trainer(ic, small_ppo(), 7, Env(nc), Env(), proto, &wrong, "wrong.demos"),
                       doctest::Contains("wrong.demos"), Error);
}
