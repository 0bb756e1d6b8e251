// cli/instances/pendulum_constrained.cpp - the jobs of cli/jobs.hpp compiled for Pendulum-v1 with the speed limit (PPO-Lagrangian).
#include "ppo_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<PendulumConstrainedEntry>(PendulumConstrainedEntry) const;
template void SolverExpertJob::operator()<PendulumConstrainedEntry>(PendulumConstrainedEntry) const;
template void EvalJob::operator()<PendulumConstrainedEntry>(PendulumConstrainedEntry) const;
template void DemosJob::operator()<PendulumConstrainedEntry>(PendulumConstrainedEntry) const;

}  // namespace icrl::cli
