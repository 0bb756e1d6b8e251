// cli/instances/cheetah.cpp - the jobs of cli/jobs.hpp compiled for cheetah (Box2D).
#include "ppo_jobs.hpp"
#include "icrl_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<CheetahEntry>(CheetahEntry) const;
template void SolverExpertJob::operator()<CheetahEntry>(CheetahEntry) const;
template void EvalJob::operator()<CheetahEntry>(CheetahEntry) const;
template void DemosJob::operator()<CheetahEntry>(CheetahEntry) const;
template void LearnJob::operator()<CheetahEntry>(CheetahEntry) const;
template void TransferJob::operator()<CheetahEntry>(CheetahEntry) const;

}  // namespace icrl::cli
