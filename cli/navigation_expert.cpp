// cli/navigation_expert.cpp - the navigation family's expert for `icrl suite --family navigation`
// (envs/navigation_expert.hpp). Its PPO trainer's update and rollout are compiled in
// navigation_expert_update.cpp and navigation_expert_rollout.cpp, so that no file of the program
// needs more than 1 GB of compiler memory.
#include "tabular.hpp"

#include "envs/navigation_expert.hpp"

namespace icrl {
extern template void envs::NavigationExpertTrainer::update(IterationStats&);
extern template void envs::NavigationExpertTrainer::rollout(IterationStats&);
}  // namespace icrl

namespace icrl::cli {

Demonstrations navigation_expert_demos(const envs::NavigationTask& task, std::uint64_t seed) {
  return envs::train_navigation_expert(task, seed).demos;
}

}  // namespace icrl::cli
