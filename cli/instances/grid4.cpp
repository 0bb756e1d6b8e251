// cli/instances/grid4.cpp - the jobs of cli/jobs.hpp compiled for 4-action grid maps, grid:MAP.
#include "ppo_jobs.hpp"
#include "icrl_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<Grid4Entry>(Grid4Entry) const;
template void SolverExpertJob::operator()<Grid4Entry>(Grid4Entry) const;
template void EvalJob::operator()<Grid4Entry>(Grid4Entry) const;
template void DemosJob::operator()<Grid4Entry>(Grid4Entry) const;
template void LearnJob::operator()<Grid4Entry>(Grid4Entry) const;
template void TransferJob::operator()<Grid4Entry>(Grid4Entry) const;

}  // namespace icrl::cli
