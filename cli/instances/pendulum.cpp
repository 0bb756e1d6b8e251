// cli/instances/pendulum.cpp - the `icrl` commands for Pendulum-v1; see instance.hpp.
#define ICRL_CLI_ENTRY PendulumEntry
#include "instance.hpp"
