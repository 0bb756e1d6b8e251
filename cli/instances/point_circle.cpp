// cli/instances/point_circle.cpp - the jobs of cli/jobs.hpp compiled for point-circle.
#include "ppo_jobs.hpp"
#include "icrl_jobs.hpp"

namespace icrl::cli {

template void TrainJob::operator()<PointCircleEntry>(PointCircleEntry) const;
template void SolverExpertJob::operator()<PointCircleEntry>(PointCircleEntry) const;
template void EvalJob::operator()<PointCircleEntry>(PointCircleEntry) const;
template void DemosJob::operator()<PointCircleEntry>(PointCircleEntry) const;
template void LearnJob::operator()<PointCircleEntry>(PointCircleEntry) const;
template void TransferJob::operator()<PointCircleEntry>(PointCircleEntry) const;

}  // namespace icrl::cli
