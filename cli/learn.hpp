// cli/learn.hpp - the `icrl learn` and `icrl transfer` subcommands (cli/learn.cpp).
#pragma once

#include <string>

namespace icrl::cli {

// Both return the exit status; they throw UsageError (exit 2) or icrl::Error (exit 1).
int learn(int argc, char** argv);
int transfer(int argc, char** argv);
std::string learn_usage();
// The shipped demonstrations of an env: envs/data/<env>.demos, ':' and '/' replaced by '-'.
std::string shipped_demos(const std::string& env);
std::string transfer_usage();

}  // namespace icrl::cli
