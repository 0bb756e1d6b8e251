// tests/test_presets.cpp - the library's defaults (icrl/presets.hpp): what makes a run icrl, bc or
// gc, a config whose update contradicts its method refused with the field named, M taken from the
// demonstrations, and the defaults an env of the user's own gets.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>

#include "envs/lap_grid.hpp"
#include "envs/vec_env.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/icrl_trainer.hpp"
#include "icrl/presets.hpp"
#include "lap_demos.hpp"
#include "trainers.hpp"

using namespace icrl;

namespace {

using test::LapEnv;
using test::LapTrainer;
using test::LapZeta;

LapZeta lap_zeta() {
  LapZeta z;
  z.configure(LapZeta::default_features<LapEnv>(), 1, 1, "lap-grid");
  return z;
}

PpoConfig small_ppo() {
  PpoConfig pc = icrl_forward_ppo("lap-grid");
  pc.n_steps = 128;
  pc.minibatch_size = 64;
  pc.epochs = 1;
  return pc;
}

}  // namespace

TEST_CASE("presets: apply_method defines icrl, bc and gc; the trainer refuses an update that contradicts the method") {
  IcrlConfig c = icrl_preset("point-circle");  // per-step weights, delta 0.5, early stopping
  REQUIRE(c.update.importance == ImportanceMode::per_step);
  REQUIRE(c.update.regularizer == 0.5);
  apply_method(c, IcrlMethod::bc);
  CHECK(c.method == IcrlMethod::bc);
  CHECK(c.update.loss == ConstraintLoss::bce);
  CHECK(c.update.importance == ImportanceMode::off);
  CHECK(!c.update.early_stopping);
  CHECK(c.update.regularizer == 0.0);
  CHECK(c.outer_iterations == icrl_preset("point-circle").outer_iterations);  // the rest is kept
  CHECK_NOTHROW(LapTrainer::validated(c));
  CHECK(icrl_preset("cheetah", IcrlMethod::gc).update.loss == ConstraintLoss::icrl);
  CHECK(icrl_preset("cheetah", IcrlMethod::bc).update.loss == ConstraintLoss::bce);

  // Setting the method field alone used to train the ICRL loss under the name bc: refused now.
  IcrlConfig only_field = icrl_preset("lap-grid");
  only_field.method = IcrlMethod::bc;
  CHECK_THROWS_WITH_AS(LapTrainer::validated(only_field),
                       doctest::Contains("IcrlConfig::update.loss is the likelihood of eq. (11) but method is bc"),
                       Error);
  CHECK_THROWS_WITH_AS(LapTrainer::validated(only_field), doctest::Contains("icrl::apply_method"), Error);
  IcrlConfig bce_icrl = icrl_preset("lap-grid");
  bce_icrl.update.loss = ConstraintLoss::bce;
  CHECK_THROWS_WITH_AS(LapTrainer::validated(bce_icrl), doctest::Contains("IcrlConfig::update.loss is bce"), Error);
}

TEST_CASE("presets: fields out of range are named as the library user sets them, with the --set key") {
  IcrlConfig c = icrl_preset("lap-grid");
  c.outer_iterations = 0;
  CHECK_THROWS_WITH_AS(LapTrainer::validated(c), doctest::Contains("IcrlConfig::outer_iterations (--set outer_iters)"),
                       Error);
  c = icrl_preset("lap-grid");
  c.update.lr = -1;
  CHECK_THROWS_WITH_AS(LapTrainer::validated(c), doctest::Contains("ConstraintUpdateConfig::lr (--set zeta_lr)"), Error);
  c = icrl_preset("lap-grid");
  c.nominal_episodes = -1;
  CHECK_THROWS_WITH_AS(LapTrainer::validated(c), doctest::Contains("IcrlConfig::nominal_episodes"), Error);
  c = icrl_preset("lap-grid");
  c.nominal_memory = 0;
  CHECK_THROWS_WITH_AS(LapTrainer::validated(c), doctest::Contains("IcrlConfig::nominal_memory (--set nominal_memory)"),
                       Error);
  c = icrl_preset("lap-grid");
  c.demo_starts = 1.5;
  CHECK_THROWS_WITH_AS(LapTrainer::validated(c), doctest::Contains("IcrlConfig::demo_starts (--set demo_starts) must be in [0, 1]"),
                       Error);
  // lap-grid does not provide state_of_observation (its exact forward step needs no demo starts).
  static_assert(!LapTrainer::kCanStartFromDemos, "lap-grid has no state_of_observation");
  c.demo_starts = 0.3;
  CHECK_THROWS_WITH_AS(LapTrainer::validated(c), doctest::Contains("needs an env that can start from a recorded observation"),
                       Error);
}

