// cli/instances/pendulum_constrained.cpp - `icrl` for pendulum-constrained; see instance.hpp.
#define ICRL_CLI_ENTRY PendulumConstrainedEntry
#include "instance.hpp"
