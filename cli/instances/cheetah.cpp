// cli/instances/cheetah.cpp - the `icrl` commands for the cheetah (Box2D); see instance.hpp.
#define ICRL_CLI_ENTRY CheetahEntry
#define ICRL_CLI_ZETA ZetaShape24
#include "instance.hpp"
