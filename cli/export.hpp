// cli/export.hpp - the `icrl export` subcommand (cli/export.cpp).
#pragma once

#include <string>

namespace icrl::cli {

// Returns the exit status; throws UsageError (exit 2) or icrl::Error (exit 1).
int export_header_command(int argc, char** argv);
std::string export_usage();

}  // namespace icrl::cli
