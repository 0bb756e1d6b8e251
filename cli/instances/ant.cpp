// cli/instances/ant.cpp - the jobs of cli/jobs.hpp compiled for ant (Box2D).
#include "ppo_jobs.hpp"
#include "icrl_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<AntEntry>(AntEntry) const;
template void SolverExpertJob::operator()<AntEntry>(AntEntry) const;
template void EvalJob::operator()<AntEntry>(AntEntry) const;
template void DemosJob::operator()<AntEntry>(AntEntry) const;
template void LearnJob::operator()<AntEntry>(AntEntry) const;
template void TransferJob::operator()<AntEntry>(AntEntry) const;

}  // namespace icrl::cli
