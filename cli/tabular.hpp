// cli/tabular.hpp - `icrl learn` with the exact forward step and `icrl suite` (cli/tabular.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace icrl {
struct Demonstrations;  // icrl/demonstrations.hpp
namespace envs {
struct NavigationTask;  // envs/navigation.hpp
}
}  // namespace icrl

namespace icrl::cli {

struct RecordedCommand;  // run_files.hpp

// lap-grid, grid:MAP and grid8:MAP: the envs with an exact forward step.
bool is_tabular_env(const std::string& env);

// `icrl learn` on a tabular env with the exact forward step; demos "" = the shipped file.
int learn_tabular(const std::string& env, const std::string& method, const std::string& demos, std::uint64_t seed,
                  const std::vector<std::string>& sets, const RecordedCommand& command, bool quiet);

// `icrl suite`: a generated task family, every task x seed x method; returns the exit status.
int suite(int argc, char** argv);
std::string suite_usage();

// The expert demonstrations of a navigation task (envs/navigation_expert.hpp with its defaults,
// trained from `seed`; cli/navigation_expert.cpp, the one file that compiles its PPO trainer).
// Throws icrl::Error when the task has no expert.
Demonstrations navigation_expert_demos(const envs::NavigationTask& task, std::uint64_t seed);

}  // namespace icrl::cli
