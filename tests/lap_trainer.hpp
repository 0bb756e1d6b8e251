// tests/lap_trainer.hpp - the ICRL trainer on lap-grid that test_constraint.cpp, test_presets.cpp
// and test_resume.cpp all run, compiled once. Its heavy members (the PPO rollout and update, the
// outer iteration and step hook, the constraint learner's backward step) are declared `extern
// template` here and instantiated in tests/lap_trainer.cpp, the technique of cli/instances/: the
// instantiation costs 71 s of compiling in the release build and 106 s under ASan (CI's ninja logs,
// BENCHMARKS.md "Building"), once instead of three times, in every CI configuration.
#pragma once

#include "envs/lap_grid.hpp"
#include "envs/vec_env.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/constraint_update.hpp"
#include "icrl/icrl_trainer.hpp"

namespace icrl::test {

using LapEnv = envs::LapGridConstrained;
using LapZeta = ConstraintNet<3, 20>;  // s0, [a=0], [a=1]
using LapTrainer = IcrlTrainer<envs::VecEnv<LapEnv, 2>, 64, LapZeta>;

}  // namespace icrl::test

// `extern` (declare) or empty (define, tests/lap_trainer.cpp) for LapTrainer's heavy members.
#define ICRL_TEST_LAP_TRAINER(extern_or_empty)                                                            \
  extern_or_empty template void icrl::test::LapTrainer::Agent::rollout(icrl::IterationStats&);            \
  extern_or_empty template void icrl::test::LapTrainer::Agent::update(icrl::IterationStats&);             \
  extern_or_empty template icrl::OuterStats icrl::test::LapTrainer::outer_iteration();                    \
  extern_or_empty template void icrl::test::LapTrainer::on_step(                                          \
      const icrl::test::LapTrainer::Hook::ObsBatch&, const icrl::test::LapTrainer::Hook::Actions&,        \
      icrl::test::LapTrainer::Hook::Column&, icrl::test::LapTrainer::Hook::Column&);                      \
  extern_or_empty template icrl::BackwardStats icrl::test::LapTrainer::Learner::backward(                 \
      const icrl::PairBuffer<icrl::test::LapZeta::kIn>&, const icrl::PairBuffer<icrl::test::LapZeta::kIn>&, \
      int);                                                                                               \
  extern_or_empty template double icrl::test::LapTrainer::Learner::bce_step(                              \
      const icrl::PairBuffer<icrl::test::LapZeta::kIn>&, const icrl::PairBuffer<icrl::test::LapZeta::kIn>&);

ICRL_TEST_LAP_TRAINER(extern)
