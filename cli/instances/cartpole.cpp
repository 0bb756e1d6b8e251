// cli/instances/cartpole.cpp - the `icrl` commands for CartPole-v1; see instance.hpp.
#define ICRL_CLI_ENTRY CartPoleEntry
#include "instance.hpp"