TEST_CASE("presets: M = 0 means the number of expert episodes (SPEC 5), 20 without demonstrations") {
  const Demonstrations demos = test::forward_demos(7, 200);
  IcrlConfig ic = icrl_preset("lap-grid");
  REQUIRE(ic.nominal_episodes == 0);
  ic.forward_steps = 512;  // the preset's forward step is not what this test is about
  LapEnv::Config nc;
  nc.terminate_on_violation = false;
  auto trainer = std::make_unique<LapTrainer>(ic, small_ppo(), 1, LapEnv(nc), LapEnv(), lap_zeta(), &demos, "demos");
  CHECK(trainer->config().nominal_episodes == 7);
  IcrlConfig explicit_m = ic;
  explicit_m.nominal_episodes = 3;
  auto three = std::make_unique<LapTrainer>(explicit_m, small_ppo(), 1, LapEnv(nc), LapEnv(), lap_zeta(), &demos, "demos");
  CHECK(three->config().nominal_episodes == 3);
  IcrlConfig frozen = ic;
  frozen.freeze_constraint = true;
  auto transfer = std::make_unique<LapTrainer>(frozen, small_ppo(), 1, LapEnv(nc), LapEnv(), lap_zeta(), nullptr, "");
  CHECK(transfer->config().nominal_episodes == LapTrainer::kNominalEpisodesWithoutDemos);
  // One outer iteration samples exactly M nominal episodes for the backward step.
  trainer->outer_iteration();
  CHECK(trainer->nominal_pairs().episodes() == 7);
}

TEST_CASE("presets: an env of your own gets the continuous-control defaults; the named envs keep SPEC 5") {
  const PpoConfig mine = ppo_preset("my-robot");
  CHECK(mine.use_cost);
  CHECK(mine.normalize_obs);
  CHECK(mine.normalize_reward);
  CHECK(mine.normalize_cost);
  CHECK(mine.multiplier.budget == 0.0);
  const IcrlConfig ic = icrl_preset("my-robot");
  CHECK(ic.update.importance == ImportanceMode::per_step);
  CHECK(ic.update.regularizer == 0.5);
  CHECK(ic.nominal_episodes == 0);
  // Tabular and grid presets: no normalisation, the forward step's entropy bonus and fast nu.
  CHECK(!ppo_preset("lap-grid").normalize_obs);
  CHECK(ppo_preset("grid8:rooms8").n_steps == 512);
  CHECK(icrl_forward_ppo("grid:lake7").multiplier.lr == 1.0);
  CHECK(icrl_forward_ppo("cheetah").multiplier.lr == ppo_preset("cheetah").multiplier.lr);
  // SPEC 5's ant column.
  CHECK(ppo_preset("ant").lr == 3e-5);
  CHECK(icrl_preset("ant").update.backward_iterations == 5);
  // ... but the paper's appendix multiplier step for Ant and AntBroken (docs/experiments.md,
  // "The ant under the paper's own settings").
  CHECK(ppo_preset("ant").multiplier.lr == 1.0);
  CHECK(ppo_preset("ant-broken").multiplier.lr == 1.0);
  CHECK(icrl_forward_ppo("ant").multiplier.lr == 1.0);
  CHECK(!ppo_preset("pendulum").use_cost);
  CHECK(ppo_preset("pendulum-constrained").multiplier.budget == 0.01);
}

TEST_CASE("trainer without a true env: the same constraint as with one, no violation figures") {
  // A user's own system has no known constraint: the trainer then samples, learns and measures
  // its reward in the nominal env alone. Steps 1-3 never read the true env, so zeta comes out
  // bit-identical to a run that had one; only the violation figures (unknowable) are missing.
  const Demonstrations demos = test::forward_demos(5, 200);
  IcrlConfig ic = icrl_preset("lap-grid");
  ic.forward_steps = 512;
  ic.eval_episodes = 2;
  LapEnv::Config nc;
  nc.terminate_on_violation = false;
  auto known = std::make_unique<LapTrainer>(ic, small_ppo(), 3, LapEnv(nc), LapEnv(), lap_zeta(), &demos, "demos");
  auto unknown = std::make_unique<LapTrainer>(ic, small_ppo(), 3, LapEnv(nc), lap_zeta(), &demos, "demos");
  CHECK(known->constraint_known());
  CHECK(!unknown->constraint_known());
  const OuterStats a = known->outer_iteration();
  const OuterStats b = unknown->outer_iteration();
  CHECK(std::isfinite(a.violations));
  CHECK(std::isfinite(a.violation_rate));
  CHECK(std::isnan(b.violations));
  CHECK(std::isnan(b.violation_rate));
  CHECK(std::isnan(b.feasible_reward));
  CHECK(std::isfinite(b.reward));
  CHECK(a.nu == b.nu);
  CHECK(a.backward.loss_last == b.backward.loss_last);
  CHECK(known->constraint().net.theta == unknown->constraint().net.theta);
}
