// cli/instances/grid8.cpp - the jobs of cli/jobs.hpp compiled for 8-action grid maps, grid8:MAP.
#include "ppo_jobs.hpp"
#include "icrl_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<Grid8Entry>(Grid8Entry) const;
template void SolverExpertJob::operator()<Grid8Entry>(Grid8Entry) const;
template void EvalJob::operator()<Grid8Entry>(Grid8Entry) const;
template void DemosJob::operator()<Grid8Entry>(Grid8Entry) const;
template void LearnJob::operator()<Grid8Entry>(Grid8Entry) const;
template void TransferJob::operator()<Grid8Entry>(Grid8Entry) const;

}  // namespace icrl::cli
