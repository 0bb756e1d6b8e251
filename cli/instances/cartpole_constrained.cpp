// cli/instances/cartpole_constrained.cpp - the jobs of cli/jobs.hpp compiled for CartPole-v1 with the position limit (PPO-Lagrangian).
#include "ppo_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<CartPoleConstrainedEntry>(CartPoleConstrainedEntry) const;
template void SolverExpertJob::operator()<CartPoleConstrainedEntry>(CartPoleConstrainedEntry) const;
template void EvalJob::operator()<CartPoleConstrainedEntry>(CartPoleConstrainedEntry) const;
template void DemosJob::operator()<CartPoleConstrainedEntry>(CartPoleConstrainedEntry) const;

}  // namespace icrl::cli
