// cli/instances/ant_broken.cpp - the jobs of cli/jobs.hpp compiled for ant-broken (Box2D).
#include "ppo_jobs.hpp"
#include "icrl_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<AntBrokenEntry>(AntBrokenEntry) const;
template void SolverExpertJob::operator()<AntBrokenEntry>(AntBrokenEntry) const;
template void EvalJob::operator()<AntBrokenEntry>(AntBrokenEntry) const;
template void DemosJob::operator()<AntBrokenEntry>(AntBrokenEntry) const;
template void LearnJob::operator()<AntBrokenEntry>(AntBrokenEntry) const;
template void TransferJob::operator()<AntBrokenEntry>(AntBrokenEntry) const;

}  // namespace icrl::cli
