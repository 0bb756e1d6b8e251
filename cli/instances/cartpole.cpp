// cli/instances/cartpole.cpp - the jobs of cli/jobs.hpp compiled for CartPole-v1 (PPO).
#include "ppo_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<CartPoleEntry>(CartPoleEntry) const;
template void SolverExpertJob::operator()<CartPoleEntry>(CartPoleEntry) const;
template void EvalJob::operator()<CartPoleEntry>(CartPoleEntry) const;
template void DemosJob::operator()<CartPoleEntry>(CartPoleEntry) const;

}  // namespace icrl::cli
