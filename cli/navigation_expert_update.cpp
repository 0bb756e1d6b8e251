// cli/navigation_expert_update.cpp - the PPO update of the navigation expert's trainer (see
// navigation_expert.cpp).
#include "envs/navigation_expert.hpp"

namespace icrl {
template void envs::NavigationExpertTrainer::update(IterationStats&);
}  // namespace icrl
