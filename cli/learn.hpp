// cli/learn.hpp - the `icrl learn` and `icrl transfer` subcommands (cli/learn.cpp).
#pragma once

#include <string>

#include "icrl/icrl_trainer.hpp"

namespace icrl::cli {

// Both return the exit status; they throw UsageError (exit 2) or icrl::Error (exit 1).
int learn(int argc, char** argv);
int transfer(int argc, char** argv);
std::string learn_usage();
// The shipped demonstrations of an env: envs/data/<env>.demos, ':' and '/' replaced by '-'.
std::string shipped_demos(const std::string& env);
std::string transfer_usage();

// `--set key=value` of learn and transfer: the outer loop's keys (IcrlConfig), else PPO's.
void apply_any_setting(IcrlConfig& ic, PpoConfig& pc, const std::string& assignment);
// Every outer-loop setting as `key = value  # comment` lines (config.txt).
std::string describe_icrl(const IcrlConfig& c);

}  // namespace icrl::cli
