// cli/instances/instance.hpp - the body of every cli/instances/<env>.cpp: the jobs of cli/jobs.hpp
// and the trainers' heavy members for one environment, one part per compile (ICRL_CLI_PART,
// cli/meson.build):
//   1 train, eval and demos (and expert --solver, which refuses, for an env that is not tabular)
//   2 the PPO update                 3 the PPO rollout             4 expert --solver (tabular)
//   5 learn                          6 transfer
//   7 the ICRL trainer's outer iteration and step hook (constraint network ICRL_CLI_ZETA)
//   8 the same for the x-only constraint network ICRL_CLI_ZETA_X (ant, point-circle)
// The including file defines ICRL_CLI_ENTRY (an entry of cli/envs.hpp), ICRL_CLI_TABULAR for a
// grid env, and, for an ICRL env, ICRL_CLI_ZETA (and ICRL_CLI_ZETA_X). cli/meson.build lists the
// parts each file has; the others would be empty. Every part declares the pieces it does not compile
// `extern`, so each is compiled exactly once (the learners' backward steps in learners.cpp).
#if ICRL_CLI_PART == 2 || ICRL_CLI_PART == 3 || ICRL_CLI_PART >= 7
#include "envs.hpp"
#else
#include "ppo_jobs.hpp"
#ifdef ICRL_CLI_ZETA
#include "icrl_jobs.hpp"
#endif
#endif

namespace icrl {

ICRL_CLI_EXTERN_PPO(ICRL_CLI_ENTRY)
#ifdef ICRL_CLI_ZETA
ICRL_CLI_OUTER(extern, ICRL_CLI_ENTRY, ICRL_CLI_ZETA)
ICRL_CLI_LEARNER(extern, ICRL_CLI_ZETA)
#endif
#ifdef ICRL_CLI_ZETA_X
ICRL_CLI_OUTER(extern, ICRL_CLI_ENTRY, ICRL_CLI_ZETA_X)
ICRL_CLI_LEARNER(extern, ICRL_CLI_ZETA_X)
#endif

#if ICRL_CLI_PART == 2
template void cli::ICRL_CLI_ENTRY::Trainer::update(IterationStats&);
#elif ICRL_CLI_PART == 3
template void cli::ICRL_CLI_ENTRY::Trainer::rollout(IterationStats&);
#elif ICRL_CLI_PART == 7 && defined(ICRL_CLI_ZETA)
ICRL_CLI_OUTER(, ICRL_CLI_ENTRY, ICRL_CLI_ZETA)
#elif ICRL_CLI_PART == 8 && defined(ICRL_CLI_ZETA_X)
ICRL_CLI_OUTER(, ICRL_CLI_ENTRY, ICRL_CLI_ZETA_X)
#endif

}  // namespace icrl

namespace icrl::cli {

#if ICRL_CLI_PART == 1
template void TrainJob::operator()<ICRL_CLI_ENTRY>(ICRL_CLI_ENTRY) const;
template void EvalJob::operator()<ICRL_CLI_ENTRY>(ICRL_CLI_ENTRY) const;
template void DemosJob::operator()<ICRL_CLI_ENTRY>(ICRL_CLI_ENTRY) const;
#ifndef ICRL_CLI_TABULAR
template void SolverExpertJob::operator()<ICRL_CLI_ENTRY>(ICRL_CLI_ENTRY) const;
#endif
#elif ICRL_CLI_PART == 4 && defined(ICRL_CLI_TABULAR)
template void SolverExpertJob::operator()<ICRL_CLI_ENTRY>(ICRL_CLI_ENTRY) const;
#elif ICRL_CLI_PART == 5 && defined(ICRL_CLI_ZETA)
template void LearnJob::operator()<ICRL_CLI_ENTRY>(ICRL_CLI_ENTRY) const;
#elif ICRL_CLI_PART == 6 && defined(ICRL_CLI_ZETA)
template void TransferJob::operator()<ICRL_CLI_ENTRY>(ICRL_CLI_ENTRY) const;
#endif

}  // namespace icrl::cli
