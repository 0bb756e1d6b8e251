// cli/instances/cartpole_constrained.cpp - `icrl` for cartpole-constrained; see instance.hpp.
#define ICRL_CLI_ENTRY CartPoleConstrainedEntry
#include "instance.hpp"
