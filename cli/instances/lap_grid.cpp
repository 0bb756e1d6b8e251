// cli/instances/lap_grid.cpp - the jobs of cli/jobs.hpp compiled for lap-grid.
#include "ppo_jobs.hpp"
#include "icrl_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<LapGridEntry>(LapGridEntry) const;
template void SolverExpertJob::operator()<LapGridEntry>(LapGridEntry) const;
template void EvalJob::operator()<LapGridEntry>(LapGridEntry) const;
template void DemosJob::operator()<LapGridEntry>(LapGridEntry) const;
template void LearnJob::operator()<LapGridEntry>(LapGridEntry) const;
template void TransferJob::operator()<LapGridEntry>(LapGridEntry) const;

}  // namespace icrl::cli
