// tests/trainers.hpp - the trainer types the fast test files share, each compiled once.
//
// A trainer's heavy members (the PPO rollout and update; an ICRL trainer's outer iteration and step
// hook and its constraint learner's backward step) are declared `extern template` here and
// instantiated in tests/trainers_ppo.cpp and tests/trainers_icrl.cpp, the technique of
// cli/instances/. Template instantiation is most of the fast suite's compile time (GCC's
// -ftime-report on the former tests/test_alloc.cpp: 283 of 378 s), and the fast suite is compiled
// in four CI configurations, so a test file that needs a trainer takes one of these rather than a
// shape of its own.
//
// Every file of the icrl_tests program is compiled with tests/heap_checks.hpp included first (the
// allocation detectors of tests/test_alloc.cpp), so these instantiations are the same ones the
// allocation checks count.
#pragma once

#ifndef EIGEN_RUNTIME_NO_MALLOC
#error "tests/trainers.hpp: compile with -include tests/heap_checks.hpp (tests/meson.build) so that the allocation checks see these trainers"
#endif

#include "envs/cartpole.hpp"
#include "envs/lap_grid.hpp"
#include "envs/pendulum.hpp"
#include "envs/point_circle.hpp"
#include "envs/vec_env.hpp"
#include "icrl/constraint_net.hpp"
#include "icrl/constraint_update.hpp"
#include "icrl/icrl_trainer.hpp"
#include "icrl/ppo_lagrangian.hpp"

namespace icrl::test {

// Lagrangian PPO: a Gaussian policy (constrained Pendulum) and a categorical one (CartPole), two
// copies stepped in lockstep, fixed-size minibatch chunks of 64 columns.
using PendulumTrainer = PpoLagrangian<envs::VecEnv<envs::PendulumConstrained, 2>, 64>;
using CartPoleTrainer = PpoLagrangian<envs::VecEnv<envs::CartPole, 2>, 64>;

// ICRL (Algorithm 1) on lap-grid (categorical) and point-circle (Gaussian), zeta with [20] hidden.
using LapEnv = envs::LapGridConstrained;
using LapZeta = ConstraintNet<3, 20>;  // s0, [a=0], [a=1]
using LapTrainer = IcrlTrainer<envs::VecEnv<LapEnv, 2>, 64, LapZeta>;
using PointEnv = envs::PointCircleConstrained;
using PointZeta = ConstraintNet<default_constraint_inputs<PointEnv>(), 20>;
using PointTrainer = IcrlTrainer<envs::VecEnv<PointEnv, 2>, 64, PointZeta>;

}  // namespace icrl::test

// `extern` (declare) or empty (define) for the PPO trainer T's rollout and update.
#define ICRL_TEST_PPO(extern_or_empty, T)                            \
  extern_or_empty template void T::rollout(icrl::IterationStats&); \
  extern_or_empty template void T::update(icrl::IterationStats&);

// `extern` (declare) or empty (define) for the ICRL trainer T's heavy members: its agent's
// rollout and update, the outer iteration, the step hook, the learner's backward steps.
#define ICRL_TEST_ICRL(extern_or_empty, T, Zeta)                                                                   \
  ICRL_TEST_PPO(extern_or_empty, T::Agent)                                                                         \
  extern_or_empty template icrl::OuterStats T::outer_iteration();                                                  \
  extern_or_empty template void T::on_step(const T::Hook::ObsBatch&, const T::Hook::Actions&, T::Hook::Column&,    \
                                           T::Hook::Column&);                                                      \
  extern_or_empty template icrl::BackwardStats T::Learner::backward(const icrl::PairBuffer<Zeta::kIn>&,            \
                                                                    const icrl::PairBuffer<Zeta::kIn>&, int);      \
  extern_or_empty template double T::Learner::bce_step(const icrl::PairBuffer<Zeta::kIn>&,                        \
                                                       const icrl::PairBuffer<Zeta::kIn>&);

ICRL_TEST_PPO(extern, icrl::test::PendulumTrainer)
ICRL_TEST_PPO(extern, icrl::test::CartPoleTrainer)
ICRL_TEST_ICRL(extern, icrl::test::LapTrainer, icrl::test::LapZeta)
ICRL_TEST_ICRL(extern, icrl::test::PointTrainer, icrl::test::PointZeta)
