// cli/instances/pendulum.cpp - the jobs of cli/jobs.hpp compiled for Pendulum-v1 (PPO).
#include "ppo_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<PendulumEntry>(PendulumEntry) const;
template void SolverExpertJob::operator()<PendulumEntry>(PendulumEntry) const;
template void EvalJob::operator()<PendulumEntry>(PendulumEntry) const;
template void DemosJob::operator()<PendulumEntry>(PendulumEntry) const;

}  // namespace icrl::cli
