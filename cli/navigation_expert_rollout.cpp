// cli/navigation_expert_rollout.cpp - the PPO rollout of the navigation expert's trainer (see
// navigation_expert.cpp).
#include "envs/navigation_expert.hpp"

namespace icrl {
template void envs::NavigationExpertTrainer::rollout(IterationStats&);
}  // namespace icrl
